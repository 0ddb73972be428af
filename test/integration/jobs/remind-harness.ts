/**
 * Shared set-up of the timed-jobs integration tests (remind, close, reconcile, digest): an engine on a real
 * database, a jobs backend of each kind in a namespace of its own, a clock that runs in real time from a
 * chosen virtual instant, and the recording notifier behind the real deliver worker. Redis or PostgreSQL
 * being unreachable fails the test.
 *
 * Time and "done", observed through BullMQ's own API: `advanceTo` jumps the clock and the consultation's
 * delayed jobs together (a set-up half an hour ahead, then 09:00 two seconds away); `settled` waits until
 * every job due by an instant ran and every delivery it caused finished; `finished` waits for given job
 * ids; `queuesIdle` for queues with nothing left waiting, active or delayed. A test asserts "nothing else
 * was sent" only after one of them, never after a sleep.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { expect } from 'vitest';
import { openEngine, type Engine } from '../../../src/app/context.ts';
import { EXAMPLE_DIRECTORY, type Config } from '../../../src/config.ts';
import type { ConsultationState } from '../../../src/domain/types.ts';
import type { FlowLogger } from '../../../src/flows/ports.ts';
import { createJobsBackend, type JobsBackend, type JobsBackendKind } from '../../../src/jobs/backend.ts';
import { enqueueDeliveries } from '../../../src/jobs/deliver.ts';
import { QUEUES } from '../../../src/jobs/names.ts';
import { RecordingNotifier } from '../../../src/jobs/notifier.ts';
import { ReminderStore } from '../../../src/jobs/reminder-store.ts';
import { createRuntime, type JobsRuntime } from '../../../src/jobs/runtime.ts';
import { createAfterCommit } from '../../../src/jobs/schedule.ts';
import { createPostgresDatabase, postgresUrl, type TestPostgres } from '../../helpers/db.ts';
import { TEST_REDIS_URL, assertRedisReachable, deleteRedisPrefix, deleteRedisPrefixAtOnce, uniquePrefix } from '../../helpers/redis.ts';

export const JOB_BACKENDS: readonly JobsBackendKind[] = ['redis', 'postgres', 'embedded'];

/** Real time, shifted: `now()` is the virtual instant set last plus the real time elapsed since. */
export class ShiftedClock {
  private offset = 0;
  now = (): Date => new Date(Date.now() + this.offset);
  /** From now on, `now()` reads `at` (and runs on from there). */
  setVirtual(at: Date | string, realNow: number = Date.now()): void {
    this.offset = new Date(at).getTime() - realNow;
  }
  /** What the virtual clock reads (epoch ms) at the real epoch ms `real`. */
  virtualAt(real: number): number {
    return real + this.offset;
  }
  /** The real epoch ms at which the virtual clock reads `at`. */
  realAt(at: Date | string): number {
    return new Date(at).getTime() - this.offset;
  }
}

/** A logger that keeps what it is given, so a test can assert that nothing failed on the side. */
export class RecordingLogger implements FlowLogger {
  readonly errors: { obj: object; msg?: string }[] = [];
  readonly warnings: { obj: object; msg?: string }[] = [];
  info(): void {}
  warn(obj: object, msg?: string): void {
    this.warnings.push({ obj, ...(msg !== undefined ? { msg } : {}) });
  }
  error(obj: object, msg?: string): void {
    this.errors.push({ obj, ...(msg !== undefined ? { msg } : {}) });
  }
}

export function testConfig(databaseUrl?: string): Config {
  return {
    port: 0,
    directoryPath: EXAMPLE_DIRECTORY,
    directoryIsExample: true,
    dataDir: databaseUrl ? 'unused' : 'memory://',
    ...(databaseUrl ? { databaseUrl } : {}),
    logLevel: 'silent',
  };
}

const PG_ADMIN_URL = postgresUrl('postgres');

