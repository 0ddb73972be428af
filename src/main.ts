/**
 * Composition root of `npm start`: configuration → logger → database and live directory → jobs backend →
 * Slack (replaying what the last run acknowledged but did not finish) → Microsoft Teams when TEAMS_APP_ID
 * and TEAMS_APP_PASSWORD are set (the Teams SDK on POST /api/messages, with its real JWT validation, and
 * the Teams notifier) → the local console when CRM_CONSOLE is on, or by default with neither platform
 * (src/adapters/console: GET /console, and the notifier for what people on a platform that is off receive)
 * → HTTP server (/healthz, /readyz, /metrics, /slack/events, /api/messages, /console).
 *
 * Shutdown (SIGTERM/SIGINT, ./app/shutdown.ts; repeated signals are ignored): /readyz turns 503 and Slack
 * requests get 503; the Slack work in flight is drained (at most `drainMs`, 20 s); then the HTTP server,
 * the job workers (waiting for their jobs), the queues and the database are closed, in that order.
 * Last, the OpenTelemetry SDK (when OTEL_EXPORTER_OTLP_ENDPOINT is set, ./telemetry.ts) flushes its spans.
 * Whatever the drain could not finish, and anything cut short by SIGKILL or a power cut, is in the inbox
 * and replayed at the next start.
 */
import { openEngine, type Engine } from './app/context.ts';
import { loadConfig, type Config } from './config.ts';
import { loadedDotEnv } from './env-file.ts';
import { observeCommand } from './http/metrics.ts';
import { createHttpServer, type HttpServer } from './http/server.ts';
import { createEmailChannel, loadEmailConfig, type EmailChannel } from './adapters/email/index.ts';
import { createConsole, loadConsoleConfig, CONSOLE_PATH, type ConsoleAdapter } from './adapters/console/index.ts';
import { createSlackApp, type SlackApp } from './adapters/slack/app.ts';
import { createSlackWebClient, responseUrlOrigins, SlackNotifier } from './adapters/slack/slack-notifier.ts';
import { loadTeamsConfig, type TeamsConfig } from './adapters/teams/config.ts';
import { TrustedServiceUrls } from './adapters/teams/service-urls.ts';
import type { BotTokenProvider } from './adapters/teams/token-provider.ts';
import { TeamsConversationStore } from './store/teams-conversation-store.ts';
import { createJobsBackend, type JobsBackend } from './jobs/backend.ts';
import { startJobs, type RunningJobs } from './jobs/index.ts';
import { watchOperations } from './jobs/queue-stats.ts';
import { MultiNotifier, type Notifier } from './jobs/notifier.ts';
import { addLogSecret, createLogger, secretsInEnv, type Logger } from './log.ts';
import { stopOnSignals } from './app/shutdown.ts';
import { startTelemetry } from './telemetry.ts';
import { recordAttachments } from './record/attachment.ts';
import { pictureAttachments } from './pictures/attachment.ts';
import { attachmentsByKind, meetingCalendarAttachments } from './jobs/meeting-attachments.ts';
import { MeetingStore } from './store/meeting-store.ts';
import { enqueueDeliveries } from './jobs/deliver.ts';
import type { MeetingDeps } from './flows/meeting-flows.ts';
import { randomUUID } from 'node:crypto';

export interface RunningBot {
  config: Config;
  logger: Logger;
  engine: Engine;
  jobs: JobsBackend;
  running: RunningJobs;
  http: HttpServer;
  /** The Slack app when Slack is configured (HTTP on /slack/events, or Socket Mode). */
  slack?: SlackApp;
  /** Teams' configuration when TEAMS_APP_ID and TEAMS_APP_PASSWORD are set (POST /api/messages). */
  teams?: TeamsConfig;
  /** The local console (GET /console) when CRM_CONSOLE is on, or by default with neither Slack nor Teams. */
  console?: ConsoleAdapter;
  port: number;
  stop(): Promise<void>;
}

