/**
 * The world `npm run transcript` plays in: the real bot (`startBot`, as `npm start` runs it: the example
 * directory, embedded PGlite in a fresh data folder, BullMQ on the embedded queue database, every worker),
 * a local fake Slack Web API (../fake-slack-api.ts) and a stand-in for Slack's response_urls. People act
 * through real signed HTTP requests to POST /slack/events (../slack-requests.ts).
 *
 * Time: the domain's clock is a virtual one (`startBot`'s `clock` option) that the story sets before each
 * step, so every time a person reads is the same at every run. Timed work runs through the real jobs:
 * `promote` moves a delayed BullMQ job (a reminder slot, a deadline close, the weekly digest's scheduler
 * job) to now, and the real worker processes it against the virtual clock.
 *
 * Every step ends with `settle()`: no Slack interaction left in the inbox, no job active or waiting, no
 * outbox row pending (a dead message's notice to the ST included). What the fake API, the acks and the
 * response_urls recorded meanwhile belongs to that step (./record.ts reads it).
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Job } from 'bullmq';
import type { Directory, Locale } from '../../directory/model.ts';
import { QUEUES } from '../../jobs/names.ts';
import { startBot, type RunningBot } from '../../main.ts';
import { startFakeSlackApi, type FakeMessage, type FakeSlackApi } from '../fake-slack-api.ts';
import {
  appHomeOpened,
  blockActions,
  findButton,
  postToSlackEvents,
  slashCommand,
  triggerId as newTriggerId,
  viewSubmission,
  type SlackRequest,
  type StateValue,
} from '../slack-requests.ts';

export interface Person {
  slack: string;
  /** Directory id (e-mail). */
  id: string;
  name: string;
  locale: Locale;
  timezone: string;
  /** ISO2 of the person's country; undefined for ST staff. */
  country?: string;
  role: 'member' | 'observer' | 'st';
}

/** Something said privately to one person: an ack body, a response_url post, or an ephemeral message. */
export interface PrivateAnswer {
  to: string;
  via: 'ack' | 'response_url' | 'ephemeral';
  body: Record<string, unknown>;
}

export interface Step {
  n: number;
  at: Date;
  /** Who acts (a person's Slack id), or undefined for the bot's own timed work. */
  actor?: string;
  /** What they do, as they would say it: `/crm consulta`, `[ Apoyar ]`, `the weekly digest job`. */
  does: string;
  /** Why, for the reader of the transcript (English). */
  note: string;
  /** fake Slack API calls [from, to). */
  calls: [number, number];
  privates: PrivateAnswer[];
}

export interface Card {
  channel: string;
  message: FakeMessage;
}

const WAIT_MS = 120_000;

