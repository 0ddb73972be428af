/**
 * The Slack e2e harness: the bot started as a user starts it (`node bin/start.mjs`, a child process) with
 * Slack over HTTP, a fresh PostgreSQL database (BullMQ on it too: no REDIS_URL), and a local fake Slack
 * Web API (test/helpers/fake-slack-api.ts) that records every call. People act through real, signed HTTP
 * requests to POST /slack/events (test/helpers/slack-requests.ts): slash commands, view submissions,
 * button clicks. A small local server stands in for Slack's `response_url`s and records what the app sends
 * there. Nothing here sleeps a fixed time: everything polls for a condition with a generous timeout (the
 * test machine has 2 loaded cores).
 *
 *   const w = await startSlackWorld(import.meta.url);
 *   const { ref } = await w.startConsultation(w.people.ppt, { title, proposal, days: 5 });
 *   const card = await w.cardFor(w.people.troika[0]!, ref, 'troika_approve');
 *   await w.click(w.people.troika[0]!, card, 'troika_approve');
 *   …
 *   await w.stop();
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { parseDirectory } from '../../../src/directory/load.ts';
import type { Directory, Locale } from '../../../src/directory/model.ts';
import { troikaAt } from '../../../src/directory/presidency.ts';
import { dateInZone } from '../../../src/domain/time.ts';
import { createPostgresDatabase, type TestPostgres } from '../../helpers/db.ts';
import { startFakeSlackApi, type FakeCall, type FakeMessage, type FakeSlackApi } from '../../helpers/fake-slack-api.ts';
import { isolatedEnv, ROOT } from '../../helpers/run-bin.ts';
import {
  blockActions,
  findButton,
  postToSlackEvents,
  slashCommand,
  stateValue,
  triggerId as newTriggerId,
  viewSubmission,
  type PostOptions,
  type SlackEventsResponse,
  type SlackRequest,
  type StateValue,
} from '../../helpers/slack-requests.ts';

export const SIGNING_SECRET = 'e2e-signing-secret-0123456789abcdef';
export const BOT_TOKEN = 'xoxb-e2e-0000-fake';

/** Generous: a loaded 2-core machine, jobs polling a PostgreSQL-backed BullMQ. */
export const WAIT_MS = 120_000;

export async function waitFor<T>(probe: () => T | undefined | false | null | Promise<T | undefined | false | null>, what: string, timeoutMs = WAIT_MS, everyMs = 150): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false && v !== null) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

// ------------------------------------------------------------------------------------------- people

export interface Actor {
  slack: string;
  name: string;
  locale: Locale;
  /** Member or observer country; undefined for ST staff. */
  country?: string;
}

export interface People {
  directory: Directory;
  /** A focal point of the PPT in office today (the author of consultations). */
  ppt: Actor;
  pptCountry: string;
  /** ST staff (Spanish first). */
  staff: Actor[];
  /** Troika countries other than the PPT, in order. */
  troikaCountries: string[];
  /** First focal point of each Troika country other than the PPT. */
  troika: Actor[];
  /** Every Member Country focal point. */
  members: Actor[];
  /** First focal point of each Member Country, by ISO2. */
  firstOf: Record<string, Actor>;
  /** Every focal point of each Member Country. */
  focalPointsOf: Record<string, Actor[]>;
  /** Focal points of observer countries (must never be messaged). */
  observers: Actor[];
  memberCodes: string[];
  stChannel: string;
}

export function examplePeople(now = new Date()): People {
  return peopleOf(readFileSync(join(ROOT, 'config/directory.example.yaml'), 'utf8'), now);
}

