/**
 * Checks on the presidency roster as a whole. Pure. Complements ./presidency.ts (which answers "who is
 * PPT on this date") with "is the roster usable at all".
 */
import type { PresidencyTerm } from './model.ts';

export interface PresidencyGap {
  /** First uncovered day, YYYY-MM-DD. */
  from: string;
  /** Last uncovered day, YYYY-MM-DD (inclusive). */
  to: string;
  /** The term that ends just before the gap. */
  after: PresidencyTerm;
  /** The term that starts just after the gap. */
  before: PresidencyTerm;
}

/** The day after / before `date` (YYYY-MM-DD). */
export function addDays(date: string, days: number): string {
  const t = new Date(`${date}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() + days);
  return t.toISOString().slice(0, 10);
}

/**
 * Spans of days between the first term's start and the last term's end (or forever, for an open last term)
 * on which no PPT is in office. Overlapping terms are tolerated (they simply cover more). Days before the
 * first term and after a closed last term are not gaps: the roster just does not reach there.
 */
export function presidencyGaps(terms: readonly PresidencyTerm[]): PresidencyGap[] {
  const roster = [...terms].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
  const gaps: PresidencyGap[] = [];
  let reach: PresidencyTerm | undefined; // the term reaching furthest so far
  for (const t of roster) {
    if (reach) {
      if (reach.to === undefined) break; // open-ended: everything later is covered
      const firstFree = addDays(reach.to, 1);
      if (firstFree < t.from) gaps.push({ from: firstFree, to: addDays(t.from, -1), after: reach, before: t });
    }
    if (!reach || t.to === undefined || (reach.to !== undefined && t.to > reach.to)) reach = t;
  }
  return gaps;
}
