/**
 * `startJobs`: everything that runs in the background, on the chosen jobs backend. Starts the workers
 * (deliver, remind, close, reconcile, weekly digest), registers the Job Schedulers (reconcile every few
 * minutes; the weekly digest in the ST's zone), sets the flows' AfterCommit hook (deliveries + job plan),
 * and runs one reconcile before returning (jobs lost while the bot was down come back at once).
 *
 * The lead wires it into src/main.ts:  const running = await startJobs(engine, jobs, notifier, { logger });
 * and calls `running.stop()` before `jobs.close()` on shutdown.
 */
import type { Engine } from '../app/context.ts';
import type { FlowLogger } from '../flows/ports.ts';
import type { JobsBackend, JobsWorker } from './backend.ts';
import { startCloseWorker } from './close.ts';
import { startDutyJobs, type RunningDutyJobs, type StartDutyJobsOptions } from './duties.ts';
import { enqueueDeliveries, secretariatAddresses, startDeliverWorker, type DeliverDeps, type StartDeliverOptions } from './deliver.ts';
import { registerWeeklyDigest, startDigestWorker, type WeeklyDigestOptions } from './digest.ts';
import { lateDutiesOf } from './duty-digest.ts';
import { MeetingStore } from '../store/meeting-store.ts';
import type { Notifier } from './notifier.ts';
import { databasePacing } from './pacing.ts';
import type { ReminderPolicy } from './plan.ts';
import { DEFAULT_RECONCILE_EVERY_MS, reconcile, registerReconcileScheduler, startReconcileWorker, type ReconcileReport } from './reconcile.ts';
import { startRemindWorker } from './remind.ts';
import { ReminderStore } from './reminder-store.ts';
import { createRuntime, type JobsRuntime } from './runtime.ts';
import { createAfterCommit, JobScheduler } from './schedule.ts';
import { startJobStoreWatchdog } from './watchdog.ts';

export { createAfterCommit, JobScheduler } from './schedule.ts';
export { planJobs, obsoleteJobIds, DEFAULT_REMINDER_POLICY, type ReminderPolicy, type PlannedJob } from './plan.ts';
export { reconcile, type ReconcileReport } from './reconcile.ts';
export { sendWeeklyDigest, isoWeek, type WeeklyDigestOptions } from './digest.ts';
export { createRuntime, type JobsRuntime } from './runtime.ts';

export interface StartJobsOptions {
  logger?: FlowLogger;
  /** Reminder policy (domain.md defaults: D-2 and D-0 at 09:00 local; Troika after 1 business day). */
  policy?: Partial<ReminderPolicy>;
  /** Period of the reconcile Job Scheduler. Default 5 minutes. */
  reconcileEveryMs?: number;
  /** Weekly digest to the ST channel (default on, Monday 09:00 in the ST's zone). */
  weeklyDigest?: WeeklyDigestOptions;
  /** Worker concurrency per queue. */
  concurrency?: { remind?: number; close?: number; deliver?: number };
  /** Options of the deliver worker (./deliver.ts). */
  deliver?: StartDeliverOptions;
  /** Another way to reach a person whose message went dead (e-mail: adapters/email/fallback.ts). */
  fallback?: DeliverDeps['fallback'];
  /** Run one reconcile before returning (default true). */
  reconcileAtStart?: boolean;
  /** Meeting duties' reminder and lead-time policies (./duties.ts). */
  duties?: Pick<StartDutyJobsOptions, 'policy' | 'dutyPolicy'>;
  /** How often to check that the job store still has its schedulers (./watchdog.ts). Default 1 minute. */
  watchdogEveryMs?: number;
}

export interface RunningJobs {
  runtime: JobsRuntime;
  scheduler: JobScheduler;
  workers: readonly JobsWorker[];
  /** The reconcile run at start-up (absent when `reconcileAtStart: false`). */
  initialReconcile?: ReconcileReport;
  /** The meeting duties' jobs (reminders, duty reconcile, weekly late duties). */
  duties?: RunningDutyJobs;
  reconcileNow(): Promise<ReconcileReport>;
  /** Unsets the AfterCommit hook and closes the workers (waiting for the jobs in flight). Idempotent. */
  stop(): Promise<void>;
}

const silent: FlowLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

