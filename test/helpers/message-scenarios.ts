/**
 * Every kind of message the bot sends, for consultations that end every way, in both languages: the
 * scenarios behind the language test (test/unit/i18n/message-language.test.ts) and the demo transcript.
 *
 * Pure and fast: the domain's `decide`/`evolve` with the real business calendars and the example directory,
 * and the public builders of src/flows/effects.ts for what each decision sends (`messagesFor`), the
 * reminders (`reminderOutbox`), the cards rebuilt after a click (`requestCardFor`) and the weekly digest
 * (`openConsultationsDigestOutbox`). No database: the flows' integration tests cover storing them.
 *
 *   const scenarios = messageScenarios();          // every outcome, both rules, DO as the PPT, …
 *   for (const s of scenarios) for (const step of s.steps) step.outbox;   // what each decision sent
 *   const all = everyMessage(scenarios);           // + reminders, request cards, weekly digests
 *
 * The directory is the example's, with one more focal point per Member Country in the other official
 * language (so every country is named in both) and one in a zone the bot has no name for (America/Chicago).
 */
import { readFileSync } from 'node:fs';
import { createBusinessCalendar } from '../../src/calendar/business-calendar.ts';
import { EXAMPLE_DIRECTORY } from '../../src/config.ts';
import { decide } from '../../src/domain/decide.ts';
import { evolve } from '../../src/domain/evolve.ts';
import { membersAwaiting, troikaAwaiting } from '../../src/domain/outcome.ts';
import type {
  Command,
  CommandActor,
  ConsultationEvent,
  ConsultationState,
  DeadlineRequest,
  DecisionRule,
  Outcome,
  Position,
  TroikaReaction,
} from '../../src/domain/types.ts';
import { parseDirectory } from '../../src/directory/load.ts';
import type { CountryCode, Directory, FocalPoint, Locale } from '../../src/directory/model.ts';
import {
  messagesFor,
  openConsultationsDigestOutbox,
  reminderOutbox,
  requestCardFor,
  type ReminderTarget,
} from '../../src/flows/effects.ts';
import { identify, participantsFrom, SYSTEM_ACTOR } from '../../src/flows/people.ts';
import type { NeutralMessage } from '../../src/messages/neutral.ts';
import type { NewOutboxMessage } from '../../src/store/consultation-store.ts';

// ------------------------------------------------------------------------------------------ directory

/** Slack ids of the example directory (U0<country>0000001 is a country's first focal point). */
export const SCENARIO_SLACK = {
  /** Ana Rojas Vargas (es) and Daniel Brenes (en), ST staff. */
  staff: 'U0ST0000001',
  staffEn: 'U0ST0000002',
  fp: (country: CountryCode, n = 1) => `U0${country}000000${n}`,
  /** The focal point added in the other official language. */
  other: (country: CountryCode) => `U9${country}0000001`,
} as const;

/**
 * The example directory with, for every Member Country, one more focal point in the other official
 * language (Slack id U9<country>0000001), and a United States focal point in America/Chicago (a zone the
 * bot names through Intl: "Central Time", "hora central").
 */
export function scenarioDirectory(): Directory {
  const parsed = parseDirectory(readFileSync(EXAMPLE_DIRECTORY, 'utf8'), EXAMPLE_DIRECTORY);
  if (!parsed.ok) throw new Error(`the example directory is invalid:\n${parsed.problems.join('\n')}`);
  const d = structuredClone(parsed.directory);
  for (const c of d.countries) {
    if (c.status !== 'member') continue;
    const has = new Set(c.focalPoints.map((f) => f.locale));
    const locale: Locale = has.has('es') && !has.has('en') ? 'en' : 'es';
    const email = `second.${c.code.toLowerCase()}@example.org`;
    const extra: FocalPoint = {
      id: email,
      name: locale === 'en' ? `Alex Second ${c.code}` : `Alejandra Segunda ${c.code}`,
      email,
      slack: SCENARIO_SLACK.other(c.code),
      locale,
      timezone: c.timezone,
      country: c.code,
    };
    c.focalPoints.push(extra);
    if (c.code === 'US') {
      c.focalPoints.push({ ...extra, id: 'chicago.us@example.org', email: 'chicago.us@example.org', name: 'Pat Chicago', slack: 'U9US0000002', locale: 'en', timezone: 'America/Chicago' });
    }
  }
  return d;
}

