/**
 * The Microsoft side of `npm run demo` (src/demo/slack-demo.ts), in the demo's own process: the local
 * identity provider (the bot's own tokens), the Bot Framework key set (the tokens of the requests Teams
 * sends) and the fake Bot Connector (checking the bot's tokens), over HTTPS with a throwaway CA that the
 * process trusts (bin/demo.mjs sets NODE_EXTRA_CA_CERTS); plus what a person does in Teams: install the
 * app, click an Action.Execute (an `adaptiveCard/action` invoke with a token the key set signed).
 *
 *   const ms = await startDemoTeams(tls);
 *   const bot = await startBot({ ...env, ...ms.env });
 *   bot.engine.directory.replace(mixedDirectory(bot.engine.directory.current()), source);
 *   await ms.install(botUrl, person);  await ms.click(botUrl, person, activityId, verb, data);
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Directory } from '../../directory/model.ts';
import { startFakeBotConnector, type FakeBotConnector } from './fake-bot-connector.ts';
import { startLocalBotFramework, type LocalBotFramework } from './local-bot-framework.ts';
import { startLocalIdentityProvider, type LocalIdentityProvider } from './local-identity-provider.ts';
import type { LocalTls } from './local-tls.ts';

/** The demo bot's Entra app (made up: the stand-ins know it). */
export const DEMO_APP_ID = '00000000-0000-4000-8000-0000000de770';
const DEMO_TENANT_ID = '11111111-1111-4111-8111-0000000de770';
/** The ST's channel in Teams, beside its Slack channel. */
export const DEMO_ST_TEAMS_CHANNEL = '19:crm-secretaria-tecnica@thread.tacv2';

/** A person in Teams: their Entra object id, their `29:` id for this bot, their personal chat. */
export interface TeamsUser {
  name: string;
  aad: string;
  userId: string;
  conversationId: string;
}

export interface DemoTeams {
  idp: LocalIdentityProvider;
  bf: LocalBotFramework;
  connector: FakeBotConnector;
  /** TEAMS_* for the bot, pointing at the stand-ins. */
  env: Record<string, string>;
  user(name: string, aad: string): TeamsUser;
  /** The app installed for `u`: the Bot Connector knows them and the bot gets the installationUpdate. */
  install(botUrl: string, u: TeamsUser): Promise<void>;
  /** `u` clicks an Action.Execute on the card `activityId`; the invoke's answer (a card or a message). */
  click(botUrl: string, u: TeamsUser, activityId: string, verb: string, data: Record<string, unknown>): Promise<{ status: number; body: unknown }>;
  close(): Promise<void>;
}

