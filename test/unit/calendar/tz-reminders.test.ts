import { describe, expect, it } from 'vitest';
import { addBusinessDaysAt, formatInZone, localDate, nextCivilTime, reminderSlots } from '../../../src/calendar/index.ts';

const at = (iso: string): Date => new Date(iso);
const CR = { timeZone: 'America/Costa_Rica', calendar: 'CR' };

describe('time-zone helpers', () => {
  it('formats with the zone offset and seconds', () => {
    expect(formatInZone(at('2026-12-05T05:59:59Z'), 'America/Costa_Rica')).toBe('2026-12-04T23:59:59-06:00');
    expect(formatInZone(at('2026-07-01T12:00:00Z'), 'America/Toronto')).toBe('2026-07-01T08:00:00-04:00');
    expect(formatInZone(at('2026-01-01T12:00:00Z'), 'America/Toronto')).toBe('2026-01-01T07:00:00-05:00');
    expect(formatInZone(at('2026-01-01T12:00:00Z'), 'UTC')).toBe('2026-01-01T12:00:00+00:00');
  });
  it('gives the local calendar date', () => {
    expect(localDate(at('2026-12-05T05:59:59Z'), 'America/Costa_Rica')).toBe('2026-12-04');
    expect(localDate(at('2026-12-05T06:00:00Z'), 'America/Costa_Rica')).toBe('2026-12-05');
    expect(localDate(at('2026-12-05T03:00:00Z'), 'America/Santo_Domingo')).toBe('2026-12-04');
  });
  it('rejects unknown zones', () => {
    expect(() => formatInZone(at('2026-01-01T00:00:00Z'), 'Mars/Olympus')).toThrow(RangeError);
  });
});

describe('nextCivilTime', () => {
  it('keeps an instant already inside the window', () => {
    const t = at('2026-12-02T10:30:00-06:00');
    expect(nextCivilTime(t, CR).getTime()).toBe(t.getTime());
  });
  it('moves an early-morning instant to 09:00 the same business day', () => {
    expect(formatInZone(nextCivilTime(at('2026-12-02T06:00:00-06:00'), CR), CR.timeZone)).toBe('2026-12-02T09:00:00-06:00');
  });
  it('moves an evening instant to 09:00 the next business day, over weekends and holidays', () => {
    // Mon 2026-11-30 19:00 -> Dec 1 holiday -> Wed Dec 2 09:00
    expect(formatInZone(nextCivilTime(at('2026-11-30T19:00:00-06:00'), CR), CR.timeZone)).toBe('2026-12-02T09:00:00-06:00');
    // Fri 18:00 is outside [9, 18) -> Monday
    expect(formatInZone(nextCivilTime(at('2026-12-04T18:00:00-06:00'), CR), CR.timeZone)).toBe('2026-12-07T09:00:00-06:00');
  });
  it('honours the hour window options and overrides', () => {
    const opts = { ...CR, hour: 8, windowEndHour: 12, holidays: [{ calendar: 'CR', date: '2026-12-03', name: 'x' }] };
    expect(formatInZone(nextCivilTime(at('2026-12-02T12:00:00-06:00'), opts), CR.timeZone)).toBe('2026-12-04T08:00:00-06:00');
    expect(() => nextCivilTime(at('2026-12-02T12:00:00-06:00'), { ...CR, hour: 18, windowEndHour: 9 })).toThrow(RangeError);
  });
});

describe('addBusinessDaysAt', () => {
  it('one business day later at 09:00 local (Troika reminder)', () => {
    const r = addBusinessDaysAt(at('2026-11-27T15:00:00-06:00'), 1, CR);
    expect(formatInZone(r, CR.timeZone)).toBe('2026-11-30T09:00:00-06:00');
    const r2 = addBusinessDaysAt(at('2026-11-30T15:00:00-06:00'), 1, CR);
    expect(formatInZone(r2, CR.timeZone)).toBe('2026-12-02T09:00:00-06:00');
  });
  it('in the recipient zone and calendar', () => {
    const r = addBusinessDaysAt(at('2026-10-06T20:00:00Z'), 1, { timeZone: 'America/Tegucigalpa', calendar: 'HN' });
    expect(formatInZone(r, 'America/Tegucigalpa')).toBe('2026-10-12T09:00:00-06:00');
  });
});

describe('reminderSlots', () => {
  it('D-2 and D-0 at 09:00 local on business days', () => {
    const deadline = at('2026-12-08T23:59:59-06:00');
    const slots = reminderSlots(deadline, CR);
    expect(slots.map((s) => [s.slot, formatInZone(s.at, CR.timeZone), s.rule])).toEqual([
      ['D-2', '2026-12-04T09:00:00-06:00', 'scheduled'],
      ['D-0', '2026-12-08T09:00:00-06:00', 'scheduled'],
    ]);
  });
  it('counts back over the person’s own holidays', () => {
    // deadline Thu 2026-10-08 in ST zone; for Honduras D-2 skips nothing before Oct 7? Oct 7-8 are holidays in HN
    const slots = reminderSlots(at('2026-10-08T23:59:59-06:00'), { timeZone: 'America/Tegucigalpa', calendar: 'HN' });
    // the deadline day is a holiday in HN -> D-0 on the last business day before (Tue Oct 6), D-2 two before (Fri Oct 2)
    expect(slots.map((s) => formatInZone(s.at, 'America/Tegucigalpa'))).toEqual(['2026-10-02T09:00:00-06:00', '2026-10-06T09:00:00-06:00']);
  });
  it('never lands after the deadline: latest allowed time before it, else deadline - 1h', () => {
    // deadline 23:59:59 Costa Rica = 06:59:59 next day in... use a zone far east: Europe/Madrid (+1 in winter)
    const deadline = at('2026-12-08T23:59:59-06:00'); // 2026-12-09T06:59:59+01:00
    const slots = reminderSlots(deadline, { timeZone: 'Europe/Madrid', calendar: 'CR' });
    const d0 = slots.find((s) => s.slot === 'D-0')!;
    expect(d0.rule).toBe('latest-before-deadline');
    expect(formatInZone(d0.at, 'Europe/Madrid')).toBe('2026-12-08T09:00:00+01:00');
    for (const s of slots) expect(s.at.getTime()).toBeLessThan(deadline.getTime());
    // a deadline at 08:00 local on the only business day in reach: no 09:00 before it -> deadline - 1h
    const early = at('2026-12-07T08:00:00-06:00'); // Monday
    const s2 = reminderSlots(early, CR, { daysBefore: [0], holidays: [{ calendar: 'CR', date: '2026-12-04', name: 'x' }, { calendar: 'CR', date: '2026-12-03', name: 'x' }, { calendar: 'CR', date: '2026-12-02', name: 'x' }, { calendar: 'CR', date: '2026-11-30', name: 'x' }] });
    expect(s2[0]?.rule).toBe('latest-before-deadline');
    expect(formatInZone(s2[0]!.at, CR.timeZone)).toBe('2026-11-27T09:00:00-06:00');
  });
  it('custom daysBefore and hour', () => {
    const slots = reminderSlots(at('2026-12-08T23:59:59-06:00'), CR, { daysBefore: [3, 1], hour: 10 });
    expect(slots.map((s) => [s.slot, formatInZone(s.at, CR.timeZone)])).toEqual([
      ['D-3', '2026-12-03T10:00:00-06:00'],
      ['D-1', '2026-12-07T10:00:00-06:00'],
    ]);
  });
});
