/**
 * An invitation as the invitee reads it, in their language: the card with the meeting, the segment, the
 * days and hours (the venue's, with its zone named) and the `meeting_attend` / `meeting_decline` buttons
 * (shared/interfaces.md "Meetings"), followed by the meeting's calendar file (RFC 5545, rendered when it is
 * delivered: messages/meeting-ics.ts). Pure: (live directory, meeting, invitation) → outbox rows.
 *
 * Addressing: Slack, else Teams (the e-mail stays on the recipient, for the e-mail fallback); someone
 * with neither gets nothing from the bot (see invitationOutbox). Dedupe keys name the meeting, segment and
 * person, so an invitation is sent once.
 */
import { bodyOf } from '../directory/membership.ts';
import type { Directory, Locale } from '../directory/model.ts';
import type { Invitation, Meeting, Segment } from '../domain/meetings/index.ts';
import { partyOf } from '../domain/meetings/index.ts';
import { formatDate, t, zoneLabel } from '../i18n/index.ts';
import type { NewOutboxMessage } from '../store/consultation-store.ts';
import { countryOrCode, kindName, segmentName } from './meeting-text.ts';
import type { DeliveryPlatform, NeutralMessage, Recipient } from './neutral.ts';

export const ACTION_MEETING_ATTEND = 'meeting_attend';
export const ACTION_MEETING_DECLINE = 'meeting_decline';
export const MEETING_RESPONSE_ACTIONS = [ACTION_MEETING_ATTEND, ACTION_MEETING_DECLINE] as const;

/** The invitation buttons' value: the meeting's id and the segment (untrusted when it comes back). */
export function invitationButtonValue(meetingId: string, segment: Segment): string {
  return JSON.stringify({ m: meetingId, s: segment });
}

/** The calendar file's name where it is shared, e.g. `MTG-2027-002.ics`. */
export const calendarFilename = (reference: string): string => `${reference}.ics`;

export const invitationDedupeKey = (meetingId: string, segment: Segment, personId: string, what: 'card' | 'calendar'): string =>
  `meeting-invitation:${meetingId}:${segment}:${personId}:${what}`;

export function meetingDates(meeting: Meeting, l: Locale): string {
  return meeting.start === meeting.end ? formatDate(meeting.start, l) : `${formatDate(meeting.start, l)} – ${formatDate(meeting.end, l)}`;
}

export function meetingPlace(directory: Directory, meeting: Meeting, l: Locale): string {
  const country = countryOrCode(directory, meeting.country, l);
  return meeting.city ? t(l, 'meeting.location', { city: meeting.city, country }) : country;
}

/** Where the invitee is reached, and in which language. Undefined when the directory no longer lists them. */
export function inviteeAddress(directory: Directory, invitation: Invitation): { recipient: Recipient; platform: DeliveryPlatform; locale: Locale } | undefined {
  const party = partyOf(directory, invitation.personId);
  if (!party) return undefined;
  const p = party.person;
  return {
    recipient: { kind: 'person', personId: p.id, name: p.name, ...(p.slack ? { slack: p.slack } : {}), ...(p.teams ? { teams: p.teams } : {}), email: p.email },
    platform: p.slack ? 'slack' : p.teams ? 'teams' : 'unreachable',
    locale: p.locale,
  };
}

export function invitationCard(directory: Directory, meeting: Meeting, invitation: Invitation, l: Locale): NeutralMessage {
  const value = invitationButtonValue(meeting.id, invitation.segment);
  return {
    kind: 'meeting_invitation',
    locale: l,
    consultationId: '',
    reference: meeting.reference,
    heading: t(l, 'meeting.invitation.heading', { title: meeting.title }),
    body: [t(l, 'meeting.invitation.body', { kind: kindName(meeting.kind, l), body: bodyOf(directory).name[l] }), t(l, 'meeting.invitation.ask')],
    fields: [
      { label: t(l, 'duty.label.meeting'), value: `${meeting.title} (${meeting.reference})` },
      { label: t(l, 'meeting.label.segment'), value: segmentName(invitation.segment, l) },
      { label: t(l, 'meeting.label.dates'), value: meetingDates(meeting, l) },
      { label: t(l, 'meeting.label.hours'), value: t(l, 'meeting.invitation.hours', { from: meeting.startTime, to: meeting.endTime, zone: zoneLabel(meeting.timezone, l) }) },
      { label: t(l, 'meeting.label.place'), value: meetingPlace(directory, meeting, l) },
    ],
    buttons: [
      { actionId: ACTION_MEETING_ATTEND, label: t(l, 'meeting.invitation.attend'), value, style: 'primary' },
      { actionId: ACTION_MEETING_DECLINE, label: t(l, 'meeting.invitation.decline'), value },
    ],
  };
}

/** The message that carries the calendar file (a platform that cannot share files shows the words alone). */
export function calendarMessage(meeting: Meeting, l: Locale): NeutralMessage {
  return {
    kind: 'meeting_calendar',
    locale: l,
    consultationId: '',
    reference: meeting.reference,
    heading: t(l, 'meeting.calendar.heading', { title: meeting.title }),
    body: [t(l, 'meeting.calendar.body', { zone: zoneLabel(meeting.timezone, l) })],
    fields: [],
    buttons: [],
    attachment: { kind: 'meeting_calendar', meetingId: meeting.id, reference: meeting.reference, format: 'ics', locale: l, filename: calendarFilename(meeting.reference) },
  };
}

/**
 * The invitation by e-mail, for someone with no chat account: the card's words without buttons (an e-mail
 * has none: the answer goes to the ST), with the calendar file attached to the same e-mail.
 */
export function emailInvitation(directory: Directory, meeting: Meeting, invitation: Invitation, l: Locale): NeutralMessage {
  const card = invitationCard(directory, meeting, invitation, l);
  return {
    ...card,
    body: [card.body[0]!, t(l, 'meeting.invitation.ask_email')],
    buttons: [],
    attachment: calendarMessage(meeting, l).attachment!,
  };
}

/**
 * The outbox rows of one invitation. On Slack or Teams: the card, then the calendar file. Otherwise, when
 * e-mail is configured (`options.email`) and the person has an address: one e-mail with the file attached.
 * Else none (the person is not listed, or cannot be reached): the ST sends that invitation itself
 * (`crm meetings ics REF --email EMAIL` gives the file in the person's language), and no dead letter is
 * raised for every delegate without a chat account.
 */
export function invitationOutbox(directory: Directory, meeting: Meeting, invitation: Invitation, options: { email?: boolean } = {}): NewOutboxMessage[] {
  const to = inviteeAddress(directory, invitation);
  if (!to) return [];
  if (to.platform === 'unreachable') {
    const email = (to.recipient as { email?: string }).email;
    if (!options.email || !email) return [];
    const mail = emailInvitation(directory, meeting, invitation, to.locale);
    return [{ dedupeKey: invitationDedupeKey(meeting.id, invitation.segment, invitation.personId, 'card'), platform: 'email', recipient: to.recipient, kind: mail.kind, payload: mail }];
  }
  const card = invitationCard(directory, meeting, invitation, to.locale);
  const calendar = calendarMessage(meeting, to.locale);
  return [
    { dedupeKey: invitationDedupeKey(meeting.id, invitation.segment, invitation.personId, 'card'), platform: to.platform, recipient: to.recipient, kind: card.kind, payload: card },
    { dedupeKey: invitationDedupeKey(meeting.id, invitation.segment, invitation.personId, 'calendar'), platform: to.platform, recipient: to.recipient, kind: calendar.kind, payload: calendar },
  ];
}
