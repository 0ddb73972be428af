/**
 * Files messages name, by kind: the audit record (src/record/attachment.ts) and a meeting's calendar file
 * (RFC 5545, messages/meeting-ics.ts), rendered from the database when the message is delivered, so an
 * invitation delivered after the meeting moved carries the current dates and SEQUENCE.
 */
import type { Directory } from '../directory/model.ts';
import { meetingIcs } from '../messages/meeting-ics.ts';
import type { MessageAttachment } from '../messages/neutral.ts';
import type { MeetingStore } from '../store/meeting-store.ts';
import type { AttachmentFile, AttachmentSource } from './notifier.ts';
import { t } from '../i18n/index.ts';

export function meetingCalendarAttachments(deps: { meetings: Pick<MeetingStore, 'byId' | 'revisionById'>; directory: () => Directory }): AttachmentSource {
  return {
    async load(attachment: MessageAttachment): Promise<AttachmentFile> {
      if (attachment.kind !== 'meeting_calendar' || attachment.format !== 'ics') {
        return { ok: false, permanent: true, error: `meeting calendar: unknown attachment ${attachment.kind}/${attachment.format}` };
      }
      const [meeting, revision] = await Promise.all([deps.meetings.byId(attachment.meetingId), deps.meetings.revisionById(attachment.meetingId)]);
      if (!meeting || !revision) return { ok: false, permanent: true, error: 'meeting calendar: the meeting is not in the database' };
      const text = meetingIcs(meeting, { directory: deps.directory(), locale: attachment.locale, sequence: revision.sequence, stamp: revision.updatedAt });
      return {
        ok: true,
        filename: attachment.filename,
        title: t(attachment.locale, 'meeting.calendar.title', { reference: meeting.reference }),
        mimeType: 'text/calendar',
        bytes: new TextEncoder().encode(text),
      };
    },
  };
}

/** One source for every kind of attachment: each kind goes to its own source. */
export function attachmentsByKind(sources: Partial<Record<MessageAttachment['kind'], AttachmentSource>>): AttachmentSource {
  return {
    load(attachment) {
      const source = sources[attachment.kind];
      return source ? source.load(attachment) : Promise.resolve({ ok: false, permanent: true, error: `no source for attachments of kind ${attachment.kind}` });
    },
  };
}
