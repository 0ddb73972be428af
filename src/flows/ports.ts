/**
 * What the flows need from the world, as interfaces. The composition root (src/main.ts, the demo, the
 * tests) plugs in the real store, the live directory, the calendars and a clock.
 */
import type { BusinessCalendar, CalendarPolicy } from '../domain/calendar-port.ts';
import type { Directory } from '../directory/model.ts';
import type { ConsultationEvent, ConsultationState } from '../domain/types.ts';
import type {
  AppendInput,
  AppendResult,
  CommandRecord,
  LoadedForCommand,
  StoredCommand,
  StoredConsultation,
} from '../store/consultation-store.ts';

export interface Clock {
  now(): Date;
}

/** The consultation store as the flows use it (implemented by store/consultation-store.ts). */
export interface ConsultationRepository {
  load(id: string): Promise<StoredConsultation | undefined>;
  loadByReference(reference: string): Promise<StoredConsultation | undefined>;
  append(input: AppendInput): Promise<AppendResult>;
  recordRefusal(command: CommandRecord & { consultationId?: string | null }): Promise<boolean>;
  findCommand(key: string): Promise<StoredCommand | undefined>;
  /** `load` and `findCommand` in one round trip (optional: without it, the flows make both calls). */
  loadForCommand?(id: string, key: string): Promise<LoadedForCommand>;
  nextReference(year: number): Promise<string>;
}

/** The live directory (the latest import). */
export interface DirectorySource {
  current(): Directory;
}

export interface CalendarSource {
  /** Throws for a policy the directory cannot serve (unknown country); the domain checks first. */
  calendar(policy: CalendarPolicy): BusinessCalendar;
}

export interface FlowLogger {
  /** Optional: the per-click lines (a position, a Troika reaction applied) are logged at this level. */
  debug?(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/**
 * Called after a decision is committed, with the new state and the outbox rows it created: the jobs layer
 * enqueues deliveries, plans reminders and the deadline close. Best effort: a failure here is logged and
 * never undoes the command (the periodic reconcile job rebuilds every expected job from the database).
 */
export type AfterCommit = (
  state: ConsultationState,
  info: {
    events: readonly ConsultationEvent[];
    outboxIds: readonly string[];
    /** Those of them to deliver before the others (the clicker's own card update). */
    firstOutboxIds?: readonly string[];
    /** The state the decision was made on (undefined for a consultation's creation). */
    before?: ConsultationState | undefined;
  },
) => Promise<void>;

export interface FlowDeps {
  store: ConsultationRepository;
  directory: DirectorySource;
  calendars: CalendarSource;
  clock: Clock;
  newId(): string;
  logger?: FlowLogger;
  /** Called once per command handled: `result` is `ok`, `duplicate` or the refusal code. */
  observe?: (command: string, result: string, seconds: number) => void;
  afterCommit?: AfterCommit;
}
