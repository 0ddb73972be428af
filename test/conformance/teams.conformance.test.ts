/**
 * The conformance table (./scenarios.ts) through the Teams adapter: each intent as the activity Teams sends
 * (a message typed in the personal chat, an `adaptiveCard/action` invoke) POSTed over real HTTP to
 * `/api/messages`, signed by the local Bot Framework key set and validated by the Teams SDK's own JWT
 * validation (test/helpers/teams-world.ts; the key set, the bot's identity provider and the fake Bot
 * Connector over HTTPS, trusted through a local CA); the adapter (src/adapters/teams/listeners.ts) on a fresh
 * PostgreSQL database. What Teams then shows the person, observed back as `Seen`:
 *   the invoke's answer   a message → say; a card: a form (its submit verb) → form, or fieldErrors when it
 *                         shows errors under fields (a submitted form shown again); a notice → say; a notice
 *                         in place of a form → formSays; "received" → formCloses; the person's view → home;
 *                         the clicked request card as it now is → nothing private (a submitted reason: the
 *                         form closed, formCloses)
 *   the conversation      the activities the bot posted in the person's chat during the request, read the
 *                         same way (a typed command's answers, what comes after an invoke)
 * The same table passes through the interaction layer (./interaction.conformance.test.ts) and Slack.
 */
import { createHash } from 'node:crypto';
import https from 'node:https';
import { rootCertificates } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTeamsConfig } from '../../src/adapters/teams/config.ts';
import { errorBlockId, FORM_ERROR_ID } from '../../src/adapters/teams/forms.ts';
import { HOME_BLOCK_ID } from '../../src/adapters/teams/home.ts';
import { registerTeamsListeners, type TeamsListeners } from '../../src/adapters/teams/listeners.ts';
import { FORM_NOTICE_ID, NOTICE_ID, WORKING_ID } from '../../src/adapters/teams/present.ts';
import { createTeamsApp } from '../../src/adapters/teams/teams-app.ts';
import type { Directory, Person } from '../../src/directory/model.ts';
import { createHttpServer, type HttpServer } from '../../src/http/server.ts';
import { formContext } from '../../src/interaction/form-specs.ts';
import type { FormValues } from '../../src/interaction/forms.ts';
import type { FormRequest, Intent, SubmittedContext } from '../../src/interaction/intent.ts';
import { createLogger, silentLogger } from '../../src/log.ts';

/** TEAMS_TEST_LOG=debug shows the adapter's log while debugging a test. */
const appLogger = () => (process.env['TEAMS_TEST_LOG'] ? createLogger(process.env['TEAMS_TEST_LOG'] as 'debug') : silentLogger());
import { FORM_INPUTS } from '../../src/messages/form-spec.ts';
import { TeamsConversationStore } from '../../src/store/teams-conversation-store.ts';
import { cardProblems, cardTexts, executeActions } from '../helpers/adaptive-cards.ts';
import { exampleDirectory, openTestEngine, type TestEngine } from '../helpers/engine.ts';
import { APP_ID, APP_PASSWORD, TENANT_ID, startTeamsWorld, type TeamsWorld } from '../helpers/teams-world.ts';
import { platformIdOf, prepare } from './given.ts';
import { matches, SCENARIOS, sortSeen, type Seen } from './scenarios.ts';

const FORM_IDS: ReadonlySet<string> = new Set(Object.keys(FORM_INPUTS));

