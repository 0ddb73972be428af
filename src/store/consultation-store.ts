/**
 * Persistence of consultations: the snapshot row, its append-only event log, the outbox and the
 * command log, always written together in one transaction with optimistic concurrency.
 *
 * Generic over the domain's JSON: snapshots, event payloads, messages and command results are
 * `unknown` here and only the domain gives them meaning. Nothing in this file imports src/domain.
 */
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';
import { randomUUID } from 'node:crypto';
import { ConcurrencyConflict, DuplicateCommand } from './errors.ts';
import { toJson } from './json.ts';

export { ConcurrencyConflict, DuplicateCommand } from './errors.ts';

export interface NewEvent {
  type: string;
  payload: unknown;
  actorPersonId?: string | null;
  /** slack | teams | console | cli | system */
  actorPlatform: string;
  /** When it happened, by the domain's clock. */
  at: Date;
}

export interface NewOutboxMessage {
  /** Unique forever: a second message with the same key is silently not enqueued. */
  dedupeKey: string;
  platform: string;
  recipient: unknown;
  kind: string;
  /** The platform-neutral message. */
  payload: unknown;
  /** Not before (default: now). */
  notBefore?: Date;
}

export interface CommandRecord {
  /** Idempotency key: the same key is never decided twice. */
  key: string;
  type: string;
  actorPersonId?: string | null;
  actorPlatform?: string | null;
  /** The decision, as JSON: the events appended or the refusal code. */
  result: unknown;
  /** Refusals: what was attempted, as JSON (flows/attempt.ts), for the audit record. */
  attempt?: unknown;
}

export interface AppendInput {
  consultationId: string;
  /** The version the decision was made on; 0 creates the consultation. */
  expectedVersion: number;
  events: readonly NewEvent[];
  /** The whole domain state after the events. */
  snapshot: unknown;
  stage: string;
  title: string;
  /** Written when the consultation is created; immutable afterwards (ignored on later appends). */
  reference: string;
  /** The current deadline; absent or null means none. */
  deadline?: Date | null;
  deadlineVersion: number;
  outcome?: string | null;
  outbox?: readonly NewOutboxMessage[];
  command: CommandRecord;
}

export interface AppendResult {
  /** The consultation's version after this append (expectedVersion + 1). */
  version: number;
  /** Sequence numbers given to the events, in order. */
  seqs: number[];
  /** Ids of the outbox rows this append created (duplicates by dedupe key are not included). */
  outboxIds: string[];
}

export interface StoredConsultation {
  id: string;
  reference: string;
  stage: string;
  title: string;
  version: number;
  snapshot: unknown;
  deadline: Date | null;
  deadlineVersion: number;
  outcome: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export type ConsultationSummary = Omit<StoredConsultation, 'snapshot'>;

export interface StoredEvent {
  consultationId: string;
  seq: number;
  type: string;
  payload: unknown;
  actorPersonId: string | null;
  actorPlatform: string;
  at: Date;
  recordedAt: Date;
}

export interface StoredCommand {
  key: string;
  type: string;
  status: 'applied' | 'refused';
  consultationId: string | null;
  result: unknown;
  actorPersonId: string | null;
  actorPlatform: string | null;
  /** Refusals recorded since the audit record needs it: what was attempted (flows/attempt.ts). */
  attempt: unknown;
  createdAt: Date;
}

const TX_OPTIONS = { maxWait: 10_000, timeout: 20_000 } as const;

const SUMMARY_SELECT = {
  id: true,
  reference: true,
  stage: true,
  title: true,
  version: true,
  deadline: true,
  deadlineVersion: true,
  outcome: true,
  createdAt: true,
  updatedAt: true,
} as const satisfies Prisma.ConsultationSelect;

export function formatReference(year: number, n: number): string {
  return `CRM-${year}-${String(n).padStart(3, '0')}`;
}

export class ConsultationStore {
  constructor(private readonly prisma: PrismaClient) {}

  async load(id: string): Promise<StoredConsultation | undefined> {
    return (await this.prisma.consultation.findUnique({ where: { id } })) ?? undefined;
  }

  async loadByReference(reference: string): Promise<StoredConsultation | undefined> {
    return (await this.prisma.consultation.findUnique({ where: { reference } })) ?? undefined;
  }