// ------------------------------------------------------------------------------------------ running

export interface ScenarioStep {
  /** What happened, in English, for a transcript: "MX requests changes". */
  label: string;
  at: string;
  command: Command;
  events: ConsultationEvent[];
  before: ConsultationState | undefined;
  after: ConsultationState;
  /** What this decision sent (messagesFor). */
  outbox: NewOutboxMessage[];
}

export interface Scenario {
  name: string;
  rule: DecisionRule;
  steps: ScenarioStep[];
  final: ConsultationState;
  directory: Directory;
}

const MINUTE = 60_000;

/** Drives one consultation through the domain, recording what each decision sends. */
export class ScenarioRun {
  readonly steps: ScenarioStep[] = [];
  private state: ConsultationState | undefined;
  private nowMs: number;

  constructor(
    readonly name: string,
    readonly directory: Directory,
    readonly options: { id: string; reference: string; start: string; rule?: DecisionRule; closeEarly?: boolean },
  ) {
    this.nowMs = new Date(options.start).getTime();
  }

  get current(): ConsultationState {
    if (!this.state) throw new Error(`${this.name}: not started`);
    return this.state;
  }

  now(): Date {
    return new Date(this.nowMs);
  }

  /** Moves the clock (default 47 minutes: times that are not round). */
  later(ms = 47 * MINUTE): this {
    this.nowMs += ms;
    return this;
  }

  at(instant: string | Date): this {
    this.nowMs = new Date(instant).getTime();
    return this;
  }

  actor(slackId: string): CommandActor {
    const a = identify(this.directory, { platform: 'slack', userId: slackId });
    if (!a) throw new Error(`${this.name}: no one with Slack id ${slackId}`);
    return a;
  }

  /** Decide and apply; throws on a refusal (a scenario is a happy path of its own). */
  run(label: string, command: Command): ScenarioStep {
    const before = this.state;
    const calendar = createBusinessCalendar(before?.calendarPolicy ?? 'secretariat', this.directory);
    const now = this.now();
    const d = decide(before, command, { now, calendar });
    if (!d.ok) throw new Error(`${this.name}: ${label} refused: ${d.code} ${JSON.stringify(d.detail ?? {})}`);
    let after = before;
    for (const e of d.events) after = evolve(after, e);
    const step: ScenarioStep = {
      label,
      at: now.toISOString(),
      command,
      events: d.events,
      before,
      after: after!,
      outbox: messagesFor({ before, events: d.events, after: after!, directory: this.directory }),
    };
    this.state = after;
    this.steps.push(step);
    this.later();
    return step;
  }

  start(by: string, over: { title?: string; text?: string; deadline?: DeadlineRequest; justification?: string } = {}): this {
    this.run('start and send to the Troika', {
      type: 'start',
      consultationId: this.options.id,
      actor: this.actor(by),
      reference: this.options.reference,
      title: over.title ?? 'Posición concertada sobre movilidad laboral ordenada',
      text: over.text ?? 'La CRM expresa su apoyo a la iniciativa regional de movilidad laboral ordenada y propone un comunicado conjunto.',
      deadline: over.deadline ?? { kind: 'business_days', days: 5 },
      ...(over.justification ? { justification: over.justification } : {}),
      rule: this.options.rule ?? 'explicit',
      closeEarly: this.options.closeEarly ?? true,
      participants: participantsFrom(this.directory),
    });
    this.run('send to the Troika', { type: 'sendToTroika', consultationId: this.options.id, actor: this.actor(by) });
    return this;
  }

  troika(by: string, reaction: TroikaReaction, reason?: string): this {
    this.run(`${this.actor(by).country} ${reaction}`, {
      type: 'reactTroika',
      consultationId: this.options.id,
      actor: this.actor(by),
      version: this.current.currentVersion,
      reaction,
      ...(reason !== undefined ? { reason } : {}),
    });
    return this;
  }

