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
import { DELIVER_PRIORITY } from './deliver.ts';
import { QUEUES } from './names.ts';

/** The age of a job ready to run counts from when it became ready: created, or due after a delay or retry. */
function readySince(job: { timestamp: number; delay?: number; processedOn?: number }): number {
  return Math.max(job.timestamp + (job.delay ?? 0), job.processedOn ?? 0);
}

/** The priority levels jobs are given (deliver's lanes); jobs of another level count through the first one. */
const PRIORITY_LEVELS = [...new Set(Object.values(DELIVER_PRIORITY))].sort((a, b) => a - b);

/**
 * The oldest job ready to run: the wait list's oldest end, and the oldest of each priority level (the
 * prioritized set is ordered by priority, then by arrival: its first job is the highest priority's oldest,
 * not the oldest overall; each level's oldest sits after the levels before it).
 */
async function oldestWaiting(queue: ReturnType<JobsBackend['queue']>, plain: number, prioritized: number): Promise<{ timestamp: number; delay?: number; processedOn?: number } | undefined> {
  const found: ({ timestamp: number; delay?: number; processedOn?: number } | undefined)[] = [];
  if (plain > 0) found.push(...(await queue.getJobs(['wait'], 0, 0, true)));
  if (prioritized > 0) {
    found.push(...(await queue.getJobs(['prioritized'], 0, 0, true)));
    const per = await queue.getCountsPerPriority(PRIORITY_LEVELS).catch(() => ({}) as Record<string, number>);
    let offset = 0;
    for (const level of PRIORITY_LEVELS) {
      const n = Number(per[String(level)] ?? 0);
      if (n > 0 && offset > 0) found.push(...(await queue.getJobs(['prioritized'], offset, offset, true)));
      offset += n;
    }
  }
  return found.filter((j) => j !== undefined).sort((a, b) => readySince(a) - readySince(b))[0];
}

export async function queueStats(jobs: JobsBackend, names: readonly string[] = Object.values(QUEUES), now = Date.now): Promise<QueueStats[]> {
  return Promise.all(
    names.map(async (name) => {
      const queue = jobs.queue(name);
      const c = await queue.getJobCounts('wait', 'prioritized', 'delayed', 'active', 'failed');
      const waiting = (c.wait ?? 0) + (c.prioritized ?? 0);
      const oldest = waiting > 0 ? await oldestWaiting(queue, c.wait ?? 0, c.prioritized ?? 0) : undefined;
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
