/**
 * The outbox: messages written in the same transaction as the decision that caused them (see
 * ConsultationStore.append) and delivered later, with retries, by the deliver job.
 *
 * Life of a row: pending → sent, or pending → (failed, retried later)* → dead.
 * `claim` hands rows to one deliverer at a time (a lease), so two workers never send the same row
 * at once; a crashed worker's rows come back when the lease runs out.
 */
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';
import { outboxRow, type NewOutboxMessage } from './consultation-store.ts';
import { toJson } from './json.ts';

export type OutboxStatus = 'pending' | 'sent' | 'dead';

export interface OutboxItem {
  id: string;
  consultationId: string | null;
  dedupeKey: string;
  platform: string;
  recipient: unknown;
  kind: string;
  payload: unknown;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: Date;
  lastError: string | null;
  receipt: unknown;
  createdAt: Date;
  sentAt: Date | null;
}

export type OutboxCounts = Record<OutboxStatus, number>;

const DUE_ORDER: Prisma.OutboxMessageOrderByWithRelationInput[] = [{ nextAttemptAt: 'asc' }, { createdAt: 'asc' }, { id: 'asc' }];

function item(row: Prisma.OutboxMessageGetPayload<object>): OutboxItem {
  return { ...row, status: row.status as OutboxStatus };
}

/**
 * The SQL of the deliver job's per-message lookups, with their parameters: what OutboxStore runs, and what
 * test/integration/flows/round-trips.test.ts EXPLAINs to prove that each reads an index, not the outbox.
 * `replace_key` is written with the row (outboxRow); both queries stop at the first matching index entry.
 */
export function outboxLookups(replaceKey: string, platform: string, createdAt: Date) {
  return {
    lastReceipt: [
      `SELECT receipt FROM outbox
       WHERE replace_key = $1 AND platform = $2 AND status = 'sent' AND receipt IS NOT NULL AND receipt <> 'null'::jsonb
       ORDER BY sent_at DESC, created_at DESC
       LIMIT 1`,
      [replaceKey, platform],
    ] as [string, unknown[]],
    sentAfter: [
      `SELECT receipt FROM outbox
       WHERE replace_key = $1 AND platform = $2 AND status = 'sent' AND created_at > $3::timestamptz
       ORDER BY created_at DESC
       LIMIT 1`,
      [replaceKey, platform, createdAt.toISOString()],
    ] as [string, unknown[]],
    pendingAfter: [
      `SELECT true AS newer FROM outbox
       WHERE replace_key = $1 AND platform = $2 AND status = 'pending' AND created_at > $3::timestamptz
         AND attempts = 0 AND next_attempt_at <= clock_timestamp()
       ORDER BY created_at DESC
       LIMIT 1`,
      [replaceKey, platform, createdAt.toISOString()],
    ] as [string, unknown[]],
  };
}

export class OutboxStore {
  constructor(private readonly prisma: PrismaClient) {}

  /**
   * Enqueues messages outside a consultation append (e.g. a reminder). Returns the ids created;
   * a message whose dedupe key exists already is skipped.
   */
  async enqueue(messages: readonly NewOutboxMessage[], consultationId: string | null = null): Promise<string[]> {
    if (messages.length === 0) return [];
    const now = new Date();
    const rows = await this.prisma.outboxMessage.createManyAndReturn({
      data: messages.map((m) => outboxRow(m, consultationId, now)),
      skipDuplicates: true,
      select: { id: true },
    });
    return rows.map((r) => r.id);
  }

  /** How many rows of these kinds for a consultation are still pending (the record waits for its digest). */
  async pendingCount(consultationId: string, kinds: readonly string[]): Promise<number> {
    return this.prisma.outboxMessage.count({ where: { consultationId, status: 'pending', kind: { in: [...kinds] } } });
  }

  /** Whether an older version of this replace key on this platform is still pending (index range of `replace_key, platform, created_at`). */
  async olderPending(replaceKey: string, platform: string, createdAt: Date): Promise<boolean> {
    const rows = await this.prisma.$queryRaw<{ older: boolean }[]>`SELECT EXISTS (SELECT 1 FROM outbox
      WHERE replace_key = ${replaceKey} AND platform = ${platform} AND status = 'pending' AND created_at < ${createdAt.toISOString()}::timestamptz) AS older`;
    return rows[0]?.older === true;
  }

