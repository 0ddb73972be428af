/** Pure time helpers: no clock, only the instants given. */

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The calendar date (YYYY-MM-DD) of `instant` in the IANA zone `timeZone`. Throws RangeError on a bad zone. */
export function dateInZone(instant: Date, timeZone: string): string {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(timeZone, f);
  }
  const parts = f.formatToParts(instant);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

export function isValidTimeZone(timeZone: string): boolean {
  if (typeof timeZone !== 'string' || timeZone === '') return false;
  try {
    dateInZone(new Date(0), timeZone);
    return true;
  } catch {
    return false;
  }
}

/** An ISO-8601 instant WITH a zone designator (`Z` or `±hh:mm`); local-time strings are ambiguous. */
const isoInstant = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(:(\d{2})(\.\d{1,9})?)?(Z|[+-](\d{2}):(\d{2}))$/;

/** Milliseconds since the epoch of an ISO instant with an explicit offset, or undefined. */
export function parseInstant(s: unknown): number | undefined {
  if (typeof s !== 'string') return undefined;
  const m = isoInstant.exec(s);
  if (!m) return undefined;
  const [y, mo, d, h, mi, sec, oh, om] = [m[1], m[2], m[3], m[4], m[5], m[7] ?? '0', m[10] ?? '0', m[11] ?? '0'].map(Number) as number[];
  // reject dates that Date.parse would roll over (31 February) and out-of-range fields
  if (mo! < 1 || mo! > 12 || d! < 1 || d! > new Date(Date.UTC(y!, mo!, 0)).getUTCDate()) return undefined;
  if (h! > 23 || mi! > 59 || sec! > 59 || oh! > 14 || om! > 59) return undefined;
  const ms = Date.parse(s);
  return Number.isNaN(ms) ? undefined : ms;
}

export function isValidDate(d: unknown): d is Date {
  return d instanceof Date && !Number.isNaN(d.getTime());
}
