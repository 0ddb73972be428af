/**
 * The one place that chooses BullMQ's datastore. Everything else asks this module for a `Queue` or a
 * `Worker` and runs the same code on any of the three:
 *
 *  - `redis`    — `REDIS_URL` set. ioredis per BullMQ's "Going to production" guide: one producer
 *                 connection shared by every Queue with `enableOfflineQueue: false` (an `add` while Redis is
 *                 down fails fast instead of hanging), one worker connection with `maxRetriesPerRequest:
 *                 null` (BullMQ duplicates it for each Worker's blocking connection), and a reconnect
 *                 backoff between 1 s and 20 s. Keys live under `prefix` (default `bull`).
 *  - `postgres` — `DATABASE_URL` set and `REDIS_URL` not. BullMQ 6's PostgreSQL backend
 *                 (`createPostgresBackend`) in its own schema `prefix` (default `bullmq`); migrations are
 *                 run once here with `runMigrations` before any Queue or Worker exists.
 *  - `embedded` — neither set. The same PostgreSQL backend on a PGlite database in `${dataDir}/queue`,
 *                 served on a loopback port by ./embedded-pg.ts (kept apart from the app's PGlite: one
 *                 PGlite is one session, which must not be shared with Prisma).
 *
 * Redis still operators: `maxmemory-policy noeviction` and AOF persistence are server settings this code
 * cannot set; `ping()` does not check them.
 */
import {
  Queue,
  Worker,
  createPostgresBackend,
  runMigrations,
  withBackend,
  type IQueueBackend,
  type Processor,
  type QueueOptions,
  type WorkerOptions,
} from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import pg from 'pg';
import { join } from 'node:path';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-pg.ts';

export type JobsBackendKind = 'redis' | 'postgres' | 'embedded';

/** A BullMQ Queue on whichever backend was chosen (the API is the same on all of them). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type JobsQueue<Data = any> = Queue<Data, unknown, string, Data, unknown, string, IQueueBackend, unknown>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type JobsWorker<Data = any> = Worker<Data, unknown, string, IQueueBackend, any, unknown>;
/** Worker options we let callers set; the connection and namespace belong to the backend. */
export type JobsWorkerOptions = Omit<WorkerOptions, 'connection' | 'prefix'>;
/** Queue options we let callers set. */
export type JobsQueueOptions = Omit<QueueOptions, 'connection' | 'prefix'>;

export interface JobsBackendConfig {
  redisUrl?: string;
  databaseUrl?: string;
  /** The app's data folder (CRM_DATA_DIR); the embedded queue database lives in `${dataDir}/queue`. */
  dataDir: string;
  /**
   * Namespace of every queue: the Redis key prefix, or the PostgreSQL schema (embedded included).
   * Letters, digits and `_`, starting with a letter or `_` (a valid unquoted PostgreSQL identifier).
   * Default: `bull` on Redis, `bullmq` on PostgreSQL. Tests pass a unique one per file.
   */
  prefix?: string;
  /** Where Queue/Worker `error` events go (they are otherwise unhandled). Default: stderr. */
  onError?: (err: Error, source: string) => void;
}

export interface JobsBackend {
  readonly kind: JobsBackendKind;
  /** The namespace in use (Redis prefix or PostgreSQL schema). */
  readonly prefix: string;
  /** The queue called `name`; one instance per name, created on first use. */
  queue<Data = unknown>(name: string, opts?: JobsQueueOptions): JobsQueue<Data>;
  /** A new Worker on queue `name` (started at once unless `autorun: false`). */
  worker<Data = unknown>(
    name: string,
    processor: Processor<Data, unknown, string>,
    opts?: JobsWorkerOptions,
  ): JobsWorker<Data>;
  /** Resolves when the datastore answers a round trip; rejects otherwise (for /readyz). */
  ping(): Promise<void>;
  /**
   * Graceful shutdown: closes every Worker (waiting for in-flight jobs to finish), then every Queue,
   * then the connections, then the embedded server. Idempotent.
   */
  close(): Promise<void>;
}

/** BullMQ's classes bound to the PostgreSQL backend (keeps its connection types). */
const OnPostgres = withBackend(createPostgresBackend);

const IDENT = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** ioredis reconnect backoff recommended by BullMQ's production guide: 1 s … 20 s. */
const retryStrategy = (times: number): number => Math.max(Math.min(Math.exp(times), 20_000), 1_000);

const stderr = (err: Error, source: string): void => {
  process.stderr.write(`[jobs] ${source}: ${err.stack ?? err.message}\n`);
};

export async function createJobsBackend(cfg: JobsBackendConfig): Promise<JobsBackend> {
  if (cfg.prefix !== undefined && !IDENT.test(cfg.prefix)) {
    throw new Error(`jobs prefix ${JSON.stringify(cfg.prefix)}: expected letters, digits and _ (max 63)`);
  }
  const onError = cfg.onError ?? stderr;
  if (cfg.redisUrl) return createRedis(cfg.redisUrl, cfg.prefix ?? 'bull', onError);
  if (cfg.databaseUrl) {
    return createPostgres('postgres', cfg.databaseUrl, cfg.prefix ?? 'bullmq', onError, 5, undefined);
  }
  const server = await startEmbeddedPostgres({ dataDir: join(cfg.dataDir, 'queue') });
  try {
    // PGlite runs one statement at a time, so a bigger pool only queues in the socket server.
    return await createPostgres('embedded', server.url, cfg.prefix ?? 'bullmq', onError, 2, server);
  } catch (err) {
    await server.close();
    throw err;
  }
}