  /** Every non-author Troika country approves the current text (its first focal point). */
  troikaApproves(): this {
    const t = this.current.troika!;
    for (const c of t.countries.filter((x) => x !== t.authorCountry)) this.troika(SCENARIO_SLACK.fp(c), 'approve');
    return this;
  }

  revise(by: string, text: string): this {
    this.run('revise the text', { type: 'revise', consultationId: this.options.id, actor: this.actor(by), text });
    return this;
  }

  position(by: string, position: Position, reason?: string): this {
    const actor = this.actor(by);
    this.run(`${actor.country} ${position}`, {
      type: 'recordPosition',
      consultationId: this.options.id,
      actor,
      country: actor.country!,
      position,
      version: this.current.currentVersion,
      ...(reason !== undefined ? { reason } : {}),
    });
    return this;
  }

  extend(by: string, days: number, justification: string): this {
    this.run('extend the deadline', { type: 'extend', consultationId: this.options.id, actor: this.actor(by), deadline: { kind: 'business_days', days }, justification });
    return this;
  }

  withdraw(by: string, reason?: string): this {
    this.run('withdraw', { type: 'withdraw', consultationId: this.options.id, actor: this.actor(by), ...(reason !== undefined ? { reason } : {}) });
    return this;
  }

  /** The deadline passes; the close job closes the consultation. */
  closeAtDeadline(): this {
    this.at(new Date(new Date(this.current.deadline!).getTime() + 1000));
    this.run('close at the deadline', { type: 'close', consultationId: this.options.id, actor: SYSTEM_ACTOR });
    return this;
  }

  done(): Scenario {
    return { name: this.name, rule: this.options.rule ?? 'explicit', steps: this.steps, final: this.current, directory: this.directory };
  }
}

// ------------------------------------------------------------------------------------------ scenarios

/** Tuesday 1 December 2026, 09:00 in San José: PA is the PPT; the Troika is MX, PA (author), SV. */
export const SCENARIO_START = '2026-12-01T15:00:00.000Z';
/** Wednesday 1 March 2023, 09:00 in San José: DO is the PPT; the Troika is CA, DO (author), BZ. */
export const SCENARIO_START_DO = '2023-03-01T15:00:00.000Z';

const MEMBERS: readonly CountryCode[] = ['BZ', 'CA', 'CR', 'SV', 'US', 'GT', 'HN', 'MX', 'NI', 'PA', 'DO'];
const fp = SCENARIO_SLACK.fp;
const PPT = fp('PA');

/** Reasons end every way a person may end one: with a period, a question mark, or nothing. */
export const REASONS = {
  changes: 'Precisar el alcance del párrafo 2.',
  changesEn: 'Please clarify the scope of paragraph 2',
  object: 'No es urgente: que lo vea la Reunión Viceministerial.',
  objectEn: 'Our agencies have not been consulted yet.',
  objectQuestion: '¿Se consultó a las redes de enlace?',
  extend: 'Varias cancillerías pidieron más tiempo.',
  withdraw: 'Superado por los hechos.',
} as const;

/**
 * The canonical scenarios: every outcome (consensus, no consensus, incomplete, not endorsed, withdrawn in
 * each stage), both rules, a Troika request for changes and a revision, an extension, changed positions,
 * reasons ending in punctuation, and a consultation presented by the Dominican Republic.
 */
