import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createBusinessCalendar, formatInZone, isBusinessDay, localDate, UnknownPolicyError, UnknownCalendarError } from '../../../src/calendar/index.ts';
import { formatDay, parseDay } from '../../../src/calendar/civil.ts';
import { setup } from './fixtures.ts';

const at = (iso: string): Date => new Date(iso);

describe('deadlineAfter: table', () => {
  const cases: [policy: string, start: string, n: number, deadline: string, counted: string[]][] = [
    // Mon 2026-11-30 (CR): Dec 1 is Abolición del Ejército
    ['secretariat', '2026-11-30T10:00:00-06:00', 5, '2026-12-08T23:59:59-06:00', ['2026-12-02', '2026-12-03', '2026-12-04', '2026-12-07', '2026-12-08']],
    ['MX', '2026-11-30T10:00:00-06:00', 5, '2026-12-07T23:59:59-06:00', ['2026-12-01', '2026-12-02', '2026-12-03', '2026-12-04', '2026-12-07']],
    // Friday start: the week-end is skipped
    ['secretariat', '2026-11-27T08:00:00-06:00', 1, '2026-11-30T23:59:59-06:00', ['2026-11-30']],
    // late on Friday in UTC is still Friday in Costa Rica
    ['secretariat', '2026-11-28T05:30:00Z', 1, '2026-11-30T23:59:59-06:00', ['2026-11-30']],
    // US in winter: -05:00
    ['US', '2026-11-24T12:00:00Z', 2, '2026-11-27T23:59:59-05:00', ['2026-11-25', '2026-11-27']],
    // CA across the 2027 Christmas block
    ['CA', '2027-12-24T12:00:00-05:00', 2, '2027-12-30T23:59:59-05:00', ['2027-12-29', '2027-12-30']],
    // HN across Semana Morazánica 2026
    ['HN', '2026-10-05T09:00:00-06:00', 3, '2026-10-13T23:59:59-06:00', ['2026-10-06', '2026-10-12', '2026-10-13']],
    // all-members: Oct 2026 — HN week, PA none, MX none, US Columbus Day (Oct 12), CA Thanksgiving (Oct 12)
    ['all-members', '2026-10-05T09:00:00-06:00', 3, '2026-10-14T23:59:59-06:00', ['2026-10-06', '2026-10-13', '2026-10-14']],
  ];
  it.each(cases)('%s from %s + %d -> %s', (policy, start, n, deadline, counted) => {
    const r = createBusinessCalendar(policy, setup()).deadlineAfter(at(start), n);
    expect(formatInZone(r.deadline, r.timeZone)).toBe(deadline);
    expect(r.counted).toEqual(counted);
    expect(r.unverifiedYears).toEqual(policy === 'all-members' ? [2026, 2027].filter((y) => y <= Number(deadline.slice(0, 4))) : []);
  });

  it('names skipped holidays, and in all-members which country has which', () => {
    const r = createBusinessCalendar('all-members', setup()).deadlineAfter(at('2026-10-05T09:00:00-06:00'), 3);
    const oct7 = r.skipped.find((s) => s.date === '2026-10-07');
    expect(oct7).toMatchObject({ reason: 'holiday' });
    expect(oct7?.name).toContain('HN: Semana Morazánica');
    const oct12 = r.skipped.find((s) => s.date === '2026-10-12');
    expect(oct12?.name).toMatch(/CA: .*Thanksgiving/);
    expect(oct12?.name).toMatch(/US: /);
    expect(r.skipped.filter((s) => s.reason === 'weekend').map((s) => s.date)).toEqual(['2026-10-10', '2026-10-11']);
  });

  it('reports unverified years (Belize in all-members; anything in 2028)', () => {
    const cal = createBusinessCalendar('secretariat', setup());
    expect(cal.deadlineAfter(at('2027-12-28T12:00:00-06:00'), 5).unverifiedYears).toEqual([2028]);
    expect(createBusinessCalendar('BZ', setup()).deadlineAfter(at('2026-03-02T12:00:00-06:00'), 5).unverifiedYears).toEqual([2026]);
    expect(createBusinessCalendar('AR', setup()).deadlineAfter(at('2026-03-02T12:00:00-03:00'), 5).unverifiedYears).toEqual([2026]);
  });

  it('applies directory overrides', () => {
    const s = setup({ holidays: [{ calendar: 'CR', date: '2026-12-02', name: 'Cierre' }, { calendar: 'CR', date: '2026-12-01', name: 'x', kind: 'working' }] });
    const r = createBusinessCalendar('secretariat', s).deadlineAfter(at('2026-11-30T10:00:00-06:00'), 2);
    expect(r.counted).toEqual(['2026-12-01', '2026-12-03']);
    expect(r.skipped).toEqual([{ date: '2026-12-02', reason: 'holiday', name: 'Cierre' }]);
  });

  it('validates N and the policy', () => {
    const cal = createBusinessCalendar('secretariat', setup());
    for (const n of [0, -1, 61, 2.5, Number.NaN]) expect(() => cal.deadlineAfter(at('2026-01-05T00:00:00Z'), n)).toThrow(RangeError);
    expect(() => cal.deadlineAfter(new Date('nope'), 5)).toThrow(RangeError);
    expect(cal.deadlineAfter(at('2026-01-05T12:00:00Z'), 60).counted).toHaveLength(60);
    expect(() => createBusinessCalendar('ZZ', setup())).toThrow(UnknownPolicyError);
    expect(() => createBusinessCalendar('members', setup())).toThrow(UnknownPolicyError);
    expect(createBusinessCalendar('mx', setup()).policy).toBe('MX');
    const bad = setup({ secretariat: { timezone: 'America/Costa_Rica', calendar: 'QQ' } });
    expect(() => createBusinessCalendar('secretariat', bad)).toThrow(UnknownCalendarError);
  });

  it('the CA policy uses the capital region when the directory says just CA', () => {
    const s = setup();
    const countries = s.countries.map((c) => (c.code === 'CA' ? { ...c, calendar: 'CA' } : c));
    const cal = createBusinessCalendar('CA', { ...s, countries });
    expect(cal.calendars).toEqual(['CA-ON']);
    expect(cal.isBusinessDay('2026-09-30')).toBe(false);
  });
});

