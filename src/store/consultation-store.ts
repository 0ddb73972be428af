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
  /**
   * The state the decision was made on, exactly as loaded at `expectedVersion` (optional). With it, only
   * what changed is sent: top-level keys whose value is a new object, and for arrays that only grew, the
   * new elements (compared by reference, so unchanged parts of an immutable update are never serialised).
   * The version guard makes the patch safe: it applies to the row only if the row is still that state.
   */
  previousSnapshot?: unknown;
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
  /**
   * The inbox row (src/store/inbox-store.ts) of the request this decision answers: marked processed in the
   * same statement, so a click costs no round trip after its decision and its row is done exactly when its
   * decision is written. Ignored when the row is already processed, and on the append that creates a
   * consultation (version 0: decisions on an existing one only).
   */
  inboxProcessed?: string;
}

export interface AppendResult {
  /** The consultation's version after this append (expectedVersion + 1). */
  version: number;
  /** Sequence numbers given to the events, in order. */
  seqs: number[];
  /** Ids of the outbox rows this append created (duplicates by dedupe key are not included). */
  outboxIds: string[];
  /** True when `inboxProcessed` was given and that row was marked processed by this append. */
  inboxMarked?: boolean;
  /** Those of them to deliver before the others (deliverFirst: the clicker's own card update). */
  firstOutboxIds?: string[];
}

/** Rows a person is waiting to see after their own click (their card updated): delivered first. */
export const deliverFirst = (kind: string): boolean => kind === 'card_update';

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

/** A consultation and a command record, read together (one round trip before a decision). */
export interface LoadedForCommand {
  consultation?: StoredConsultation;
  command?: StoredCommand;
}

/** A top-level change of a JSON object: keys set, keys removed, arrays appended to. */
export interface SnapshotPatch {
  set: Record<string, unknown>;
  unset: string[];
  append: Record<string, unknown[]>;
}

/**
 * What changed between two states of one JSON object, at the top level, by reference: unchanged keys of an
 * immutable update (`{ ...s, positions: … }`) share their values and cost nothing; an array whose old
 * elements are all still there, in place, is an append. Undefined for a non-object.
 */
