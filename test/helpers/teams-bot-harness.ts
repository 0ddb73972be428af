/**
 * A child process for the Teams e2e tests: our HTTP server with the Teams SDK mounted at /api/messages,
 * configured only from the TEAMS_* variables (src/adapters/teams/config.ts), trusting the local CA through
 * NODE_EXTRA_CA_CERTS as a deployment behind a private CA would. A real Node process, so the real
 * TLS, JWT and MSAL code runs as in production.
 *
 * What it adds for the tests (not part of the bot):
 *   - every activity that reaches a handler is recorded; `GET /test/received` lists them;
 *   - a message is answered `pong: <text>` with ctx.send (the SDK's client, our token provider);
 *   - an `adaptiveCard/action` invoke is answered with a card naming its verb and data;
 *   - `POST /test/proactive { serviceUrl?, tenantId, userId, text }` starts a personal conversation and
 *     sends a message with our connector client; answers `{ ok, conversationId, activityId }` or
 *     `{ ok: false, kind, reason, status, code, retryAfterMs }`.
 *   - `POST /test/sdk-token-manager`: the SDK's own token manager (clientSecret instead of `token`) asked
 *     for a token at TEAMS_LOGIN_URL, to show why we do not use it.
 * Prints `READY <port>` when listening.
 */
import { loadTeamsConfig } from '../../src/adapters/teams/config.ts';
import { ConnectorError, createConnectorClient } from '../../src/adapters/teams/connector-client.ts';
import { App } from '@microsoft/teams.apps';
import { sdkLogger } from '../../src/adapters/teams/sdk-logger.ts';
import { renderCard } from '../../src/adapters/teams/render.ts';
import { createTeamsApp } from '../../src/adapters/teams/teams-app.ts';
import { createHttpServer, sendJson } from '../../src/http/server.ts';
import { createLogger } from '../../src/log.ts';

const config = loadTeamsConfig(process.env);
if (!config) throw new Error('harness: TEAMS_APP_ID and TEAMS_APP_PASSWORD are required');
const logger = createLogger((process.env.LOG_LEVEL as 'warn' | undefined) ?? 'warn');
const server = createHttpServer({ port: 0, host: '127.0.0.1', logger });
const { app, tokens, serviceUrls } = await createTeamsApp({ config, server, logger });
const connector = createConnectorClient({ appId: config.appId, getToken: () => tokens.getToken(), serviceUrls });

const received: { type: string; id?: string; text?: string; from?: string }[] = [];
app.use(async ({ activity, next }) => {
  received.push({ type: activity.type, id: activity.id, from: activity.from?.id, ...('text' in activity ? { text: String(activity.text) } : {}) });
  return next();
});
app.on('message', async ({ activity, send }) => {
  await send(`pong: ${activity.text}`);
});
// An Action.Execute click is answered with a card naming the verb and echoing the data it carried.
app.on('card.action', async ({ activity }) => ({
  statusCode: 200,
  type: 'application/vnd.microsoft.card.adaptive' as const,
  value: renderCard({
    kind: 'status',
    locale: 'es',
    consultationId: 'c-1',
    reference: 'CRM-2026-001',
    heading: `verb: ${activity.value.action.verb}`,
    body: [JSON.stringify(activity.value.action.data)],
    fields: [],
    buttons: [],
  }),
}));

server.addRoute({ method: 'GET', path: '/test/received', handler: ({ res }) => sendJson(res, 200, received) });
server.addRoute({
  method: 'POST',
  path: '/test/proactive',
  handler: async ({ res, body }) => {
    const req = JSON.parse(body.toString('utf8')) as { serviceUrl?: string; tenantId: string; userId: string; text: string };
    const serviceUrl = req.serviceUrl ?? config.serviceUrl ?? '';
    try {
      const conv = await connector.createConversation({ serviceUrl, tenantId: req.tenantId, userId: req.userId });
      const sent = await connector.sendActivity(serviceUrl, conv.id, { type: 'message', text: req.text });
      sendJson(res, 200, { ok: true, conversationId: conv.id, activityId: sent.id });
    } catch (err) {
      if (!(err instanceof ConnectorError)) throw err;
      const { kind, reason, status, code, retryAfterMs } = err;
      sendJson(res, 200, { ok: false, kind, reason, status, code, retryAfterMs });
    }
  },
});

// Measures why token-provider.ts exists: the SDK's own TokenManager (clientSecret given) against the
// same authority host. Answers { ok } or { ok: false, error }.
server.addRoute({
  method: 'POST',
  path: '/test/sdk-token-manager',
  handler: async ({ res }) => {
    const own = new App({
      clientId: config.appId,
      clientSecret: config.appPassword,
      tenantId: config.tokenTenant,
      cloud: config.cloud,
      serviceUrl: config.serviceUrl ?? '',
      httpServerAdapter: { registerRoute: () => undefined },
      dangerouslyAllowUnauthenticatedRequests: false,
      logger: sdkLogger(logger),
    });
    try {
      await own['getBotToken']();
      sendJson(res, 200, { ok: true });
    } catch (err) {
      sendJson(res, 200, { ok: false, error: err instanceof Error ? `${err.name}: ${err.message}`.slice(0, 300) : 'unknown' });
    }
  },
});

const port = await server.listen();
process.stdout.write(`READY ${port}\n`);
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
