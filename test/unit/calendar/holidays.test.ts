import { describe, expect, it } from 'vitest';
import {
  CORRECTIONS,
  VERIFIED_YEARS,
  holidayName,
  isBusinessDay,
  isKnownCalendar,
  isVerifiedYear,
  normalizeCalendarId,
  UnknownCalendarError,
} from '../../../src/calendar/index.ts';
import { isValidDay } from '../../../src/calendar/civil.ts';
import { MEMBERS } from './fixtures.ts';

// [calendar, date, expected business day?, why]
const KEY_DATES: [string, string, boolean, string][] = [
  // BZ (baseline follows the Holidays Act; not verified)
  ['BZ', '2026-01-15', false, 'George Price Day'],
  ['BZ', '2026-03-09', false, 'National Heroes and Benefactors Day'],
  ['BZ', '2027-03-08', false, 'Heroes Day moved to Monday (Mar 9 is a Tuesday)'],
  ['BZ', '2027-03-09', true, 'the moved date itself is a working day'],
  ['BZ', '2027-12-27', false, 'Boxing Day in lieu of Sunday'],
  // CA-ON
  ['CA-ON', '2026-07-01', false, 'Canada Day'],
  ['CA-ON', '2026-08-03', false, 'Civic Holiday (federal public service, correction)'],
  ['CA-ON', '2026-09-30', false, 'National Day for Truth and Reconciliation (correction)'],
  ['CA-ON', '2026-11-11', false, 'Remembrance Day (correction)'],
  ['CA-ON', '2026-12-28', false, 'Boxing Day observed (correction)'],
  ['CA-ON', '2027-08-02', false, 'Civic Holiday (correction)'],
  ['CA-ON', '2027-09-30', false, 'NDTR (correction)'],
  ['CA-ON', '2027-11-11', false, 'Remembrance Day (correction)'],
  ['CA-ON', '2027-12-27', false, 'Christmas observed (correction)'],
  ['CA-ON', '2027-12-28', false, 'Boxing Day observed (correction)'],
  ['CA-ON', '2026-12-29', true, 'ordinary Tuesday'],
  // CR
  ['CR', '2026-04-02', false, 'Jueves Santo'],
  ['CR', '2026-08-31', false, 'Día de la Persona Negra (correction)'],
  ['CR', '2026-12-01', false, 'Abolición del Ejército (correction)'],
  ['CR', '2026-10-09', true, 'no Oct 12 holiday since Ley 10438 (correction removes)'],
  ['CR', '2026-09-15', false, 'Independencia'],
  ['CR', '2027-08-02', false, 'Virgen de los Ángeles'],
  ['CR', '2027-08-31', false, 'Persona Negra (correction)'],
  ['CR', '2027-12-01', false, 'Abolición del Ejército (correction)'],
  ['CR', '2027-10-12', true, 'not a holiday (correction removes)'],
  // SV
  ['SV', '2026-01-01', false, 'Año Nuevo (correction: baseline says observance)'],
  ['SV', '2026-01-02', false, 'public employees vacation to Jan 2 (correction)'],
  ['SV', '2026-03-30', false, 'Holy Week vacation (correction)'],
  ['SV', '2026-06-17', false, 'Día del Padre (correction)'],
  ['SV', '2026-08-04', false, 'August vacation (correction)'],
  ['SV', '2026-08-06', false, 'Divino Salvador del Mundo'],
  ['SV', '2026-08-07', true, 'after the August vacation'],
  ['SV', '2026-12-29', false, 'year-end vacation (correction)'],
  ['SV', '2027-01-01', false, 'Año Nuevo (correction)'],
  ['SV', '2027-03-22', false, 'Holy Week vacation (correction)'],
  ['SV', '2027-05-10', false, 'Día de la Madre (correction)'],
  ['SV', '2027-06-17', false, 'Día del Padre (correction)'],
  ['SV', '2027-08-02', false, 'August vacation (correction)'],
  ['SV', '2027-12-27', false, 'year-end vacation (correction)'],
  // US-DC
  ['US-DC', '2026-01-19', false, 'MLK Day'],
  ['US-DC', '2026-04-16', false, 'DC Emancipation Day'],
  ['US-DC', '2026-07-03', false, 'Independence Day observed'],
  ['US-DC', '2026-11-27', true, 'day after Thanksgiving is not a federal holiday'],
  ['US-DC', '2027-06-18', false, 'Juneteenth observed'],
  ['US-DC', '2027-12-31', false, "New Year's Day 2028 observed"],
  // GT
  ['GT', '2026-06-29', false, 'Día del Ejército moved to Monday (Decreto 19-2018)'],
  ['GT', '2027-06-28', false, 'Día del Ejército: Wednesday -> previous Monday (correction)'],
  ['GT', '2027-07-02', true, 'not Friday (correction removes)'],
  ['GT', '2026-10-20', false, 'Día de la Revolución'],
  ['GT', '2026-10-12', true, 'Oct 12 is a bank-only day'],
  ['GT', '2027-12-24', false, 'Nochebuena (half day, counted as holiday)'],
  // HN
  ['HN', '2026-10-07', false, 'Semana Morazánica (correction)'],
  ['HN', '2026-10-08', false, 'Semana Morazánica (correction)'],
  ['HN', '2026-10-09', false, 'Semana Morazánica (correction)'],
  ['HN', '2026-10-12', true, 'moved to Semana Morazánica (correction removes)'],
  ['HN', '2026-10-21', true, 'moved to Semana Morazánica (correction removes)'],
  ['HN', '2027-10-06', false, 'Semana Morazánica (correction)'],
  ['HN', '2027-10-08', false, 'Semana Morazánica (correction)'],
  ['HN', '2027-10-12', true, 'moved (correction removes)'],
  ['HN', '2027-10-21', true, 'moved (correction removes)'],
  ['HN', '2026-04-14', false, 'Día de las Américas'],
  // MX
  ['MX', '2026-02-02', false, 'Constitución (first Monday of February)'],
  ['MX', '2026-04-02', false, 'Jueves Santo, offices closed (correction)'],
  ['MX', '2026-05-05', false, '5 de mayo, Calendario Oficial (correction)'],
  ['MX', '2026-11-16', false, 'Revolución (third Monday)'],
  ['MX', '2026-11-02', true, 'Día de Muertos is bank-only'],
  ['MX', '2027-03-26', false, 'Viernes Santo (correction)'],
  ['MX', '2027-05-05', false, '5 de mayo (correction)'],
  ['MX', '2027-12-13', true, 'ordinary Monday'],
  // NI
  ['NI', '2026-02-02', false, 'Ley 1272 (correction)'],
  ['NI', '2026-06-01', true, 'not in art. 66 (correction removes)'],
  ['NI', '2026-08-10', false, 'Santo Domingo, Managua (correction)'],
  ['NI', '2026-10-12', true, 'not in art. 66 (correction removes)'],
  ['NI', '2026-09-14', false, 'San Jacinto'],
  ['NI', '2027-01-18', false, 'Rubén Darío, Ley 1272 (correction)'],
  ['NI', '2027-02-02', false, 'Ley 1272 (correction)'],
  ['NI', '2027-08-10', false, 'Santo Domingo, Managua (correction)'],
  ['NI', '2027-11-08', false, 'Carlos Fonseca, Ley 1272 (correction)'],
  ['NI', '2027-06-01', true, 'not in art. 66 (correction removes)'],
  // PA
  ['PA', '2026-02-16', false, 'Carnival Monday, Decreto Ejecutivo 3 (correction)'],
  ['PA', '2026-02-17', false, 'Martes de Carnaval'],
  ['PA', '2026-02-18', false, 'Ash Wednesday closure (correction)'],
  ['PA', '2026-11-04', true, 'Símbolos Patrios is not a day off'],
  ['PA', '2026-12-21', false, 'Duelo Nacional moved from Sunday'],
  ['PA', '2027-11-29', false, 'Independence moved from Sunday'],
  ['PA', '2027-02-10', true, 'no Ash Wednesday decree known for 2027'],
  // DO
  ['DO', '2026-01-05', false, 'Reyes moved to Monday (Ley 139-97)'],
  ['DO', '2026-05-04', false, 'Día del Trabajo moved to Monday'],
  ['DO', '2026-11-09', false, 'Constitución moved to Monday'],
  ['DO', '2026-11-06', true, 'the moved date is worked'],
  ['DO', '2027-11-08', true, 'Saturday holiday is not moved (correction removes)'],
  ['DO', '2027-08-16', false, 'Restauración'],
];

