/**
 * The consultation's vocabulary: commands in, events out, the state they fold into, refusals as values.
 * Everything here is plain JSON (ISO strings for instants, no Date, no classes): events are stored in
 * PostgreSQL jsonb and replayed, and the state is stored as a snapshot.
 */
import type { CountryCode, Locale, PresidencyTerm } from '../directory/model.ts';
import type { BusinessCalendar, CalendarPolicy } from './calendar-port.ts';

/** ISO-8601 instant, as produced by `Date.prototype.toISOString()` (UTC, `Z`). */
export type IsoInstant = string;

export type Platform = 'slack' | 'teams' | 'cli' | 'console' | 'email' | 'system';

// ---------------------------------------------------------------------------------------------- actors

/** Who issues a command, as identified by the adapter against the live directory. */
export interface CommandActor {
  /** Stable person id (the directory's `Person.id`: the lower-cased e-mail), or `system`. */
  personId: string;
  name: string;
  platform: Platform;
  /** ST staff, per the live directory. */
  isStaff: boolean;
  /** The country the person is a focal point of, per the live directory (informative only: authority
   *  for focal-point actions is checked against the consultation's frozen participants). */
  country?: CountryCode;
}

export type ActorRole = 'staff' | 'focal_point' | 'system';

/** Who acted, as recorded in every event: the audit record (who, for which country, when, where). */
export interface EventActor {
  personId: string;
  name: string;
  platform: Platform;
  /** The country the person acted for (focal points only). */
  country?: CountryCode;
  role: ActorRole;
}

// -------------------------------------------------------------------------------------- participants

export interface ParticipantFocalPoint {
  personId: string;
  name: string;
  locale: Locale;
  timezone: string;
}

export interface ParticipantMember {
  code: CountryCode;
  focalPoints: ParticipantFocalPoint[];
}

/** Snapshot of the directory taken by the shell at `start` and frozen on the consultation. */
export interface Participants {
  /** Every Member Country of the body (from the directory), each with its focal points (possibly none). Never observers. */
  members: ParticipantMember[];
  presidencies: PresidencyTerm[];
  /** IANA zone of the ST's seat: "today" (for the PPT in office and the Troika) is a date there. */
  secretariatTimeZone: string;
  /** The body consulted (the directory's `body:`); absent on consultations started before it was frozen: the CRM. */
  body?: { code: string; name: { es: string; en: string } };
}

// ---------------------------------------------------------------------------------------- vocabulary

export type Stage =
  | 'draft'
  | 'troika_review'
  | 'member_consultation'
  | 'closed'
  | 'withdrawn'
  | 'not_endorsed';

export const TERMINAL_STAGES: readonly Stage[] = ['closed', 'withdrawn', 'not_endorsed'];

/**
 * What a consultation is for: a special consultation (PPT → Troika → Member Countries), or the adoption of
 * a meeting's end-of-meeting summary by the Member Countries only, with no Troika stage (§2.1 e; issue 11).
 */
export const CONSULTATION_KINDS = ['special', 'meeting_summary'] as const;
export type ConsultationKind = (typeof CONSULTATION_KINDS)[number];

export type DecisionRule = 'explicit' | 'silence';
export type TroikaReaction = 'approve' | 'request_changes' | 'object';
export type Position = 'support' | 'object' | 'abstain';
export type Outcome = 'consensus' | 'no_consensus' | 'incomplete' | 'not_endorsed' | 'withdrawn';
export type CloseReason = 'deadline' | 'all_answered';

export type DeadlineRequest =
  | { kind: 'business_days'; days: number }
  | { kind: 'explicit'; at: IsoInstant };

/** The same title and text in the other official language, given by the author (part of the version). */
export interface TextTranslation {
  locale: Locale;
  title: string;
  text: string;
}

/**
 * An immutable text version. `hash` is the sha256 hex of the canonical form of title+text and, when
 * present, the original's language and the translation (text-version.ts): both languages are part of it.
 */
export interface TextVersion {
  number: number;
  hash: string;
  /** Title and text as the author wrote them (the original). */
  title: string;
  text: string;
  /** Language of the original; absent on versions recorded before bilingual texts. */
  locale?: Locale;
  /** The text in the other official language, when the author gave one. */
  translation?: TextTranslation;
  at: IsoInstant;
  by: EventActor;
}

/** Who sees the other Member Countries' answers before the close (policy; default `at_close`). The ST
 *  and the PPT always see each answer as it comes; members see their own country's answer always. */
export type PositionsVisibility = 'at_close' | 'live';

