/**
 * adapters/teams/intents.ts: what a Teams activity is, as an interaction-layer intent. Everything in it is
 * untrusted: a malformed card's data becomes an intent the interaction layer refuses (no target, no
 * context), never a throw.
 */
import { describe, expect, it } from 'vitest';
import { formValues, invokeIntent, type TeamsActivity } from '../../../../src/adapters/teams/intents.ts';

const click = (verb: unknown, data: unknown, extra: Partial<TeamsActivity> = {}): TeamsActivity => ({
  id: 'f:1',
  replyToId: '1764601200000',
  conversation: { id: 'a:1personal', conversationType: 'personal' },
  from: { aadObjectId: '0C0A0000-0000-4000-8000-000000000001' },
  value: { action: { verb, data } },
  ...extra,
});

describe('card verbs', () => {
  it('a decision on a card names the card; from the view (h) it does not', () => {
    expect(invokeIntent(click('position_support', { c: 'c-1', v: 'v1' }), 'UTC')).toEqual({
      kind: 'decide',
      action: 'position_support',
      target: { consultationId: 'c-1', versionHash: 'v1' },
      card: { channel: 'a:1personal', ts: '1764601200000' },
    });
    expect(invokeIntent(click('position_support', { c: 'c-1', v: 'v1', h: '1' }), 'UTC')).toEqual({ kind: 'decide', action: 'position_support', target: { consultationId: 'c-1', versionHash: 'v1' } });
  });

  it('forged or odd data: a decision without a target, a submission without values or context', () => {
    for (const data of [undefined, null, [], 'x', { c: 1, v: 'v' }, { c: '', v: 'v' }, { c: 'x'.repeat(101), v: 'v' }]) {
      const intent = invokeIntent(click('troika_approve', data), 'UTC');
      expect(intent).toMatchObject({ kind: 'decide', action: 'troika_approve' });
      expect(intent && 'target' in intent).toBe(false);
    }
    expect(invokeIntent(click('reason', 'not an object'), 'UTC')).toEqual({ kind: 'submit', form: 'reason' });
    expect(invokeIntent(click('reason', { reason: 'x', kind: 'changes' }), 'UTC')).toEqual({ kind: 'submit', form: 'reason', values: { reason: 'x' } });
  });

  it('the view and its button, and verbs that are not ours', () => {
    expect(invokeIntent(click('home', {}), 'UTC')).toEqual({ kind: 'home' });
    expect(invokeIntent(click('home_new_consultation', {}), 'UTC')).toEqual({ kind: 'open_form', form: 'consultation_new' });
    for (const verb of ['', 'Home', 'troika_approve ', '__proto__', 42, undefined]) expect(invokeIntent(click(verb, {}), 'UTC')).toBeUndefined();
  });
});

describe('form values', () => {
  it('the date and time inputs are one instant in the person\'s zone; the time defaults to 23:59', () => {
    expect(formValues('extend', { deadline: '2026-12-18', deadline_time: '10:30', justification: 'j', days: 4 }, 'America/Costa_Rica')).toEqual({
      deadline: '2026-12-18T16:30:00.000Z',
      justification: 'j',
      days: '4',
    });
    expect(formValues('extend', { deadline: '2026-12-18' }, 'America/New_York').deadline).toBe('2026-12-19T04:59:00.000Z');
  });

  it('a date that is not one is kept as a non-instant (the form says so on `deadline`); no date: no deadline', () => {
    for (const deadline of ['18/12/2026', '2026-13-45', 'tomorrow']) expect(Number.isNaN(new Date(formValues('extend', { deadline }, 'UTC').deadline!).getTime())).toBe(true);
    expect(formValues('extend', { deadline: '  ', days: '3' }, 'UTC')).toEqual({ days: '3' });
  });

  it('only the form\'s inputs, as strings; the translations and visibility on the forms that have them', () => {
    const data = { title: 'T', proposal: 'P', title_translation: 'TT', proposal_translation: 'PT', visibility: 'live', rule: 'silence', reason: 'r', consultation: 'c-1', extra: 'x', nested: { a: 1 } };
    expect(formValues('consultation_new', data, 'UTC')).toEqual({ title: 'T', proposal: 'P', title_translation: 'TT', proposal_translation: 'PT', visibility: 'live', rule: 'silence' });
    expect(formValues('revise', data, 'UTC')).toEqual({ title: 'T', proposal: 'P', title_translation: 'TT', proposal_translation: 'PT' });
    expect(formValues('withdraw', data, 'UTC')).toEqual({ reason: 'r' });
  });
});
