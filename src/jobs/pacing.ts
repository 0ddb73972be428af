/**
 * Delivery pacing per sending scope, shared by every deliver worker through the database (table
 * `delivery_pacing`): the platforms' rate limits hold across workers and replicas, and a platform's
 * "slow down" (HTTP 429 with Retry-After) stops only the scope it was about.
 *
 * A scope is a key a notifier names for a message (`Notifier.scopes`): Teams names the conversation
 * (`teams:conversation:<id>`, 7 messages a second) and the app in the tenant (`teams:tenant:<id>`, 30 a
 * second); Slack names its workspace (`slack`, no pace of its own, only its Retry-After). Each key has one
 * instant, `next_at`: the earliest the next message of that scope may go.
 *
 *   take(scopes)   → 0: go now (one slot of every paced scope taken, the next one 1/rate later);
 *                    n > 0: wait n ms, nothing taken (another worker got the slot, or a block holds).
 *   block(key, ms) → nothing in that scope before now + ms (Retry-After).
 *
 * Spacing is even (a scope at 7/s sends at most one message every 143 ms), so no window of one second
 * ever holds more than the rate, whichever workers send. A scope with a `burst` b lets `next_at` run up to
 * (b − 1) intervals ahead of now (a token bucket, as GCRA): b messages may go at once after a quiet spell,
 * then one per interval. The database's clock is the only clock used, so
 * hosts with skewed clocks agree. Each `take` is one short transaction that locks the scope rows in key
 * order (no deadlock between workers taking overlapping scopes).
 */
import type { PrismaClient } from '../generated/prisma/client.ts';

import type { RateScope } from '../flows/notifier.ts';

export type { RateScope };

export interface DeliveryPacing {
  /**
   * `options.reserveFor` (a message that replaces itself in place: `<platform>:<replaceKey>`; any other
   * row: `outbox:<id>`, so every message keeps its place in the line): when the
   * scopes are busy, the next free slot of every scope is reserved for that message (one reservation per
   * message, held in the key `hold:<reserveFor>`) and its wait returned; whichever version of the message
   * asks at or after that time gets it (0) without taking another. So a message waiting its turn asks once,
   * not again and again, and a burst of versions (coalesced by the deliver job) uses one slot.
   */
  take(scopes: readonly RateScope[], options?: { reserveFor?: string }): Promise<number>;
  /** Nothing in that scope before now + ms. Given the scope itself (not its key), a burst cannot shorten the hold. */
  block(scope: string | RateScope, ms: number): Promise<void>;
}

/** How far a scope's next_at may run ahead of now before a message waits: (burst − 1) intervals. */
export function burstAheadMs(scope: RateScope): number {
  const b = Math.max(1, Math.floor(scope.burst ?? 1));
  return scope.perSecond && scope.perSecond > 0 ? (b - 1) * Math.ceil(1000 / scope.perSecond) : 0;
}

/** A key as stored: bounded, printable (conversation ids are long but finite). */
const keyOf = (k: string): string => k.slice(0, 500);

