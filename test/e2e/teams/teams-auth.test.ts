/**
 * Real authentication both ways, in a real bot process (test/helpers/teams-bot-harness.ts):
 *   - incoming: the Teams SDK's own JWT validation, pointed at a local Bot Framework key set over HTTPS by
 *     TEAMS_OPENID_METADATA_URL, accepts a token that set signed and refuses (401, nothing handled) a
 *     forged, expired, wrong-audience, wrong-issuer or wrong-serviceurl token, or none;
 *   - outgoing: the bot's replies and proactive messages carry a token that MSAL got by client credentials
 *     from the local identity provider (TEAMS_LOGIN_URL, HTTPS, trusted through NODE_EXTRA_CA_CERTS); the
 *     fake Bot Connector checks that token's signature, audience and app id;
 *   - the SDK's own environment variables (CLIENT_ID, CLOUD, SERVICE_URL, DANGEROUSLY_ALLOW_…) change
 *     nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeBotConnector } from '../../../src/demo/teams/fake-bot-connector.ts';
import { signJwt } from '../../../src/demo/teams/jwt.ts';
import { cardProblems, cardTexts } from '../../helpers/adaptive-cards.ts';
import { APP_ID, TENANT_ID, messageActivity, startTeamsWorld, type BotProcess, type TeamsWorld } from '../../helpers/teams-world.ts';

const USER = '29:1luis-mora-teams-id';

let world: TeamsWorld;
let bot: BotProcess;

beforeAll(async () => {
  world = await startTeamsWorld();
  world.connector.install(USER, { tenantId: TENANT_ID });
  bot = await world.startBot();
}, 120_000);

afterAll(async () => {
  await world?.close();
});

const activity = (text: string, serviceUrl = world.connector.serviceUrl) =>
  messageActivity({ serviceUrl, userId: USER, conversationId: world.connector.conversationOf(USER), text });

const replies = () => world.connector.activities(world.connector.conversationOf(USER)).map((a) => a.activity.text);

describe('incoming requests: the SDK validates Bot Framework JWTs against the local key set', () => {
  it('accepts a token signed by the published key, handles the message and replies with a token from the identity provider', async () => {
    const a = activity('hola');
    const res = await bot.post(a, { token: world.bf.tokenFor({ appId: APP_ID, serviceUrl: world.connector.serviceUrl }) });
    expect(res.status).toBe(200);
    expect((await bot.received()).map((r) => r.id)).toEqual([a.id]);
    expect(replies()).toEqual(['pong: hola']);
    const reply = world.connector.callsOf('sendActivity').at(-1);
    expect(reply?.status).toBe(201);
    expect(world.idp.issued.map((t) => [t.clientId, t.tenant, t.scope])).toContainEqual([
      APP_ID,
      TENANT_ID,
      'https://api.botframework.com/.default',
    ]);
    expect(world.idp.refused).toEqual([]);
    expect(world.bf.keyFetches).toBeGreaterThan(0);
  });

  it('accepts a token that expired a minute ago (the SDK allows five minutes of clock skew)', async () => {
    const res = await bot.post(activity('skew'), {
      token: world.bf.tokenFor({ appId: APP_ID, serviceUrl: world.connector.serviceUrl, expiresInSec: -60 }),
    });
    expect(res.status).toBe(200);
  });

  const serviceUrl = () => world.connector.serviceUrl;
  const refusals: [string, () => { authorization?: string; token?: string }][] = [
    ['no Authorization header', () => ({})],
    ['a token signed by an unpublished key under the published kid', () => ({ token: world.bf.forge({ appId: APP_ID, serviceUrl: serviceUrl() }) })],
    ['a token expired an hour ago', () => ({ token: world.bf.tokenFor({ appId: APP_ID, serviceUrl: serviceUrl(), expiresInSec: -3600 }) })],
    ['a token for another bot', () => ({ token: world.bf.tokenFor({ appId: '22222222-2222-4222-8222-222222222222', serviceUrl: serviceUrl() }) })],
    ['a token from another issuer', () => ({ token: world.bf.tokenFor({ appId: APP_ID, serviceUrl: serviceUrl(), claims: { iss: 'https://sts.example.org' } }) })],
    ['a token whose serviceurl is not the activity\u2019s', () => ({ token: world.bf.tokenFor({ appId: APP_ID, serviceUrl: 'https://smba.example.org/teams' }) })],
    ['a token without a serviceurl claim', () => ({ token: world.bf.tokenFor({ appId: APP_ID, serviceUrl: serviceUrl(), claims: { serviceurl: undefined } }) })],
    ['an unsigned token (alg none)', () => ({ authorization: `Bearer ${unsigned()}` })],
    ['a token signed by the identity provider\u2019s key (not in the Bot Framework key set)', () => ({ token: idpToken() })],
    ['garbage', () => ({ authorization: 'Bearer not.a.jwt' })],
  ];

  it.each(refusals)('refuses %s with 401 and handles nothing', async (_name, auth) => {
    const before = await bot.received();
    const sendsBefore = world.connector.calls.length;
    const res = await bot.post(activity('should not be handled'), auth());
    expect(res.status).toBe(401);
    // The 401 is the SDK's answer before any handler runs; a valid request afterwards is handled, and
    // the refused one never shows up before it.
    const barrier = activity('barrier');
    expect((await bot.post(barrier, { token: world.bf.tokenFor({ appId: APP_ID, serviceUrl: serviceUrl() }) })).status).toBe(200);
    const after = await bot.received();
    expect(after.slice(before.length).map((r) => r.id)).toEqual([barrier.id]);
    expect(world.connector.calls.slice(sendsBefore).map((c) => c.body && (c.body as { text?: string }).text)).toEqual(['pong: barrier']);
  });
});

describe('Action.Execute invokes', () => {
  it('an adaptiveCard/action invoke is answered 200 with the card the handler returned, through our HTTP server', async () => {
    const invoke = {
      ...activity('ignored'),
      type: 'invoke',
      name: 'adaptiveCard/action',
      text: undefined,
      value: { action: { type: 'Action.Execute', verb: 'position_support', data: { c: 'c-1', v: 'abc', reason: 'x' } }, trigger: 'manual' },
    };
    const res = await bot.post(invoke, { token: world.bf.tokenFor({ appId: APP_ID, serviceUrl: world.connector.serviceUrl }) });
    expect(res.status).toBe(200);
    const body = res.body as { statusCode: number; type: string; value: unknown };
    expect(body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    expect(cardProblems(body.value)).toEqual([]);
    expect(cardTexts(body.value)).toEqual(['verb: position_support', '{"c":"c-1","v":"abc","reason":"x"}']);
  });

  it('an unsigned invoke is refused like any request', async () => {
    const res = await bot.post({ ...activity('x'), type: 'invoke', name: 'adaptiveCard/action', value: { action: { verb: 'troika_approve', data: {} } } });
    expect(res.status).toBe(401);
  });
});

describe('the SDK reads nothing from its own environment variables', () => {
  it('ignores CLIENT_ID, CLIENT_SECRET, TENANT_ID, CLOUD, SERVICE_URL, OAUTH_URL and DANGEROUSLY_ALLOW_UNAUTHENTICATED_REQUESTS', async () => {
    const noisy = await world.startBot({
      CLIENT_ID: '33333333-3333-4333-8333-333333333333',
      CLIENT_SECRET: 'not-ours',
      TENANT_ID: '44444444-4444-4444-8444-444444444444',
      CLOUD: 'China',
      SERVICE_URL: 'https://smba.example.org/teams',
      OAUTH_URL: 'https://token.example.org',
      MANAGED_IDENTITY_CLIENT_ID: 'system',
      DANGEROUSLY_ALLOW_UNAUTHENTICATED_REQUESTS: 'true',
    });
    try {
      expect((await noisy.post(activity('unsigned'))).status).toBe(401);
      const issued = world.idp.issued.length;
      const ok = activity('signed');
      const res = await noisy.post(ok, { token: world.bf.tokenFor({ appId: APP_ID, serviceUrl: world.connector.serviceUrl }) });
      expect(res.status).toBe(200);
      expect((await noisy.received()).map((r) => r.id)).toEqual([ok.id]);
      expect(replies().at(-1)).toBe('pong: signed');
      expect(world.idp.issued.length).toBe(issued + 1); // its own token, from our identity provider, for APP_ID
      expect(world.idp.issued.at(-1)).toMatchObject({ clientId: APP_ID, tenant: TENANT_ID });
      const proactive = await noisy.proactive({ tenantId: TENANT_ID, userId: USER, text: 'to TEAMS_SERVICE_URL' });
      expect(proactive).toMatchObject({ ok: true });
    } finally {
      await noisy.stop();
    }
  });
});

describe('proactive messages through our connector client', () => {
  it('creates the personal conversation and sends, with the bot\u2019s token', async () => {
    const res = await bot.proactive({ tenantId: TENANT_ID, userId: USER, text: 'recordatorio' });
    expect(res).toMatchObject({ ok: true, conversationId: world.connector.conversationOf(USER) });
    expect(replies().at(-1)).toBe('recordatorio');
    const create = world.connector.callsOf('createConversation').at(-1);
    expect(create?.body).toMatchObject({ isGroup: false, bot: { id: `28:${APP_ID}` }, members: [{ id: USER }], tenantId: TENANT_ID });
  });

  it('someone without the app installed is a permanent failure with the reason', async () => {
    const res = await bot.proactive({ tenantId: TENANT_ID, userId: '29:1not-installed', text: 'x' });
    expect(res).toMatchObject({ ok: false, kind: 'permanent', reason: 'not_installed', status: 403, code: 'BotNotInConversationRoster' });
  });

  it('a 429 is retried after its Retry-After', async () => {
    world.connector.failNext('sendActivity', { status: 429, retryAfter: 3 });
    const res = await bot.proactive({ tenantId: TENANT_ID, userId: USER, text: 'x' });
    expect(res).toMatchObject({ ok: false, kind: 'retry', reason: 'throttled', status: 429, retryAfterMs: 3000 });
  });
});

describe('the serviceUrl token leak: our token never goes to a service URL an unauthenticated request named', () => {
  it('a service URL is trusted only once an authenticated activity brings it (as Teams does for regional URLs)', async () => {
    // Another Bot Connector host (a regional service URL, or an attacker's: only the JWT tells them apart).
    const other = await startFakeBotConnector({ tls: world.tls, authorize: (t) => world.idp.verifyBotToken(t, APP_ID) });
    try {
      other.install(USER, { tenantId: TENANT_ID });
      const proactive = () => bot.proactive({ serviceUrl: other.serviceUrl, tenantId: TENANT_ID, userId: USER, text: 'a la otra' });
      expect(await proactive()).toMatchObject({ ok: false, kind: 'permanent', reason: 'untrusted_service_url' });

      // Unauthenticated activities naming it: refused, and still not trusted.
      const named = messageActivity({ serviceUrl: other.serviceUrl, userId: USER, conversationId: other.conversationOf(USER), text: 'forged' });
      expect((await bot.post(named)).status).toBe(401);
      expect((await bot.post(named, { token: world.bf.forge({ appId: APP_ID, serviceUrl: other.serviceUrl }) })).status).toBe(401);
      // A valid token whose serviceurl claim is the configured Bot Connector, on an activity naming the other.
      expect((await bot.post(named, { token: world.bf.tokenFor({ appId: APP_ID, serviceUrl: world.connector.serviceUrl }) })).status).toBe(401);
      expect(await proactive()).toMatchObject({ ok: false, reason: 'untrusted_service_url' });
      expect(other.calls).toEqual([]);

      // An authenticated activity from it: the SDK replies there, and from then on so may we.
      const real = messageActivity({ serviceUrl: other.serviceUrl, userId: USER, conversationId: other.conversationOf(USER), text: 'regional' });
      expect((await bot.post(real, { token: world.bf.tokenFor({ appId: APP_ID, serviceUrl: other.serviceUrl }) })).status).toBe(200);
      expect(await proactive()).toMatchObject({ ok: true });
      expect(other.activities(other.conversationOf(USER)).map((a) => a.activity.text)).toEqual(['pong: regional', 'a la otra']);
    } finally {
      await other.close();
    }
  });
});

describe('why the bot brings its own MSAL client', () => {
  it('the SDK\u2019s own token manager cannot get a token from a non-Microsoft authority host', async () => {
    const issued = world.idp.issued.length;
    const res = await fetch(`${bot.url}/test/sdk-token-manager`, { method: 'POST' });
    const body = (await res.json()) as { ok: boolean; error?: string };
    expect(body.ok).toBe(false);
    expect(body.error).toMatch(/endpoints_resolution_error|untrusted_authority|discovery/i);
    expect(world.idp.issued.length).toBe(issued);
  });
});

function unsigned(): string {
  const b = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  return `${b({ alg: 'none', typ: 'JWT', kid: world.bf.key.kid })}.${b({ iss: 'https://api.botframework.com', aud: APP_ID, serviceurl: world.connector.serviceUrl, nbf: now - 60, exp: now + 300 })}.`;
}

function idpToken(): string {
  // Signed by the identity provider's key (a real token of that world), with Bot Framework claims: the
  // signature is valid, just not by a key the Bot Framework key set publishes.
  const now = Math.floor(Date.now() / 1000);
  return signJwt(world.idp.key, { iss: 'https://api.botframework.com', aud: APP_ID, serviceurl: world.connector.serviceUrl, nbf: now - 60, exp: now + 300 });
}
