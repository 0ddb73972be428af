/**
 * Who may take part in which segment of which meeting: a rule with a reason, never a habit (shared/
 * domain.md "Kinds of meeting and their segments", §2.1, §2.2, §3.1, §4, §7.3, §7.4). Pure.
 *
 *  - Vice-Ministerial `plenary`: Member Countries' delegations, observer countries and organisations,
 *    RROCM (the dialogue with civil society), the PPT's special invitees, the ST.
 *  - Vice-Ministerial `closed_door`: each Member Country's Vice-Minister with at most two senior
 *    officials; the ST coordinator only as adviser, when the PPT asks. Nobody else.
 *  - GRCM `main`: Member Countries' migration directors and consular heads (role `grcm_delegate`) and
 *    the networks' liaison officers; observers and RROCM in the open agenda; special invitees; the ST.
 *  - Networks `deliberation` (confidential): that network's member liaison officers only (both
 *    networks' for a joint meeting). `hearing` (the consular network's, and a joint meeting's): RROCM's
 *    slot, heard by the network's liaison officers; never part of the deliberation.
 *  - Ad-hoc groups `main`: the group's own membership (countries and organisations), and the ST.
 *  - Workshops `main`: anyone in the directory the PPT invites, civil society included.
 *  - A special invitee (organisation of kind `invitee`) is invited to one event at a time: not while it
 *    is invited to another meeting that has not ended.
 */
import type { CountryCode, Directory, MeetingRole } from '../../directory/model.ts';
import { representing, type Party, partyOf } from './parties.ts';
import type { CivilDate, Eligibility, EligibilityBasis, IneligibleCode, Invitation, Meeting, MeetingKind, Segment } from './types.ts';

/** The segments each kind of meeting has, in order. */
export const SEGMENTS_BY_KIND: Readonly<Record<MeetingKind, readonly Segment[]>> = {
  vice_ministerial: ['plenary', 'closed_door'],
  grcm: ['main'],
  network_trafficking: ['deliberation'],
  network_consular: ['deliberation', 'hearing'],
  networks_joint: ['deliberation', 'hearing'],
  ad_hoc: ['main'],
  workshop: ['main'],
};

/** The closed-door limit: one Vice-Minister and at most this many senior officials per Member Country. */
export const CLOSED_DOOR_SENIOR_OFFICIALS = 2;

export interface EligibilityContext {
  directory: Directory;
  meeting: Meeting;
  /** This meeting's invitations so far. */
  invitations: readonly Invitation[];
  /** Other meetings' invitations of special invitees, with each meeting's reference and last day. */
  inviteeEngagements?: readonly { reference: string; end: CivilDate; organization: string }[];
  /** Today (the ST's zone), for "one event at a time". */
  today: CivilDate;
}

export interface InviteRequest {
  email: string;
  segment: Segment;
  /** The PPT asks the ST coordinator to take part as adviser (closed-door session only). */
  adviser?: boolean;
}

export type InviteDecision =
  | { ok: true; invitation: Invitation }
  | { ok: false; code: IneligibleCode; detail?: Record<string, string | number> };

const ok = (basis: EligibilityBasis): Eligibility => ({ ok: true, basis });
const no = (code: IneligibleCode, detail?: Record<string, string | number>): Eligibility =>
  detail ? { ok: false, code, detail } : { ok: false, code };

/** The liaison roles that admit to a network's deliberation. */
export function networkRoles(kind: MeetingKind): readonly MeetingRole[] {
  if (kind === 'network_trafficking') return ['liaison_trafficking'];
  if (kind === 'network_consular') return ['liaison_consular'];
  if (kind === 'networks_joint') return ['liaison_trafficking', 'liaison_consular'];
  return [];
}

/** Standing participants outside the Member Countries, by what they are (plenary, GRCM, workshop). */
function nonMember(p: Exclude<Party, { kind: 'member' }>): Eligibility {
  if (p.kind === 'observer_country') return ok('observer_country');
  if (p.kind === 'secretariat') return ok('secretariat');
  if (p.organizationKind === 'observer') return ok('observer_organization');
  if (p.organizationKind === 'civil-society') return ok('civil_society');
  return ok('special_invitee');
}

function closedDoor(ctx: EligibilityContext, p: Party, adviser: boolean): Eligibility {
  if (p.kind === 'secretariat' && p.coordinator) return adviser ? ok('coordinator_adviser') : no('coordinator_not_requested');
  if (p.kind !== 'member') return no('closed_door_members_only');
  // A declined invitation frees its seat: the country may invite someone else in that person's place.
  const mine = ctx.invitations.filter((i) => i.segment === 'closed_door' && i.country === p.country && i.response !== 'decline');
  const viceMinister = mine.find((i) => i.basis === 'vice_minister');
  const seniors = mine.filter((i) => i.basis === 'senior_official').length;
  const asSenior = (): Eligibility =>
    seniors >= CLOSED_DOOR_SENIOR_OFFICIALS
      ? no('closed_door_delegation_full', { country: p.country, max: CLOSED_DOOR_SENIOR_OFFICIALS })
      : ok('senior_official');
  if (p.roles.includes('vice_minister')) {
    if (!viceMinister) return ok('vice_minister');
    return p.roles.includes('senior_official') ? asSenior() : no('closed_door_vice_minister_present', { country: p.country, name: viceMinister.name });
  }
  if (p.roles.includes('senior_official')) return asSenior();
  return no('closed_door_role_required');
}

