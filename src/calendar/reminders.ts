/**
 * Reminder-time rules (shared/domain.md "Reminders"): reminders go out at a civil hour on a business day
 * in the recipient's own zone and calendar; one that would fall outside those hours moves to the next
 * allowed time, and none is dropped silently.
 */
import type { HolidayOverride } from '../directory/model.ts';
import { type DayNumber, isWeekend } from './civil.ts';
import { HolidayTable, SHIPPED, assertKnownCalendar } from './holidays.ts';
import { assertTimeZone, localDayNumber, zonedInstant } from './tz.ts';

export interface CivilTimeOptions {
  timeZone: string;
  /** Holiday calendar id (date-holidays, e.g. CR, CA-ON). */
  calendar: string;
  /** Start of the allowed window, local hour (default 9). */
  hour?: number;
  /** End of the allowed window, exclusive, local hour (default 18). */
  windowEndHour?: number;
  /** Directory overrides to apply on top of the shipped holidays. */
  holidays?: readonly HolidayOverride[];
}

/** Safety bound when searching for a business day (no real calendar has a month without one). */
const SEARCH_LIMIT_DAYS = 366;

function tableFor(holidays?: readonly HolidayOverride[]): HolidayTable {
  return holidays && holidays.length > 0 ? new HolidayTable(holidays) : SHIPPED;
}

function checkHours(hour: number, windowEndHour: number): void {
  if (!Number.isInteger(hour) || hour < 0 || hour > 23) throw new RangeError(`hour must be an integer 0..23, got ${hour}`);
  if (!Number.isInteger(windowEndHour) || windowEndHour <= hour || windowEndHour > 24) {
    throw new RangeError(`windowEndHour must be an integer in (${hour}, 24], got ${windowEndHour}`);
  }
}

function makeIsBusiness(calendar: string, holidays?: readonly HolidayOverride[]): (day: DayNumber) => boolean {
  const cal = assertKnownCalendar(calendar);
  const table = tableFor(holidays);
  return (day) => !isWeekend(day) && table.holidayName(cal, day) === undefined;
}

/**
 * The first instant >= `instant` inside [hour, windowEndHour) local time on a business day of `calendar`
 * in `timeZone`. An instant already inside the window is returned unchanged.
 */
export function nextCivilTime(instant: Date, options: CivilTimeOptions): Date {
  const { timeZone, calendar, hour = 9, windowEndHour = 18, holidays } = options;
  checkHours(hour, windowEndHour);
  assertTimeZone(timeZone);
  const isBusiness = makeIsBusiness(calendar, holidays);
  const t = instant.getTime();
  let day = localDayNumber(instant, timeZone);
  if (isBusiness(day)) {
    const open = zonedInstant(day, timeZone, hour);
    if (t < open.getTime()) return open;
    const close = windowEndHour === 24 ? zonedInstant(day + 1, timeZone, 0) : zonedInstant(day, timeZone, windowEndHour);
    if (t < close.getTime()) return new Date(t);
  }
  for (let i = 0; i < SEARCH_LIMIT_DAYS; i++) {
    day += 1;
    if (isBusiness(day)) return zonedInstant(day, timeZone, hour);
  }
  throw new RangeError(`no business day within ${SEARCH_LIMIT_DAYS} days in calendar ${calendar}`);
}

export interface AddBusinessDaysOptions {
  timeZone: string;
  calendar: string;
  hour?: number;
  holidays?: readonly HolidayOverride[];
}

/**
 * `hour` local on the n-th business day after the local date of `instant` (n >= 1), e.g. the Troika
 * reminder one business day after sending. n = 0 means the next allowed civil time from `instant`.
 */
