/**
 * The shell's two questions before any consultation exists (domain/authority.ts): who may start one, and who
 * may see consultations at all. Both were once rules of the Slack adapter's own.
 */
import { describe, expect, it } from 'vitest';
import { maySeeAnyConsultation, mayStartConsultation } from '../../../src/domain/authority.ts';
import type { CommandActor } from '../../../src/domain/types.ts';

const roster = {
  presidencies: [
    { country: 'HN', from: '2024-11-15', to: '2025-11-13' },
    { country: 'MX', from: '2025-11-14', to: '2026-11-19' },
    { country: 'PA', from: '2026-11-20' },
  ],
  secretariat: { timezone: 'America/Costa_Rica' },
};
const person = (over: Partial<CommandActor>): CommandActor => ({ personId: 'p@example.org', name: 'P', platform: 'slack', isStaff: false, ...over });

describe('mayStartConsultation', () => {
  // 2026-11-20T03:00Z is still 19 November in Costa Rica: MX holds the presidency until that day ends.
  const lastMexicanEvening = new Date('2026-11-20T03:00:00Z');
  const firstPanamanianMorning = new Date('2026-11-20T12:00:00Z');
  it.each([
    ['ST staff', person({ isStaff: true }), lastMexicanEvening, true],
    ['ST staff with no country', person({ isStaff: true }), firstPanamanianMorning, true],
    ['the PPT in office on the ST date', person({ country: 'MX' }), lastMexicanEvening, true],
    ['the next PPT the evening before (ST zone)', person({ country: 'PA' }), lastMexicanEvening, false],
    ['the next PPT once its term starts', person({ country: 'PA' }), firstPanamanianMorning, true],
    ['the previous PPT', person({ country: 'MX' }), firstPanamanianMorning, false],
    ['a member focal point', person({ country: 'CR' }), firstPanamanianMorning, false],
    ['someone not in the directory', undefined, firstPanamanianMorning, false],
  ] as const)('%s → %s', (_what, actor, now, expected) => {
    expect(mayStartConsultation(actor, roster, now)).toBe(expected);
  });

  it('nobody but staff before the first term', () => {
    expect(mayStartConsultation(person({ country: 'HN' }), roster, new Date('2024-01-01T12:00:00Z'))).toBe(false);
    expect(mayStartConsultation(person({ isStaff: true }), roster, new Date('2024-01-01T12:00:00Z'))).toBe(true);
  });
});

describe('maySeeAnyConsultation', () => {
  it.each([
    ['ST staff', person({ isStaff: true }), true],
    ['a Member Country focal point', person({ country: 'CR' }), true],
    ['an observer or organisation (no member country)', person({}), false],
    ['someone not in the directory', undefined, false],
  ] as const)('%s → %s', (_what, actor, expected) => {
    expect(maySeeAnyConsultation(actor)).toBe(expected);
  });
});