function grcm(p: Party): Eligibility {
  if (p.kind !== 'member') return nonMember(p);
  if (p.roles.includes('grcm_delegate')) return ok('grcm_delegate');
  if (p.roles.includes('liaison_trafficking') || p.roles.includes('liaison_consular')) return ok('liaison_officer');
  return no('grcm_role_required');
}

function isLiaison(p: Party, kind: MeetingKind): boolean {
  return p.kind === 'member' && networkRoles(kind).some((r) => p.roles.includes(r));
}

function adHocMembers(ctx: EligibilityContext): readonly string[] {
  return ctx.meeting.members ?? ctx.directory.countries.filter((c) => c.status === 'member').map((c) => c.code);
}

/** The segment's rule for this party, before the checks that depend on other invitations elsewhere. */
function rule(ctx: EligibilityContext, p: Party, segment: Segment, adviser: boolean): Eligibility {
  const kind = ctx.meeting.kind;
  switch (kind) {
    case 'vice_ministerial':
      if (segment === 'closed_door') return closedDoor(ctx, p, adviser);
      return p.kind === 'member' ? ok('member_delegation') : nonMember(p);
    case 'grcm':
      return grcm(p);
    case 'network_trafficking':
    case 'network_consular':
    case 'networks_joint':
      if (isLiaison(p, kind)) return ok('liaison_officer');
      if (segment === 'hearing') {
        return p.kind === 'organization' && p.organizationKind === 'civil-society' ? ok('civil_society') : no('hearing_civil_society_only');
      }
      return no('network_liaison_only');
    case 'ad_hoc': {
      if (p.kind === 'secretariat') return ok('secretariat');
      const code = p.kind === 'organization' ? p.organization : p.country;
      return adHocMembers(ctx).includes(code) ? ok('ad_hoc_member') : no('not_in_ad_hoc_group', { members: adHocMembers(ctx).join(', ') });
    }
    case 'workshop':
      return p.kind === 'member' ? ok('member_delegation') : nonMember(p);
  }
}

/** May `party` take part in `segment` of the context's meeting? Every answer names its rule or its reason. */
export function eligibility(ctx: EligibilityContext, party: Party | undefined, segment: Segment, adviser = false): Eligibility {
  if (!SEGMENTS_BY_KIND[ctx.meeting.kind].includes(segment) || !ctx.meeting.segments.includes(segment)) {
    return no('segment_not_in_meeting', { segments: ctx.meeting.segments.join(', ') });
  }
  if (!party) return no('not_in_directory');
  if (ctx.invitations.some((i) => i.segment === segment && i.personId === party.person.id)) return no('already_invited');
  const verdict = rule(ctx, party, segment, adviser);
  if (!verdict.ok) return verdict;
  if (party.kind === 'organization' && party.organizationKind === 'invitee') {
    const busy = (ctx.inviteeEngagements ?? []).find(
      (e) => e.organization === party.organization && e.reference !== ctx.meeting.reference && e.end >= ctx.today,
    );
    if (busy) return no('invitee_other_event', { reference: busy.reference });
  }
  return verdict;
}

/** An invitation for one person to one segment, or the reason it is refused (nothing to record then). */
export function decideInvitation(ctx: EligibilityContext, request: InviteRequest): InviteDecision {
  const party = partyOf(ctx.directory, request.email);
  const verdict = eligibility(ctx, party, request.segment, request.adviser === true);
  if (!verdict.ok) return verdict;
  const p = party!;
  return {
    ok: true,
    invitation: {
      meetingId: ctx.meeting.id,
      segment: request.segment,
      personId: p.person.id,
      email: p.person.email,
      name: p.person.name,
      ...representing(p),
      basis: verdict.basis,
    },
  };
}

export type DelegationDecision =
  | { ok: true; invitations: Invitation[] }
  | { ok: false; refusals: { email: string; segment: Segment; code: IneligibleCode | 'other_country'; detail?: Record<string, string | number> }[] };

/**
 * A Member Country's whole delegation at once (the `meeting_delegation` form): every person must be of
 * that country and eligible, counted together (the closed-door limit applies to the delegation as a
 * whole). All or nothing: one refusal and nothing is recorded.
 */
export function decideDelegation(ctx: EligibilityContext, country: CountryCode, requests: readonly InviteRequest[]): DelegationDecision {
  const accepted: Invitation[] = [];
  const refusals: Extract<DelegationDecision, { ok: false }>['refusals'] = [];
  for (const r of requests) {
    const party = partyOf(ctx.directory, r.email);
    if (party && (party.kind !== 'member' || party.country !== country)) {
      refusals.push({ email: r.email, segment: r.segment, code: 'other_country', detail: { country } });
      continue;
    }
    const d = decideInvitation({ ...ctx, invitations: [...ctx.invitations, ...accepted] }, r);
    if (d.ok) accepted.push(d.invitation);
    else refusals.push({ email: r.email, segment: r.segment, code: d.code, ...(d.detail ? { detail: d.detail } : {}) });
  }
  return refusals.length > 0 ? { ok: false, refusals } : { ok: true, invitations: accepted };
}

/** A country's delegation to a meeting: its invitations, by segment. */
export function delegationOf(invitations: readonly Invitation[], country: CountryCode): Partial<Record<Segment, Invitation[]>> {
  const out: Partial<Record<Segment, Invitation[]>> = {};
  for (const i of invitations) if (i.country === country) (out[i.segment] ??= []).push(i);
  return out;
}
