/**
 * decide(state, command, ctx) → events | refusal. The whole consultation procedure (domain.md "The
 * special consultation procedure"). Pure: time comes from `ctx.now`, business days from `ctx.calendar`.
 * Refusals are values; `decide` never throws (a bug surfaces as the refusal `internal_error`).
 */
import type { CountryCode, Locale } from '../directory/model.ts';
import { troikaAt } from '../directory/presidency.ts';
import type { DeadlineResult } from './calendar-port.ts';
import {
  authorizeManager,
  authorizePosition,
  authorizeSystem,
  authorizeTroika,
  managingCountries,
  pptInOffice,
} from './authority.ts';
import { evolve } from './evolve.ts';
import { isMemberOf } from './members.ts';
import { computeOutcome, currentTextVersion, memberCodes, membersAwaiting, positionsSummary, troikaApprovedCurrent } from './outcome.ts';
import { codePointLength, normalizeText, normalizeTitle, storableText, textVersionHash, type Bilingual } from './text-version.ts';
import { dateInZone, isValidDate, isValidTimeZone, parseInstant } from './time.ts';
import {
  COMMAND_TYPES,
  CONSULTATION_KINDS,
  LIMITS,
  TERMINAL_STAGES,
  type CloseCommand,
  type Command,
  type ConsultationEvent,
  type ConsultationState,
  type DecideContext,
  type Decision,
  type DeadlineRequest,
  type EventActor,
  type ExtendCommand,
  type MemberConsultationOpenedEvent,
  type Participants,
  type Platform,
  type Position,
  type ReactTroikaCommand,
  type RecordPositionCommand,
  type Refusal,
  type ReviseCommand,
  type SendToTroikaCommand,
  type StartCommand,
  type TextTranslation,
  type TroikaReaction,
  type WithdrawCommand,
} from './types.ts';

const PLATFORMS: readonly Platform[] = ['slack', 'teams', 'cli', 'console', 'email', 'system'];
const REACTIONS: readonly TroikaReaction[] = ['approve', 'request_changes', 'object'];
const POSITIONS: readonly Position[] = ['support', 'object', 'abstain'];
const LOCALES: readonly Locale[] = ['es', 'en'];
const YMD = /^\d{4}-\d{2}-\d{2}$/;

const refuse = (code: Refusal['code'], detail?: Record<string, string | number>): Refusal =>
  detail === undefined ? { ok: false, code } : { ok: false, code, detail };

const isRefusal = (x: unknown): x is Refusal =>
  typeof x === 'object' && x !== null && (x as { ok?: unknown }).ok === false;

const nonEmpty = (s: unknown): s is string => typeof s === 'string' && s.trim() !== '';

/** Decide what happens when `command` meets `state` at `ctx.now`. */
export function decide(state: ConsultationState | undefined, command: Command, ctx: DecideContext): Decision {
  try {
    return decideChecked(state, command, ctx);
  } catch (e) {
    // Never thrown by design; kept so a bug becomes a logged refusal rather than a crashed handler.
    return refuse('internal_error', { error: e instanceof Error ? e.message : String(e) });
  }
}

function decideChecked(state: ConsultationState | undefined, command: Command, ctx: DecideContext): Decision {
  if (!ctx || !isValidDate(ctx.now)) return refuse('invalid_time');
  const shape = checkShape(command);
  if (shape) return shape;

  if (command.type === 'start') return decideStart(state, command, ctx);

  if (state === undefined) return refuse('not_found');
  if (command.consultationId !== state.consultationId) return refuse('consultation_mismatch');
  if (TERMINAL_STAGES.includes(state.stage)) return refuse('consultation_closed', { stage: state.stage });

  switch (command.type) {
    case 'sendToTroika':
      return decideSendToTroika(state, command, ctx);
    case 'reactTroika':
      return decideReactTroika(state, command, ctx);
    case 'revise':
      return decideRevise(state, command, ctx);
    case 'recordPosition':
      return decideRecordPosition(state, command, ctx);
    case 'extend':
      return decideExtend(state, command, ctx);
    case 'withdraw':
      return decideWithdraw(state, command, ctx);
    case 'close':
      return decideClose(state, command, ctx);
  }
}

