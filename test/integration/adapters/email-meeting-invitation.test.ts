/**
 * A meeting invitation by e-mail, for a delegate with no chat account (e-mail configured): one e-mail, in
 * the person's language, through nodemailer to a real SMTP server on loopback, with the meeting's RFC 5545
 * calendar file attached (rendered at delivery) and one answer link of purpose `meeting` (the page behind
 * it: test/e2e/email/meeting-links.test.ts).
 */
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmailNotifier } from '../../../src/adapters/email/email-notifier.ts';
import { LinkSigner } from '../../../src/adapters/email/links.ts';
import type { Invitation } from '../../../src/domain/meetings/index.ts';
import { meetingCalendarAttachments } from '../../../src/jobs/meeting-attachments.ts';
import { invitationOutbox } from '../../../src/messages/meeting-invitation.ts';
import { startTestSmtp, type TestSmtp } from '../../helpers/smtp.ts';
import { DIRECTORY, meeting } from '../../unit/domain/meetings/fixtures.ts';

const FROM = 'CRM bot <crm-bot@example.org>';
let smtp: TestSmtp;
const grcm = { ...meeting('grcm', '2027-06-08', '2027-06-09'), reference: 'MTG-2027-002', city: 'Ciudad de Panamá' };
const esteban: Invitation = {
  meetingId: grcm.id,
  segment: 'main',
  personId: 'esteban.villalobos@example.org',
  email: 'esteban.villalobos@example.org',
  name: 'Esteban Villalobos',
  country: 'CR',
  basis: 'grcm_delegate',
};

beforeAll(async () => {
  smtp = await startTestSmtp();
});
afterAll(async () => {
  await smtp?.close();
});

describe('meeting invitation by e-mail', () => {
  it('nothing without e-mail configured; one e-mail with the calendar attached when it is', () => {
    expect(invitationOutbox(DIRECTORY, grcm, esteban)).toEqual([]);
    const rows = invitationOutbox(DIRECTORY, grcm, esteban, { email: true });
    expect(rows.map((r) => [r.platform, r.kind])).toEqual([['email', 'meeting_invitation']]);
    expect(rows[0]!.payload).toMatchObject({ attachment: { kind: 'meeting_calendar', filename: 'MTG-2027-002.ics', locale: 'es' } });
    // The buttons name the meeting and segment: the e-mail notifier turns them into one signed link.
    expect((rows[0]!.payload as { buttons: { actionId: string }[] }).buttons.map((b) => b.actionId)).toEqual(['meeting_attend', 'meeting_decline']);
  });

  it('a person with Slack and `reach: email` is invited by e-mail when it is on, on Slack when it is off', () => {
    const directory = structuredClone(DIRECTORY);
    const cr = directory.countries.find((c) => c.code === 'CR')!;
    const person = [...cr.focalPoints, ...(cr.people ?? [])].find((p) => p.id === 'esteban.villalobos@example.org')!;
    Object.assign(person, { slack: 'U0CR0000099', reach: 'email' });
    expect(invitationOutbox(directory, grcm, esteban, { email: true }).map((r) => r.platform)).toEqual(['email']);
    expect(invitationOutbox(directory, grcm, esteban).map((r) => r.platform)).toEqual(['slack', 'slack']);
    delete (person as { reach?: string }).reach;
    expect(invitationOutbox(directory, grcm, esteban, { email: true }).map((r) => r.platform)).toEqual(['slack', 'slack']);
  });

  it('arrives with the words in Spanish and the .ics attached (text/calendar, CRLF, the venue zone)', async () => {
    const [row] = invitationOutbox(DIRECTORY, grcm, esteban, { email: true });
    const notifier = new EmailNotifier({
      transport: nodemailer.createTransport({ url: smtp.url, connectionTimeout: 5_000, greetingTimeout: 5_000, socketTimeout: 5_000 }),
      from: FROM,
      publicUrl: 'https://crm.example.org',
      links: new LinkSigner('integration-secret-0123456789abcdef'),
      linkTtlMs: 86_400_000,
      directory: () => DIRECTORY,
      attachments: meetingCalendarAttachments({
        meetings: { byId: async () => grcm, revisionById: async () => ({ sequence: 0, updatedAt: new Date('2026-12-01T15:00:00Z') }) },
        directory: () => DIRECTORY,
      }),
    });
    const outcome = await notifier.send({ id: 'o-1', dedupeKey: row!.dedupeKey, platform: 'email', kind: row!.kind, recipient: row!.recipient, payload: row!.payload, attempts: 0 });
    expect(outcome.ok).toBe(true);
    const mail = await smtp.waitFor((m) => m.envelope.to.includes('esteban.villalobos@example.org'), 'the invitation');
    expect(mail.parsed.subject).toBe(`Invitación: ${grcm.title}`);
    expect(mail.parsed.text).toContain('Le rogamos confirmar si asistirá en la página del enlace de este correo.');
    expect(mail.parsed.text).toMatch(/\/answer\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}/);
    expect(mail.parsed.text).toContain('deja de funcionar cuando termina la reunión');
    const [ics] = mail.parsed.attachments;
    expect(ics?.filename).toBe('MTG-2027-002.ics');
    expect(ics?.contentType).toBe('text/calendar');
    const body = ics!.content.toString('utf8');
    expect(body.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
    expect(body).toContain('DTSTART;TZID=America/Panama:20270608T090000');
  });
});
