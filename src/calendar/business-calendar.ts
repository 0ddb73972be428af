/**
 * The business-day calendar behind the domain's `BusinessCalendar` port.
 *
 * Policies:
 * - `secretariat` (default): the ST's seat calendar, in the ST's zone.
 * - `all-members`: a day counts only if it is a working day in every Member Country's calendar; the
 *   civil dates are those of the secretariat's zone (the same date label is checked in each calendar).
 * - an ISO2 code of a country in the setup: that country's calendar and zone.
 */
import type { BusinessCalendar, CalendarPolicy, DeadlineResult } from '../domain/calendar-port.ts';
import type { Country, HolidayOverride, Secretariat } from '../directory/model.ts';
import { type DayNumber, formatDay, isWeekend, parseDay, yearOf } from './civil.ts';
import { HolidayTable, SHIPPED, assertKnownCalendar, isVerifiedYear } from './holidays.ts';
import { assertTimeZone, endOfDayInZone, localDayNumber } from './tz.ts';

/** The parts of a Directory the calendar needs; a Directory can be passed as is. */
export interface CalendarSetup {
  secretariat: Pick<Secretariat, 'timezone' | 'calendar'>;
  countries: readonly Pick<Country, 'code' | 'status' | 'timezone' | 'calendar'>[];
  holidays?: readonly HolidayOverride[];
}

export const MAX_BUSINESS_DAYS = 60;

export class UnknownPolicyError extends RangeError {
  constructor(readonly policy: string) {
    super(`unknown calendar "${policy}": expected secretariat, all-members or the ISO2 code of a country in the directory`);
    this.name = 'UnknownPolicyError';
  }
}

export type DayStatus =
  | { date: string; working: true }
  | { date: string; working: false; reason: 'weekend' | 'holiday'; name?: string };

export interface BusinessDayCalendar extends BusinessCalendar {
  /** Normalised policy: `secretariat`, `all-members` or an upper-case ISO2 code. */
  readonly policy: CalendarPolicy;
  /** Zone in which civil dates are read and the deadline is expressed. */
  readonly timeZone: string;
  /** Normalised calendar ids in play (one, or every member's). */
  readonly calendars: readonly string[];
  /** Status of a civil date (YYYY-MM-DD) under this policy. */
  dayStatus(ymd: string): DayStatus;
  isBusinessDay(ymd: string): boolean;
}

interface Resolved {
  policy: string;
  timeZone: string;
  calendars: { code: string; calendar: string }[];
}

function resolvePolicy(policy: CalendarPolicy, setup: CalendarSetup): Resolved {
  const p = policy.trim();
  if (p === 'secretariat') {
    return {
      policy: 'secretariat',
      timeZone: setup.secretariat.timezone,
      calendars: [{ code: 'ST', calendar: assertKnownCalendar(setup.secretariat.calendar) }],
    };
  }
  if (p === 'all-members') {
    const members = setup.countries.filter((c) => c.status === 'member');
    if (members.length === 0) throw new UnknownPolicyError('all-members (the directory lists no Member Country)');
    return {
      policy: 'all-members',
      timeZone: setup.secretariat.timezone,
      calendars: members.map((c) => ({ code: c.code, calendar: assertKnownCalendar(c.calendar) })),
    };
  }
  if (/^[A-Za-z]{2}$/.test(p)) {
    const code = p.toUpperCase();
    const country = setup.countries.find((c) => c.code.toUpperCase() === code);
    if (country) {
      return { policy: code, timeZone: country.timezone, calendars: [{ code, calendar: assertKnownCalendar(country.calendar) }] };
    }
  }
  throw new UnknownPolicyError(policy);
}

/** Whether `policy` names a calendar that `setup` can resolve (no throw). */
export function isKnownPolicy(policy: string, setup: CalendarSetup): boolean {
  try {
    resolvePolicy(policy, setup);
    return true;
  } catch {
    return false;
  }
}

export function createBusinessCalendar(policy: CalendarPolicy = 'secretariat', setup: CalendarSetup): BusinessDayCalendar {
  const r = resolvePolicy(policy, setup);
  assertTimeZone(r.timeZone);
  const table = setup.holidays && setup.holidays.length > 0 ? new HolidayTable(setup.holidays) : SHIPPED;
  const cals = r.calendars;
  const single = cals.length === 1;

  const status = (day: DayNumber): { working: true } | { working: false; reason: 'weekend' | 'holiday'; name?: string } => {
    if (isWeekend(day)) return { working: false, reason: 'weekend' };
    if (single) {
      const name = table.holidayName(cals[0]!.calendar, day);
      return name === undefined ? { working: true } : { working: false, reason: 'holiday', name };
    }
    let names: string[] | undefined;
    for (const c of cals) {
      const name = table.holidayName(c.calendar, day);
      if (name !== undefined) (names ??= []).push(`${c.code}: ${name}`);
    }
    return names ? { working: false, reason: 'holiday', name: names.join('; ') } : { working: true };
  };

  const unverified = (from: DayNumber, to: DayNumber): number[] => {
    const years = new Set<number>();
    for (let y = yearOf(from); y <= yearOf(to); y++) {
      if (cals.some((c) => !isVerifiedYear(c.calendar, y))) years.add(y);
    }
    return [...years].sort((a, b) => a - b);
  };

  return {
    policy: r.policy,
    timeZone: r.timeZone,
    calendars: cals.map((c) => c.calendar),
    dayStatus(ymd) {
      const s = status(parseDay(ymd));
      return { date: ymd, ...s };
    },
    isBusinessDay(ymd) {
      return status(parseDay(ymd)).working;
    },
    deadlineAfter(start: Date, businessDays: number): DeadlineResult {
      if (!Number.isInteger(businessDays) || businessDays < 1 || businessDays > MAX_BUSINESS_DAYS) {
        throw new RangeError(`business days must be an integer from 1 to ${MAX_BUSINESS_DAYS}, got ${String(businessDays)}`);
      }
      if (!(start instanceof Date) || Number.isNaN(start.getTime())) throw new RangeError('start must be a valid Date');
      const startDay = localDayNumber(start, r.timeZone);
      const counted: string[] = [];
      const skipped: DeadlineResult['skipped'] = [];
      let day = startDay;
      while (counted.length < businessDays) {
        day += 1;
        const s = status(day);
        if (s.working) counted.push(formatDay(day));
        else skipped.push(s.name === undefined ? { date: formatDay(day), reason: s.reason } : { date: formatDay(day), reason: s.reason, name: s.name });
      }
      return {
        deadline: endOfDayInZone(day, r.timeZone),
        timeZone: r.timeZone,
        counted,
        skipped,
        unverifiedYears: unverified(startDay + 1, day),
      };
    },
  };
}

/**
 * Is `ymd` a business day of one calendar (shipped data plus optional overrides)? Weekends never are.
 */
export function isBusinessDay(calendarId: string, ymd: string, overrides?: readonly HolidayOverride[]): boolean {
  const cal = assertKnownCalendar(calendarId);
  const day = parseDay(ymd);
  if (isWeekend(day)) return false;
  const table = overrides && overrides.length > 0 ? new HolidayTable(overrides) : SHIPPED;
  return table.holidayName(cal, day) === undefined;
}

/** The holiday name of `ymd` in a calendar, if any (weekends are not holidays by themselves). */
export function holidayName(calendarId: string, ymd: string, overrides?: readonly HolidayOverride[]): string | undefined {
  const cal = assertKnownCalendar(calendarId);
  const table = overrides && overrides.length > 0 ? new HolidayTable(overrides) : SHIPPED;
  return table.holidayName(cal, parseDay(ymd));
}
