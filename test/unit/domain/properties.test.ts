/**
 * Property tests: random command sequences from random people (staff, focal points, observers, unknown
 * people, the system) at random times, with random versions, checked against the procedure's invariants.
 */
import { CRM_MEMBERS as MEMBER_COUNTRIES, isCrmMember as isMemberCountry } from '../../fixtures/crm-membership.ts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decide } from '../../../src/domain/decide.ts';
import { evolve, replay } from '../../../src/domain/evolve.ts';
import { computeOutcome, membersAwaiting, outcomeOf } from '../../../src/domain/outcome.ts';
import { textVersionHash } from '../../../src/domain/text-version.ts';
import {
  COMMAND_TYPES,
  TERMINAL_STAGES,
  type Command,
  type CommandActor,
  type CommandType,
  type ConsultationEvent,
  type ConsultationState,
  type Participants,
  type Position,
} from '../../../src/domain/types.ts';
import { DAY, HOUR, ID, fakeCalendar, fp, isFocal, observer, participants, staff, system, unknown } from './props-support.ts';

const OBSERVERS = ['AR', 'CO', 'EC', 'JM', 'PE'];
const COUNTRIES = [...MEMBER_COUNTRIES, ...OBSERVERS];
const POOL: CommandActor[] = [
  staff,
  system,
  unknown,
  observer,
  { ...unknown, platform: 'system' },
  { ...unknown, country: 'MX' }, // claims a live country but is no frozen focal point
  ...MEMBER_COUNTRIES.flatMap((c) => [fp(c, 1), fp(c, 2)]),
];

const ROSTERS: Participants['presidencies'][] = [
  [
    { country: 'HN', from: '2024-11-15', to: '2025-11-13' },
    { country: 'MX', from: '2025-11-14', to: '2026-11-19' },
    { country: 'PA', from: '2026-11-20' },
  ],
  [
    { country: 'HN', from: '2024-11-15', to: '2025-11-13' },
    { country: 'MX', from: '2025-11-14' },
  ],
  [{ country: 'CR', from: '2020-01-01' }],
  [],
];
const STARTS = ['2026-03-02T15:00:00Z', '2026-11-18T20:00:00Z', '2026-12-28T15:00:00Z', '2026-03-06T23:00:00Z'].map(
  (s) => new Date(s),
);
const TEXTS = ['Proposal A', 'Proposal B', ' Proposal A\r\n', 'Proposal C', ''];

interface Step {
  type: CommandType;
  /** -1: a person entitled for the chosen country (focal point of it); else an index into POOL. */
  actor: number;
  country: number;
  version: 'current' | 'first' | 'garbage';
  reaction: 'approve' | 'request_changes' | 'object' | 'maybe';
  position: Position;
  reason: string | undefined;
  days: number;
  explicit: boolean;
  explicitDays: number;
  text: number;
  /** revise: -1 without a translation, else an index into TEXTS for the translation's text. */
  translation: number;
  advance: number;
}

const step: fc.Arbitrary<Step> = fc.record({
  type: fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom(...COMMAND_TYPES) },
    { weight: 1, arbitrary: fc.constant<CommandType>('sendToTroika') },
    { weight: 4, arbitrary: fc.constant<CommandType>('reactTroika') },
    { weight: 8, arbitrary: fc.constant<CommandType>('recordPosition') },
    { weight: 1, arbitrary: fc.constantFrom<CommandType>('close', 'extend', 'revise') },
  ),
  actor: fc.oneof({ weight: 3, arbitrary: fc.constant(-1) }, { weight: 2, arbitrary: fc.nat(POOL.length - 1) }),
  country: fc.nat(COUNTRIES.length - 1),
  version: fc.constantFrom('current', 'current', 'current', 'first', 'garbage'),
  reaction: fc.constantFrom('approve', 'approve', 'approve', 'request_changes', 'object', 'maybe'),
  position: fc.constantFrom('support', 'support', 'object', 'abstain'),
  reason: fc.constantFrom(undefined, '', 'because', ' '),
  days: fc.oneof(fc.integer({ min: 1, max: 12 }), fc.integer({ min: -1, max: 70 })),
  explicit: fc.boolean(),
  explicitDays: fc.integer({ min: -3, max: 25 }),
  text: fc.nat(TEXTS.length - 1),
  translation: fc.integer({ min: -1, max: TEXTS.length - 1 }),
  advance: fc.oneof(
    { weight: 5, arbitrary: fc.integer({ min: 0, max: 12 * HOUR }) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 12 * DAY }) },
  ),
});

