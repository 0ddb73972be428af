/**
 * The close job: closes the member stage at its deadline, through the flows (`closeAtDeadline`: one
 * transaction, idempotency key `close:<id>:<deadline version>`). The job carries the deadline version;
 * after an extension the old job finds another version and does nothing. Closing writes the outcome, the
 * ST digest and the result notices as outbox rows; the flows' AfterCommit hook queues their delivery.
 *
 * A job that fires before the deadline (clock skew between hosts) waits for it instead of asking the
 * domain early: a short wait in place, a longer one back in BullMQ's delayed set (no attempt used).
 */
import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import { z } from 'zod';
import { closeAtDeadline } from '../flows/consultation-flows.ts';
import { loadState } from '../flows/execute.ts';
import { jobsTotal } from '../http/metrics.ts';
import type { JobsWorker, JobsWorkerOptions } from './backend.ts';
import { QUEUES } from './names.ts';
import type { CloseJobData } from './plan.ts';
import type { JobsRuntime } from './runtime.ts';

export const CloseJobSchema = z.object({
  consultationId: z.string().min(1),
  deadlineVersion: z.number().int().min(1),
  deadline: z.iso.datetime(),
});

export type CloseOutcome =
  | { result: 'closed'; outcome: string }
  | { result: 'duplicate' }
  | { result: 'stale'; reason: 'not_found' | 'stage' | 'deadline_version' }
  | { result: 'refused'; code: string }
  | { result: 'early'; waitMs: number };

/** Longest early wait done in place; longer ones go back to the delayed set. */
const WAIT_IN_PLACE_MS = 5_000;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Closes if the job still applies. `early` is returned (nothing done) when the deadline is more than
 * `WAIT_IN_PLACE_MS` ahead; a shorter wait is slept through.
 */
export async function processClose(rt: JobsRuntime, data: CloseJobData): Promise<CloseOutcome> {
  const { deps } = rt;
  const { state } = await loadState(deps, data.consultationId);
  if (!state) return { result: 'stale', reason: 'not_found' };
  if (state.stage !== 'member_consultation') return { result: 'stale', reason: 'stage' };
  if (state.deadlineVersion !== data.deadlineVersion || !state.deadline) return { result: 'stale', reason: 'deadline_version' };
  const waitMs = new Date(state.deadline).getTime() - deps.clock.now().getTime();
  if (waitMs > WAIT_IN_PLACE_MS) return { result: 'early', waitMs };
  if (waitMs >= 0) await sleep(waitMs + 1);
  const r = await closeAtDeadline(deps, { consultationId: data.consultationId, deadlineVersion: data.deadlineVersion });
  if (r.ok) return r.duplicate ? { result: 'duplicate' } : { result: 'closed', outcome: r.state.outcome ?? '' };
  return { result: 'refused', code: r.code };
}

export function closeProcessor(rt: JobsRuntime): (job: Job, token?: string) => Promise<CloseOutcome> {
  return async (job, token) => {
    const parsed = CloseJobSchema.safeParse(job.data);
    if (!parsed.success) {
      jobsTotal.inc({ job: 'close', result: 'invalid' });
      throw new UnrecoverableError(`close job ${job.id}: invalid payload: ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`);
    }
    let outcome: CloseOutcome;
    try {
      outcome = await processClose(rt, parsed.data);
    } catch (err) {
      jobsTotal.inc({ job: 'close', result: 'failed' });
      throw err;
    }
    if (outcome.result === 'early') {
      jobsTotal.inc({ job: 'close', result: 'early' });
      await job.moveToDelayed(Date.now() + outcome.waitMs, token);
      throw new DelayedError();
    }
    const result = outcome.result === 'closed' ? 'ok' : outcome.result;
    jobsTotal.inc({ job: 'close', result });
    const log = { jobId: job.id, consultationId: parsed.data.consultationId, deadlineVersion: parsed.data.deadlineVersion };
    if (outcome.result === 'closed') rt.logger?.info({ ...log, outcome: outcome.outcome }, 'consultation closed at its deadline');
    else if (outcome.result === 'refused') rt.logger?.warn({ ...log, refusal: outcome.code }, 'close at deadline refused');
    else rt.logger?.info({ ...log, result: outcome.result }, 'close job: nothing to do');
    return outcome;
  };
}

export function startCloseWorker(rt: JobsRuntime, opts: JobsWorkerOptions = {}): JobsWorker {
  return rt.jobs.worker(QUEUES.close, closeProcessor(rt), { concurrency: 4, maxStalledCount: 2, ...opts });
}
