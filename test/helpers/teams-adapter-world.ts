/**
 * The Teams adapter in-process over real loopback HTTP: our HTTP server with the Teams SDK's
 * `/api/messages` (its own JWT validation against the local Bot Framework key set over HTTPS), the adapter's
 * listeners (src/adapters/teams/listeners.ts) on a fresh PostgreSQL database whose directory has everyone
 * on Teams (reached there; or the `directory` given), and the fake Bot Connector (test/helpers/teams-world.ts).
 *
 *   const t = await startTeamsAdapterWorld('label');
 *   const res = await t.post(t.message(aad, 'ayuda'));            // signed; { status, body }
 *   await t.listeners.drain(10_000);                              // what the request set in motion is done
 *   t.posted(aad, since)                                          // the activities in the person's chat
 *
 * This process trusts the local CA for Node's https agent (the SDK's key set fetch and its Bot Connector
 * calls), as the bot trusts it through NODE_EXTRA_CA_CERTS; the bot's own token is asked of the local
 * identity provider by client credentials once (MSAL's network client, which keeps its own agent, is what
 * test/e2e/teams exercises in a real process).
 */
import type { MeetingDeps } from '../../src/flows/meeting-flows.ts';
import { MeetingStore } from '../../src/store/meeting-store.ts';
import { createHash, randomUUID } from 'node:crypto';
import https from 'node:https';
import { rootCertificates } from 'node:tls';
import { loadTeamsConfig } from '../../src/adapters/teams/config.ts';
import { registerTeamsListeners, type TeamsListeners } from '../../src/adapters/teams/listeners.ts';
import { createTeamsApp } from '../../src/adapters/teams/teams-app.ts';
import type { Directory, Person } from '../../src/directory/model.ts';
import { createHttpServer, type HttpServer } from '../../src/http/server.ts';
import { createLogger, silentLogger } from '../../src/log.ts';
import { TeamsConversationStore } from '../../src/store/teams-conversation-store.ts';
import { exampleDirectory, openTestEngine, type TestEngine } from './engine.ts';
import { APP_ID, APP_PASSWORD, TENANT_ID, startTeamsWorld, type TeamsWorld } from './teams-world.ts';

/** TEAMS_TEST_LOG=debug shows the adapter's log while debugging a test. */
const appLogger = () => (process.env['TEAMS_TEST_LOG'] ? createLogger(process.env['TEAMS_TEST_LOG'] as 'debug') : silentLogger());

