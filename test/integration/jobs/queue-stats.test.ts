/**
 * queueStats' oldest waiting job with priorities: the oldest across the lanes, not the highest priority's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DELIVER_PRIORITY } from '../../../src/jobs/deliver.ts';
import { queueStats } from '../../../src/jobs/queue-stats.ts';
import { SETUP_MS, JOBS_KINDS, openTestJobs, type TestJobs } from '../../fixtures/jobs/backends.ts';

describe.each(JOBS_KINDS)('queueStats on %s', (kind) => {
  let jobs: TestJobs;
  beforeAll(async () => {
    jobs = await openTestJobs(kind, `${import.meta.url}#${kind}`);
  }, SETUP_MS);
  afterAll(async () => {
    await jobs?.dispose();
  }, SETUP_MS);

  it('the oldest waiting job is the oldest of every priority level (a newer first-lane job does not hide it)', async () => {
    const queue = jobs.backend.queue('stats-test');
    const old = await queue.add('x', {}, { priority: DELIVER_PRIORITY.normal, timestamp: 1_000_000 });
    await queue.add('x', {}, { priority: DELIVER_PRIORITY.normal, timestamp: 2_000_000 });
    await queue.add('x', {}, { priority: DELIVER_PRIORITY.first, timestamp: 3_000_000 });
    await queue.add('x', {}, { priority: DELIVER_PRIORITY.first, timestamp: 4_000_000 });
    expect(old.timestamp).toBe(1_000_000);
    const [stats] = await queueStats(jobs.backend, ['stats-test'], () => 11_000_000);
    expect(stats!.counts.waiting).toBe(4);
    expect(stats!.oldestWaitingSeconds).toBe(10_000);
  });
});
