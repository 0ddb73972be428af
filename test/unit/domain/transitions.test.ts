import { CRM_MEMBERS as MEMBER_COUNTRIES } from '../../fixtures/crm-membership.ts';
import { describe, expect, it } from 'vitest';
import { decide } from '../../../src/domain/decide.ts';
import { replay } from '../../../src/domain/evolve.ts';
import { membersAwaiting, outcomeOf, troikaAwaiting } from '../../../src/domain/outcome.ts';
import { textVersionHash } from '../../../src/domain/text-version.ts';
import type { ConsultationEvent, ConsultationState } from '../../../src/domain/types.ts';
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
  opened,
  participants,
  position,
  staff,
  startCommand,
  system,
} from './fixtures.ts';

/** Monday 9 March 2026, 23:59:59 in Costa Rica: 5 weekdays after Monday 2 March. */
const DEADLINE_5 = '2026-03-10T05:59:59.000Z';

describe('start', () => {
  it('creates a draft with text version 1, authored by the PPT focal point', () => {
    const { state, events } = apply(undefined, startCommand());
    expect(events.map((e) => e.type)).toEqual(['consultation_started']);
    expect(state.stage).toBe('draft');
    expect(state.version).toBe(1);
    expect(state.reference).toBe('CRM-2026-003');
    expect(state.versions).toHaveLength(1);
    expect(state.versions[0]!.number).toBe(1);
    expect(state.currentVersion).toBe(textVersionHash(state.title, state.text));
    expect(state.currentVersion).toMatch(/^[0-9a-f]{64}$/);
    expect(state.pptCountry).toBe('MX');
    expect(state.closeEarly).toBe(true);
    expect(state.calendarPolicy).toBe('secretariat');
    expect(events[0]!.actor).toEqual({
      personId: 'fp1.mx@example.org',
      name: 'Focal 1 MX',
      platform: 'slack',
      country: 'MX',
      role: 'focal_point',
    });
  });

  it('accepts ST staff, recorded with role staff', () => {
    const { events } = apply(undefined, startCommand({ actor: staff }));
    expect(events[0]!.actor.role).toBe('staff');
    expect(events[0]!.actor.country).toBeUndefined();
  });

  it('records a justified short deadline, an explicit one normalised to UTC, and supersedes', () => {
    const s1 = drafted({ deadline: { kind: 'business_days', days: 3 }, justification: ' urgent ' });
    expect(s1.justification).toBe('urgent');
    const s2 = drafted({
      deadline: { kind: 'explicit', at: '2026-03-20T17:00:00-06:00' },
      justification: 'meeting',
      supersedes: 'CRM-2026-002',
      rule: 'silence',
      closeEarly: false,
    });
    expect(s2.deadlineRequest).toEqual({ kind: 'explicit', at: '2026-03-20T23:00:00.000Z' });
    expect(s2.supersedes).toBe('CRM-2026-002');
    expect(s2.rule).toBe('silence');
    expect(s2.closeEarly).toBe(false);
  });

  it('records the original\'s language, the translation (hashed with it) and the visibility setting', () => {
    const translation = { locale: 'es' as const, title: ' Declaración conjunta ', text: 'La CRM expresa…\r\n' };
    const { state, events } = apply(undefined, startCommand({ locale: 'en', translation, positionsVisibility: 'live' }));
    const clean = { locale: 'es', title: 'Declaración conjunta', text: 'La CRM expresa…' } as const;
    expect(events[0]).toMatchObject({ version: { number: 1, locale: 'en', translation: clean }, positionsVisibility: 'live' });
    expect(state.versions[0]).toMatchObject({ locale: 'en', translation: clean });
    expect(state.positionsVisibility).toBe('live');
    expect(state.currentVersion).toBe(textVersionHash(state.title, state.text, { locale: 'en', translation: clean }));
    expect(state.currentVersion).not.toBe(textVersionHash(state.title, state.text));
    // the original's language alone is not hashed: a one-language version keeps the crm-text/1 hash
    expect(drafted({ locale: 'es' }).currentVersion).toBe(drafted().currentVersion);
    expect(drafted({ locale: 'es' }).versions[0]!.locale).toBe('es');
    expect(drafted().positionsVisibility).toBe('at_close');
    // without `locale`, a translation's original is in the other official language
    expect(drafted({ translation: { locale: 'en', title: 'T', text: 'x' } }).versions[0]!.locale).toBe('es');
  });

  it('events are plain JSON', () => {
    const { events } = apply(undefined, startCommand());
    expect(JSON.parse(JSON.stringify(events))).toEqual(events);
  });
});

