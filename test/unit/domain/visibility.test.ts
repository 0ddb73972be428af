/** Who sees which Member Country's answer (authority.ts `maySee`; domain.md "Who hears what while it runs"). */
import { describe, expect, it } from 'vitest';
import { maySee, maySeeAllAnswers, maySeeConsultation } from '../../../src/domain/authority.ts';
import type { ConsultationState } from '../../../src/domain/types.ts';
import { DAY, ID, T0, apply, ctx, drafted, fp, inTroika, observer, opened, position, staff, system, unknown } from './fixtures.ts';

const DEADLINE_5 = new Date('2026-03-10T05:59:59.000Z');
const answered = (over: Parameters<typeof opened>[0] = {}) => {
  let s = opened(over);
  s = apply(s, position(s, 'CR', 'support')).state;
  return apply(s, position(s, 'GT', 'object', 'no')).state;
};
const closed = (s: ConsultationState) => apply(s, { type: 'close', consultationId: ID, actor: system }, ctx(DEADLINE_5)).state;
const withdrawn = (s: ConsultationState) => apply(s, { type: 'withdraw', consultationId: ID, actor: staff }).state;

describe('maySee', () => {
  const running = answered();
  const live = answered({ positionsVisibility: 'live' });
  it.each([
    ['ST staff: every answer as it comes', running, staff, 'GT', true],
    ['the author country (PPT): every answer as it comes', running, fp('MX', 2), 'GT', true],
    ['a member: its own country\'s answer', running, fp('CR'), 'CR', true],
    ['a member: its own country\'s answer, by its other focal point', running, fp('GT', 2), 'GT', true],
    ['a member: not another country\'s while it runs', running, fp('CR'), 'GT', false],
    ['a Troika member that is not the PPT: not another country\'s while it runs', running, fp('HN'), 'GT', false],
    ['a member: another country\'s when the visibility is live', live, fp('CR'), 'GT', true],
    ['a member: another country\'s after the close', closed(running), fp('CR'), 'GT', true],
    ['a member: another country\'s after a withdrawal', withdrawn(running), fp('CR'), 'GT', true],
    ['an observer: none', running, observer, 'CR', false],
    ['an observer: none, even live', live, observer, 'CR', false],
    ['an observer: none, even after the close', closed(running), observer, 'CR', false],
    ['someone not among the frozen focal points: none', closed(running), unknown, 'CR', false],
    ['a live country alone is not a focal point', running, { ...unknown, country: 'CR' }, 'CR', false],
  ] as const)('%s', (_n, state, viewer, country, expected) => {
    expect(maySee(state, viewer, { kind: 'answer', country })).toBe(expected);
  });

  it('the PPT in office counts as the PPT when `now` is given (after the November handover)', () => {
    const nov = new Date('2026-11-18T20:00:00Z');
    let s = opened({}, nov);
    s = apply(s, position(s, 'CR', 'support'), ctx(nov)).state;
    const after = new Date(nov.getTime() + 3 * DAY); // PA in office from 20 November
    expect(maySee(s, fp('PA'), { kind: 'answer', country: 'CR' })).toBe(false);
    expect(maySee(s, fp('PA'), { kind: 'answer', country: 'CR' }, after)).toBe(true);
    expect(maySee(s, fp('MX'), { kind: 'answer', country: 'CR' }, after)).toBe(true); // the author still sees
    expect(maySee(s, fp('PA'), { kind: 'answer', country: 'CR' }, new Date(Number.NaN))).toBe(false);
  });

  it('before the Troika stage the PPT in office at the start counts as the author', () => {
    expect(maySee(drafted({}, T0), fp('MX'), { kind: 'answer', country: 'CR' })).toBe(true);
    expect(maySee(drafted({}, T0), fp('HN'), { kind: 'answer', country: 'CR' })).toBe(false);
  });

  it('maySeeAllAnswers: every Member Country\'s answer, so also who has not answered', () => {
    expect(maySeeAllAnswers(running, staff)).toBe(true);
    expect(maySeeAllAnswers(running, fp('MX'))).toBe(true);
    expect(maySeeAllAnswers(running, fp('CR'))).toBe(false);
    expect(maySeeAllAnswers(live, fp('CR'))).toBe(true);
    expect(maySeeAllAnswers(closed(running), fp('CR'))).toBe(true);
    expect(maySeeAllAnswers(closed(running), observer)).toBe(false);
  });

  it('a state recorded before the setting existed reads as at_close', () => {
    const { positionsVisibility: _, ...old } = running;
    expect(maySee(old as ConsultationState, fp('CR'), { kind: 'answer', country: 'GT' })).toBe(false);
  });
});

describe('maySeeConsultation: who may know that a consultation exists (lists, status, the Home tab)', () => {
  it.each([
    ['ST staff, in the Troika stage', inTroika(), staff, true],
    ['the author country (PPT), in the Troika stage', inTroika(), fp('MX', 2), true],
    ['another Troika country, in the Troika stage', inTroika(), fp('HN'), true],
    ['a member outside the Troika, in the Troika stage: not yet', inTroika(), fp('CR'), false],
    ['a member outside the Troika, once circulated', opened(), fp('CR'), true],
    ['a member outside the Troika, a draft', drafted(), fp('CR'), false],
    ['the author country, a draft', drafted(), fp('MX'), true],
    ['an observer, once circulated', opened(), observer, false],
    ['someone not among the frozen focal points', opened(), unknown, false],
  ] as const)('%s', (_n, state, viewer, expected) => {
    expect(maySeeConsultation(state, viewer)).toBe(expected);
  });
});