/** The people of a directory file's text (the example's, or a generated one). */
export function peopleOf(yaml: string, now = new Date()): People {
  const parsed = parseDirectory(yaml, 'directory');
  if (!parsed.ok) throw new Error(`directory invalid: ${parsed.problems.join('; ')}`);
  const directory = parsed.directory;
  const today = dateInZone(now, directory.secretariat.timezone);
  const troika = troikaAt(directory.presidencies, today);
  if (!troika) throw new Error(`no presidency on ${today} in the example directory`);
  const actor = (p: { slack?: string; name: string; locale: Locale }, country?: string): Actor => ({ slack: p.slack!, name: p.name, locale: p.locale, ...(country ? { country } : {}) });
  const members = directory.countries.filter((c) => c.status === 'member');
  const focalPointsOf = Object.fromEntries(members.map((c) => [c.code, c.focalPoints.filter((f) => f.slack).map((f) => actor(f, c.code))]));
  const firstOf = Object.fromEntries(Object.entries(focalPointsOf).map(([c, list]) => [c, list[0]!]));
  const troikaCountries = troika.countries.filter((c) => c !== troika.current);
  return {
    directory,
    ppt: firstOf[troika.current]!,
    pptCountry: troika.current,
    staff: directory.secretariat.staff.filter((s) => s.slack).map((s) => actor(s)),
    troikaCountries,
    troika: troikaCountries.map((c) => firstOf[c]!),
    members: Object.values(focalPointsOf).flat(),
    firstOf,
    focalPointsOf,
    observers: directory.countries.filter((c) => c.status === 'observer').flatMap((c) => c.focalPoints.filter((f) => f.slack).map((f) => actor(f, c.code))),
    memberCodes: members.map((c) => c.code),
    stChannel: directory.secretariat.slack!.channel,
  };
}

// ------------------------------------------------------------------------------- response_url server

export interface ResponseUrlPost {
  id: string;
  body: Record<string, unknown>;
  at: Date;
}

async function startResponseUrls(): Promise<{ base: string; posts: ResponseUrlPost[]; close(): Promise<void> }> {
  const posts: ResponseUrlPost[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const id = (req.url ?? '').split('/').pop() ?? '';
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: Record<string, unknown> = {};
      try {
        body = raw.startsWith('{') ? (JSON.parse(raw) as Record<string, unknown>) : Object.fromEntries(new URLSearchParams(raw));
      } catch {
        body = { raw };
      }
      posts.push({ id, body, at: new Date() });
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}/commands/T0FAKE0001/`,
    posts,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

// -------------------------------------------------------------------------------------- the bot

export interface StartedBot {
  child: ChildProcess;
  port: number;
  logs: () => string;
  exited: Promise<number | null>;
}

export function spawnBot(env: Record<string, string>, timeoutMs = WAIT_MS, tee?: (chunk: string) => void): Promise<StartedBot> {
  const child = spawn(process.execPath, ['bin/start.mjs'], {
    cwd: ROOT,
    env: isolatedEnv({ PORT: '0', LOG_LEVEL: 'info', ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bot did not start within ${timeoutMs} ms:\n${out}`)), timeoutMs);
    let started = false;
    const onData = (d: Buffer) => {
      tee?.(d.toString());
      out += d.toString();
      if (out.length > 4_000_000) out = out.slice(-2_000_000);
      const m = started ? null : /listening on http:\/\/localhost:(\d+)/.exec(out);
      if (m) {
        started = true;
        clearTimeout(timer);
        resolve({ child, port: Number(m[1]), logs: () => out, exited });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      if (!started) reject(new Error(`bot exited with ${code} before listening:\n${out}`));
    });
  });
}

export interface Card {
  channel: string;
  ts: string;
  message: FakeMessage;
}

export interface ConsultationInput {
  title: string;
  proposal: string;
  days?: number;
  deadline?: Date;
  rule?: 'explicit' | 'silence';
  justification?: string;
}

