/**
 * The one way a command changes a consultation: load → decide → save events, snapshot, outbox messages
 * and the command record in one transaction. Optimistic concurrency: when someone else changed the
 * consultation in between, reload and decide again. Idempotent: a command key seen before returns the
 * first answer and changes nothing.
 */
import { decide } from '../domain/decide.ts';
import type { BusinessCalendar, CalendarPolicy } from '../domain/calendar-port.ts';
import { evolve } from '../domain/evolve.ts';
import type { Command, ConsultationEvent, ConsultationState, RefusalCode } from '../domain/types.ts';
import { ConcurrencyConflict, DuplicateCommand } from '../store/errors.ts';
import type { NewOutboxMessage, StoredCommand } from '../store/consultation-store.ts';
import { attemptOf } from './attempt.ts';
import { messagesFor } from './effects.ts';
import type { FlowDeps } from './ports.ts';
import { inSpan, setAttributes } from '../tracing.ts';

export type FlowResult =
  | {
      ok: true;
      state: ConsultationState;
      events: ConsultationEvent[];
      /** True when this key had been applied before: nothing new happened. */
      duplicate: boolean;
    }
  | { ok: false; code: RefusalCode; detail?: Record<string, string | number>; duplicate: boolean };

export interface ExecuteOptions {
  /** Idempotency key: the adapter's request id, a job id, a CLI-generated uuid. */
  key: string;
  /** Attempts on concurrency conflicts before giving up (default 12). */
  maxAttempts?: number;
  /**
   * More outbox messages for this decision, written in the same transaction (e.g. the chat adapter's
   * "update the card the person clicked in place"). Called with the state after the decision.
   */
  extraOutbox?: (after: ConsultationState, events: readonly ConsultationEvent[]) => NewOutboxMessage[];
  /**
   * The person whose own card `extraOutbox` updates in place (the card they clicked): the effects then do
   * not update that person's member card a second time.
   */
  cardUpdatedFor?: string;
  /**
   * The adapter's inbox row for this request (adapters/slack/inbox.ts): marked processed by the same
   * statement that writes the decision (AppendInput.inboxProcessed); `processed()` is called once it was.
   */
  inbox?: { id: string; processed(): void };
}

/**
 * Wait before retrying after the `attempt`-th conflict: "full jitter" exponential backoff, uniform in
 * [0, min(cap, base·2^attempt)). Without it, writers in different processes that lost the same round
 * reload and collide again in lockstep (measured with 50 simultaneous answers and immediate retries:
 * 34 of 50 gave up after 8 attempts).
 */
export function conflictBackoffMs(attempt: number, random: () => number = Math.random): number {
  return random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attempt);
}
const BACKOFF_BASE_MS = 5;
const BACKOFF_CAP_MS = 250;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Per-process turns on a consultation (per repository, so two engines in one process behave like two
 * processes). Returns the release function; calling it twice is harmless.
 */
const turns = new WeakMap<object, Map<string, Promise<void>>>();
async function turn(owner: object, consultationId: string): Promise<() => void> {
  let queue = turns.get(owner);
  if (!queue) turns.set(owner, (queue = new Map()));
  const previous = queue.get(consultationId) ?? Promise.resolve();
  let open!: () => void;
  const mine = new Promise<void>((resolve) => (open = resolve));
  const tail = previous.then(() => mine);
  queue.set(consultationId, tail);
  await previous;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    open();
    if (queue.get(consultationId) === tail) queue.delete(consultationId);
  };
}

/** Commands a click makes: logged at debug when applied. */
const PER_CLICK: ReadonlySet<Command['type']> = new Set<Command['type']>(['recordPosition', 'reactTroika']);

/** Refusals that depend only on the clock: the same command may apply later under the same key. */
const NOT_YET: ReadonlySet<RefusalCode> = new Set<RefusalCode>(['deadline_not_reached']);

export class FlowConflictError extends Error {
  constructor(readonly consultationId: string, attempts: number) {
    super(`Consultation ${consultationId} kept changing: gave up after ${attempts} attempts`);
    this.name = 'FlowConflictError';
  }
}

