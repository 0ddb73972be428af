/**
 * The duty reminder plan, like the consultation's (./plan.ts): from the tracked duties, the meetings and
 * the live directory, every reminder job that should exist now, with its deterministic id and instant.
 * Pure: no I/O, no clock (callers pass `now`). The duty scheduler adds what is missing, reconcile
 * rebuilds it all, and the processor re-checks the duty when the job fires.
 *
 * Rules (shared/domain.md "What is due": each duty reminded to whoever owes it, in their language and
 * working hours):
 *  - each duty not done, each reachable recipient (messages/duty-messages.ts): `daysBefore` business days
 *    before the due date (default 5 and 0, the due date itself) at `hour` local in the recipient's zone
 *    and calendar, and once overdue (`late`), `lateAfterBusinessDays` business days after the due date;
 *  - a slot whose time has passed while the duty was known (the bot was down) is caught up at the next
 *    civil time; only the latest missed slot of a recipient is, and not when it lands within
 *    `catchUpMergeMs` of the next planned one; a slot already past when the meeting was recorded is not
 *    a missed reminder (`before_notice`);
 *  - a reminder recorded as sent is not planned again.
 */
import { createHash } from 'node:crypto';
import { addBusinessDaysAt, nextCivilTime, reminderSlots } from '../calendar/index.ts';
import { dayFromCivil } from '../calendar/civil.ts';
import { endOfDayInZone } from '../calendar/tz.ts';
import type { Directory } from '../directory/model.ts';
import type { Meeting, TrackedDuty } from '../domain/meetings/index.ts';
import { dutyRecipients, type DutyRecipient, type DutySlot } from '../messages/duty-messages.ts';

export interface DutyReminderPolicy {
  /** Business days before the due date; 0 is the due date. */
  daysBefore: readonly number[];
  hour: number;
  windowEndHour: number;
  /** Business days after the due date at which an overdue duty is reminded once. */
  lateAfterBusinessDays: number;
  catchUpMergeMs: number;
}

export const DEFAULT_DUTY_REMINDER_POLICY: Readonly<DutyReminderPolicy> = Object.freeze({
  daysBefore: Object.freeze([5, 0]) as readonly number[],
  hour: 9,
  windowEndHour: 18,
  lateAfterBusinessDays: 1,
  catchUpMergeMs: 60 * 60_000,
});

/** Payload of a `duty-remind` job (JSON). */
export interface DutyRemindJobData {
  dutyId: string;
  /** A person id, or `st-channel`. */
  recipient: string;
  slot: DutySlot;
  /** The due date the slot was planned for (a moved meeting makes the job stale). */
  due: string;
  /** The instant the slot is planned for (ISO). */
  dueAt: string;
}

export interface PlannedDutyReminder {
  id: string;
  at: Date;
  data: DutyRemindJobData;
  timing: 'scheduled' | 'catch-up';
}

export interface SkippedDutySlot {
  dutyId: string;
  recipient: string;
  slot: string;
  reason: 'before_notice' | 'superseded' | 'merged' | 'unreachable' | 'calendar_error' | 'already_sent';
}

export interface DutyPlan {
  jobs: PlannedDutyReminder[];
  skipped: SkippedDutySlot[];
}

export interface DutyPlanInput {
  duties: readonly TrackedDuty[];
  meetings: readonly Meeting[];
  directory: Directory;
  now: Date;
  policy?: Partial<DutyReminderPolicy>;
  /** Reminders recorded as sent (`dutyReminderKey`). */
  sent?: ReadonlySet<string>;
}

export const dutyReminderKey = (d: Pick<DutyRemindJobData, 'dutyId' | 'recipient' | 'slot' | 'due'>): string =>
  `${d.dutyId}|${d.recipient}|${d.slot}|${d.due}`;

/** `duty.<readable duty id>.<hash of the whole key>`: deterministic, never numeric, no ':'. */
export function dutyJobId(d: Pick<DutyRemindJobData, 'dutyId' | 'recipient' | 'slot' | 'due'>): string {
  const hash = createHash('sha256').update(dutyReminderKey(d)).digest('hex').slice(0, 20);
  return `duty.${d.dutyId.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 80)}.${d.slot.replace(/[^A-Za-z0-9_-]/g, '_')}.${hash}`;
}

