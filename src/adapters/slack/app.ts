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
 */
import { randomUUID } from 'node:crypto';
import { App, SocketModeReceiver, type Receiver } from '@slack/bolt';
import type { FlowDeps } from '../../flows/ports.ts';
import type { ConsultationReader } from '../../flows/queries.ts';
import type { Route } from '../../http/server.ts';
import type { Logger } from '../../log.ts';
import { SlackIdentity } from './identity.ts';
import { registerListeners } from './listeners/index.ts';
import type { SlackListenerContext } from './listeners/shared.ts';
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
}

export interface SlackApp {
  app: App;
  mode: 'http' | 'socket';
  /** Routes to add to the HTTP server (HTTP mode: POST /slack/events; Socket Mode: none). */
  routes: Route[];
  start(): Promise<void>;
  stop(): Promise<void>;
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
  let receiver: Receiver;
  let routes: Route[] = [];
  let mode: SlackApp['mode'];
  if (slack.appToken) {
    mode = 'socket';
    receiver = new SocketModeReceiver({
      appToken: slack.appToken,
      logger: boltLogger,
      customPropertiesExtractor: () => ({ requestId: randomUUID() }),
    });
  } else {
    mode = 'http';
    const http = new HttpRouteReceiver({ signingSecret: slack.signingSecret!, logger: log });
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
  const ctx: SlackListenerContext = {
    deps: options.deps,
    reader: options.reader,
    client,
    identity: new SlackIdentity(options.deps.directory, client, log),
    logger: log,
    viewBudgetMs: options.viewBudgetMs ?? 2000,
    checkBudgetMs: options.checkBudgetMs ?? 1200,
  };
  registerListeners(app, ctx);

  return {
    app,
    mode,
    routes,
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
    },
    async stop() {
      if (mode === 'socket') await app.stop();
    },
  };
}
