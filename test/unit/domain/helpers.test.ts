import { CRM_MEMBERS as MEMBER_COUNTRIES } from '../../fixtures/crm-membership.ts';
import { describe, expect, it } from 'vitest';
import { authorityFor, focalPointCountries, pptInOffice } from '../../../src/domain/authority.ts';
import { membersAwaiting, outcomeOf, positionsSummary, troikaAwaiting } from '../../../src/domain/outcome.ts';
import { dateInZone, parseInstant } from '../../../src/domain/time.ts';
import { HOUR, T0, apply, at, ctx, drafted, fp, inTroika, observer, opened, participants, position, staff, system } from './fixtures.ts';

describe('authorityFor', () => {
  const s = opened();
  it.each([
    ['PPT focal point manages', fp('MX', 2), 'manage', undefined, { ok: true, actor: { role: 'focal_point', country: 'MX' } }],
    ['staff manages', staff, 'manage', undefined, { ok: true, actor: { role: 'staff' } }],
    ['another member does not manage', fp('CR'), 'manage', undefined, { ok: false, code: 'not_authorized' }],
    ['member records its own position', fp('CR'), 'record_position', 'CR', { ok: true, actor: { role: 'focal_point', country: 'CR' } }],
    ['member does not record for another', fp('CR'), 'record_position', 'GT', { ok: false, code: 'not_focal_point_of_country' }],
    ['observer records nothing', observer, 'record_position', 'AR', { ok: false, code: 'not_member_country' }],
    ['Troika member reacts', fp('HN'), 'react_troika', undefined, { ok: true, actor: { country: 'HN' } }],
    ['non-Troika member does not react', fp('CR'), 'react_troika', undefined, { ok: false, code: 'not_troika_member' }],
    ['system closes', system, 'close', undefined, { ok: true, actor: { role: 'system' } }],
    ['staff does not close', staff, 'close', undefined, { ok: false, code: 'not_authorized' }],
  ] as const)('%s', (_n, actor, action, country, expected) => {
    expect(authorityFor(s, actor, action, { now: T0, ...(country ? { country } : {}) })).toMatchObject(expected);
  });

  it('the PPT after a handover may manage, and so may the presenting PPT', () => {
    const nov = new Date('2026-11-18T20:00:00Z');
    const s2 = drafted({}, nov);
    const after = new Date('2026-11-21T15:00:00Z');
    expect(pptInOffice(s2.participants, after)).toBe('PA');
    expect(authorityFor(s2, fp('PA'), 'manage', { now: after }).ok).toBe(true);
    expect(authorityFor(s2, fp('MX'), 'manage', { now: after }).ok).toBe(true);
    expect(authorityFor(s2, fp('HN'), 'manage', { now: after }).ok).toBe(false);
  });
});

describe('read helpers', () => {
  it('membersAwaiting, troikaAwaiting, positionsSummary, outcomeOf', () => {
    expect(troikaAwaiting(drafted())).toEqual([]);
    expect(outcomeOf(drafted())).toBeUndefined();
    expect(outcomeOf(inTroika())).toBeUndefined();
    let s = opened();
    s = apply(s, position(s, 'CR', 'support'), ctx(at(HOUR))).state;
    s = apply(s, position(s, 'US', 'object', 'r'), ctx(at(HOUR))).state;
    expect(membersAwaiting(s)).toEqual(MEMBER_COUNTRIES.filter((c) => c !== 'CR' && c !== 'US'));
    expect(positionsSummary(s)).toMatchObject({ CR: 'support', US: 'object', MX: 'none' });
    expect(outcomeOf(s)).toBe('no_consensus');
  });

  it('focalPointCountries reads the frozen participants', () => {
    expect(focalPointCountries(participants(), 'fp2.gt@example.org')).toEqual(['GT']);
    expect(focalPointCountries(participants(), observer.personId)).toEqual([]);
  });

  it('dates in the secretariat zone and strict ISO instants', () => {
    expect(dateInZone(new Date('2026-03-03T05:00:00Z'), 'America/Costa_Rica')).toBe('2026-03-02');
    expect(parseInstant('2026-03-03T05:00:00Z')).toBe(Date.parse('2026-03-03T05:00:00Z'));
    expect(parseInstant('2026-03-03T05:00:00-06:00')).toBe(Date.parse('2026-03-03T11:00:00Z'));
    expect(parseInstant('2026-03-03T05:00:00')).toBeUndefined();
    expect(parseInstant('2026-03-03')).toBeUndefined();
    expect(parseInstant('2026-02-31T05:00:00Z')).toBeUndefined();
    expect(parseInstant('2028-02-29T05:00:00.123Z')).toBe(Date.parse('2028-02-29T05:00:00.123Z'));
    expect(parseInstant('2026-03-03T24:00:00Z')).toBeUndefined();
  });
});
