/** Business days, holidays and civil-time rules. See ./corrections.ts for the shipped data and sources. */
export {
  createBusinessCalendar,
  isBusinessDay,
  holidayName,
  isKnownPolicy,
  MAX_BUSINESS_DAYS,
  UnknownPolicyError,
  type BusinessDayCalendar,
  type CalendarSetup,
  type DayStatus,
} from './business-calendar.ts';
export { formatInZone, localDate, isValidTimeZone } from './tz.ts';
export {
  normalizeCalendarId,
  isKnownCalendar,
  isVerifiedYear,
  verifiedYears,
  UnknownCalendarError,
  DEFAULT_REGIONS,
} from './holidays.ts';
export { CORRECTIONS, VERIFIED_YEARS, type HolidayCorrection } from './corrections.ts';
export {
  nextCivilTime,
  reminderSlots,
  addBusinessDaysAt,
  type CivilTimeOptions,
  type ReminderSlot,
  type ReminderOptions,
  type ReminderPerson,
  type AddBusinessDaysOptions,
} from './reminders.ts';
