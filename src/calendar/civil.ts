/**
 * Civil (calendar) dates as integers: days since 1970-01-01. No time zones here: a civil date is a label,
 * and arithmetic on labels is plain integer arithmetic (H. Hinnant's days_from_civil / civil_from_days).
 */
export type DayNumber = number;

const YMD = /^(\d{4})-(\d{2})-(\d{2})$/;

export function dayFromCivil(y: number, m: number, d: number): DayNumber {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const mp = (m + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function civilFromDay(n: DayNumber): { y: number; m: number; d: number } {
  const z = n + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { y: yoe + era * 400 + (m <= 2 ? 1 : 0), m, d };
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

export function formatDay(n: DayNumber): string {
  const { y, m, d } = civilFromDay(n);
  return `${y}-${pad2(m)}-${pad2(d)}`;
}

/** YYYY-MM-DD -> day number; throws RangeError on a malformed or impossible date (2026-02-30). */
export function parseDay(ymd: string): DayNumber {
  const match = YMD.exec(ymd);
  if (!match) throw new RangeError(`expected a date YYYY-MM-DD, got "${ymd}"`);
  const y = Number(match[1]);
  const m = Number(match[2]);
  const d = Number(match[3]);
  const n = dayFromCivil(y, m, d);
  const back = civilFromDay(n);
  if (m < 1 || m > 12 || back.y !== y || back.m !== m || back.d !== d) {
    throw new RangeError(`no such date: "${ymd}"`);
  }
  return n;
}

export function isValidDay(ymd: string): boolean {
  try {
    parseDay(ymd);
    return true;
  } catch {
    return false;
  }
}

/** 0 = Sunday … 6 = Saturday. 1970-01-01 was a Thursday. */
export function weekday(n: DayNumber): number {
  return (((n + 4) % 7) + 7) % 7;
}

export function isWeekend(n: DayNumber): boolean {
  const w = weekday(n);
  return w === 0 || w === 6;
}

export function yearOf(n: DayNumber): number {
  return civilFromDay(n).y;
}