function checkShape(command: unknown): Refusal | undefined {
  if (typeof command !== 'object' || command === null) return refuse('invalid_command');
  const c = command as { type?: unknown; consultationId?: unknown; actor?: unknown };
  if (typeof c.type !== 'string' || !(COMMAND_TYPES as readonly string[]).includes(c.type)) {
    return refuse('invalid_command', { field: 'type' });
  }
  if (!nonEmpty(c.consultationId)) return refuse('invalid_command', { field: 'consultationId' });
  const a = c.actor as { personId?: unknown; name?: unknown; platform?: unknown; isStaff?: unknown } | null;
  if (typeof a !== 'object' || a === null || !nonEmpty(a.personId) || typeof a.name !== 'string') {
    return refuse('invalid_command', { field: 'actor' });
  }
  if (!(PLATFORMS as readonly unknown[]).includes(a.platform) || typeof a.isStaff !== 'boolean') {
    return refuse('invalid_command', { field: 'actor' });
  }
  return undefined;
}

// ------------------------------------------------------------------------------------------ validation

function checkTitleAndText(title: unknown, text: unknown): Refusal | { title: string; text: string } {
  if (typeof title !== 'string' || normalizeTitle(title) === '') return refuse('title_required');
  const t = normalizeTitle(title);
  if (codePointLength(t) > LIMITS.titleMax) return refuse('title_too_long', { max: LIMITS.titleMax });
  if (typeof text !== 'string' || normalizeText(text) === '') return refuse('text_required');
  const x = normalizeText(text);
  if (codePointLength(x) > LIMITS.textMax) return refuse('text_too_long', { max: LIMITS.textMax });
  return { title: t, text: x };
}

/** A version's text in every language given: the original, its language and the translation. */
interface VersionText {
  title: string;
  text: string;
  locale?: Locale;
  translation?: TextTranslation;
}

/**
 * The original's language and the translation. A translation must be in the other official language
 * (without `locale`, the original is taken to be in the other one) and needs both a title and a text, with
 * the same limits as the original's; its refusals carry `field: 'translation'`.
 */
function checkLanguages(locale: unknown, translation: unknown): Refusal | { locale?: Locale; translation?: TextTranslation } {
  if (locale !== undefined && !(LOCALES as readonly unknown[]).includes(locale)) return refuse('invalid_command', { field: 'locale' });
  const original = locale as Locale | undefined;
  if (translation === undefined) return original !== undefined ? { locale: original } : {};
  if (typeof translation !== 'object' || translation === null) return refuse('invalid_command', { field: 'translation' });
  const tr = translation as { locale?: unknown; title?: unknown; text?: unknown };
  if (!(LOCALES as readonly unknown[]).includes(tr.locale)) return refuse('invalid_command', { field: 'translation.locale' });
  const trLocale = tr.locale as Locale;
  const of = original ?? LOCALES.find((l) => l !== trLocale)!;
  if (of === trLocale) return refuse('invalid_command', { field: 'translation.locale' });
  const tt = checkTitleAndText(tr.title, tr.text);
  if (isRefusal(tt)) return refuse(tt.code, { ...tt.detail, field: 'translation' });
  return { locale: of, translation: { locale: trLocale, title: tt.title, text: tt.text } };
}

/** The version's text checked whole, and its hash (text-version.ts: both languages are part of it). */
function checkVersionText(
  title: unknown,
  text: unknown,
  locale: unknown,
  translation: unknown,
): Refusal | { version: VersionText; hash: string } {
  const tt = checkTitleAndText(title, text);
  if (isRefusal(tt)) return tt;
  const langs = checkLanguages(locale, translation);
  if (isRefusal(langs)) return langs;
  const version: VersionText = { ...tt, ...langs };
  const bilingual: Bilingual | undefined =
    langs.translation && langs.locale ? { locale: langs.locale, translation: langs.translation } : undefined;
  return { version, hash: textVersionHash(tt.title, tt.text, bilingual) };
}

function checkDays(days: unknown): Refusal | number {
  if (typeof days !== 'number' || !Number.isInteger(days) || days < LIMITS.daysMin || days > LIMITS.daysMax) {
    return refuse('invalid_days', { min: LIMITS.daysMin, max: LIMITS.daysMax });
  }
  return days;
}

function checkJustification(j: unknown, required: boolean): Refusal | string | undefined {
  if (j !== undefined && typeof j !== 'string') return refuse('invalid_command', { field: 'justification' });
  const s = j === undefined ? '' : storableText(j).trim();
  if (s === '') return required ? refuse('justification_required') : undefined;
  if (codePointLength(s) > LIMITS.justificationMax) {
    return refuse('justification_too_long', { max: LIMITS.justificationMax });
  }
  return s;
}

