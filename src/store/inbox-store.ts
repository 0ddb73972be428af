/**
 * The inbox: chat interactions written durably BEFORE they are acknowledged, so that an acknowledged click,
 * form or command is never lost — not to a deploy (SIGTERM), a crash (SIGKILL) or a power cut.
 *
 * Life of a row: `receive` (before the ack) → the listeners do the work → `markProcessed`; or, when the work
 * failed, `markFailed` (attempts + 1, last_error) and the row stays unprocessed. At start, before serving,
 * the rows still unprocessed are replayed in the order they arrived (`unprocessed`); a row that keeps failing
 * is given up after a few attempts (`giveUp`: processed_at set, last_error says why) so it cannot block every
 * start. The key is the interaction's own idempotency key, which the flows record the command under too, so
 * replaying a row whose work had in fact been committed records nothing twice.
 */
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';
import { storableJsonText } from './json.ts';

export interface NewInboxItem {
  platform: string;
  kind: string;
  key: string;
  payload: unknown;
}

export interface InboxItem {
  id: string;
  platform: string;
  kind: string;
  key: string;
  payload: unknown;
  receivedAt: Date;
  processedAt: Date | null;
  attempts: number;
  lastError: string | null;
}

export interface Received {
  id: string;
  /** False when a row with this key existed already (a platform retry, or the same request replayed). */
  fresh: boolean;
  /** True when that earlier row's work is done. */
  processed: boolean;
  /**
   * For a fresh row stored with a `userId`: that person's rows received before it and still unprocessed
   * (failed, left by a replay, or still running in this process), oldest first; at most 100.
   */
  earlierUnprocessed?: string[];
}

/** How much of an error message is kept (the rest is in the log). */
const ERROR_MAX = 500;

function item(row: Prisma.InboxItemGetPayload<object>): InboxItem {
  return { ...row, id: String(row.id), payload: row.payload as unknown };
}

/** Ids are BIGSERIAL (arrival order) in the database and decimal strings here. */
const bigId = (id: string): bigint => {
  if (!/^\d{1,19}$/.test(id)) throw new RangeError(`inbox: bad id ${JSON.stringify(id)}`);
  return BigInt(id);
};

export class InboxStore {
  constructor(private readonly prisma: PrismaClient) {}

  /**
   * Stores an interaction, once per key. Resolves only when the row is committed. The payload is kept as
   * the column can hold it (`storableJson`: no NUL, no lone surrogate). One statement (one round trip):
   * with `userId`, it also says which rows of that person (payload.user.id) are still unprocessed, so a
   * caller that runs their earlier failed requests first (adapters/slack/inbox.ts) asks for more only
   * when there are some.
   */
  async receive(input: NewInboxItem & { userId?: string }, now: Date = new Date()): Promise<Received> {
    const rows = await this.prisma.$queryRawUnsafe<{ id: string | null; pending: string[] | null }[]>(
      `WITH ins AS (
         INSERT INTO inbox (platform, kind, key, payload, received_at) VALUES ($1, $2, $3, $4::jsonb, $5::timestamptz)
         ON CONFLICT (key) DO NOTHING
         RETURNING id
       )
       SELECT (SELECT id FROM ins)::text AS id,
              CASE WHEN $6::text IS NULL THEN NULL ELSE
                ARRAY(SELECT p.id::text FROM inbox p WHERE p.processed_at IS NULL AND p.payload -> 'user' ->> 'id' = $6::text ORDER BY p.id LIMIT 100)
              END AS pending`,
      input.platform,
      input.kind,
      input.key,
      storableJsonText(input.payload),
      now.toISOString(),
      input.userId ?? null,
    );
    const r = rows[0];
    if (r?.id) {
      const id = BigInt(r.id);
      return { id: r.id, fresh: true, processed: false, ...(r.pending ? { earlierUnprocessed: r.pending.filter((p) => BigInt(p) < id) } : {}) };
    }
    const existing = await this.prisma.inboxItem.findUnique({ where: { key: input.key }, select: { id: true, processedAt: true } });
    if (!existing) throw new Error('inbox: a row with this key vanished while it was being stored');
    return { id: String(existing.id), fresh: false, processed: existing.processedAt !== null };
  }

