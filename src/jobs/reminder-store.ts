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

export const reminderKeyString = (k: ReminderKey): string =>
  `${k.consultationId}|${k.country}|${k.personId}|${k.slot}|${k.deadlineVersion}`;

export class ReminderStore {
  constructor(private readonly prisma: PrismaClient) {}

  /**
   * Records the reminder and enqueues its message, together or not at all: one statement (a CTE claims
   * the reminders_sent row, the outbox row is inserted only if the claim succeeded), so one round trip.
   * Returns the new outbox id, or undefined when this reminder was recorded before (nothing written).
   */
  async record(key: ReminderKey, dueAt: Date, message: NewOutboxMessage, now: Date = new Date()): Promise<string | undefined> {
    const row = outboxRow(message, key.consultationId, now);
    const at = now.toISOString();
    const rows = await this.prisma.$queryRaw<{ id: string }[]>`
      WITH claimed AS (
        INSERT INTO reminders_sent (consultation_id, country, person_id, slot, deadline_version, due_at, outbox_id, sent_at)
        VALUES (${key.consultationId}, ${key.country}, ${key.personId}, ${key.slot}, ${key.deadlineVersion},
                ${dueAt.toISOString()}::timestamptz, ${row.id}, ${at}::timestamptz)
        ON CONFLICT DO NOTHING
        RETURNING 1
      )
      INSERT INTO outbox (id, consultation_id, dedupe_key, platform, recipient, kind, payload, next_attempt_at, created_at)
      SELECT ${row.id}, ${key.consultationId}, ${row.dedupeKey}, ${row.platform}, ${JSON.stringify(message.recipient)}::jsonb,
             ${row.kind}, ${JSON.stringify(message.payload)}::jsonb, ${at}::timestamptz, ${at}::timestamptz
      WHERE EXISTS (SELECT 1 FROM claimed)
      ON CONFLICT DO NOTHING
      RETURNING id`;
    return rows[0]?.id;
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