function checkReason(r: unknown, required: boolean): Refusal | string | undefined {
  if (r !== undefined && typeof r !== 'string') return refuse('invalid_command', { field: 'reason' });
  const s = r === undefined ? '' : storableText(r).trim();
  if (s === '') return required ? refuse('reason_required') : undefined;
  if (codePointLength(s) > LIMITS.reasonMax) return refuse('reason_too_long', { max: LIMITS.reasonMax });
  return s;
}

/** A deadline request as given at start: validated, explicit instants normalised to UTC ISO. */
function checkDeadlineRequest(
  req: unknown,
  justification: unknown,
  now: Date,
): Refusal | { request: DeadlineRequest; justification?: string } {
  if (typeof req !== 'object' || req === null) return refuse('invalid_command', { field: 'deadline' });
  const r = req as { kind?: unknown; days?: unknown; at?: unknown };
  if (r.kind === 'business_days') {
    const days = checkDays(r.days);
    if (isRefusal(days)) return days;
    const j = checkJustification(justification, days < LIMITS.daysWithoutJustification);
    if (isRefusal(j)) return j;
    return { request: { kind: 'business_days', days }, ...(j !== undefined ? { justification: j } : {}) };
  }
  if (r.kind === 'explicit') {
    const ms = parseInstant(r.at);
    if (ms === undefined) return refuse('invalid_deadline', { field: 'deadline.at' });
    const j = checkJustification(justification, true);
    if (isRefusal(j)) return j;
    if (ms <= now.getTime()) return refuse('deadline_in_past', { deadline: new Date(ms).toISOString() });
    return { request: { kind: 'explicit', at: new Date(ms).toISOString() }, justification: j as string };
  }
  return refuse('invalid_command', { field: 'deadline.kind' });
}

function checkParticipants(p: unknown): Refusal | Participants {
  const bad = (why: string) => refuse('invalid_participants', { problem: why });
  if (typeof p !== 'object' || p === null) return bad('missing');
  const x = p as Partial<Participants>;
  if (!Array.isArray(x.members) || !Array.isArray(x.presidencies)) return bad('members and presidencies must be lists');
  if (typeof x.secretariatTimeZone !== 'string' || !isValidTimeZone(x.secretariatTimeZone)) {
    return bad('secretariatTimeZone is not an IANA zone');
  }
  if (x.body !== undefined) {
    const b = x.body as { code?: unknown; name?: { es?: unknown; en?: unknown } } | null;
    if (typeof b !== 'object' || b === null || !nonEmpty(b.code) || !nonEmpty(b.name?.es) || !nonEmpty(b.name?.en)) {
      return bad('body needs a code and a name in es and en');
    }
  }
  const seen = new Set<string>();
  for (const m of x.members as unknown[]) {
    const mm = m as { code?: unknown; focalPoints?: unknown } | null;
    if (typeof mm !== 'object' || mm === null || typeof mm.code !== 'string') return bad('member without a code');
    if (!/^[A-Z]{2}$/.test(mm.code)) return bad(`${mm.code} is not a country code`);
    if (seen.has(mm.code)) return bad(`${mm.code} listed twice`);
    seen.add(mm.code);
    if (!Array.isArray(mm.focalPoints)) return bad(`${mm.code}: focalPoints must be a list`);
    const ids = new Set<string>();
    for (const fp of mm.focalPoints as unknown[]) {
      const f = fp as { personId?: unknown; name?: unknown } | null;
      if (typeof f !== 'object' || f === null || !nonEmpty(f.personId) || typeof f.name !== 'string') {
        return bad(`${mm.code}: focal point without personId or name`);
      }
      if (ids.has(f.personId)) return bad(`${mm.code}: focal point ${f.personId} listed twice`);
      ids.add(f.personId);
    }
  }
  if (seen.size === 0) return bad('no Member Country is listed');
  for (const t of x.presidencies as unknown[]) {
    const tt = t as { country?: unknown; from?: unknown; to?: unknown } | null;
    if (typeof tt !== 'object' || tt === null || typeof tt.country !== 'string') return bad('presidency without a country');
    if (!seen.has(tt.country)) return bad(`presidency of ${tt.country}, not a Member Country`);
    if (typeof tt.from !== 'string' || !YMD.test(tt.from)) return bad(`presidency of ${tt.country}: bad from`);
    if (tt.to !== undefined && (typeof tt.to !== 'string' || !YMD.test(tt.to))) {
      return bad(`presidency of ${tt.country}: bad to`);
    }
  }
  return x as Participants;
}

