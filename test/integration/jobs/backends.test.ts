/**
 * One conformance suite, run against every BullMQ backend that createJobsBackend can choose: Redis,
 * PostgreSQL and the embedded PGlite. Each run uses its own Redis prefix / PostgreSQL schema / data
 * directory, so test files can run in parallel. An unreachable Redis or PostgreSQL fails the suite.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from 'bullmq';
import { createJobsBackend, type JobsBackend, type JobsBackendKind } from '../../../src/jobs/backend.ts';
import { TEST_REDIS_URL, assertRedisReachable, deleteRedisPrefix, uniquePrefix } from '../../helpers/redis.ts';

const PG_URL =
  process.env['TEST_DATABASE_URL'] ||
  `postgresql://${encodeURIComponent(process.env['PGUSER'] || 'postgres')}@127.0.0.1:5432/test`;

async function assertPostgresReachable(url: string): Promise<void> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  try {
    await c.connect();
    await c.query('SELECT 1');
  } catch (e) {
    throw new Error(
      `Integration tests need PostgreSQL at ${url} and could not reach it: ${(e as Error).message}. ` +
        'Start PostgreSQL (or set TEST_DATABASE_URL); these tests never skip.',
      { cause: e },
    );
  } finally {
    await c.end().catch(() => undefined);
  }
}

async function dropSchema(url: string, schema: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await c.end();
  }
}

/** A backend of the given kind in a namespace of its own, and how to remove every trace of it. */
async function open(kind: JobsBackendKind): Promise<{ backend: JobsBackend; dispose: () => Promise<void> }> {
  const prefix = uniquePrefix(`${kind}_${import.meta.url.split('/').pop()}`);
  const dataDir = await mkdtemp(join(tmpdir(), 'crm-jobs-'));
  const cfg =
    kind === 'redis'
      ? { redisUrl: TEST_REDIS_URL, dataDir, prefix }
      : kind === 'postgres'
        ? { databaseUrl: PG_URL, dataDir, prefix }
        : { dataDir, prefix };
  if (kind === 'redis') await assertRedisReachable(TEST_REDIS_URL);
  if (kind === 'postgres') await assertPostgresReachable(PG_URL);
  const backend = await createJobsBackend({ ...cfg, onError: () => undefined });
  expect(backend.kind).toBe(kind);
  return {
    backend,
    dispose: async () => {
      await backend.close();
      if (kind === 'redis') await deleteRedisPrefix(prefix, TEST_REDIS_URL);
      if (kind === 'postgres') await dropSchema(PG_URL, prefix);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` every 20 ms until it is true or `ms` elapse. */
async function until(check: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await sleep(20);
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what}`);
}

let seq = 0;
const queueName = (what: string) => `${what}-${++seq}`;

describe.each(['redis', 'postgres', 'embedded'] as const)('BullMQ on %s', (kind) => {
  let backend: JobsBackend;
  let dispose: () => Promise<void>;

  beforeAll(async () => {
    ({ backend, dispose } = await open(kind));
  });
  afterAll(async () => {
    await dispose?.();
  });

  it('answers ping()', async () => {
    await expect(backend.ping()).resolves.toBeUndefined();
  });

  it('runs a delayed job not before its time, and soon after', async () => {
    const name = queueName('delay');
    const queue = backend.queue(name);
    const ran: number[] = [];
    backend.worker(name, async () => {
      ran.push(Date.now());
    });
    const delay = 1_500;
    const job = await queue.add('remind', { n: 1 }, { delay });
    const due = job.timestamp + delay;
    await until(() => ran.length === 1, delay + 5_000, 'the delayed job');
    const lateness = ran[0]! - due;
    expect(lateness).toBeGreaterThanOrEqual(0);
    expect(lateness).toBeLessThan(1_000);
  });

  it('wakes an idle worker at once when a job is added (no polling)', async () => {
    const name = queueName('wake');
    const queue = backend.queue(name);
    const ran: number[] = [];
    const worker = backend.worker(name, async () => {
      ran.push(Date.now());
    });
    await worker.waitUntilReady();
    await sleep(700); // let the worker go idle and block (drainDelay is 5 s)
    const t0 = Date.now();
    await queue.add('deliver', {});
    await until(() => ran.length === 1, 5_000, 'the job');
    expect(ran[0]! - t0).toBeLessThan(500);
  });

  it('runs a job added twice with the same custom id once', async () => {
    const name = queueName('dedup');
    const queue = backend.queue(name);
    // BullMQ's rules for custom ids: never an integer-looking string, and no ':' (reserved).
    await expect(queue.add('x', {}, { jobId: '42' })).rejects.toThrow(/cannot be integers/);
    await expect(queue.add('x', {}, { jobId: 'a:b' })).rejects.toThrow(/cannot contain :/);

    const jobId = 'remind-c42-d3';
    const first = await queue.add('remind', { n: 1 }, { jobId, delay: 300 });
    const second = await queue.add('remind', { n: 2 }, { jobId, delay: 300 });
    expect(first.id).toBe(jobId);
    expect(second.id).toBe(jobId);
    const seen: unknown[] = [];
    backend.worker(name, async (job: Job) => {
      seen.push(job.data);
    });
    await until(() => seen.length >= 1, 5_000, 'the job');
    // Adding it again after it completed (it is kept) must not run it again either.
    await queue.add('remind', { n: 3 }, { jobId });
    await sleep(800);
    expect(seen).toEqual([{ n: 1 }]);
  });

  it('cancels a delayed job removed by id', async () => {
    const name = queueName('cancel');
    const queue = backend.queue(name);
    const ran: string[] = [];
    backend.worker(name, async (job: Job) => {
      ran.push(job.id!);
    });
    await queue.add('deadline', {}, { jobId: 'deadline-c7', delay: 700 });
    await queue.add('deadline', {}, { jobId: 'deadline-c8', delay: 700 });
    expect(await queue.getJobState('deadline-c7')).toBe('delayed');
    expect(await queue.remove('deadline-c7')).toBe(1);
    expect(await queue.getJob('deadline-c7')).toBeUndefined();
    await until(() => ran.includes('deadline-c8'), 5_000, 'the job that was not removed');
    await sleep(300);
    expect(ran).toEqual(['deadline-c8']);
  });

  it('retries a failing job with exponential backoff, then fails it', async () => {
    const name = queueName('retry');
    const queue = backend.queue(name);
    const attempts: number[] = [];
    let failed: Job | undefined;
    const worker = backend.worker(name, async () => {
      attempts.push(Date.now());
      throw new Error('Slack is down');
    });
    worker.on('failed', (job) => {
      if (job && job.attemptsMade >= 3) failed = job;
    });
    const base = 200;
    await queue.add('deliver', {}, { jobId: 'deliver-o1', attempts: 3, backoff: { type: 'exponential', delay: base } });
    await until(() => failed !== undefined, 10_000, 'the final failure');
    expect(attempts).toHaveLength(3);
    const gap1 = attempts[1]! - attempts[0]!;
    const gap2 = attempts[2]! - attempts[1]!;
    // Exponential: base * 2^(attempt-1) = 200 ms, then 400 ms (allow a little clock slack).
    expect(gap1).toBeGreaterThanOrEqual(base - 10);
    expect(gap2).toBeGreaterThanOrEqual(2 * base - 10);
    expect(gap2).toBeGreaterThan(gap1);
    expect(await queue.getJobState('deliver-o1')).toBe('failed');
    expect(failed?.failedReason).toBe('Slack is down');
  });

  it('fires a Job Scheduler repeatedly', async () => {
    const name = queueName('sched');
    const queue = backend.queue(name);
    const ticks: number[] = [];
    backend.worker(name, async () => {
      ticks.push(Date.now());
    });
    await queue.upsertJobScheduler('reconcile', { every: 300 }, { name: 'reconcile', data: { all: true } });
    await until(() => ticks.length >= 3, 5_000, 'three scheduler runs');
    expect(await queue.removeJobScheduler('reconcile')).toBe(true);
    const gaps = ticks.slice(1).map((t, i) => t - ticks[i]!);
    for (const g of gaps) expect(g).toBeGreaterThanOrEqual(150);
  });

  it('close() waits for an in-flight job', async () => {
    // A backend of its own, since close() ends everything.
    const own = await open(kind);
    try {
      const name = queueName('close');
      let started = false;
      let finished = false;
      own.backend.worker(name, async () => {
        started = true;
        await sleep(800);
        finished = true;
      });
      await own.backend.queue(name).add('slow', {});
      await until(() => started, 5_000, 'the job to start');
      expect(finished).toBe(false);
      const t0 = Date.now();
      await own.backend.close();
      expect(finished).toBe(true);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(300);
    } finally {
      await own.dispose();
    }
  });
});