export interface StartBotOptions {
  /** How long a shutdown waits for the Slack work in flight (default 20 s). */
  drainMs?: number;
  /** The logger (default: one at the configured LOG_LEVEL). */
  logger?: Logger;
  /**
   * The domain's clock (default: the system's). `npm run transcript` sets it, so the times people read
   * are the same at every run; bookkeeping times (outbox, inbox, BullMQ delays' base) stay the system's.
   */
  clock?: () => Date;
  /**
   * Slack's answer budgets (src/adapters/slack/app.ts; defaults fit Slack's 3 s): how long a modal
   * submission waits for its work before closing the form and answering privately, a click for its access
   * check, and any request for its ack. `npm run transcript` raises them, so that a loaded machine shows
   * people the same thing at every run (a fake Slack API waits as long as needed).
   */
  slackBudgets?: { viewBudgetMs?: number; checkBudgetMs?: number; ackDeadlineMs?: number };
}

export const DEFAULT_DRAIN_MS = 20_000;

export async function startBot(env: NodeJS.ProcessEnv = process.env, options: StartBotOptions = {}): Promise<RunningBot> {
  const drainMs = options.drainMs ?? DEFAULT_DRAIN_MS;
  const config = loadConfig(env);
  const emailConfig = loadEmailConfig(env, config.port);
  for (const secret of secretsInEnv(env)) addLogSecret(secret); // every logger censors them (src/log.ts)
  const teamsConfig = loadTeamsConfig(env);
  const consoleConfig = loadConsoleConfig(env, { slack: Boolean(config.slack), teams: Boolean(teamsConfig) });
  const logger = options.logger ?? createLogger(config.logLevel);
  // Before anything traced runs; flushed last in `stop` (./telemetry.ts). Off without the variable.
  const telemetry = await startTelemetry(config.otlpEndpoint, (err) => logger.warn({ err }, 'tracing: could not flush the last spans'));
  if (telemetry.endpoint) logger.info({ tracing: 'OpenTelemetry traces exported over OTLP/HTTP (OTEL_EXPORTER_OTLP_ENDPOINT)' }, 'tracing on');
  logger.info(
    {
      database: config.databaseUrl ? 'postgresql (DATABASE_URL)' : `embedded PGlite in ${config.dataDir} (default: DATABASE_URL not set)`,
      queue: config.redisUrl
        ? 'BullMQ on Redis (REDIS_URL)'
        : config.databaseUrl
          ? 'BullMQ on PostgreSQL (DATABASE_URL)'
          : `BullMQ on embedded PGlite in ${config.dataDir}/queue (default: REDIS_URL and DATABASE_URL not set)`,
      directory: config.directoryIsExample ? `${config.directoryPath} (the example: CRM_DIRECTORY not set)` : config.directoryPath,
      slack: config.slack ? 'configured' : 'off (SLACK_SIGNING_SECRET / SLACK_BOT_TOKEN not set)',
      mail: emailConfig ? `on (SMTP_URL), links to ${emailConfig.publicUrl}/answer/…` : 'off (SMTP_URL not set)',
      teams: teamsConfig
        ? `configured (${teamsConfig.cloudName} cloud, ${teamsConfig.tenantId ? `tenant ${teamsConfig.tenantId}` : 'multi-tenant'})`
        : 'off (TEAMS_APP_ID / TEAMS_APP_PASSWORD not set)',
      console: consoleConfig.enabled
        ? `on (${consoleConfig.source === 'default' ? 'default: neither Slack nor Teams configured' : 'CRM_CONSOLE=on'})${consoleConfig.loopbackOnly ? ', listening on 127.0.0.1 only' : ''}`
        : `off (${consoleConfig.source === 'default' ? 'default with Slack or Teams configured' : 'CRM_CONSOLE=off'})`,
      ...envFileLine(),
    },
    'CRM consultation bot starting',
  );

  const engine = await openEngine(config, { logger, checkDirectoryFile: true, ...(options.clock ? { clock: options.clock } : {}) });
  engine.deps.observe = observeCommand;
  logger.info({ kind: engine.db.kind, directory: engine.directory.source.path }, 'database ready');

  let jobs: JobsBackend;
  try {
    jobs = await createJobsBackend({
      ...(config.redisUrl ? { redisUrl: config.redisUrl } : {}),
      ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}),
      ...(config.jobsPrefix ? { prefix: config.jobsPrefix } : {}),
      dataDir: config.dataDir,
      onError: (err, source) => logger.error({ err, source }, 'jobs backend error'),
    });
  } catch (e) {
    await engine.close();
    throw e;
  }
  logger.info({ kind: jobs.kind }, 'jobs backend ready');
  const unwatch = watchOperations(engine, jobs); // /metrics: queues and outbox, read on scrape

  const notifiers: Record<string, Notifier> = {};
  if (config.slack?.botToken) {
    notifiers.slack = new SlackNotifier({
      client: createSlackWebClient({ token: config.slack.botToken, apiUrl: config.slack.apiUrl, logger }),
      logger,
      // A click's response URL updates the clicker's card (Slack's hooks; the local fake's own origin).
      responseUrlOrigins: responseUrlOrigins(config.slack.apiUrl),
      // The audit record shared after the digest, rendered from the database when it is delivered.
      // …and the meetings' calendar files after their invitations (src/jobs/meeting-attachments.ts).
      attachments: attachmentsByKind({
        consultation_record: recordAttachments({ consultations: engine.consultations, outbox: engine.outbox, directory: () => engine.directory.current() }),
        // …and the status picture next to it (src/pictures/attachment.ts).
        consultation_picture: pictureAttachments({
          consultations: engine.consultations,
          outbox: engine.outbox,
          directory: () => engine.directory.current(),
          reminders: async (consultationId) =>
            (await engine.db.prisma.reminderSent.findMany({ where: { consultationId }, select: { sentAt: true, country: true } })).map((r) => ({ at: r.sentAt.toISOString(), country: r.country })),
        }),
        meeting_calendar: meetingCalendarAttachments({ meetings: new MeetingStore(engine.db.prisma), directory: () => engine.directory.current() }),
      }),
    });
  }
  // Teams: one MSAL token cache for the SDK's replies and our proactive messages; the conversation
  // references the listeners store are where the notifier writes.
  let teamsTokens: BotTokenProvider | undefined;
  // Where the bot may send its Bot Connector token (./adapters/teams/service-urls.ts): the configured
  // service URL, those of activities the SDK authenticated, and those stored from such activities earlier.
  const teamsServiceUrls = teamsConfig ? new TrustedServiceUrls([teamsConfig.serviceUrl]) : undefined;
  if (teamsServiceUrls) {
    const stored = await engine.db.prisma.teamsConversation.findMany({ select: { serviceUrl: true }, distinct: ['serviceUrl'] });
    teamsServiceUrls.trustStored(stored.map((r) => r.serviceUrl));
  }
  const teamsConversations = teamsConfig ? new TeamsConversationStore(engine.db.prisma) : undefined;
  // The Teams SDK, MSAL and the Teams adapter are imported only when Teams is configured (loadTeamsModules, below).
  const teamsModules = teamsConfig ? await loadTeamsModules() : undefined;
  if (teamsConfig && teamsConversations && teamsModules) {
    const { createBotTokenProvider, TeamsNotifier, createConnectorClient } = teamsModules;
    teamsTokens = createBotTokenProvider(teamsConfig, logger);
    const tokens = teamsTokens;
    notifiers.teams = new TeamsNotifier({
      connector: createConnectorClient({ appId: teamsConfig.appId, getToken: () => tokens.getToken(), serviceUrls: teamsServiceUrls! }),
      conversations: teamsConversations,
      config: teamsConfig,
      logger,
    });
  }
  let running: RunningJobs;
  let email: EmailChannel | undefined;
  let consoleAdapter: ConsoleAdapter | undefined;
  // Meetings, for the chat adapters and the console (src/interaction/meetings.ts): the same store, directory
  // and clock; invitations by e-mail once the e-mail channel is configured (below).
  const meetings: MeetingDeps = {
    meetings: new MeetingStore(engine.db.prisma),
    directory: engine.directory,
    clock: engine.deps.clock,
    newId: randomUUID,
    enqueueDeliveries: (ids) => enqueueDeliveries(jobs, ids),
    get emailInvitations() {
      return email !== undefined;
    },
  };
  try {
    email = emailConfig ? await createEmailChannel(engine, emailConfig) : undefined;
    if (email) notifiers.email = email.notifier;
    // The console: its own cards, and what people on a platform that is off receive (src/adapters/console).
    consoleAdapter = consoleConfig.enabled ? createConsole(engine, { logger, meetings }) : undefined;
    if (consoleAdapter) Object.assign(notifiers, consoleAdapter.notifiersFor(notifiers));
    if (consoleAdapter) logger.info({ cards: await consoleAdapter.restore() }, 'console: seats rebuilt from the outbox');
    running = await startJobs(engine, jobs, new MultiNotifier(notifiers), {
      logger,
      weeklyDigest: { enabled: config.weeklyDigest !== false },
      ...(email ? { fallback: email.fallback } : {}),
    });
  } catch (e) {
    await jobs.close().catch(() => undefined);
    await engine.close();
    throw e;
  }

  let stopping: Promise<void> | undefined;
  const http = createHttpServer({
    port: config.port,
    // With no platform configured nothing outside needs the bot: the console's machine only.
    ...(consoleConfig.loopbackOnly ? { host: '127.0.0.1' } : {}),
    logger,
    readiness: {
      database: () => engine.db.ping(),
      queue: () => jobs.ping(),
      shutdown: () => (stopping ? Promise.reject(new Error('shutting down')) : Promise.resolve()),
    },
  });
  for (const route of email?.routes ?? []) http.addRoute(route);
  for (const route of consoleAdapter?.routes ?? []) http.addRoute(route);
  // Slack: the Bolt app's routes on this same server (HTTP mode) or a Socket Mode connection.
  let slack: SlackApp | undefined;
  if (config.slack) {
    if (config.slack.botToken && (config.slack.signingSecret || config.slack.appToken)) {
      slack = createSlackApp({
        slack: config.slack,
        deps: engine.deps,
        reader: engine.consultations,
        logger,
        inbox: engine.inbox,
        drainMs,
        ...options.slackBudgets,
        meetings,
      });
      for (const route of slack.routes) http.addRoute(route);
    } else {
      logger.warn(
        'Slack requests are off: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (HTTP) or SLACK_APP_TOKEN (Socket Mode)',
      );
    }
  }

  // Teams: the SDK's App on this same server (POST /api/messages); every request's Bot Framework JWT is
  // validated by the SDK before any listener runs, unauthenticated requests are never allowed.
  if (teamsConfig && teamsConversations && teamsTokens && teamsModules) {
    const { createTeamsApp, registerTeamsListeners } = teamsModules;
    try {
      const { app } = await createTeamsApp({ config: teamsConfig, server: http, logger, tokens: teamsTokens, ...(teamsServiceUrls ? { serviceUrls: teamsServiceUrls } : {}) });
      registerTeamsListeners(app, { conversations: teamsConversations, directory: engine.directory, logger, flows: engine.deps, reader: engine.consultations, meetings });
    } catch (err) {
      await running.stop().catch(() => undefined);
      await jobs.close().catch(() => undefined);
      await engine.close();
      throw err;
    }
  }

  // Before serving: what the last run acknowledged but did not finish (a deploy, a crash), in arrival order.
  if (slack) {
    try {
      await slack.replay();
    } catch (err) {
      await running.stop().catch(() => undefined);
      await jobs.close().catch(() => undefined);
      await engine.close();
      throw err;
    }
  }

  const port = await http.listen();
  if (consoleAdapter) {
    logger.info({ standsInFor: consoleAdapter.standsInFor() }, `console: open http://127.0.0.1:${port}${CONSOLE_PATH}`);
  }
  logger.info(
    { port, slack: slack?.mode ?? 'off', teams: teamsConfig ? 'on' : 'off', console: consoleAdapter ? 'on' : 'off' },
    `listening on http://localhost:${port} (GET /healthz, /readyz, /metrics${slack?.mode === 'http' ? ', POST /slack/events' : ''}${teamsModules ? `, POST ${teamsModules.TEAMS_MESSAGING_PATH}` : ''}${consoleAdapter ? `, GET ${CONSOLE_PATH}` : ''})`,
  );
  if (slack) {
    try {
      await slack.start();
    } catch (err) {
      logger.error({ err }, 'slack: could not start (Socket Mode connection); Slack requests are off');
    }
  }

  const stop = () =>
    (stopping ??= (async () => {
      logger.info('shutting down: no new requests or jobs; finishing those in flight');
      // Slack first: new requests get 503, the work in flight finishes while the database is still open.
      await slack?.stop().catch((err: unknown) => logger.error({ err }, 'slack stop failed'));
      consoleAdapter?.close(); // its live streams would hold the HTTP server open
      await http.close().catch((err: unknown) => logger.error({ err }, 'http close failed'));
      await running.stop().catch((err: unknown) => logger.error({ err }, 'workers close failed'));
      unwatch();
      await jobs.close().catch((err: unknown) => logger.error({ err }, 'jobs close failed'));
      email?.close();
      await engine.close().catch((err: unknown) => logger.error({ err }, 'database close failed'));
      await telemetry.shutdown(); // the spans still batched are exported (never rejects)
      logger.info('stopped');
    })());
  return { config, logger, engine, jobs, running, http, ...(slack ? { slack } : {}), ...(teamsConfig ? { teams: teamsConfig } : {}), ...(consoleAdapter ? { console: consoleAdapter } : {}), port, stop };
}

