import { describe, expect, it } from 'vitest';
import { decide } from '../../../src/domain/decide.ts';
import { REFUSAL_CODES, type Command, type ConsultationState, type ReactTroikaCommand, type Decision, type RefusalCode } from '../../../src/domain/types.ts';
import {
  DAY,
  HOUR,
  ID,
  T0,
  apply,
  at,
  ctx,
  drafted,
  fakeCalendar,
  fp,
  inTroika,
  observer,
  opened,
  participants,
  position,
  staff,
  startCommand,
  system,
  unknown,
} from './fixtures.ts';

const DEADLINE_5 = new Date('2026-03-10T05:59:59.000Z');
const react = (s: ConsultationState, country: string, reaction: 'approve' | 'request_changes' | 'object', reason?: string, n = 1): ReactTroikaCommand => ({
  type: 'reactTroika', consultationId: ID, actor: fp(country, n), version: s.currentVersion, reaction, ...(reason !== undefined ? { reason } : {}),
});
const withdrawn = () => apply(drafted(), { type: 'withdraw', consultationId: ID, actor: staff }).state;
const notEndorsed = () => { const s = inTroika(); return apply(s, react(s, 'HN', 'object', 'no')).state; };
const closed = () => apply(opened(), { type: 'close', consultationId: ID, actor: system }, ctx(DEADLINE_5)).state;
const long = (n: number) => 'x'.repeat(n);
const noPpt = () => participants({ presidencies: [] });

type Row = [string, RefusalCode, () => Decision];

