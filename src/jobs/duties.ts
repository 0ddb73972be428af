/**
 * `startDutyJobs`: the meeting duties' background jobs on the chosen backend, beside the consultation's
 * (./index.ts `startJobs` calls it): one worker on the `duties` queue running the reminders, the duty
 * reconcile (a Job Scheduler every few minutes, and once at start) and the weekly late-duties digest (on
 * the weekly digest's schedule), told apart by job name.
 */
import { UnrecoverableError, type Job } from 'bullmq';
import type { Engine } from '../app/context.ts';
import type { DutyPolicy } from '../domain/meetings/index.ts';
import type { FlowLogger } from '../flows/ports.ts';
import { MeetingStore } from '../store/meeting-store.ts';
import type { JobsBackend, JobsWorker } from './backend.ts';
import type { WeeklyDigestOptions } from './digest.ts';
import { dutyDigestJob, registerDutyDigest } from './duty-digest.ts';
import type { DutyReminderPolicy } from './duty-plan.ts';
import { DutyReminderStore } from './duty-reminder-store.ts';
import { dutyRemindProcessor } from './duty-remind.ts';
import { DUTY_JOBS, DUTY_QUEUE, createDutyRuntime, type DutyRuntime } from './duty-runtime.ts';
import {
  DEFAULT_DUTY_RECONCILE_EVERY_MS,
  reconcileDuties,
  registerDutyReconcileScheduler,
  type DutyReconcileReport,
} from './duty-schedule.ts';
import type { EnqueueDeliveries } from './runtime.ts';

export interface StartDutyJobsOptions {
  logger?: FlowLogger;
  policy?: Partial<DutyReminderPolicy>;
  dutyPolicy?: Partial<DutyPolicy>;
  reconcileEveryMs?: number;
  weeklyDigest?: WeeklyDigestOptions;
  reconcileAtStart?: boolean;
  enqueueDeliveries: EnqueueDeliveries;
}

export interface RunningDutyJobs {
  runtime: DutyRuntime;
  workers: readonly JobsWorker[];
  initialReconcile?: DutyReconcileReport;
  reconcileNow(): Promise<DutyReconcileReport>;
}

/** The duty worker's processor: a reminder, a reconcile or the weekly digest, by job name. */
export function dutyProcessor(rt: DutyRuntime): (job: Job) => Promise<unknown> {
  const remind = dutyRemindProcessor(rt);
  return async (job) => {
    switch (job.name) {
      case DUTY_JOBS.remind:
        return remind(job);
      case DUTY_JOBS.reconcile:
        return reconcileDuties(rt);
      case DUTY_JOBS.digest:
        return dutyDigestJob(rt);
      default:
        throw new UnrecoverableError(`duties queue: unknown job name ${JSON.stringify(job.name)}`);
    }
  };
}

export async function startDutyJobs(engine: Engine, jobs: JobsBackend, options: StartDutyJobsOptions): Promise<RunningDutyJobs> {
  const logger = options.logger ?? engine.deps.logger;
  const runtime = createDutyRuntime({
    jobs,
    meetings: new MeetingStore(engine.db.prisma),
    reminders: new DutyReminderStore(engine.db.prisma),
    outbox: engine.outbox,
    directory: engine.directory,
    clock: engine.deps.clock,
    enqueueDeliveries: options.enqueueDeliveries,
    ...(options.policy ? { policy: options.policy } : {}),
    ...(options.dutyPolicy ? { dutyPolicy: options.dutyPolicy } : {}),
    ...(logger ? { logger } : {}),
  });
  const workers: JobsWorker[] = [];
  try {
    workers.push(runtime.jobs.worker(DUTY_QUEUE, dutyProcessor(runtime), { concurrency: 4, maxStalledCount: 2 }));
    await registerDutyReconcileScheduler(runtime, options.reconcileEveryMs ?? DEFAULT_DUTY_RECONCILE_EVERY_MS);
    await registerDutyDigest(runtime, options.weeklyDigest);
  } catch (e) {
    await Promise.allSettled(workers.map((w) => w.close()));
    throw e;
  }
  let initialReconcile: DutyReconcileReport | undefined;
  if (options.reconcileAtStart !== false) {
    try {
      initialReconcile = await reconcileDuties(runtime);
    } catch (err) {
      logger?.error({ err }, 'initial duty reconcile failed; the periodic one will retry');
    }
  }
  return { runtime, workers, ...(initialReconcile ? { initialReconcile } : {}), reconcileNow: () => reconcileDuties(runtime) };
}