const scenario = fc.record({
  roster: fc.nat(ROSTERS.length - 1),
  start: fc.nat(STARTS.length - 1),
  rule: fc.constantFrom<'explicit' | 'silence'>('explicit', 'silence'),
  closeEarly: fc.boolean(),
  startDays: fc.integer({ min: 3, max: 8 }),
  explicitStart: fc.boolean(),
  bilingual: fc.boolean(),
  byStaff: fc.boolean(),
  sendFirst: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  steps: fc.array(step, { minLength: 1, maxLength: 45 }),
});

function actorFor(s: Step, state: ConsultationState | undefined, type: CommandType): CommandActor {
  if (s.actor >= 0) return POOL[s.actor]!;
  if (type === 'close') return system;
  if (type === 'reactTroika' && state?.troika) {
    const c = state.troika.countries[s.country % state.troika.countries.length]!;
    return fp(c, 1 + (s.country % 2));
  }
  if (type === 'recordPosition') return fp(COUNTRIES[s.country]!, 1 + (s.days % 2));
  return s.country % 3 === 0 ? staff : fp(state?.pptCountry ?? 'MX');
}

function commandFor(s: Step, state: ConsultationState | undefined, now: Date, sc: { startDays: number }): Command {
  const actor = actorFor(s, state, s.type);
  const version =
    s.version === 'current' ? (state?.currentVersion ?? 'none') : s.version === 'first' ? (state?.versions[0]?.hash ?? 'none') : 'f00d';
  const base = { consultationId: ID, actor };
  const explicitAt = new Date(now.getTime() + s.explicitDays * DAY).toISOString();
  const deadline = s.explicit ? { kind: 'explicit' as const, at: explicitAt } : { kind: 'business_days' as const, days: s.days };
  const reason = s.reason;
  switch (s.type) {
    case 'start':
      return { ...base, type: 'start', reference: 'CRM-X', title: 'T', text: TEXTS[s.text]!, deadline: { kind: 'business_days', days: sc.startDays }, justification: reason, participants: participants() };
    case 'sendToTroika':
      return { ...base, type: 'sendToTroika' };
    case 'reactTroika':
      return { ...base, type: 'reactTroika', version, reaction: s.reaction as 'approve', reason };
    case 'revise':
      return {
        ...base,
        type: 'revise',
        text: TEXTS[s.text]!,
        ...(s.translation >= 0 ? { locale: 'es' as const, translation: { locale: 'en' as const, title: 'Title', text: TEXTS[s.translation]! } } : {}),
      };
    case 'recordPosition':
      return { ...base, type: 'recordPosition', country: COUNTRIES[s.country]!, position: s.position, version, reason };
    case 'extend':
      return { ...base, type: 'extend', deadline, justification: reason ?? '' };
    case 'withdraw':
      return { ...base, type: 'withdraw', reason };
    case 'close':
      return { ...base, type: 'close' };
  }
}

/** The outcome computed independently of the implementation, over the 11 Member Countries only. */
function referenceOutcome(state: ConsultationState): string {
  const positions = MEMBER_COUNTRIES.map((c) => state.positions[c]?.position);
  if (positions.includes('object')) return 'no_consensus';
  if (state.rule === 'explicit' && positions.includes(undefined)) return 'incomplete';
  return 'consensus';
}

function checkEvent(before: ConsultationState | undefined, e: ConsultationEvent, now: Date, actor: CommandActor): void {
  expect(e.consultationId).toBe(ID);
  expect(e.at).toBe(now.toISOString());
  expect(JSON.parse(JSON.stringify(e))).toEqual(e);
  expect(e.actor.personId).toBe(actor.personId);
  // observers and unknown people never cause an event
  expect(actor.isStaff || actor.platform === 'system' || (before ?? e.type === 'consultation_started')).toBeTruthy();
  if (e.actor.role === 'focal_point') {
    const p = before?.participants ?? (e.type === 'consultation_started' ? e.participants : undefined);
    expect(isFocal(p!, actor.personId, e.actor.country!)).toBe(true);
  }
  if (e.type === 'troika_reacted') {
    expect(e.version).toBe(before!.currentVersion);
    // the PPT approves its own text as its author: it never reacts to it
    expect(e.country).not.toBe(before!.troika!.authorCountry);
    expect(before!.troika!.countries).toContain(e.country);
    expect(e.actor.country).toBe(e.country);
  }
  if (e.type === 'position_recorded') {
    expect(e.version).toBe(before!.currentVersion);
    expect(isMemberCountry(e.country)).toBe(true);
    expect(e.actor.country).toBe(e.country);
    expect(e.actor.role).toBe('focal_point');
  }
  if (e.type === 'member_consultation_opened') {
    expect(before!.stage).toBe('troika_review');
    for (const c of before!.troika!.countries) {
      expect(before!.troikaReactions[c]).toMatchObject({ reaction: 'approve', version: before!.currentVersion });
    }
    expect(e.version).toBe(before!.currentVersion);
    expect(Date.parse(e.deadline)).toBeGreaterThan(now.getTime());
  }
  if (e.type === 'consultation_closed') {
    expect(e.outcome).toBe(referenceOutcome(before!));
    expect(Object.keys(e.positions).sort()).toEqual([...MEMBER_COUNTRIES].sort());
  }
}

