/**
 * The conformance table (./scenarios.ts) through the console adapter: each intent as the console's own
 * request over real HTTP (POST /console/command, POST /console/action on a card of the seat), and what the
 * seat then shows (its cards, ./src/adapters/console/store.ts), observed back as `Seen`:
 *   a new card holding a form            → form (its FormId)
 *   a new card (a notice, a message)     → say (its text; a field row reads "label: value")
 *   the loading or submitted form card becoming a notice → formSays
 *   the submitted form shown again with errors under its inputs → fieldErrors (those inputs' ids)
 *   the submitted form card removed      → formCloses
 *   the clicked invitation card updated in place (an invitation answered) → card (its text)
 * Left out, as the console has none of them: the Home tab (`home`, `open_form`: the console's seats are its
 * view, and `consulta` its "new consultation"), and someone not in the directory (the picker lists only
 * the directory's people; a request naming anyone else is refused before the interaction layer, in both
 * languages: test/e2e/browser/console.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsole, type ConsoleAdapter } from '../../src/adapters/console/index.ts';
import { consoleCardRef } from '../../src/adapters/console/console-notifier.ts';
import { noticeCard } from '../../src/adapters/console/render.ts';
import type { ConsoleEvent } from '../../src/adapters/console/store.ts';
import { createHttpServer, type HttpServer } from '../../src/http/server.ts';
import { formContext } from '../../src/interaction/form-specs.ts';
import type { FormRequest, Intent, SubmittedContext } from '../../src/interaction/intent.ts';
import { silentLogger } from '../../src/log.ts';
import { openTestEngine, type TestEngine } from '../helpers/engine.ts';
import { prepare, prepareMeeting } from './given.ts';
import { delegationCurrent } from '../../src/interaction/meeting-forms.ts';
import { randomUUID } from 'node:crypto';
import type { MeetingDeps } from '../../src/flows/meeting-flows.ts';
import { MeetingStore } from '../../src/store/meeting-store.ts';
import { matches, SCENARIOS, sortSeen, WHO, type Seen } from './scenarios.ts';

let engine: TestEngine;
let meetings: MeetingDeps;
let adapter: ConsoleAdapter;
let http: HttpServer;
let base: string;

beforeAll(async () => {
  engine = await openTestEngine('postgres', 'console-conformance');
  meetings = { meetings: new MeetingStore(engine.db.prisma), directory: engine.deps.directory, clock: engine.deps.clock, newId: randomUUID };
  adapter = createConsole(engine, { logger: silentLogger(), budgetMs: 5_000, meetings });
  http = createHttpServer({ port: 0, host: '127.0.0.1', logger: silentLogger(), routes: adapter.routes });
  base = `http://127.0.0.1:${await http.listen()}`;
});
afterAll(async () => {
  adapter?.close();
  await http?.close();
  await engine?.dispose();
});

let clicks = 0;
const click = () => `conformance-${(++clicks).toString().padStart(6, '0')}`;
const post = (path: string, body: unknown) => fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** The form card a submission comes from, as the console would have shown it (the context: the scenario's). */
function formRequestOf(form: Extract<Intent, { kind: 'submit' }>['form'], context: SubmittedContext | undefined, seat: string, cardId: string): FormRequest {
  if (form === 'consultation_new') return { form };
  if (form === 'meeting_new') return { form };
  if (form === 'meeting_delegation') {
    const delegation = context?.form === 'meeting_delegation' ? context.delegation : { meetingId: 'none', country: 'CR' };
    return { form, delegation, current: { title: '', reference: '', countryName: '', segments: [] } };
  }
  if (form === 'reason') {
    const reason = context?.form === 'reason' ? context.reason : { kind: 'changes' as const, consultationId: 'none', versionHash: 'none' };
    return { form, reason: { ...reason, ...(reason.card ? { card: consoleCardRef(seat, cardId) } : {}) } };
  }
  const manage = context && 'manage' in context ? context.manage : { consultationId: 'none', reference: 'CRM-2099-999' };
  if (form === 'revise') return { form, manage, current: { title: 'Consulta de conformidad', text: 'Texto', version: 1 } };
  if (form === 'extend') return { form, manage, current: { deadline: '—' } };
  return { form, manage, current: { title: 'Consulta de conformidad', circulated: false } };
}

