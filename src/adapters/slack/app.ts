/**
 * The Slack app: a Bolt 5 App whose transport is ours.
 *
 *   const slack = createSlackApp({ slack: config.slack, deps: engine.deps, reader: engine.consultations, logger });
 *   for (const route of slack.routes) http.addRoute(route);   // HTTP mode: POST /slack/events
 *   await slack.start();                                        // Socket Mode: connects; HTTP mode: nothing
 *
 * Transport: with SLACK_APP_TOKEN, Bolt's SocketModeReceiver (no public URL); otherwise HttpRouteReceiver
 * (./receiver.ts) on the one HTTP server, with the signing secret. Both give the listeners the same
 * arguments, and `context.requestId` for the logs and the generic error message.
 *
 * Authorization: our own `authorize` returns the bot token at once (single workspace), so no request waits
 * for auth.test before its ack (Bolt's default with a token calls it at start-up and caches a failure
 * forever, or on every request when verification is off). The bot's user id is read once in the background
 * at start for the logs.
 *
 * Web API: one client (createSlackWebClient) on config.slack.apiUrl, with no retries of its own, used by
 * the listeners; Bolt's per-request client gets the same options.
 *
 * Durability (./inbox.ts): with an inbox store, both transports commit each request that promises durable
 * work before it can be acknowledged; `replay()` (at start, before serving) runs what the last run left
 * unprocessed, and `stop()` refuses new requests and drains the work in flight.
 */
import { randomUUID } from 'node:crypto';
import { App, SocketModeReceiver, type Receiver } from '@slack/bolt';
import type { FlowDeps } from '../../flows/ports.ts';
import type { ConsultationReader } from '../../flows/queries.ts';
import type { Route } from '../../http/server.ts';
import type { Logger } from '../../log.ts';
import type { InboxStore } from '../../store/inbox-store.ts';
import { Interaction } from '../../interaction/interaction.ts';
import { SlackInteractions, type ReplaySummary } from './inbox.ts';
import { SlackIdentity } from './identity.ts';
import { registerListeners } from './listeners/index.ts';
import type { SlackListenerContext } from './listeners/shared.ts';
import type { MeetingDeps } from '../../flows/meeting-flows.ts';
import { HttpRouteReceiver } from './receiver.ts';
import { createSlackWebClient, slackLogger } from './slack-notifier.ts';

export interface SlackAppConfig {
  signingSecret?: string;
  botToken?: string;
  appToken?: string;
  apiUrl: string;
}

export interface CreateSlackAppOptions {
  slack: SlackAppConfig;
  deps: FlowDeps;
  reader: ConsultationReader;
  logger: Logger;
  /** See SlackListenerContext. */
  viewBudgetMs?: number;
  checkBudgetMs?: number;
  /** Web API timeout for the listeners' calls (default 10 s). */
  apiTimeoutMs?: number;
  /** Where acknowledged requests are stored before their ack (none: nothing is stored). */
  inbox?: InboxStore;
  /** How long `stop()` waits for the work in flight (default 20 s). */
  drainMs?: number;
  /** Meetings: invitation answers and the meetings commands (see SlackListenerContext). */
  meetings?: MeetingDeps;
  /** HTTP mode: a request nobody acknowledged within this is answered 200 empty (default 2.8 s; see receiver.ts). */
  ackDeadlineMs?: number;
  /** How often, while running, rows whose work failed are retried (./inbox.ts startRetrying; default 10 s; 0: never). */
  retryEveryMs?: number;
  /** How long the start's replay may take before the bot serves (default 30 s; the rest is retried while serving). */
  replayBudgetMs?: number;
}

export interface SlackApp {
  app: App;
  mode: 'http' | 'socket';
  /** Routes to add to the HTTP server (HTTP mode: POST /slack/events; Socket Mode: none). */
  routes: Route[];
  /** The inbox and the work in flight. */
  interactions: SlackInteractions;
  /** Runs the requests the last run acknowledged but did not finish. Call before serving. */
  replay(): Promise<ReplaySummary>;
  start(): Promise<void>;
  /** Refuses new requests (503), waits for the work in flight (bounded), closes Socket Mode. */
  stop(): Promise<void>;
}

/**
 * Socket Mode's receiver calls `app.processEvent` itself: hand it an App whose processEvent goes through the
 * inbox first (everything else is the real App).
 */
