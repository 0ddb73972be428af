/**
 * What `/crm reuniones` and `/crm pendientes` answer (shared/interfaces.md "Meetings"), in the reader's
 * language: the upcoming meetings with the reader's own invitations and answers (and, for a Member
 * Country's focal point, a button per meeting to register the country's delegation), and the duties still
 * owed with who owes them, overdue ones first. Pure.
 */
import type { Directory, Locale } from '../directory/model.ts';
import type { Invitation, Meeting, TrackedDuty } from '../domain/meetings/index.ts';
import { formatDate, t } from '../i18n/index.ts';
import { meetingDates, meetingPlace } from './meeting-invitation.ts';
import { dutyName, ownerName, segmentName } from './meeting-text.ts';
import type { MessageButton, NeutralMessage } from './neutral.ts';

/** The button that opens the `meeting_delegation` form for one meeting. */
export const ACTION_MEETING_DELEGATION = 'meeting_delegation_open';

export interface UpcomingMeeting {
  meeting: Meeting;
  invitations: readonly Invitation[];
}

export function upcomingMeetingsMessage(
  directory: Directory,
  upcoming: readonly UpcomingMeeting[],
  reader: { personId: string; locale: Locale; delegationOf?: string },
): NeutralMessage {
  const l = reader.locale;
  const body: string[] = [];
  const buttons: MessageButton[] = [];
  for (const { meeting, invitations } of upcoming) {
    body.push(t(l, 'meeting.list.item', { title: meeting.title, reference: meeting.reference, dates: meetingDates(meeting, l), place: meetingPlace(directory, meeting, l) }));
    for (const i of invitations.filter((x) => x.personId === reader.personId)) {
      body.push(t(l, 'meeting.list.my_invitation', { segment: segmentName(i.segment, l), answer: t(l, `meeting.answer.${i.response ?? 'none'}`) }));
    }
    if (reader.delegationOf && buttons.length < 5) {
      buttons.push({ actionId: ACTION_MEETING_DELEGATION, label: t(l, 'meeting.delegation.button', { reference: meeting.reference }), value: JSON.stringify({ m: meeting.id }) });
    }
  }
  return {
    kind: 'status',
    locale: l,
    consultationId: '',
    reference: '',
    heading: t(l, 'meeting.list.heading'),
    body: body.length ? body : [t(l, 'meeting.list.none')],
    fields: [],
    buttons,
  };
}

export function dutiesMessage(directory: Directory, duties: readonly TrackedDuty[], meetings: readonly Meeting[], l: Locale): NeutralMessage {
  const owed = duties.filter((d) => d.state !== 'done').sort((a, b) => (a.state === b.state ? a.due.localeCompare(b.due) : a.state === 'late' ? -1 : 1));
  const title = (ref: string | undefined) => (ref ? `${meetings.find((m) => m.reference === ref)?.title ?? ref} (${ref})` : '—');
  const late = owed.filter((d) => d.state === 'late').length;
  return {
    kind: 'status',
    locale: l,
    consultationId: '',
    reference: '',
    heading: t(l, 'duty.list.heading'),
    body: [owed.length ? t(l, 'duty.list.intro', { open: owed.length, late }) : t(l, 'duty.list.none')],
    fields: [],
    ...(owed.length
      ? {
          table: {
            columns: [t(l, 'duty.label.duty'), t(l, 'duty.label.meeting'), t(l, 'duty.label.owner'), t(l, 'duty.label.due'), t(l, 'duty.label.state')],
            rows: owed.map((d) => [dutyName(d.duty, l), title(d.meeting), ownerName(directory, d, l), formatDate(d.due, l), t(l, `duty.state.${d.state}`)]),
          },
        }
      : {}),
    buttons: [],
  };
}