  async get(id: string): Promise<OutboxItem | undefined> {
    const row = await this.prisma.outboxMessage.findUnique({ where: { id } });
    return row ? item(row) : undefined;
  }

  /**
   * `get`, `sentAfter` and `lastReceiptFor` of one row, in one round trip (the deliver job's first read):
   * the row, the receipt of a newer version already sent under its replace key (`newerSent`: undefined when
   * none, null when that one had no receipt) and the receipt of the latest version sent (`lastReceipt`).
   * `newerPending`: a newer version under the same replace key is waiting to go now (due, and not failing:
   * no attempt yet), so this one may be coalesced into it (the newest carries the latest state). A newer
   * one that is backing off after a failure, or not due yet, does not count: this one goes.
   * The lookups are the index ranges of `outboxLookups` (newer_pending: the `pendingAfter` range);
   * rows without a replace key skip them.
   */
  async getForDelivery(id: string): Promise<{ item: OutboxItem; newerSent: unknown; lastReceipt: unknown; newerPending: boolean } | undefined> {
    const rows = await this.prisma.$queryRawUnsafe<Record<string, unknown>[]>(
      `SELECT o.id, o.consultation_id, o.dedupe_key, o.platform, o.recipient, o.kind, o.payload, o.status, o.attempts,
              o.next_attempt_at, o.last_error, o.receipt, o.created_at, o.sent_at,
              (SELECT jsonb_build_object('receipt', n.receipt) FROM outbox n
                WHERE o.replace_key IS NOT NULL AND n.replace_key = o.replace_key AND n.platform = o.platform
                  AND n.status = 'sent' AND n.created_at > o.created_at
                ORDER BY n.created_at DESC LIMIT 1) AS newer_sent,
              (SELECT jsonb_build_object('receipt', l.receipt) FROM outbox l
                WHERE o.replace_key IS NOT NULL AND l.replace_key = o.replace_key AND l.platform = o.platform
                  AND l.status = 'sent' AND l.receipt IS NOT NULL AND l.receipt <> 'null'::jsonb
                ORDER BY l.sent_at DESC, l.created_at DESC LIMIT 1) AS last_sent,
              EXISTS (SELECT 1 FROM outbox p
                WHERE o.replace_key IS NOT NULL AND p.replace_key = o.replace_key AND p.platform = o.platform
                  AND p.status = 'pending' AND p.created_at > o.created_at
                  AND p.attempts = 0 AND p.next_attempt_at <= clock_timestamp()
                ORDER BY p.created_at DESC LIMIT 1) AS newer_pending
       FROM outbox o WHERE o.id = $1`,
      id,
    );
    const r = rows[0];
    if (!r) return undefined;
    const date = (v: unknown): Date => (v instanceof Date ? v : new Date(String(v)));
    const item: OutboxItem = {
      id: r['id'] as string,
      consultationId: (r['consultation_id'] as string | null) ?? null,
      dedupeKey: r['dedupe_key'] as string,
      platform: r['platform'] as string,
      recipient: r['recipient'],
      kind: r['kind'] as string,
      payload: r['payload'],
      status: r['status'] as OutboxStatus,
      attempts: Number(r['attempts']),
      nextAttemptAt: date(r['next_attempt_at']),
      lastError: (r['last_error'] as string | null) ?? null,
      receipt: r['receipt'] ?? null,
      createdAt: date(r['created_at']),
      sentAt: r['sent_at'] === null || r['sent_at'] === undefined ? null : date(r['sent_at']),
    };
    const newer = r['newer_sent'] as { receipt: unknown } | null;
    const last = r['last_sent'] as { receipt: unknown } | null;
    return { item, newerSent: newer ? (newer.receipt ?? null) : undefined, lastReceipt: last?.receipt ?? undefined, newerPending: r['newer_pending'] === true };
  }

  /** Pending messages due at `now`, oldest due first. Read-only: use `claim` when several workers deliver. */
  async pending(limit: number, now: Date = new Date()): Promise<OutboxItem[]> {
    const rows = await this.prisma.outboxMessage.findMany({
      where: { status: 'pending', nextAttemptAt: { lte: now } },
      orderBy: DUE_ORDER,
      take: limit,
    });
    return rows.map(item);
  }

