/**
 * Meetings of the CRM (shared/domain.md "Meetings", from §2–§4, §6–§8 of the source): kinds, segments,
 * invitations, duties and warnings. Pure data; every name here is the public one of shared/interfaces.md
 * "Meetings" (kinds, segments, duty names, warning codes).
 */
import type { CountryCode } from '../../directory/model.ts';

export const MEETING_KINDS = [
  'vice_ministerial',
  'grcm',
  'network_trafficking',
  'network_consular',
  'networks_joint',
  'ad_hoc',
  'workshop',
] as const;
export type MeetingKind = (typeof MEETING_KINDS)[number];

export const NETWORK_KINDS: readonly MeetingKind[] = ['network_trafficking', 'network_consular', 'networks_joint'];
export const isNetworkKind = (k: MeetingKind): boolean => NETWORK_KINDS.includes(k);

export const SEGMENTS = ['plenary', 'closed_door', 'deliberation', 'hearing', 'main'] as const;
export type Segment = (typeof SEGMENTS)[number];

export const DUTY_NAMES = [
  'st_operational_financial_report',
  'st_budget_report',
  'observer_reports',
  'draft_declaration_action_plan',
  'plenary_agenda',
  'meeting_summary',
  'coordinator_evaluation',
  'coordinator_vacancy_notice',
] as const;
export type DutyName = (typeof DUTY_NAMES)[number];

export type DutyState = 'open' | 'done' | 'late';

export const WARNING_CODES = ['vice_ministerial_not_in_november', 'vice_ministerial_not_in_ppt_country', 'network_not_before_grcm'] as const;
export type WarningCode = (typeof WARNING_CODES)[number];

/** The items a Vice-Ministerial plenary agenda must hold at least (§2.1). Others may be added freely. */
export const REQUIRED_PLENARY_ITEMS = ['ppt_report', 'opening_statements', 'civil_society_dialogue'] as const;
export type RequiredPlenaryItem = (typeof REQUIRED_PLENARY_ITEMS)[number];

/** A civil date, YYYY-MM-DD. */
export type CivilDate = string;
/** A local wall-clock time, HH:MM. */
export type WallTime = string;

export interface Meeting {
  /** A UUID chosen by the caller. */
  id: string;
  /** Human reference, e.g. MTG-2026-004. */
  reference: string;
  kind: MeetingKind;
  title: string;
  start: CivilDate;
  end: CivilDate;
  /** Local time the meeting opens on `start` and closes on `end`, in the venue's zone. */
  startTime: WallTime;
  endTime: WallTime;
  city?: string;
  /** The host country (ISO2): by default the PPT's on the start date. */
  country: CountryCode;
  /** IANA zone of the venue: by default the host country's zone in the directory. */
  timezone: string;
  segments: Segment[];
  /**
   * Ad-hoc groups: the group's own membership (country and organisation codes), which may be a subset of
   * the Member Countries (§4). Absent for every other kind; for an ad-hoc group, absent means all members.
   */
  members?: string[];
  /** The plenary agenda's items (codes of REQUIRED_PLENARY_ITEMS and free items), once recorded. */
  agenda?: string[];
  /** When it was recorded (ISO instant): reminders planned for before this are not missed ones. */
  createdAt: string;
}

/** Why a person may take part in a segment (every admission names its rule). */
export type EligibilityBasis =
  | 'vice_minister'
  | 'senior_official'
  | 'coordinator_adviser'
  | 'member_delegation'
  | 'grcm_delegate'
  | 'liaison_officer'
  | 'observer_country'
  | 'observer_organization'
  | 'civil_society'
  | 'special_invitee'
  | 'ad_hoc_member'
  | 'secretariat';

/** Why a person may not take part in a segment: a coded reason, turned into a sentence at the edge. */
export const INELIGIBLE_CODES = [
  'segment_not_in_meeting',
  'not_in_directory',
  'already_invited',
  'closed_door_role_required',
  'closed_door_vice_minister_present',
  'closed_door_delegation_full',
  'closed_door_members_only',
  'coordinator_not_requested',
  'grcm_role_required',
  'network_liaison_only',
  'hearing_civil_society_only',
  'not_in_ad_hoc_group',
  'invitee_other_event',
] as const;
export type IneligibleCode = (typeof INELIGIBLE_CODES)[number];

export type Eligibility =
  | { ok: true; basis: EligibilityBasis }
  | { ok: false; code: IneligibleCode; detail?: Record<string, string | number> };

export interface Invitation {
  meetingId: string;
  segment: Segment;
  /** The person's id (e-mail, lower-cased). */
  personId: string;
  email: string;
  name: string;
  /** The country the person represents, when a country's. */
  country?: CountryCode;
  /** The organisation the person represents, when an organisation's. */
  organization?: string;
  basis: EligibilityBasis;
  /** The person's answer to the invitation card (`meeting_attend` / `meeting_decline`), once given. */
  response?: InvitationResponse;
  /** When they answered (ISO instant). */
  respondedAt?: string;
}

/** What an invitee answers: they will attend, or they decline. */
export type InvitationResponse = 'attend' | 'decline';

/** The owner of a duty: the ST, the PPT, or a country or organisation code. */
export type DutyOwner = string;

export interface Duty {
  /** Stable identity: `<meeting reference>/<duty>/<owner>`, or `coordinator/<contract start>/<duty>/PPT`. */
  id: string;
  duty: DutyName;
  /** The meeting's reference, when the duty belongs to one. */
  meeting?: string;
  owner: DutyOwner;
  /** For `owner: PPT`: the country holding the PPT that owes it (the meeting's, else the due date's). */
  pptCountry?: CountryCode;
  due: CivilDate;
}

export interface TrackedDuty extends Duty {
  state: DutyState;
}

export interface MeetingWarning {
  code: WarningCode;
  detail: Record<string, string | number>;
}