function checkState(state: ConsultationState, log: ConsultationEvent[]): void {
  expect(state.version).toBe(log.length);
  expect(replay(log)).toEqual(state);
  expect(replay(JSON.parse(JSON.stringify(log)) as ConsultationEvent[])).toEqual(state);
  for (const c of Object.keys(state.positions)) expect(isMemberCountry(c)).toBe(true);
  for (const c of membersAwaiting(state)) expect(isMemberCountry(c)).toBe(true);
  if (state.outcome === 'consensus') {
    expect(Object.values(state.positions).some((p) => p.position === 'object')).toBe(false);
  }
  if (state.stage === 'member_consultation' || state.stage === 'closed') {
    expect(outcomeOf(state)).toBe(state.outcome ?? referenceOutcome(state));
    // the member stage opened only on the Troika's approval of the circulated version
    for (const c of state.troika!.countries) {
      expect(state.troikaReactions[c]).toMatchObject({ reaction: 'approve', version: state.circulatedVersion });
    }
    expect(state.circulatedVersion).toBe(state.currentVersion);
  }
  for (const p of state.positionHistory) expect(p.version).toBe(state.circulatedVersion);
  // every version is identified by the hash of all its text, in every language it has
  for (const v of state.versions) {
    const bi = v.translation && v.locale ? { locale: v.locale, translation: v.translation } : undefined;
    expect(v.hash).toBe(textVersionHash(v.title, v.text, bi));
  }
  if (state.stage === 'closed' && state.closeReason === 'all_answered') expect(membersAwaiting(state)).toEqual([]);
}

