/**
 * The use cases of a special consultation. Each builds a domain command from what an adapter (Slack,
 * Teams, CLI, a job) collected and runs it through `execute`: one transaction, idempotent by key.
 */
import { createHash } from 'node:crypto';
import { decide } from '../domain/decide.ts';
import { dateInZone, parseInstant } from '../domain/time.ts';
import {
  LIMITS,
  type CommandActor,
  type ConsultationState,
  type DeadlineRequest,
  type DecisionRule,
  type Position,
  type PositionsVisibility,
  type TextTranslation,
  type TroikaReaction,
} from '../domain/types.ts';
import type { ConsultationKind } from '../domain/types.ts';
import type { CalendarPolicy } from '../domain/calendar-port.ts';
import type { CountryCode, Locale } from '../directory/model.ts';
import { calendarFor, execute, type ExecuteOptions, type FlowResult } from './execute.ts';
import { participantsFrom, SYSTEM_ACTOR } from './people.ts';
import type { FlowDeps } from './ports.ts';

export interface StartInput {
  key: string;
  actor: CommandActor;
  title: string;
  text: string;
  /** Language of title and text: the actor's locale (the form is in it). */
  locale?: Locale;
  /** The same title and text in the other official language, when the author gives them. */
  translation?: TextTranslation;
  deadline: DeadlineRequest;
  justification?: string;
  rule?: DecisionRule;
  calendarPolicy?: CalendarPolicy;
  closeEarly?: boolean;
  /** Whether Member Countries see the other countries' answers before the close (default `at_close`). */
  positionsVisibility?: PositionsVisibility;
  /** Reference of a not-endorsed consultation this one resends. */
  supersedes?: string;
  /** The consultation id to use (a resend's is derived from the one it supersedes); default a new id. */
  consultationId?: string;
  /** Send to the Troika in the same step (default true: the form's button is "Send to the Troika"). */
  send?: boolean;
  /** `meeting_summary`: a meeting's summary for the Member Countries only, no Troika stage (flows/meeting-summary.ts). */
  kind?: ConsultationKind;
  meetingReference?: string;
}

/**
 * Starts a consultation (draft, text version 1) with the participants frozen from the live directory,
 * then sends it to the Troika. A reference number is taken only for a start the domain accepts.
 */
export async function startConsultation(deps: FlowDeps, input: StartInput): Promise<FlowResult> {
  const directory = deps.directory.current();
  if (input.supersedes !== undefined) {
    const previous = await deps.store.loadByReference(input.supersedes);
    if (!previous || previous.stage !== 'not_endorsed') {
      return { ok: false, code: 'invalid_command', detail: { field: 'supersedes' }, duplicate: false };
    }
  }
  const seen = await deps.store.findCommand(input.key);
  const consultationId = seen?.consultationId ?? input.consultationId ?? deps.newId();
  const base = {
    type: 'start' as const,
    consultationId,
    actor: input.actor,
    title: input.title,
    text: input.text,
    ...(input.locale !== undefined ? { locale: input.locale } : {}),
    ...(input.translation !== undefined ? { translation: input.translation } : {}),
    deadline: input.deadline,
    ...(input.justification !== undefined ? { justification: input.justification } : {}),
    rule: input.rule ?? 'explicit',
    calendarPolicy: input.calendarPolicy ?? 'secretariat',
    closeEarly: input.closeEarly ?? true,
    positionsVisibility: input.positionsVisibility ?? 'at_close',
    participants: participantsFrom(directory),
    ...(input.supersedes !== undefined ? { supersedes: input.supersedes } : {}),
    ...(input.kind !== undefined ? { kind: input.kind } : {}),
    ...(input.meetingReference !== undefined ? { meetingReference: input.meetingReference } : {}),
  };
  let reference = 'CRM-0000-000';
  if (!seen) {
    // Dry run: refuse before a reference number is spent.
    const now = deps.clock.now();
    const dry = decide(undefined, { ...base, reference }, { now, calendar: calendarFor(deps, base.calendarPolicy) });
    if (!dry.ok) return execute(deps, { ...base, reference }, { key: input.key });
    const year = Number(dateInZone(now, directory.secretariat.timezone).slice(0, 4));
    reference = await deps.store.nextReference(year);
  }
  const started = await execute(deps, { ...base, reference }, { key: input.key });
  if (!started.ok || input.send === false) return started;
  return sendToTroika(deps, { key: `${input.key}:send`, actor: input.actor, consultationId });
}

