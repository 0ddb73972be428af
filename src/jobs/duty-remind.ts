/**
 * The duty-remind job: one reminder slot of one duty for one recipient. BullMQ only delivers the time; the
 * job re-checks the duty when it fires and sends nothing when the slot no longer applies (a stale job):
 * the duty still exists with the same due date, is not done, the recipient still owes it (live
 * directory), a "before" slot fires before the due date has ended in the recipient's zone and a `late`
 * slot after it. A due reminder is recorded in `duty_reminders_sent` together with its outbox row, then
 * its delivery is queued; a retried or duplicated job finds the record and sends nothing twice.
 */
import { UnrecoverableError, type Job } from 'bullmq';
import { z } from 'zod';
import { meetingsSnapshot } from '../flows/meeting-flows.ts';
import { jobsTotal } from '../http/metrics.ts';
import { dutyRecipients, dutyReminderOutbox } from '../messages/duty-messages.ts';
import { endOfDueDay, type DutyRemindJobData } from './duty-plan.ts';
import { snapshotDeps, type DutyRuntime } from './duty-runtime.ts';

export const DutyRemindJobSchema = z.object({
  dutyId: z.string().min(1),
  recipient: z.string().min(1),
  slot: z.string().regex(/^(D-\d{1,2}|late)$/),
  due: z.iso.date(),
  dueAt: z.iso.datetime(),
});

export type DutyStaleReason = 'not_found' | 'done' | 'due_changed' | 'not_recipient' | 'past_due' | 'not_yet_late';

export type DutyRemindOutcome =
  | { result: 'sent'; outboxId: string }
  | { result: 'already_sent' }
  | { result: 'stale'; reason: DutyStaleReason };

export async function processDutyReminder(rt: DutyRuntime, data: DutyRemindJobData): Promise<DutyRemindOutcome> {
  const snap = await meetingsSnapshot(snapshotDeps(rt));
  const now = rt.clock.now();
  const duty = snap.tracked.find((d) => d.id === data.dutyId);
  if (!duty) return { result: 'stale', reason: 'not_found' };
  if (duty.state === 'done') return { result: 'stale', reason: 'done' };
  if (duty.due !== data.due) return { result: 'stale', reason: 'due_changed' };
  const to = dutyRecipients(snap.directory, duty).find((r) => r.key === data.recipient);
  if (!to || to.platform === 'unreachable') return { result: 'stale', reason: 'not_recipient' };
  const ended = now.getTime() > endOfDueDay(duty.due, to.timezone).getTime();
  if (data.slot === 'late' && !ended) return { result: 'stale', reason: 'not_yet_late' };
  if (data.slot !== 'late' && ended) return { result: 'stale', reason: 'past_due' };
  const meeting = duty.meeting ? snap.meetings.find((m) => m.reference === duty.meeting) : undefined;
  const message = dutyReminderOutbox(snap.directory, duty, meeting, to, data.slot);
  const outboxId = await rt.reminders.record(data, new Date(data.dueAt), message);
  if (!outboxId) return { result: 'already_sent' };
  try {
    await rt.enqueueDeliveries(rt.jobs, [outboxId]);
  } catch (err) {
    rt.logger?.error({ err, dutyId: data.dutyId, outboxId }, 'duty reminder recorded; queuing its delivery failed (reconcile will)');
  }
  return { result: 'sent', outboxId };
}

export function dutyRemindProcessor(rt: DutyRuntime): (job: Job) => Promise<DutyRemindOutcome> {
  return async (job) => {
    const parsed = DutyRemindJobSchema.safeParse(job.data);
    if (!parsed.success) {
      jobsTotal.inc({ job: 'duty_remind', result: 'invalid' });
      throw new UnrecoverableError(`duty-remind job ${job.id}: invalid payload: ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`);
    }
    try {
      const outcome = await processDutyReminder(rt, parsed.data as DutyRemindJobData);
      jobsTotal.inc({ job: 'duty_remind', result: outcome.result === 'stale' ? 'stale' : outcome.result === 'sent' ? 'ok' : 'duplicate' });
      if (outcome.result === 'stale') rt.logger?.info({ jobId: job.id, dutyId: parsed.data.dutyId, reason: outcome.reason }, 'stale duty reminder: nothing sent');
      return outcome;
    } catch (err) {
      jobsTotal.inc({ job: 'duty_remind', result: 'failed' });
      throw err;
    }
  };
}