describe('sendToTroika', () => {
  it('freezes the Troika of the day and counts the author country as approving', () => {
    const s = inTroika();
    expect(s.stage).toBe('troika_review');
    expect(s.troika).toEqual({
      previous: 'HN',
      current: 'MX',
      next: 'PA',
      countries: ['HN', 'MX', 'PA'],
      incomplete: false,
      authorCountry: 'MX',
      asOf: '2026-03-02',
    });
    expect(s.troikaReactions['MX']).toMatchObject({ reaction: 'approve', implicit: true, version: s.currentVersion });
    expect(troikaAwaiting(s)).toEqual(['HN', 'PA']);
  });

  it('records an incomplete Troika when no incoming PPT is designated', () => {
    const s = inTroika({
      participants: participants({
        presidencies: [
          { country: 'HN', from: '2024-11-15', to: '2025-11-13' },
          { country: 'MX', from: '2025-11-14' },
        ],
      }),
    });
    expect(s.troika?.countries).toEqual(['HN', 'MX']);
    expect(s.troika?.incomplete).toBe(true);
  });

  it('opens the member stage at once when the Troika is only the author', () => {
    const s = apply(
      drafted({ participants: participants({ presidencies: [{ country: 'MX', from: '2025-11-14' }] }) }),
      { type: 'sendToTroika', consultationId: ID, actor: staff },
    ).state;
    expect(s.stage).toBe('member_consultation');
  });
});

describe('reactTroika', () => {
  it('opens the member stage in the same decision when the last Troika country approves', () => {
    let s = inTroika();
    const r1 = apply(s, { type: 'reactTroika', consultationId: ID, actor: fp('HN'), version: s.currentVersion, reaction: 'approve' });
    expect(r1.events.map((e) => e.type)).toEqual(['troika_reacted']);
    s = r1.state;
    const r2 = apply(s, { type: 'reactTroika', consultationId: ID, actor: fp('PA', 2), version: s.currentVersion, reaction: 'approve' });
    expect(r2.events.map((e) => e.type)).toEqual(['troika_reacted', 'member_consultation_opened']);
    s = r2.state;
    expect(s.stage).toBe('member_consultation');
    expect(s.deadline).toBe(DEADLINE_5);
    expect(s.deadlineTimeZone).toBe('America/Costa_Rica');
    expect(s.deadlineVersion).toBe(1);
    expect(s.circulatedAt).toBe(T0.toISOString());
    expect(s.circulatedVersion).toBe(s.currentVersion);
    expect(membersAwaiting(s)).toEqual([...MEMBER_COUNTRIES]);
    expect(outcomeOf(s)).toBe('incomplete');
  });

  it('request_changes keeps the Troika stage; a country may change its reaction (latest counts)', () => {
    let s = inTroika();
    s = apply(s, { type: 'reactTroika', consultationId: ID, actor: fp('HN'), version: s.currentVersion, reaction: 'request_changes', reason: 'para 2' }).state;
    expect(s.stage).toBe('troika_review');
    expect(s.troikaReactions['HN']?.reaction).toBe('request_changes');
    s = apply(s, { type: 'reactTroika', consultationId: ID, actor: fp('HN', 2), version: s.currentVersion, reaction: 'approve' }).state;
    expect(s.troikaReactions['HN']?.reaction).toBe('approve');
    expect(s.troikaHistory.filter((r) => r.country === 'HN')).toHaveLength(2);
  });

  it('an objection ends the consultation as not endorsed', () => {
    const s0 = inTroika();
    const { state, events } = apply(s0, {
      type: 'reactTroika', consultationId: ID, actor: fp('PA'), version: s0.currentVersion, reaction: 'object', reason: 'no',
    });
    expect(events.map((e) => e.type)).toEqual(['troika_reacted', 'consultation_not_endorsed']);
    expect(state.stage).toBe('not_endorsed');
    expect(state.outcome).toBe('not_endorsed');
    expect(state.endReason).toBe('no');
    expect(outcomeOf(state)).toBe('not_endorsed');
  });

  it('the opening uses the calendar of the consultation and carries unverified years', () => {
    const dec = new Date('2026-12-28T15:00:00Z'); // PPT: PA since 20 Nov; no incoming PPT designated
    const cal = fakeCalendar('all-members', [2027]);
    let s = apply(undefined, startCommand({ actor: fp('PA'), calendarPolicy: 'all-members' }), ctx(dec, cal)).state;
    s = apply(s, { type: 'sendToTroika', consultationId: ID, actor: fp('PA') }, ctx(dec, cal)).state;
    s = apply(s, { type: 'reactTroika', consultationId: ID, actor: fp('MX'), version: s.currentVersion, reaction: 'approve' }, ctx(dec, cal)).state;
    expect(s.troika?.countries).toEqual(['MX', 'PA']);
    expect(s.troika?.authorCountry).toBe('PA');
    expect(s.troika?.incomplete).toBe(true);
    expect(s.stage).toBe('member_consultation');
    expect(s.unverifiedYears).toEqual([2027]);
  });
});

