/**
 * Puts the duty reminder plan (./duty-plan.ts) into BullMQ and keeps it there: adds every expected job
 * that is missing (deterministic id, `delay = at − now`), moves a waiting job whose planned instant
 * changed (a person's zone, the meeting's dates), re-adds one that failed for good, and removes waiting
 * jobs no longer expected (the duty was done, the meeting moved, the person left the directory). Runs at
 * start-up and from a Job Scheduler every few minutes, so a meeting added from the CLI gets its
 * reminders within that period and losing Redis loses nothing.
 */
import { meetingsSnapshot } from '../flows/meeting-flows.ts';
import { planDutyJobs, type DutyRemindJobData, type PlannedDutyReminder } from './duty-plan.ts';
import { DUTY_JOBS, DUTY_QUEUE, snapshotDeps, type DutyRuntime } from './duty-runtime.ts';
import { TIMED_JOB_OPTIONS } from './runtime.ts';

export interface DutyReconcileReport {
  /** Duties not done. */
  owed: number;
  planned: number;
  added: string[];
  moved: string[];
  removed: string[];
  skipped: number;
  ms: number;
}

export const DUTY_RECONCILE_SCHEDULER_ID = 'duty-reconcile-every';
export const DEFAULT_DUTY_RECONCILE_EVERY_MS = 5 * 60_000;

export async function reconcileDuties(rt: DutyRuntime): Promise<DutyReconcileReport> {
  const started = performance.now();
  const snap = await meetingsSnapshot(snapshotDeps(rt));
  const sent = await rt.reminders.sentKeys();
  const now = rt.clock.now();
  const plan = planDutyJobs({ duties: snap.tracked, meetings: snap.meetings, directory: snap.directory, now, policy: rt.policy, sent });
  const queue = rt.jobs.queue<DutyRemindJobData>(DUTY_QUEUE);
  const report: DutyReconcileReport = {
    owed: snap.tracked.filter((d) => d.state !== 'done').length,
    planned: plan.jobs.length,
    added: [],
    moved: [],
    removed: [],
    skipped: plan.skipped.length,
    ms: 0,
  };

  const wanted = new Map(plan.jobs.map((j) => [j.id, j]));
  for (const job of await queue.getJobs(['delayed', 'waiting', 'prioritized'])) {
    // Only reminders: the queue also holds the schedulers' next reconcile and digest.
    if (job.name !== DUTY_JOBS.remind || !job.id) continue;
    if (!wanted.has(job.id) && (await queue.remove(job.id)) === 1) report.removed.push(job.id);
  }

  const toAdd: PlannedDutyReminder[] = [];
  for (const j of plan.jobs) {
    const existing = await queue.getJob(j.id);
    if (!existing) {
      toAdd.push(j);
      continue;
    }
    const state = await existing.getState();
    if (state === 'failed' || state === 'unknown') {
      await queue.remove(j.id);
      toAdd.push(j);
    } else if (state === 'delayed' && j.timing === 'scheduled' && existing.data.dueAt !== j.data.dueAt && (await queue.remove(j.id)) === 1) {
      report.moved.push(j.id);
      toAdd.push(j);
    }
  }
  const nowMs = rt.clock.now().getTime();
  for (let i = 0; i < toAdd.length; i += 500) {
    await queue.addBulk(
      toAdd.slice(i, i + 500).map((j) => ({
        name: DUTY_JOBS.remind,
        data: j.data,
        opts: { ...TIMED_JOB_OPTIONS, jobId: j.id, delay: Math.max(0, j.at.getTime() - nowMs) },
      })),
    );
  }
  for (const j of toAdd) if (!report.moved.includes(j.id)) report.added.push(j.id);
  report.ms = Math.round(performance.now() - started);
  rt.logger?.info({ ...report, added: report.added.length, moved: report.moved.length, removed: report.removed.length }, 'duty reconcile done');
  return report;
}

export async function registerDutyReconcileScheduler(rt: DutyRuntime, everyMs = DEFAULT_DUTY_RECONCILE_EVERY_MS): Promise<void> {
  await rt.jobs.queue(DUTY_QUEUE).upsertJobScheduler(
    DUTY_RECONCILE_SCHEDULER_ID,
    { every: everyMs },
    { name: DUTY_JOBS.reconcile, data: {}, opts: { removeOnComplete: { count: 50 }, removeOnFail: { count: 50 } } },
  );
}
