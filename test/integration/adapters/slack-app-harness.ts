/**
 * The Slack app in-process over real loopback HTTP: our HTTP server with the Bolt app's route, a fresh
 * PostgreSQL database (test/helpers/engine.ts), the fake Slack Web API, a recorder standing in for Slack's
 * response_urls, and signed requests (test/helpers/slack-requests.ts). `deliver()` plays the deliver job:
 * every pending Slack outbox row through the real SlackNotifier into the fake API, so cards really exist
 * (with their channel and ts) before someone clicks them.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSlackApp, type SlackApp } from '../../../src/adapters/slack/app.ts';
import { createSlackWebClient, SlackNotifier, type SlackReceipt } from '../../../src/adapters/slack/slack-notifier.ts';
import type { FlowDeps } from '../../../src/flows/ports.ts';
import type { ConsultationReader } from '../../../src/flows/queries.ts';
import { createHttpServer, type HttpServer } from '../../../src/http/server.ts';
import { createLogger, silentLogger, type Logger } from '../../../src/log.ts';
import type { AttachmentSource } from '../../../src/jobs/notifier.ts';
import { MeetingStore } from '../../../src/store/meeting-store.ts';
import type { MeetingDeps } from '../../../src/flows/meeting-flows.ts';

/** SLACK_TEST_LOG=debug shows the app's log while debugging a test. */
const appLogger = () => (process.env['SLACK_TEST_LOG'] ? createLogger(process.env['SLACK_TEST_LOG'] as 'debug') : silentLogger());
import { openTestEngine, type TestEngine } from '../../helpers/engine.ts';
import { startFakeSlackApi, type FakeMessage, type FakeSlackApi } from '../../helpers/fake-slack-api.ts';
import {
  blockActions,
  findButton,
  postToSlackEvents,
  slashCommand,
  triggerId as newTriggerId,
  viewSubmission,
  type PostOptions,
  type SlackEventsResponse,
  type SlackRequest,
  type StateValue,
} from '../../helpers/slack-requests.ts';

export const SECRET = 'test-signing-secret-0123456789';

export const PEOPLE = {
  pptPA: 'U0PA0000001', // Itzel Castillo (es), PA: PPT from 2026-11-20
  staff: 'U0ST0000001', // Ana Rojas (es), ST
  staffEn: 'U0ST0000002', // Daniel Brenes (en), ST
  troikaMX: 'U0MX0000001', // Fernanda Ríos (es), MX: previous PPT
  troikaSV: 'U0SV0000001', // Rodrigo Alvarado (es), SV: next PPT
  memberCR: 'U0CR0000001', // Luis Mora (es)
  memberUS: 'U0US0000001', // Jennifer Walsh (en)
  observerJM: 'U0JM0000001', // Andre Campbell (en), observer country
  stranger: 'U0NOBODY001',
} as const;

export interface ResponseUrlPost {
  user: string;
  body: Record<string, unknown>;
}

export interface SlackAppWorld {
  engine: TestEngine;
  /** The meetings the app uses (the same database). */
  meetings: MeetingDeps;
  slack: FakeSlackApi;
  app: SlackApp;
  http: HttpServer;
  url: string;
  responses: ResponseUrlPost[];
  /** The response_url a request from `user` carries (posts to it land in `responses`). */
  responseUrl(user: string): string;
  post(request: SlackRequest, options?: PostOptions): Promise<SlackEventsResponse>;
  command(user: string, text: string, trigger?: string): Promise<{ res: SlackEventsResponse; triggerId: string }>;
  /** The view opened with this trigger id, waiting for it. */
  openedView(triggerId: string): Promise<Record<string, unknown> & { id: string; callback_id?: string; private_metadata?: string }>;
  submit(user: string, view: Record<string, unknown>, values: Record<string, StateValue>): Promise<SlackEventsResponse>;
  /** Resolves once no request to /slack/events is being processed (every listener has returned). */
  settled(): Promise<void>;
  /** Delivers every pending Slack outbox row (the deliver job's work, synchronously). */
  deliver(): Promise<void>;
  /** The latest card in `user`'s DM carrying button `actionId`. */
  card(user: string, actionId: string): FakeMessage & { channel: string };
  click(user: string, actionId: string, options?: { message?: FakeMessage & { channel: string }; value?: string; actionTs?: string; trigger?: string }): Promise<{ res: SlackEventsResponse; request: SlackRequest; triggerId: string }>;
  /** Private messages `user` got: ephemerals and response_url posts, as text. */
  privateTexts(user: string): string[];
  waitFor<T>(fn: () => T | undefined | Promise<T | undefined>, what: string, ms?: number): Promise<T>;
  close(): Promise<void>;
}