function checkCalendarPolicy(policy: unknown, participants: Participants): Refusal | string {
  if (policy === undefined) return 'secretariat';
  if (policy === 'secretariat' || policy === 'all-members') return policy;
  if (typeof policy === 'string' && isMemberOf(participants, policy)) return policy;
  return refuse('invalid_calendar_policy', { policy: String(policy) });
}

function checkVersion(state: ConsultationState, version: unknown): Refusal | undefined {
  if (typeof version !== 'string') return refuse('invalid_command', { field: 'version' });
  if (version !== state.currentVersion) {
    const n = state.versions.find((v) => v.hash === version)?.number;
    return refuse('stale_version', {
      current: state.currentVersion,
      currentNumber: state.versions.length,
      ...(n !== undefined ? { givenNumber: n } : {}),
    });
  }
  return undefined;
}

function deadlineMs(state: ConsultationState): number {
  return parseInstant(state.deadline) ?? Number.NaN;
}

// -------------------------------------------------------------------------------------------- calendar

function businessDeadline(ctx: DecideContext, state: ConsultationState, from: Date, days: number): Refusal | DeadlineResult {
  if (!ctx.calendar || ctx.calendar.policy !== state.calendarPolicy) {
    return refuse('calendar_mismatch', { expected: String(state.calendarPolicy), got: String(ctx.calendar?.policy) });
  }
  let r: DeadlineResult;
  try {
    r = ctx.calendar.deadlineAfter(from, days);
  } catch (e) {
    return refuse('calendar_error', { error: e instanceof Error ? e.message : String(e) });
  }
  if (!r || !isValidDate(r.deadline) || r.deadline.getTime() <= from.getTime()) {
    return refuse('calendar_error', { error: 'the calendar returned no deadline after the start' });
  }
  return r;
}

/** The member-stage opening (step 2 of the procedure), with its deadline. */
function openMemberStage(
  state: ConsultationState,
  ctx: DecideContext,
  actor: EventActor,
): Refusal | MemberConsultationOpenedEvent {
  const now = ctx.now;
  const base = {
    type: 'member_consultation_opened' as const,
    consultationId: state.consultationId,
    at: now.toISOString(),
    actor,
    version: state.currentVersion,
    deadlineVersion: 1,
  };
  const req = state.deadlineRequest;
  if (req.kind === 'explicit') {
    const ms = parseInstant(req.at);
    if (ms !== undefined && ms > now.getTime()) {
      return { ...base, deadline: new Date(ms).toISOString(), deadlineRequest: req, unverifiedYears: [] };
    }
  }
  const days = req.kind === 'business_days' ? req.days : LIMITS.defaultDays;
  const r = businessDeadline(ctx, state, now, days);
  if (isRefusal(r)) return r;
  return {
    ...base,
    deadline: r.deadline.toISOString(),
    deadlineTimeZone: r.timeZone,
    deadlineRequest: { kind: 'business_days', days },
    ...(req.kind === 'explicit' ? { deadlineFallback: true } : {}),
    unverifiedYears: [...r.unverifiedYears],
  };
}

/** Appends `event`, and the member-stage opening when the Troika now approves the current version. */
function withPossibleOpening(
  state: ConsultationState,
  events: ConsultationEvent[],
  ctx: DecideContext,
  actor: EventActor,
): Decision {
  let next = state;
  for (const e of events) next = evolve(next, e);
  if (next.stage === 'troika_review' && troikaApprovedCurrent(next)) {
    const open = openMemberStage(next, ctx, actor);
    if (isRefusal(open)) return open;
    return { ok: true, events: [...events, open] };
  }
  return { ok: true, events };
}

// ------------------------------------------------------------------------------------------- commands

