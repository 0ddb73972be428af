/**
 * adapters/teams/connector-client.ts over real loopback HTTP against the fake Bot Connector: the REST
 * calls Teams expects (create a personal conversation, send, PUT an update), ids encoded in the path, and
 * every failure mapped to what the deliver job must do (permanent with a reason, or retry honouring
 * Retry-After). The bot's real tokens over HTTPS are covered by test/e2e/teams/teams-auth.test.ts.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConnectorError,
  createConnectorClient,
  parseRetryAfter,
  toSendOutcome,
  type ConnectorClient,
} from '../../../src/adapters/teams/connector-client.ts';
import { normalizeServiceUrl, TrustedServiceUrls } from '../../../src/adapters/teams/service-urls.ts';
import { BotTokenError } from '../../../src/adapters/teams/token-provider.ts';
import { startFakeBotConnector, type FakeBotConnector } from '../../../src/demo/teams/fake-bot-connector.ts';

const APP_ID = '00000000-0000-4000-8000-00000000b07a';
const TENANT = '11111111-1111-4111-8111-111111111111';
const USER = '29:1ana-rojas';
const CHANNEL = '19:st-channel@thread.tacv2';
const TOKEN = 'token-for-the-fake';
/** These tests are about the HTTP calls and their errors (on plain-HTTP fakes); the guard is tested below. */
const ANY_URL = { isTrusted: () => true };

let bc: FakeBotConnector;
let client: ConnectorClient;

beforeAll(async () => {
  bc = await startFakeBotConnector({ authorize: (t) => (t === TOKEN ? { ok: true } : { ok: false, reason: 'wrong token' }) });
  bc.install(USER, { tenantId: TENANT });
  bc.addChannel(CHANNEL);
  client = createConnectorClient({ appId: APP_ID, getToken: async () => TOKEN, serviceUrls: ANY_URL });
});

afterAll(async () => {
  await bc?.close();
});

async function failure(p: Promise<unknown>): Promise<ConnectorError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ConnectorError);
  return err as ConnectorError;
}

const message = (text: string) => ({ type: 'message' as const, text });

describe('the calls Teams expects', () => {
  it('creates the personal conversation (POST /v3/conversations) with the bot as 28:<app id>, the person and the tenant', async () => {
    const conv = await client.createConversation({ serviceUrl: bc.serviceUrl, tenantId: TENANT, userId: USER });
    expect(conv).toEqual({ id: bc.conversationOf(USER) });
    expect(bc.callsOf('createConversation').at(-1)?.body).toEqual({
      isGroup: false,
      bot: { id: `28:${APP_ID}` },
      members: [{ id: USER }],
      tenantId: TENANT,
      channelData: { tenant: { id: TENANT } },
    });
  });

  it('a first message can travel with the conversation; Teams answers with its activity id', async () => {
    const conv = await client.createConversation({ serviceUrl: bc.serviceUrl, tenantId: TENANT, userId: USER, activity: message('hola') });
    expect(conv.activityId).toBeDefined();
    expect(bc.activities(conv.id).find((a) => a.id === conv.activityId)?.activity.text).toBe('hola');
  });

  it('sends, then updates in place with PUT …/activities/{id}', async () => {
    const conv = bc.conversationOf(USER);
    const sent = await client.sendActivity(bc.serviceUrl, conv, message('v1'));
    const updated = await client.updateActivity(bc.serviceUrl, conv, sent.id, message('v2'));
    expect(updated).toEqual({ id: sent.id });
    const stored = bc.activities(conv).find((a) => a.id === sent.id);
    expect(stored).toMatchObject({ updates: 1, activity: { text: 'v2', id: sent.id } });
    expect(bc.callsOf('updateActivity').at(-1)).toMatchObject({ method: 'PUT', conversationId: conv, activityId: sent.id });
  });

  it('a channel conversation id with a thread is encoded in the path and arrives intact', async () => {
    const threaded = `${CHANNEL};messageid=1700000000000`;
    await client.sendActivity(bc.serviceUrl, threaded, message('en el hilo'));
    const call = bc.callsOf('sendActivity').at(-1);
    expect(call?.conversationId).toBe(threaded);
    expect(call?.path).toContain(encodeURIComponent(threaded));
  });

  it('sends the bearer token it is given', async () => {
    const wrong = createConnectorClient({ appId: APP_ID, getToken: async () => 'someone-else', serviceUrls: ANY_URL });
    const err = await failure(wrong.sendActivity(bc.serviceUrl, CHANNEL, message('x')));
    expect(err).toMatchObject({ kind: 'retry', reason: 'unauthorized', status: 401 });
  });
});