describe('explicit deadline', () => {
  it('is used when still in the future at the opening', () => {
    const s = opened({ deadline: { kind: 'explicit', at: '2026-03-20T23:00:00Z' }, justification: 'meeting' });
    expect(s.deadline).toBe('2026-03-20T23:00:00.000Z');
    expect(s.deadlineFallback).toBeUndefined();
  });

  it('falls back to 5 business days when it passed before the opening', () => {
    let s = inTroika({ deadline: { kind: 'explicit', at: '2026-03-03T00:00:00Z' }, justification: 'x' });
    const later = at(2 * DAY); // Wednesday 4 March
    for (const c of ['HN', 'PA']) {
      s = apply(s, { type: 'reactTroika', consultationId: ID, actor: fp(c), version: s.currentVersion, reaction: 'approve' }, ctx(later)).state;
    }
    expect(s.stage).toBe('member_consultation');
    expect(s.deadlineFallback).toBe(true);
    expect(s.deadline).toBe('2026-03-12T05:59:59.000Z'); // Wednesday 11 March 23:59:59 -06:00
  });
});

describe('revise', () => {
  it('in draft creates version 2 and stays in draft', () => {
    const s = apply(drafted(), { type: 'revise', consultationId: ID, actor: fp('MX', 2), text: 'New text' }).state;
    expect(s.stage).toBe('draft');
    expect(s.versions.map((v) => v.number)).toEqual([1, 2]);
    expect(s.text).toBe('New text');
    expect(s.title).toBe('Joint statement on displacement');
  });

  it('carries the language and translation into the new version; a translation not given again is dropped', () => {
    const es = { locale: 'es' as const, title: 'Declaración', text: 'Texto' };
    const s1 = drafted({ locale: 'en', translation: es });
    // Only the translation changes: a new version (the translation is part of it).
    const s2 = apply(s1, { type: 'revise', consultationId: ID, actor: staff, text: s1.text, translation: { ...es, text: 'Texto corregido' } }).state;
    expect(s2.versions[1]).toMatchObject({ number: 2, locale: 'en', translation: { locale: 'es', text: 'Texto corregido' } });
    expect(s2.currentVersion).not.toBe(s1.currentVersion);
    expect(replay([
      ...apply(undefined, startCommand({ locale: 'en', translation: es })).events,
      ...apply(s1, { type: 'revise', consultationId: ID, actor: staff, text: s1.text, translation: { ...es, text: 'Texto corregido' } }).events,
    ])).toEqual(s2);
    // Revised without a translation: the original keeps its language, the translation is gone.
    const s3 = apply(s2, { type: 'revise', consultationId: ID, actor: staff, text: 'New text' }).state;
    expect(s3.versions[2]).toMatchObject({ number: 3, locale: 'en', text: 'New text' });
    expect(s3.versions[2]!.translation).toBeUndefined();
    expect(s3.currentVersion).toBe(textVersionHash(s3.title, 'New text'));
    // Dropping the translation of an unchanged original is a change too.
    const s4 = apply(s1, { type: 'revise', consultationId: ID, actor: staff, text: s1.text }).state;
    expect(s4.versions).toHaveLength(2);
  });

  it('in Troika review voids every earlier approval; the author approval moves to the new version', () => {
    let s = inTroika();
    const v1 = s.currentVersion;
    s = apply(s, { type: 'reactTroika', consultationId: ID, actor: fp('HN'), version: v1, reaction: 'approve' }).state;
    s = apply(s, { type: 'reactTroika', consultationId: ID, actor: fp('PA'), version: v1, reaction: 'request_changes', reason: 'r' }).state;
    s = apply(s, { type: 'revise', consultationId: ID, actor: staff, text: 'Better text', title: 'Better title' }).state;
    expect(s.stage).toBe('troika_review');
    expect(s.currentVersion).not.toBe(v1);
    expect(s.title).toBe('Better title');
    expect(Object.keys(s.troikaReactions)).toEqual(['MX']);
    expect(s.troikaReactions['MX']).toMatchObject({ reaction: 'approve', implicit: true, version: s.currentVersion });
    expect(troikaAwaiting(s)).toEqual(['HN', 'PA']);
    // the stale approval by HN on v1 no longer counts: PA's approval alone does not open
    s = apply(s, { type: 'reactTroika', consultationId: ID, actor: fp('PA'), version: s.currentVersion, reaction: 'approve' }).state;
    expect(s.stage).toBe('troika_review');
    s = apply(s, { type: 'reactTroika', consultationId: ID, actor: fp('HN'), version: s.currentVersion, reaction: 'approve' }).state;
    expect(s.stage).toBe('member_consultation');
    expect(s.circulatedVersion).toBe(s.versions[1]!.hash);
  });
});