/**
 * The business calendar of a policy. A policy the directory cannot serve gets the secretariat's calendar,
 * which the domain then refuses as `calendar_mismatch` / `invalid_calendar_policy`: a value, not a crash.
 */
export function calendarFor(deps: FlowDeps, policy: CalendarPolicy): BusinessCalendar {
  try {
    return deps.calendars.calendar(policy);
  } catch {
    return deps.calendars.calendar('secretariat');
  }
}

export async function loadState(deps: FlowDeps, consultationId: string): Promise<{ state?: ConsultationState; version: number }> {
  const stored = await deps.store.load(consultationId);
  return stored ? { state: stored.snapshot as ConsultationState, version: stored.version } : { version: 0 };
}

/** `known`: the state of the consultation just loaded with the command, when it is the command's one. */
async function previousAnswer(deps: FlowDeps, found: StoredCommand, known?: { id: string; state?: ConsultationState }): Promise<FlowResult> {
  const result = found.result as { ok?: boolean; code?: RefusalCode; detail?: Record<string, string | number> } | null;
  if (found.status === 'refused' || result?.ok === false) {
    return { ok: false, code: result?.code ?? 'invalid_command', ...(result?.detail ? { detail: result.detail } : {}), duplicate: true };
  }
  const { state } =
    known && found.consultationId === known.id
      ? known
      : found.consultationId
        ? await loadState(deps, found.consultationId)
        : { state: undefined };
  if (!state) return { ok: false, code: 'not_found', duplicate: true };
  return { ok: true, state, events: [], duplicate: true };
}

export async function execute(deps: FlowDeps, command: Command, options: ExecuteOptions): Promise<FlowResult> {
  // The flow's span (src/tracing.ts): closed-set values and the consultation id only, never who.
  return inSpan('flow.execute', { attributes: { 'crm.command': command.type, 'crm.platform': command.actor.platform, 'crm.consultation_id': command.consultationId } }, async (span) => {
    const started = performance.now();
    const result = await executeOnce(deps, command, options);
    const outcome = result.duplicate ? 'duplicate' : result.ok ? 'ok' : result.code;
    setAttributes(span, { 'crm.outcome': outcome, 'crm.decision': result.ok ? 'applied' : 'refused' });
    deps.observe?.(command.type, outcome, (performance.now() - started) / 1000);
    return result;
  });
}