export function addBusinessDaysAt(instant: Date, n: number, options: AddBusinessDaysOptions): Date {
  const { timeZone, calendar, hour = 9, holidays } = options;
  if (!Number.isInteger(n) || n < 0 || n > 366) throw new RangeError(`n must be an integer 0..366, got ${n}`);
  checkHours(hour, Math.max(hour + 1, 18));
  assertTimeZone(timeZone);
  if (n === 0) return nextCivilTime(instant, { timeZone, calendar, hour, holidays: holidays ?? [] });
  const isBusiness = makeIsBusiness(calendar, holidays);
  let day = localDayNumber(instant, timeZone);
  let left = n;
  for (let i = 0; left > 0; i++) {
    if (i > SEARCH_LIMIT_DAYS * 2) throw new RangeError(`no business day found in calendar ${calendar}`);
    day += 1;
    if (isBusiness(day)) left -= 1;
  }
  return zonedInstant(day, timeZone, hour);
}

export interface ReminderPerson {
  timeZone: string;
  calendar: string;
}

export interface ReminderOptions {
  /** Business days before the deadline's local date (0 = the deadline day). Default [2, 0]. */
  daysBefore?: readonly number[];
  hour?: number;
  windowEndHour?: number;
  holidays?: readonly HolidayOverride[];
}

export interface ReminderSlot {
  /** `D-2`, `D-0`, … */
  slot: string;
  at: Date;
  /** How the time was chosen: the plain rule, or one of the fallbacks below. */
  rule: 'scheduled' | 'latest-before-deadline' | 'deadline-minus-1h';
}

/**
 * One reminder per entry of `daysBefore`, at `hour` local (the person's zone) on the day k business days
 * (of the person's calendar) before the deadline's local date; k = 0 is the deadline's local date itself,
 * or the last business day before it when that date is not a business day for the person.
 *
 * Nothing is dropped. When a slot's time is not before the deadline (e.g. the deadline falls at 06:59
 * local for a person far east of the ST), it becomes the latest `hour` local on a business day that is
 * still before the deadline (rule `latest-before-deadline`), searching back up to 31 days; failing that,
 * the deadline minus one hour (rule `deadline-minus-1h`). Two slots may thus land on the same instant;
 * both are returned (callers may merge them). Slots are returned in the order of `daysBefore`.
 */
export function reminderSlots(deadline: Date, person: ReminderPerson, options: ReminderOptions = {}): ReminderSlot[] {
  const { daysBefore = [2, 0], hour = 9, windowEndHour = 18, holidays } = options;
  checkHours(hour, windowEndHour);
  assertTimeZone(person.timeZone);
  if (Number.isNaN(deadline.getTime())) throw new RangeError('deadline must be a valid Date');
  const isBusiness = makeIsBusiness(person.calendar, holidays);
  const tz = person.timeZone;
  const deadlineMs = deadline.getTime();
  const deadlineDay = localDayNumber(deadline, tz);

  let base = deadlineDay;
  for (let i = 0; !isBusiness(base) && i < SEARCH_LIMIT_DAYS; i++) base -= 1;

  const latestBeforeDeadline = (): Date | undefined => {
    for (let d = deadlineDay, i = 0; i <= 31; i++, d--) {
      if (!isBusiness(d)) continue;
      const at = zonedInstant(d, tz, hour);
      if (at.getTime() < deadlineMs) return at;
    }
    return undefined;
  };

  return daysBefore.map((k) => {
    if (!Number.isInteger(k) || k < 0 || k > 60) throw new RangeError(`daysBefore entries must be integers 0..60, got ${k}`);
    let day = base;
    for (let left = k, i = 0; left > 0 && i < SEARCH_LIMIT_DAYS * 2; i++) {
      day -= 1;
      if (isBusiness(day)) left -= 1;
    }
    const slot = `D-${k}`;
    const at = zonedInstant(day, tz, hour);
    if (at.getTime() < deadlineMs) return { slot, at, rule: 'scheduled' as const };
    const latest = latestBeforeDeadline();
    if (latest) return { slot, at: latest, rule: 'latest-before-deadline' as const };
    return { slot, at: new Date(deadlineMs - 3_600_000), rule: 'deadline-minus-1h' as const };
  });
}
