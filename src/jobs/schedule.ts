/**
 * Puts the job plan (./plan.ts) into BullMQ: adds every expected close and remind job that is missing,
 * with its deterministic id and `delay = at − now`; moves a waiting reminder whose planned instant
 * changed (the person's zone or calendar changed in the directory); re-adds a job that failed for good;
 * removes the jobs a decision made obsolete (an answer cancels the country's reminders, an extension
 * re-plans, an end cancels everything). Reminders already recorded in `reminders_sent` are not planned
 * again.
 *
 * `createAfterCommit` is the flows' AfterCommit hook: deliveries of the new outbox rows, then the change
 * the decision made to the plan (`applyChange`; the whole plan, `apply`, for a new consultation). Both are
 * best effort (a failure is logged by `execute`); the periodic reconcile repairs anything missed.
 */
import type { ConsultationEvent, ConsultationState } from '../domain/types.ts';
import type { AfterCommit } from '../flows/ports.ts';
import type { JobsBackend } from './backend.ts';
import { QUEUES } from './names.ts';
import { obsoleteJobIds, planJobs, type PlannedJob, type RemindJobData } from './plan.ts';
import { reminderKeyString } from './reminder-store.ts';
import { TIMED_JOB_OPTIONS, type JobsRuntime } from './runtime.ts';

export interface ApplyReport {
  /** Ids added to BullMQ. */
  added: string[];
  /** Ids whose waiting job was moved to a new instant (removed and added again). */
  moved: string[];
  /** Ids removed as obsolete (whether or not a job existed). */
  removed: string[];
  /** Reminders not planned because they were recorded as sent. */
  alreadySent: number;
  /** Slots skipped by the plan (see plan.ts), for the log. */
  skipped: number;
}

const queueOf = (id: string): string => (id.startsWith('close.') ? QUEUES.close : QUEUES.remind);

/** At most `limit` promises at a time over `items`. */
async function eachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let i = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (i < items.length) {
      const item = items[i++]!;
      await fn(item);
    }
  });
  await Promise.all(workers);
}

/** What `removeJobs` needs of BullMQ's Redis backend (public members of RedisQueueBackend). */
interface RedisBackendHatch {
  client: Promise<{ pipeline(): { exec(): Promise<[Error | null, unknown][] | null> } }>;
  execCommand(client: unknown, commandName: string, args: unknown[]): unknown;
}

/**
 * Removes jobs by id. On Redis, the removals of one queue go out as ONE pipeline (BullMQ's own `removeJob`
 * script, with the keys and arguments `Queue.remove` gives it), so removing a country's reminders is one
 * round trip however many there are; a removal the pipeline could not do is retried one by one, and so is
 * everything on the PostgreSQL backends.
 */
async function removeJobs(jobs: JobsBackend, ids: readonly string[]): Promise<void> {
  const byQueue = new Map<string, string[]>();
  for (const id of ids) byQueue.set(queueOf(id), [...(byQueue.get(queueOf(id)) ?? []), id]);
  await Promise.all(
    [...byQueue].map(async ([name, list]) => {
      const queue = jobs.queue(name);
      let left: readonly string[] = list;
      const hatch = jobs.kind === 'redis' ? (queue.getBackend() as unknown as Partial<RedisBackendHatch>) : undefined;
      if (list.length > 1 && hatch?.client && typeof hatch.execCommand === 'function') {
        try {
          const client = await hatch.client;
          const tx = client.pipeline();
          for (const id of list) hatch.execCommand(tx, 'removeJob', [queue.toKey(id), queue.toKey('repeat'), id, 1, queue.toKey('')]);
          const results = (await tx.exec()) ?? [];
          left = list.filter((_, i) => {
            const r = results[i];
            return !r || r[0] !== null || typeof r[1] !== 'number' || r[1] < 0;
          });
        } catch {
          left = list;
        }
      }
      await Promise.all(left.map((id) => queue.remove(id)));
    }),
  );
}

export class JobScheduler {
  constructor(private readonly rt: JobsRuntime) {}

  /**
   * Brings BullMQ in line with the plan for `state`. `events` are the decision's events (empty for
   * reconcile): they say which jobs became obsolete. `sent` (reconcile passes it for many consultations
   * at once) is the set of recorded reminders; loaded here when absent.
   */
  async apply(state: ConsultationState, events: readonly ConsultationEvent[] = [], sent?: Set<string>): Promise<ApplyReport> {
    const { jobs, deps, policy } = this.rt;
    const now = deps.clock.now();
    const plan = planJobs({ state, directory: deps.directory.current(), now, policy });
    const report: ApplyReport = { added: [], moved: [], removed: [], alreadySent: 0, skipped: plan.skipped.length };

    const obsolete = obsoleteJobIds(state, events, plan, policy);
    await eachLimited(obsolete, 32, async (id) => {
      await jobs.queue(queueOf(id)).remove(id);
    });
    report.removed = obsolete;

    const hasReminders = plan.jobs.some((j) => j.queue === 'remind');
    const recorded = hasReminders ? (sent ?? (await this.rt.reminders.sentKeys(state.consultationId))) : new Set<string>();
    const wanted = plan.jobs.filter((j) => {
      if (j.queue !== 'remind') return true;
      const done = recorded.has(reminderKeyString(j.data));
      if (done) report.alreadySent += 1;
      return !done;
    });
    await this.ensure(wanted, report);
    if (plan.skipped.length) {
      this.rt.logger?.info(
        { consultationId: state.consultationId, skipped: plan.skipped.map((s) => ({ slot: s.slot, personId: s.personId, reason: s.reason })) },
        'reminder slots not planned',
      );
    }
    return report;
  }