function decideStart(state: ConsultationState | undefined, c: StartCommand, ctx: DecideContext): Decision {
  if (state !== undefined) return refuse('already_exists', { reference: state.reference });
  if (!nonEmpty(c.reference)) return refuse('reference_required');
  const participants = checkParticipants(c.participants);
  if (isRefusal(participants)) return participants;

  const ppt = pptInOffice(participants, ctx.now);
  const auth = authorizeManager(participants, ppt === undefined ? [] : [ppt], c.actor);
  if (!auth.ok) return auth;

  const tt = checkVersionText(c.title, c.text, c.locale, c.translation);
  if (isRefusal(tt)) return tt;
  const dl = checkDeadlineRequest(c.deadline, c.justification, ctx.now);
  if (isRefusal(dl)) return dl;
  const rule = c.rule ?? 'explicit';
  if (rule !== 'explicit' && rule !== 'silence') return refuse('invalid_command', { field: 'rule' });
  const calendarPolicy = checkCalendarPolicy(c.calendarPolicy, participants);
  if (isRefusal(calendarPolicy)) return calendarPolicy;
  if (c.closeEarly !== undefined && typeof c.closeEarly !== 'boolean') {
    return refuse('invalid_command', { field: 'closeEarly' });
  }
  if (c.supersedes !== undefined && (!nonEmpty(c.supersedes) || c.supersedes.trim() === c.reference.trim())) {
    return refuse('invalid_command', { field: 'supersedes' });
  }
  const visibility = c.positionsVisibility ?? 'at_close';
  if (visibility !== 'at_close' && visibility !== 'live') return refuse('invalid_command', { field: 'positionsVisibility' });
  const kind = c.kind ?? 'special';
  if (!(CONSULTATION_KINDS as readonly string[]).includes(kind)) return refuse('invalid_command', { field: 'kind' });
  if (kind === 'meeting_summary' && (!nonEmpty(c.meetingReference) || c.meetingReference.length > 40)) return refuse('invalid_command', { field: 'meetingReference' });
  if (kind === 'special' && c.meetingReference !== undefined) return refuse('invalid_command', { field: 'meetingReference' });
  if (kind === 'meeting_summary' && c.supersedes !== undefined) return refuse('invalid_command', { field: 'supersedes' });

  return {
    ok: true,
    events: [
      {
        type: 'consultation_started',
        consultationId: c.consultationId,
        at: ctx.now.toISOString(),
        actor: auth.actor,
        reference: c.reference.trim(),
        version: { number: 1, hash: tt.hash, ...tt.version },
        deadlineRequest: dl.request,
        ...(dl.justification !== undefined ? { justification: dl.justification } : {}),
        positionsVisibility: visibility,
        rule,
        calendarPolicy,
        closeEarly: c.closeEarly ?? true,
        participants: structuredClone(participants),
        ...(ppt !== undefined ? { pptCountry: ppt } : {}),
        ...(c.supersedes !== undefined ? { supersedes: c.supersedes.trim() } : {}),
        ...(kind === 'meeting_summary' ? { kind, meetingReference: c.meetingReference!.trim() } : {}),
      },
    ],
  };
}

function decideSendToTroika(state: ConsultationState, c: SendToTroikaCommand, ctx: DecideContext): Decision {
  if (state.stage !== 'draft') return refuse('wrong_stage', { stage: state.stage });
  const auth = authorizeManager(state.participants, managingCountries(state, ctx.now), c.actor);
  if (!auth.ok) return auth;
  // A meeting's summary has no Troika stage: sending circulates it to the Member Countries at once.
  if (state.kind === 'meeting_summary') {
    const open = openMemberStage(state, ctx, auth.actor);
    return isRefusal(open) ? open : { ok: true, events: [open] };
  }
  const today = dateInZone(ctx.now, state.participants.secretariatTimeZone);
  const t = troikaAt(state.participants.presidencies, today);
  if (t === undefined) return refuse('no_presidency', { date: today });
  // Every Troika country is a frozen member: start checks that every presidency is a Member Country.
  return withPossibleOpening(
    state,
    [
      {
        type: 'sent_to_troika',
        consultationId: state.consultationId,
        at: ctx.now.toISOString(),
        actor: auth.actor,
        troika: {
          ...(t.previous !== undefined ? { previous: t.previous } : {}),
          current: t.current,
          ...(t.next !== undefined ? { next: t.next } : {}),
          countries: [...t.countries],
          incomplete: t.incomplete,
          authorCountry: t.current,
          asOf: today,
        },
        version: state.currentVersion,
      },
    ],
    ctx,
    auth.actor,
  );
}