export function databasePacing(prisma: PrismaClient): DeliveryPacing {
  return {
    async take(scopes, options = {}) {
      const byKey = new Map<string, number | undefined>();
      const burstOf = new Map<string, number>();
      for (const s of scopes) {
        const k = keyOf(s.key);
        const prev = byKey.get(k);
        // The strictest rate (and burst) wins when a key is named twice.
        byKey.set(k, prev === undefined ? s.perSecond : s.perSecond === undefined ? prev : Math.min(prev, s.perSecond));
        const b = Math.max(1, Math.floor(s.burst ?? 1));
        burstOf.set(k, Math.min(burstOf.get(k) ?? b, b));
      }
      const keys = [...byKey.keys()].sort();
      if (keys.length === 0) return 0;
      const hold = options.reserveFor ? keyOf(`hold:${options.reserveFor}`) : undefined;
      return prisma.$transaction(async (tx) => {
        if (hold) {
          // This message's reservation: due → it is this slot (taken when reserved); not yet → wait for it.
          // One left over from long ago (its message went another way) is dropped.
          await tx.$executeRaw`DELETE FROM delivery_pacing WHERE key = ${hold} AND next_at <= clock_timestamp() - interval '60 seconds'`;
          const mine = await tx.$queryRaw<{ wait_ms: number }[]>`
            SELECT CEIL(EXTRACT(EPOCH FROM (next_at - clock_timestamp())) * 1000)::float8 AS wait_ms FROM delivery_pacing WHERE key = ${hold} FOR UPDATE`;
          if (mine[0]) {
            const w = Number(mine[0].wait_ms);
            if (w > 0) return w;
            await tx.$executeRaw`DELETE FROM delivery_pacing WHERE key = ${hold}`;
            return 0;
          }
        }
        await tx.$executeRaw`INSERT INTO delivery_pacing (key, next_at)
          SELECT k, 'epoch'::timestamptz FROM unnest(${keys}::text[]) AS k ON CONFLICT (key) DO NOTHING`;
        const rows = await tx.$queryRaw<{ key: string; wait_ms: number }[]>`
          SELECT key, CEIL(EXTRACT(EPOCH FROM (next_at - clock_timestamp())) * 1000)::float8 AS wait_ms
          FROM delivery_pacing WHERE key = ANY(${keys}::text[]) ORDER BY key FOR UPDATE`;
        // A scope's next_at may run (burst − 1) intervals ahead before anyone waits.
        const ahead = (key: string) => {
          const rate = byKey.get(key);
          return burstAheadMs({ key, ...(rate === undefined ? {} : { perSecond: rate }), burst: burstOf.get(key) ?? 1 });
        };
        const wait = Math.max(0, ...rows.map((r) => Math.ceil(Number(r.wait_ms) - ahead(r.key))));
        if (wait > 0 && hold) {
          // Reserve the first instant every scope has a slot, for this message: each scope's next_at moves
          // one interval past it, and the hold remembers it.
          for (const key of keys) {
            const rate = byKey.get(key);
            if (!rate || rate <= 0) continue;
            const intervalMs = Math.ceil(1000 / rate);
            await tx.$executeRaw`UPDATE delivery_pacing
              SET next_at = GREATEST(next_at, clock_timestamp() + make_interval(secs => ${wait}::float8 / 1000)) + make_interval(secs => ${intervalMs}::float8 / 1000)
              WHERE key = ${key}`;
          }
          await tx.$executeRaw`INSERT INTO delivery_pacing (key, next_at)
            VALUES (${hold}, clock_timestamp() + make_interval(secs => ${wait}::float8 / 1000))
            ON CONFLICT (key) DO UPDATE SET next_at = EXCLUDED.next_at`;
          return wait;
        }
        if (wait > 0) return wait;
        for (const key of keys) {
          const rate = byKey.get(key);
          if (!rate || rate <= 0) continue;
          const intervalMs = Math.ceil(1000 / rate);
          await tx.$executeRaw`UPDATE delivery_pacing
            SET next_at = GREATEST(next_at, clock_timestamp()) + make_interval(secs => ${intervalMs}::float8 / 1000)
            WHERE key = ${key}`;
        }
        return 0;
      });
    },
    async block(scope, ms) {
      const k = keyOf(typeof scope === 'string' ? scope : scope.key);
      const wait = Math.max(0, Math.ceil(ms)) + (typeof scope === 'string' ? 0 : burstAheadMs(scope));
      await prisma.$executeRaw`INSERT INTO delivery_pacing (key, next_at)
        VALUES (${k}, clock_timestamp() + make_interval(secs => ${wait}::float8 / 1000))
        ON CONFLICT (key) DO UPDATE SET next_at = GREATEST(delivery_pacing.next_at, EXCLUDED.next_at)`;
    },
  };
}
