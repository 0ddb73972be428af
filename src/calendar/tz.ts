/**
 * Time-zone helpers on top of @date-fns/tz and date-fns (no hand-made offset arithmetic).
 */
import { TZDate, tz } from '@date-fns/tz';
import { format } from 'date-fns/format';
import { type DayNumber, civilFromDay, dayFromCivil, formatDay } from './civil.ts';

const zoneOk = new Map<string, boolean>();

/** True when `timeZone` is an IANA zone this runtime knows. */
export function isValidTimeZone(timeZone: string): boolean {
  let ok = zoneOk.get(timeZone);
  if (ok === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone });
      ok = timeZone.length > 0;
    } catch {
      ok = false;
    }
    zoneOk.set(timeZone, ok);
  }
  return ok;
}

export function assertTimeZone(timeZone: string): void {
  if (!isValidTimeZone(timeZone)) throw new RangeError(`unknown time zone "${timeZone}"`);
}

function assertDate(date: Date): void {
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) throw new RangeError('invalid date');
}

/** ISO-8601 with the zone's offset and seconds: `2026-12-04T23:59:59-06:00` (`+00:00` for UTC). */
export function formatInZone(date: Date, timeZone: string): string {
  assertDate(date);
  assertTimeZone(timeZone);
  return format(date, "yyyy-MM-dd'T'HH:mm:ssxxx", { in: tz(timeZone) });
}

/** The calendar date (YYYY-MM-DD) of `date` in `timeZone`. */
export function localDate(date: Date, timeZone: string): string {
  return formatDay(localDayNumber(date, timeZone));
}

/** The civil day (day number) of an instant in a zone. */
export function localDayNumber(date: Date, timeZone: string): DayNumber {
  assertDate(date);
  const z = new TZDate(date.getTime(), timeZone);
  return dayFromCivil(z.getFullYear(), z.getMonth() + 1, z.getDate());
}

/**
 * The instant at which the wall clock in `timeZone` shows `day` hh:mm:ss. In a DST gap the clock is
 * pushed forward (what @date-fns/tz does); the CRM zones have no DST except CA/US, whose gaps are at 02:00.
 */
export function zonedInstant(day: DayNumber, timeZone: string, hour: number, minute = 0, second = 0): Date {
  const { y, m, d } = civilFromDay(day);
  return new Date(new TZDate(y, m - 1, d, hour, minute, second, timeZone).getTime());
}

/** 23:59:59.000 of `day` in `timeZone`. */
export function endOfDayInZone(day: DayNumber, timeZone: string): Date {
  return zonedInstant(day, timeZone, 23, 59, 59);
}
