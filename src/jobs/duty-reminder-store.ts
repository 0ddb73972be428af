/**
 * Duty reminders handed to the outbox, at most once per (duty, recipient, slot, due date): the
 * `duty_reminders_sent` row and the outbox row are written by one statement (a CTE claims the row; the
 * outbox row is inserted only if the claim succeeded), as ./reminder-store.ts does for consultations.
 */
import type { PrismaClient } from '../generated/prisma/client.ts';
import { outboxRow, type NewOutboxMessage } from '../store/consultation-store.ts';
import { dutyReminderKey, type DutyRemindJobData } from './duty-plan.ts';

export type DutyReminderKey = Pick<DutyRemindJobData, 'dutyId' | 'recipient' | 'slot' | 'due'>;

export class DutyReminderStore {
  constructor(private readonly prisma: PrismaClient) {}

  /** Records the reminder and enqueues its message together; undefined when it was recorded before. */
  async record(key: DutyReminderKey, dueAt: Date, message: NewOutboxMessage, now: Date = new Date()): Promise<string | undefined> {
    const row = outboxRow(message, null, now);
    const at = now.toISOString();
    const rows = await this.prisma.$queryRaw<{ id: string }[]>`
      WITH claimed AS (
        INSERT INTO duty_reminders_sent (duty_id, recipient, slot, due, due_at, outbox_id, sent_at)
        VALUES (${key.dutyId}, ${key.recipient}, ${key.slot}, ${key.due}::date, ${dueAt.toISOString()}::timestamptz, ${row.id}, ${at}::timestamptz)
        ON CONFLICT DO NOTHING
        RETURNING 1
      )
      INSERT INTO outbox (id, consultation_id, dedupe_key, platform, recipient, kind, payload, next_attempt_at, created_at)
      SELECT ${row.id}, NULL, ${row.dedupeKey}, ${row.platform}, ${JSON.stringify(message.recipient)}::jsonb,
             ${row.kind}, ${JSON.stringify(message.payload)}::jsonb, ${at}::timestamptz, ${at}::timestamptz
      WHERE EXISTS (SELECT 1 FROM claimed)
      ON CONFLICT DO NOTHING
      RETURNING id`;
    return rows[0]?.id;
  }

  /** Every recorded duty reminder, as `dutyReminderKey`s. */
  async sentKeys(): Promise<Set<string>> {
    const rows = await this.prisma.dutyReminderSent.findMany({ select: { dutyId: true, recipient: true, slot: true, due: true } });
    return new Set(rows.map((r) => dutyReminderKey({ dutyId: r.dutyId, recipient: r.recipient, slot: r.slot as DutyRemindJobData['slot'], due: r.due.toISOString().slice(0, 10) })));
  }

  async list(): Promise<{ dutyId: string; recipient: string; slot: string; due: string; dueAt: Date; outboxId: string | null }[]> {
    const rows = await this.prisma.dutyReminderSent.findMany({ orderBy: [{ sentAt: 'asc' }, { recipient: 'asc' }] });
    return rows.map((r) => ({ dutyId: r.dutyId, recipient: r.recipient, slot: r.slot, due: r.due.toISOString().slice(0, 10), dueAt: r.dueAt, outboxId: r.outboxId }));
  }
}