/** Sends the intent as the console does; returns the card it acted on (a decision's, a submission's). */
async function send(seat: string, intent: Intent): Promise<string | undefined> {
  const store = adapter.store;
  switch (intent.kind) {
    case 'command': {
      const res = await post('/console/command', { person: seat, command: intent.text, click: click() });
      expect(res.status).toBe(200);
      return undefined;
    }
    case 'decide': {
      const card = store.add(seat, noticeCard('a request card'));
      const data = intent.target ? { c: intent.target.consultationId, v: intent.target.versionHash } : { forged: true };
      const res = await post('/console/action', { person: seat, card: card.id, verb: intent.action, data, click: click() });
      expect(res.status).toBe(200);
      return card.id;
    }
    case 'answer_invitation': {
      // The invitation card as delivered to the seat; the button's value as the card carries it (or a forged one).
      const invitation = store.add(seat, noticeCard('a request card'));
      const data = intent.target ? { m: intent.target.meetingId, s: intent.target.segment } : { forged: true };
      const verb = intent.response === 'attend' ? 'meeting_attend' : 'meeting_decline';
      const res = await post('/console/action', { person: seat, card: invitation.id, verb, data, click: click() });
      expect(res.status).toBe(200);
      return invitation.id;
    }
    case 'submit': {
      // The card the person clicked first (a reason form's context names it), then the form card itself.
      const clicked = store.add(seat, noticeCard('a request card'));
      let request = formRequestOf(intent.form, intent.context, seat, clicked.id);
      // The delegation form as the console showed it: the country's people per segment of the meeting.
      if (request.form === 'meeting_delegation') {
        const meeting = await meetings.meetings.byId(request.delegation.meetingId);
        if (meeting) request = { ...request, current: delegationCurrent(engine.deps.directory.current(), meeting, request.delegation.country, await meetings.meetings.invitations(meeting.id), 'es') };
      }
      const formCard = store.add(seat, noticeCard('the form'), { form: request });
      const values = Object.fromEntries(Object.entries(intent.values ?? {}).filter((e): e is [string, string] => e[1] !== undefined));
      const data = { ...(intent.context ? formContext(request) : {}), ...values };
      const res = await post('/console/action', { person: seat, card: formCard.id, verb: intent.form, data, click: click() });
      expect(res.status).toBe(200);
      return formCard.id;
    }
    default:
      throw new Error(`the console has no ${intent.kind}`);
  }
}

/** The text a person reads on a card: every TextRun, a field row as "label: value". */
function cardText(node: unknown): string {
  const out: string[] = [];
  const runs = (n: unknown): string[] => {
    const found: string[] = [];
    const walk = (x: unknown) => {
      if (Array.isArray(x)) x.forEach(walk);
      else if (x && typeof x === 'object') {
        const o = x as Record<string, unknown>;
        if ((o.type === 'TextRun' || o.type === 'TextBlock') && typeof o.text === 'string') found.push(o.text);
        for (const [k, v] of Object.entries(o)) if (k !== 'data') walk(v);
      }
    };
    walk(n);
    return found;
  };
  for (const el of ((node as { body?: unknown[] }).body ?? []) as Record<string, unknown>[]) {
    if (el.type === 'ColumnSet') out.push(((el.columns as unknown[]) ?? []).map((c) => runs(c).join(' ')).join(': '));
    else out.push(runs(el).join('\n'));
  }
  return out.join('\n');
}

