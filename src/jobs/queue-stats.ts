/**
 * What /metrics reads from the queues and the outbox on each scrape (src/http/metrics.ts, "scrape
 * sources"): per queue, the jobs by state and the age of the oldest job ready to run; the outbox's pending
 * and dead rows and its oldest pending row; the inbox's unprocessed interactions and the oldest of them. Cheap on purpose: two BullMQ calls per queue (getJobCounts,
 * and one job read for the oldest waiting one) and one grouped query on the outbox's status index.
 *
 *   const unwatch = watchOperations(engine, jobs);   // npm start, after the jobs backend is up
 *   unwatch();                                       // on shutdown
 */
import type { Engine } from '../app/context.ts';
import { setScrapeSources, type QueueStats } from '../http/metrics.ts';
import type { JobsBackend } from './backend.ts';
import { QUEUES } from './names.ts';

/** The age of a job ready to run counts from when it became ready: created, or due after a delay or retry. */
function readySince(job: { timestamp: number; delay?: number; processedOn?: number }): number {
  return Math.max(job.timestamp + (job.delay ?? 0), job.processedOn ?? 0);
}

export async function queueStats(jobs: JobsBackend, names: readonly string[] = Object.values(QUEUES), now = Date.now): Promise<QueueStats[]> {
  return Promise.all(
    names.map(async (name) => {
      const queue = jobs.queue(name);
      const c = await queue.getJobCounts('wait', 'prioritized', 'delayed', 'active', 'failed');
      const waiting = (c.wait ?? 0) + (c.prioritized ?? 0);
      // The wait list's oldest end (asc); a prioritized-only backlog is rare here (no job sets a priority).
      const [oldest] = waiting > 0 ? await queue.getJobs(['wait', 'prioritized'], 0, 0, true) : [];
      const at = now();
      return {
        queue: name,
        counts: { waiting, delayed: c.delayed ?? 0, active: c.active ?? 0, failed: c.failed ?? 0 },
        oldestWaitingSeconds: oldest ? Math.max(0, at - readySince(oldest)) / 1000 : 0,
      };
    }),
  );
}

/** Points /metrics at this engine's outbox and inbox and this jobs backend; returns the function that unsets it. */
export function watchOperations(engine: Pick<Engine, 'outbox'> & Partial<Pick<Engine, 'inbox'>>, jobs: JobsBackend): () => void {
  const inbox = engine.inbox;
  setScrapeSources({ queues: () => queueStats(jobs), outbox: () => engine.outbox.backlog(), ...(inbox ? { inbox: () => inbox.backlog() } : {}) });
  return () => setScrapeSources({});
}
