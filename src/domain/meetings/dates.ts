/**
 * Civil-date arithmetic on YYYY-MM-DD strings, pure (no clock, no zone: a civil date is the same
 * everywhere). Used for due dates and the checks between meetings.
 */
import type { CivilDate, WallTime } from './types.ts';

const YMD = /^(\d{4})-(\d{2})-(\d{2})$/;
const HM = /^([01]\d|2[0-3]):([0-5]\d)$/;

function toUtc(date: CivilDate): number {
  const m = YMD.exec(date);
  if (!m) throw new RangeError(`expected a date YYYY-MM-DD, got "${date}"`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
}

/** True for a real calendar date written YYYY-MM-DD. */
export function isCivilDate(value: string): boolean {
  const m = YMD.exec(value);
  if (!m) return false;
  const t = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return t.getUTCFullYear() === Number(m[1]) && t.getUTCMonth() === Number(m[2]) - 1 && t.getUTCDate() === Number(m[3]);
}

/** True for a wall-clock time HH:MM (00:00 to 23:59). */
export function isWallTime(value: string): value is WallTime {
  return HM.test(value);
}

export function addDays(date: CivilDate, days: number): CivilDate {
  return new Date(toUtc(date) + days * 86_400_000).toISOString().slice(0, 10);
}

/** `b − a` in days. */
export function daysBetween(a: CivilDate, b: CivilDate): number {
  return Math.round((toUtc(b) - toUtc(a)) / 86_400_000);
}

/** The same month and day `years` later (29 February becomes 28 February in a common year). */
export function addYears(date: CivilDate, years: number): CivilDate {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const target = y + years;
  const last = new Date(Date.UTC(target, m, 0)).getUTCDate();
  return `${String(target).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/** 1..12. */
export function monthOf(date: CivilDate): number {
  toUtc(date);
  return Number(date.slice(5, 7));
}