export function throughInbox(inner: Receiver, interactions: SlackInteractions): Receiver {
  return {
    init(app: App) {
      const processEvent: App['processEvent'] = async (event) => {
        const admission = await interactions.admit(app, event);
        if (!admission.ok) throw new Error(`slack: request not accepted (${admission.reason})`);
        await admission.run();
      };
      inner.init(new Proxy(app, { get: (target, prop) => (prop === 'processEvent' ? processEvent : Reflect.get(target, prop, target)) }));
    },
    start: (...args: unknown[]) => inner.start(...args),
    stop: (...args: unknown[]) => inner.stop(...args),
  };
}

export class SlackConfigError extends Error {
  override name = 'SlackConfigError';
}

export function createSlackApp(options: CreateSlackAppOptions): SlackApp {
  const { slack } = options;
  const log = options.logger.child({ adapter: 'slack' });
  if (!slack.botToken) throw new SlackConfigError('SLACK_BOT_TOKEN is required for Slack');
  if (!slack.appToken && !slack.signingSecret) throw new SlackConfigError('SLACK_SIGNING_SECRET (HTTP) or SLACK_APP_TOKEN (Socket Mode) is required for Slack');

  const boltLogger = slackLogger(log);
  const interactions = new SlackInteractions({
    logger: log,
    ...(options.inbox ? { store: options.inbox } : {}),
    ...(options.retryEveryMs ? { retryEveryMs: options.retryEveryMs } : {}),
  });
  let stopRetrying: (() => Promise<void>) | undefined;
  const drainMs = options.drainMs ?? 20_000;
  let receiver: Receiver;
  let routes: Route[] = [];
  let mode: SlackApp['mode'];
  if (slack.appToken) {
    mode = 'socket';
    const socket = new SocketModeReceiver({
      appToken: slack.appToken,
      logger: boltLogger,
      customPropertiesExtractor: () => ({ requestId: randomUUID() }),
    });
    receiver = throughInbox(socket, interactions);
  } else {
    mode = 'http';
    const http = new HttpRouteReceiver({ signingSecret: slack.signingSecret!, logger: log, interactions, drainMs, ...(options.ackDeadlineMs ? { ackDeadlineMs: options.ackDeadlineMs } : {}) });
    receiver = http;
    routes = [http.route()];
  }

  const botToken = slack.botToken;
  let bot: { botId?: string; botUserId?: string } = {};
  const app = new App({
    receiver,
    authorize: async () => ({ botToken, ...bot }),
    logger: boltLogger,
    clientOptions: { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true },
    convoStore: false,
  });
  app.error(async (error) => {
    // Listeners catch their own failures (shared.ts guarded); this is for anything that escapes them.
    log.error({ err: error }, 'slack: unhandled listener error');
  });

  const client = createSlackWebClient({ token: botToken, apiUrl: slack.apiUrl, logger: log, timeoutMs: options.apiTimeoutMs ?? 10_000 });
  const identity = new SlackIdentity(options.deps.directory, client, log);
  const ctx: SlackListenerContext = {
    deps: options.deps,
    reader: options.reader,
    client,
    identity,
    interaction: new Interaction({ deps: options.deps, reader: options.reader, identity, logger: log, ...(options.meetings ? { meetings: options.meetings } : {}) }),
    logger: log,
    viewBudgetMs: options.viewBudgetMs ?? 2000,
    checkBudgetMs: options.checkBudgetMs ?? 1200,
    ...(options.meetings ? { meetings: options.meetings } : {}),
  };
  registerListeners(app, ctx);

  return {
    app,
    mode,
    routes,
    interactions,
    replay: () => interactions.replay(app, { budgetMs: options.replayBudgetMs ?? 30_000 }),
    async start() {
      // Who the bot is, for the logs (and Bolt's ignoreSelf); never blocks a request.
      void client.auth
        .test()
        .then((r) => {
          bot = { ...(r.bot_id ? { botId: r.bot_id } : {}), ...(r.user_id ? { botUserId: r.user_id } : {}) };
          log.info({ team: r.team_id, botUserId: r.user_id, mode }, 'slack: connected');
        })
        .catch((err: unknown) => log.error({ error: err instanceof Error ? err.message : String(err) }, 'slack: auth.test failed; check SLACK_BOT_TOKEN'));
      if (mode === 'socket') await app.start();
      // Work that fails under the bot (the database went away after the ack) is retried while it runs.
      if (options.retryEveryMs !== 0) stopRetrying ??= interactions.startRetrying(app);
    },
    async stop() {
      interactions.stopAccepting();
      await stopRetrying?.();
      if (mode === 'socket') await app.stop().catch((err: unknown) => log.warn({ err }, 'slack: Socket Mode did not close cleanly'));
      await interactions.drain(drainMs);
    },
  };
}