describe('recordPosition', () => {
  it('records the latest position per country and keeps every change', () => {
    let s = opened();
    s = apply(s, position(s, 'CR', 'object', 'too broad'), ctx(at(HOUR))).state;
    s = apply(s, { ...position(s, 'CR', 'support'), actor: fp('CR', 2) }, ctx(at(2 * HOUR))).state;
    expect(s.positions['CR']).toMatchObject({ position: 'support', by: { personId: 'fp2.cr@example.org', country: 'CR', role: 'focal_point' } });
    expect(s.positionHistory.map((p) => p.position)).toEqual(['object', 'support']);
    expect(s.positionHistory[0]!.reason).toBe('too broad');
    expect(membersAwaiting(s)).not.toContain('CR');
  });

  it('closes early in the same decision when every Member Country answered', () => {
    let s = opened();
    const [last, ...rest] = [...MEMBER_COUNTRIES].reverse();
    for (const c of rest) s = apply(s, position(s, c, 'support'), ctx(at(HOUR))).state;
    expect(s.stage).toBe('member_consultation');
    const r = apply(s, position(s, last!, 'abstain'), ctx(at(2 * HOUR)));
    expect(r.events.map((e) => e.type)).toEqual(['position_recorded', 'consultation_closed']);
    expect(r.state.stage).toBe('closed');
    expect(r.state.outcome).toBe('consensus');
    expect(r.state.closeReason).toBe('all_answered');
    const closed = r.events[1] as Extract<ConsultationEvent, { type: 'consultation_closed' }>;
    expect(closed.missing).toEqual([]);
    expect(closed.positions[last!]).toBe('abstain');
  });

  it('does not close early when closeEarly is off', () => {
    let s = opened({ closeEarly: false });
    for (const c of MEMBER_COUNTRIES) s = apply(s, position(s, c, 'support'), ctx(at(HOUR))).state;
    expect(s.stage).toBe('member_consultation');
    expect(outcomeOf(s)).toBe('consensus');
  });
});

describe('extend', () => {
  it('counts business days from the circulation day and bumps deadlineVersion', () => {
    const s0 = opened();
    const { state, events } = apply(
      s0,
      { type: 'extend', consultationId: ID, actor: fp('MX'), deadline: { kind: 'business_days', days: 8 }, justification: 'holidays' },
      ctx(at(3 * DAY)),
    );
    expect(events[0]).toMatchObject({ type: 'deadline_extended', previousDeadline: DEADLINE_5, deadlineVersion: 2 });
    expect(state.deadline).toBe('2026-03-13T05:59:59.000Z'); // Thursday 12 March, 8 weekdays after 2 March
    expect(state.deadlineVersion).toBe(2);
    expect(state.extensions).toHaveLength(1);
    expect(state.extensions[0]).toMatchObject({ from: DEADLINE_5, justification: 'holidays' });
  });

  it('accepts an explicit later instant', () => {
    const s = apply(opened(), {
      type: 'extend', consultationId: ID, actor: staff, deadline: { kind: 'explicit', at: '2026-03-31T12:00:00-06:00' }, justification: 'j',
    }).state;
    expect(s.deadline).toBe('2026-03-31T18:00:00.000Z');
  });
});