  /**
   * Writes the events, the new snapshot, the outbox messages and the command record in one
   * transaction, or nothing at all.
   * @throws ConcurrencyConflict when the consultation is not at `expectedVersion` (or, for 0, already exists)
   * @throws DuplicateCommand when `command.key` is already recorded
   */
  async append(input: AppendInput): Promise<AppendResult> {
    const { consultationId: id, expectedVersion } = input;
    if (!Number.isInteger(expectedVersion) || expectedVersion < 0) {
      throw new RangeError(`expectedVersion must be a non-negative integer, got ${expectedVersion}`);
    }
    const version = expectedVersion + 1;
    const now = new Date();

    return this.prisma.$transaction(async (tx) => {
      // 1. The command, first: a concurrent duplicate waits here for us, then finds the key taken.
      const command = await tx.commandLog.createMany({
        data: [commandRow(input.command, 'applied', id)],
        skipDuplicates: true,
      });
      if (command.count === 0) throw new DuplicateCommand(input.command.key);

      // 2. The snapshot, guarded by the version.
      const state = {
        stage: input.stage,
        title: input.title,
        snapshot: toJson(input.snapshot),
        deadline: input.deadline ?? null,
        deadlineVersion: input.deadlineVersion,
        outcome: input.outcome ?? null,
      };
      let firstSeq = 1;
      if (expectedVersion === 0) {
        const created = await tx.consultation.createMany({
          data: [{ id, reference: input.reference, version, ...state, createdAt: now, updatedAt: now }],
          skipDuplicates: true,
        });
        if (created.count === 0) {
          const existing = await tx.consultation.findUnique({ where: { id }, select: { version: true } });
          if (existing) throw new ConcurrencyConflict(id, expectedVersion, existing.version);
          throw new Error(`Reference ${input.reference} is already used by another consultation`);
        }
      } else {
        const updated = await tx.consultation.updateMany({
          where: { id, version: expectedVersion },
          data: { version, ...state, updatedAt: now },
        });
        if (updated.count === 0) {
          const existing = await tx.consultation.findUnique({ where: { id }, select: { version: true } });
          throw new ConcurrencyConflict(id, expectedVersion, existing?.version);
        }
        // The row is locked by our update: nobody else can append events to it until we commit.
        const last = await tx.consultationEvent.aggregate({ where: { consultationId: id }, _max: { seq: true } });
        firstSeq = (last._max.seq ?? 0) + 1;
      }

      // 3. The events.
      const seqs = input.events.map((_, i) => firstSeq + i);
      if (input.events.length > 0) {
        await tx.consultationEvent.createMany({
          data: input.events.map((e, i) => ({
            consultationId: id,
            seq: firstSeq + i,
            type: e.type,
            payload: toJson(e.payload),
            actorPersonId: e.actorPersonId ?? null,
            actorPlatform: e.actorPlatform,
            at: e.at,
          })),
        });
      }

      // 4. The messages; one already enqueued under the same dedupe key is not enqueued again.
      let outboxIds: string[] = [];
      if (input.outbox && input.outbox.length > 0) {
        const rows = await tx.outboxMessage.createManyAndReturn({
          data: input.outbox.map((m) => outboxRow(m, id, now)),
          skipDuplicates: true,
          select: { id: true },
        });
        outboxIds = rows.map((r) => r.id);
      }
      return { version, seqs, outboxIds };
    }, TX_OPTIONS);
  }

  /** Records a refused command (the audit logs every attempt). False when the key was already recorded. */
  async recordRefusal(command: CommandRecord & { consultationId?: string | null }): Promise<boolean> {
    const r = await this.prisma.commandLog.createMany({
      data: [commandRow(command, 'refused', command.consultationId ?? null)],
      skipDuplicates: true,
    });
    return r.count === 1;
  }

  async findCommand(key: string): Promise<StoredCommand | undefined> {
    const row = await this.prisma.commandLog.findUnique({ where: { key } });
    if (!row) return undefined;
    return { ...row, status: row.status === 'refused' ? 'refused' : 'applied' };
  }

  /** The refused attempts on a consultation, oldest first (the audit record's "who tried what, and why not"). */
  async refusals(consultationId: string): Promise<StoredCommand[]> {
    const rows = await this.prisma.commandLog.findMany({
      where: { consultationId, status: 'refused' },
      orderBy: [{ createdAt: 'asc' }, { key: 'asc' }],
    });
    return rows.map((row) => ({ ...row, status: 'refused' as const }));
  }

  /** Summaries (no snapshot), oldest first; `stage` filters by one stage or any of several. */
  async listConsultations(filter: { stage?: string | readonly string[] } = {}): Promise<ConsultationSummary[]> {
    const stage = filter.stage;
    const where: Prisma.ConsultationWhereInput =
      stage === undefined ? {} : typeof stage === 'string' ? { stage } : { stage: { in: [...stage] } };
    return this.prisma.consultation.findMany({ where, select: SUMMARY_SELECT, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
  }

  /**
   * The next reference of the year (CRM-2026-001, CRM-2026-002, …): atomic, no two callers get the
   * same number and none is skipped. A number taken by a caller that then fails to create its
   * consultation stays unused.
   */
  async nextReference(year: number): Promise<string> {
    if (!Number.isInteger(year) || year < 2000 || year > 9999) throw new RangeError(`Bad year ${year}`);
    const rows = await this.prisma.$queryRaw<{ last: number }[]>`
      INSERT INTO reference_counters (year, last) VALUES (${year}, 1)
      ON CONFLICT (year) DO UPDATE SET last = reference_counters.last + 1
      RETURNING last`;
    const last = rows[0]?.last;
    if (last === undefined) throw new Error('reference counter returned no row');
    return formatReference(year, Number(last));
  }

  /** The event log of a consultation, in order. */
  async events(consultationId: string): Promise<StoredEvent[]> {
    const rows = await this.prisma.consultationEvent.findMany({
      where: { consultationId },
      orderBy: { seq: 'asc' },
      omit: { id: true },
    });
    return rows;
  }
}

function commandRow(c: CommandRecord, status: 'applied' | 'refused', consultationId: string | null): Prisma.CommandLogCreateManyInput {
  return {
    key: c.key,
    type: c.type,
    status,
    consultationId,
    result: toJson(c.result),
    actorPersonId: c.actorPersonId ?? null,
    actorPlatform: c.actorPlatform ?? null,
    ...(c.attempt !== undefined ? { attempt: toJson(c.attempt) } : {}),
  };
}

export function outboxRow(m: NewOutboxMessage, consultationId: string | null, now: Date): Prisma.OutboxMessageCreateManyInput {
  return {
    id: randomUUID(),
    consultationId,
    dedupeKey: m.dedupeKey,
    platform: m.platform,
    recipient: toJson(m.recipient),
    kind: m.kind,
    payload: toJson(m.payload),
    replaceKey: replaceKeyOf(m.payload),
    nextAttemptAt: m.notBefore ?? now,
    createdAt: now,
  };
}

/** `payload.replaceKey` when it is a string (messages that replace an earlier one in place), else null. */
export function replaceKeyOf(payload: unknown): string | null {
  const key = (payload as { replaceKey?: unknown } | null)?.replaceKey;
  return typeof key === 'string' ? key : null;
}
