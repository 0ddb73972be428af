/**
 * Reconcile: rebuilds every expected job from the database, so that losing Redis (or a failed
 * AfterCommit) loses nothing. For every open consultation (draft, Troika review, member consultation) it
 * adds each missing close and reminder job (./schedule.ts), and it queues the delivery of every pending
 * outbox row (deliver job ids are deterministic: a row already queued is not queued twice). Sets the
 * `crm_open_consultations` gauge. Runs once at start-up and then from a Job Scheduler every few minutes.
 */
import type { ConsultationState } from '../domain/types.ts';
import { openConsultations } from '../http/metrics.ts';
import type { JobsWorker, JobsWorkerOptions } from './backend.ts';
import { QUEUES } from './names.ts';
import { OPEN_STAGES } from './plan.ts';
import type { JobsRuntime } from './runtime.ts';
import { JobScheduler } from './schedule.ts';

export interface ReconcileReport {
  open: number;
  /** Jobs added (missing before). */
  added: number;
  moved: number;
  /** Pending outbox rows whose delivery was (re)queued. */
  pendingOutbox: number;
  /** Consultations that failed (logged); the others were still reconciled. */
  failed: number;
  ms: number;
}

export const RECONCILE_SCHEDULER_ID = 'reconcile-every';
export const DEFAULT_RECONCILE_EVERY_MS = 5 * 60_000;

const CHUNK = 100;

export async function reconcile(rt: JobsRuntime): Promise<ReconcileReport> {
  const started = performance.now();
  const scheduler = new JobScheduler(rt);
  const open = await rt.consultations.listConsultations({ stage: OPEN_STAGES });
  openConsultations.set(open.length);
  const report: ReconcileReport = { open: open.length, added: 0, moved: 0, pendingOutbox: 0, failed: 0, ms: 0 };

  for (let i = 0; i < open.length; i += CHUNK) {
    const chunk = open.slice(i, i + CHUNK);
    const sent = await rt.reminders.sentKeysFor(chunk.map((c) => c.id));
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(4, chunk.length) }, async () => {
        while (next < chunk.length) {
          const summary = chunk[next++]!;
          try {
            const stored = await rt.deps.store.load(summary.id);
            if (!stored) continue;
            const r = await scheduler.apply(stored.snapshot as ConsultationState, [], sent);
            report.added += r.added.length;
            report.moved += r.moved.length;
          } catch (err) {
            report.failed += 1;
            rt.logger?.error({ err, consultationId: summary.id }, 'reconcile: could not plan the jobs of this consultation');
          }
        }
      }),
    );
  }

  for await (const ids of rt.reminders.pendingOutboxIds()) {
    await rt.enqueueDeliveries(rt.jobs, ids);
    report.pendingOutbox += ids.length;
  }
  report.ms = Math.round(performance.now() - started);
  rt.logger?.info({ ...report }, 'reconcile done');
  return report;
}

/** The reconcile worker (one job at a time; its jobs come from the Job Scheduler and from start-up). */
export function startReconcileWorker(rt: JobsRuntime, opts: JobsWorkerOptions = {}): JobsWorker {
  return rt.jobs.worker(QUEUES.reconcile, async () => reconcile(rt), { concurrency: 1, ...opts });
}

/** Registers (or updates) the periodic reconcile: every `everyMs` on the reconcile queue. */
export async function registerReconcileScheduler(rt: JobsRuntime, everyMs = DEFAULT_RECONCILE_EVERY_MS): Promise<void> {
  await rt.jobs.queue(QUEUES.reconcile).upsertJobScheduler(
    RECONCILE_SCHEDULER_ID,
    { every: everyMs },
    { name: QUEUES.reconcile, data: {}, opts: { removeOnComplete: { count: 50 }, removeOnFail: { count: 50 } } },
  );
}