describe('consultation properties', () => {
  it('random command sequences keep every invariant', () => {
    const stats = { ok: 0, refused: 0, opened: 0, closed: 0 };
    fc.assert(
      fc.property(scenario, (sc) => {
        let now = STARTS[sc.start]!;
        const calendar = fakeCalendar('secretariat');
        const log: ConsultationEvent[] = [];
        let state: ConsultationState | undefined;
        const startJustification = sc.explicitStart || sc.startDays < 5 ? 'urgent' : undefined;
        const start: Command = {
          type: 'start',
          consultationId: ID,
          actor: sc.byStaff ? staff : fp(ROSTERS[sc.roster]![0]?.country ?? 'MX'),
          reference: 'CRM-2026-009',
          title: 'Title',
          text: 'Proposal A',
          deadline: sc.explicitStart ? { kind: 'explicit', at: new Date(now.getTime() + 9 * DAY).toISOString() } : { kind: 'business_days', days: sc.startDays },
          justification: startJustification,
          rule: sc.rule,
          closeEarly: sc.closeEarly,
          participants: participants({ presidencies: ROSTERS[sc.roster]! }),
          ...(sc.bilingual ? { locale: 'en' as const, translation: { locale: 'es' as const, title: 'Título', text: 'Propuesta A' } } : {}),
        };
        const send: Command = { type: 'sendToTroika', consultationId: ID, actor: staff };
        // ends with the system's close, long after any deadline: every opened consultation gets closed
        const finalClose: Step = { ...sc.steps[0]!, type: 'close', actor: POOL.indexOf(system), advance: 150 * DAY };
        const cmds: (Step | Command)[] = [start, ...(sc.sendFirst ? [send] : []), ...sc.steps, finalClose];
        for (const item of cmds) {
          const cmd = 'consultationId' in item ? item : commandFor(item, state, now, sc);
          if (!('consultationId' in item)) now = new Date(now.getTime() + item.advance);
          const before = state;
          const beforeJson = JSON.stringify(before);
          let d: ReturnType<typeof decide>;
          expect(() => (d = decide(before, cmd, { now, calendar }))).not.toThrow();
          d = d!;
          expect(JSON.stringify(before)).toBe(beforeJson); // decide mutates nothing
          if (!d.ok) {
            stats.refused++;
            expect(d.code).not.toBe('internal_error');
            continue;
          }
          stats.ok++;
          expect(before === undefined || !TERMINAL_STAGES.includes(before.stage)).toBe(true);
          expect(d.events.length).toBeGreaterThan(0);
          let s = before;
          for (const e of d.events) {
            checkEvent(s, e, now, cmd.actor);
            if (e.type === 'member_consultation_opened') stats.opened++;
            if (e.type === 'consultation_closed') stats.closed++;
            s = evolve(s, e);
            log.push(e);
          }
          state = s!;
          checkState(state, log);
        }
        expect(state?.stage).not.toBe('member_consultation');
        // a consultation that ended accepts nothing, whatever comes
        if (state && TERMINAL_STAGES.includes(state.stage)) {
          for (const type of COMMAND_TYPES) {
            for (const actor of [staff, system, fp('MX'), fp('HN'), fp('CR')]) {
              const cmd = commandFor({ ...sc.steps[0]!, type, actor: POOL.indexOf(actor) }, state, now, sc);
              const d = decide(state, cmd, { now: new Date(now.getTime() + 40 * DAY), calendar });
              expect(d.ok).toBe(false);
            }
          }
        }
      }),
      { numRuns: 400 },
    );
    // the generator reaches the deep stages, not only refusals
    expect(stats.opened).toBeGreaterThan(40);
    expect(stats.closed).toBeGreaterThan(30);
  });

  it('the author country\'s focal points never react to its own text (author_country), whatever they send', () => {
    let checked = 0;
    fc.assert(
      fc.property(
        fc.nat(ROSTERS.length - 2),
        fc.constantFrom<'approve' | 'request_changes' | 'object'>('approve', 'request_changes', 'object'),
        fc.constantFrom(1, 2),
        fc.constantFrom('current', 'first', 'garbage'),
        fc.constantFrom(undefined, '', 'because'),
        fc.boolean(),
        (roster, reaction, n, which, reason, named) => {
          const now = STARTS[0]!;
          const calendar = fakeCalendar('secretariat');
          const p = participants({ presidencies: ROSTERS[roster]! });
          // the Troika stage (start, then send), on every roster that has a PPT
          const start = decide(undefined, { type: 'start', consultationId: ID, actor: staff, reference: 'CRM-2026-010', title: 'T', text: 'x', deadline: { kind: 'business_days', days: 5 }, participants: p }, { now, calendar });
          if (!start.ok) return;
          let s = replay(start.events);
          const sent = decide(s, { type: 'sendToTroika', consultationId: ID, actor: staff }, { now, calendar });
          if (!sent.ok) return;
          for (const e of sent.events) s = evolve(s, e);
          if (s!.stage !== 'troika_review') return;
          const author = s!.troika!.authorCountry;
          const version = which === 'current' ? s!.currentVersion : which === 'first' ? s!.versions[0]!.hash : 'f00d';
          const d = decide(s, { type: 'reactTroika', consultationId: ID, actor: fp(author, n), version, reaction, reason, ...(named ? { country: author } : {}) }, { now, calendar });
          expect(d).toMatchObject({ ok: false, code: 'author_country' });
          checked++;
        },
      ),
      { numRuns: 200 },
    );
    expect(checked).toBeGreaterThan(80);
  });

  it('only Member Countries count toward the outcome', () => {
    const answers = fc.dictionary(fc.constantFrom(...COUNTRIES), fc.record({ position: fc.constantFrom<Position>('support', 'object', 'abstain') }));
    fc.assert(
      fc.property(fc.constantFrom<'explicit' | 'silence'>('explicit', 'silence'), answers, (rule, positions) => {
        const membersOnly = Object.fromEntries(Object.entries(positions).filter(([c]) => isMemberCountry(c)));
        const o = computeOutcome(rule, MEMBER_COUNTRIES, positions);
        expect(o).toBe(computeOutcome(rule, MEMBER_COUNTRIES, membersOnly));
        const vals = Object.values(membersOnly).map((p) => p.position);
        if (o === 'consensus') expect(vals).not.toContain('object');
        if (vals.includes('object')) expect(o).toBe('no_consensus');
        if (rule === 'silence') expect(o).not.toBe('incomplete');
        // abstentions never block: turning abstentions into support changes nothing
        const supported = Object.fromEntries(Object.entries(positions).map(([c, p]) => [c, { position: p.position === 'abstain' ? 'support' : p.position }]));
        expect(computeOutcome(rule, MEMBER_COUNTRIES, supported as typeof positions)).toBe(o);
      }),
    );
  });

  it('a text version hash depends only on the normalised title and text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), fc.string({ maxLength: 200 }), fc.string({ minLength: 1, maxLength: 5 }), (title, text, extra) => {
        expect(textVersionHash(title, text)).toBe(textVersionHash(` ${title}\n`, `\r\n${text.replace(/\n/g, '\r\n')} `));
        if (extra.trim() !== '') expect(textVersionHash(title, `${text.trim()}|${extra}`)).not.toBe(textVersionHash(title, text));
      }),
    );
  });
});
