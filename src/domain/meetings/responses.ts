/**
 * An invitee's answer to an invitation card (`meeting_attend` / `meeting_decline`, shared/interfaces.md
 * "Meetings"). Pure. Only the person invited may answer, for a segment they are invited to, until the
 * meeting's last day (in the venue's calendar, the caller's `today`). Answering again with the other
 * button changes the answer; the same answer twice is `already_recorded` and changes nothing. A declined
 * closed-door seat is free for the country to give to someone else (eligibility.ts); attending again after
 * that is `closed_door_seat_taken` while the delegation is full.
 * A refusal records nothing.
 */
import { CLOSED_DOOR_SENIOR_OFFICIALS } from './eligibility.ts';
import type { CivilDate, Invitation, InvitationResponse, Meeting, Segment } from './types.ts';

export const RESPONSE_REFUSALS = ['meeting_not_found', 'not_invited', 'meeting_over', 'already_recorded', 'closed_door_seat_taken'] as const;
export type ResponseRefusal = (typeof RESPONSE_REFUSALS)[number];

export interface ResponseRequest {
  personId: string;
  segment: Segment;
  response: InvitationResponse;
  /** ISO instant of the answer. */
  at: string;
}

export type ResponseDecision =
  | { ok: true; invitation: Invitation; previous?: InvitationResponse }
  | { ok: false; code: ResponseRefusal; detail?: Record<string, string> };

export function decideResponse(
  meeting: Meeting | undefined,
  invitations: readonly Invitation[],
  request: ResponseRequest,
  today: CivilDate,
): ResponseDecision {
  if (!meeting) return { ok: false, code: 'meeting_not_found' };
  const personId = request.personId.trim().toLowerCase();
  const mine = invitations.find((i) => i.meetingId === meeting.id && i.segment === request.segment && i.personId === personId);
  if (!mine) return { ok: false, code: 'not_invited', detail: { reference: meeting.reference } };
  if (today > meeting.end) return { ok: false, code: 'meeting_over', detail: { reference: meeting.reference, end: meeting.end } };
  if (mine.response === request.response) return { ok: false, code: 'already_recorded', detail: { response: request.response } };
  // A closed-door seat freed by a decline may have been given to someone else: attending again needs it back.
  if (mine.segment === 'closed_door' && mine.response === 'decline' && request.response === 'attend' && mine.country) {
    const others = invitations.filter(
      (i) => i.meetingId === meeting.id && i.segment === 'closed_door' && i.country === mine.country && i.personId !== mine.personId && i.response !== 'decline',
    );
    const full =
      mine.basis === 'vice_minister'
        ? others.some((i) => i.basis === 'vice_minister')
        : mine.basis === 'senior_official' && others.filter((i) => i.basis === 'senior_official').length >= CLOSED_DOOR_SENIOR_OFFICIALS;
    if (full) return { ok: false, code: 'closed_door_seat_taken', detail: { reference: meeting.reference, country: mine.country } };
  }
  return {
    ok: true,
    invitation: { ...mine, response: request.response, respondedAt: request.at },
    ...(mine.response ? { previous: mine.response } : {}),
  };
}
