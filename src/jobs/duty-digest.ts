/**
 * Overdue duties, every week (domain.md: "the ST sees what is late"; the issue: late duties appear in the
 * weekly digest and to the PPT). The ST channel reads them inside its weekly digest (./digest.ts:
 * `lateDutiesOf` below feeds it); the PPT's focal points, who get no digest, get this message: a Job
 * Scheduler with the weekly digest's pattern and zone (default Monday 09:00 in the ST's zone) writes one
 * per focal point per ISO week (dedupe key `duty-digest:<week>:<person>`), each in the reader's language;
 * nothing when no duty is late.
 */
import { meetingsSnapshot } from '../flows/meeting-flows.ts';
import { presidencyAt } from '../directory/presidency.ts';
import { jobsTotal } from '../http/metrics.ts';
import { lateDutiesMessage, pptRecipients } from '../messages/duty-messages.ts';
import type { LateDuties } from '../flows/messages/weekly-digest.ts';
import type { NewOutboxMessage } from '../store/consultation-store.ts';
import { DEFAULT_WEEKLY_DIGEST_PATTERN, isoWeek, type WeeklyDigestOptions } from './digest.ts';
import { DUTY_JOBS, DUTY_QUEUE, snapshotDeps, type DutyRuntime } from './duty-runtime.ts';
import { localDate } from '../calendar/index.ts';

export const DUTY_DIGEST_SCHEDULER_ID = 'duty-digest-weekly';

export interface DutyDigestResult {
  week: string;
  late: number;
  outboxIds: string[];
}

export async function sendLateDutiesDigest(rt: DutyRuntime): Promise<DutyDigestResult> {
  const snap = await meetingsSnapshot(snapshotDeps(rt));
  const directory = snap.directory;
  const now = rt.clock.now();
  const week = isoWeek(now, directory.secretariat.timezone);
  const late = snap.tracked.filter((d) => d.state === 'late');
  if (late.length === 0) return { week, late: 0, outboxIds: [] };
  const ppt = presidencyAt(directory.presidencies, localDate(now, directory.secretariat.timezone))?.country;
  const recipients = pptRecipients(directory, ppt).filter((r) => r.platform !== 'unreachable');
  const messages: NewOutboxMessage[] = recipients.map((to) => {
    const payload = lateDutiesMessage(directory, late, snap.meetings, week, to.locale);
    return { dedupeKey: `duty-digest:${week}:${to.key}`, platform: to.platform, recipient: to.recipient, kind: payload.kind, payload };
  });
  const outboxIds = await rt.outbox.enqueue(messages, null);
  if (outboxIds.length > 0) {
    try {
      await rt.enqueueDeliveries(rt.jobs, outboxIds);
    } catch (err) {
      rt.logger?.error({ err, outboxIds }, 'late duties digest written; queuing its delivery failed (reconcile will)');
    }
  }
  return { week, late: late.length, outboxIds };
}

/** The overdue duties and the meetings they belong to, for the ST's weekly digest. */
export async function lateDutiesOf(deps: Parameters<typeof meetingsSnapshot>[0]): Promise<LateDuties> {
  const snap = await meetingsSnapshot(deps);
  return { duties: snap.tracked.filter((d) => d.state === 'late').sort((a, b) => a.due.localeCompare(b.due)), meetings: snap.meetings };
}

/** The digest job's processor (run by the duty worker, ./duties.ts). */
export async function dutyDigestJob(rt: DutyRuntime): Promise<DutyDigestResult> {
  try {
    const r = await sendLateDutiesDigest(rt);
    jobsTotal.inc({ job: 'duty_digest', result: r.outboxIds.length ? 'ok' : 'duplicate' });
    rt.logger?.info({ ...r, outboxIds: r.outboxIds.length }, 'late duties digest');
    return r;
  } catch (err) {
    jobsTotal.inc({ job: 'duty_digest', result: 'failed' });
    throw err;
  }
}

/** Registers (or removes, when disabled) the weekly late-duties digest, on the weekly digest's schedule. */
export async function registerDutyDigest(rt: DutyRuntime, options: WeeklyDigestOptions = {}): Promise<{ pattern: string; timeZone: string } | undefined> {
  const queue = rt.jobs.queue(DUTY_QUEUE);
  if (options.enabled === false) {
    await queue.removeJobScheduler(DUTY_DIGEST_SCHEDULER_ID);
    return undefined;
  }
  const pattern = options.pattern ?? DEFAULT_WEEKLY_DIGEST_PATTERN;
  const timeZone = options.timeZone ?? rt.directory.current().secretariat.timezone;
  await queue.upsertJobScheduler(
    DUTY_DIGEST_SCHEDULER_ID,
    { pattern, tz: timeZone },
    {
      name: DUTY_JOBS.digest,
      data: {},
      opts: { attempts: 5, backoff: { type: 'exponential', delay: 30_000 }, removeOnComplete: { count: 20 }, removeOnFail: { count: 20 } },
    },
  );
  return { pattern, timeZone };
}