  /**
   * Takes up to `limit` due messages for delivery: their next attempt moves to `now + leaseMs`, so
   * nobody else claims them meanwhile. Rows another transaction is claiming are skipped, not waited for.
   */
  async claim(limit: number, now: Date = new Date(), leaseMs = 60_000): Promise<OutboxItem[]> {
    const leaseUntil = new Date(now.getTime() + leaseMs);
    return this.prisma.$transaction(async (tx) => {
      const due = await tx.$queryRaw<{ id: string }[]>`
        SELECT id FROM outbox
        WHERE status = 'pending' AND next_attempt_at <= ${now}
        ORDER BY next_attempt_at, created_at, id
        LIMIT ${limit}
        FOR UPDATE SKIP LOCKED`;
      if (due.length === 0) return [];
      const ids = due.map((r) => r.id);
      await tx.outboxMessage.updateMany({ where: { id: { in: ids } }, data: { nextAttemptAt: leaseUntil } });
      const rows = await tx.outboxMessage.findMany({ where: { id: { in: ids } }, orderBy: DUE_ORDER });
      return rows.map(item);
    });
  }

  /**
   * The receipt of the latest message sent on `platform` under `replaceKey` (the neutral message's key
   * for messages that replace each other in place, like the ST channel's live status), if any.
   * One index range (outbox_replace_key_platform_sent_at_created_at_idx), read from its end.
   */
  async lastReceiptFor(replaceKey: string, platform: string): Promise<unknown> {
    const [sql, params] = outboxLookups(replaceKey, platform, new Date(0)).lastReceipt;
    const rows = await this.prisma.$queryRawUnsafe<{ receipt: unknown }[]>(sql, ...params);
    return rows[0]?.receipt ?? undefined;
  }

  /**
   * The receipt of a message sent on `platform` under `replaceKey` whose row was written after `createdAt`
   * (a newer version of a message that replaces itself in place), if any: an older row is then superseded.
   * One index range (outbox_replace_key_platform_created_at_idx), read from its end.
   */
  async sentAfter(replaceKey: string, platform: string, createdAt: Date): Promise<unknown> {
    const [sql, params] = outboxLookups(replaceKey, platform, createdAt).sentAfter;
    const rows = await this.prisma.$queryRawUnsafe<{ receipt: unknown }[]>(sql, ...params);
    return rows[0] ? (rows[0].receipt ?? null) : undefined;
  }

  /**
   * Whether a newer version of a message under `replaceKey` on `platform` (a row written after `createdAt`)
   * is pending and due now without a failed attempt (getForDelivery's `newerPending`). One index range (outbox_replace_key_platform_created_at_idx).
   */
  async pendingAfter(replaceKey: string, platform: string, createdAt: Date): Promise<boolean> {
    const [sql, params] = outboxLookups(replaceKey, platform, createdAt).pendingAfter;
    const rows = await this.prisma.$queryRawUnsafe<{ newer: boolean }[]>(sql, ...params);
    return rows[0]?.newer === true;
  }

  /**
   * Delivered. `receipt` keeps what the platform returned (e.g. Slack channel and ts). False unless it was
   * pending. The click's response URL (`payload.updates.responseUrl`) is dropped in the same UPDATE: it is
   * a capability to replace the person's message and is of no use once the row is done.
   */
  async markSent(id: string, receipt?: unknown, now: Date = new Date()): Promise<boolean> {
    const count = await this.prisma.$executeRawUnsafe(
      `UPDATE outbox
          SET status = 'sent', sent_at = $2::timestamptz, attempts = attempts + 1, last_error = NULL,
              receipt = CASE WHEN $3::boolean THEN $4::jsonb ELSE receipt END,
              payload = payload #- '{updates,responseUrl}'
        WHERE id = $1 AND status = 'pending'`,
      id,
      now.toISOString(),
      receipt !== undefined,
      receipt === undefined ? null : JSON.stringify(receipt),
    );
    return count === 1;
  }

