/**
 * Baseline: bare BullMQ on each backend createJobsBackend can choose. 2,000 jobs all due at the same
 * instant (~2 s ahead), one Worker (concurrency 50) doing nothing. Prints, per backend: how long adding
 * took, how long after the due time the last job ran, and the lateness of each job against its own due
 * time (p50 / p99 / max).
 *
 * `npx tsx bench/bullmq-bare.bench.ts` (standalone) or `npm run bench -- bullmq-bare`.
 * REDIS_URL / DATABASE_URL default to the local services; an unreachable one is reported and skipped
 * (a benchmark, unlike a test, should still measure the others).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { Redis } from 'ioredis';
import type { Job } from 'bullmq';
import { createJobsBackend, type JobsBackendKind } from '../src/jobs/backend.ts';

const JOBS = 2_000;
const CONCURRENCY = 50;
const LEAD_MS = 2_000;
const REDIS_URL = process.env['REDIS_URL'] || 'redis://127.0.0.1:6379';
const DATABASE_URL =
  process.env['DATABASE_URL'] || `postgresql://${process.env['PGUSER'] || 'postgres'}@127.0.0.1:5432/test`;

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

async function once(kind: JobsBackendKind): Promise<void> {
  const prefix = `bench_${randomBytes(4).toString('hex')}`;
  const dataDir = await mkdtemp(join(tmpdir(), 'crm-bench-'));
  const t0 = Date.now();
  const backend = await createJobsBackend({
    dataDir,
    prefix,
    ...(kind === 'redis' ? { redisUrl: REDIS_URL } : kind === 'postgres' ? { databaseUrl: DATABASE_URL } : {}),
  });
  const openMs = Date.now() - t0;
  try {
    const name = 'bare';
    const queue = backend.queue(name);
    const lateness: number[] = [];
    let last = 0;
    let resolveAll!: () => void;
    const all = new Promise<void>((r) => (resolveAll = r));
    const worker = backend.worker(
      name,
      async (job: Job) => {
        const now = Date.now();
        lateness.push(now - (job.timestamp + (job.opts.delay ?? 0)));
        last = Math.max(last, now);
        if (lateness.length === JOBS) resolveAll();
      },
      { concurrency: CONCURRENCY },
    );
    await worker.waitUntilReady();

    const due = Date.now() + LEAD_MS;
    const addStart = Date.now();
    for (let i = 0; i < JOBS; i += 250) {
      const now = Date.now();
      await queue.addBulk(
        Array.from({ length: Math.min(250, JOBS - i) }, (_, k) => ({
          name: 'noop',
          data: { i: i + k },
          opts: { delay: Math.max(0, due - now), jobId: `bare-${i + k}` },
        })),
      );
    }
    const addMs = Date.now() - addStart;

    const timeout = setTimeout(() => resolveAll(), 120_000);
    await all;
    clearTimeout(timeout);
    lateness.sort((a, b) => a - b);
    const drained = last - due;
    const line = [
      `${kind.padEnd(8)}`,
      `open ${openMs} ms`,
      `add ${JOBS} in ${addMs} ms${addMs > LEAD_MS ? ' (slower than the lead time!)' : ''}`,
      `processed ${lateness.length}/${JOBS}`,
      `all done ${drained} ms after due`,
      `lateness p50 ${quantile(lateness, 0.5)} ms, p99 ${quantile(lateness, 0.99)} ms, max ${lateness.at(-1)} ms`,
    ];
    console.log(line.join(' | '));
  } finally {
    await backend.close();
    await cleanup(kind, prefix);
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function cleanup(kind: JobsBackendKind, prefix: string): Promise<void> {
  if (kind === 'redis') {
    const r = new Redis(REDIS_URL);
    try {
      let cursor = '0';
      do {
        const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length) await r.del(...keys);
      } while (cursor !== '0');
    } finally {
      r.disconnect();
    }
  } else if (kind === 'postgres') {
    const c = new pg.Client({ connectionString: DATABASE_URL });
    await c.connect();
    try {
      await c.query(`DROP SCHEMA IF EXISTS "${prefix}" CASCADE`);
    } finally {
      await c.end();
    }
  }
}

export async function run(): Promise<void> {
  console.log(`bullmq-bare: ${JOBS} jobs due together ${LEAD_MS} ms ahead, no-op worker, concurrency ${CONCURRENCY}`);
  for (const kind of ['redis', 'postgres', 'embedded'] as const) {
    try {
      await once(kind);
    } catch (e) {
      console.log(`${kind.padEnd(8)} | not measured: ${(e as Error).message}`);
    }
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await run();
}