describe('failures, as the deliver job needs them', () => {
  it.each([
    ['BotNotInConversationRoster', 'not_installed'],
    ['ConversationBlockedByUser', 'blocked'],
    ['BotDisabledByAdmin', 'disabled_by_admin'],
    ['NotEnoughPermissions', 'forbidden'],
  ])('403 %s is permanent: %s', async (code, reason) => {
    bc.failNext('sendActivity', { status: 403, code });
    const err = await failure(client.sendActivity(bc.serviceUrl, CHANNEL, message('x')));
    expect(err).toMatchObject({ kind: 'permanent', reason, status: 403, code });
    expect(toSendOutcome(err)).toEqual({ ok: false, permanent: true, error: `teams:${reason} (403 ${code})` });
  });

  it('someone who has not installed the app: creating the conversation is refused, permanently', async () => {
    const err = await failure(client.createConversation({ serviceUrl: bc.serviceUrl, tenantId: TENANT, userId: '29:1nobody' }));
    expect(err).toMatchObject({ kind: 'permanent', reason: 'not_installed', code: 'BotNotInConversationRoster' });
  });

  it('a person who uninstalled the app: sending to the old conversation is refused, permanently', async () => {
    const gone = '29:1gone';
    bc.install(gone, { tenantId: TENANT });
    const conv = await client.createConversation({ serviceUrl: bc.serviceUrl, tenantId: TENANT, userId: gone });
    bc.uninstall(gone);
    const err = await failure(client.sendActivity(bc.serviceUrl, conv.id, message('x')));
    expect(err).toMatchObject({ kind: 'permanent', reason: 'not_installed' });
  });

  it('an unknown conversation is permanent (conversation_not_found)', async () => {
    const err = await failure(client.sendActivity(bc.serviceUrl, '19:unknown@thread.tacv2', message('x')));
    expect(err).toMatchObject({ kind: 'permanent', reason: 'conversation_not_found', status: 404 });
  });

  it('a message over 28 KB is permanent (too_large)', async () => {
    const err = await failure(client.sendActivity(bc.serviceUrl, CHANNEL, message('x'.repeat(29 * 1024))));
    expect(err).toMatchObject({ kind: 'permanent', reason: 'too_large', status: 413, code: 'MessageSizeTooBig' });
  });

  it.each([
    [429, 'throttled', 7, 7000],
    [429, 'throttled', undefined, 1000],
    [412, 'precondition_failed', undefined, undefined],
    [412, 'precondition_failed', 2, 2000],
    [502, 'service_error', 5, 5000],
    [504, 'service_error', undefined, undefined],
    [503, 'service_error', 1, 1000],
  ] as const)('%i is retried (%s), Retry-After %s → %s ms', async (status, reason, retryAfter, ms) => {
    bc.failNext('sendActivity', { status, ...(retryAfter !== undefined ? { retryAfter } : {}) });
    const err = await failure(client.sendActivity(bc.serviceUrl, CHANNEL, message('x')));
    expect(err).toMatchObject({ kind: 'retry', reason, status, retryAfterMs: ms });
    const outcome = toSendOutcome(err);
    expect(outcome).not.toHaveProperty('permanent');
    expect(outcome).toEqual({ ok: false, error: err.message, ...(ms !== undefined ? { retryAfterMs: ms } : {}) });
  });

  it('an update refused with 412 (a concurrent change of the same card) is retried too', async () => {
    const sent = await client.sendActivity(bc.serviceUrl, CHANNEL, message('card'));
    bc.failNext('updateActivity', { status: 412, code: 'PreconditionFailed' });
    const err = await failure(client.updateActivity(bc.serviceUrl, CHANNEL, sent.id, message('card v2')));
    expect(err).toMatchObject({ kind: 'retry', reason: 'precondition_failed' });
    await client.updateActivity(bc.serviceUrl, CHANNEL, sent.id, message('card v2'));
    expect(bc.activities(CHANNEL).find((a) => a.id === sent.id)?.activity.text).toBe('card v2');
  });

  it('Retry-After as an HTTP date', () => {
    const now = Date.parse('2026-12-01T10:00:00Z');
    expect(parseRetryAfter('Tue, 01 Dec 2026 10:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Tue, 01 Dec 2026 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});

describe('no answer', () => {
  let hang: Server;
  let hangUrl: string;
  beforeAll(async () => {
    hang = createServer(() => undefined); // accepts, never answers
    await new Promise<void>((r) => hang.listen(0, '127.0.0.1', r));
    hangUrl = `http://127.0.0.1:${(hang.address() as AddressInfo).port}/teams`;
  });
  afterAll(async () => {
    hang.closeAllConnections();
    await new Promise<void>((r) => hang.close(() => r()));
  });

  it('a timeout is retried and marked ambiguous (Teams may have taken the message)', async () => {
    const quick = createConnectorClient({ appId: APP_ID, getToken: async () => TOKEN, timeoutMs: 200, serviceUrls: ANY_URL });
    const err = await failure(quick.sendActivity(hangUrl, CHANNEL, message('x')));
    expect(err).toMatchObject({ kind: 'retry', reason: 'timeout', status: 0, ambiguous: true });
  });

  it('a refused connection is retried', async () => {
    const err = await failure(client.sendActivity('http://127.0.0.1:1/teams', CHANNEL, message('x')));
    expect(err).toMatchObject({ kind: 'retry', reason: 'network', status: 0 });
  });

  it('the caller\u2019s abort signal stops the call', async () => {
    const ctl = new AbortController();
    const p = client.sendActivity(hangUrl, CHANNEL, message('x'), ctl.signal);
    ctl.abort();
    expect(await failure(p)).toMatchObject({ kind: 'retry', status: 0 });
  });

  it('a token that cannot be had is passed on as BotTokenError, retried (not permanent)', async () => {
    const broken = createConnectorClient({
      appId: APP_ID,
      serviceUrls: ANY_URL,
      getToken: async () => {
        throw new BotTokenError("could not get the bot's token from login (invalid_client)", 'invalid_client');
      },
    });
    const err = await broken.sendActivity(bc.serviceUrl, CHANNEL, message('x')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BotTokenError);
    expect(toSendOutcome(err)).toEqual({ ok: false, error: 'teams:token (invalid_client)' });
  });
});

describe('the service-URL guard: our token only goes to a trusted Bot Connector', () => {
  it('an untrusted service URL is refused for good before a token is fetched or anything is sent', async () => {
    let tokens = 0;
    let fetched = 0;
    const guarded = createConnectorClient({
      appId: APP_ID,
      getToken: async () => {
        tokens++;
        return TOKEN;
      },
      serviceUrls: new TrustedServiceUrls(['https://smba.trafficmanager.net/teams']),
      fetch: async () => {
        fetched++;
        return new Response('{"id":"x"}');
      },
    });
    for (const call of [
      () => guarded.createConversation({ serviceUrl: 'https://attacker.example/teams', tenantId: TENANT, userId: USER }),
      () => guarded.sendActivity('https://smba.trafficmanager.net.attacker.example/teams', CHANNEL, message('x')),
      () => guarded.updateActivity('http://smba.trafficmanager.net/teams', CHANNEL, 'a1', message('x')),
      () => guarded.sendActivity('https://smba.trafficmanager.net/teams/../evil', CHANNEL, message('x')),
    ]) {
      const err = await failure(call());
      expect(err).toMatchObject({ kind: 'permanent', reason: 'untrusted_service_url', status: 0 });
      expect(toSendOutcome(err)).toMatchObject({ ok: false, permanent: true });
    }
    expect({ tokens, fetched }).toEqual({ tokens: 0, fetched: 0 });
    // The configured one, written another way, is the same URL.
    expect(await guarded.sendActivity('https://SMBA.trafficmanager.net/teams/', CHANNEL, message('x'))).toEqual({ id: 'x' });
    expect({ tokens, fetched }).toEqual({ tokens: 1, fetched: 1 });
  });

  it('trust: HTTPS only, no credentials or query in the URL; URLs of authenticated activities and stored ones are added', () => {
    const trust = new TrustedServiceUrls([undefined, 'https://smba.trafficmanager.net/teams']);
    expect(normalizeServiceUrl('https://Smba.TrafficManager.net/amer/')).toBe('https://smba.trafficmanager.net/amer');
    for (const bad of ['http://smba.trafficmanager.net/amer', 'https://u:p@smba.trafficmanager.net/amer', 'https://smba.trafficmanager.net/amer?x=1', 'not a url']) {
      expect(normalizeServiceUrl(bad), bad).toBeUndefined();
      trust.trustFromAuthenticatedActivity(bad);
      expect(trust.isTrusted(bad), bad).toBe(false);
    }
    expect(trust.isTrusted('https://smba.trafficmanager.net/amer/')).toBe(false);
    trust.trustFromAuthenticatedActivity('https://smba.trafficmanager.net/amer/');
    expect(trust.isTrusted('https://smba.trafficmanager.net/amer')).toBe(true);
    trust.trustStored(['https://smba.trafficmanager.net/emea/']);
    expect(trust.isTrusted('https://smba.trafficmanager.net/emea')).toBe(true);
    expect(trust.isTrusted('https://smba.trafficmanager.net/apac')).toBe(false);
  });
});
