/** A new meeting: defaults (host country, zone, segments, hours), refusals naming the field, and warnings. */
import { describe, expect, it } from 'vitest';
import { meetingWarnings, newMeeting, type NewMeetingInput } from '../../../../src/domain/meetings/meeting.ts';
import type { MeetingKind } from '../../../../src/domain/meetings/types.ts';
import { DIRECTORY, meeting } from './fixtures.ts';

const base = (over: Partial<NewMeetingInput> = {}): NewMeetingInput => ({
  id: 'id-1',
  reference: 'MTG-2026-001',
  kind: 'vice_ministerial',
  title: 'XXXI Reunión Viceministerial',
  start: '2026-11-17',
  end: '2026-11-18',
  now: '2026-06-01T12:00:00.000Z',
  ...over,
});

describe('newMeeting', () => {
  it('defaults: the PPT\'s country on the start date, its zone, 09:00 to 18:00, the kind\'s segments', () => {
    expect(newMeeting(base(), DIRECTORY)).toEqual({
      ok: true,
      meeting: {
        id: 'id-1',
        reference: 'MTG-2026-001',
        kind: 'vice_ministerial',
        title: 'XXXI Reunión Viceministerial',
        start: '2026-11-17',
        end: '2026-11-18',
        startTime: '09:00',
        endTime: '18:00',
        country: 'MX',
        timezone: 'America/Mexico_City',
        segments: ['plenary', 'closed_door'],
        createdAt: '2026-06-01T12:00:00.000Z',
      },
    });
    // After the handover (PA from 2026-11-20) the default host is Panama.
    expect(newMeeting(base({ start: '2026-12-01', end: '2026-12-01', kind: 'grcm' }), DIRECTORY)).toMatchObject({
      ok: true,
      meeting: { country: 'PA', timezone: 'America/Panama', segments: ['main'] },
    });
  });

  it.each<[MeetingKind, string[]]>([
    ['vice_ministerial', ['plenary', 'closed_door']],
    ['grcm', ['main']],
    ['network_trafficking', ['deliberation']],
    ['network_consular', ['deliberation', 'hearing']],
    ['networks_joint', ['deliberation', 'hearing']],
    ['ad_hoc', ['main']],
    ['workshop', ['main']],
  ])('%s has the segments %j', (kind, segments) => {
    expect(newMeeting(base({ kind }), DIRECTORY)).toMatchObject({ ok: true, meeting: { segments } });
  });

  it('explicit city, country, zone and hours are kept; a city of spaces is no city', () => {
    const d = newMeeting(base({ city: ' Monterrey ', country: 'US', timezone: 'America/Chicago', startTime: '08:30', endTime: '13:00' }), DIRECTORY);
    expect(d).toMatchObject({ ok: true, meeting: { city: 'Monterrey', country: 'US', timezone: 'America/Chicago', startTime: '08:30', endTime: '13:00' } });
    const blank = newMeeting(base({ city: '   ' }), DIRECTORY);
    expect(blank.ok && 'city' in blank.meeting).toBe(false);
  });

  it.each<[string, Partial<NewMeetingInput>, string, string]>([
    ['not a date', { start: '2026-11-31' }, 'invalid_date', 'start'],
    ['end before start', { end: '2026-11-16' }, 'end_before_start', 'end'],
    ['longer than a month', { end: '2026-12-30' }, 'too_long', 'end'],
    ['bad time', { startTime: '9:00' }, 'invalid_time', 'start-time'],
    ['one day that ends before it opens', { end: '2026-11-17', startTime: '14:00', endTime: '10:00' }, 'ends_before_it_starts', 'end-time'],
    ['no title', { title: '  ' }, 'title_required', 'title'],
    ['no PPT on the start date to default the host', { start: '2010-01-04', end: '2010-01-05' }, 'no_ppt_on_start', 'country'],
    ['a host country the directory lacks (no zone to default)', { country: 'BR' }, 'country_not_in_directory', 'country'],
    ['members for a kind that is not ad hoc', { members: ['GT'] }, 'members_only_for_ad_hoc', 'members'],
    ['an unknown group member', { kind: 'ad_hoc', members: ['GT', 'ZZ'] }, 'unknown_member', 'members'],
  ])('refused: %s', (_name, over, code, field) => {
    expect(newMeeting(base(over), DIRECTORY)).toMatchObject({ ok: false, code, field });
  });

  it('a host country the directory lacks is fine with an explicit zone', () => {
    expect(newMeeting(base({ kind: 'workshop', country: 'BR', timezone: 'America/Sao_Paulo' }), DIRECTORY)).toMatchObject({ ok: true });
  });
});

describe('meetingWarnings', () => {
  const grcm = meeting('grcm', '2026-11-12', '2026-11-13');
  const pm = meeting('grcm', '2027-06-10', '2027-06-11');

  it.each<[string, () => ReturnType<typeof meeting>, string[]]>([
    ['a Vice-Ministerial in November in the PPT\'s country', () => meeting('vice_ministerial', '2026-11-17', '2026-11-18'), []],
    ['a Vice-Ministerial in June', () => meeting('vice_ministerial', '2026-06-16', '2026-06-17'), ['vice_ministerial_not_in_november']],
    ['a Vice-Ministerial running into December', () => meeting('vice_ministerial', '2026-11-30', '2026-12-01'), ['vice_ministerial_not_in_november']],
    ['a Vice-Ministerial outside the PPT\'s country', () => meeting('vice_ministerial', '2026-11-17', '2026-11-18', { country: 'GT' }), ['vice_ministerial_not_in_ppt_country']],
    ['both', () => meeting('vice_ministerial', '2026-10-06', '2026-10-07', { country: 'CR' }), ['vice_ministerial_not_in_november', 'vice_ministerial_not_in_ppt_country']],
    ['a network ending the day before a GRCM', () => meeting('network_consular', '2026-11-10', '2026-11-11'), []],
    ['a network ending the morning of an afternoon GRCM', () => meeting('network_trafficking', '2026-11-12'), []],
    ['a network two days before', () => meeting('networks_joint', '2026-11-10'), ['network_not_before_grcm']],
    ['a network the day after a GRCM started', () => meeting('network_consular', '2026-11-13'), ['network_not_before_grcm']],
    ['a network right before the mid-year GRCM', () => meeting('network_trafficking', '2027-06-08', '2027-06-09'), []],
    ['a GRCM or a workshop anywhere, any time', () => meeting('workshop', '2026-03-03', '2026-03-03', { country: 'US' }), []],
  ])('%s → %j', (_name, make, codes) => {
    const m = make();
    expect(meetingWarnings(m, [grcm, pm, m], DIRECTORY).map((w) => w.code)).toEqual(codes);
  });

  it('details say what to check', () => {
    const m = meeting('vice_ministerial', '2026-06-16', '2026-06-17', { country: 'GT' });
    expect(meetingWarnings(m, [m], DIRECTORY)).toEqual([
      { code: 'vice_ministerial_not_in_november', detail: { start: '2026-06-16', end: '2026-06-17' } },
      { code: 'vice_ministerial_not_in_ppt_country', detail: { country: 'GT', ppt: 'MX' } },
    ]);
    const n = meeting('network_consular', '2026-03-03');
    expect(meetingWarnings(n, [n], DIRECTORY)).toEqual([{ code: 'network_not_before_grcm', detail: { end: '2026-03-03' } }]);
  });
});
