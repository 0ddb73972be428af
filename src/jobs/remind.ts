/**
 * The remind job: one reminder slot for one focal point. BullMQ only delivers the time; the job re-checks
 * the consultation when it fires and sends nothing when the slot no longer applies (a stale job):
 *  - member reminder: the member stage is still open, the deadline version is the job's, the deadline has
 *    not passed, the person is still a (frozen) focal point of the country, and the country has not
 *    answered;
 *  - Troika reminder: the Troika stage is still open on the same text version, and the country has not
 *    reacted to it.
 * A due reminder is recorded in `reminders_sent` together with its outbox row (one transaction, unique per
 * consultation, country, person, slot and deadline version), then its delivery is queued. A retried or
 * duplicated job finds the record and sends nothing twice.
 */
import { UnrecoverableError, type Job } from 'bullmq';
import { z } from 'zod';
import { membersAwaiting, troikaAwaiting } from '../domain/outcome.ts';
import type { ConsultationState } from '../domain/types.ts';
import { reminderOutbox } from '../flows/effects.ts';
import { loadState } from '../flows/execute.ts';
import { jobsTotal } from '../http/metrics.ts';
import type { JobsWorker, JobsWorkerOptions } from './backend.ts';
import { QUEUES } from './names.ts';
import { reminderDedupeKey, type RemindJobData } from './plan.ts';
import type { JobsRuntime } from './runtime.ts';

/** The job's payload, parsed at the edge. */
export const RemindJobSchema = z.object({
  consultationId: z.string().min(1),
  audience: z.enum(['member', 'troika']),
  country: z.string().min(2),
  personId: z.string().min(1),
  slot: z.string().min(1),
  deadlineVersion: z.number().int().min(0),
  textVersion: z.string().min(1).optional(),
  dueAt: z.iso.datetime(),
});

export type StaleReason =
  | 'not_found'
  | 'stage'
  | 'deadline_version'
  | 'deadline_passed'
  | 'text_version'
  | 'answered'
  | 'not_participant'
  /** A Troika reminder to the PPT's country, which approves its own text as its author. */
  | 'author_country';

export type RemindOutcome =
  | { result: 'sent'; outboxId: string }
  | { result: 'already_sent' }
  | { result: 'stale'; reason: StaleReason };

/** Why the slot no longer applies to `state`, or undefined when it is still due. */
export function staleReason(state: ConsultationState | undefined, d: RemindJobData, now: Date): StaleReason | undefined {
  if (!state) return 'not_found';
  const fps = state.participants.members.find((m) => m.code === d.country)?.focalPoints ?? [];
  if (!fps.some((f) => f.personId === d.personId)) return 'not_participant';
  if (d.audience === 'member') {
    if (state.stage !== 'member_consultation') return 'stage';
    if (state.deadlineVersion !== d.deadlineVersion) return 'deadline_version';
    if (!state.deadline || now.getTime() >= new Date(state.deadline).getTime()) return 'deadline_passed';
    if (!membersAwaiting(state).includes(d.country)) return 'answered';
    return undefined;
  }
  if (state.stage !== 'troika_review') return 'stage';
  if (d.country === state.troika?.authorCountry) return 'author_country';
  if (d.textVersion !== state.currentVersion) return 'text_version';
  if (!troikaAwaiting(state).includes(d.country)) return 'answered';
  return undefined;
}

export async function processReminder(rt: JobsRuntime, data: RemindJobData): Promise<RemindOutcome> {
  const { deps } = rt;
  const { state } = await loadState(deps, data.consultationId);
  const now = deps.clock.now();
  const reason = staleReason(state, data, now);
  if (reason || !state) return { result: 'stale', reason: reason ?? 'not_found' };
  const dedupeKey = reminderDedupeKey(data);
  const message = reminderOutbox(state, deps.directory.current(), data, dedupeKey);
  if (!message) return { result: 'stale', reason: 'not_participant' };
  const key = {
    consultationId: data.consultationId,
    country: data.country,
    personId: data.personId,
    slot: data.slot,
    deadlineVersion: data.deadlineVersion,
  };
  // Bookkeeping times (sent_at, the outbox row's first attempt) are the database host's, like every append.
  const outboxId = await rt.reminders.record(key, new Date(data.dueAt), message);
  if (!outboxId) return { result: 'already_sent' };
  // Best effort: a row whose delivery could not be queued stays pending and reconcile queues it.
  try {
    await rt.enqueueDeliveries(rt.jobs, [outboxId]);
  } catch (err) {
    rt.logger?.error({ err, consultationId: data.consultationId, outboxId }, 'reminder recorded; queuing its delivery failed (reconcile will)');
  }
  return { result: 'sent', outboxId };
}

/** The BullMQ processor of the remind queue. Returns the outcome (the job's return value). */
export function remindProcessor(rt: JobsRuntime): (job: Job) => Promise<RemindOutcome> {
  return async (job) => {
    const parsed = RemindJobSchema.safeParse(job.data);
    if (!parsed.success) {
      jobsTotal.inc({ job: 'remind', result: 'invalid' });
      throw new UnrecoverableError(`remind job ${job.id}: invalid payload: ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`);
    }
    try {
      const outcome = await processReminder(rt, parsed.data as RemindJobData);
      jobsTotal.inc({ job: 'remind', result: outcome.result === 'stale' ? 'stale' : outcome.result === 'sent' ? 'ok' : 'duplicate' });
      if (outcome.result === 'stale') {
        rt.logger?.info({ jobId: job.id, consultationId: parsed.data.consultationId, reason: outcome.reason }, 'stale reminder: nothing sent');
      }
      return outcome;
    } catch (err) {
      jobsTotal.inc({ job: 'remind', result: 'failed' });
      throw err;
    }
  };
}

export function startRemindWorker(rt: JobsRuntime, opts: JobsWorkerOptions = {}): JobsWorker {
  return rt.jobs.worker(QUEUES.remind, remindProcessor(rt), { concurrency: 16, maxStalledCount: 2, ...opts });
}
