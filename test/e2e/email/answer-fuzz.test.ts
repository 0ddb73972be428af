/**
 * The answer page under arbitrary input, over real HTTP (harness.ts): thousands of tokens (random, or a
 * genuine one corrupted anywhere) and form bodies (random fields, content types, sizes, Unicode) on
 * `GET|POST /answer/<token>`, consultation and meeting links alike. Every answer is a page with a 4xx (or
 * the 200 form of a GET on a genuine link), never a 5xx; nothing is ever recorded; the process keeps
 * serving. Run after the deliveries of the set-up are done, and compared with the database afterwards.
 */
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDate } from '../../../src/calendar/index.ts';
import { startConsultation, reactTroika } from '../../../src/flows/consultation-flows.ts';
import { addMeeting, inviteToMeeting } from '../../../src/flows/meeting-flows.ts';
import { MeetingStore } from '../../../src/store/meeting-store.ts';
import { DAY } from '../../helpers/engine.ts';
import { EMAIL_ONLY, startEmailWorld, type EmailWorld } from './harness.ts';

let w: EmailWorld;
const genuine: string[] = [];

async function recorded(): Promise<unknown> {
  const p = w.engine.db.prisma;
  return {
    events: await p.consultationEvent.count(),
    commands: await p.commandLog.count(),
    answers: (await p.meetingInvitation.findMany({ select: { response: true, respondedAt: true }, orderBy: { personId: 'asc' } })).map((i) => [i.response, i.respondedAt?.toISOString() ?? null]),
  };
}

beforeAll(async () => {
  w = await startEmailWorld(import.meta.url);
  const started = await startConsultation(w.engine.deps, {
    key: 'fuzz:start', actor: w.actor('itzel.castillo@example.org'), title: 'Fuzz', text: 'Texto.', deadline: { kind: 'business_days', days: 5 },
  });
  if (!started.ok) throw new Error(started.code);
  const mx = await reactTroika(w.engine.deps, { key: 'fuzz:mx', actor: w.actor('fernanda.rios@example.org'), consultationId: started.state.consultationId, version: started.state.currentVersion, reaction: 'approve' });
  if (!mx.ok) throw new Error(mx.code);
  const sv = await reactTroika(w.engine.deps, { key: 'fuzz:sv', actor: w.actor(EMAIL_ONLY.rodrigo), consultationId: started.state.consultationId, version: started.state.currentVersion, reaction: 'approve' });
  if (!sv.ok || sv.state.stage !== 'member_consultation') throw new Error('not circulated');
  const now = w.engine.clock.now();
  const rt = w.jobs.runtime;
  const deps = { meetings: new MeetingStore(w.engine.db.prisma), directory: w.engine.directory, clock: w.engine.deps.clock, newId: randomUUID, emailInvitations: true, enqueueDeliveries: (ids: readonly string[]) => rt.enqueueDeliveries(rt.jobs, ids) };
  const added = await addMeeting(deps, { kind: 'grcm', start: localDate(new Date(now.getTime() + 20 * DAY), 'America/Panama'), end: localDate(new Date(now.getTime() + 21 * DAY), 'America/Panama') });
  if (!added.ok) throw new Error(added.code);
  const invited = await inviteToMeeting(deps, added.view.meeting.reference, { email: 'esteban.villalobos@example.org', segment: 'main' });
  if (!invited.ok) throw new Error(invited.code);
  genuine.push(
    w.email.links.issue({ consultationId: sv.state.consultationId, version: sv.state.currentVersion, personId: EMAIL_ONLY.gabriela, purpose: 'member', expiresAt: new Date(now.getTime() + DAY) }),
    w.email.links.issueMeeting({ meetingId: added.view.meeting.id, segment: 'main', personId: 'esteban.villalobos@example.org', expiresAt: new Date(now.getTime() + DAY) }),
  );
  // The set-up's own deliveries are done before anything is compared.
  const deadline = Date.now() + 40_000;
  for (;;) {
    const pending = await w.engine.db.prisma.outboxMessage.count({ where: { status: 'pending' } });
    if (pending === 0) break;
    if (Date.now() > deadline) throw new Error(`${pending} outbox rows still pending`);
    await new Promise((r) => setTimeout(r, 100));
  }
}, 60_000);
afterAll(async () => {
  await w?.stop();
});

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
/** A genuine token with one character replaced, or cut, or grown, or with its parts swapped. */
const corrupted = fc
  .tuple(fc.constantFrom(0, 1), fc.nat(), fc.constantFrom(...B64.split('')), fc.constantFrom('replace', 'cut', 'grow', 'swap', 'dot'))
  .map(([which, at, ch, how]) => {
    const t = genuine[which]!;
    const i = at % t.length;
    switch (how) {
      case 'replace':
        return t[i] === ch ? t.slice(0, i) + (ch === 'A' ? 'B' : 'A') + t.slice(i + 1) : t.slice(0, i) + ch + t.slice(i + 1);
      case 'cut':
        return t.slice(0, Math.max(1, i));
      case 'grow':
        return t.slice(0, i) + ch + t.slice(i);
      case 'swap': {
        const [a, b] = t.split('.') as [string, string];
        return `${b}.${a}`;
      }
      default:
        return t.replace('.', '..');
    }
  });