export interface SlackWorld {
  slack: FakeSlackApi;
  people: People;
  pg: TestPostgres;
  db: pg.Pool;
  bot: StartedBot;
  eventsUrl: string;
  responses: ResponseUrlPost[];
  /** POSTs a signed request to /slack/events. */
  post(request: SlackRequest, options?: PostOptions): Promise<SlackEventsResponse>;
  /** A fresh response_url (served by the harness's recorder) belonging to `who`. */
  responseUrl(who: Actor): string;
  /** `/crm <text>` typed by `who`; returns the HTTP answer and the trigger id Slack gave the command. */
  command(who: Actor, text: string): Promise<{ res: SlackEventsResponse; triggerId: string; responseUrl: string }>;
  /** The view the app opened with `trigger_id` (views.open). */
  openedView(triggerId: string, callbackId?: string): Promise<Record<string, unknown>>;
  /** Submits `view` (as opened by the app) with these values; private_metadata read back from it. */
  submit(who: Actor, view: Record<string, unknown>, values: Record<string, StateValue>): Promise<SlackEventsResponse>;
  /** `/crm consulta` + the new-consultation modal; resolves with the reference and id once stored. */
  startConsultation(who: Actor, input: ConsultationInput): Promise<{ ref: string; id: string }>;
  /** The latest DM card of `who` about `ref` that carries the button `actionId`. */
  cardFor(who: Actor, ref: string, actionId: string, options?: { after?: string }): Promise<Card>;
  /** Clicks `actionId` on `card` as `who`. */
  click(who: Actor, card: Card, actionId: string, options?: { triggerId?: string; actionTs?: string }): Promise<{ res: SlackEventsResponse; triggerId: string; responseUrl: string }>;
  /** Clicks a button that asks for a reason, then submits the reason modal the app opened. */
  clickWithReason(who: Actor, card: Card, actionId: string, reason: string): Promise<SlackEventsResponse>;
  /** DM messages (current state, after updates) of a user that mention `ref`. */
  dmsOf(user: string, ref?: string): FakeMessage[];
  /** Every user a chat.postMessage/chat.update reached directly (user id or their DM channel). */
  dmRecipients(): Set<string>;
  /** Calls of `method` to the user's DM (by user id or DM channel id). */
  callsToUser(method: string, user: string): FakeCall[];
  /** chat.postMessage calls to the ST channel about `ref`. */
  stPosts(ref: string): FakeCall[];
  /** The digest call of `ref` (chat.postMessage with crm_consultation_closed metadata), once posted. */
  digest(ref: string): FakeCall | undefined;
  consultation(ref: string): Promise<{ id: string; stage: string; outcome: string | null; snapshot: Record<string, any> } | undefined>;
  events(id: string): Promise<{ seq: number; type: string; payload: Record<string, any> }[]>;
  /** Waits until the outbox of `id` has no pending row (every message delivered or dead). */
  outboxSettled(id: string): Promise<{ status: string; kind: string; count: number }[]>;
  /** Everything sent to `who` privately: ack bodies, response_url posts, ephemeral messages. */
  ephemeralTexts(who: Actor): string[];
  stop(): Promise<void>;
}

const headerOf = (m: { blocks?: unknown[] }): string => {
  const h = (m.blocks ?? []).find((b) => (b as { type?: string }).type === 'header') as { text?: { text?: string } } | undefined;
  return h?.text?.text ?? '';
};
export { headerOf };

export const mentions = (m: { text?: string; blocks?: unknown[] }, ref: string): boolean => (m.text ?? '').includes(ref) || JSON.stringify(m.blocks ?? []).includes(ref);

export interface SlackWorldOptions {
  /** More environment for the bot (e.g. REDIS_URL); overrides the harness's own variables. */
  env?: Record<string, string>;
  /** A password put into the bot's DATABASE_URL (PostgreSQL here trusts loopback, so any password works). */
  databasePassword?: string;
  /** Every chunk the bot writes to stdout or stderr, from the first (StartedBot.logs keeps only the last MBs). */
  onOutput?: (chunk: string) => void;
  /** The directory file's text the bot starts with (CRM_DIRECTORY); default the example. */
  directoryYaml?: string;
}