  async get(id: string): Promise<InboxItem | undefined> {
    const row = await this.prisma.inboxItem.findUnique({ where: { id: bigId(id) } });
    return row ? item(row) : undefined;
  }

  /** The work is done. False when the row was processed already (or does not exist). */
  async markProcessed(id: string, now: Date = new Date()): Promise<boolean> {
    const n = await this.prisma.$executeRawUnsafe(
      `UPDATE inbox SET processed_at = $2::timestamptz, attempts = attempts + 1, last_error = NULL WHERE id = $1::bigint AND processed_at IS NULL`,
      String(bigId(id)),
      now.toISOString(),
    );
    return n === 1;
  }

  /** The work failed; the row stays for the next replay. Returns the attempts so far (0 when not pending). */
  async markFailed(id: string, error: string): Promise<number> {
    const r = await this.prisma.inboxItem.updateManyAndReturn({
      where: { id: bigId(id), processedAt: null },
      data: { attempts: { increment: 1 }, lastError: error.slice(0, ERROR_MAX) },
      select: { attempts: true },
    });
    return r[0]?.attempts ?? 0;
  }

  /** Never replayed again: processed_at set, last_error says why. False when it was not pending. */
  async giveUp(id: string, reason: string, now: Date = new Date()): Promise<boolean> {
    const r = await this.prisma.inboxItem.updateMany({
      where: { id: bigId(id), processedAt: null },
      data: { processedAt: now, lastError: reason.slice(0, ERROR_MAX) },
    });
    return r.count === 1;
  }

  /** Rows whose work is not done, oldest first (the order they arrived in). */
  async unprocessed(limit = 1000): Promise<InboxItem[]> {
    const rows = await this.prisma.inboxItem.findMany({
      where: { processedAt: null },
      orderBy: { id: 'asc' },
      take: limit,
    });
    return rows.map(item);
  }

  /**
   * Whether a processed row of `kind` from the Slack user `userId` (payload.user.id) arrived after `id` and
   * names `mentions` in its first action's value (a button value carries its consultation id).
   */
  async processedLaterFromUser(id: string, kind: string, userId: string, mentions: string): Promise<boolean> {
    const n = await this.prisma.inboxItem.count({
      where: {
        id: { gt: bigId(id) },
        kind,
        processedAt: { not: null },
        AND: [{ payload: { path: ['user', 'id'], equals: userId } }, { payload: { path: ['actions', '0', 'value'], string_contains: mentions } }],
      },
    });
    return n > 0;
  }

  /** Unprocessed rows from the Slack user `userId` received before `id`, oldest first. */
  async earlierUnprocessedFromUser(id: string, userId: string, limit = 100): Promise<InboxItem[]> {
    const rows = await this.prisma.inboxItem.findMany({
      where: { id: { lt: bigId(id) }, processedAt: null, payload: { path: ['user', 'id'], equals: userId } },
      orderBy: { id: 'asc' },
      take: limit,
    });
    return rows.map(item);
  }

  async countUnprocessed(): Promise<number> {
    return this.prisma.inboxItem.count({ where: { processedAt: null } });
  }

  /** The backlog for /metrics: rows not processed yet, and the age of the oldest (one query on the processed_at index). */
  async backlog(now: Date = new Date()): Promise<{ pending: number; oldestPendingSeconds: number }> {
    const r = await this.prisma.inboxItem.aggregate({ where: { processedAt: null }, _count: { _all: true }, _min: { receivedAt: true } });
    const oldest = r._min.receivedAt;
    return { pending: r._count._all, oldestPendingSeconds: oldest ? Math.max(0, now.getTime() - oldest.getTime()) / 1000 : 0 };
  }

  /** Deletes rows processed before `before` (they hold what people typed); returns how many. */
  async prune(before: Date): Promise<number> {
    const r = await this.prisma.inboxItem.deleteMany({ where: { processedAt: { lt: before } } });
    return r.count;
  }
}