const randomToken = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.stringMatching(/^[A-Za-z0-9_-]{1,400}\.[A-Za-z0-9_-]{43}$/),
  fc.constant('a'.repeat(5_000)),
);
const body = fc.oneof(
  fc.dictionary(fc.constantFrom('choice', 'reason', 'x', '__proto__', 'constructor'), fc.string({ maxLength: 50, unit: 'grapheme' }), { maxKeys: 4 }).map((d) => ({ type: 'application/x-www-form-urlencoded', data: new URLSearchParams(d).toString() })),
  fc.string({ maxLength: 200 }).map((s) => ({ type: 'application/x-www-form-urlencoded', data: s })),
  fc.json().map((s) => ({ type: 'application/json', data: s })),
  fc.string({ maxLength: 200 }).map((s) => ({ type: 'text/plain', data: s })),
  fc.constant({ type: 'application/x-www-form-urlencoded', data: `choice=position_support&reason=${'é'.repeat(3_000)}&choice=position_abstain` }).map((b) => ({ ...b, data: b.data.replace('position_support', 'position_suppor') })),
);

describe('the answer page under arbitrary input', () => {
  it('never a 5xx, never anything recorded, for corrupted or random tokens and arbitrary bodies', { timeout: 240_000 }, async () => {
    const before = await recorded();
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(fc.oneof(corrupted, randomToken), fc.constantFrom('GET', 'POST'), body, async (token, method, b) => {
        const path = `/answer/${encodeURIComponent(token).replace(/%2F/gi, '/')}`;
        const res = await fetch(`${w.baseUrl}${path}`, method === 'GET' ? {} : { method, headers: { 'content-type': b.type }, body: b.data });
        const html = await res.text();
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        expect(html.length).toBeGreaterThan(0);
      }),
      { numRuns: 1_500 },
    );
    // Genuine links with arbitrary bodies: a form again (400/422) or the page, never a record.
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(0, 1), body, async (which, b) => {
        const res = await fetch(`${w.baseUrl}/answer/${genuine[which]}`, { method: 'POST', headers: { 'content-type': b.type }, body: b.data });
        await res.text();
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        expect([400, 422]).toContain(res.status);
      }),
      { numRuns: 500 },
    );
    expect(await recorded()).toEqual(before);
    expect((await fetch(`${w.baseUrl}/healthz`)).status).toBe(200);
    // What the run saw, for the report (no 5xx among them).
    expect([...statuses.keys()].every((s) => s < 500)).toBe(true);
  });
});
