import { describe, expect, it } from 'vitest';
import { formatDate, formatDeadline, formatInstant, formatList, zoneLabel } from '../../../src/i18n/index.ts';

// 2026-12-04T23:59:59-06:00: the last second of a business day in Costa Rica (UTC-6, no DST).
const deadline = new Date('2026-12-05T05:59:59Z');

describe('formatInstant', () => {
  it('Spanish, Costa Rica', () => {
    expect(formatInstant(deadline, { locale: 'es', timeZone: 'America/Costa_Rica' })).toBe(
      'viernes 4 de diciembre de 2026, 23:59 (hora de Costa Rica)',
    );
  });
  it('English, Costa Rica', () => {
    expect(formatInstant(deadline, { locale: 'en', timeZone: 'America/Costa_Rica' })).toBe(
      'Friday, December 4, 2026, 11:59 PM (Costa Rica time)',
    );
  });
  it('the same instant in another zone moves to the next day', () => {
    expect(formatInstant(deadline, { locale: 'es', timeZone: 'America/Santo_Domingo' })).toBe(
      'sábado 5 de diciembre de 2026, 01:59 (hora de la República Dominicana)',
    );
    expect(formatInstant(deadline, { locale: 'en', timeZone: 'America/Panama' })).toBe(
      'Saturday, December 5, 2026, 12:59 AM (Panama time)',
    );
  });
  it('midnight hour reads 00 in Spanish and 12 AM in English', () => {
    const midnight = new Date('2026-03-02T06:00:00Z');
    expect(formatInstant(midnight, { locale: 'es', timeZone: 'America/Mexico_City', withZone: false })).toBe(
      'lunes 2 de marzo de 2026, 00:00',
    );
    expect(formatInstant(midnight, { locale: 'en', timeZone: 'America/Mexico_City', withZone: false })).toBe(
      'Monday, March 2, 2026, 12:00 AM',
    );
  });
  it('follows daylight saving time (Ottawa, summer and winter)', () => {
    expect(formatInstant(new Date('2026-07-01T16:00:00Z'), { locale: 'en', timeZone: 'America/Toronto' })).toBe(
      'Wednesday, July 1, 2026, 12:00 PM (Ottawa time)',
    );
    expect(formatInstant(new Date('2026-01-15T17:00:00Z'), { locale: 'es', timeZone: 'America/Toronto' })).toBe(
      'jueves 15 de enero de 2026, 12:00 (hora de Ottawa)',
    );
  });
  it('an explicit place overrides the built-in name', () => {
    expect(formatInstant(deadline, { locale: 'es', timeZone: 'America/Costa_Rica', place: 'San José' })).toMatch(
      /\(hora de San José\)$/,
    );
  });
  it('unknown zones fall back to the generic zone name', () => {
    expect(zoneLabel('Europe/Madrid', 'en')).toMatch(/Central European/);
    expect(zoneLabel('Europe/Madrid', 'es')).toMatch(/Europa central/i);
  });
});

describe('formatDate', () => {
  it('a YYYY-MM-DD day is that day in any zone', () => {
    expect(formatDate('2026-12-24', 'es')).toBe('jueves 24 de diciembre de 2026');
    expect(formatDate('2026-12-24', 'en', 'Pacific/Kiritimati')).toBe('Thursday, December 24, 2026');
  });
  it('an instant is shown in the zone', () => {
    expect(formatDate(deadline, 'en', 'America/Costa_Rica')).toBe('Friday, December 4, 2026');
    expect(formatDate(deadline, 'es', 'America/Santo_Domingo')).toBe('sábado 5 de diciembre de 2026');
  });
  it('refuses a malformed day', () => {
    expect(() => formatDate('4/12/2026', 'es')).toThrow(RangeError);
  });
});

describe('formatList', () => {
  it.each([
    [[], 'es', ''],
    [['Costa Rica'], 'es', 'Costa Rica'],
    [['Costa Rica', 'México'], 'es', 'Costa Rica y México'],
    [['Costa Rica', 'México', 'Panamá'], 'es', 'Costa Rica, México y Panamá'],
    [['Francia', 'Italia'], 'es', 'Francia e Italia'],
    [['Costa Rica', 'Mexico', 'Panama'], 'en', 'Costa Rica, Mexico and Panama'],
  ] as const)('%o (%s) → %s', (items, locale, expected) => {
    expect(formatList(items, locale)).toBe(expected);
  });
});

