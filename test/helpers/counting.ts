/**
 * Counting what a piece of code asks of PostgreSQL and Redis, without MONITOR and without a proxy:
 *
 *  - PostgreSQL: every statement any `pg` client sends goes through `pg.Client.prototype.query` (Prisma's
 *    driver adapter included, for pooled queries and for the statements of a transaction alike): one call is
 *    one round trip (the extended protocol's parse/bind/execute/sync go out together).
 *  - Redis: every command ioredis sends goes through `Redis.prototype.sendCommand`; commands of a pipeline
 *    or MULTI are handed over with the pipeline's write stream, so the distinct streams seen are the
 *    pipelines, each one round trip, and a command without a stream is a round trip of its own.
 *
 * `start()` installs the hooks (once per process); `take()` returns what was counted since the last take and
 * resets. Counting is global to the process: run the code under test alone while counting.
 */
import pg from 'pg';
import { Redis } from 'ioredis';

export interface Counts {
  /** PostgreSQL statements (= round trips), with their SQL for failure messages. */
  pg: string[];
  /** The same statements in full, with their parameters (to EXPLAIN them). */
  statements: { text: string; values: unknown[] }[];
  /** Redis commands, by name, in order. */
  redisCommands: string[];
  /** Redis round trips: single commands plus pipelines. */
  redisRoundTrips: number;
}

let installed = false;
let current: Counts = { pg: [], statements: [], redisCommands: [], redisRoundTrips: 0 };
let streams = new WeakSet<object>();

export function startCounting(): void {
  if (installed) return;
  installed = true;
  const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const q = args[0];
    const text = typeof q === 'string' ? q : ((q as { text?: string } | null)?.text ?? String(q));
    current.pg.push(text.replace(/\s+/g, ' ').trim().slice(0, 160));
    const values = (typeof q === 'object' && q !== null ? (q as { values?: unknown[] }).values : undefined) ?? (Array.isArray(args[1]) ? (args[1] as unknown[]) : []);
    current.statements.push({ text, values });
    return query.apply(this, args);
  } as typeof pg.Client.prototype.query;

  const proto = Redis.prototype as unknown as { sendCommand(command: { name: string }, stream?: object): unknown };
  const send = proto.sendCommand;
  proto.sendCommand = function (this: unknown, command: { name: string }, stream?: object) {
    current.redisCommands.push(command.name);
    if (!stream) current.redisRoundTrips += 1;
    else if (!streams.has(stream)) {
      streams.add(stream);
      current.redisRoundTrips += 1;
    }
    return send.call(this, command, stream);
  };
}

export function takeCounts(): Counts {
  const c = current;
  current = { pg: [], statements: [], redisCommands: [], redisRoundTrips: 0 };
  streams = new WeakSet();
  return c;
}