/** The Troika frozen on the consultation when the proposal is sent. */
export interface FrozenTroika {
  previous?: CountryCode;
  current: CountryCode;
  next?: CountryCode;
  countries: CountryCode[];
  /** True when the incoming PPT was not designated: the Troika has two countries. */
  incomplete: boolean;
  /** The PPT that presents the text; it approves every current version implicitly. */
  authorCountry: CountryCode;
  /** The roster date (YYYY-MM-DD, secretariat zone) the Troika was derived for. */
  asOf: string;
}

export interface TroikaReactionRecord {
  country: CountryCode;
  reaction: TroikaReaction;
  /** Hash of the text version reacted to. */
  version: string;
  reason?: string;
  /** True for the author country's implicit approval (no person acted). */
  implicit?: boolean;
  at: IsoInstant;
  by: EventActor;
}

export interface PositionRecord {
  country: CountryCode;
  position: Position;
  /** Hash of the text version answered. */
  version: string;
  reason?: string;
  at: IsoInstant;
  by: EventActor;
}

export interface DeadlineChange {
  at: IsoInstant;
  by: EventActor;
  from: IsoInstant;
  to: IsoInstant;
  request: DeadlineRequest;
  justification: string;
}

// ------------------------------------------------------------------------------------------ commands

interface CommandBase {
  consultationId: string;
  actor: CommandActor;
}

export interface StartCommand extends CommandBase {
  type: 'start';
  /** Human reference assigned by the shell, e.g. `CRM-2026-003`. */
  reference: string;
  title: string;
  text: string;
  /** Language of title/text (default: the actor's locale, set by the shell). */
  locale?: Locale;
  /** The text in the other official language (optional; its locale must differ from `locale`). */
  translation?: TextTranslation;
  deadline: DeadlineRequest;
  justification?: string;
  /** Default `at_close`. */
  positionsVisibility?: PositionsVisibility;
  /** Default `explicit`. */
  rule?: DecisionRule;
  /** Default `secretariat`. */
  calendarPolicy?: CalendarPolicy;
  /** Default true. */
  closeEarly?: boolean;
  participants: Participants;
  /** Reference of a not-endorsed consultation this one resends (checked by the shell). */
  supersedes?: string;
  /** Default `special`. `meeting_summary`: no Troika stage; sending opens the member stage at once. */
  kind?: ConsultationKind;
  /** For `meeting_summary`: the meeting's reference (MTG-YYYY-NNN), required. */
  meetingReference?: string;
}

export interface SendToTroikaCommand extends CommandBase {
  type: 'sendToTroika';
}

export interface ReactTroikaCommand extends CommandBase {
  type: 'reactTroika';
  /** Hash of the text version the reaction answers. */
  version: string;
  reaction: TroikaReaction;
  reason?: string;
  /** Needed only when the person is a focal point of more than one Troika country. */
  country?: CountryCode;
}

export interface ReviseCommand extends CommandBase {
  type: 'revise';
  text: string;
  title?: string;
  locale?: Locale;
  translation?: TextTranslation;
}

export interface RecordPositionCommand extends CommandBase {
  type: 'recordPosition';
  country: CountryCode;
  position: Position;
  reason?: string;
  version: string;
}

export interface ExtendCommand extends CommandBase {
  type: 'extend';
  /** `business_days` counts from the original circulation day. */
  deadline: DeadlineRequest;
  justification: string;
}

export interface WithdrawCommand extends CommandBase {
  type: 'withdraw';
  reason?: string;
}

export interface CloseCommand extends CommandBase {
  type: 'close';
}

export type Command =
  | StartCommand
  | SendToTroikaCommand
  | ReactTroikaCommand
  | ReviseCommand
  | RecordPositionCommand
  | ExtendCommand
  | WithdrawCommand
  | CloseCommand;

export type CommandType = Command['type'];
export const COMMAND_TYPES: readonly CommandType[] = [
  'start',
  'sendToTroika',
  'reactTroika',
  'revise',
  'recordPosition',
  'extend',
  'withdraw',
  'close',
];

// -------------------------------------------------------------------------------------------- events

interface EventBase {
  consultationId: string;
  at: IsoInstant;
  actor: EventActor;
}

