import type { CalendarSetup } from '../../../src/calendar/index.ts';

export const MEMBERS: [code: string, timezone: string, calendar: string][] = [
  ['BZ', 'America/Belize', 'BZ'],
  ['CA', 'America/Toronto', 'CA-ON'],
  ['CR', 'America/Costa_Rica', 'CR'],
  ['SV', 'America/El_Salvador', 'SV'],
  ['US', 'America/New_York', 'US-DC'],
  ['GT', 'America/Guatemala', 'GT'],
  ['HN', 'America/Tegucigalpa', 'HN'],
  ['MX', 'America/Mexico_City', 'MX'],
  ['NI', 'America/Managua', 'NI'],
  ['PA', 'America/Panama', 'PA'],
  ['DO', 'America/Santo_Domingo', 'DO'],
];

export function setup(extra: Partial<CalendarSetup> = {}): CalendarSetup {
  return {
    secretariat: { timezone: 'America/Costa_Rica', calendar: 'CR' },
    countries: [
      ...MEMBERS.map(([code, timezone, calendar]) => ({ code, status: 'member' as const, timezone, calendar })),
      { code: 'AR', status: 'observer' as const, timezone: 'America/Argentina/Buenos_Aires', calendar: 'AR' },
    ],
    holidays: [],
    ...extra,
  };
}