async function executeOnce(deps: FlowDeps, command: Command, options: ExecuteOptions): Promise<FlowResult> {
  const { key } = options;
  // With loadForCommand, the command log and the consultation are read together (one round trip), in turn.
  const together = deps.store.loadForCommand?.bind(deps.store);
  if (!together) {
    const seen = await deps.store.findCommand(key);
    if (seen) return previousAnswer(deps, seen);
  }

  const maxAttempts = options.maxAttempts ?? 12;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    // One decision at a time per consultation in this process; conflicts remain only across processes.
    const release = await turn(deps.store, command.consultationId);
    try {
      let loaded: { state?: ConsultationState; version: number };
      if (together && attempt === 1) {
        const both = await together(command.consultationId, key);
        loaded = both.consultation ? { state: both.consultation.snapshot as ConsultationState, version: both.consultation.version } : { version: 0 };
        if (both.command) {
          release();
          return await previousAnswer(deps, both.command, { id: command.consultationId, ...(loaded.state ? { state: loaded.state } : {}) });
        }
      } else loaded = await loadState(deps, command.consultationId);
      const { state, version } = loaded;
      const now = deps.clock.now();
      const policy = state?.calendarPolicy ?? (command.type === 'start' ? command.calendarPolicy : undefined) ?? 'secretariat';
      const decision = decide(state, command, { now, calendar: calendarFor(deps, policy) });
      const record = {
        key,
        type: command.type,
        actorPersonId: command.actor.personId,
        actorPlatform: command.actor.platform,
      };

      if (!decision.ok) {
        if (decision.code === 'internal_error') {
          deps.logger?.error({ consultationId: command.consultationId, command: command.type, detail: decision.detail }, 'decide failed unexpectedly');
        } else {
          deps.logger?.info(
            // Who, by role and country only: the person id is an e-mail address, and addresses stay out of logs
            // (the command log in the database keeps who it was).
            {
              consultationId: command.consultationId,
              command: command.type,
              refusal: decision.code,
              platform: command.actor.platform,
              actorCountry: command.actor.country ?? null,
              actorIsStaff: command.actor.isStaff,
            },
            'command refused',
          );
        }
        const result = { ok: false, code: decision.code, ...(decision.detail ? { detail: decision.detail } : {}) };
        // A "not yet" refusal is logged under a derived key, so the same key (a close job that fired early
        // and is retried) can still apply later instead of getting this refusal back forever.
        const logKey = NOT_YET.has(decision.code) ? `${key}@${now.toISOString()}` : key;
        const fresh = await deps.store.recordRefusal({
          ...record,
          key: logKey,
          result,
          attempt: attemptOf(command.actor, command, now),
          consultationId: state ? command.consultationId : null,
        });
        if (!fresh) {
          const again = await deps.store.findCommand(logKey);
          if (again) return previousAnswer(deps, again);
        }
        return { ...result, ok: false, duplicate: false };
      }

      const after = decision.events.reduce<ConsultationState | undefined>((s, e) => evolve(s, e), state);
      if (!after) throw new Error('a decision with no resulting state');
      const outbox = [
        ...messagesFor({
          before: state,
          events: decision.events,
          after,
          directory: deps.directory.current(),
          ...(options.cardUpdatedFor ? { cardUpdatedFor: options.cardUpdatedFor } : {}),
        }),
        ...(options.extraOutbox?.(after, decision.events) ?? []),
      ];
      let appended;
      try {
        appended = await deps.store.append({
          consultationId: command.consultationId,
          expectedVersion: version,
          events: decision.events.map((e) => ({
            type: e.type,
            payload: e,
            actorPersonId: e.actor.personId === 'system' ? null : e.actor.personId,
            actorPlatform: e.actor.platform,
            at: new Date(e.at),
          })),
          snapshot: after,
          ...(state ? { previousSnapshot: state } : {}),
          stage: after.stage,
          title: after.title,
          reference: after.reference,
          deadline: after.deadline ? new Date(after.deadline) : null,
          deadlineVersion: after.deadlineVersion,
          outcome: after.outcome ?? null,
          outbox,
          command: { ...record, result: { ok: true, events: decision.events.map((e) => e.type) } },
          ...(options.inbox ? { inboxProcessed: options.inbox.id } : {}),
        });
        if (appended.inboxMarked) options.inbox?.processed();
      } catch (e) {
        if (e instanceof ConcurrencyConflict) {
          // Another process got there first; whoever lost reloaded at once and would collide again: spread out.
          release();
          if (attempt < maxAttempts) await sleep(conflictBackoffMs(attempt));
          continue;
        }
        if (e instanceof DuplicateCommand) {
          const again = await deps.store.findCommand(key);
          if (again) return previousAnswer(deps, again);
        }
        throw e;
      }
      // A position or a Troika reaction is a click, many a minute under load: its line is debug (the command
      // log in the database keeps every one); the rest of a consultation's life stays at info.
      const applied = { consultationId: command.consultationId, command: command.type, events: decision.events.map((e) => e.type), messages: outbox.length };
      if (PER_CLICK.has(command.type)) deps.logger?.debug?.(applied, 'command applied');
      else deps.logger?.info(applied, 'command applied');
      release();
      if (deps.afterCommit) {
        try {
          await deps.afterCommit(after, { events: decision.events, outboxIds: appended.outboxIds, ...(appended.firstOutboxIds ? { firstOutboxIds: appended.firstOutboxIds } : {}), before: state });
        } catch (err) {
          deps.logger?.error({ err, consultationId: command.consultationId }, 'after-commit scheduling failed; reconcile will repair it');
        }
      }
      return { ok: true, state: after, events: decision.events, duplicate: false };
    } finally {
      release();
    }
  }
  throw new FlowConflictError(command.consultationId, maxAttempts);
}