export async function waitFor<T>(probe: () => T | undefined | false | null | Promise<T | undefined | false | null>, what: string, timeoutMs = WAIT_MS): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false && v !== null) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function startResponseUrls() {
  const posts: { id: string; body: Record<string, unknown> }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
      } catch {
        body = { text: Buffer.concat(chunks).toString('utf8') };
      }
      posts.push({ id: (req.url ?? '').split('/').pop() ?? '', body });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    posts,
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}/commands/T0FAKE0001/`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** A clock the story sets; it never moves on its own. */
export function virtualClock(start: Date) {
  let now = start.getTime();
  const clock = {
    now: () => new Date(now),
    onSet: undefined as ((at: Date) => void) | undefined,
    set(at: Date) {
      if (at.getTime() < now) throw new Error(`the story went back in time: ${at.toISOString()} < ${new Date(now).toISOString()}`);
      now = at.getTime();
      clock.onSet?.(at);
    },
  };
  return clock;
}

export type World = Awaited<ReturnType<typeof startWorld>>;

export async function startWorld(options: { start: Date; logLevel?: string; progress?: (line: string) => void }) {
  const t0 = performance.now();
  const clock = virtualClock(options.start);
  const secret = randomBytes(16).toString('hex');
  const dataDir = await mkdtemp(join(tmpdir(), 'crm-transcript-'));
  const slack = await startFakeSlackApi({ token: `xoxb-transcript-${randomBytes(6).toString('hex')}` });
  const responses = await startResponseUrls();
  let bot: RunningBot;
  try {
    bot = await startBot(
      {
        // Nothing from the caller's environment but LOG_LEVEL: the embedded defaults on a fresh folder, so
        // every run starts from the same state (references CRM-2027-001, …).
        PORT: '0',
        LOG_LEVEL: options.logLevel ?? 'warn',
        CRM_DATA_DIR: join(dataDir, 'data'),
        CRM_WEEKLY_DIGEST: 'on',
        SLACK_SIGNING_SECRET: secret,
        SLACK_BOT_TOKEN: slack.token,
        SLACK_API_URL: slack.url,
      },
      // A form's outcome is shown in the form itself however loaded the machine is (see startBot).
      { clock: clock.now, slackBudgets: { viewBudgetMs: 30_000, checkBudgetMs: 30_000, ackDeadlineMs: 40_000 } },
    );
  } catch (e) {
    await responses.close();
    await slack.close();
    await rm(dataDir, { recursive: true, force: true });
    throw e;
  }
  await waitFor(() => slack.callsOf('auth.test').length > 0, "the bot's auth.test at start", 30_000).catch(() => undefined);

  const directory: Directory = bot.engine.directory.current();
  const people = peopleOf(directory);
  const eventsUrl = `http://127.0.0.1:${bot.port}/slack/events`;
  const steps: Step[] = [];
  const triggers = new Map<string, string>(); // trigger id → Slack user
  const owners = new Map<string, string>(); // response_url id → Slack user
  let privates: PrivateAnswer[] = [];
  let harvested = 0;
  let seq = 0;

  const person = (slackId: string): Person => {
    const p = people.get(slackId);
    if (!p) throw new Error(`no person with Slack id ${slackId}`);
    return p;
  };
  const responseUrl = (user: string) => {
    const id = `r${++seq}`;
    owners.set(id, user);
    return `${responses.base}B0${seq}/${id}`;
  };
  const post = async (user: string, request: SlackRequest) => {
    const res = await postToSlackEvents(eventsUrl, secret, request);
    if (res.status !== 200) throw new Error(`POST /slack/events answered ${res.status} for ${user}: ${res.body}`);
    if (res.body.trim()) {
      try {
        privates.push({ to: user, via: 'ack', body: JSON.parse(res.body) as Record<string, unknown> });
      } catch {
        privates.push({ to: user, via: 'ack', body: { text: res.body } });
      }
    }
    return res;
  };

  const prisma = bot.engine.db.prisma;
  const queues = [QUEUES.deliver, QUEUES.remind, QUEUES.close, QUEUES.digest, QUEUES.reconcile].map((q) => bot.jobs.queue(q));
  const busy = async () => {
    for (const q of queues) {
      const c = await q.getJobCounts('active', 'waiting', 'prioritized', 'waiting-children');
      if (Object.values(c).some((n) => n > 0)) return true;
    }
    return false;
  };
  /** Nothing left to do: inbox processed, no job running or waiting, no message pending. */
  const settle = async () => {
    await waitFor(
      async () => {
        if (await busy()) return false;
        if ((await prisma.inboxItem.count({ where: { processedAt: null } })) > 0) return false;
        if ((await prisma.outboxMessage.count({ where: { status: 'pending' } })) > 0) return false;
        return !(await busy());
      },
      'the bot to finish its work',
    );
  };

  const world = {
    bot,
    slack,
    directory,
    people,
    person,
    steps,
    clock,
    stChannel: directory.secretariat.slack?.channel ?? '',

    /**
     * One step of the story: sets the clock to `at` (timed work sets it itself: the step is dated by the
     * first instant it sets), runs `act`, waits for the bot to settle, keeps what it caused.
     */
    async step(s: { at?: Date; actor?: string; does: string; note: string }, act: () => Promise<void> = async () => undefined) {
      if (s.at) clock.set(s.at);
      const startedAt = clock.now().getTime();
      let firstSet: Date | undefined;
      clock.onSet = (at) => (firstSet ??= at);
      privates = [];
      await act();
      clock.onSet = undefined;
      const at = s.at ?? (firstSet && firstSet.getTime() > startedAt ? firstSet : clock.now());
      await settle();
      for (const p of responses.posts.splice(0)) {
        const to = owners.get(p.id);
        if (to) privates.push({ to, via: 'response_url', body: p.body });
      }
      for (const c of slack.calls.slice(harvested)) {
        if (c.method === 'chat.postEphemeral') privates.push({ to: String(c.args.user), via: 'ephemeral', body: c.args });
      }
      const from = harvested;
      harvested = slack.calls.length;
      options.progress?.(`step ${steps.length + 1}: ${s.does} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
      steps.push({ n: steps.length + 1, at, ...(s.actor ? { actor: s.actor } : {}), does: s.does, note: s.note, calls: [from, harvested], privates });
    },

    /** `/crm <text>` typed by `user` in their DM with the app. Returns the trigger id. */
    async command(user: string, text: string): Promise<string> {
      const triggerId = newTriggerId();
      triggers.set(triggerId, user);
      await post(user, slashCommand({ userId: user, text, triggerId, responseUrl: responseUrl(user) }));
      return triggerId;
    },

    /** Who opened the view with this trigger id (for views.open calls). */
    triggeredBy: (triggerId: string) => triggers.get(triggerId),

    /** The modal the app opened with `triggerId` (after a "loading" one it replaced), once it is `callbackId`. */
    openedView(triggerId: string, callbackId: string) {
      return waitFor(() => {
        const open = slack.callsOf('views.open').find((c) => c.args.trigger_id === triggerId);
        const id = (open?.response?.view as { id?: string } | undefined)?.id;
        if (!open || !id) return undefined;
        const latest = [open, ...slack.callsOf('views.update').filter((c) => c.args.view_id === id && c.response?.ok)].at(-1)!;
        const view: Record<string, unknown> = { ...(latest.args.view as Record<string, unknown>), id };
        return view.callback_id === callbackId ? view : undefined;
      }, `the ${callbackId} modal`);
    },

    /** Submits a modal as `user`; throws when the app answered with field errors. */
    async submit(user: string, view: Record<string, unknown>, values: Record<string, StateValue>) {
      const res = await post(user, viewSubmission({ userId: user, callbackId: String(view.callback_id), values, view }));
      if (res.body.includes('"errors"')) throw new Error(`the ${String(view.callback_id)} modal was refused: ${res.body}`);
    },

    /** `/crm <text>`, then the form `callbackId` it opens, submitted with `values`. */
    async commandForm(user: string, text: string, callbackId: string, values: Record<string, StateValue>) {
      const tid = await world.command(user, text);
      const view = await world.openedView(tid, callbackId);
      await world.submit(user, view, values);
    },

    /** The latest card in `user`'s DM about `ref` with the button `actionId` (optionally posted after `after`). */
    card(user: string, ref: string, actionId: string, after?: string): Promise<Card> {
      const channel = slack.dmChannelOf(user);
      return waitFor(() => {
        const m = slack
          .messages(channel)
          .filter((x) => JSON.stringify(x.blocks ?? []).includes(ref) && findButton(x.blocks, actionId) && (!after || Number(x.ts) > Number(after)))
          .at(-1);
        return m ? { channel, message: m } : undefined;
      }, `${user}'s card of ${ref} with ${actionId}`);
    },

    /** `user` clicks `actionId` on `card` (someone else's card, when `user` is not its owner). Returns the trigger id. */
    async click(user: string, card: Card, actionId: string): Promise<string> {
      const b = findButton(card.message.blocks, actionId);
      if (!b) throw new Error(`no ${actionId} on the card`);
      const triggerId = newTriggerId();
      triggers.set(triggerId, user);
      const m = card.message;
      await post(
        user,
        blockActions({
          userId: user,
          actionId,
          value: b.value,
          label: b.label,
          ...(b.blockId ? { blockId: b.blockId } : {}),
          message: { channel: card.channel, ts: m.ts, text: m.text, blocks: m.blocks ?? [], bot_id: m.bot_id, user: m.user },
          responseUrl: responseUrl(user),
          triggerId,
        }),
      );
      return triggerId;
    },

    /** A click that asks for a reason, then the reason submitted. */
    async clickWithReason(user: string, card: Card, actionId: string, reason: string) {
      const tid = await world.click(user, card, actionId);
      const view = await world.openedView(tid, 'reason');
      await world.submit(user, view, { reason: { type: 'plain_text_input', value: reason } });
    },

    /** `user` opens the app's Home tab (app_home_opened) and the app publishes it. */
    async openHome(user: string) {
      const before = slack.callsOf('views.publish').filter((c) => c.args.user_id === user).length;
      await post(user, appHomeOpened(user));
      await waitFor(() => slack.callsOf('views.publish').filter((c) => c.args.user_id === user).length > before, `${user}'s Home tab`);
    },

    /** The consultation's id and state by reference, once stored. */
    async consultation(ref: string) {
      const stored = await waitFor(() => bot.engine.consultations.loadByReference(ref), `consultation ${ref}`);
      return stored;
    },

    /** The reference of the newest consultation whose title is `title`. */
    async referenceOf(title: string): Promise<string> {
      const row = await waitFor(() => prisma.consultation.findFirst({ where: { title }, orderBy: { createdAt: 'desc' } }), `the consultation "${title}"`);
      return row.reference;
    },

    /**
     * Runs a delayed job now through the real worker: `pick` chooses among the delayed jobs of `queue`;
     * each chosen job runs at `at(job)` on the virtual clock (its own planned instant), one after the other.
     */
    async promote(queue: string, pick: (job: Job) => boolean, at: (job: Job) => Date): Promise<number> {
      const q = bot.jobs.queue(queue);
      const jobs = (await q.getDelayed()).filter(pick).sort((a, b) => at(a).getTime() - at(b).getTime() || String(a.id).localeCompare(String(b.id)));
      for (const job of jobs) {
        const when = at(job);
        if (when.getTime() > clock.now().getTime()) clock.set(when);
        await job.promote();
        await settle();
      }
      return jobs.length;
    },

    settle,

    async stop() {
      await bot.stop();
      await responses.close();
      await slack.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return world;
}

function peopleOf(directory: Directory): Map<string, Person> {
  const out = new Map<string, Person>();
  for (const c of directory.countries) {
    for (const f of c.focalPoints) {
      if (!f.slack) continue;
      out.set(f.slack, { slack: f.slack, id: f.id, name: f.name, locale: f.locale, timezone: f.timezone, country: c.code, role: c.status === 'member' ? 'member' : 'observer' });
    }
  }
  for (const s of directory.secretariat.staff) {
    if (s.slack) out.set(s.slack, { slack: s.slack, id: s.id, name: s.name, locale: s.locale, timezone: s.timezone, role: 'st' });
  }
  return out;
}
