/**
 * The meeting's calendar file, byte by byte: CRLF line ends only, lines folded at 75 octets (never inside a
 * UTF-8 character), times in the venue's zone with its VTIMEZONE, DTSTAMP in UTC, text in the reader's
 * language, and the same bytes whatever the process's own zone.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { newMeeting } from '../../../src/domain/meetings/meeting.ts';
import { meetingIcs } from '../../../src/messages/meeting-ics.ts';
import { DIRECTORY } from '../domain/meetings/fixtures.ts';

const TITLE = 'XXXI Reunión Viceministerial de la Conferencia Regional sobre Migración: «Migración, desarrollo y derechos», año 2026 — ñandú';

function vm(over: Partial<Parameters<typeof newMeeting>[0]> = {}) {
  const d = newMeeting(
    { id: '5b0e9c1e-3f7a-4c1e-9d55-2f8a1c6b7e10', reference: 'MTG-2026-004', kind: 'vice_ministerial', title: TITLE, start: '2026-11-17', end: '2026-11-18', city: 'Ciudad de México', now: '2026-06-01T12:00:00.000Z', ...over },
    DIRECTORY,
  );
  if (!d.ok) throw new Error(d.code);
  return d.meeting;
}

const ics = (locale: 'es' | 'en' = 'es', over = {}) =>
  meetingIcs(vm(over), { directory: DIRECTORY, locale, sequence: 2, stamp: new Date('2026-06-01T12:34:56.000Z') });

/** Splits on CRLF and unfolds continuation lines (RFC 5545 §3.1). */
function unfold(text: string): string[] {
  return text.replace(/\r\n[ \t]/g, '').split('\r\n').slice(0, -1);
}

const savedTz = process.env['TZ'];
afterEach(() => {
  if (savedTz === undefined) delete process.env['TZ'];
  else process.env['TZ'] = savedTz;
});

describe('meetingIcs: RFC 5545 bytes', () => {
  it('every line ends in CRLF, the file too; no bare CR or LF', () => {
    const bytes = Buffer.from(ics(), 'utf8');
    expect(bytes.subarray(-2).toString('latin1')).toBe('\r\n');
    for (let i = 0; i < bytes.length; i++) {
      if (bytes[i] === 0x0a) expect(bytes[i - 1], `LF at byte ${i}`).toBe(0x0d);
      if (bytes[i] === 0x0d) expect(bytes[i + 1], `CR at byte ${i}`).toBe(0x0a);
    }
  });

  it('lines are folded at 75 octets (not characters), never inside a UTF-8 character, and unfold to the original', () => {
    const bytes = Buffer.from(ics(), 'utf8');
    const lines: Buffer[] = [];
    let start = 0;
    for (let i = 0; i < bytes.length - 1; i++) {
      if (bytes[i] === 0x0d && bytes[i + 1] === 0x0a) {
        lines.push(bytes.subarray(start, i));
        start = i + 2;
      }
    }
    let folded = 0;
    for (const line of lines) {
      expect(line.length, line.toString('utf8')).toBeLessThanOrEqual(75);
      // A line decodes on its own: no character was cut between two lines.
      expect(line.toString('utf8')).not.toContain('\uFFFD');
      expect(Buffer.from(line.toString('utf8'), 'utf8').equals(line)).toBe(true);
      if (line[0] === 0x20) folded += 1;
    }
    expect(folded).toBeGreaterThan(1);
    // The title has more characters than octets allowed on a line, and 2-byte characters near the folds.
    const summary = unfold(ics()).find((l) => l.startsWith('SUMMARY:'));
    expect(summary).toBe(`SUMMARY:${TITLE.replaceAll(',', '\\,')}`);
  });

  it('one VEVENT with the venue\'s zone, its VTIMEZONE, DTSTAMP in UTC, the sequence, the language', () => {
    const lines = unfold(ics());
    expect(lines[0]).toBe('BEGIN:VCALENDAR');
    expect(lines).toContain('VERSION:2.0');
    expect(lines).toContain('PRODID:-//CRM//crm-consulta-bot//ES');
    expect(lines).toContain('METHOD:PUBLISH');
    expect(lines.filter((l) => l === 'BEGIN:VEVENT')).toHaveLength(1);
    expect(lines).toContain('TZID:America/Mexico_City');
    expect(lines).toContain('DTSTART;TZID=America/Mexico_City:20261117T090000');
    expect(lines).toContain('DTEND;TZID=America/Mexico_City:20261118T180000');
    expect(lines).toContain('DTSTAMP:20260601T123456Z');
    expect(lines).toContain('SEQUENCE:2');
    expect(lines).toContain('UID:5b0e9c1e-3f7a-4c1e-9d55-2f8a1c6b7e10@crm-consulta-bot');
    expect(lines).toContain('LOCATION:Ciudad de México\\, México');
    expect(lines).toContain(
      'DESCRIPTION:Reunión Viceministerial. Segmentos: Reunión plenaria y Reunión a puerta cerrada. Referencia: MTG-2026-004.',
    );
    expect(lines.at(-1)).toBe('END:VCALENDAR');
    const en = unfold(ics('en'));
    expect(en).toContain('PRODID:-//CRM//crm-consulta-bot//EN');
    expect(en).toContain('LOCATION:Ciudad de México\\, Mexico');
    expect(en).toContain('DESCRIPTION:Vice-Ministerial Meeting. Segments: Plenary session and Closed-door session. Reference: MTG-2026-004.');
  });

  it('a zone with daylight saving gets both its rules; explicit hours are kept', () => {
    const lines = unfold(ics('en', { country: 'CA', timezone: 'America/Toronto', startTime: '08:30', endTime: '12:15', start: '2026-03-07', end: '2026-03-09' }));
    expect(lines).toContain('BEGIN:DAYLIGHT');
    expect(lines).toContain('BEGIN:STANDARD');
    expect(lines).toContain('DTSTART;TZID=America/Toronto:20260307T083000');
    expect(lines).toContain('DTEND;TZID=America/Toronto:20260309T121500');
  });

  it('the same bytes whatever the process\'s own time zone', () => {
    process.env['TZ'] = 'UTC';
    const utc = ics();
    process.env['TZ'] = 'Asia/Tokyo';
    const tokyo = ics();
    process.env['TZ'] = 'America/Los_Angeles';
    expect(ics()).toBe(utc);
    expect(tokyo).toBe(utc);
  });
});