/** A stable Entra object id for a person of the example directory (by e-mail). */
export function entraId(email: string): string {
  const h = createHash('sha256').update(email).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The example directory with everyone on Teams too, and reached there. */
export function onTeams(d: Directory): Directory {
  const teams = <P extends Person>(p: P): P => ({ ...p, teams: p.teams ?? entraId(p.email), reach: 'teams' });
  return {
    ...d,
    secretariat: { ...d.secretariat, staff: d.secretariat.staff.map(teams) },
    countries: d.countries.map((c) => ({ ...c, focalPoints: c.focalPoints.map(teams) })),
  };
}

/** A Bot Framework token for the bot, from the local identity provider (client credentials). */
async function botToken(loginUrl: string): Promise<string> {
  const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: APP_ID, client_secret: APP_PASSWORD, scope: 'https://api.botframework.com/.default' }).toString();
  const body = await new Promise<string>((resolve, reject) => {
    const req = https.request(`${loginUrl}/${TENANT_ID}/oauth2/v2.0/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve(text));
    });
    req.on('error', reject);
    req.end(form);
  });
  const token = (JSON.parse(body) as { access_token?: unknown }).access_token;
  if (typeof token !== 'string') throw new Error(`no token from the local identity provider: ${body.slice(0, 200)}`);
  return token;
}

export interface TeamsAdapterWorld {
  /** The meetings the listeners use (the same database). */
  meetings: MeetingDeps;
  world: TeamsWorld;
  engine: TestEngine;
  listeners: TeamsListeners;
  /** The person's `29:` id and personal conversation (the app is installed for them). */
  chatOf(aad: string): { userId: string; conversationId: string };
  /** A message typed by `aad` in their personal chat. */
  message(aad: string, text: string): Record<string, unknown>;
  /** An Action.Execute by `aad` on the card `replyToId` of their personal chat. */
  invoke(aad: string, verb: string, data: Record<string, unknown>, replyToId?: string): Record<string, unknown>;
  /** POSTs an activity to /api/messages, signed by the local key set (or with `authorization`). */
  post(activity: Record<string, unknown>, authorization?: string): Promise<{ status: number; body: unknown }>;
  /** The activities in `aad`'s personal chat after the first `since`. */
  posted(aad: string, since?: number): { id: string; activity: Record<string, unknown>; updates: number }[];
  close(): Promise<void>;
}

export async function startTeamsAdapterWorld(label: string, options: { directory?: Directory } = {}): Promise<TeamsAdapterWorld> {
  const world = await startTeamsWorld();
  const previousCa = https.globalAgent.options.ca;
  https.globalAgent.options.ca = [...rootCertificates, world.tls.caCert];
  const engine = await openTestEngine('postgres', label, { directory: options.directory ?? onTeams(await exampleDirectory()) });
  const config = loadTeamsConfig(world.env);
  if (!config) throw new Error('the Teams world gave no configuration');
  const http: HttpServer = createHttpServer({ port: 0, host: '127.0.0.1', logger: silentLogger() });
  const token = await botToken(config.loginUrl);
  const tokens = { getToken: async () => token, sdkToken: async () => token };
  const { app } = await createTeamsApp({ config, server: http, logger: appLogger(), tokens });
  const meetings: MeetingDeps = { meetings: new MeetingStore(engine.db.prisma), directory: engine.directory, clock: engine.deps.clock, newId: randomUUID };
  const listeners = registerTeamsListeners(app, {
    conversations: new TeamsConversationStore(engine.db.prisma),
    directory: engine.directory,
    logger: appLogger(),
    flows: engine.deps,
    reader: engine.consultations,
    budgets: { checkMs: 5_000, submitMs: 5_000 },
    meetings,
  });
  const url = `http://127.0.0.1:${await http.listen()}`;

  const chatOf = (aad: string) => {
    const userId = `29:1${aad.replace(/-/g, '')}`;
    world.connector.install(userId, { tenantId: TENANT_ID, aadObjectId: aad });
    return { userId, conversationId: world.connector.conversationOf(userId) };
  };
  const base = (aad: string) => {
    const { userId, conversationId } = chatOf(aad);
    return {
      id: `f:${randomUUID()}`,
      timestamp: new Date().toISOString(),
      serviceUrl: world.connector.serviceUrl,
      channelId: 'msteams',
      from: { id: userId, aadObjectId: aad, name: 'Test' },
      recipient: { id: `28:${APP_ID}`, name: 'CRM' },
      conversation: { id: conversationId, conversationType: 'personal', tenantId: TENANT_ID },
      channelData: { tenant: { id: TENANT_ID } },
      locale: 'es-419',
    };
  };
  return {
    world,
    engine,
    meetings,
    listeners,
    chatOf,
    message: (aad, text) => ({ ...base(aad), type: 'message', textFormat: 'plain', text }),
    invoke: (aad, verb, data, replyToId = `1${Date.now()}`) => ({
      ...base(aad),
      type: 'invoke',
      name: 'adaptiveCard/action',
      replyToId,
      value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
    }),
    async post(activity, authorization) {
      const auth = authorization ?? `Bearer ${world.bf.tokenFor({ appId: APP_ID, serviceUrl: world.connector.serviceUrl })}`;
      const res = await fetch(`${url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: auth }, body: JSON.stringify(activity) });
      const text = await res.text();
      return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
    },
    posted: (aad, since = 0) => world.connector.activities(chatOf(aad).conversationId).slice(since),
    async close() {
      await http.close();
      await engine.dispose();
      await world.close();
      https.globalAgent.options.ca = previousCa;
    },
  };
}