// ---------------------------------------------------------------------------------------------- resend

/**
 * The id of the consultation that resends `consultationId` (a UUID-shaped text derived from it). A
 * not-endorsed consultation is resent at most once: every resend of it gets this id, so a second one finds
 * it taken — and two at the same instant meet on it, and the domain refuses the later as `already_exists`.
 */
export function resendIdOf(consultationId: string): string {
  const h = createHash('sha256').update(`crm-resend/1:${consultationId}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h.slice(16, 17), 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The consultation that already resent `previous` (its reference), if any. */
export async function resentAs(deps: FlowDeps, previous: Pick<ConsultationState, 'consultationId'>): Promise<string | undefined> {
  return (await deps.store.load(resendIdOf(previous.consultationId)))?.reference;
}

/**
 * What a resend keeps of the original: the deadline request and its justification, except an explicit
 * deadline already passed, which becomes the default period (as the member stage's opening does).
 */
function resendDeadline(previous: ConsultationState, now: Date): { deadline: DeadlineRequest; justification?: string } {
  const req = previous.deadlineRequest;
  if (req.kind === 'explicit' && !((parseInstant(req.at) ?? 0) > now.getTime())) {
    return { deadline: { kind: 'business_days', days: LIMITS.defaultDays } };
  }
  return { deadline: req, ...(previous.justification !== undefined ? { justification: previous.justification } : {}) };
}

export interface ResendInput {
  key: string;
  actor: CommandActor;
  /** Reference of the not-endorsed consultation. */
  reference: string;
  /** The revised text; the title defaults to the original's. */
  text: string;
  title?: string;
  locale?: Locale;
  translation?: TextTranslation;
}

/**
 * The PPT revises and resends a text the Troika did not endorse (domain.md "Troika reactions"): a NEW
 * consultation (new reference, `supersedes` the old one) with the same rule, deadline request and
 * justification, calendar policy, early close and visibility, started and sent to the Troika at once (the
 * Troika derived anew from the roster). The not-endorsed one stays as it ended: its record is not
 * rewritten. Refusals: `not_found`; `wrong_stage` for a consultation that is not `not_endorsed`;
 * `already_exists` with `{ reference, supersedes }` when it was already resent (`reference` names the
 * consultation that superseded it); then whatever the domain refuses of the start (authority, texts).
 */
export async function resendConsultation(deps: FlowDeps, input: ResendInput): Promise<FlowResult> {
  const stored = await deps.store.loadByReference(input.reference);
  if (!stored) return { ok: false, code: 'not_found', duplicate: false };
  const previous = stored.snapshot as ConsultationState;
  if (previous.stage !== 'not_endorsed') return { ok: false, code: 'wrong_stage', detail: { stage: previous.stage }, duplicate: false };
  const already = (reference: string): FlowResult => ({
    ok: false,
    code: 'already_exists',
    detail: { reference, supersedes: previous.reference },
    duplicate: false,
  });
  const seen = await deps.store.findCommand(input.key);
  if (!seen) {
    const by = await resentAs(deps, previous);
    if (by !== undefined) return already(by);
  }
  const result = await startConsultation(deps, {
    key: input.key,
    actor: input.actor,
    title: input.title ?? previous.title,
    text: input.text,
    ...(input.locale !== undefined ? { locale: input.locale } : {}),
    ...(input.translation !== undefined ? { translation: input.translation } : {}),
    ...resendDeadline(previous, deps.clock.now()),
    rule: previous.rule,
    calendarPolicy: previous.calendarPolicy,
    closeEarly: previous.closeEarly,
    positionsVisibility: previous.positionsVisibility ?? 'at_close',
    supersedes: previous.reference,
    consultationId: resendIdOf(previous.consultationId),
  });
  if (!result.ok && result.code === 'already_exists' && !result.duplicate) return already(String(result.detail?.reference ?? ''));
  return result;
}

interface Common {
  key: string;
  actor: CommandActor;
  consultationId: string;
  /** More outbox messages written with the decision (ExecuteOptions.extraOutbox). */
  extraOutbox?: ExecuteOptions['extraOutbox'];
  /** The person whose clicked card `extraOutbox` updates (ExecuteOptions.cardUpdatedFor). */
  cardUpdatedFor?: string;
  /** The request's inbox row, marked processed with the decision (ExecuteOptions.inbox). */
  inbox?: ExecuteOptions['inbox'];
}

const options = (i: Common): ExecuteOptions => ({
  key: i.key,
  ...(i.inbox ? { inbox: i.inbox } : {}),
  ...(i.extraOutbox ? { extraOutbox: i.extraOutbox } : {}),
  ...(i.cardUpdatedFor ? { cardUpdatedFor: i.cardUpdatedFor } : {}),
});

export const sendToTroika = (deps: FlowDeps, i: Common): Promise<FlowResult> =>
  execute(deps, { type: 'sendToTroika', consultationId: i.consultationId, actor: i.actor }, options(i));

export const reactTroika = (
  deps: FlowDeps,
  i: Common & { version: string; reaction: TroikaReaction; reason?: string; country?: CountryCode },
): Promise<FlowResult> =>
  execute(
    deps,
    {
      type: 'reactTroika',
      consultationId: i.consultationId,
      actor: i.actor,
      version: i.version,
      reaction: i.reaction,
      ...(i.reason !== undefined ? { reason: i.reason } : {}),
      ...(i.country !== undefined ? { country: i.country } : {}),
    },
    options(i),
  );

/**
 * A new text version. `locale` is the original's language (default: the current version's); a translation
 * not given is not carried over from the current version.
 */
export const revise = (
  deps: FlowDeps,
  i: Common & { text: string; title?: string; locale?: Locale; translation?: TextTranslation },
): Promise<FlowResult> =>
  execute(
    deps,
    {
      type: 'revise',
      consultationId: i.consultationId,
      actor: i.actor,
      text: i.text,
      ...(i.title !== undefined ? { title: i.title } : {}),
      ...(i.locale !== undefined ? { locale: i.locale } : {}),
      ...(i.translation !== undefined ? { translation: i.translation } : {}),
    },
    options(i),
  );

/** Records a country's position. `country` defaults to the country the person is a focal point of. */
export const recordPosition = (
  deps: FlowDeps,
  i: Common & { country?: CountryCode; position: Position; reason?: string; version: string },
): Promise<FlowResult> => {
  // No country (e.g. an observer's focal point): decide refuses it as not_member_country, and execute
  // records the attempt in the command log, as every refused attempt must be (domain.md "Authority").
  const country = i.country ?? i.actor.country ?? '';
  return execute(
    deps,
    {
      type: 'recordPosition',
      consultationId: i.consultationId,
      actor: i.actor,
      country,
      position: i.position,
      version: i.version,
      ...(i.reason !== undefined ? { reason: i.reason } : {}),
    },
    options(i),
  );
};

export const extend = (deps: FlowDeps, i: Common & { deadline: DeadlineRequest; justification: string }): Promise<FlowResult> =>
  execute(
    deps,
    { type: 'extend', consultationId: i.consultationId, actor: i.actor, deadline: i.deadline, justification: i.justification },
    options(i),
  );

export const withdraw = (deps: FlowDeps, i: Common & { reason?: string }): Promise<FlowResult> =>
  execute(
    deps,
    { type: 'withdraw', consultationId: i.consultationId, actor: i.actor, ...(i.reason !== undefined ? { reason: i.reason } : {}) },
    options(i),
  );

/**
 * Closes the member stage at its deadline (the `close` job). The key names the deadline version, so a
 * job for a superseded deadline and a retried job both change nothing.
 */
export const closeAtDeadline = (deps: FlowDeps, i: { consultationId: string; deadlineVersion: number }): Promise<FlowResult> =>
  execute(
    deps,
    { type: 'close', consultationId: i.consultationId, actor: SYSTEM_ACTOR },
    { key: `close:${i.consultationId}:${i.deadlineVersion}` },
  );
