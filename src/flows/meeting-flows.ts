/**
 * Meetings use cases, shared by the CLI now and the chat forms later: add a meeting, read meetings with
 * their invitees, duties and warnings, invite one person to one segment, record the plenary agenda, list
 * the duties and record one as done. The domain decides (src/domain/meetings); this file loads, decides,
 * saves. "Today" is the date in the ST's zone.
 */
import { createHash } from 'node:crypto';
import { localDate } from '../calendar/index.ts';
import {
  decideDelegation,
  decideDutyDone,
  dutyId,
  decideInvitation,
  decideResponse,
  deriveDuties,
  meetingWarnings,
  newMeeting,
  trackDuties,
  type Duty,
  type DutyDoneDecision,
  type DutyPolicy,
  type InviteDecision,
  type InviteRequest,
  type Invitation,
  type Meeting,
  type MeetingKind,
  type MeetingWarning,
  type NewMeetingDecision,
  type TrackedDuty,
  type DelegationDecision,
  type InvitationResponse,
  type ResponseDecision,
  type Segment,
} from '../domain/meetings/index.ts';
import { t } from '../i18n/index.ts';
import { invitationOutbox } from '../messages/meeting-invitation.ts';
import type { MeetingStore } from '../store/meeting-store.ts';
import type { Clock, DirectorySource, FlowDeps } from './ports.ts';
import type { CommandActor } from '../domain/types.ts';
import type { Locale } from '../directory/model.ts';
import { startConsultation } from './consultation-flows.ts';
import type { FlowResult } from './execute.ts';

export interface MeetingDeps {
  meetings: MeetingStore;
  directory: DirectorySource;
  clock: Clock;
  newId(): string;
  /** Lead times of the duties marked (policy) in domain.md. */
  dutyPolicy?: Partial<DutyPolicy>;
  /**
   * Queues the delivery of outbox rows just written (the invitation card and its calendar file). Without
   * it (the CLI) the rows wait for the reconcile job, which queues every pending row.
   */
  enqueueDeliveries?: (outboxIds: readonly string[]) => Promise<void>;
  /** E-mail is configured (SMTP_URL): people without a chat account get their invitation by e-mail. */
  emailInvitations?: boolean;
}

export interface MeetingView {
  meeting: Meeting;
  invitations: Invitation[];
  duties: TrackedDuty[];
  warnings: MeetingWarning[];
}

export interface NewMeetingRequest {
  kind: MeetingKind;
  start: string;
  end: string;
  city?: string;
  country?: string;
  title?: string;
  timezone?: string;
  startTime?: string;
  endTime?: string;
  members?: string[];
  /**
   * Idempotency key of the request (a chat form's submission): the meeting's id is derived from it, so the
   * same submission delivered again (a platform's retry, a replay from an adapter's inbox after a crash)
   * finds the meeting it already recorded instead of recording a second one.
   */
  key?: string;
}