export interface WorldOptions {
  /** Replace the flows' dependencies / read model (e.g. a slow store). */
  deps?: (deps: FlowDeps) => FlowDeps;
  reader?: (reader: ConsultationReader) => ConsultationReader;
  viewBudgetMs?: number;
  /** Store acknowledged requests in the inbox, as `npm start` does (default true). */
  inbox?: boolean;
  /** How long app.stop() waits for the work in flight (default 20 s). */
  drainMs?: number;
  /** Files messages name, for `deliver()` (default none: such messages are posted as text alone). */
  attachments?: AttachmentSource;
  /** Retry of failed inbox rows while running (default 0: off, tests start it themselves). */
  retryEveryMs?: number;
  /** The app's logger (default silent, or SLACK_TEST_LOG's level). */
  logger?: Logger;
}

export async function startSlackAppWorld(label: string, options: WorldOptions = {}): Promise<SlackAppWorld> {
  const engine = await openTestEngine('postgres', label);
  const slack = await startFakeSlackApi();
  const responses: ResponseUrlPost[] = [];
  const recorder: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const user = decodeURIComponent((req.url ?? '').split('/').pop() ?? '');
      try {
        responses.push({ user, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown> });
      } catch {
        responses.push({ user, body: { raw: Buffer.concat(chunks).toString('utf8') } });
      }
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((r) => recorder.listen(0, '127.0.0.1', r));
  const recorderUrl = `http://127.0.0.1:${(recorder.address() as AddressInfo).port}`;

  const deps = options.deps ? options.deps(engine.deps) : engine.deps;
  const reader = options.reader ? options.reader(engine.consultations) : engine.consultations;
  const meetings: MeetingDeps = { meetings: new MeetingStore(engine.db.prisma), directory: engine.directory, clock: deps.clock, newId: randomUUID };
  const app = createSlackApp({
    slack: { signingSecret: SECRET, botToken: slack.token, apiUrl: slack.url },
    deps,
    reader,
    logger: options.logger ?? appLogger(),
    ...(options.viewBudgetMs ? { viewBudgetMs: options.viewBudgetMs } : {}),
    ...(options.inbox === false ? {} : { inbox: engine.inbox }),
    ...(options.drainMs !== undefined ? { drainMs: options.drainMs } : {}),
    meetings,
    retryEveryMs: options.retryEveryMs ?? 0,
  });
  // Each Slack route counted while its handler runs (the receiver returns once the listeners are done).
  let inFlight = 0;
  const idle: (() => void)[] = [];
  const routes = app.routes.map((r) => ({
    ...r,
    handler: async (ctx: Parameters<typeof r.handler>[0]) => {
      inFlight += 1;
      try {
        await r.handler(ctx);
      } finally {
        inFlight -= 1;
        if (inFlight === 0) for (const f of idle.splice(0)) f();
      }
    },
  }));
  const http = createHttpServer({ port: 0, host: '127.0.0.1', logger: silentLogger(), routes, shutdownGraceMs: 2_000 });
  const port = await http.listen();
  await app.start();
  const url = `http://127.0.0.1:${port}/slack/events`;
  const notifier = new SlackNotifier({
    client: createSlackWebClient({ token: slack.token, apiUrl: slack.url }),
    logger: silentLogger(),
    ...(options.attachments ? { attachments: options.attachments } : {}),
  });

  const waitFor = async <T>(fn: () => T | undefined | Promise<T | undefined>, what: string, ms = 10_000): Promise<T> => {
    const until = Date.now() + ms;
    for (;;) {
      const v = await fn();
      if (v !== undefined && v !== false) return v;
      if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  const post = (request: SlackRequest, o?: PostOptions) => postToSlackEvents(url, SECRET, request, o);

  const world: SlackAppWorld = {
    engine,
    meetings,
    slack,
    app,
    http,
    url,
    responses,
    responseUrl: (user) => `${recorderUrl}/r/${encodeURIComponent(user)}`,
    post,
    async command(user, text, trigger = newTriggerId()) {
      const res = await post(slashCommand({ userId: user, text, triggerId: trigger, responseUrl: `${recorderUrl}/r/${user}` }));
      return { res, triggerId: trigger };
    },
    async openedView(trigger) {
      const call = await waitFor(() => slack.callsOf('views.open').find((c) => c.args.trigger_id === trigger), `views.open ${trigger}`);
      const view = call.args.view as Record<string, unknown>;
      // The id the fake gave it: the views.open answer is not recorded, so re-derive from order.
      const index = slack.calls.filter((c) => ['views.open', 'views.update', 'views.publish'].includes(c.method)).indexOf(call);
      return { ...view, id: `V0FAKE${String(index + 1).padStart(4, '0')}` } as Record<string, unknown> & { id: string };
    },
    settled() {
      return inFlight === 0 ? Promise.resolve() : new Promise<void>((r) => idle.push(r));
    },
    submit(user, view, values) {
      return post(viewSubmission({ userId: user, callbackId: String(view.callback_id), values, view, viewId: String(view.id) }));
    },
    async deliver() {
      const rows = await engine.outbox.pending(500, new Date(Date.now() + 60_000));
      for (const row of rows) {
        if (row.platform !== 'slack') {
          await engine.outbox.markDead(row.id, 'not slack');
          continue;
        }
        const outcome = await notifier.send({ id: row.id, dedupeKey: row.dedupeKey, platform: row.platform, recipient: row.recipient, kind: row.kind, payload: row.payload, ...(row.receipt ? { receipt: row.receipt } : {}) });
        if (outcome.ok) await engine.outbox.markSent(row.id, outcome.receipt);
        else throw new Error(`delivery of ${row.kind} failed: ${outcome.error}`);
      }
    },
    card(user, actionId) {
      const channel = slack.dmChannelOf(user);
      const list = slack.messages(channel).filter((m) => findButton(m.blocks, actionId));
      const last = list.at(-1);
      if (!last) throw new Error(`no card with ${actionId} for ${user}`);
      return { ...last, channel };
    },
    async click(user, actionId, o = {}) {
      const message = o.message ?? world.card(user, actionId);
      const value = o.value ?? findButton(message.blocks, actionId)?.value ?? '';
      const trigger = o.trigger ?? newTriggerId();
      const request = blockActions({
        userId: user,
        actionId,
        value,
        message: { channel: message.channel, ts: message.ts, text: message.text, ...(message.blocks ? { blocks: message.blocks } : {}) },
        responseUrl: `${recorderUrl}/r/${user}`,
        triggerId: trigger,
        ...(o.actionTs ? { actionTs: o.actionTs } : {}),
      });
      return { res: await post(request), request, triggerId: trigger };
    },
    privateTexts(user) {
      const ephemerals = slack.callsOf('chat.postEphemeral').filter((c) => c.args.user === user).map((c) => String(c.args.text ?? ''));
      const viaUrl = responses.filter((r) => r.user === user).map((r) => String(r.body.text ?? ''));
      return [...ephemerals, ...viaUrl];
    },
    waitFor,
    async close() {
      await app.stop();
      await http.close();
      await new Promise<void>((r) => recorder.close(() => r()));
      await slack.close();
      await engine.dispose();
    },
  };
  return world;
}

export type { SlackReceipt };
