/**
 * Reminders handed to the outbox, at most once per (consultation, country, person, slot, deadline
 * version): the `reminders_sent` row and the outbox row are written in one transaction, and a second
 * attempt (a retried job, a duplicate job, a second worker) finds the row and writes nothing.
 *
 * Also the few outbox/consultation reads the jobs layer needs (pending outbox ids for reconcile).
 */
import type { PrismaClient } from '../generated/prisma/client.ts';
import { outboxRow, type NewOutboxMessage } from '../store/consultation-store.ts';

export interface ReminderKey {
  consultationId: string;
  country: string;
  personId: string;
  slot: string;
  deadlineVersion: number;
}

export interface SentReminder extends ReminderKey {
  dueAt: Date;
  outboxId: string | null;
  sentAt: Date;
}

/** One reminder of a `recordMany` batch: its key, its planned instant, its message, and the consultation
 * version its re-check was made on. */
export interface RecordEntry {
  key: ReminderKey;
  dueAt: Date;
  message: NewOutboxMessage;
  version: number;
}

export type RecordResult = { status: 'claimed'; outboxId: string } | { status: 'exists'; pendingOutboxId?: string } | { status: 'moved' };

export const reminderKeyString = (k: ReminderKey): string =>
  `${k.consultationId}|${k.country}|${k.personId}|${k.slot}|${k.deadlineVersion}`;

export class ReminderStore {
  constructor(private readonly prisma: PrismaClient) {}

  /**
   * Records several reminders in one statement (one round trip, one transaction: all of them or none).
   * Each entry carries the consultation `version` its re-check was made on: an entry is claimed only while
   * the consultation is still at that version (a position recorded meanwhile makes it `moved`, and the
   * caller re-checks on the fresh state). Per entry, in order:
   *  - `claimed`: reminders_sent and outbox rows written now (`outboxId`);
   *  - `exists`: recorded before; `pendingOutboxId` is its outbox row when that one is still pending (a
   *    batch that committed but crashed before queuing its deliveries: the replay queues them again);
   *  - `moved`: the consultation changed since `version` (nothing written).
   * The consultation rows are share-locked until the statement commits, so an append (a position) either
   * lands before (the entry is `moved`) or waits until after the reminder was recorded.
   * Keys must be distinct within one call.
   */
  async recordMany(entries: readonly RecordEntry[], now: Date = new Date()): Promise<RecordResult[]> {
    if (entries.length === 0) return [];
    const at = now.toISOString();
    const rows = entries.map((e) => ({ e, row: outboxRow(e.message, e.key.consultationId, now) }));
    const col = <T>(f: (x: (typeof rows)[number]) => T): T[] => rows.map(f);
    const found = await this.prisma.$queryRaw<{ outbox_id: string; guarded: boolean; claimed: boolean; theirs: string | null; status: string | null }[]>`
      WITH input AS (
        SELECT * FROM unnest(
          ${col((x) => x.e.key.consultationId)}::text[], ${col((x) => x.e.key.country)}::text[],
          ${col((x) => x.e.key.personId)}::text[], ${col((x) => x.e.key.slot)}::text[],
          ${col((x) => x.e.key.deadlineVersion)}::int[], ${col((x) => x.e.dueAt.toISOString())}::text[],
          ${col((x) => x.row.id)}::text[], ${col((x) => x.e.version)}::int[], ${col((x) => x.row.dedupeKey)}::text[],
          ${col((x) => x.row.platform)}::text[], ${col((x) => JSON.stringify(x.e.message.recipient))}::text[],
          ${col((x) => x.row.kind)}::text[], ${col((x) => JSON.stringify(x.e.message.payload))}::text[]
        ) AS t(consultation_id, country, person_id, slot, deadline_version, due_at, outbox_id, version, dedupe_key, platform, recipient, kind, payload)
      ),
      guarded AS (
        SELECT i.* FROM input i JOIN consultations c ON c.id = i.consultation_id AND c.version = i.version
        FOR SHARE OF c
      ),
      claimed AS (
        INSERT INTO reminders_sent (consultation_id, country, person_id, slot, deadline_version, due_at, outbox_id, sent_at)
        SELECT consultation_id, country, person_id, slot, deadline_version, due_at::timestamptz, outbox_id, ${at}::timestamptz
        FROM guarded
        ON CONFLICT DO NOTHING
        RETURNING outbox_id
      ),
      inserted AS (
        INSERT INTO outbox (id, consultation_id, dedupe_key, platform, recipient, kind, payload, next_attempt_at, created_at)
        SELECT g.outbox_id, g.consultation_id, g.dedupe_key, g.platform, g.recipient::jsonb, g.kind, g.payload::jsonb,
               ${at}::timestamptz, ${at}::timestamptz
        FROM guarded g JOIN claimed c ON c.outbox_id = g.outbox_id
        ON CONFLICT DO NOTHING
        RETURNING id
      ),
      existing AS (
        SELECT g.outbox_id, rs.outbox_id AS theirs, o.status
        FROM guarded g
        JOIN reminders_sent rs ON rs.consultation_id = g.consultation_id AND rs.country = g.country
          AND rs.person_id = g.person_id AND rs.slot = g.slot AND rs.deadline_version = g.deadline_version
        LEFT JOIN outbox o ON o.id = rs.outbox_id
      )
      SELECT i.outbox_id, (g.outbox_id IS NOT NULL) AS guarded, (n.id IS NOT NULL) AS claimed, e.theirs, e.status
      FROM input i
      LEFT JOIN guarded g ON g.outbox_id = i.outbox_id
      LEFT JOIN inserted n ON n.id = i.outbox_id
      LEFT JOIN existing e ON e.outbox_id = i.outbox_id`;
    const byId = new Map(found.map((r) => [r.outbox_id, r]));
    return rows.map(({ row }): RecordResult => {
      const r = byId.get(row.id!);
      if (!r || !r.guarded) return { status: 'moved' };
      if (r.claimed) return { status: 'claimed', outboxId: row.id! };
      return r.theirs && r.status === 'pending' ? { status: 'exists', pendingOutboxId: r.theirs } : { status: 'exists' };
    });
  }

