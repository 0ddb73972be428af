/**
 * The timing figures the tests no longer assert (a slow machine made them fail, or pass without testing
 * anything), measured here instead, one small scenario at a time on an otherwise idle process:
 *
 *   bullmq    per backend: how late a delayed job (1 s) runs; how soon an idle worker runs a job that is
 *             added (test/integration/jobs/backends.test.ts used to assert < 1 s and < 500 ms); how long
 *             after a 429 with Retry-After 1 s the deliver worker sends again (deliver.test.ts: < 5 s).
 *   stalled   redis and postgres: a deliver worker in a child process SIGKILLed mid-request; how long
 *             until a new worker (lock 1.5 s, stalled checks every 0.5 s) has delivered the message
 *             (deliver-sigkill.test.ts: < 15 s, child start-up included).
 *   readyz    GET /readyz with a check that never answers and a 100 ms check timeout: how soon the 503
 *             comes (test/e2e/http-server.test.ts: < 2 s).
 *
 * The reminder lateness on an idle app (remind.test.ts: each within 3 s of 09:00) is the "idle" line of
 * bench/jobs.bench.ts; the Slack path an explicit deadline must outlast (deadline.test.ts's 35 s lead) is
 * bench/slack-lead.bench.ts.
 *
 * `npx tsx bench/timings.bench.ts` or `npm run bench -- timings`. TIMINGS=bullmq,stalled,readyz picks parts.
 */
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pg from 'pg';
import { Redis } from 'ioredis';
import type { Job } from 'bullmq';
import { createJobsBackend, type JobsBackend, type JobsBackendKind } from '../src/jobs/backend.ts';
import { enqueueDeliveries, startDeliverWorker } from '../src/jobs/deliver.ts';
import { RecordingNotifier } from '../src/jobs/notifier.ts';
import { createHttpServer } from '../src/http/server.ts';
import { silentLogger } from '../src/log.ts';
import { openDatabase } from '../src/store/database.ts';
import { OutboxStore } from '../src/store/outbox-store.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const REDIS_URL = process.env['REDIS_URL'] || 'redis://127.0.0.1:6379';
const PG_USER = process.env['PGUSER'] || 'postgres';
const pgUrl = (db: string) => `postgresql://${encodeURIComponent(PG_USER)}@127.0.0.1:5432/${db}`;
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(check: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}
const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return `p50 ${s[Math.floor((s.length - 1) / 2)]} ms, max ${s.at(-1)} ms (n=${s.length})`;
};

async function admin(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: pgUrl('postgres') });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