function decideReactTroika(state: ConsultationState, c: ReactTroikaCommand, ctx: DecideContext): Decision {
  if (state.stage !== 'troika_review') return refuse('wrong_stage', { stage: state.stage });
  const auth = authorizeTroika(state, c.actor, c.country);
  if (!auth.ok) return auth;
  if (!REACTIONS.includes(c.reaction)) return refuse('invalid_command', { field: 'reaction' });
  const stale = checkVersion(state, c.version);
  if (stale) return stale;
  const reason = checkReason(c.reason, c.reaction !== 'approve');
  if (isRefusal(reason)) return reason;
  const country = auth.actor.country as CountryCode;
  const current = state.troikaReactions[country];
  if (current && !current.implicit && current.version === state.currentVersion && current.reaction === c.reaction && current.reason === reason) {
    return refuse('already_recorded', { country, reaction: c.reaction });
  }
  const at = ctx.now.toISOString();
  const reacted: ConsultationEvent = {
    type: 'troika_reacted',
    consultationId: state.consultationId,
    at,
    actor: auth.actor,
    country,
    reaction: c.reaction,
    version: state.currentVersion,
    ...(reason !== undefined ? { reason } : {}),
  };
  if (c.reaction === 'object') {
    return {
      ok: true,
      events: [
        reacted,
        {
          type: 'consultation_not_endorsed',
          consultationId: state.consultationId,
          at,
          actor: auth.actor,
          country,
          reason: reason as string,
          version: state.currentVersion,
          outcome: 'not_endorsed',
        },
      ],
    };
  }
  return withPossibleOpening(state, [reacted], ctx, auth.actor);
}

function decideRevise(state: ConsultationState, c: ReviseCommand, ctx: DecideContext): Decision {
  if (state.stage !== 'draft' && state.stage !== 'troika_review') return refuse('wrong_stage', { stage: state.stage });
  const auth = authorizeManager(state.participants, managingCountries(state, ctx.now), c.actor);
  if (!auth.ok) return auth;
  // The original keeps its language unless the command names another; a translation not given again is
  // not carried over (it would no longer match a revised original).
  const locale = c.locale ?? currentTextVersion(state).locale;
  const tt = checkVersionText(c.title ?? state.title, c.text, locale, c.translation);
  if (isRefusal(tt)) return tt;
  const hash = tt.hash;
  if (hash === state.currentVersion) return refuse('text_unchanged');
  return withPossibleOpening(
    state,
    [
      {
        type: 'text_revised',
        consultationId: state.consultationId,
        at: ctx.now.toISOString(),
        actor: auth.actor,
        version: { number: state.versions.length + 1, hash, ...tt.version },
      },
    ],
    ctx,
    auth.actor,
  );
}

function decideRecordPosition(state: ConsultationState, c: RecordPositionCommand, ctx: DecideContext): Decision {
  if (state.stage !== 'member_consultation') return refuse('wrong_stage', { stage: state.stage });
  if (typeof c.country !== 'string') return refuse('invalid_command', { field: 'country' });
  const auth = authorizePosition(state, c.actor, c.country);
  if (!auth.ok) return auth;
  if (!(ctx.now.getTime() < deadlineMs(state))) return refuse('deadline_passed', { deadline: state.deadline ?? '' });
  if (!POSITIONS.includes(c.position)) return refuse('invalid_command', { field: 'position' });
  const stale = checkVersion(state, c.version);
  if (stale) return stale;
  const reason = checkReason(c.reason, c.position === 'object');
  if (isRefusal(reason)) return reason;
  const current = state.positions[c.country];
  if (current && current.version === state.currentVersion && current.position === c.position && current.reason === reason) {
    return refuse('already_recorded', { country: c.country, position: c.position });
  }
  const recorded: ConsultationEvent = {
    type: 'position_recorded',
    consultationId: state.consultationId,
    at: ctx.now.toISOString(),
    actor: auth.actor,
    country: c.country,
    position: c.position,
    version: state.currentVersion,
    ...(reason !== undefined ? { reason } : {}),
  };
  const next = evolve(state, recorded);
  if (next.closeEarly && membersAwaiting(next).length === 0) {
    return { ok: true, events: [recorded, closedEvent(next, ctx, auth.actor, 'all_answered')] };
  }
  return { ok: true, events: [recorded] };
}

