/**
 * The consultation kind `meeting_summary` (issue 11 part 4): a meeting's end-of-meeting summary adopted by
 * the Member Countries only, on the consultation engine, with no Troika stage.
 */
import { describe, expect, it } from 'vitest';
import { decide } from '../../../src/domain/decide.ts';
import { apply, ctx, drafted, fp, ID, position, startCommand, staff } from './fixtures.ts';

const summary = { kind: 'meeting_summary' as const, meetingReference: 'MTG-2026-003' };

describe('meeting_summary consultations', () => {
  it('start records the kind and the meeting; sending opens the member stage at once, without a Troika', () => {
    const s = drafted(summary);
    expect(s).toMatchObject({ stage: 'draft', kind: 'meeting_summary', meetingReference: 'MTG-2026-003' });
    const { state, events } = apply(s, { type: 'sendToTroika', consultationId: ID, actor: staff });
    expect(events.map((e) => e.type)).toEqual(['member_consultation_opened']);
    expect(state.stage).toBe('member_consultation');
    expect(state.troika).toBeUndefined();
    expect(state.deadline).toBeDefined();
  });

  it('no Troika reaction is possible; every Member Country takes a position, the PPT included', () => {
    const s = apply(drafted(summary), { type: 'sendToTroika', consultationId: ID, actor: fp('MX') }).state;
    const troika = decide(s, { type: 'reactTroika', consultationId: ID, actor: fp('HN'), version: s.currentVersion, reaction: 'approve' }, ctx());
    expect(troika).toMatchObject({ ok: false, code: 'wrong_stage' });
    const ppt = apply(s, position(s, 'MX', 'support'));
    expect(ppt.state.positions['MX']?.position).toBe('support');
  });

  it('closes with the outcome rules of a consultation once every member has answered', () => {
    let s = apply(drafted(summary), { type: 'sendToTroika', consultationId: ID, actor: fp('MX') }).state;
    for (const c of s.participants.members.map((m) => m.code)) s = apply(s, position(s, c, 'support')).state;
    expect(s).toMatchObject({ stage: 'closed', outcome: 'consensus' });
  });

  it('observers still take no position, and only the PPT or the ST may start it', () => {
    expect(decide(undefined, startCommand({ ...summary, actor: fp('CR') }), ctx())).toMatchObject({ ok: false });
    expect(decide(undefined, startCommand({ ...summary, actor: staff }), ctx())).toMatchObject({ ok: true });
  });

  it.each([
    ['a summary without its meeting', { kind: 'meeting_summary' as const }, 'meetingReference'],
    ['a special consultation naming a meeting', { meetingReference: 'MTG-2026-003' }, 'meetingReference'],
    ['an unknown kind', { kind: 'vote' as never }, 'kind'],
    ['a summary that resends', { ...summary, supersedes: 'CRM-2026-001' }, 'supersedes'],
  ])('refused: %s', (_name, over, field) => {
    expect(decide(undefined, startCommand(over), ctx())).toEqual({ ok: false, code: 'invalid_command', detail: { field } });
  });

  it('a special consultation is unchanged: it goes to the Troika', () => {
    const { events, state } = apply(drafted(), { type: 'sendToTroika', consultationId: ID, actor: fp('MX') });
    expect(events.map((e) => e.type)).toEqual(['sent_to_troika']);
    expect(state.kind).toBeUndefined();
  });
});
