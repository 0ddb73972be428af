/**
 * What the domain needs from the business-day calendar. Implemented in src/calendar; the domain only
 * sees this interface so it stays pure (no date-holidays, no clock).
 */
export type CalendarPolicy = 'secretariat' | 'all-members' | string; // string = a country ISO2 code

export interface DeadlineResult {
  /** The last second (hh:59:59.000) of the Nth business day after the start day, in the calendar's zone. */
  deadline: Date;
  /** Time zone the deadline is expressed in (the calendar's zone). */
  timeZone: string;
  /** The N counted dates, YYYY-MM-DD. */
  counted: string[];
  skipped: { date: string; reason: 'weekend' | 'holiday'; name?: string }[];
  /** Years touched by the computation whose holiday data no one has verified (empty when all verified). */
  unverifiedYears: number[];
}

export interface BusinessCalendar {
  readonly policy: CalendarPolicy;
  deadlineAfter(start: Date, businessDays: number): DeadlineResult;
}
