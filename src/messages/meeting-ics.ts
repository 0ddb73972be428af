/**
 * A meeting as an iCalendar file (RFC 5545), for invitations and `crm meetings ics`: one VEVENT for the
 * meeting, its times in the venue's zone (DTSTART;TZID=…, with the zone's VTIMEZONE), text in the
 * reader's language. ical-generator writes the file (CRLF line ends, lines folded at 75 octets without
 * splitting a character); timezones-ical-library supplies the VTIMEZONE blocks. The file ends with CRLF,
 * as every content line must.
 */
import { bodyOf } from '../directory/membership.ts';
import ical, { ICalCalendarMethod } from 'ical-generator';
import { tzlib_get_ical_block } from 'timezones-ical-library';
import type { Directory, Locale } from '../directory/model.ts';
import type { Meeting } from '../domain/meetings/index.ts';
import { formatList, t } from '../i18n/index.ts';
import { countryOrCode, kindName, segmentName } from './meeting-text.ts';

export interface MeetingIcsOptions {
  directory: Directory;
  locale: Locale;
  /** RFC 5545 SEQUENCE: 0 for the first version, incremented on every change. */
  sequence: number;
  /** DTSTAMP: when this version of the meeting was written. */
  stamp: Date;
}

/** The VTIMEZONE block of an IANA zone, or null when the library does not know it. */
function vtimezone(zone: string): string | null {
  const block = tzlib_get_ical_block(zone) as unknown;
  return Array.isArray(block) && typeof block[0] === 'string' && block[0].startsWith('BEGIN:VTIMEZONE') ? block[0] : null;
}

export function meetingIcs(meeting: Meeting, options: MeetingIcsOptions): string {
  const l = options.locale;
  const cal = ical({ prodId: { company: bodyOf(options.directory).code, product: 'crm-consulta-bot', language: l.toUpperCase() } });
  cal.method(ICalCalendarMethod.PUBLISH);
  // No calendar-wide zone (DTSTAMP stays in UTC, as RFC 5545 requires); the generator adds the event's VTIMEZONE.
  cal.timezone({ name: null, generator: vtimezone });
  const country = countryOrCode(options.directory, meeting.country, l);
  cal.createEvent({
    id: `${meeting.id}@crm-consulta-bot`,
    sequence: options.sequence,
    stamp: options.stamp,
    // Wall-clock times: with `timezone` set, ical-generator writes them as given, with TZID.
    start: `${meeting.start}T${meeting.startTime}:00`,
    end: `${meeting.end}T${meeting.endTime}:00`,
    timezone: meeting.timezone,
    summary: meeting.title,
    location: meeting.city ? t(l, 'meeting.location', { city: meeting.city, country }) : country,
    description: t(l, 'meeting.ics_description', {
      kind: kindName(meeting.kind, l),
      segments: formatList(meeting.segments.map((s) => segmentName(s, l)), l),
      reference: meeting.reference,
    }),
  });
  const text = cal.toString();
  return text.endsWith('\r\n') ? text : `${text}\r\n`;
}