const rows: Row[] = [
  // shape and context
  ['unknown command type', 'invalid_command', () => decide(drafted(), { type: 'explode', consultationId: ID, actor: staff } as unknown as Command, ctx())],
  ['actor without personId', 'invalid_command', () => decide(drafted(), { type: 'withdraw', consultationId: ID, actor: { ...staff, personId: '' } }, ctx())],
  ['unknown reaction', 'invalid_command', () => { const s = inTroika(); return decide(s, { ...react(s, 'HN', 'approve'), reaction: 'maybe' } as unknown as Command, ctx()); }],
  ['unknown rule', 'invalid_command', () => decide(undefined, startCommand({ rule: 'vote' as unknown as 'explicit' }), ctx())],
  ['invalid now', 'invalid_time', () => decide(drafted(), { type: 'withdraw', consultationId: ID, actor: staff }, ctx(new Date(Number.NaN)))],
  ['unknown consultation', 'not_found', () => decide(undefined, { type: 'sendToTroika', consultationId: ID, actor: staff }, ctx())],
  ['start twice', 'already_exists', () => decide(drafted(), startCommand(), ctx())],
  ['command for another consultation', 'consultation_mismatch', () => decide(drafted(), { type: 'withdraw', consultationId: 'other', actor: staff }, ctx())],
  // terminal stages accept nothing
  ['withdrawn accepts nothing', 'consultation_closed', () => decide(withdrawn(), { type: 'revise', consultationId: ID, actor: staff, text: 't2' }, ctx())],
  ['not endorsed accepts nothing', 'consultation_closed', () => { const s = notEndorsed(); return decide(s, react(s, 'PA', 'approve'), ctx()); }],
  ['closed accepts nothing', 'consultation_closed', () => decide(closed(), { type: 'withdraw', consultationId: ID, actor: staff }, ctx(DEADLINE_5))],
  // stages
  ['position during Troika review', 'wrong_stage', () => { const s = inTroika(); return decide(s, position(s, 'CR', 'support'), ctx()); }],
  ['Troika reaction in draft', 'wrong_stage', () => { const s = drafted(); return decide(s, react(s, 'HN', 'approve'), ctx()); }],
  ['send twice', 'wrong_stage', () => decide(inTroika(), { type: 'sendToTroika', consultationId: ID, actor: staff }, ctx())],
  ['revise in member stage', 'wrong_stage', () => decide(opened(), { type: 'revise', consultationId: ID, actor: staff, text: 'late' }, ctx())],
  ['extend in draft', 'wrong_stage', () => decide(drafted(), { type: 'extend', consultationId: ID, actor: staff, deadline: { kind: 'business_days', days: 9 }, justification: 'j' }, ctx())],
  ['close in Troika review', 'wrong_stage', () => decide(inTroika(), { type: 'close', consultationId: ID, actor: system }, ctx(at(30 * DAY)))],
  // authority
  ['start by a non-PPT focal point', 'not_authorized', () => decide(undefined, startCommand({ actor: fp('CR') }), ctx())],
  ['start by an observer', 'not_authorized', () => decide(undefined, startCommand({ actor: observer }), ctx())],
  ['start by last year\'s PPT in December', 'not_authorized', () => decide(undefined, startCommand({ actor: fp('MX') }), ctx(new Date('2026-12-01T15:00:00Z')))],
  ['start by a focal point with no PPT in office', 'not_authorized', () => decide(undefined, startCommand({ participants: noPpt() }), ctx())],
  ['send by an unknown person', 'not_authorized', () => decide(drafted(), { type: 'sendToTroika', consultationId: ID, actor: unknown }, ctx())],
  ['revise by a Troika focal point', 'not_authorized', () => decide(inTroika(), { type: 'revise', consultationId: ID, actor: fp('HN'), text: 'mine' }, ctx())],
  ['extend by a member focal point', 'not_authorized', () => decide(opened(), { type: 'extend', consultationId: ID, actor: fp('CR'), deadline: { kind: 'business_days', days: 9 }, justification: 'j' }, ctx())],
  ['withdraw by an observer', 'not_authorized', () => decide(opened(), { type: 'withdraw', consultationId: ID, actor: observer }, ctx())],
  ['close by staff', 'not_authorized', () => decide(opened(), { type: 'close', consultationId: ID, actor: staff }, ctx(DEADLINE_5))],
  ['live country alone is not enough', 'not_authorized', () => decide(undefined, startCommand({ actor: { ...unknown, country: 'MX' } }), ctx())],
  ['Troika reaction by a non-Troika member', 'not_troika_member', () => { const s = inTroika(); return decide(s, react(s, 'CR', 'approve'), ctx()); }],
  ['Troika reaction by staff', 'not_troika_member', () => { const s = inTroika(); return decide(s, { ...react(s, 'HN', 'approve'), actor: staff }, ctx()); }],
  ['Troika reaction by an observer', 'not_troika_member', () => { const s = inTroika(); return decide(s, { ...react(s, 'HN', 'approve'), actor: observer }, ctx()); }],
  ['Troika reaction naming a country the person does not represent', 'not_troika_member', () => { const s = inTroika(); return decide(s, { ...react(s, 'HN', 'approve'), country: 'PA' }, ctx()); }],
  ['Troika objection by the author country (the PPT approves its own text)', 'author_country', () => { const s = inTroika(); return decide(s, react(s, 'MX', 'object', 'no'), ctx()); }],
  ['Troika approval by the author country, second focal point', 'author_country', () => { const s = inTroika(); return decide(s, react(s, 'MX', 'approve', undefined, 2), ctx()); }],
  ['focal point of two Troika countries', 'country_ambiguous', () => {
    const p = participants();
    p.members.find((m) => m.code === 'PA')!.focalPoints.push({ personId: 'fp1.hn@example.org', name: 'Dual', locale: 'es', timezone: 'America/Panama' });
    const s = inTroika({ participants: p });
    return decide(s, react(s, 'HN', 'approve'), ctx());
  }],
  ['position for an observer country', 'not_member_country', () => { const s = opened(); return decide(s, { ...position(s, 'CR', 'support'), country: 'AR', actor: observer }, ctx()); }],
  ['position for another country', 'not_focal_point_of_country', () => { const s = opened(); return decide(s, { ...position(s, 'MX', 'support'), actor: fp('CR') }, ctx()); }],
  ['position by staff', 'not_focal_point_of_country', () => { const s = opened(); return decide(s, { ...position(s, 'MX', 'support'), actor: staff }, ctx()); }],
  // start validation
  ['no Member Country', 'invalid_participants', () => decide(undefined, startCommand({ participants: { ...participants(), members: [] } }), ctx())],
  ['a member listed twice', 'invalid_participants', () => { const p = participants(); p.members[1] = { ...p.members[0]! }; return decide(undefined, startCommand({ participants: p }), ctx()); }],
  ['a member without a country code', 'invalid_participants', () => { const p = participants(); p.members[0]!.code = 'Costa Rica'; return decide(undefined, startCommand({ participants: p }), ctx()); }],
  ['a body without its English name', 'invalid_participants', () => decide(undefined, startCommand({ participants: { ...participants(), body: { code: 'CSM', name: { es: 'Conferencia Suramericana sobre Migraciones', en: ' ' } } } }), ctx())],
  ['a presidency held by a non-member', 'invalid_participants', () => { const p = participants(); p.presidencies[0]!.country = 'AR'; return decide(undefined, startCommand({ participants: p }), ctx()); }],
  ['a bad secretariat zone', 'invalid_participants', () => decide(undefined, startCommand({ participants: { ...participants(), secretariatTimeZone: 'Mars/Olympus' } }), ctx())],
  ['calendar of an observer', 'invalid_calendar_policy', () => decide(undefined, startCommand({ calendarPolicy: 'AR' }), ctx())],
  ['blank reference', 'reference_required', () => decide(undefined, startCommand({ reference: ' ' }), ctx())],
  ['blank title', 'title_required', () => decide(undefined, startCommand({ title: '  ' }), ctx())],
  ['title of 201 characters', 'title_too_long', () => decide(undefined, startCommand({ title: long(201) }), ctx())],
  ['empty text', 'text_required', () => decide(undefined, startCommand({ text: '' }), ctx())],
  ['text of 20001 characters', 'text_too_long', () => decide(undefined, startCommand({ text: long(20_001) }), ctx())],
  ['0 days', 'invalid_days', () => decide(undefined, startCommand({ deadline: { kind: 'business_days', days: 0 } }), ctx())],
  ['61 days', 'invalid_days', () => decide(undefined, startCommand({ deadline: { kind: 'business_days', days: 61 } }), ctx())],
  ['2.5 days', 'invalid_days', () => decide(undefined, startCommand({ deadline: { kind: 'business_days', days: 2.5 } }), ctx())],
  ['4 days without justification', 'justification_required', () => decide(undefined, startCommand({ deadline: { kind: 'business_days', days: 4 } }), ctx())],
  ['explicit deadline without justification', 'justification_required', () => decide(undefined, startCommand({ deadline: { kind: 'explicit', at: '2026-04-01T00:00:00Z' }, justification: ' ' }), ctx())],
  ['justification too long', 'justification_too_long', () => decide(undefined, startCommand({ deadline: { kind: 'business_days', days: 3 }, justification: long(2001) }), ctx())],
  ['local time without offset', 'invalid_deadline', () => decide(undefined, startCommand({ deadline: { kind: 'explicit', at: '2026-04-01T10:00' }, justification: 'j' }), ctx())],
  ['explicit deadline in the past', 'deadline_in_past', () => decide(undefined, startCommand({ deadline: { kind: 'explicit', at: '2026-03-01T00:00:00Z' }, justification: 'j' }), ctx())],
  // bilingual texts
  ['unknown original language', 'invalid_command', () => decide(undefined, startCommand({ locale: 'fr' as unknown as 'es' }), ctx())],
  ['translation in the original\'s language', 'invalid_command', () => decide(undefined, startCommand({ locale: 'en', translation: { locale: 'en', title: 'T', text: 'x' } }), ctx())],
  ['translation without a title', 'title_required', () => decide(undefined, startCommand({ locale: 'en', translation: { locale: 'es', title: ' ', text: 'x' } }), ctx())],
  ['translation without a text', 'text_required', () => decide(undefined, startCommand({ locale: 'en', translation: { locale: 'es', title: 'T', text: '' } }), ctx())],
  ['translation title of 201 characters', 'title_too_long', () => decide(undefined, startCommand({ locale: 'en', translation: { locale: 'es', title: long(201), text: 'x' } }), ctx())],
  ['translation text of 20001 characters', 'text_too_long', () => decide(undefined, startCommand({ locale: 'en', translation: { locale: 'es', title: 'T', text: long(20_001) } }), ctx())],
  ['unknown visibility', 'invalid_command', () => decide(undefined, startCommand({ positionsVisibility: 'always' as unknown as 'live' }), ctx())],
  ['revise to the same bilingual text', 'text_unchanged', () => {
    const translation = { locale: 'es' as const, title: 'Declaración', text: 'La CRM…' };
    const s = drafted({ locale: 'en', translation });
    return decide(s, { type: 'revise', consultationId: ID, actor: staff, text: s.text, translation: { ...translation, text: ' La CRM…\r\n' } }, ctx());
  }],
  // revise
  ['revise to the same text', 'text_unchanged', () => { const s = drafted(); return decide(s, { type: 'revise', consultationId: ID, actor: staff, text: `  ${s.text}\r\n` }, ctx()); }],
  // reasons and versions
  ['request changes without reason', 'reason_required', () => { const s = inTroika(); return decide(s, react(s, 'HN', 'request_changes'), ctx()); }],
  ['Troika objection without reason', 'reason_required', () => { const s = inTroika(); return decide(s, react(s, 'HN', 'object', ' '), ctx()); }],
  ['member objection without reason', 'reason_required', () => { const s = opened(); return decide(s, position(s, 'CR', 'object'), ctx()); }],
  ['reason too long', 'reason_too_long', () => { const s = opened(); return decide(s, position(s, 'CR', 'object', long(2001)), ctx()); }],
  ['Troika reaction on a replaced version', 'stale_version', () => {
    const s0 = inTroika();
    const s = apply(s0, { type: 'revise', consultationId: ID, actor: staff, text: 'v2' }).state;
    return decide(s, react(s0, 'HN', 'approve'), ctx());
  }],
  ['position naming an unknown version', 'stale_version', () => { const s = opened(); return decide(s, { ...position(s, 'CR', 'support'), version: 'deadbeef' }, ctx()); }],
  ['the same Troika reaction twice', 'already_recorded', () => {
    const s0 = inTroika();
    const s = apply(s0, react(s0, 'HN', 'request_changes', 'más datos')).state;
    return decide(s, react(s, 'HN', 'request_changes', 'más datos'), ctx());
  }],
  ['the same position again, by another focal point of the country', 'already_recorded', () => {
    const s0 = opened();
    const s = apply(s0, position(s0, 'CR', 'support')).state;
    return decide(s, { ...position(s, 'CR', 'support'), actor: fp('CR', 2) }, ctx());
  }],
  // deadlines
  ['position after the deadline', 'deadline_passed', () => { const s = opened(); return decide(s, position(s, 'CR', 'support'), ctx(DEADLINE_5)); }],
  ['extend after the deadline', 'deadline_passed', () => decide(opened(), { type: 'extend', consultationId: ID, actor: staff, deadline: { kind: 'business_days', days: 9 }, justification: 'j' }, ctx(DEADLINE_5))],
  ['withdraw after the deadline', 'deadline_passed', () => decide(opened(), { type: 'withdraw', consultationId: ID, actor: staff }, ctx(DEADLINE_5))],
  ['extend without justification', 'justification_required', () => decide(opened(), { type: 'extend', consultationId: ID, actor: staff, deadline: { kind: 'business_days', days: 9 }, justification: '' }, ctx())],
  ['extend to an earlier day', 'deadline_not_later', () => decide(opened(), { type: 'extend', consultationId: ID, actor: staff, deadline: { kind: 'business_days', days: 4 }, justification: 'j' }, ctx())],
  ['extend to the same instant', 'deadline_not_later', () => decide(opened(), { type: 'extend', consultationId: ID, actor: staff, deadline: { kind: 'explicit', at: DEADLINE_5.toISOString() }, justification: 'j' }, ctx())],
  ['close before the deadline', 'deadline_not_reached', () => decide(opened(), { type: 'close', consultationId: ID, actor: system }, ctx(new Date(DEADLINE_5.getTime() - 1)))],
  // presidency and calendar
  ['send with no PPT in office', 'no_presidency', () => {
    const s = apply(undefined, startCommand({ actor: staff, participants: noPpt() })).state;
    return decide(s, { type: 'sendToTroika', consultationId: ID, actor: staff }, ctx());
  }],
  ['calendar of another policy', 'calendar_mismatch', () => { const s = apply(inTroika(), react(inTroika(), 'HN', 'approve')).state; return decide(s, react(s, 'PA', 'approve'), ctx(T0, fakeCalendar('CR'))); }],
  ['calendar failure', 'calendar_error', () => {
    const s = apply(inTroika(), react(inTroika(), 'HN', 'approve')).state;
    const broken = { policy: 'secretariat', deadlineAfter: () => { throw new Error('no holiday data for 2026'); } };
    return decide(s, react(s, 'PA', 'approve'), { now: T0, calendar: broken });
  }],
  ['a corrupt state', 'internal_error', () => decide({ ...drafted(), participants: null } as unknown as ConsultationState, { type: 'withdraw', consultationId: ID, actor: staff }, ctx())],
];