/** Shared bookkeeping: the instances to close, in order. */
function registry(onError: (err: Error, source: string) => void) {
  const queues = new Map<string, JobsQueue>();
  const workers = new Set<JobsWorker>();
  let closing: Promise<void> | undefined;
  return {
    queues,
    workers,
    track<T extends { on(event: 'error', l: (err: Error) => void): unknown }>(x: T, source: string): T {
      x.on('error', (err: Error) => onError(err, source));
      return x;
    },
    close(after: () => Promise<void>): Promise<void> {
      closing ??= (async () => {
        // Workers first: close() without force waits for the jobs they are running.
        await Promise.all([...workers].map((w) => w.close()));
        await Promise.all([...queues.values()].map((q) => q.close()));
        await after();
      })();
      return closing;
    },
  };
}

async function createRedis(
  url: string,
  prefix: string,
  onError: (err: Error, source: string) => void,
): Promise<JobsBackend> {
  const base: RedisOptions = { retryStrategy, connectionName: `crm:${prefix}` };
  // Producers: fail fast when Redis is down (the guide's advice for code that adds jobs on a request).
  const producer = new Redis(url, { ...base, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  // Workers: must wait out outages; BullMQ requires maxRetriesPerRequest null for blocking commands.
  const consumer = new Redis(url, { ...base, maxRetriesPerRequest: null, lazyConnect: true });
  producer.on('error', (err: Error) => onError(err, 'redis producer'));
  consumer.on('error', (err: Error) => onError(err, 'redis worker connection'));
  try {
    await waitReady(producer, url);
  } catch (err) {
    producer.disconnect();
    consumer.disconnect();
    throw err;
  }
  const reg = registry(onError);
  return {
    kind: 'redis',
    prefix,
    queue<Data>(name: string, opts?: JobsQueueOptions) {
      let q = reg.queues.get(name);
      if (!q) {
        q = reg.track(new Queue(name, { ...opts, connection: producer, prefix }), `queue ${name}`) as JobsQueue;
        reg.queues.set(name, q);
      }
      return q as JobsQueue<Data>;
    },
    worker<Data>(name: string, processor: Processor<Data, unknown, string>, opts?: JobsWorkerOptions) {
      const w = reg.track(
        new Worker<Data, unknown, string>(name, processor, { ...opts, connection: consumer, prefix }),
        `worker ${name}`,
      ) as unknown as JobsWorker<Data>;
      reg.workers.add(w as JobsWorker);
      return w;
    },
    async ping() {
      await producer.ping();
    },
    close: () =>
      reg.close(async () => {
        await Promise.allSettled([quit(producer), quit(consumer)]);
      }),
  };
}

async function waitReady(client: Redis, url: string): Promise<void> {
  if (client.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`Redis at ${redact(url)} not reachable within 5 s`));
    }, 5_000);
    const onReady = () => {
      cleanup();
      resolve();
    };
    const cleanup = () => {
      clearTimeout(timer);
      client.off('ready', onReady);
    };
    client.on('ready', onReady);
  });
}

async function quit(client: Redis): Promise<void> {
  if (client.status === 'end' || client.status === 'wait') {
    client.disconnect();
    return;
  }
  try {
    await client.quit();
  } catch {
    client.disconnect();
  }
}

async function createPostgres(
  kind: 'postgres' | 'embedded',
  url: string,
  schema: string,
  onError: (err: Error, source: string) => void,
  poolMax: number,
  server: EmbeddedPostgres | undefined,
): Promise<JobsBackend> {
  // Migrate once, on one dedicated session (runMigrations' advisory lock and transaction share it).
  const client = new pg.Client({ connectionString: url });
  client.on('error', (err: Error) => onError(err, 'postgres migrations'));
  try {
    await client.connect();
    await runMigrations(client, schema);
  } catch (err) {
    throw new Error(`BullMQ on PostgreSQL (${kind}) at ${redact(url)}: ${(err as Error).message}`, {
      cause: err,
    });
  } finally {
    await client.end().catch(() => undefined);
  }
  // A worker's pool should cover its concurrency (BullMQ's tuning tip), within reason; on PGlite every
  // statement is serialised anyway, so more connections only wait in the socket server.
  const workerPoolMax = (concurrency = 1): number =>
    kind === 'embedded' ? poolMax : Math.min(Math.max(concurrency + 1, poolMax), 20);
  // For ping(): a single connection of our own.
  const probe = new pg.Pool({ connectionString: url, max: 1 });
  probe.on('error', (err: Error) => onError(err, 'postgres ping pool'));
  // Config form (not a pg.Pool) so that BullMQ pins every connection's search_path to `schema`. BullMQ
  // builds one pool per Queue/Worker plus a standalone LISTEN connection per Worker.
  const connection = { connectionString: url, schema, max: poolMax };
  const reg = registry(onError);
  return {
    kind,
    prefix: schema,
    queue<Data>(name: string, opts?: JobsQueueOptions) {
      let q = reg.queues.get(name);
      if (!q) {
        q = reg.track(
          new OnPostgres.Queue(name, { ...opts, connection }),
          `queue ${name}`,
        ) as unknown as JobsQueue;
        reg.queues.set(name, q);
      }
      return q as JobsQueue<Data>;
    },
    worker<Data>(name: string, processor: Processor<Data, unknown, string>, opts?: JobsWorkerOptions) {
      const w = reg.track(
        new OnPostgres.Worker<Data, unknown, string>(name, processor, {
          ...opts,
          connection: { ...connection, max: workerPoolMax(opts?.concurrency) },
        }),
        `worker ${name}`,
      ) as unknown as JobsWorker<Data>;
      reg.workers.add(w as JobsWorker);
      return w;
    },
    async ping() {
      await probe.query('SELECT 1');
    },
    close: () =>
      reg.close(async () => {
        await probe.end().catch(() => undefined);
        await server?.close();
      }),
  };
}

/** The URL without its password, for messages. */
function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<unparseable url>';
  }
}
