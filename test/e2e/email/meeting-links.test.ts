/**
 * Meeting invitations by e-mail (issue 11), end to end (harness.ts: real SMTP on loopback, real HTTP, the
 * real jobs): an invitee with no chat account gets the invitation in their language with the calendar
 * file and one signed link (purpose `meeting`); the page behind it records attend / decline through the
 * same meeting flow as the Slack buttons; the same answer twice is "already on record"; the other answer is
 * a change; refused with the reason, nothing recorded: a tampered link, a segment they are not invited to,
 * an expired link, the meeting over.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDate } from '../../../src/calendar/index.ts';
import { addMeeting, inviteToMeeting, type MeetingDeps } from '../../../src/flows/meeting-flows.ts';
import { MeetingStore } from '../../../src/store/meeting-store.ts';
import { DAY } from '../../helpers/engine.ts';
import { getPage, postAnswer, startEmailWorld, type EmailWorld } from './harness.ts';

const CAROLINA = 'carolina.quesada@example.org'; // CR vice-minister, es, no chat account
const MARGARET = 'margaret.lavoie@example.org'; // CA vice-minister, en, no chat account

let w: EmailWorld;
let deps: MeetingDeps;
let meetingId = '';
let reference = '';
let end = '';
const tokens: Record<string, string> = {};

const invitation = (personId: string) => w.engine.db.prisma.meetingInvitation.findFirstOrThrow({ where: { meetingId, personId, segment: 'plenary' } });
const answers = async () => (await w.engine.db.prisma.meetingInvitation.findMany({ where: { meetingId }, orderBy: { personId: 'asc' } })).map((i) => [i.personId, i.segment, i.response, i.respondedAt?.toISOString() ?? null]);

beforeAll(async () => {
  w = await startEmailWorld(import.meta.url);
  const rt = w.jobs.runtime;
  deps = {
    meetings: new MeetingStore(w.engine.db.prisma),
    directory: w.engine.directory,
    clock: w.engine.deps.clock,
    newId: randomUUID,
    emailInvitations: true,
    enqueueDeliveries: (ids) => rt.enqueueDeliveries(rt.jobs, ids),
  };
  const now = w.engine.clock.now();
  const start = localDate(new Date(now.getTime() + 40 * DAY), 'America/Panama');
  end = localDate(new Date(now.getTime() + 41 * DAY), 'America/Panama');
  const added = await addMeeting(deps, { kind: 'vice_ministerial', start, end, city: 'Ciudad de Panamá', country: 'PA', title: 'XXXI Reunión Viceministerial' });
  if (!added.ok) throw new Error(`meeting not added: ${added.code}`);
  meetingId = added.view.meeting.id;
  reference = added.view.meeting.reference;
  for (const email of [CAROLINA, MARGARET]) {
    const d = await inviteToMeeting(deps, reference, { email, segment: 'plenary' });
    if (!d.ok) throw new Error(`not invited: ${d.code}`);
    expect(d.outboxIds).toHaveLength(1); // one e-mail, the calendar file attached to it
  }
});
afterAll(async () => {
  await w?.stop();
});

describe('the invitation by e-mail', () => {
  it('arrives in the invitee’s language with the calendar file and one personal link', async () => {
    const es = await w.mailTo(CAROLINA, 'XXXI Reunión Viceministerial', 'Invitación');
    const en = await w.mailTo(MARGARET, 'XXXI Reunión Viceministerial', 'Invitation');
    // The reference is in the header the ST's mail rules can filter on.
    expect(es.mail.parsed.headers.get('x-crm-reference')).toBe(reference);
    expect(es.token).toBeDefined();
    expect(en.token).toBeDefined();
    tokens.carolina = es.token!;
    tokens.margaret = en.token!;
    expect(es.mail.parsed.text).toContain('Le rogamos confirmar si asistirá en la página del enlace de este correo.');
    expect(es.mail.parsed.text).toContain('deja de funcionar cuando termina la reunión');
    expect(es.mail.parsed.text).not.toContain('concluye la consulta');
    expect(en.mail.parsed.text).toContain('Please say whether you will attend on the page of the link in this e-mail.');
    expect(en.mail.parsed.text).toContain('no longer once the meeting has ended');
    const ics = es.mail.parsed.attachments.find((a) => a.filename === `${reference}.ics`);
    expect(ics?.contentType).toBe('text/calendar');
    expect(ics?.content.toString('utf8')).toContain('BEGIN:VEVENT');
  });

  it('the page shows the invitation and the two buttons, records nothing', async () => {
    const before = await answers();
    const page = await getPage(w, tokens.carolina!);
    expect(page.status).toBe(200);
    expect(page.html).toContain('<html lang="es">');
    expect(page.html).toContain('Invitación: XXXI Reunión Viceministerial');
    expect(page.html).toContain('Reunión plenaria');
    expect(page.html).toContain('name="choice" value="meeting_attend"');
    expect(page.html).toContain('name="choice" value="meeting_decline"');
    expect(page.html).not.toContain('<textarea');
    expect(page.headers.get('set-cookie')).toBeNull();
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(await answers()).toEqual(before);
  });

  it('attend is recorded through the meeting flow; the same answer again is already on record, nothing changes', async () => {
    const page = await postAnswer(w, tokens.carolina!, { choice: 'meeting_attend' });
    expect(page.status).toBe(200);
    expect(page.html).toContain('Gracias. Queda registrado que asistirá a «XXXI Reunión Viceministerial» (Reunión plenaria).');
    const first = await invitation(CAROLINA);
    expect(first.response).toBe('attend');
    const again = await postAnswer(w, tokens.carolina!, { choice: 'meeting_attend' });
    expect(again.status).toBe(200);
    expect(again.html).toContain('Ya constaba que asistirá; no se ha cambiado nada.');
    expect((await invitation(CAROLINA)).respondedAt).toEqual(first.respondedAt);
    expect((await getPage(w, tokens.carolina!)).html).toContain('Respuesta registrada: asistirá.');
  });

  it('decline through the same link is a change of answer, as on Slack (English page)', async () => {
    expect((await postAnswer(w, tokens.margaret!, { choice: 'meeting_attend' })).status).toBe(200);
    const page = await postAnswer(w, tokens.margaret!, { choice: 'meeting_decline' });
    expect(page.status).toBe(200);
    expect(page.html).toContain('<html lang="en">');
    expect((await invitation(MARGARET)).response).toBe('decline');
  });

  it('a bad form, a tampered link, or a segment they are not invited to: refused, nothing recorded', async () => {
    const before = await answers();
    expect((await postAnswer(w, tokens.carolina!, { choice: 'position_support' })).status).toBe(400);
    const [payload, signature] = tokens.carolina!.split('.') as [string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const resegmented = `${Buffer.from(JSON.stringify({ ...claims, s: 'closed_door' })).toString('base64url')}.${signature}`;
    for (const bad of [resegmented, `${payload}.${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`]) {
      const page = await postAnswer(w, bad, { choice: 'meeting_decline' });
      expect(page.status).toBe(400);
      expect(page.html).toContain('Enlace no válido');
      expect(page.html).toContain('Link not valid');
    }
    // A genuine link for a segment she is not invited to (the closed-door session): refused with the reason.
    const other = w.email.links.issueMeeting({ meetingId, segment: 'closed_door', personId: CAROLINA, expiresAt: new Date(w.engine.clock.now().getTime() + DAY) });
    const refused = await postAnswer(w, other, { choice: 'meeting_attend' });
    expect(refused.status).toBe(403);
    expect(refused.html).toContain('solo la persona invitada puede responderla');
    expect(await answers()).toEqual(before);
  });

  it('the link works until the meeting is over, though the meeting is further ahead than the link TTL (30 days)', () => {
    const claims = JSON.parse(Buffer.from(tokens.carolina!.split('.')[0]!, 'base64url').toString('utf8')) as { exp: number };
    expect(claims.exp * 1000).toBeGreaterThan(Date.parse(`${end}T23:59:59Z`));
  });

  it('an expired link, and any link once the meeting is over: refused with a clear page, nothing recorded', async () => {
    const before = await answers();
    const short = w.email.links.issueMeeting({ meetingId, segment: 'plenary', personId: CAROLINA, expiresAt: new Date(w.engine.clock.now().getTime() + 1000) });
    const start = w.engine.clock.now();
    try {
      w.engine.clock.advance(2 * DAY);
      const expired = await postAnswer(w, short, { choice: 'meeting_decline' });
      expect(expired.status).toBe(410);
      expect(expired.html).toContain('Este enlace venció');
      w.engine.clock.advance(41 * DAY);
      const over = await postAnswer(w, tokens.margaret!, { choice: 'meeting_attend' });
      expect(over.status).toBe(410);
      expect(over.html).toContain('Meeting over');
      expect(over.html).toContain('the invitation can no longer be answered');
      expect((await getPage(w, tokens.carolina!)).status).toBe(410);
    } finally {
      w.engine.clock.set(start);
    }
    expect(await answers()).toEqual(before);
  });

  it('no address, token or meeting answer detail of a person in the logs', () => {
    const logs = w.logs();
    expect(logs).toContain('meeting answer recorded');
    expect(logs).not.toMatch(/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/);
    for (const token of Object.values(tokens)) expect(logs).not.toContain(token);
  });
});