/** A jobs backend in a namespace of its own (and a database of its own on PostgreSQL), and its removal. */
async function backendOf(kind: JobsBackendKind) {
  const prefix = `bench_t_${randomBytes(4).toString('hex')}`;
  const dataDir = await mkdtemp(join(tmpdir(), 'crm-bench-timings-'));
  const queueDb = kind === 'postgres' ? `crm_bench_t_${randomBytes(4).toString('hex')}` : undefined;
  if (queueDb) await admin(`CREATE DATABASE "${queueDb}"`);
  const config: { dataDir: string; prefix: string; redisUrl?: string; databaseUrl?: string } = { dataDir, prefix, ...(kind === 'redis' ? { redisUrl: REDIS_URL } : queueDb ? { databaseUrl: pgUrl(queueDb) } : {}) };
  const jobs = await createJobsBackend({ ...config, onError: () => undefined });
  return {
    jobs,
    config,
    async dispose() {
      await jobs.close().catch(() => undefined);
      if (kind === 'redis') {
        const r = new Redis(REDIS_URL);
        let cursor = '0';
        do {
          const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
          cursor = next;
          if (keys.length) await r.del(...keys);
        } while (cursor !== '0');
        r.disconnect();
      }
      if (queueDb) await admin(`DROP DATABASE IF EXISTS "${queueDb}" WITH (FORCE)`).catch(() => undefined);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

async function delayedAndWake(jobs: JobsBackend): Promise<{ late: number[]; wake: number[] }> {
  const late: number[] = [];
  const queue = jobs.queue('timing-delay');
  const ran = new Map<string, number>();
  const worker = jobs.worker('timing-delay', async (job: Job) => void ran.set(job.id!, Date.now()));
  await worker.waitUntilReady();
  for (let i = 0; i < 5; i++) {
    const job = await queue.add('d', {}, { delay: 1_000 });
    await until(() => ran.has(job.id!), 30_000, 'the delayed job');
    late.push(ran.get(job.id!)! - (job.timestamp + 1_000));
  }
  const wake: number[] = [];
  for (let i = 0; i < 10; i++) {
    const drained = new Promise<void>((r) => worker.once('drained', () => r()));
    await Promise.race([drained, sleep(2_000)]); // idle: it found nothing more to do
    const t0 = Date.now();
    const job = await queue.add('w', {});
    await until(() => ran.has(job.id!), 30_000, 'the woken job');
    wake.push(ran.get(job.id!)! - t0);
  }
  await worker.close();
  return { late, wake };
}

async function retryAfter(jobs: JobsBackend): Promise<number[]> {
  const db = await openDatabase({ dataDir: 'memory://' });
  try {
    const outbox = new OutboxStore(db.prisma);
    const notifier = new RecordingNotifier();
    const worker = startDeliverWorker(jobs, { outbox, notifier, logger: quiet, secretariat: () => undefined }, { retry: { attempts: 1, backoffMs: 100 } });
    await worker.waitUntilReady();
    const gaps: number[] = [];
    for (let i = 0; i < 3; i++) {
      const dedupeKey = `bench.${randomUUID()}`;
      notifier.rateLimit(1_000, { when: (it) => it.dedupeKey === dedupeKey });
      const [id] = await outbox.enqueue([{ dedupeKey, platform: 'slack', recipient: { kind: 'person', personId: 'p', name: 'Ana' }, kind: 'reminder', payload: {} }]);
      await enqueueDeliveries(jobs, [id!], { attempts: 1, backoffMs: 100 });
      await until(() => notifier.deliveriesOf(dedupeKey) === 1, 30_000, 'the rate-limited delivery');
      const tries = notifier.attempts.filter((a) => a.item.dedupeKey === dedupeKey);
      gaps.push(tries[1]!.at - tries[0]!.at);
    }
    await worker.close();
    return gaps;
  } finally {
    await db.close();
  }
}

async function bullmq(): Promise<void> {
  for (const kind of ['redis', 'postgres', 'embedded'] as const) {
    const b = await backendOf(kind).catch((e: Error) => e);
    if (b instanceof Error) {
      console.log(`${kind.padEnd(8)} | not measured: ${b.message}`);
      continue;
    }
    try {
      const { late, wake } = await delayedAndWake(b.jobs);
      const gaps = await retryAfter(b.jobs);
      console.log(`${kind.padEnd(8)} | delayed 1 s job runs late by ${stats(late)} | idle worker runs an added job after ${stats(wake)} | 429 Retry-After 1 s → sent again after ${stats(gaps)}`);
    } finally {
      await b.dispose();
    }
  }
}

/** The stalled-job takeover, as deliver-sigkill.test.ts stages it (its fixture worker, a platform that holds requests). */
async function stalled(): Promise<void> {
  for (const kind of ['redis', 'postgres'] as const) {
    const appDb = `crm_bench_t_app_${randomBytes(4).toString('hex')}`;
    await admin(`CREATE DATABASE "${appDb}"`);
    const db = await openDatabase({ databaseUrl: pgUrl(appDb), dataDir: 'unused' });
    const b = await backendOf(kind);
    const held: ServerResponse[] = [];
    let hold = true;
    let requests = 0;
    const platform = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        requests += 1;
        if (hold) return void held.push(res);
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, receipt: { ts: '1.000100' } }));
      });
    });
    await new Promise<void>((r) => platform.listen(0, '127.0.0.1', r));
    const env = {
      PATH: process.env['PATH'] ?? '',
      HOME: process.env['HOME'] ?? '/tmp',
      APP_DATABASE_URL: pgUrl(appDb),
      JOBS_PREFIX: b.config.prefix,
      NOTIFIER_URL: `http://127.0.0.1:${(platform.address() as AddressInfo).port}/post`,
      ...(b.config.redisUrl ? { JOBS_REDIS_URL: b.config.redisUrl } : { JOBS_DATABASE_URL: b.config.databaseUrl! }),
    };
    const start = () =>
      new Promise<ReturnType<typeof spawn>>((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/jobs/deliver-worker.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
        child.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve(child));
        child.on('exit', (code) => reject(new Error(`worker exited ${code}`)));
      });
    try {
      const outbox = new OutboxStore(db.prisma);
      const [id] = await outbox.enqueue([{ dedupeKey: `bench.${randomUUID()}`, platform: 'slack', recipient: { kind: 'person', personId: 'p', name: 'Ana' }, kind: 'reminder', payload: {} }]);
      const first = await start();
      await enqueueDeliveries(b.jobs, [id!], { attempts: 3, backoffMs: 200 });
      await until(() => requests === 1, 60_000, 'the first request');
      first.kill('SIGKILL');
      await new Promise((r) => first.once('exit', r));
      hold = false;
      const t0 = Date.now();
      const second = await start();
      const started = Date.now() - t0;
      await until(async () => (await outbox.get(id!))?.status === 'sent', 60_000, 'the takeover');
      console.log(`${kind.padEnd(8)} | SIGKILLed worker's job: new worker started in ${started} ms, message sent ${Date.now() - t0} ms after the start (takeover ${Date.now() - t0 - started} ms)`);
      second.kill('SIGTERM');
      await new Promise((r) => second.once('exit', r));
    } finally {
      for (const r of held) r.destroy();
      platform.closeAllConnections();
      await new Promise((r) => platform.close(r));
      await b.dispose();
      await db.close();
      await admin(`DROP DATABASE IF EXISTS "${appDb}" WITH (FORCE)`).catch(() => undefined);
    }
  }
}

async function readyz(): Promise<void> {
  const server = createHttpServer({ port: 0, host: '127.0.0.1', logger: silentLogger(), readinessTimeoutMs: 100, readiness: { database: async () => {}, queue: () => new Promise<void>(() => {}) } });
  const port = await server.listen();
  try {
    const ms: number[] = [];
    for (let i = 0; i < 10; i++) {
      const t0 = Date.now();
      const res = await fetch(`http://127.0.0.1:${port}/readyz`);
      await res.text();
      ms.push(Date.now() - t0);
    }
    console.log(`readyz   | a check that never answers, 100 ms timeout: 503 after ${stats(ms)}`);
  } finally {
    await server.close();
  }
}

export async function run(): Promise<void> {
  const parts = process.env['TIMINGS']?.split(',') ?? ['bullmq', 'stalled', 'readyz'];
  console.log('timings: the figures the tests used to assert with wall-clock bounds, one scenario at a time');
  if (parts.includes('bullmq')) await bullmq();
  if (parts.includes('stalled')) await stalled().catch((e: Error) => console.log(`stalled  | not measured: ${e.message}`));
  if (parts.includes('readyz')) await readyz();
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await run();
}