  /** A failed attempt that will be retried at `nextAttemptAt`. False unless it was pending. */
  async markFailed(id: string, error: string, nextAttemptAt: Date): Promise<boolean> {
    const r = await this.prisma.outboxMessage.updateMany({
      where: { id, status: 'pending' },
      data: { attempts: { increment: 1 }, lastError: error, nextAttemptAt },
    });
    return r.count === 1;
  }

  /** Drops the click's response URL from a pending row's payload (it failed: the card goes via chat.update). */
  async dropResponseUrl(id: string): Promise<void> {
    await this.prisma.$executeRawUnsafe(`UPDATE outbox SET payload = payload #- '{updates,responseUrl}' WHERE id = $1 AND status = 'pending'`, id);
  }

  /** Given up: never retried. False unless it was pending. The click's response URL is dropped (markSent). */
  async markDead(id: string, error: string): Promise<boolean> {
    const count = await this.prisma.$executeRawUnsafe(
      `UPDATE outbox
          SET status = 'dead', attempts = attempts + 1, last_error = $2,
              payload = payload #- '{updates,responseUrl}'
        WHERE id = $1 AND status = 'pending'`,
      id,
      error,
    );
    return count === 1;
  }

  /**
   * Every pending message of one consultation, marked sent without being sent: they were delivered
   * somewhere else (the engine demo's printed transcript), so no deliverer may ever send them. The
   * receipt says where. Returns how many were marked.
   */
  async markConsultationDeliveredElsewhere(consultationId: string, receipt: unknown, now: Date = new Date()): Promise<number> {
    const r = await this.prisma.outboxMessage.updateMany({
      where: { consultationId, status: 'pending' },
      data: { status: 'sent', sentAt: now, receipt: toJson(receipt) },
    });
    return r.count;
  }

  /**
   * Dead messages back to pending, to be sent again (after a platform outage outlasted the retries): rows
   * dead since `since` (by creation), on `platform` if given, except the ST's dead letters about them.
   * Their attempt count is kept, so a notifier that can look for an earlier post (Slack) does so before
   * posting. Returns how many. The reconcile job (at start-up and every 5 minutes) queues their delivery.
   */
  async requeueDead(options: { since?: Date; platform?: string; now?: Date } = {}): Promise<number> {
    const r = await this.prisma.outboxMessage.updateMany({
      where: {
        status: 'dead',
        kind: { not: 'dead_letter' },
        ...(options.since ? { createdAt: { gte: options.since } } : {}),
        ...(options.platform ? { platform: options.platform } : {}),
      },
      data: { status: 'pending', nextAttemptAt: options.now ?? new Date() },
    });
    return r.count;
  }

  /** When the reminder carried by outbox row `outboxId` was due; undefined for a row that is no reminder. */
  async reminderDueAt(outboxId: string): Promise<Date | undefined> {
    const row = await this.prisma.reminderSent.findFirst({ where: { outboxId }, select: { dueAt: true } });
    return row?.dueAt;
  }

  /**
   * What an operator alerts on (read on each /metrics scrape; one query, on the status index): rows
   * pending and dead, and the age of the oldest pending row.
   */
  async backlog(now: Date = new Date()): Promise<{ pending: number; dead: number; oldestPendingSeconds: number }> {
    const rows = await this.prisma.$queryRaw<{ status: string; n: number; oldest: Date | null }[]>`
      SELECT status, count(*)::int AS n, min(created_at) AS oldest FROM outbox
      WHERE status IN ('pending', 'dead') GROUP BY status`;
    const pending = rows.find((r) => r.status === 'pending');
    const oldest = pending?.oldest ? new Date(pending.oldest).getTime() : undefined;
    return {
      pending: pending?.n ?? 0,
      dead: rows.find((r) => r.status === 'dead')?.n ?? 0,
      oldestPendingSeconds: oldest === undefined ? 0 : Math.max(0, now.getTime() - oldest) / 1000,
    };
  }

  async counts(): Promise<OutboxCounts> {
    const groups = await this.prisma.outboxMessage.groupBy({ by: ['status'], _count: { _all: true } });
    const counts: OutboxCounts = { pending: 0, sent: 0, dead: 0 };
    for (const g of groups) counts[g.status as OutboxStatus] = g._count._all;
    return counts;
  }
}
