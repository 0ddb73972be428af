/**
 * Meeting invitations on Slack, end to end in-process: an invitation recorded through the flow writes the
 * card and the calendar file to the outbox; the real SlackNotifier delivers both to the fake Slack (the
 * card with `meeting_attend` / `meeting_decline`, the RFC 5545 file shared in the DM, in the invitee's
 * language); clicks are signed block_actions; the answer lands in PostgreSQL; refusals say why and record
 * nothing.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invitationJson } from '../../../src/cli/commands/meetings-shared.ts';
import { addMeeting, inviteToMeeting, showMeeting, type MeetingDeps } from '../../../src/flows/meeting-flows.ts';
import { meetingCalendarAttachments } from '../../../src/jobs/meeting-attachments.ts';
import type { AttachmentSource } from '../../../src/jobs/notifier.ts';
import { MeetingStore } from '../../../src/store/meeting-store.ts';
import { findButton } from '../../helpers/slack-requests.ts';
import { PEOPLE, startSlackAppWorld, type SlackAppWorld } from './slack-app-harness.ts';

let w: SlackAppWorld;
let deps: MeetingDeps;
let meetingId = '';
const LUIS = 'luis.mora@example.org'; // CR focal point, es, U0CR0000001
const JENNIFER = 'jennifer.walsh@example.org'; // US focal point, en, U0US0000001

const invitation = (personId: string) =>
  w.engine.db.prisma.meetingInvitation.findFirstOrThrow({ where: { meetingId, personId, segment: 'plenary' } });
const blocksText = (blocks: unknown) => JSON.stringify(blocks ?? []);

beforeAll(async () => {
  let calendars: AttachmentSource | undefined;
  w = await startSlackAppWorld(import.meta.url, { attachments: { load: (a) => calendars!.load(a) } });
  deps = { meetings: new MeetingStore(w.engine.db.prisma), directory: w.engine.directory, clock: w.engine.deps.clock, newId: randomUUID };
  calendars = meetingCalendarAttachments({ meetings: deps.meetings, directory: () => w.engine.directory.current() });
  const added = await addMeeting(deps, { kind: 'vice_ministerial', start: '2027-11-10', end: '2027-11-11', city: 'Ciudad de Panamá', title: 'XXXI Reunión Viceministerial' });
  if (!added.ok) throw new Error(`meeting not added: ${added.code}`);
  meetingId = added.view.meeting.id;
  for (const email of [LUIS, JENNIFER]) {
    const d = await inviteToMeeting(deps, added.view.meeting.reference, { email, segment: 'plenary' });
    if (!d.ok) throw new Error(`not invited: ${d.code}`);
    expect(d.outboxIds).toHaveLength(2);
  }
  await w.deliver();
});
afterAll(async () => {
  await w?.close();
});

describe('invitation delivered', () => {
  it('each invitee gets the card in their language with attend / decline buttons', () => {
    const es = w.card(PEOPLE.memberCR, 'meeting_attend');
    expect(es.text + blocksText(es.blocks)).toContain('Invitación: XXXI Reunión Viceministerial');
    expect(blocksText(es.blocks)).toContain('Asistiré');
    expect(findButton(es.blocks, 'meeting_decline')?.value).toBe(JSON.stringify({ m: meetingId, s: 'plenary' }));
    expect(blocksText(es.blocks)).toContain('Reunión plenaria');
    const en = w.card(PEOPLE.memberUS, 'meeting_attend');
    expect(en.text + blocksText(en.blocks)).toContain('Invitation: XXXI Reunión Viceministerial');
    expect(blocksText(en.blocks)).toContain('I cannot attend');
    expect(blocksText(en.blocks)).toContain('Panama time');
  });

  it('the calendar file is shared in the DM: RFC 5545, CRLF, the venue zone, in the invitee language', () => {
    const files = w.slack.files();
    const luis = files.find((f) => f.channels.includes(w.slack.dmChannelOf(PEOPLE.memberCR)));
    expect(luis?.filename).toBe('MTG-2027-001.ics');
    expect(luis?.mimeType).toBe('text/calendar');
    const text = luis!.bytes!.toString('utf8');
    expect(text.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
    expect(text).toContain('DTSTART;TZID=America/Panama:20271110T090000');
    expect(text.replace(/\r\n /g, '')).toContain('Reunión Viceministerial');
    const jen = files.find((f) => f.channels.includes(w.slack.dmChannelOf(PEOPLE.memberUS)));
    expect(jen!.bytes!.toString('utf8').replace(/\r\n /g, '')).toContain('Segments: Plenary session');
  });
});

describe('answers', () => {
  it('attend is recorded, the card updated in place with its buttons kept, the person told in Spanish', async () => {
    await w.click(PEOPLE.memberCR, 'meeting_attend');
    const row = await w.waitFor(async () => ((await invitation(LUIS)).response === 'attend' ? invitation(LUIS) : undefined), 'attend recorded');
    expect(row.respondedAt).toBeInstanceOf(Date);
    const replaced = await w.waitFor(() => w.responses.find((r) => r.user === PEOPLE.memberCR && r.body.replace_original === true), 'card replaced');
    expect(blocksText(replaced.body.blocks)).toContain('Respuesta registrada: asistirá');
    expect(findButton(replaced.body.blocks as unknown[], 'meeting_decline')).toBeDefined();
    await w.waitFor(() => w.privateTexts(PEOPLE.memberCR).find((t) => t.includes('Queda registrado que asistirá')), 'confirmation');
    const shown = await showMeeting(deps, 'MTG-2027-001');
    expect(shown!.invitations.map(invitationJson).find((i) => i.email === LUIS)).toMatchObject({ segment: 'plenary', response: 'attend' });
  });

  it('decline changes the answer; the same answer twice changes nothing and says so', async () => {
    await w.click(PEOPLE.memberUS, 'meeting_decline');
    await w.waitFor(async () => ((await invitation(JENNIFER)).response === 'decline' ? true : undefined), 'decline recorded');
    await w.waitFor(() => w.privateTexts(PEOPLE.memberUS).find((t) => t.includes('will not attend')), 'decline confirmation');
    const at = (await invitation(JENNIFER)).respondedAt;
    await w.click(PEOPLE.memberUS, 'meeting_decline');
    await w.waitFor(() => w.privateTexts(PEOPLE.memberUS).find((t) => t.includes('nothing was changed')), 'already recorded');
    expect((await invitation(JENNIFER)).respondedAt).toEqual(at);
    await w.click(PEOPLE.memberUS, 'meeting_attend');
    await w.waitFor(async () => ((await invitation(JENNIFER)).response === 'attend' ? true : undefined), 'changed to attend');
  });

  it('someone not invited cannot answer another person invitation: told why, nothing recorded', async () => {
    const before = await w.engine.db.prisma.meetingInvitation.findMany({ orderBy: { personId: 'asc' } });
    await w.click(PEOPLE.observerJM, 'meeting_attend', { message: w.card(PEOPLE.memberCR, 'meeting_attend') });
    await w.waitFor(() => w.privateTexts(PEOPLE.observerJM).find((t) => t.includes('only the person invited')), 'not invited');
    expect(await w.engine.db.prisma.meetingInvitation.findMany({ orderBy: { personId: 'asc' } })).toEqual(before);
  });

  it('a forged button value and a stranger are refused', async () => {
    await w.click(PEOPLE.memberCR, 'meeting_attend', { value: '{"m":"x","s":"nope"}' });
    await w.waitFor(() => w.privateTexts(PEOPLE.memberCR).find((t) => t.includes('Este botón no es válido')), 'invalid button');
    await w.click(PEOPLE.stranger, 'meeting_attend', { message: w.card(PEOPLE.memberCR, 'meeting_attend') });
    await w.waitFor(() => w.privateTexts(PEOPLE.stranger).find((t) => t.length > 0), 'stranger told');
  });

  it('after the meeting has ended the invitation can no longer be answered', async () => {
    w.engine.clock.set('2027-11-12T20:00:00Z');
    await w.click(PEOPLE.memberCR, 'meeting_decline');
    await w.waitFor(() => w.privateTexts(PEOPLE.memberCR).find((t) => t.includes('ya no es posible responder')), 'meeting over');
    expect((await invitation(LUIS)).response).toBe('attend');
  });
});