describe('zoneLabel: every Member Country seat reads right in both languages', () => {
  // An editor's table, not a copy of the code's: "hora de" takes the article the place needs in Spanish;
  // English puts the place before "time" with none ("Dominican Republic time", not "the … time").
  const expected: [string, string, string][] = [
    ['America/Belize', 'hora de Belice', 'Belize time'],
    ['America/Toronto', 'hora de Ottawa', 'Ottawa time'],
    ['America/Costa_Rica', 'hora de Costa Rica', 'Costa Rica time'],
    ['America/El_Salvador', 'hora de El Salvador', 'El Salvador time'],
    ['America/New_York', 'hora de Washington D. C.', 'Washington, D.C. time'],
    ['America/Guatemala', 'hora de Guatemala', 'Guatemala time'],
    ['America/Tegucigalpa', 'hora de Honduras', 'Honduras time'],
    ['America/Mexico_City', 'hora de la Ciudad de México', 'Mexico City time'],
    ['America/Managua', 'hora de Nicaragua', 'Nicaragua time'],
    ['America/Panama', 'hora de Panamá', 'Panama time'],
    ['America/Santo_Domingo', 'hora de la República Dominicana', 'Dominican Republic time'],
  ];
  it.each(expected)('%s', (zone, es, en) => {
    expect(zoneLabel(zone, 'es')).toBe(es);
    expect(zoneLabel(zone, 'en')).toBe(en);
  });
});

describe('formatDeadline (messages helper)', () => {
  // The end of Tuesday 8 December 2026 in Costa Rica: a business-day deadline.
  const end = new Date('2026-12-09T05:59:59Z');
  const cr = 'America/Costa_Rica';
  it.each([
    ['es', cr, 'fin del martes 8 de diciembre, hora de Costa Rica'],
    ['en', cr, 'end of Tuesday 8 December, Costa Rica time'],
    ['es', 'America/Toronto', 'fin del martes 8 de diciembre, hora de Costa Rica (miércoles 00:59 en Ottawa)'],
    ['en', 'America/Toronto', 'end of Tuesday 8 December, Costa Rica time (Wednesday 00:59 in Ottawa)'],
    ['es', 'America/Santo_Domingo', 'fin del martes 8 de diciembre, hora de Costa Rica (miércoles 01:59 en la República Dominicana)'],
    ['en', 'America/Santo_Domingo', 'end of Tuesday 8 December, Costa Rica time (Wednesday 01:59 in the Dominican Republic)'],
    // Same clock as the calendar's zone (Guatemala, Mexico City in December): the first part only.
    ['es', 'America/Guatemala', 'fin del martes 8 de diciembre, hora de Costa Rica'],
    ['en', 'America/Mexico_City', 'end of Tuesday 8 December, Costa Rica time'],
  ] as const)('%s, reader in %s → %s', (locale, timeZone, expected) => {
    expect(formatDeadline(end, { locale, timeZone, calendarZone: cr })).toBe(expected);
  });
  it('a deadline at another time of day reads with its time; an unknown zone is named generically', () => {
    const three = new Date('2026-12-08T21:00:00Z');
    expect(formatDeadline(three, { locale: 'es', timeZone: cr, calendarZone: cr })).toBe('martes 8 de diciembre a las 15:00, hora de Costa Rica');
    expect(formatDeadline(three, { locale: 'en', timeZone: 'Europe/Madrid', calendarZone: cr })).toMatch(
      /^Tuesday 8 December at 15:00, Costa Rica time \(Tuesday 22:00, Central European/,
    );
  });
  it('never nests parentheses', () => {
    for (const z of ['America/Toronto', 'America/New_York', 'Europe/Madrid', 'Asia/Tokyo']) {
      for (const locale of ['es', 'en'] as const) expect(formatDeadline(end, { locale, timeZone: z, calendarZone: cr })).toMatch(/^[^()]*(\([^()]*\))?$/);
    }
  });
});