/** The meeting id a request key stands for: a UUID-shaped digest, the same for the same key. */
export function meetingIdForKey(key: string): string {
  const h = createHash('sha256').update(`meeting:${key}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Today in the ST's zone. */
export function today(deps: Pick<MeetingDeps, 'clock' | 'directory'>): string {
  return localDate(deps.clock.now(), deps.directory.current().secretariat.timezone);
}

/** Everything recorded, with every duty derived and tracked (the jobs' re-check reads this too). */
export async function meetingsSnapshot(deps: Pick<MeetingDeps, 'meetings' | 'directory' | 'clock' | 'dutyPolicy'>) {
  const directory = deps.directory.current();
  const [meetings, invitations, done] = await Promise.all([deps.meetings.list(), deps.meetings.invitations(), deps.meetings.completedDutyIds()]);
  const duties = deriveDuties({ meetings, invitations, directory, ...(deps.dutyPolicy ? { policy: deps.dutyPolicy } : {}) });
  // A summary the Member Countries adopted (a `meeting_summary` consultation closed with consensus) is done.
  for (const c of await deps.meetings.summaryConsultations()) {
    if (c.outcome === 'consensus') done.add(dutyId(c.meetingReference, 'meeting_summary', 'PPT'));
  }
  return { directory, meetings, invitations, done, duties, tracked: trackDuties(duties, done, today(deps)) };
}

function viewOf(meeting: Meeting, s: Awaited<ReturnType<typeof meetingsSnapshot>>): MeetingView {
  return {
    meeting,
    invitations: s.invitations.filter((i) => i.meetingId === meeting.id),
    duties: s.tracked.filter((d) => d.meeting === meeting.reference),
    warnings: meetingWarnings(meeting, s.meetings, s.directory),
  };
}

export async function addMeeting(
  deps: MeetingDeps,
  request: NewMeetingRequest,
): Promise<{ ok: true; view: MeetingView; duplicate?: true } | Extract<NewMeetingDecision, { ok: false }>> {
  const id = request.key !== undefined ? meetingIdForKey(request.key) : deps.newId();
  const again = async () => {
    const seen = request.key !== undefined ? await deps.meetings.byId(id) : undefined;
    return seen ? { ok: true as const, view: viewOf(seen, await meetingsSnapshot(deps)), duplicate: true as const } : undefined;
  };
  const earlier = await again();
  if (earlier) return earlier;
  const directory = deps.directory.current();
  const l = directory.secretariat.locale;
  const title = request.title ?? t(l, 'meeting.default_title', { kind: t(l, `meeting.kind.${request.kind}`), year: request.start.slice(0, 4) });
  const decision = newMeeting(
    {
      id,
      reference: '',
      kind: request.kind,
      title,
      start: request.start,
      end: request.end,
      ...(request.city !== undefined ? { city: request.city } : {}),
      ...(request.country !== undefined ? { country: request.country } : {}),
      ...(request.timezone !== undefined ? { timezone: request.timezone } : {}),
      ...(request.startTime !== undefined ? { startTime: request.startTime } : {}),
      ...(request.endTime !== undefined ? { endTime: request.endTime } : {}),
      ...(request.members !== undefined ? { members: request.members } : {}),
      now: deps.clock.now().toISOString(),
    },
    directory,
  );
  if (!decision.ok) return decision;
  const { reference: _none, ...unnumbered } = decision.meeting;
  let stored: Meeting;
  try {
    stored = await deps.meetings.create(unnumbered);
  } catch (err) {
    // The same request recorded at the same moment by another delivery of it: that one's meeting.
    const raced = await again();
    if (raced) return raced;
    throw err;
  }
  return { ok: true, view: viewOf(stored, await meetingsSnapshot(deps)) };
}

export async function listMeetings(deps: MeetingDeps): Promise<MeetingView[]> {
  const s = await meetingsSnapshot(deps);
  return s.meetings.map((m) => viewOf(m, s));
}

export async function showMeeting(deps: MeetingDeps, reference: string): Promise<MeetingView | undefined> {
  const s = await meetingsSnapshot(deps);
  const m = s.meetings.find((x) => x.reference === reference);
  return m ? viewOf(m, s) : undefined;
}

/**
 * Decides and records one invitation, and in the same transaction writes what the invitee receives: the
 * invitation card (attend / decline) and the meeting's calendar file, in their language. A refusal
 * records and sends nothing.
 */
export async function inviteToMeeting(
  deps: MeetingDeps,
  reference: string,
  request: InviteRequest,
): Promise<(InviteDecision & { outboxIds?: string[] }) | { ok: false; code: 'meeting_not_found' }> {
  const directory = deps.directory.current();
  const day = today(deps);
  const decision = await deps.meetings.invite(
    reference,
    (view) =>
      decideInvitation(
        { directory, meeting: view.meeting, invitations: view.invitations, inviteeEngagements: view.inviteeEngagements, today: day },
        request,
      ),
    (invitation, meeting) => invitationOutbox(directory, meeting, invitation, { email: deps.emailInvitations === true }),
  );
  if (decision.ok && decision.outboxIds?.length && deps.enqueueDeliveries) {
    // Best effort: the rows are committed; the reconcile job queues any row still pending.
    await deps.enqueueDeliveries(decision.outboxIds).catch(() => undefined);
  }
  return decision;
}

/** The day of an instant in a meeting's venue zone: an invitation may be answered until the meeting's last day there. */
function venueToday(deps: Pick<MeetingDeps, 'clock'>, meeting: Meeting | undefined, fallbackZone: string): string {
  return localDate(deps.clock.now(), meeting?.timezone ?? fallbackZone);
}

/** An invitee's answer (the `meeting_attend` / `meeting_decline` buttons); a refusal records nothing. */
export async function respondToInvitation(
  deps: MeetingDeps,
  request: { meetingId: string; segment: Segment; personId: string; response: InvitationResponse },
): Promise<ResponseDecision & { meeting?: Meeting }> {
  const zone = deps.directory.current().secretariat.timezone;
  let seen: Meeting | undefined;
  const decision = await deps.meetings.respond(request.meetingId, (meeting, invitations) => {
    seen = meeting;
    return decideResponse(
      meeting,
      invitations,
      { personId: request.personId, segment: request.segment, response: request.response, at: deps.clock.now().toISOString() },
      venueToday(deps, meeting, zone),
    );
  });
  return { ...decision, ...(seen ? { meeting: seen } : {}) };
}

/** Records the plenary agenda's items (codes of the required items, and free items). */
export async function setAgenda(deps: MeetingDeps, reference: string, items: readonly string[]): Promise<Meeting | undefined> {
  return deps.meetings.setAgenda(reference, items);
}

export async function listDuties(deps: MeetingDeps, filter: { open?: boolean } = {}): Promise<TrackedDuty[]> {
  const { tracked } = await meetingsSnapshot(deps);
  return filter.open ? tracked.filter((d) => d.state !== 'done') : tracked;
}

/** The duty with this meeting reference (or none, for the vacancy notice), name and owner. */
export function findDuty(duties: readonly Duty[], key: { meeting?: string; duty: string; owner?: string }): Duty | undefined {
  const candidates = duties.filter(
    (d) => d.duty === key.duty && (d.meeting ?? '') === (key.meeting ?? '') && (key.owner === undefined || d.owner === key.owner),
  );
  return candidates.length === 1 ? candidates[0] : undefined;
}

export async function completeDuty(
  deps: MeetingDeps,
  key: { meeting?: string; duty: string; owner?: string },
  recordedBy: string,
): Promise<DutyDoneDecision & { duty?: Duty }> {
  const s = await meetingsSnapshot(deps);
  const duty = findDuty(s.duties, key);
  const meeting = key.meeting ? s.meetings.find((m) => m.reference === key.meeting) : undefined;
  if (!duty) return decideDutyDone(undefined, s.done, meeting);
  const decision = await deps.meetings.completeDuty(duty, recordedBy, (done) => decideDutyDone(duty, done, meeting));
  return { ...decision, duty };
}

/**
 * A Member Country's delegation, registered with the `meeting_delegation` form: every person checked
 * together (the closed-door limit counts the whole delegation), all or nothing; each invitee gets their
 * card and calendar file. A refusal lists every person refused with the reason, and records nothing.
 */
export async function registerDelegation(
  deps: MeetingDeps,
  request: { meetingId: string; country: string; people: readonly InviteRequest[] },
): Promise<(DelegationDecision & { outboxIds?: string[] }) | { ok: false; code: 'meeting_not_found' }> {
  const directory = deps.directory.current();
  const day = today(deps);
  const decision = await deps.meetings.inviteMany(
    request.meetingId,
    (view) =>
      decideDelegation(
        { directory, meeting: view.meeting, invitations: view.invitations, inviteeEngagements: view.inviteeEngagements, today: day },
        request.country,
        request.people,
      ),
    (invitation, meeting) => invitationOutbox(directory, meeting, invitation, { email: deps.emailInvitations === true }),
  );
  if (decision.ok && decision.outboxIds?.length && deps.enqueueDeliveries) await deps.enqueueDeliveries(decision.outboxIds).catch(() => undefined);
  return decision;
}

/** Meetings that have not ended yet (today in the ST's zone), with their invitations, soonest first. */
export async function upcomingMeetings(deps: MeetingDeps): Promise<{ meeting: Meeting; invitations: Invitation[] }[]> {
  const day = today(deps);
  const [meetings, invitations] = await Promise.all([deps.meetings.list(), deps.meetings.invitations()]);
  return meetings.filter((m) => m.end >= day).map((m) => ({ meeting: m, invitations: invitations.filter((i) => i.meetingId === m.id) }));
}

// ------------------------------------------------------------------------------------------ summary

export type SummaryRefusal = 'meeting_not_found' | 'no_summary_for_kind' | 'meeting_not_started' | 'summary_exists';

/**
 * The end-of-meeting summary put to the Member Countries for adoption (§2.1 e): a consultation of kind
 * `meeting_summary` on the consultation engine, with no Troika stage (the domain opens the member stage
 * when it is sent), so positions, deadline, reminders, record and digest are the consultation's. Only a
 * GRCM or a Vice-Ministerial has a summary, from the meeting's first day; one at a time per meeting (a new one only after the last was
 * not adopted). Adopted (consensus), it marks the meeting's `meeting_summary` duty done.
 */
export async function proposeMeetingSummary(
  flows: FlowDeps,
  deps: MeetingDeps,
  input: { key: string; actor: CommandActor; reference: string; text: string; days?: number; justification?: string; locale?: Locale },
): Promise<FlowResult | { ok: false; code: SummaryRefusal; detail?: Record<string, string>; duplicate: false }> {
  const meeting = await deps.meetings.byReference(input.reference);
  if (!meeting) return { ok: false, code: 'meeting_not_found', duplicate: false };
  if (meeting.kind !== 'grcm' && meeting.kind !== 'vice_ministerial') return { ok: false, code: 'no_summary_for_kind', detail: { kind: meeting.kind }, duplicate: false };
  // The summary of a meeting's results comes at its end: not before its first day (in the venue's zone).
  if (localDate(deps.clock.now(), meeting.timezone) < meeting.start) return { ok: false, code: 'meeting_not_started', detail: { start: meeting.start }, duplicate: false };
  const earlier = (await deps.meetings.summaryConsultations(meeting.reference)).find((c) => c.outcome === null || c.outcome === 'consensus');
  const seen = await flows.store.findCommand(input.key);
  if (earlier && !seen) return { ok: false, code: 'summary_exists', detail: { reference: earlier.reference }, duplicate: false };
  const l = input.locale ?? deps.directory.current().secretariat.locale;
  return startConsultation(flows, {
    key: input.key,
    actor: input.actor,
    title: t(l, 'meeting.summary.title', { title: meeting.title, reference: meeting.reference }),
    text: input.text,
    locale: l,
    deadline: { kind: 'business_days', days: input.days ?? 5 },
    ...(input.justification !== undefined ? { justification: input.justification } : {}),
    rule: 'explicit',
    kind: 'meeting_summary',
    meetingReference: meeting.reference,
  });
}