describe('shipped holiday data: key dates per Member Country, 2026–2027', () => {
  it.each(KEY_DATES)('%s %s business day = %s (%s)', (cal, date, expected) => {
    expect(isBusinessDay(cal, date)).toBe(expected);
  });

  it('weekends are never business days, holiday or not', () => {
    expect(isBusinessDay('CR', '2026-12-05')).toBe(false);
    expect(isBusinessDay('CR', '2026-12-06')).toBe(false);
  });
});

describe('every shipped correction takes effect', () => {
  it.each(CORRECTIONS.map((c) => [c.calendar, c.date, c.action, c.name.es] as const))('%s %s %s', (cal, date, action, name) => {
    // An added holiday carries the correction's own name (not whatever the baseline data had that day).
    if (action === 'add') expect(holidayName(cal, date)).toContain(name);
    else expect(holidayName(cal, date)).toBeUndefined();
  });

  it('each correction names a valid date, a known calendar, a source and a URL', () => {
    for (const c of CORRECTIONS) {
      expect(isValidDay(c.date), c.date).toBe(true);
      expect(isKnownCalendar(c.calendar), c.calendar).toBe(true);
      expect(normalizeCalendarId(c.calendar)).toBe(c.calendar);
      expect(c.source.length).toBeGreaterThan(10);
      expect(c.url).toMatch(/https?:\/\//);
      expect(c.name.es && c.name.en).toBeTruthy();
    }
  });

  it('no correction is a no-op duplicate', () => {
    const keys = CORRECTIONS.map((c) => `${c.calendar}|${c.date}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('calendar ids and verified years', () => {
  it('CA and US default to the capital region', () => {
    expect(normalizeCalendarId('CA')).toBe('CA-ON');
    expect(normalizeCalendarId('us')).toBe('US-DC');
    expect(normalizeCalendarId('mx')).toBe('MX');
    expect(isBusinessDay('CA', '2026-09-30')).toBe(false);
    expect(isBusinessDay('US', '2026-04-16')).toBe(false);
  });

  it('unknown calendars are rejected', () => {
    expect(isKnownCalendar('XX')).toBe(false);
    expect(isKnownCalendar('CA-ZZ')).toBe(false);
    expect(() => isBusinessDay('XX', '2026-01-05')).toThrow(UnknownCalendarError);
  });

  it('malformed dates are rejected', () => {
    expect(() => isBusinessDay('CR', '2026-02-30')).toThrow(RangeError);
    expect(() => isBusinessDay('CR', '26-02-01')).toThrow(RangeError);
  });

  it('verifies 2026 and 2027 for every member except Belize', () => {
    for (const [code, , cal] of MEMBERS) {
      for (const y of [2026, 2027]) expect(isVerifiedYear(cal, y), `${code} ${y}`).toBe(code !== 'BZ');
    }
    expect(isVerifiedYear('CR', 2028)).toBe(false);
    expect(Object.keys(VERIFIED_YEARS)).not.toContain('BZ');
  });

  it('directory overrides add (default) and remove (working) holidays', () => {
    const overrides = [
      { calendar: 'CR', date: '2026-12-24', name: 'Cierre de oficina' },
      { calendar: 'CR', date: '2026-12-01', name: 'Se trabaja', kind: 'working' as const },
      { calendar: 'CA', date: '2026-12-29', name: 'Office closed' },
    ];
    expect(isBusinessDay('CR', '2026-12-24', overrides)).toBe(false);
    expect(holidayName('CR', '2026-12-24', overrides)).toBe('Cierre de oficina');
    expect(isBusinessDay('CR', '2026-12-01', overrides)).toBe(true);
    expect(isBusinessDay('CA-ON', '2026-12-29', overrides)).toBe(false);
    // the shipped data itself is untouched
    expect(isBusinessDay('CR', '2026-12-24')).toBe(true);
    expect(isBusinessDay('CR', '2026-12-01')).toBe(false);
  });
});