export async function startSlackWorld(label: string, options: SlackWorldOptions = {}): Promise<SlackWorld> {
  const cleanups: (() => Promise<unknown>)[] = [];
  const cleanup = async () => {
    for (const f of cleanups.reverse()) await f().catch(() => undefined);
  };
  try {
    const people = options.directoryYaml ? peopleOf(options.directoryYaml) : examplePeople();
    const slack = await startFakeSlackApi({ token: BOT_TOKEN });
    cleanups.push(() => slack.close());
    const responses = await startResponseUrls();
    cleanups.push(() => responses.close());
    const database = await createPostgresDatabase(label);
    cleanups.push(() => database.drop());
    const dir = await mkdtemp(join(tmpdir(), 'crm-slack-e2e-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const directoryEnv: Record<string, string> = {};
    if (options.directoryYaml) {
      directoryEnv.CRM_DIRECTORY = join(dir, 'directory.yaml');
      await writeFile(directoryEnv.CRM_DIRECTORY, options.directoryYaml);
    }
    const bot = await spawnBot({
      ...directoryEnv,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_API_URL: slack.url,
      DATABASE_URL: options.databasePassword ? withPassword(database.url, options.databasePassword) : database.url,
      CRM_DATA_DIR: join(dir, 'data'),
      ...options.env,
    }, WAIT_MS, options.onOutput);
    cleanups.push(async () => {
      if (bot.child.exitCode === null) {
        bot.child.kill('SIGTERM');
        const t = setTimeout(() => bot.child.kill('SIGKILL'), 15_000);
        await bot.exited;
        clearTimeout(t);
      }
    });
    // The app checks its token once at start (auth.test, not awaited before listening): let it land so
    // later "nothing happened" checks count only what requests cause.
    await waitFor(() => slack.callsOf('auth.test').length > 0, "the bot's auth.test at start", 30_000).catch(() => undefined);
    const db = new pg.Pool({ connectionString: database.url, max: 3 });
    cleanups.splice(cleanups.length - 1, 0, () => db.end()); // end the pool before dropping the database
    const eventsUrl = `http://127.0.0.1:${bot.port}/slack/events`;
    const acks = new Map<string, string[]>(); // user → ack bodies
    const owners = new Map<string, string>(); // response_url id → user
    let seq = 0;

    const post = (request: SlackRequest, options?: PostOptions) => postToSlackEvents(eventsUrl, SIGNING_SECRET, request, options);
    const rememberAck = (user: string, body: string) => {
      if (body.trim()) acks.set(user, [...(acks.get(user) ?? []), body]);
    };
    const newResponseUrl = (user: string) => {
      const id = `${Date.now()}${++seq}${Math.random().toString(36).slice(2, 10)}`;
      owners.set(id, user);
      return `${responses.base}B0${seq}/${id}`;
    };
    const dmChannel = (user: string) => slack.dmChannelOf(user);
    const toUser = (c: FakeCall, user: string) => c.args.channel === user || c.args.channel === dmChannel(user);

    const world: SlackWorld = {
      slack,
      people,
      pg: database,
      db,
      bot,
      eventsUrl,
      responses: responses.posts,
      post,
      responseUrl: (who) => newResponseUrl(who.slack),
      async command(who, text) {
        const triggerId = newTriggerId();
        const responseUrl = newResponseUrl(who.slack);
        const res = await post(slashCommand({ userId: who.slack, text, triggerId, responseUrl }));
        rememberAck(who.slack, res.body);
        return { res, triggerId, responseUrl };
      },
      async openedView(triggerId, callbackId) {
        // The app may open a "loading" modal and replace it (views.update) with the form: follow the view id.
        // The fake numbers views V0FAKE0001… in the order of views.open/update/publish calls.
        const viewCalls = () => slack.calls.filter((c) => c.method === 'views.open' || c.method === 'views.update' || c.method === 'views.publish');
        const view = await waitFor(() => {
          const calls = viewCalls();
          const i = calls.findIndex((c) => c.method === 'views.open' && c.args.trigger_id === triggerId);
          if (i < 0) return undefined;
          const id = `V0FAKE${String(i + 1).padStart(4, '0')}`;
          const latest = [calls[i]!, ...calls.filter((c) => c.method === 'views.update' && c.args.view_id === id)].at(-1)!;
          const v: Record<string, unknown> = { ...(latest.args.view as Record<string, unknown>), id };
          if (!callbackId || v.callback_id === callbackId) return v;
          return undefined;
        }, `the view opened with trigger_id ${triggerId}${callbackId ? ` (${callbackId})` : ''}`, 60_000).catch((e: unknown) => {
          const calls = viewCalls();
          const i = calls.findIndex((c) => c.method === 'views.open' && c.args.trigger_id === triggerId);
          const shown = i < 0 ? 'no views.open' : JSON.stringify(calls.slice(i).map((c) => c.args.view)).slice(0, 1500);
          throw new Error(`${(e as Error).message}; what was shown: ${shown}`);
        });
        return view;
      },
      async submit(who, view, values) {
        const res = await post(
          viewSubmission({
            userId: who.slack,
            callbackId: String(view.callback_id),
            values,
            view,
            ...(typeof view.private_metadata === 'string' ? { privateMetadata: view.private_metadata } : {}),
          }),
        );
        rememberAck(who.slack, res.body);
        return res;
      },
      async startConsultation(who, input) {
        const { res, triggerId } = await world.command(who, 'consulta');
        if (res.status !== 200) throw new Error(`/crm consulta answered ${res.status}: ${res.body}`);
        const view = await world.openedView(triggerId, 'consultation_new');
        const values: Record<string, StateValue> = {
          title: stateValue.text(input.title),
          proposal: stateValue.text(input.proposal),
          days: stateValue.number(input.deadline ? null : (input.days ?? 5)),
          deadline: stateValue.datetime(input.deadline ?? null),
          rule: stateValue.select(input.rule ?? 'explicit'),
          justification: stateValue.text(input.justification ?? null),
        };
        const sub = await world.submit(who, view, values);
        if (sub.status !== 200) throw new Error(`consultation_new submission answered ${sub.status}: ${sub.body}`);
        if (sub.body.includes('"errors"')) throw new Error(`consultation_new submission refused: ${sub.body}`);
        const row = await waitFor(
          async () => (await db.query<{ id: string; reference: string }>('SELECT id, reference FROM consultations WHERE title = $1', [input.title])).rows[0],
          `consultation "${input.title}" in the database`,
        );
        return { ref: row.reference, id: row.id };
      },
      async cardFor(who, ref, actionId, options = {}) {
        const channel = dmChannel(who.slack);
        return waitFor(() => {
          const list = slack.messages(channel).filter((m) => mentions(m, ref) && findButton(m.blocks, actionId) && (!options.after || Number(m.ts) > Number(options.after)));
          const m = list.at(-1);
          return m ? { channel, ts: m.ts, message: m } : undefined;
        }, `a card of ${ref} with ${actionId} in ${who.name}'s DM`);
      },
      async click(who, card, actionId, options = {}) {
        const button = findButton(card.message.blocks, actionId);
        if (!button) throw new Error(`no ${actionId} button on the card`);
        const triggerId = options.triggerId ?? newTriggerId();
        const responseUrl = newResponseUrl(who.slack);
        const res = await post(
          blockActions({
            userId: who.slack,
            actionId,
            value: button.value,
            label: button.label,
            ...(button.blockId ? { blockId: button.blockId } : {}),
            message: { channel: card.channel, ts: card.ts, text: card.message.text, blocks: card.message.blocks ?? [], bot_id: card.message.bot_id, user: card.message.user },
            responseUrl,
            triggerId,
            ...(options.actionTs ? { actionTs: options.actionTs } : {}),
          }),
        );
        rememberAck(who.slack, res.body);
        return { res, triggerId, responseUrl };
      },
      async clickWithReason(who, card, actionId, reason) {
        const { res, triggerId } = await world.click(who, card, actionId);
        if (res.status !== 200) throw new Error(`${actionId} click answered ${res.status}`);
        const view = await world.openedView(triggerId, 'reason');
        return world.submit(who, view, { reason: stateValue.text(reason) });
      },
      dmsOf(user, ref) {
        return slack.messages(dmChannel(user)).filter((m) => !ref || mentions(m, ref));
      },
      dmRecipients() {
        const users = new Set<string>();
        const everyone: { slack?: string }[] = [...people.directory.countries.flatMap((c) => c.focalPoints), ...people.directory.secretariat.staff];
        const byDm = new Map(everyone.filter((p) => p.slack).map((p) => [dmChannel(p.slack!), p.slack!] as const));
        for (const c of slack.calls) {
          if (c.method === 'conversations.open' && typeof c.args.users === 'string') for (const u of c.args.users.split(',')) users.add(u.trim());
          if ((c.method === 'chat.postMessage' || c.method === 'chat.update') && typeof c.args.channel === 'string') {
            const ch = c.args.channel;
            if (/^[UW]/.test(ch)) users.add(ch);
            else if (byDm.has(ch)) users.add(byDm.get(ch)!);
          }
        }
        return users;
      },
      callsToUser(method, user) {
        return slack.callsOf(method).filter((c) => toUser(c, user));
      },
      stPosts(ref) {
        return slack.callsOf('chat.postMessage').filter((c) => c.args.channel === people.stChannel && mentions(c.args as { text?: string; blocks?: unknown[] }, ref));
      },
      digest(ref) {
        return slack
          .callsOf('chat.postMessage')
          .find((c) => c.args.channel === people.stChannel && (c.args.metadata as { event_type?: string; event_payload?: { reference?: string } } | undefined)?.event_type === 'crm_consultation_closed' && (c.args.metadata as { event_payload: { reference?: string } }).event_payload.reference === ref);
      },
      async consultation(ref) {
        const r = await db.query('SELECT id, stage, outcome, snapshot FROM consultations WHERE reference = $1', [ref]);
        return r.rows[0];
      },
      async events(id) {
        return (await db.query('SELECT seq, type, payload FROM consultation_events WHERE consultation_id = $1 ORDER BY seq', [id])).rows;
      },
      async outboxSettled(id) {
        return waitFor(async () => {
          const r = await db.query<{ status: string; kind: string; count: string }>('SELECT status, kind, count(*) AS count FROM outbox WHERE consultation_id = $1 GROUP BY status, kind', [id]);
          if (r.rows.some((x) => x.status === 'pending')) return undefined;
          return r.rows.map((x) => ({ status: x.status, kind: x.kind, count: Number(x.count) }));
        }, `every outbox row of ${id} delivered`);
      },
      ephemeralTexts(who) {
        const out = [...(acks.get(who.slack) ?? [])];
        for (const c of slack.callsOf('chat.postEphemeral')) if (c.args.user === who.slack) out.push(JSON.stringify(c.args));
        for (const p of responses.posts) if (owners.get(p.id) === who.slack) out.push(JSON.stringify(p.body));
        return out;
      },
      stop: cleanup,
    };
    return world;
  } catch (e) {
    await cleanup();
    throw e;
  }
}

function withPassword(url: string, password: string): string {
  const u = new URL(url);
  u.password = encodeURIComponent(password);
  return u.toString();
}

/** Every call whose args mention `text` (JSON), for debugging failed expectations. */
export function describeCalls(calls: FakeCall[]): string {
  return calls.map((c) => `${c.at.toISOString()} ${c.method} ${String(c.args.channel ?? c.args.users ?? c.args.trigger_id ?? '')} ${headerOf(c.args as { blocks?: unknown[] })}`).join('\n');
}
