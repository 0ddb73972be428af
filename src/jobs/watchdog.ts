/**
 * The job store lost while the bot runs (Redis restarted without its AOF, flushed, evicted; a PostgreSQL
 * queue schema restored): every delayed job is gone, and so are the Job Schedulers — including the one that
 * runs reconcile every few minutes, which would otherwise only come back at the next start. This watchdog
 * looks once a minute for the reconcile scheduler; when it is missing it registers the schedulers again and
 * runs reconcile at once, which rebuilds every reminder, deadline and pending delivery from the database.
 * One cheap read per minute; a failed check (the store unreachable) is retried the next minute.
 */
import type { FlowLogger } from '../flows/ports.ts';
import type { JobsBackend } from './backend.ts';
import { QUEUES } from './names.ts';
import { RECONCILE_SCHEDULER_ID } from './reconcile.ts';

export const DEFAULT_WATCHDOG_EVERY_MS = 60_000;

export interface WatchdogOptions {
  jobs: JobsBackend;
  /** Registers every Job Scheduler again (reconcile's, the weekly digest's, …). */
  reRegister: () => Promise<void>;
  reconcile: () => Promise<unknown>;
  logger?: FlowLogger;
  everyMs?: number;
}

/** Starts the watchdog; resolves nothing, returns its stop function (waits for a check in flight). */
export function startJobStoreWatchdog(o: WatchdogOptions): () => Promise<void> {
  let running: Promise<void> | undefined;
  const check = async () => {
    const present = await o.jobs.queue(QUEUES.reconcile).getJobScheduler(RECONCILE_SCHEDULER_ID);
    if (present) return;
    o.logger?.warn({ scheduler: RECONCILE_SCHEDULER_ID }, 'the job store lost its schedulers (Redis or the queue database was emptied?): registering them again and reconciling now');
    await o.reRegister();
    await o.reconcile();
  };
  const timer = setInterval(() => {
    running ??= check()
      .catch((err: unknown) => o.logger?.error({ err }, 'job store watchdog: check failed; retrying in a minute'))
      .finally(() => {
        running = undefined;
      });
  }, o.everyMs ?? DEFAULT_WATCHDOG_EVERY_MS);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