export function messageScenarios(directory: Directory = scenarioDirectory()): Scenario[] {
  const runs: Scenario[] = [];
  const open = (name: string, n: number, over: { rule?: DecisionRule; start?: string; closeEarly?: boolean } = {}) =>
    new ScenarioRun(name, directory, {
      id: `scenario-${n}`,
      reference: `CRM-${(over.start ?? SCENARIO_START).slice(0, 4)}-${String(100 + n)}`,
      start: over.start ?? SCENARIO_START,
      ...(over.rule ? { rule: over.rule } : {}),
      ...(over.closeEarly !== undefined ? { closeEarly: over.closeEarly } : {}),
    });

  // 1. Consensus (written procedure): changes requested, revised, approved; an extension; every member
  //    answers (abstentions and a change of mind included); closes early.
  const consensus = open('consensus, explicit, revised and extended', 1)
    .start(PPT)
    .troika(fp('MX'), 'request_changes', REASONS.changes)
    .revise(PPT, 'La CRM expresa su apoyo a la iniciativa regional de movilidad laboral ordenada, en los términos del párrafo 2 revisado.')
    .troikaApproves()
    .position(fp('US'), 'support')
    .position(SCENARIO_SLACK.other('US'), 'abstain')
    .extend(PPT, 8, REASONS.extend);
  for (const c of MEMBERS.filter((x) => x !== 'US' && x !== 'DO')) consensus.position(fp(c), c === 'CA' || c === 'NI' ? 'abstain' : 'support');
  consensus.position(SCENARIO_SLACK.other('DO'), 'support');
  runs.push(consensus.done());

  // 2. No consensus (written procedure): objections with and without a final period, and a question.
  const noConsensus = open('no consensus, explicit', 2).start(PPT).troikaApproves();
  for (const c of MEMBERS) {
    if (c === 'US') noConsensus.position(fp(c), 'object', REASONS.objectEn);
    else if (c === 'DO') noConsensus.position(fp(c), 'object', REASONS.objectQuestion);
    else if (c === 'GT') noConsensus.position(fp(c), 'object', 'Falta el dictamen jurídico');
    else noConsensus.position(fp(c), 'support');
  }
  runs.push(noConsensus.done());

  // 3. Incomplete (written procedure): the United States and the Dominican Republic do not answer.
  const incomplete = open('incomplete, explicit, closed at the deadline', 3).start(PPT).troikaApproves();
  for (const c of MEMBERS.filter((x) => x !== 'US' && x !== 'DO' && x !== 'BZ')) incomplete.position(fp(c), c === 'HN' ? 'abstain' : 'support');
  incomplete.closeAtDeadline();
  runs.push(incomplete.done());

  // 4. Consensus under the silence procedure: silence is no objection.
  const silence = open('consensus, silence, closed at the deadline', 4, { rule: 'silence' }).start(PPT).troikaApproves();
  silence.position(fp('CR'), 'support').position(fp('MX'), 'abstain');
  silence.closeAtDeadline();
  runs.push(silence.done());

  // 5. No consensus under the silence procedure: one objection breaks the silence.
  const broken = open('no consensus, silence', 5, { rule: 'silence', closeEarly: false }).start(PPT).troikaApproves();
  broken.position(fp('DO'), 'object', REASONS.object).position(fp('CA'), 'support');
  broken.closeAtDeadline();
  runs.push(broken.done());

  // 6. Not endorsed: a Troika country objects (the first one listed, so its reason is followed by others').
  runs.push(open('not endorsed', 6).start(PPT).troika(fp('SV'), 'approve').troika(fp('MX'), 'object', REASONS.object).done());

  // 7. Withdrawn under Troika review by ST staff, with a reason.
  runs.push(open('withdrawn under Troika review', 7).start(PPT).troika(fp('SV'), 'request_changes', REASONS.changesEn).withdraw(SCENARIO_SLACK.staff, REASONS.withdraw).done());

  // 8. Withdrawn during the member stage by the PPT, without a reason.
  runs.push(open('withdrawn during the member stage', 8).start(PPT).troikaApproves().position(fp('CR'), 'support').withdraw(fp('PA', 2)).done());

  // 9. The Dominican Republic presents the text (PPT in 2023): "presented by the Dominican Republic".
  const fromDo = open('presented by the Dominican Republic', 9, { start: SCENARIO_START_DO }).start(fp('DO')).troika(fp('CA'), 'request_changes', REASONS.changesEn);
  fromDo.revise(fp('DO'), 'La CRM propone un comunicado conjunto sobre movilidad laboral, con el párrafo 2 precisado.').troikaApproves();
  fromDo.position(fp('US'), 'support').closeAtDeadline();
  runs.push(fromDo.done());

  return runs;
}

// ------------------------------------------------------------------------------------------ every message

export interface SentMessage {
  scenario: string;
  /** The step label, or "reminder"/"card"/"weekly digest". */
  step: string;
  /** Outbox kind (`troika_request`, `weekly_digest`, `card_update`, …). */
  kind: string;
  row: NewOutboxMessage;
  message: NeutralMessage;
}