export interface ConsultationStartedEvent extends EventBase {
  type: 'consultation_started';
  reference: string;
  /** Version 1 of the text. */
  version: { number: 1; hash: string; title: string; text: string; locale?: Locale; translation?: TextTranslation };
  deadlineRequest: DeadlineRequest;
  justification?: string;
  /** Absent on consultations recorded before the setting existed: `at_close`. */
  positionsVisibility?: PositionsVisibility;
  rule: DecisionRule;
  calendarPolicy: CalendarPolicy;
  closeEarly: boolean;
  participants: Participants;
  /** The PPT in office when the consultation was started (secretariat date), if any. */
  pptCountry?: CountryCode;
  supersedes?: string;
  /** Absent on special consultations (and on every consultation recorded before kinds existed). */
  kind?: ConsultationKind;
  meetingReference?: string;
}

export interface TextRevisedEvent extends EventBase {
  type: 'text_revised';
  version: { number: number; hash: string; title: string; text: string; locale?: Locale; translation?: TextTranslation };
}

export interface SentToTroikaEvent extends EventBase {
  type: 'sent_to_troika';
  troika: FrozenTroika;
  /** Hash of the version sent. */
  version: string;
}

export interface TroikaReactedEvent extends EventBase {
  type: 'troika_reacted';
  country: CountryCode;
  reaction: TroikaReaction;
  version: string;
  reason?: string;
}

export interface ConsultationNotEndorsedEvent extends EventBase {
  type: 'consultation_not_endorsed';
  /** The Troika country that objected. */
  country: CountryCode;
  reason: string;
  version: string;
  outcome: 'not_endorsed';
}

export interface MemberConsultationOpenedEvent extends EventBase {
  type: 'member_consultation_opened';
  /** Hash of the version circulated to all Member Countries. */
  version: string;
  deadline: IsoInstant;
  deadlineTimeZone?: string;
  deadlineVersion: number;
  /** What produced the deadline (after any fallback). */
  deadlineRequest: DeadlineRequest;
  /** The explicit deadline had passed: the default 5 business days were used instead. */
  deadlineFallback?: boolean;
  unverifiedYears: number[];
}

export interface PositionRecordedEvent extends EventBase {
  type: 'position_recorded';
  country: CountryCode;
  position: Position;
  version: string;
  reason?: string;
}

export interface DeadlineExtendedEvent extends EventBase {
  type: 'deadline_extended';
  previousDeadline: IsoInstant;
  deadline: IsoInstant;
  deadlineTimeZone?: string;
  deadlineVersion: number;
  request: DeadlineRequest;
  justification: string;
  unverifiedYears: number[];
}

export interface ConsultationWithdrawnEvent extends EventBase {
  type: 'consultation_withdrawn';
  reason?: string;
  /** Stage the consultation was in when withdrawn. */
  fromStage: Stage;
  outcome: 'withdrawn';
}

export interface ConsultationClosedEvent extends EventBase {
  type: 'consultation_closed';
  reason: CloseReason;
  outcome: 'consensus' | 'no_consensus' | 'incomplete';
  /** Each Member Country's final position, `none` when it did not answer. */
  positions: Record<CountryCode, Position | 'none'>;
  /** Member Countries that did not answer. */
  missing: CountryCode[];
}

export type ConsultationEvent =
  | ConsultationStartedEvent
  | TextRevisedEvent
  | SentToTroikaEvent
  | TroikaReactedEvent
  | ConsultationNotEndorsedEvent
  | MemberConsultationOpenedEvent
  | PositionRecordedEvent
  | DeadlineExtendedEvent
  | ConsultationWithdrawnEvent
  | ConsultationClosedEvent;

export type ConsultationEventType = ConsultationEvent['type'];
export const EVENT_TYPES: readonly ConsultationEventType[] = [
  'consultation_started',
  'text_revised',
  'sent_to_troika',
  'troika_reacted',
  'consultation_not_endorsed',
  'member_consultation_opened',
  'position_recorded',
  'deadline_extended',
  'consultation_withdrawn',
  'consultation_closed',
];

// --------------------------------------------------------------------------------------------- state

export interface ConsultationState {
  consultationId: string;
  reference: string;
  /** Title and text of the current version. */
  title: string;
  text: string;
  versions: TextVersion[];
  /** Hash of the current text version. */
  currentVersion: string;
  stage: Stage;
  rule: DecisionRule;
  calendarPolicy: CalendarPolicy;
  closeEarly: boolean;
  participants: Participants;
  deadlineRequest: DeadlineRequest;
  /** Justification given at start for a short or explicit deadline. */
  justification?: string;
  positionsVisibility: PositionsVisibility;
  supersedes?: string;
  /** PPT in office at start; replaced by the Troika's author country when sent. */
  pptCountry?: CountryCode;
  /** `meeting_summary`: the Member Countries adopt a meeting's summary, with no Troika stage. Absent: special. */
  kind?: ConsultationKind;
  /** The meeting whose summary this is (kind `meeting_summary`). */
  meetingReference?: string;
  createdAt: IsoInstant;
  createdBy: EventActor;