/** A stable Entra object id for a person of the example directory (by e-mail). */
function entraId(email: string): string {
  const h = createHash('sha256').update(email).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The example directory with everyone on Teams too, and reached there. */
function onTeams(d: Directory): Directory {
  const teams = <P extends Person>(p: P): P => ({ ...p, teams: p.teams ?? entraId(p.email), reach: 'teams' });
  return {
    ...d,
    secretariat: { ...d.secretariat, staff: d.secretariat.staff.map(teams) },
    countries: d.countries.map((c) => ({ ...c, focalPoints: c.focalPoints.map(teams) })),
  };
}

let world: TeamsWorld;
let engine: TestEngine;
let http: HttpServer;
let listeners: TeamsListeners;
let url: string;
const previousCa = https.globalAgent.options.ca;

beforeAll(async () => {
  world = await startTeamsWorld();
  // This process trusts the local CA, as the bot trusts it through NODE_EXTRA_CA_CERTS (the SDK's key set
  // fetch and its Bot Connector calls, and MSAL, use Node's https agent).
  https.globalAgent.options.ca = [...rootCertificates, world.tls.caCert];
  engine = await openTestEngine('postgres', 'teams-conformance', { directory: onTeams(await exampleDirectory()) });
  const config = loadTeamsConfig(world.env);
  if (!config) throw new Error('the Teams world gave no configuration');
  http = createHttpServer({ port: 0, host: '127.0.0.1', logger: silentLogger() });
  // The bot's own token (for its answers in the chat): asked of the local identity provider by client
  // credentials, over HTTPS. MSAL's own network client does not use the agent trusted above (it is what
  // test/e2e/teams exercises, with NODE_EXTRA_CA_CERTS in the bot's process).
  const token = await botToken(config.loginUrl);
  const tokens = { getToken: async () => token, sdkToken: async () => token };
  const { app } = await createTeamsApp({ config, server: http, logger: appLogger(), tokens });
  listeners = registerTeamsListeners(app, {
    conversations: new TeamsConversationStore(engine.db.prisma),
    directory: engine.directory,
    logger: appLogger(),
    flows: engine.deps,
    reader: engine.consultations,
    budgets: { checkMs: 5_000, submitMs: 5_000 },
  });
  url = `http://127.0.0.1:${await http.listen()}`;
}, 120_000);

afterAll(async () => {
  await http?.close();
  await engine?.dispose();
  await world?.close();
  https.globalAgent.options.ca = previousCa;
});

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

/** The person's `29:` id and personal conversation (the app is installed for them). */
function chatOf(aad: string): { userId: string; conversationId: string } {
  const userId = `29:1${aad.replace(/-/g, '')}`;
  world.connector.install(userId, { tenantId: TENANT_ID, aadObjectId: aad });
  return { userId, conversationId: world.connector.conversationOf(userId) };
}

/** What a form carries back in the card's data (formContext), rebuilt from the scenario's context. */
function contextData(context: SubmittedContext | undefined): Record<string, unknown> {
  if (!context) return { tampered: true };
  if (context.form === 'consultation_new') return {};
  let request: FormRequest;
  if (context.form === 'reason') request = { form: 'reason', reason: context.reason };
  else if (context.form === 'revise') request = { form: 'revise', manage: context.manage, current: { title: '', text: '', version: 1 } };
  else if (context.form === 'extend') request = { form: 'extend', manage: context.manage, current: { deadline: '' } };
  else request = { form: 'withdraw', manage: context.manage, current: { title: '', circulated: true } };
  return formContext(request);
}

/** Form values as a card's inputs merged into the data (the table's forms have no date input). */
function inputsData(values: FormValues | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [id, v] of Object.entries(values ?? {})) {
    if (v === undefined) continue;
    if (id === 'deadline') throw new Error('a deadline in the table: give the driver its date and time inputs');
    out[id] = v;
  }
  return out;
}

/** The activity Teams sends for `intent` from the person `aad`. */
function activityFor(aad: string, intent: Intent): Record<string, unknown> {
  const { userId, conversationId } = chatOf(aad);
  const base = {
    id: `f:${Math.random().toString(36).slice(2)}${Date.now()}`,
    timestamp: new Date().toISOString(),
    serviceUrl: world.connector.serviceUrl,
    channelId: 'msteams',
    from: { id: userId, aadObjectId: aad, name: 'Conformance' },
    recipient: { id: `28:${APP_ID}`, name: 'CRM' },
    conversation: { id: conversationId, conversationType: 'personal', tenantId: TENANT_ID },
    channelData: { tenant: { id: TENANT_ID } },
    locale: 'es-419',
  };
  if (intent.kind === 'command') return { ...base, type: 'message', textFormat: 'plain', text: intent.text };
  const invoke = (verb: string, data: Record<string, unknown>, replyToId = `1${Date.now()}`) => ({
    ...base,
    type: 'invoke',
    name: 'adaptiveCard/action',
    replyToId,
    value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
  });
  switch (intent.kind) {
    case 'decide':
      // The clicked card: a message in the person's chat (where it is is the platform's business).
      return invoke(intent.action, intent.target ? { c: intent.target.consultationId, v: intent.target.versionHash } : { forged: true });
    case 'open_form':
      return invoke('home_new_consultation', {});
    case 'submit':
      return invoke(intent.form, { ...contextData(intent.context), ...inputsData(intent.values) });
    case 'home':
      return invoke('home', {});
  }
}

/** Every block id in a card. */
function blockIds(node: unknown): string[] {
  const ids: string[] = [];
  const walk = (n: unknown) => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === 'object') {
      const o = n as { id?: unknown; type?: unknown };
      if (typeof o.id === 'string' && typeof o.type === 'string' && !o.type.startsWith('Input.')) ids.push(o.id);
      Object.values(n).forEach(walk);
    }
  };
  walk(node);
  return ids;
}

/**
 * What a card stands for. `answering`: the invoke it answers (a decision clicked, a form submitted), or
 * none (a card posted in the chat).
 */