describe('withdraw', () => {
  it.each([
    ['draft', () => drafted()],
    ['troika_review', () => inTroika()],
    ['member_consultation', () => opened()],
  ])('from %s', (stage, make) => {
    const s0 = make();
    expect(s0.stage).toBe(stage);
    const { state, events } = apply(s0, { type: 'withdraw', consultationId: ID, actor: fp('MX'), reason: 'overtaken by events' });
    expect(events[0]).toMatchObject({ type: 'consultation_withdrawn', fromStage: stage, outcome: 'withdrawn' });
    expect(state.stage).toBe('withdrawn');
    expect(outcomeOf(state)).toBe('withdrawn');
  });
});

describe('close at the deadline', () => {
  const afterDeadline = () => new Date(Date.parse(DEADLINE_5));

  const closeWith = (rule: 'explicit' | 'silence', positions: Record<string, 'support' | 'object' | 'abstain'>) => {
    let s = opened({ rule, closeEarly: false });
    for (const [c, p] of Object.entries(positions)) s = apply(s, position(s, c, p, p === 'object' ? 'r' : undefined), ctx(at(HOUR))).state;
    return apply(s, { type: 'close', consultationId: ID, actor: system }, ctx(afterDeadline()));
  };
  const all = (p: 'support' | 'abstain') => Object.fromEntries(MEMBER_COUNTRIES.map((c) => [c, p]));

  it.each([
    ['explicit', all('support'), 'consensus'],
    ['explicit', all('abstain'), 'consensus'],
    ['explicit', { ...all('support'), GT: 'object' }, 'no_consensus'],
    ['explicit', { CR: 'support', MX: 'abstain' }, 'incomplete'],
    ['explicit', { CR: 'object' }, 'no_consensus'],
    ['explicit', {}, 'incomplete'],
    ['silence', {}, 'consensus'],
    ['silence', { CR: 'abstain' }, 'consensus'],
    ['silence', { CR: 'support', US: 'object' }, 'no_consensus'],
  ] as const)('rule %s, positions %j → %s', (rule, positions, outcome) => {
    const { state, events } = closeWith(rule, positions);
    expect(state.stage).toBe('closed');
    expect(state.outcome).toBe(outcome);
    expect(state.closeReason).toBe('deadline');
    expect(events[0]!.actor.role).toBe('system');
    const e = events[0] as Extract<ConsultationEvent, { type: 'consultation_closed' }>;
    expect(Object.keys(e.positions).sort()).toEqual([...MEMBER_COUNTRIES].sort());
    expect(e.missing).toEqual(MEMBER_COUNTRIES.filter((c) => !(c in positions)));
  });
});

describe('replay', () => {
  it('rebuilds the same state from the event log', () => {
    const log: ConsultationEvent[] = [];
    let s: ConsultationState | undefined;
    const step = (cmd: Parameters<typeof apply>[1], now = T0) => {
      const r = apply(s, cmd, ctx(now));
      log.push(...r.events);
      s = r.state;
    };
    step(startCommand());
    step({ type: 'revise', consultationId: ID, actor: staff, text: 'v2' });
    step({ type: 'sendToTroika', consultationId: ID, actor: staff });
    step({ type: 'reactTroika', consultationId: ID, actor: fp('HN'), version: s!.currentVersion, reaction: 'approve' });
    step({ type: 'reactTroika', consultationId: ID, actor: fp('PA'), version: s!.currentVersion, reaction: 'approve' });
    step(position(s!, 'CR', 'support'), at(HOUR));
    step({ type: 'extend', consultationId: ID, actor: staff, deadline: { kind: 'business_days', days: 7 }, justification: 'j' }, at(HOUR));
    step({ type: 'close', consultationId: ID, actor: system }, at(20 * DAY));
    expect(replay(log)).toEqual(s);
    expect(replay(JSON.parse(JSON.stringify(log)) as ConsultationEvent[])).toEqual(s);
    expect(s!.version).toBe(log.length);
    expect(decide(s, position(s!, 'MX', 'support'), ctx(at(20 * DAY)))).toMatchObject({ ok: false, code: 'consultation_closed' });
  });
});