export async function startDemoTeams(tls: LocalTls): Promise<DemoTeams> {
  const secret = randomUUID();
  const idp = await startLocalIdentityProvider({ tls });
  idp.addClient({ clientId: DEMO_APP_ID, secret, tenant: DEMO_TENANT_ID });
  const bf = await startLocalBotFramework({ tls });
  const connector = await startFakeBotConnector({ tls, authorize: (t) => idp.verifyBotToken(t, DEMO_APP_ID) });
  connector.addChannel(DEMO_ST_TEAMS_CHANNEL);
  const env = {
    TEAMS_APP_ID: DEMO_APP_ID,
    TEAMS_APP_PASSWORD: secret,
    TEAMS_TENANT_ID: DEMO_TENANT_ID,
    TEAMS_CLOUD: 'Public',
    TEAMS_SERVICE_URL: connector.serviceUrl,
    TEAMS_LOGIN_URL: idp.url,
    TEAMS_OPENID_METADATA_URL: bf.openIdMetadataUrl,
  };
  const base = (u: TeamsUser) => ({
    id: `f:${randomUUID()}`,
    timestamp: new Date().toISOString(),
    serviceUrl: connector.serviceUrl,
    channelId: 'msteams',
    from: { id: u.userId, aadObjectId: u.aad, name: u.name },
    recipient: { id: `28:${DEMO_APP_ID}`, name: 'CRM' },
    conversation: { id: u.conversationId, conversationType: 'personal', tenantId: DEMO_TENANT_ID },
    channelData: { tenant: { id: DEMO_TENANT_ID } },
  });
  const post = async (botUrl: string, activity: unknown) => {
    const res = await fetch(`${botUrl}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${bf.tokenFor({ appId: DEMO_APP_ID, serviceUrl: connector.serviceUrl })}` },
      body: JSON.stringify(activity),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
  };
  return {
    idp,
    bf,
    connector,
    env,
    user(name, aad) {
      const userId = `29:1${aad.replace(/-/g, '')}`;
      return { name, aad, userId, conversationId: connector.conversationOf(userId) };
    },
    async install(botUrl, u) {
      connector.install(u.userId, { aadObjectId: u.aad, tenantId: DEMO_TENANT_ID });
      const r = await post(botUrl, { ...base(u), type: 'installationUpdate', action: 'add', locale: 'es-419' });
      if (r.status !== 200) throw new Error(`the install of ${u.name} answered ${r.status}`);
    },
    click: (botUrl, u, activityId, verb, data) =>
      post(botUrl, { ...base(u), type: 'invoke', name: 'adaptiveCard/action', replyToId: activityId, locale: 'es-419', value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' } }),
    async close() {
      await Promise.all([idp.close(), bf.close(), connector.close()]);
    },
  };
}

/** A stable made-up Entra object id for a person (from their e-mail), so a second run finds the same people. */
export function demoEntraId(email: string): string {
  const h = createHash('sha256').update(`crm-demo:${email.toLowerCase()}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Who is on Teams in the demo: every focal point of these countries (Teams only)… */
export const DEMO_TEAMS_COUNTRIES = ['GT', 'HN'] as const;
/** …and this country's first focal point, who has both and asked to be reached on Teams (`reach: teams`). */
export const DEMO_BOTH_COUNTRY = 'CR';

/**
 * The directory made mixed for the demo, in memory only (the bot's live directory is replaced for this
 * process; nothing is imported, so a later `npm start` on the same data knows nothing of it): the ST's
 * Teams channel beside its Slack one; Guatemala's and Honduras' focal points on Teams instead of Slack;
 * Costa Rica's first focal point on both, reached on Teams. Everyone else as they were.
 */
export function mixedDirectory(d: Directory): Directory {
  return {
    ...d,
    secretariat: { ...d.secretariat, teams: { channel: DEMO_ST_TEAMS_CHANNEL } },
    countries: d.countries.map((c) => {
      if ((DEMO_TEAMS_COUNTRIES as readonly string[]).includes(c.code)) {
        return { ...c, focalPoints: c.focalPoints.map(({ slack: _slack, reach: _reach, ...fp }) => ({ ...fp, teams: demoEntraId(fp.email) })) };
      }
      if (c.code === DEMO_BOTH_COUNTRY) {
        return { ...c, focalPoints: c.focalPoints.map((fp, i) => (i === 0 ? { ...fp, teams: demoEntraId(fp.email), reach: 'teams' as const } : fp)) };
      }
      return c;
    }),
  };
}

/** The text of an Adaptive Card as the person reads it, as indented lines like block-text.ts: `┌ heading`, `│ …`. */
export function cardToText(card: unknown, indent = '  '): string {
  type El = Record<string, unknown>;
  const lines: string[] = [];
  const textOf = (n: unknown): string => {
    if (Array.isArray(n)) return n.map(textOf).filter(Boolean).join(' ');
    if (!n || typeof n !== 'object') return '';
    const o = n as El;
    if (o.type === 'TextRun' || o.type === 'TextBlock') return typeof o.text === 'string' ? o.text : '';
    if (o.type === 'RichTextBlock') return ((o.inlines as El[] | undefined) ?? []).map((r) => (typeof r.text === 'string' ? r.text : '')).join('');
    return Object.entries(o).filter(([k]) => k !== 'data' && k !== 'actions').map(([, v]) => textOf(v)).filter(Boolean).join(' ');
  };
  const push = (text: string, mark = '│ ') => {
    for (const l of text.split('\n')) lines.push(lines.length === 0 ? `${indent}┌ ${l}` : `${indent}${mark}${l}`);
  };
  const buttons = (actions: unknown) => ((actions as El[] | undefined) ?? []).map((a) => `[ ${String(a.title ?? a.verb ?? '')} ]`).join('  ');
  const walk = (items: unknown) => {
    for (const el of (items as El[] | undefined) ?? []) {
      switch (el.type) {
        case 'ColumnSet':
          push(((el.columns as El[] | undefined) ?? []).map((c) => textOf(c.items)).filter(Boolean).join(': '));
          break;
        case 'Container':
          if (el.style === 'emphasis') for (const i of (el.items as El[] | undefined) ?? []) push(textOf(i), '│ > ');
          else walk(el.items);
          break;
        case 'Table':
          for (const r of (el.rows as El[] | undefined) ?? []) {
            const cells = ((r.cells as El[] | undefined) ?? []).map((c) => textOf(c.items));
            while (cells.length > 1 && !cells.at(-1)) cells.pop(); // an empty last cell (no reason) shows nothing
            push(cells.join(' | '));
          }
          break;
        case 'ActionSet':
          push(buttons(el.actions));
          break;
        default:
          if (typeof el.type === 'string' && el.type.startsWith('Input.')) push(`▭ ${String(el.label ?? el.id ?? '')}`);
          else if (textOf(el)) push(textOf(el));
      }
    }
  };
  const c = (card ?? {}) as El;
  walk(c.body);
  if (Array.isArray(c.actions) && c.actions.length) push(buttons(c.actions));
  lines.push(`${indent}└`);
  return lines.join('\n');
}