  /** The snapshots and versions of several consultations, in one query (a batch of reminders re-checks on them). */
  async loadSnapshots(ids: readonly string[]): Promise<Map<string, { snapshot: unknown; version: number }>> {
    if (ids.length === 0) return new Map();
    const rows = await this.prisma.consultation.findMany({ where: { id: { in: [...ids] } }, select: { id: true, snapshot: true, version: true } });
    return new Map(rows.map((r) => [r.id, { snapshot: r.snapshot, version: r.version }]));
  }

  /** Reminders recorded for a consultation, as `reminderKeyString`s. */
  async sentKeys(consultationId: string): Promise<Set<string>> {
    const rows = await this.prisma.reminderSent.findMany({
      where: { consultationId },
      select: { consultationId: true, country: true, personId: true, slot: true, deadlineVersion: true },
    });
    return new Set(rows.map(reminderKeyString));
  }

  /** Reminders recorded for several consultations at once (reconcile). */
  async sentKeysFor(consultationIds: readonly string[]): Promise<Set<string>> {
    if (consultationIds.length === 0) return new Set();
    const rows = await this.prisma.reminderSent.findMany({
      where: { consultationId: { in: [...consultationIds] } },
      select: { consultationId: true, country: true, personId: true, slot: true, deadlineVersion: true },
    });
    return new Set(rows.map(reminderKeyString));
  }

  async list(consultationId?: string): Promise<SentReminder[]> {
    return this.prisma.reminderSent.findMany({
      where: consultationId ? { consultationId } : {},
      orderBy: [{ sentAt: 'asc' }, { personId: 'asc' }],
    });
  }

  /** Ids of every pending outbox row, oldest first, in pages (reconcile re-enqueues their delivery). */
  async *pendingOutboxIds(pageSize = 1_000): AsyncGenerator<string[]> {
    let cursor: { createdAt: Date; id: string } | undefined;
    for (;;) {
      const rows: { id: string; createdAt: Date }[] = await this.prisma.outboxMessage.findMany({
        where: {
          status: 'pending',
          ...(cursor
            ? { OR: [{ createdAt: { gt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { gt: cursor.id } }] }
            : {}),
        },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        take: pageSize,
        select: { id: true, createdAt: true },
      });
      if (rows.length === 0) return;
      yield rows.map((r) => r.id);
      const last = rows.at(-1)!;
      cursor = { createdAt: last.createdAt, id: last.id };
      if (rows.length < pageSize) return;
    }
  }
}