export async function startJobs(engine: Engine, jobs: JobsBackend, notifier: Notifier, options: StartJobsOptions = {}): Promise<RunningJobs> {
  const logger = options.logger ?? engine.deps.logger;
  const runtime = createRuntime({
    jobs,
    deps: engine.deps,
    consultations: engine.consultations,
    outbox: engine.outbox,
    reminders: new ReminderStore(engine.db.prisma),
    ...(options.policy ? { policy: options.policy } : {}),
    enqueueDeliveries: (j, ids, o) => enqueueDeliveries(j, ids, options.deliver?.retry, o),
    ...(logger ? { logger } : {}),
    // The ST's weekly digest lists the meetings' overdue duties after the consultations.
    lateDuties: () =>
      lateDutiesOf({ meetings: new MeetingStore(engine.db.prisma), directory: engine.directory, clock: engine.deps.clock, ...(options.duties?.dutyPolicy ? { dutyPolicy: options.duties.dutyPolicy } : {}) }),
  });
  const c = options.concurrency ?? {};
  const workers: JobsWorker[] = [];
  let duties: RunningDutyJobs | undefined;
  try {
    workers.push(
      startDeliverWorker(
        jobs,
        {
          outbox: engine.outbox,
          notifier,
          logger: logger ?? silent,
          // Every ST channel named hears of a dead message (but the one it could not reach).
          secretariat: () => secretariatAddresses(engine.directory.current()),
          // Rate limits per platform scope (a Teams conversation and tenant, Slack), across workers.
          pacing: databasePacing(engine.db.prisma),
          ...(options.fallback ? { fallback: options.fallback } : {}),
        },
        { ...options.deliver, worker: { ...(c.deliver ? { concurrency: c.deliver } : {}), ...options.deliver?.worker } },
      ),
      startRemindWorker(runtime, c.remind ? { concurrency: c.remind } : {}),
      startCloseWorker(runtime, c.close ? { concurrency: c.close } : {}),
      startReconcileWorker(runtime),
      startDigestWorker(runtime),
    );
    engine.deps.afterCommit = createAfterCommit(jobs, runtime);
    await registerReconcileScheduler(runtime, options.reconcileEveryMs ?? DEFAULT_RECONCILE_EVERY_MS);
    const digest = await registerWeeklyDigest(runtime, options.weeklyDigest);
    logger?.info(
      { reconcileEveryMs: options.reconcileEveryMs ?? DEFAULT_RECONCILE_EVERY_MS, weeklyDigest: digest ?? 'off', policy: runtime.policy },
      'jobs started',
    );
  } catch (e) {
    delete engine.deps.afterCommit;
    await Promise.allSettled(workers.map((w) => w.close()));
    throw e;
  }

  let initialReconcile: ReconcileReport | undefined;
  if (options.reconcileAtStart !== false) {
    try {
      initialReconcile = await reconcile(runtime);
    } catch (err) {
      // The Job Scheduler runs it again within reconcileEveryMs; starting must not fail for it.
      logger?.error({ err }, 'initial reconcile failed; the periodic one will retry');
    }
  }
  // The meeting duties' jobs start after the consultations' first reconcile, which must not wait for them.
  try {
    duties = await startDutyJobs(engine, jobs, {
      ...(logger ? { logger } : {}),
      ...options.duties,
      ...(options.reconcileEveryMs !== undefined ? { reconcileEveryMs: options.reconcileEveryMs } : {}),
      ...(options.weeklyDigest ? { weeklyDigest: options.weeklyDigest } : {}),
      ...(options.reconcileAtStart !== undefined ? { reconcileAtStart: options.reconcileAtStart } : {}),
      enqueueDeliveries: runtime.enqueueDeliveries,
    });
    workers.push(...duties.workers);
  } catch (e) {
    delete engine.deps.afterCommit;
    await Promise.allSettled(workers.map((w) => w.close()));
    throw e;
  }
  const stopWatchdog = startJobStoreWatchdog({
    jobs,
    reRegister: async () => {
      await registerReconcileScheduler(runtime, options.reconcileEveryMs ?? DEFAULT_RECONCILE_EVERY_MS);
      await registerWeeklyDigest(runtime, options.weeklyDigest);
    },
    reconcile: () => reconcile(runtime),
    ...(logger ? { logger } : {}),
    ...(options.watchdogEveryMs ? { everyMs: options.watchdogEveryMs } : {}),
  });
  let stopping: Promise<void> | undefined;
  return {
    runtime,
    scheduler: new JobScheduler(runtime),
    workers,
    ...(initialReconcile ? { initialReconcile } : {}),
    ...(duties ? { duties } : {}),
    reconcileNow: () => reconcile(runtime),
    stop: () =>
      (stopping ??= (async () => {
        await stopWatchdog();
        delete engine.deps.afterCommit;
        await Promise.allSettled(workers.map((w) => w.close()));
      })()),
  };
}
