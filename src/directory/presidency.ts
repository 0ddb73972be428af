/**
 * The rotating Presidency (PPT) and the Troika, derived from the roster of terms. Pure.
 * The Troika is the previous, current and incoming PPT (domain.md §1). When the incoming PPT is not yet
 * designated, the Troika has two countries and says so (`incomplete`).
 */
import type { CountryCode, PresidencyTerm } from './model.ts';

export interface Troika {
  previous?: CountryCode;
  current: CountryCode;
  next?: CountryCode;
  /** The distinct Troika countries, in order previous, current, next. */
  countries: CountryCode[];
  /** True when fewer than three distinct countries could be named (no incoming PPT designated yet). */
  incomplete: boolean;
}

const ymd = /^\d{4}-\d{2}-\d{2}$/;

function sorted(terms: readonly PresidencyTerm[]): PresidencyTerm[] {
  return [...terms].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
}

/** Index in the sorted roster of the term covering `date` (YYYY-MM-DD), or -1. */
function termIndexAt(roster: PresidencyTerm[], date: string): number {
  if (!ymd.test(date)) throw new RangeError(`expected a YYYY-MM-DD date, got "${date}"`);
  for (let i = roster.length - 1; i >= 0; i--) {
    const t = roster[i]!;
    if (t.from <= date && (t.to === undefined || date <= t.to)) return i;
  }
  return -1;
}

/** The PPT term in force on `date` (YYYY-MM-DD), if any. */
export function presidencyAt(terms: readonly PresidencyTerm[], date: string): PresidencyTerm | undefined {
  const roster = sorted(terms);
  const i = termIndexAt(roster, date);
  return i < 0 ? undefined : roster[i];
}

/** The Troika on `date` (YYYY-MM-DD), or undefined when no PPT is in office that day. */
export function troikaAt(terms: readonly PresidencyTerm[], date: string): Troika | undefined {
  const roster = sorted(terms);
  const i = termIndexAt(roster, date);
  if (i < 0) return undefined;
  const current = roster[i]!.country;
  const previous = i > 0 ? roster[i - 1]!.country : undefined;
  const next = i + 1 < roster.length ? roster[i + 1]!.country : undefined;
  const countries: CountryCode[] = [];
  for (const c of [previous, current, next]) if (c && !countries.includes(c)) countries.push(c);
  return {
    ...(previous ? { previous } : {}),
    current,
    ...(next ? { next } : {}),
    countries,
    incomplete: countries.length < 3,
  };
}