/** The ids of the inputs a form card shows an error under (a time input's error is its date's field). */
function errorFields(card: unknown): string[] {
  const fields: string[] = [];
  let last: string | undefined;
  const walk = (x: unknown) => {
    if (Array.isArray(x)) x.forEach(walk);
    else if (x && typeof x === 'object') {
      const o = x as Record<string, unknown>;
      if (typeof o.type === 'string' && o.type.startsWith('Input.') && typeof o.id === 'string') last = o.id.replace(/_time$/, '');
      if (o.type === 'TextRun' && o.color === 'Attention' && o.size === 'Small' && last) fields.push(last);
      for (const [k, v] of Object.entries(o)) if (k !== 'data' && k !== 'actions') walk(v);
    }
  };
  walk((card as { body?: unknown }).body);
  return [...new Set(fields)];
}

const isForm = (seat: string, id: string) => adapter.store.get(seat, id)?.form !== undefined;
const LOADING = /^(Un momento…|One moment…)$/;

function observe(seat: string, events: ConsoleEvent[], acted: string | undefined, answering: Intent['kind']): Seen[] {
  const first = new Map<string, unknown>();
  const last = new Map<string, unknown>();
  const removed = new Set<string>();
  for (const e of events) {
    if (e.type === 'remove') removed.add(e.id);
    else if (e.entry.from === 'bot') {
      if (!first.has(e.entry.id)) first.set(e.entry.id, e.entry.card);
      last.set(e.entry.id, e.entry.card);
    }
  }
  const seen: Seen[] = [];
  if (acted && removed.has(acted)) seen.push({ kind: 'formCloses' });
  for (const [id, card] of last) {
    if (removed.has(id)) continue;
    const form = adapter.store.get(seat, id)?.form;
    if (id === acted) {
      // The invitation answered: the clicked card replaced in place by the invitation as it now is.
      if (answering === 'answer_invitation') {
        seen.push({ kind: 'card', text: cardText(card) });
        continue;
      }
      if (form) {
        const fields = errorFields(card);
        if (fields.length) seen.push({ kind: 'fieldErrors', fields });
      } else seen.push({ kind: 'formSays', text: cardText(card) });
      continue;
    }
    if (form) seen.push({ kind: 'form', form: form.form });
    else if (LOADING.test(cardText(first.get(id)))) seen.push({ kind: 'formSays', text: cardText(card) });
    else if (isForm(seat, id) === false) seen.push({ kind: 'say', text: cardText(card) });
  }
  return seen;
}

const CONSOLE_SCENARIOS = SCENARIOS.filter((s) => s.who !== 'stranger' && (typeof s.intent === 'function' || (s.intent.kind !== 'home' && s.intent.kind !== 'open_form')));

describe('the console adapter against the conformance table', () => {
  it('runs every scenario the console can meet', () => {
    expect(CONSOLE_SCENARIOS.length).toBeGreaterThan(20);
  });
  it.each(CONSOLE_SCENARIOS.map((s) => [s.name, s] as const))('%s', async (_name, s) => {
    const c = s.given ? await prepare(engine.deps, s.given) : undefined;
    const m = s.meeting ? await prepareMeeting(meetings) : undefined;
    const intent = typeof s.intent === 'function' ? s.intent(c!, m!) : s.intent;
    if (intent.kind === 'home' || intent.kind === 'open_form') return;
    const expected = typeof s.expect === 'function' ? s.expect(c) : s.expect;
    const seat = WHO[s.who].email!;
    const events: ConsoleEvent[] = [];
    // What the driver itself puts in the seat (the clicked card, the form card) is not seen.
    let acted: string | undefined;
    const unlisten = adapter.store.listen(seat, (e) => events.push(e));
    const sending = send(seat, intent);
    try {
      acted = await sending;
    } finally {
      unlisten();
    }
    const own = new Set(events.filter((e) => e.type === 'upsert' && e.entry.version === 1 && (e.entry.from === 'you' || /^(a request card|the form)$/.test(cardText(e.entry.card)))).map((e) => (e.type === 'upsert' ? e.entry.id : '')));
    const seen = observe(seat, events.filter((e) => !(e.type === 'upsert' && own.has(e.entry.id) && e.entry.version === 1)), acted, intent.kind);
    expect(matches(seen, expected), `seen ${JSON.stringify(sortSeen(seen), null, 1)}`).toBe(true);
  });
});