export function resolveDutyReminderPolicy(policy?: Partial<DutyReminderPolicy>): DutyReminderPolicy {
  return { ...DEFAULT_DUTY_REMINDER_POLICY, ...(policy ?? {}) };
}

/** The last second of the due date in the recipient's zone. */
export function endOfDueDay(due: string, timeZone: string): Date {
  const [y, m, d] = due.split('-').map(Number) as [number, number, number];
  return endOfDayInZone(dayFromCivil(y, m, d), timeZone);
}

function slotsFor(duty: TrackedDuty, to: DutyRecipient, directory: Directory, p: DutyReminderPolicy): { slot: DutySlot; at: Date }[] {
  const where = { timeZone: to.timezone, calendar: to.calendar };
  const deadline = endOfDueDay(duty.due, to.timezone);
  const before = reminderSlots(deadline, where, { daysBefore: p.daysBefore, hour: p.hour, windowEndHour: p.windowEndHour, holidays: directory.holidays });
  const late = addBusinessDaysAt(deadline, p.lateAfterBusinessDays, { ...where, hour: p.hour, holidays: directory.holidays });
  return [...before.map((s) => ({ slot: s.slot as DutySlot, at: s.at })), { slot: 'late' as const, at: late }];
}

export function planDutyJobs(input: DutyPlanInput): DutyPlan {
  const p = resolveDutyReminderPolicy(input.policy);
  const out: DutyPlan = { jobs: [], skipped: [] };
  const nowMs = input.now.getTime();
  const createdAt = new Map(input.meetings.map((m) => [m.reference, new Date(m.createdAt).getTime()]));

  for (const duty of input.duties) {
    if (duty.state === 'done') continue;
    const noticeAt = duty.meeting ? (createdAt.get(duty.meeting) ?? 0) : 0;
    for (const to of dutyRecipients(input.directory, duty)) {
      const skip = (slot: string, reason: SkippedDutySlot['reason']) => out.skipped.push({ dutyId: duty.id, recipient: to.key, slot, reason });
      if (to.platform === 'unreachable') {
        skip('*', 'unreachable');
        continue;
      }
      let slots: { slot: DutySlot; at: Date }[];
      try {
        slots = slotsFor(duty, to, input.directory, p);
      } catch {
        skip('*', 'calendar_error');
        continue;
      }
      const data = (slot: DutySlot, at: Date): DutyRemindJobData => ({ dutyId: duty.id, recipient: to.key, slot, due: duty.due, dueAt: at.toISOString() });
      const pending = slots.filter((s) => {
        const sent = input.sent?.has(dutyReminderKey({ dutyId: duty.id, recipient: to.key, slot: s.slot, due: duty.due })) ?? false;
        if (sent) skip(s.slot, 'already_sent');
        return !sent;
      });
      const future = pending.filter((s) => s.at.getTime() > nowMs).sort((a, b) => a.at.getTime() - b.at.getTime());
      const past = pending.filter((s) => s.at.getTime() <= nowMs).sort((a, b) => a.at.getTime() - b.at.getTime());
      for (const s of future) out.jobs.push({ id: dutyJobId(data(s.slot, s.at)), at: s.at, data: data(s.slot, s.at), timing: 'scheduled' });
      for (const s of past.slice(0, -1)) skip(s.slot, 'superseded');
      const latest = past.at(-1);
      if (!latest) continue;
      if (latest.at.getTime() <= noticeAt) {
        skip(latest.slot, 'before_notice');
        continue;
      }
      let at: Date;
      try {
        at = nextCivilTime(input.now, { timeZone: to.timezone, calendar: to.calendar, hour: p.hour, windowEndHour: p.windowEndHour, holidays: input.directory.holidays });
      } catch {
        skip(latest.slot, 'calendar_error');
        continue;
      }
      const next = future[0];
      if (next && next.at.getTime() - at.getTime() < p.catchUpMergeMs) {
        skip(latest.slot, 'merged');
        continue;
      }
      out.jobs.push({ id: dutyJobId(data(latest.slot, at)), at, data: data(latest.slot, at), timing: 'catch-up' });
    }
  }
  return out;
}