/** The reminders due in `state` for everyone who has not answered: the Troika's or the members'. */
export function remindersFor(state: ConsultationState, directory: Directory): NewOutboxMessage[] {
  const targets: ReminderTarget[] = [];
  if (state.stage === 'troika_review') {
    for (const country of troikaAwaiting(state)) {
      for (const f of state.participants.members.find((m) => m.code === country)?.focalPoints ?? []) targets.push({ audience: 'troika', country, personId: f.personId });
    }
  }
  if (state.stage === 'member_consultation') {
    for (const country of membersAwaiting(state)) {
      for (const f of state.participants.members.find((m) => m.code === country)?.focalPoints ?? []) targets.push({ audience: 'member', country, personId: f.personId });
    }
  }
  return targets
    .map((t, i) => reminderOutbox(state, directory, t, `reminder:${state.consultationId}:${state.version}:${i}`))
    .filter((r): r is NewOutboxMessage => r !== undefined);
}

/** The request cards every focal point would see rebuilt on `state` (Troika stage or member stage). */
export function requestCardsFor(state: ConsultationState, directory: Directory): NeutralMessage[] {
  const kind = state.stage === 'troika_review' ? 'troika_request' : state.stage === 'member_consultation' || state.circulatedAt ? 'member_request' : undefined;
  if (!kind) return [];
  const people = kind === 'troika_request' ? state.participants.members.filter((m) => state.troika?.countries.includes(m.code)) : state.participants.members;
  return people.flatMap((m) => m.focalPoints.map((f) => requestCardFor(state, directory, f.personId, kind)?.message)).filter((m): m is NeutralMessage => m !== undefined);
}

/**
 * Every message of the scenarios: what each decision sent, the reminders and request cards after each
 * step, and the weekly digest of the consultations open at each point (and of none).
 */
export function everyMessage(scenarios: readonly Scenario[] = messageScenarios()): SentMessage[] {
  const out: SentMessage[] = [];
  const add = (scenario: string, step: string, row: NewOutboxMessage) =>
    out.push({ scenario, step, kind: row.kind, row, message: row.payload as NeutralMessage });
  for (const s of scenarios) {
    for (const step of s.steps) {
      for (const row of step.outbox) add(s.name, step.label, row);
      for (const row of remindersFor(step.after, s.directory)) add(s.name, `reminder after ${step.label}`, row);
      for (const message of requestCardsFor(step.after, s.directory)) {
        out.push({ scenario: s.name, step: `card after ${step.label}`, kind: 'card_update', row: { dedupeKey: 'card', platform: 'slack', recipient: { kind: 'secretariat_channel' }, kind: 'card_update', payload: message }, message });
      }
    }
  }
  const directory = scenarios[0]?.directory ?? scenarioDirectory();
  // The weekly digest of the week each consultation was open (its last open state), and of an empty week.
  const isOpen = (st: ConsultationState) => st.stage === 'troika_review' || st.stage === 'member_consultation';
  const lastOpen = (s: Scenario) => s.steps.map((x) => x.after).filter(isOpen).at(-1);
  const firstOpen = (s: Scenario) => s.steps.map((x) => x.after).find(isOpen);
  const openStates = scenarios.map(lastOpen).filter((st): st is ConsultationState => st !== undefined);
  const earlier = scenarios.map(firstOpen).filter((st): st is ConsultationState => st !== undefined);
  for (const [i, chunk] of [openStates, earlier, []].entries()) {
    for (const row of openConsultationsDigestOutbox(chunk, directory, `2026-W${49 + i}`, `weekly:${i}`)) add('weekly digest', `week ${i}`, row);
  }
  const st = structuredClone(directory);
  st.secretariat.locale = st.secretariat.locale === 'es' ? 'en' : 'es';
  for (const row of openConsultationsDigestOutbox(openStates.slice(0, 6), st, '2026-W52', 'weekly:en')) add('weekly digest', 'week in the other language', row);
  return out;
}

/** The outcomes the scenarios end with (a coverage check for tests that use them). */
export function outcomesOf(scenarios: readonly Scenario[]): Set<Outcome> {
  return new Set(scenarios.map((s) => s.final.outcome).filter((o): o is Outcome => o !== undefined));
}