describe('deadlineAfter: properties', () => {
  const policies = ['secretariat', 'all-members', 'MX', 'US', 'CA', 'HN', 'SV', 'PA'];
  const startArb = fc.date({ min: new Date('2025-06-01T00:00:00Z'), max: new Date('2028-06-01T00:00:00Z'), noInvalidDate: true });

  it('deadline after start; N counted business days; skipped ∪ counted covers every day in between', () => {
    fc.assert(
      fc.property(fc.constantFrom(...policies), startArb, fc.integer({ min: 1, max: 60 }), (policy, start, n) => {
        const cal = createBusinessCalendar(policy, setup());
        const r = cal.deadlineAfter(start, n);
        expect(r.deadline.getTime()).toBeGreaterThan(start.getTime());
        expect(r.counted).toHaveLength(n);
        for (const d of r.counted) expect(cal.isBusinessDay(d)).toBe(true);
        for (const s of r.skipped) expect(cal.isBusinessDay(s.date)).toBe(false);
        const startDay = parseDay(localDate(start, r.timeZone));
        const lastDay = parseDay(r.counted[n - 1]!);
        expect(localDate(r.deadline, r.timeZone)).toBe(r.counted[n - 1]);
        expect(formatInZone(r.deadline, r.timeZone)).toMatch(/T23:59:59[+-]\d\d:\d\d$/);
        const all = [...r.counted, ...r.skipped.map((s) => s.date)].sort();
        const expected: string[] = [];
        for (let d = startDay + 1; d <= lastDay; d++) expected.push(formatDay(d));
        expect(all).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('all-members is never earlier than any single member country read in the ST zone', () => {
    fc.assert(
      fc.property(startArb, fc.integer({ min: 1, max: 30 }), (start, n) => {
        const all = createBusinessCalendar('all-members', setup()).deadlineAfter(start, n);
        for (const c of ['CR', 'MX', 'US', 'PA']) {
          const one = createBusinessCalendar('secretariat', setup({ secretariat: { timezone: 'America/Costa_Rica', calendar: c } }));
          const r = one.deadlineAfter(start, n);
          expect(all.counted[n - 1]! >= r.counted[n - 1]!).toBe(true);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('each counted day in all-members is a business day of every member calendar', () => {
    const r = createBusinessCalendar('all-members', setup()).deadlineAfter(at('2026-12-15T12:00:00-06:00'), 20);
    for (const d of r.counted) for (const cal of ['BZ', 'CA-ON', 'CR', 'SV', 'US-DC', 'GT', 'HN', 'MX', 'NI', 'PA', 'DO']) expect(isBusinessDay(cal, d), `${cal} ${d}`).toBe(true);
  });
});