/** The Teams adapter's modules (the Teams SDK and MSAL behind them), loaded at a start with Teams configured. */
async function loadTeamsModules() {
  const [tokens, notifier, connector, app, listeners] = await Promise.all([
    import('./adapters/teams/token-provider.ts'),
    import('./adapters/teams/teams-notifier.ts'),
    import('./adapters/teams/connector-client.ts'),
    import('./adapters/teams/teams-app.ts'),
    import('./adapters/teams/listeners.ts'),
  ]);
  return {
    createBotTokenProvider: tokens.createBotTokenProvider,
    TeamsNotifier: notifier.TeamsNotifier,
    createConnectorClient: connector.createConnectorClient,
    createTeamsApp: app.createTeamsApp,
    TEAMS_MESSAGING_PATH: app.TEAMS_MESSAGING_PATH,
    registerTeamsListeners: listeners.registerTeamsListeners,
  };
}

/** The .env that bin/start.mjs read, by variable names only (never values). */
function envFileLine(): { envFile?: string } {
  const e = loadedDotEnv();
  if (!e) return {};
  const kept = e.kept.length ? `; kept from the environment: ${e.kept.join(', ')}` : '';
  return { envFile: `${e.path} (set: ${e.applied.join(', ') || 'nothing'}${kept})` };
}

/**
 * `npm start` (`node bin/start.mjs`): run until SIGTERM/SIGINT. The signals are handled from the first
 * moment: one that arrives while the bot is still starting (migrating, replaying) lets the start finish,
 * then stops gracefully, instead of killing the process in the middle of a write.
 */
export async function main(): Promise<void> {
  let logger: Logger;
  try {
    logger = createLogger(loadConfig().logLevel);
  } catch (e) {
    process.stderr.write(`crm: could not start: ${(e as Error).message}\n`);
    process.exitCode = 1;
    return;
  }
  const starting = startBot(process.env, { logger });
  stopOnSignals(
    process,
    async () => (await starting).stop(), // a start that failed exits 1
    { logger, exit: (code) => process.exit(code), forceAfterMs: DEFAULT_DRAIN_MS + 25_000, ready: starting },
  );
  try {
    await starting;
  } catch (e) {
    process.stderr.write(`crm: could not start: ${(e as Error).message}\n`);
    process.exitCode = 1;
  }
}