  /**
   * The after-commit path of one decision: only what the decision changed in the plan is touched. Both
   * plans (before and after the decision, at the same `now`) are pure; jobs planned after and not before,
   * or at another instant, are ensured (as `apply` does); reminders planned before and not after, and the
   * jobs the events made obsolete, are removed; the jobs both plans share are left alone — they were put in place by
   * the decision that planned them (or by reconcile, which repairs anything lost). So a position costs the
   * removal of the answering country's own reminder jobs and nothing else: no read of every planned job
   * (`getJob` + `getState` for each, 30-odd Redis round trips before) and no read of `reminders_sent`.
   */
  async applyChange(before: ConsultationState, state: ConsultationState, events: readonly ConsultationEvent[]): Promise<ApplyReport> {
    const { jobs, deps, policy } = this.rt;
    const now = deps.clock.now();
    const directory = deps.directory.current();
    const plan = planJobs({ state, directory, now, policy });
    const previous = planJobs({ state: before, directory, now, policy });
    const report: ApplyReport = { added: [], moved: [], removed: [], alreadySent: 0, skipped: plan.skipped.length };

    const was = new Map(previous.jobs.map((j) => [j.id, j]));
    const planned = new Set(plan.jobs.map((j) => j.id));
    const obsolete = new Set(obsoleteJobIds(state, events, plan, policy));
    // Reminders the decision unplanned. Close jobs are left to obsoleteJobIds, which knows the one running now.
    for (const j of previous.jobs) if (j.queue === 'remind' && !planned.has(j.id)) obsolete.add(j.id);
    const removed = [...obsolete];
    await removeJobs(jobs, removed);
    report.removed = removed;

    const changed = plan.jobs.filter((j) => {
      const old = was.get(j.id);
      return !old || old.at.getTime() !== j.at.getTime() || JSON.stringify(old.data) !== JSON.stringify(j.data);
    });
    if (changed.length === 0) return report;
    const hasReminders = changed.some((j) => j.queue === 'remind');
    const recorded = hasReminders ? await this.rt.reminders.sentKeys(state.consultationId) : new Set<string>();
    const wanted = changed.filter((j) => {
      if (j.queue !== 'remind') return true;
      const done = recorded.has(reminderKeyString(j.data));
      if (done) report.alreadySent += 1;
      return !done;
    });
    await this.ensure(wanted, report);
    return report;
  }

  /** Adds the missing jobs, moves waiting reminders whose instant changed, re-adds failed ones. */
  private async ensure(planned: readonly PlannedJob[], report: ApplyReport): Promise<void> {
    const toAdd: PlannedJob[] = [];
    await eachLimited(planned, 32, async (j) => {
      const queue = this.rt.jobs.queue(j.queue === 'close' ? QUEUES.close : QUEUES.remind);
      const existing = await queue.getJob(j.id);
      if (!existing) {
        toAdd.push(j);
        return;
      }
      const state = await existing.getState();
      if (state === 'failed' || state === 'unknown') {
        await queue.remove(j.id);
        toAdd.push(j);
        return;
      }
      if (state === 'delayed' && j.queue === 'remind' && j.timing === 'scheduled') {
        const was = (existing.data as Partial<RemindJobData>).dueAt;
        if (was !== j.data.dueAt && (await queue.remove(j.id)) === 1) {
          report.moved.push(j.id);
          toAdd.push(j);
        }
      }
    });
    const byQueue = new Map<string, PlannedJob[]>();
    for (const j of toAdd) {
      const name = j.queue === 'close' ? QUEUES.close : QUEUES.remind;
      byQueue.set(name, [...(byQueue.get(name) ?? []), j]);
    }
    for (const [name, list] of byQueue) {
      const queue = this.rt.jobs.queue(name);
      for (let i = 0; i < list.length; i += 500) {
        const nowMs = this.rt.deps.clock.now().getTime();
        await queue.addBulk(
          list.slice(i, i + 500).map((j) => ({
            name,
            data: j.data,
            opts: { ...TIMED_JOB_OPTIONS, jobId: j.id, delay: Math.max(0, j.at.getTime() - nowMs) },
          })),
        );
      }
      for (const j of list) if (!report.moved.includes(j.id)) report.added.push(j.id);
    }
  }
}

/**
 * The AfterCommit hook for the flows: queue the delivery of the new outbox rows, then (re)plan the
 * consultation's close and reminder jobs. Throws (after trying both) when either failed; `execute`
 * logs it and the command stands.
 */
export function createAfterCommit(jobs: JobsBackend, runtime: Omit<JobsRuntime, 'jobs'>): AfterCommit {
  const rt: JobsRuntime = { ...runtime, jobs };
  const scheduler = new JobScheduler(rt);
  return async (state, { events, outboxIds, firstOutboxIds, before }) => {
    const errors: unknown[] = [];
    if (outboxIds.length > 0) {
      try {
        await rt.enqueueDeliveries(jobs, outboxIds, firstOutboxIds ? { first: firstOutboxIds } : undefined);
      } catch (e) {
        errors.push(e);
      }
    }
    try {
      if (before) await scheduler.applyChange(before, state, events);
      else await scheduler.apply(state, events);
    } catch (e) {
      errors.push(e);
    }
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, 'after-commit: deliveries and job plan both failed');
  };
}