function seenOfCard(card: unknown, answering?: 'decide' | 'submit' | 'other'): Seen[] {
  // Every card the person sees passes the official parser, fits a Teams message, and has its verbs.
  expect(cardProblems(card)).toEqual([]);
  const submitted = answering === 'submit';
  const ids = blockIds(card);
  const text = cardTexts(card).join('\n');
  const submit = executeActions(card).find((a) => typeof a.verb === 'string' && FORM_IDS.has(a.verb));
  if (submit) {
    const errors = ids.filter((id) => id.endsWith('_error') && id !== FORM_ERROR_ID).map((id) => id.slice(0, -'_error'.length));
    if (submitted && (errors.length || ids.includes(FORM_ERROR_ID))) return [{ kind: 'fieldErrors', fields: errors.filter((f) => ids.includes(errorBlockId(f))) }];
    return [{ kind: 'form', form: submit.verb as never }];
  }
  if (ids.includes(HOME_BLOCK_ID.sections)) return [{ kind: 'home', view: 'sections' }];
  if (ids.includes(HOME_BLOCK_ID.no_access)) return [{ kind: 'home', view: 'no_access' }];
  if (ids.includes(FORM_NOTICE_ID)) return [{ kind: 'formSays', text }];
  if (ids.includes(NOTICE_ID)) return [{ kind: 'say', text }];
  if (ids.includes(WORKING_ID)) return [{ kind: 'formCloses' }];
  // The clicked card as it now is (the decision recorded on it): nothing said privately; for a submitted
  // reason, its form closed.
  if (answering === 'decide') return [];
  if (submitted) return [{ kind: 'formCloses' }];
  // A message of the bot (the help, a status): read privately in the chat.
  return [{ kind: 'say', text }];
}

interface InvokeBody {
  type?: string;
  value?: unknown;
}

function observe(intent: Intent, body: InvokeBody | undefined, posted: Record<string, unknown>[]): Seen[] {
  const seen: Seen[] = [];
  if (intent.kind !== 'command' && body) {
    if (body.type === 'application/vnd.microsoft.activity.message') seen.push({ kind: 'say', text: String(body.value) });
    else if (body.type === 'application/vnd.microsoft.card.adaptive') seen.push(...seenOfCard(body.value, intent.kind === 'decide' || intent.kind === 'submit' ? intent.kind : 'other'));
  }
  for (const a of posted) {
    const card = (a.attachments as { content?: unknown }[] | undefined)?.[0]?.content;
    if (card) seen.push(...seenOfCard(card));
    else if (typeof a.text === 'string') seen.push({ kind: 'say', text: a.text });
  }
  return seen;
}

describe('the Teams adapter against the conformance table', () => {
  it.each(SCENARIOS.map((s) => [s.name, s] as const))('%s', async (_name, s) => {
    const c = s.given ? await prepare(engine.deps, s.given) : undefined;
    const intent = typeof s.intent === 'function' ? s.intent(c!) : s.intent;
    const expected = typeof s.expect === 'function' ? s.expect(c) : s.expect;
    const aad = platformIdOf(engine.deps.directory.current(), s.who, 'teams');
    const activity = activityFor(aad, intent);
    const conversationId = (activity.conversation as { id: string }).id;
    const before = world.connector.activities(conversationId).length;
    const token = world.bf.tokenFor({ appId: APP_ID, serviceUrl: world.connector.serviceUrl });
    const res = await fetch(`${url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(activity) });
    expect(res.status).toBe(200);
    const raw = await res.text();
    const body = raw ? (JSON.parse(raw) as InvokeBody) : undefined;
    // Everything the request set in motion has finished (what comes later), then look.
    expect(await listeners.drain(10_000)).toBe(0);
    const posted = world.connector.activities(conversationId).slice(before).map((x) => x.activity);
    const seen = observe(intent, body, posted);
    expect(matches(seen, expected), `seen ${JSON.stringify(sortSeen(seen), null, 1)}`).toBe(true);
  });

  it('a request without a valid token is refused (401) and nothing is handled', async () => {
    const aad = platformIdOf(engine.deps.directory.current(), 'memberCR', 'teams');
    const activity = activityFor(aad, { kind: 'command', text: 'ayuda' });
    const conversationId = (activity.conversation as { id: string }).id;
    const before = world.connector.activities(conversationId).length;
    const forged = world.bf.forge({ appId: APP_ID, serviceUrl: world.connector.serviceUrl });
    const res = await fetch(`${url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${forged}` }, body: JSON.stringify(activity) });
    expect(res.status).toBe(401);
    expect(await listeners.drain(1_000)).toBe(0);
    expect(world.connector.activities(conversationId).length).toBe(before);
  });
});
