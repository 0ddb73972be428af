/**
 * One conformance suite, run against every BullMQ backend that createJobsBackend can choose: Redis,
 * PostgreSQL and the embedded PGlite. Each run uses its own Redis prefix / PostgreSQL schema / data
 * directory (test/fixtures/jobs/backends.ts), so test files can run in parallel. An unreachable Redis or
 * PostgreSQL fails the suite. Nothing here asserts how fast BullMQ is (bench/timings.bench.ts measures the
 * lateness of a delayed job and how soon an idle worker wakes); "X did not happen" is asserted only after a
 * later job in the same queue ran.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from 'bullmq';
import type { JobsBackend } from '../../../src/jobs/backend.ts';
import { SETUP_MS, EVENT_WAIT_MS, JOBS_KINDS, openTestJobs, until } from '../../fixtures/jobs/backends.ts';

let seq = 0;
const queueName = (what: string) => `${what}-${++seq}`;
const open = (kind: (typeof JOBS_KINDS)[number]) => openTestJobs(kind, import.meta.url);

describe.each(JOBS_KINDS)('BullMQ on %s', (kind) => {
  let backend: JobsBackend;
  let dispose: () => Promise<void>;

  beforeAll(async () => {
    ({ backend, dispose } = await open(kind));
  }, SETUP_MS);
  afterAll(async () => {
    await dispose?.();
  }, SETUP_MS);

  it('answers ping()', async () => {
    await expect(backend.ping()).resolves.toBeUndefined();
  });

  it('runs a delayed job, not before its time', async () => {
    const name = queueName('delay');
    const queue = backend.queue(name);
    const ran: number[] = [];
    backend.worker(name, async () => {
      ran.push(Date.now());
    });
    const delay = 1_500;
    const job = await queue.add('remind', { n: 1 }, { delay });
    expect(await queue.getJobState(job.id!)).toBe('delayed');
    await until(() => ran.length === 1, EVENT_WAIT_MS, 'the delayed job');
    expect(ran[0]! - (job.timestamp + delay)).toBeGreaterThanOrEqual(0);
  });

  it('wakes an idle worker when a job is added: it does not wait out its 120 s poll', async () => {
    const name = queueName('wake');
    const queue = backend.queue(name);
    const ran: string[] = [];
    // An idle worker re-checks the queue every drainDelay seconds; 120 s here, so a job that runs within
    // the bounded wait below (a quarter of that) was announced to the worker, not found by polling.
    const worker = backend.worker(name, async (job: Job) => void ran.push(job.id!), { drainDelay: 120 });
    const drained = new Promise<void>((resolve) => worker.once('drained', () => resolve()));
    await worker.waitUntilReady();
    await drained; // it found nothing to do and waits
    const job = await queue.add('deliver', {});
    await until(() => ran.includes(job.id!), 30_000, 'the job, run without the worker polling');
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
    await until(() => seen.length >= 1, EVENT_WAIT_MS, 'the job');
    await until(async () => (await queue.getJobState(jobId)) === 'completed', EVENT_WAIT_MS, 'the job to complete');
    // Adding it again after it completed (it is kept) must not run it again either. One worker runs one
    // job at a time, oldest first: once a marker added after it has run, a second run would have happened.
    await queue.add('remind', { n: 3 }, { jobId });
    await queue.add('marker', { marker: true }, { jobId: 'marker-after-dedup' });
    await until(() => seen.length >= 2, EVENT_WAIT_MS, 'the marker job');
    expect(seen).toEqual([{ n: 1 }, { marker: true }]);
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
    // Due after both: one worker runs due jobs in order, so when it has run, c7 would have run before it.
    await queue.add('marker', {}, { jobId: 'marker-after-cancel', delay: 1_200 });
    expect(await queue.getJobState('deadline-c7')).toBe('delayed');
    expect(await queue.remove('deadline-c7')).toBe(1);
    expect(await queue.getJob('deadline-c7')).toBeUndefined();
    await until(() => ran.includes('marker-after-cancel'), EVENT_WAIT_MS, 'the marker due after both');
    expect(ran).toEqual(['deadline-c8', 'marker-after-cancel']);
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
    await until(() => failed !== undefined, EVENT_WAIT_MS, 'the final failure');
    expect(attempts).toHaveLength(3);
    const gap1 = attempts[1]! - attempts[0]!;
    const gap2 = attempts[2]! - attempts[1]!;
    // Exponential: base * 2^(attempt-1) = 200 ms, then 400 ms, never sooner (allow a little clock slack).
    // How much later is load, not correctness: not asserted.
    expect(gap1).toBeGreaterThanOrEqual(base - 10);
    expect(gap2).toBeGreaterThanOrEqual(2 * base - 10);
    expect(await queue.getJobState('deliver-o1')).toBe('failed');
    expect(failed?.failedReason).toBe('Slack is down');
  });

  it('fires a Job Scheduler repeatedly, as planned and never early', async () => {
    const name = queueName('sched');
    const queue = backend.queue(name);
    const runs: { planned: number; at: number }[] = [];
    // A scheduler's job id ends with the instant it is planned for (BullMQ's own record of the schedule).
    backend.worker(name, async (job: Job) => void runs.push({ planned: Number(String(job.id).split(':').pop()), at: Date.now() }));
    await queue.upsertJobScheduler('reconcile', { every: 300 }, { name: 'reconcile', data: { all: true } });
    await until(() => runs.length >= 3, EVENT_WAIT_MS, 'three scheduler runs');
    expect(await queue.removeJobScheduler('reconcile')).toBe(true);
    const planned = runs.map((r) => r.planned);
    expect(planned.slice(1).map((p, i) => p - planned[i]!)).toEqual(planned.slice(1).map(() => 300));
    for (const r of runs) expect(r.at).toBeGreaterThanOrEqual(r.planned);
  });

  it('close() waits for an in-flight job', async () => {
    // A backend of its own, since close() ends everything.
    const own = await open(kind);
    try {
      const name = queueName('close');
      const order: string[] = [];
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      const worker = own.backend.worker(name, async () => {
        order.push('started');
        await gate; // held until close() is under way
        order.push('finished');
      });
      worker.once('closing', () => {
        order.push('closing');
        release();
      });
      await own.backend.queue(name).add('slow', {});
      await until(() => order.includes('started'), EVENT_WAIT_MS, 'the job to start');
      await own.backend.close();
      order.push('closed');
      expect(order).toEqual(['started', 'closing', 'finished', 'closed']);
    } finally {
      await own.dispose();
    }
  }, SETUP_MS); // it opens a backend of its own
});