  troika?: FrozenTroika;
  sentToTroikaAt?: IsoInstant;
  /** Latest reaction of each Troika country on the CURRENT version (emptied by a revision). */
  troikaReactions: Record<CountryCode, TroikaReactionRecord>;
  /** Every Troika reaction ever given, implicit ones included, oldest first. */
  troikaHistory: TroikaReactionRecord[];

  circulatedAt?: IsoInstant;
  circulatedVersion?: string;
  deadline?: IsoInstant;
  deadlineTimeZone?: string;
  /** 0 before the member stage; 1 when it opens; +1 on each extension. Deadline jobs carry it. */
  deadlineVersion: number;
  deadlineFallback?: boolean;
  unverifiedYears: number[];
  extensions: DeadlineChange[];

  /** Latest position of each Member Country. */
  positions: Record<CountryCode, PositionRecord>;
  /** Every position ever recorded, oldest first. */
  positionHistory: PositionRecord[];

  closedAt?: IsoInstant;
  closedBy?: EventActor;
  closeReason?: CloseReason;
  outcome?: Outcome;
  /** Reason given when withdrawn, or the objecting country's reason when not endorsed. */
  endReason?: string;

  /** Number of events applied; the store uses it for optimistic concurrency. */
  version: number;
}

// -------------------------------------------------------------------------------------- decisions

export type RefusalCode =
  | 'invalid_command'
  | 'invalid_time'
  | 'not_found'
  | 'already_exists'
  | 'consultation_mismatch'
  | 'consultation_closed'
  | 'wrong_stage'
  | 'not_authorized'
  | 'not_troika_member'
  /** The PPT's country presents the text and approves it as its author: it does not react. */
  | 'author_country'
  | 'country_ambiguous'
  | 'not_member_country'
  | 'not_focal_point_of_country'
  | 'invalid_participants'
  | 'invalid_calendar_policy'
  | 'reference_required'
  | 'title_required'
  | 'title_too_long'
  | 'text_required'
  | 'text_too_long'
  | 'text_unchanged'
  | 'invalid_days'
  | 'invalid_deadline'
  | 'justification_required'
  | 'justification_too_long'
  | 'reason_required'
  | 'reason_too_long'
  | 'deadline_in_past'
  | 'deadline_passed'
  | 'deadline_not_later'
  | 'deadline_not_reached'
  | 'stale_version'
  /** The same decision is already the country's current record on the current text: nothing changes. */
  | 'already_recorded'
  | 'no_presidency'
  | 'calendar_mismatch'
  | 'calendar_error'
  /** A bug: decide caught an exception. Never expected; log it. */
  | 'internal_error';

export const REFUSAL_CODES: readonly RefusalCode[] = [
  'invalid_command',
  'invalid_time',
  'not_found',
  'already_exists',
  'consultation_mismatch',
  'consultation_closed',
  'wrong_stage',
  'not_authorized',
  'not_troika_member',
  'author_country',
  'country_ambiguous',
  'not_member_country',
  'not_focal_point_of_country',
  'invalid_participants',
  'invalid_calendar_policy',
  'reference_required',
  'title_required',
  'title_too_long',
  'text_required',
  'text_too_long',
  'text_unchanged',
  'invalid_days',
  'invalid_deadline',
  'justification_required',
  'justification_too_long',
  'reason_required',
  'reason_too_long',
  'deadline_in_past',
  'deadline_passed',
  'deadline_not_later',
  'deadline_not_reached',
  'stale_version',
  'already_recorded',
  'no_presidency',
  'calendar_mismatch',
  'calendar_error',
  'internal_error',
];

export interface Refusal {
  ok: false;
  code: RefusalCode;
  detail?: Record<string, string | number>;
}

export type Decision = { ok: true; events: ConsultationEvent[] } | Refusal;

export interface DecideContext {
  now: Date;
  /** The business calendar of the consultation's `calendarPolicy`. */
  calendar: BusinessCalendar;
}

/** Limits applied by `decide` (exported so forms can show them). */
export const LIMITS = {
  titleMax: 200,
  textMax: 20_000,
  reasonMax: 2_000,
  justificationMax: 2_000,
  daysMin: 1,
  daysMax: 60,
  /** Below this many business days a justification is required (policy). */
  daysWithoutJustification: 5,
  defaultDays: 5,
} as const;