function closedEvent(
  state: ConsultationState,
  ctx: DecideContext,
  actor: EventActor,
  reason: 'deadline' | 'all_answered',
): ConsultationEvent {
  return {
    type: 'consultation_closed',
    consultationId: state.consultationId,
    at: ctx.now.toISOString(),
    actor,
    reason,
    outcome: computeOutcome(state.rule, memberCodes(state), state.positions),
    positions: positionsSummary(state),
    missing: membersAwaiting(state),
  };
}

function decideExtend(state: ConsultationState, c: ExtendCommand, ctx: DecideContext): Decision {
  if (state.stage !== 'member_consultation') return refuse('wrong_stage', { stage: state.stage });
  const auth = authorizeManager(state.participants, managingCountries(state, ctx.now), c.actor);
  if (!auth.ok) return auth;
  const current = deadlineMs(state);
  if (!(ctx.now.getTime() < current)) return refuse('deadline_passed', { deadline: state.deadline ?? '' });
  const justification = checkJustification(c.justification, true);
  if (isRefusal(justification)) return justification;
  const req = c.deadline as unknown as { kind?: unknown; days?: unknown; at?: unknown } | null;
  if (typeof req !== 'object' || req === null) return refuse('invalid_command', { field: 'deadline' });

  let deadline: number;
  let request: DeadlineRequest;
  let timeZone: string | undefined;
  let unverifiedYears: number[] = [];
  if (req.kind === 'business_days') {
    const days = checkDays(req.days);
    if (isRefusal(days)) return days;
    const from = parseInstant(state.circulatedAt);
    if (from === undefined) return refuse('calendar_error', { error: 'no circulation instant' });
    const r = businessDeadline(ctx, state, new Date(from), days);
    if (isRefusal(r)) return r;
    deadline = r.deadline.getTime();
    timeZone = r.timeZone;
    unverifiedYears = [...r.unverifiedYears];
    request = { kind: 'business_days', days };
  } else if (req.kind === 'explicit') {
    const ms = parseInstant(req.at);
    if (ms === undefined) return refuse('invalid_deadline', { field: 'deadline.at' });
    deadline = ms;
    request = { kind: 'explicit', at: new Date(ms).toISOString() };
  } else {
    return refuse('invalid_command', { field: 'deadline.kind' });
  }
  if (!(deadline > current)) {
    return refuse('deadline_not_later', { current: state.deadline ?? '', requested: new Date(deadline).toISOString() });
  }
  return {
    ok: true,
    events: [
      {
        type: 'deadline_extended',
        consultationId: state.consultationId,
        at: ctx.now.toISOString(),
        actor: auth.actor,
        previousDeadline: state.deadline as string,
        deadline: new Date(deadline).toISOString(),
        ...(timeZone !== undefined ? { deadlineTimeZone: timeZone } : {}),
        deadlineVersion: state.deadlineVersion + 1,
        request,
        justification: justification as string,
        unverifiedYears,
      },
    ],
  };
}

function decideWithdraw(state: ConsultationState, c: WithdrawCommand, ctx: DecideContext): Decision {
  const auth = authorizeManager(state.participants, managingCountries(state, ctx.now), c.actor);
  if (!auth.ok) return auth;
  if (state.stage === 'member_consultation' && !(ctx.now.getTime() < deadlineMs(state))) {
    return refuse('deadline_passed', { deadline: state.deadline ?? '' });
  }
  const reason = checkReason(c.reason, false);
  if (isRefusal(reason)) return reason;
  return {
    ok: true,
    events: [
      {
        type: 'consultation_withdrawn',
        consultationId: state.consultationId,
        at: ctx.now.toISOString(),
        actor: auth.actor,
        ...(reason !== undefined ? { reason } : {}),
        fromStage: state.stage,
        outcome: 'withdrawn',
      },
    ],
  };
}

function decideClose(state: ConsultationState, c: CloseCommand, ctx: DecideContext): Decision {
  if (state.stage !== 'member_consultation') return refuse('wrong_stage', { stage: state.stage });
  const auth = authorizeSystem(c.actor);
  if (!auth.ok) return auth;
  if (ctx.now.getTime() < deadlineMs(state)) return refuse('deadline_not_reached', { deadline: state.deadline ?? '' });
  return { ok: true, events: [closedEvent(state, ctx, auth.actor, 'deadline')] };
}