describe('refusals', () => {
  it.each(rows)('%s → %s', (_name, code, run) => {
    const d = run();
    expect(d).toMatchObject({ ok: false, code });
  });

  it('every refusal code is exercised', () => {
    const seen = new Set(rows.map((r) => r[1]));
    expect(REFUSAL_CODES.filter((c) => !seen.has(c))).toEqual([]);
  });

  it('a refusal changes nothing and is JSON', () => {
    const s = opened();
    const before = JSON.stringify(s);
    const d = decide(s, { ...position(s, 'MX', 'support'), actor: fp('CR') }, ctx(at(HOUR)));
    expect(JSON.parse(JSON.stringify(d))).toEqual(d);
    expect(JSON.stringify(s)).toBe(before);
  });

  it('stale_version says which version is current', () => {
    const s0 = inTroika();
    const s = apply(s0, { type: 'revise', consultationId: ID, actor: staff, text: 'v2' }).state;
    expect(decide(s, react(s0, 'HN', 'approve'), ctx())).toEqual({
      ok: false,
      code: 'stale_version',
      detail: { current: s.currentVersion, currentNumber: 2, givenNumber: 1 },
    });
  });

  it('a translation\'s refusal names the translation as its field', () => {
    expect(decide(undefined, startCommand({ locale: 'en', translation: { locale: 'es', title: 'T', text: ' ' } }), ctx())).toEqual({
      ok: false,
      code: 'text_required',
      detail: { field: 'translation' },
    });
    expect(decide(undefined, startCommand({ locale: 'en', translation: { locale: 'es', title: long(201), text: 'x' } }), ctx())).toEqual({
      ok: false,
      code: 'title_too_long',
      detail: { max: 200, field: 'translation' },
    });
  });

  it('a focal point of the author country and of another Troika country reacts for the other one', () => {
    const p = participants();
    p.members.find((m) => m.code === 'PA')!.focalPoints.push({ personId: 'fp1.mx@example.org', name: 'Dual', locale: 'es', timezone: 'America/Panama' });
    const s = inTroika({ participants: p });
    const d = decide(s, react(s, 'MX', 'object', 'no'), ctx());
    expect(d).toMatchObject({ ok: true, events: [{ type: 'troika_reacted', country: 'PA' }, { type: 'consultation_not_endorsed', country: 'PA' }] });
    expect(decide(s, { ...react(s, 'MX', 'approve'), country: 'MX' }, ctx())).toMatchObject({ ok: false, code: 'author_country' });
  });

  it('already_recorded only for the very same record: another reason or position is a change, and is recorded', () => {
    const s0 = opened();
    const s1 = apply(s0, position(s0, 'CR', 'object', 'a')).state;
    expect(decide(s1, position(s1, 'CR', 'object', 'a'), ctx())).toMatchObject({ ok: false, code: 'already_recorded' });
    expect(decide(s1, position(s1, 'CR', 'object', 'b'), ctx())).toMatchObject({ ok: true });
    expect(decide(s1, position(s1, 'CR', 'abstain'), ctx())).toMatchObject({ ok: true });
  });
});