async function assertPostgresReachable(): Promise<void> {
  const c = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3_000 });
  try {
    await c.connect();
    await c.query('SELECT 1');
  } catch (e) {
    throw new Error(`These tests need PostgreSQL at ${PG_ADMIN_URL}: ${(e as Error).message}. They never skip.`, { cause: e });
  } finally {
    await c.end().catch(() => undefined);
  }
}

/** A jobs backend of `kind` in its own namespace; `open()` gives another instance on the same namespace. */
export interface TestJobs {
  kind: JobsBackendKind;
  prefix: string;
  backend: JobsBackend;
  /** Another backend object on the same namespace (a second process); not for `embedded` (one PGlite). */
  open(): Promise<JobsBackend>;
  /** Loses every job of this app: deletes every Redis key under the prefix, or obliterates every queue. */
  loseAllJobs(): Promise<void>;
  dispose(): Promise<void>;
}

export async function openTestJobs(kind: JobsBackendKind, label: string): Promise<TestJobs> {
  const prefix = uniquePrefix(`${kind}_${label}`);
  const dataDir = await mkdtemp(join(tmpdir(), 'crm-jobs-'));
  let db: TestPostgres | undefined;
  if (kind === 'redis') await assertRedisReachable(TEST_REDIS_URL);
  if (kind === 'postgres') {
    await assertPostgresReachable();
    db = await createPostgresDatabase(`q_${label}`);
  }
  const cfg = kind === 'redis' ? { redisUrl: TEST_REDIS_URL } : kind === 'postgres' ? { databaseUrl: db!.url } : {};
  const opened: JobsBackend[] = [];
  const open = async () => {
    const b = await createJobsBackend({ ...cfg, dataDir, prefix, onError: () => undefined });
    opened.push(b);
    return b;
  };
  const backend = await open();
  return {
    kind,
    prefix,
    backend,
    open: async () => {
      if (kind === 'embedded') throw new Error('one embedded PGlite per data folder');
      return open();
    },
    loseAllJobs: async () => {
      // As a restart without persistence loses them: all at once for Redis (one DEL of every key), and on
      // PostgreSQL the reconcile queue (whose Job Scheduler the watchdog looks for) last, so a watchdog
      // running meanwhile never sees the store half lost.
      if (kind === 'redis') {
        await deleteRedisPrefixAtOnce(prefix, TEST_REDIS_URL);
        return;
      }
      const names = Object.values(QUEUES).filter((n) => n !== QUEUES.reconcile);
      for (const name of [...names, QUEUES.reconcile]) await backend.queue(name).obliterate({ force: true });
    },
    dispose: async () => {
      for (const b of opened.reverse()) await b.close().catch(() => undefined);
      if (kind === 'redis') await deleteRedisPrefix(prefix, TEST_REDIS_URL);
      await db?.drop().catch(() => undefined);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** The app's engine on in-memory PGlite or a fresh PostgreSQL database, with a shifted clock. */
export interface TestApp {
  engine: Engine;
  clock: ShiftedClock;
  logger: RecordingLogger;
  /** The PostgreSQL URL when on PostgreSQL (to open a second engine on it). */
  url?: string;
  dispose(): Promise<void>;
}

export async function openTestApp(db: 'pglite' | 'postgres', label: string): Promise<TestApp> {
  const clock = new ShiftedClock();
  const logger = new RecordingLogger();
  let pgdb: TestPostgres | undefined;
  if (db === 'postgres') {
    await assertPostgresReachable();
    pgdb = await createPostgresDatabase(label);
  }
  const engine = await openEngine(testConfig(pgdb?.url), { clock: clock.now });
  engine.deps.logger = logger;
  return {
    engine,
    clock,
    logger,
    ...(pgdb ? { url: pgdb.url } : {}),
    dispose: async () => {
      await engine.close().catch(() => undefined);
      await pgdb?.drop().catch(() => undefined);
    },
  };
}

/** The runtime of the timed jobs for `engine` on `jobs`. */
export function runtimeFor(engine: Engine, jobs: JobsBackend, logger?: FlowLogger): JobsRuntime {
  return createRuntime({
    jobs,
    deps: engine.deps,
    consultations: engine.consultations,
    outbox: engine.outbox,
    reminders: new ReminderStore(engine.db.prisma),
    enqueueDeliveries: (j, ids) => enqueueDeliveries(j, ids, { attempts: 3, backoffMs: 200 }),
    ...(logger ? { logger } : {}),
  });
}

/** Installs the AfterCommit hook (deliveries + job plan) without starting any worker. */
export function planOnCommit(engine: Engine, rt: JobsRuntime): void {
  engine.deps.afterCommit = createAfterCommit(rt.jobs, rt);
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Polls `check` until it is true. `ms` only bounds how long a broken build takes to fail: nothing is
 * asserted about the time it took (lateness figures live in bench/).
 */
export async function until(check: () => boolean | Promise<boolean>, ms: number, what: string, everyMs = 25): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await pause(everyMs);
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what}`);
}

/**
 * How long a file's set-up or clean-up may take before it fails: a database, a queue schema and (embedded)
 * a PGlite server each, on a loaded 2-core machine running other test files at once.
 */
export const SETUP_MS = 180_000;

/** How long a wait on an event may take before the test fails: generous, a loaded 2-core machine. */
export const EVENT_WAIT_MS = 60_000;

type AnyJob = { id?: string | undefined; data: unknown; timestamp: number; delay: number; changeDelay(delay: number): Promise<void> };
const PENDING = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children'] as const;

const consultationOf = (job: AnyJob): string | undefined => (job.data as { consultationId?: string }).consultationId;
/** The virtual instant a timed job is for: a reminder's slot, a close job's deadline. */
const virtualDueOf = (job: AnyJob): number => {
  const d = job.data as { dueAt?: string; deadline?: string };
  return new Date(d.dueAt ?? d.deadline ?? 0).getTime();
};

/**
 * Moves time forward, for the app and for its queues together: the virtual clock jumps to `to`, and every
 * delayed remind and close job of `consultationId` is brought forward by the same amount (BullMQ
 * `changeDelay`, from the instant BullMQ itself holds for the job), so it still fires at the virtual
 * instant it was planned for. A test does its set-up with a lead no machine can miss (minutes), then
 * jumps to just before the instant it is about: a slow set-up costs time, never the outcome.
 */
export async function advanceTo(clock: ShiftedClock, jobs: JobsBackend, consultationId: string, to: Date | string): Promise<void> {
  // One real instant for both the jump and the new offset: read apart, they let a job fire a millisecond
  // before the real time at which the clock reads its due instant.
  const realNow = Date.now();
  const jump = new Date(to).getTime() - clock.virtualAt(realNow);
  if (jump < 0) throw new Error(`advanceTo ${new Date(to).toISOString()}: the clock is past it already`);
  const delayed: AnyJob[] = [];
  for (const name of [QUEUES.remind, QUEUES.close]) {
    for (const job of (await jobs.queue(name).getJobs(['delayed'])) as unknown as AnyJob[]) if (consultationOf(job) === consultationId) delayed.push(job);
  }
  // The clock first: a job brought forward can then only be late, never see the old time.
  clock.setVirtual(to, realNow);
  for (const job of delayed) await job.changeDelay(Math.max(1, job.timestamp + job.delay - jump - Date.now()));
}

/**
 * Waits until nothing of `consultationId` due by the virtual instant `by` is left to run: no remind or close
 * job for an instant up to `by` is waiting, active or delayed; no outbox row of the consultation is pending;
 * no deliver job of those rows is waiting, active or delayed (a retry in its backoff is delayed). What is
 * then delivered is all that this work delivers: assertions that "nothing else was sent" are made after it.
 */
export async function settled(app: TestApp, jobs: JobsBackend, consultationId: string, by: Date | string, ms = EVENT_WAIT_MS): Promise<void> {
  const byMs = new Date(by).getTime();
  const pendingOf = async (name: string) => (await jobs.queue(name).getJobs([...PENDING])) as unknown as AnyJob[];
  await until(
    async () => {
      for (const name of [QUEUES.remind, QUEUES.close]) {
        if ((await pendingOf(name)).some((j) => consultationOf(j) === consultationId && virtualDueOf(j) <= byMs)) return false;
      }
      const rows = await app.engine.db.prisma.outboxMessage.findMany({ where: { consultationId }, select: { id: true, status: true } });
      if (rows.some((r) => r.status === 'pending')) return false;
      const ids = new Set(rows.map((r) => r.id));
      return !(await pendingOf(QUEUES.deliver)).some((j) => ids.has((j.data as { outboxId?: string }).outboxId ?? ''));
    },
    ms,
    `the work of ${consultationId} due by ${new Date(by).toISOString()} (timed jobs, outbox, deliveries)`,
    100,
  );
}

/** Waits until every one of `ids` in `queue` has finished (completed or failed); returns the jobs. */
export async function finished(jobs: JobsBackend, queue: string, ids: readonly string[], ms = EVENT_WAIT_MS) {
  const q = jobs.queue(queue);
  await until(async () => (await Promise.all(ids.map((id) => q.getJobState(id)))).every((s) => s === 'completed' || s === 'failed'), ms, `${queue} jobs ${ids.join(', ')} to finish`, 50);
  return Promise.all(ids.map(async (id) => (await q.getJob(id))!));
}

/** Resolves once none of `names` holds a job that is waiting, active or delayed: every one ran. */
export async function queuesIdle(jobs: JobsBackend, names: readonly string[], ms = EVENT_WAIT_MS): Promise<void> {
  let left: number[] = [];
  const idle = async () => {
    left = await Promise.all(names.map(async (n) => Object.values(await jobs.queue(n).getJobCounts(...PENDING)).reduce((a, b) => a + b, 0)));
    return left.every((c) => c === 0);
  };
  await until(idle, ms, `queues ${names.join(', ')} to be idle`, 50).catch((e: Error) => {
    throw new Error(`${e.message} (jobs left: ${left.join(', ')})`);
  });
}

/** 09:00 in San José on Tuesday 1 December 2026 (PA holds the presidency; Troika MX, PA, SV). */
export const NINE_CR = '2026-12-01T15:00:00.000Z';
/** 17:00 in San José the same day. */
export const FIVE_PM_CR = '2026-12-01T23:00:00.000Z';

/**
 * Countries whose focal points get a 09:00 reminder on Tuesday 1 December 2026 at 09:00 in San José: their
 * zone is UTC-6 then and the day is a business day for them. Not Costa Rica (1 December is a public
 * holiday there, Abolition of the Army Day: its D-0 is Monday 30th, before the text circulated), nor
 * Panama, Toronto, New York (UTC-5) and Santo Domingo (UTC-4), where it was past 09:00 already.
 */
export const NINE_O_CLOCK_COUNTRIES = ['BZ', 'SV', 'GT', 'HN', 'MX', 'NI'] as const;

export function focalPointsOf(state: ConsultationState, countries: readonly string[]): string[] {
  return state.participants.members.filter((m) => countries.includes(m.code)).flatMap((m) => m.focalPoints.map((f) => f.personId)).sort();
}

/** Outbox rows of a kind (any consultation), with their dedupe key and recipient person. */
export async function outboxRows(engine: Engine, kind: string) {
  const rows = await engine.db.prisma.outboxMessage.findMany({ where: { kind }, orderBy: { dedupeKey: 'asc' } });
  return rows.map((r) => ({ id: r.id, dedupeKey: r.dedupeKey, status: r.status, personId: (r.recipient as { personId?: string }).personId }));
}

export function expectNoSideErrors(logger: RecordingLogger): void {
  expect(logger.errors.map((e) => `${e.msg}: ${JSON.stringify(e.obj, (_k, v) => (v instanceof Error ? v.message : v))}`)).toEqual([]);
}

export { RecordingNotifier };