export function snapshotPatch(before: unknown, after: unknown): SnapshotPatch | undefined {
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(before) || !isObject(after)) return undefined;
  const patch: SnapshotPatch = { set: {}, unset: [], append: {} };
  for (const [k, v] of Object.entries(after)) {
    const was = before[k];
    if (v === was) continue;
    if (v === undefined) {
      if (was !== undefined) patch.unset.push(k);
      continue;
    }
    if (Array.isArray(v) && Array.isArray(was) && v.length >= was.length && was.every((x, i) => v[i] === x)) {
      if (v.length > was.length) patch.append[k] = v.slice(was.length);
      continue;
    }
    patch.set[k] = v;
  }
  for (const k of Object.keys(before)) if (!(k in after) && before[k] !== undefined) patch.unset.push(k);
  return patch;
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

  /** The consultation and the command recorded under `key`, each if any, in one round trip. */
  async loadForCommand(id: string, key: string): Promise<LoadedForCommand> {
    const rows = await this.prisma.$queryRawUnsafe<Record<string, unknown>[]>(
      `SELECT c.id, c.reference, c.stage, c.title, c.version, c.snapshot, c.deadline, c.deadline_version, c.outcome,
              c.created_at, c.updated_at,
              k.key AS k_key, k.consultation_id AS k_consultation_id, k.type AS k_type, k.status AS k_status,
              k.result AS k_result, k.actor_person_id AS k_actor_person_id, k.actor_platform AS k_actor_platform,
              k.attempt AS k_attempt, k.created_at AS k_created_at
       FROM (SELECT 1) AS one
       LEFT JOIN consultations c ON c.id = $1
       LEFT JOIN command_log k ON k.key = $2`,
      id,
      key,
    );
    const r = rows[0] ?? {};
    const out: LoadedForCommand = {};
    if (r['id'] !== null && r['id'] !== undefined) {
      out.consultation = {
        id: r['id'] as string,
        reference: r['reference'] as string,
        stage: r['stage'] as string,
        title: r['title'] as string,
        version: Number(r['version']),
        snapshot: r['snapshot'],
        deadline: asDate(r['deadline']),
        deadlineVersion: Number(r['deadline_version']),
        outcome: (r['outcome'] as string | null) ?? null,
        createdAt: asDate(r['created_at'])!,
        updatedAt: asDate(r['updated_at'])!,
      };
    }
    if (r['k_key'] !== null && r['k_key'] !== undefined) {
      out.command = {
        key: r['k_key'] as string,
        type: r['k_type'] as string,
        status: r['k_status'] === 'refused' ? 'refused' : 'applied',
        consultationId: (r['k_consultation_id'] as string | null) ?? null,
        result: r['k_result'],
        actorPersonId: (r['k_actor_person_id'] as string | null) ?? null,
        actorPlatform: (r['k_actor_platform'] as string | null) ?? null,
        attempt: r['k_attempt'] ?? null,
        createdAt: asDate(r['k_created_at'])!,
      };
    }
    return out;
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
    if (expectedVersion > 0) return this.appendInOneStatement(input, version, now);

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
      let firstOutboxIds: string[] = [];
      if (input.outbox && input.outbox.length > 0) {
        const rows = await tx.outboxMessage.createManyAndReturn({
          data: input.outbox.map((m) => outboxRow(m, id, now)),
          skipDuplicates: true,
          select: { id: true, kind: true },
        });
        outboxIds = rows.map((r) => r.id);
        firstOutboxIds = rows.filter((r) => deliverFirst(r.kind)).map((r) => r.id);
      }
      return { version, seqs, outboxIds, ...(firstOutboxIds.length ? { firstOutboxIds } : {}) };
    }, TX_OPTIONS);
  }

  /**
   * An append to an existing consultation as ONE statement, so one round trip and its own transaction
   * (a statement is atomic): the snapshot row is updated only at `expectedVersion`; the command record,
   * the events and the outbox rows are inserted only from that update's row, so a version conflict writes
   * nothing; a command key recorded meanwhile breaks the command record's primary key and the whole
   * statement is undone (DuplicateCommand). Event numbers follow the last one visible to the statement:
   * when the version guard passes, no other append committed since (each bumps the version), and the
   * unique (consultation_id, seq) index stands behind it anyway.
   */
  private async appendInOneStatement(input: AppendInput, version: number, now: Date): Promise<AppendResult> {
    const id = input.consultationId;
    const at = now.toISOString();
    const patch = input.previousSnapshot === undefined ? undefined : snapshotPatch(input.previousSnapshot, input.snapshot);
    const params: unknown[] = [];
    const p = (v: unknown): string => {
      params.push(v);
      return `$${params.length}`;
    };
    // The new snapshot: the whole state, or the old one with the patch applied.
    let snapshot: string;
    if (!patch) snapshot = `${p(JSON.stringify(input.snapshot))}::jsonb`;
    else {
      snapshot = `(c.snapshot - ARRAY(SELECT jsonb_array_elements_text(${p(JSON.stringify(patch.unset))}::jsonb)))`;
      if (Object.keys(patch.set).length > 0) snapshot = `(${snapshot} || ${p(JSON.stringify(patch.set))}::jsonb)`;
      for (const [k, added] of Object.entries(patch.append)) {
        const key = p(k);
        snapshot = `jsonb_set(${snapshot}, ARRAY[${key}::text], COALESCE(c.snapshot -> ${key}::text, '[]'::jsonb) || ${p(JSON.stringify(added))}::jsonb)`;
      }
    }
    const cmd = input.command;
    const inboxId = input.inboxProcessed !== undefined && /^\d{1,19}$/.test(input.inboxProcessed) ? input.inboxProcessed : null;
    const outbox = (input.outbox ?? []).map((m) => {
      const row = outboxRow(m, id, now);
      return {
        id: row.id as string,
        dedupeKey: row.dedupeKey,
        platform: row.platform,
        recipient: m.recipient,
        kind: row.kind,
        payload: m.payload,
        replaceKey: replaceKeyOf(m.payload),
        nextAttemptAt: (m.notBefore ?? now).toISOString(),
      };
    });
    const events = input.events.map((e) => ({
      type: e.type,
      payload: e.payload,
      actorPersonId: e.actorPersonId ?? null,
      actorPlatform: e.actorPlatform,
      at: e.at.toISOString(),
    }));
    const sql = `
      WITH upd AS (
        UPDATE consultations c SET
          version = ${p(version)}::int, stage = ${p(input.stage)}, title = ${p(input.title)}, snapshot = ${snapshot},
          deadline = ${p(input.deadline ? input.deadline.toISOString() : null)}::timestamptz,
          deadline_version = ${p(input.deadlineVersion)}::int, outcome = ${p(input.outcome ?? null)}::text,
          updated_at = ${p(at)}::timestamptz
        WHERE c.id = ${p(id)} AND c.version = ${p(input.expectedVersion)}::int
        RETURNING c.id
      ), cmd AS (
        INSERT INTO command_log (key, consultation_id, type, status, result, actor_person_id, actor_platform, attempt, created_at)
        SELECT ${p(cmd.key)}, upd.id, ${p(cmd.type)}, 'applied', ${p(JSON.stringify(cmd.result))}::jsonb,
               ${p(cmd.actorPersonId ?? null)}::text, ${p(cmd.actorPlatform ?? null)}::text,
               ${p(cmd.attempt === undefined ? null : JSON.stringify(cmd.attempt))}::jsonb, ${p(at)}::timestamptz
        FROM upd
        RETURNING key
      ), last AS (
        SELECT COALESCE(MAX(seq), 0) AS seq FROM consultation_events WHERE consultation_id = ${p(id)}
      ), ev AS (
        INSERT INTO consultation_events (consultation_id, seq, type, payload, actor_person_id, actor_platform, at)
        SELECT upd.id, last.seq + e.n::int, e.v ->> 'type', e.v -> 'payload', e.v ->> 'actorPersonId', e.v ->> 'actorPlatform',
               (e.v ->> 'at')::timestamptz
        FROM upd, last, jsonb_array_elements(${p(JSON.stringify(events))}::jsonb) WITH ORDINALITY AS e(v, n)
        RETURNING seq
      ), ob AS (
        INSERT INTO outbox (id, consultation_id, dedupe_key, platform, recipient, kind, payload, replace_key, next_attempt_at, created_at)
        SELECT m.v ->> 'id', upd.id, m.v ->> 'dedupeKey', m.v ->> 'platform', m.v -> 'recipient', m.v ->> 'kind', m.v -> 'payload',
               m.v ->> 'replaceKey', (m.v ->> 'nextAttemptAt')::timestamptz, ${p(at)}::timestamptz
        FROM upd, jsonb_array_elements(${p(JSON.stringify(outbox))}::jsonb) AS m(v)
        ON CONFLICT (dedupe_key) DO NOTHING
        RETURNING id
      ), ib AS (
        UPDATE inbox i SET processed_at = ${p(at)}::timestamptz, attempts = i.attempts + 1, last_error = NULL
        FROM upd WHERE i.id = ${p(inboxId)}::bigint AND i.processed_at IS NULL
        RETURNING i.id
      )
      SELECT (SELECT count(*) FROM upd)::int AS updated,
             (SELECT count(*) FROM ib)::int AS inbox_marked,
             (SELECT seq FROM last)::int AS last_seq,
             (SELECT count(*) FROM cmd)::int AS commands,
             (SELECT count(*) FROM ev)::int AS events,
             COALESCE((SELECT array_agg(id) FROM ob), ARRAY[]::text[]) AS outbox_ids,
             (SELECT version FROM consultations WHERE id = ${p(id)}) AS current_version`;
    let rows: { updated: number; inbox_marked: number; last_seq: number; commands: number; events: number; outbox_ids: string[]; current_version: number | null }[];
    try {
      rows = await this.prisma.$queryRawUnsafe(sql, ...params);
    } catch (e) {
      if (isUniqueViolation(e, 'command_log_pkey')) throw new DuplicateCommand(cmd.key);
      throw e;
    }
    const r = rows[0];
    if (!r || Number(r.updated) === 0) {
      throw new ConcurrencyConflict(id, input.expectedVersion, r?.current_version === null || r?.current_version === undefined ? undefined : Number(r.current_version));
    }
    if (Number(r.commands) !== 1 || Number(r.events) !== events.length) {
      throw new Error(`append ${id}: wrote ${r.commands} command records and ${r.events} of ${events.length} events`);
    }
    const inserted = new Set(r.outbox_ids);
    const firstOutboxIds = outbox.filter((m) => inserted.has(m.id) && deliverFirst(m.kind)).map((m) => m.id);
    return {
      version,
      seqs: events.map((_, i) => Number(r.last_seq) + 1 + i),
      outboxIds: outbox.filter((m) => inserted.has(m.id)).map((m) => m.id),
      ...(inboxId !== null ? { inboxMarked: Number(r.inbox_marked) === 1 } : {}),
      ...(firstOutboxIds.length ? { firstOutboxIds } : {}),
    };
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

function asDate(v: unknown): Date | null {
  if (v === null || v === undefined) return null;
  return v instanceof Date ? v : new Date(String(v));
}

/** A unique violation (23505) of `constraint`, however the driver adapter wraps it. */
function isUniqueViolation(e: unknown, constraint: string): boolean {
  const seen = new Set<unknown>();
  const walk = (x: unknown): boolean => {
    if (x === null || typeof x !== 'object' || seen.has(x)) return false;
    seen.add(x);
    const o = x as Record<string, unknown>;
    const text = `${String(o['message'] ?? '')} ${String(o['constraint'] ?? '')}`;
    if ((o['code'] === '23505' || o['originalCode'] === '23505' || text.includes('23505') || /unique/i.test(text)) && text.includes(constraint)) return true;
    return ['meta', 'cause', 'driverAdapterError', 'originalError'].some((k) => walk(o[k]));
  };
  return walk(e);
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
