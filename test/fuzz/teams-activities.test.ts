/**
 * Fuzzing POST /api/messages (Microsoft Teams) in a real bot process (test/helpers/teams-bot-harness.ts:
 * our HTTP server, the Teams SDK's own JWT validation against a local Bot Framework key set over HTTPS):
 *   - unsigned, or with a forged, garbled or mismatched token, any body (an activity with odd fields, any
 *     JSON, not JSON at all, a JSON `null`): 401, nothing reaches a handler, nothing sent;
 *   - signed (a valid token whose serviceurl claim is the activity's): any activity shape, with odd texts,
 *     ids, types and fields; never a 5xx, and the process keeps serving;
 *   - afterwards an ordinary signed message is still handled and answered.
 * The harness answers messages itself (`pong: …`): what is fuzzed here is the transport, the SDK's
 * parsing and our guards, not the Teams flows (not in `npm start` yet).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_ID, TENANT_ID, messageActivity, startTeamsWorld, type BotProcess, type TeamsWorld } from '../helpers/teams-world.ts';
import { check, jsonGarbage, nastyString, report, runs, tally } from './support.ts';

const USER = '29:1fuzz-teams-user';
let world: TeamsWorld;
let bot: BotProcess;

beforeAll(async () => {
  world = await startTeamsWorld();
  world.connector.install(USER, { tenantId: TENANT_ID });
  bot = await world.startBot();
}, 120_000);

afterAll(async () => {
  console.log(report('teams-activities'));
  await world?.close();
});

/** A raw POST (the harness's `post` always JSON-encodes). */
async function postRaw(body: string, headers: Record<string, string>): Promise<number> {
  const res = await fetch(`${bot.url}/api/messages`, { method: 'POST', headers, body });
  await res.text();
  return res.status;
}

const TYPES = ['message', 'invoke', 'conversationUpdate', 'messageReaction', 'installationUpdate', 'typing', 'event', 'endOfConversation', '', 'MESSAGE', '__proto__'];

/** Mostly absent: most cases keep the field as Teams sends it, so they reach the SDK's handlers. */
const rarely = <T,>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });

/** An activity as Teams would send it, with some fields replaced by something odd. */
const oddActivity = (serviceUrl: string): fc.Arbitrary<Record<string, unknown>> =>
  fc
    .record({
      type: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...TYPES) }, { weight: 1, arbitrary: nastyString() }),
      text: nastyString(),
      replaceId: rarely(nastyString()),
      from: rarely(fc.oneof(jsonGarbage(), fc.record({ id: nastyString(), name: nastyString() }))),
      conversation: rarely(fc.oneof(jsonGarbage(), fc.record({ id: nastyString(), conversationType: nastyString() }))),
      value: fc.oneof(fc.constant(undefined), jsonGarbage(), fc.record({ action: fc.record({ type: fc.constant('Action.Execute'), verb: nastyString(), data: jsonGarbage() }) })),
      name: rarely(fc.oneof(fc.constantFrom('adaptiveCard/action', 'task/fetch', 'signin/verifyState'), nastyString())),
      channelData: rarely(jsonGarbage()),
      drop: fc.oneof({ weight: 3, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: fc.subarray(['id', 'from', 'conversation', 'recipient', 'channelId', 'timestamp', 'locale', 'entities']) }),
    })
    .map((o) => {
      const a: Record<string, unknown> = {
        ...messageActivity({ serviceUrl, userId: USER, conversationId: world.connector.conversationOf(USER), text: o.text }),
        type: o.type,
      };
      if (o.replaceId !== undefined) a.id = o.replaceId;
      if (o.from !== undefined) a.from = o.from;
      if (o.conversation !== undefined) a.conversation = o.conversation;
      if (o.value !== undefined) a.value = o.value;
      if (o.name !== undefined) a.name = o.name;
      if (o.channelData !== undefined) a.channelData = o.channelData;
      for (const k of o.drop) delete a[k];
      return a;
    });

const badAuthorization = (): fc.Arbitrary<string | undefined> =>
  fc.oneof(
    fc.constant(undefined),
    fc.constantFrom('', 'Bearer', 'Bearer ', 'Basic dXNlcjpwYXNz', 'bearer x.y.z', 'Bearer eyJhbGciOiJub25lIn0.eyJhdWQiOiJ4In0.'),
    nastyString().map((s) => `Bearer ${s.replace(/[^\x20-\x7e]/g, '?')}`), // a header is Latin-1
    // A well-formed token that is wrong: for another app, or signed for another service URL.
    fc.constantFrom('other-app', 'other-url').map((k) =>
      k === 'other-app'
        ? `Bearer ${world.bf.tokenFor({ appId: '99999999-0000-4000-8000-000000000000', serviceUrl: world.connector.serviceUrl })}`
        : `Bearer ${world.bf.tokenFor({ appId: APP_ID, serviceUrl: 'https://evil.example.net/other/' })}`,
    ),
  );

describe('POST /api/messages, fuzzed', () => {
  it('without a valid token: 401 (400 when it is not an activity at all) whatever the body, nothing handled, nothing sent', async () => {
    const before = (await bot.received()).length;
    const sentBefore = world.connector.callsOf('sendActivity').length;
    const body = fc.oneof(
      oddActivity(world.connector.serviceUrl).map((a) => JSON.stringify(a)),
      oddActivity('https://evil.example.net/').map((a) => JSON.stringify(a)),
      jsonGarbage().map((v) => JSON.stringify(v)),
      fc.constantFrom('null', '', '{', '[]', '"x"', '{"__proto__":{"polluted":1}}'),
      fc.string({ unit: 'binary', maxLength: 200 }),
    );
    await check('unsigned', fc.tuple(body, badAuthorization(), fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded')), async ([b, auth, type]) => {
      const status = await postRaw(b, { 'content-type': type, ...(auth !== undefined ? { authorization: auth } : {}) });
      tally('unsigned', String(status));
      expect(status, `${auth ?? '(no authorization)'} ${b.slice(0, 120)}`).toBeLessThan(500);
      expect([400, 401, 403, 413, 415, 431]).toContain(status); // 431: an Authorization header too long
    }, runs(250));
    expect((await bot.received()).length).toBe(before);
    expect(world.connector.callsOf('sendActivity').length).toBe(sentBefore);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('signed, any activity shape: never a 5xx', async () => {
    await check('signed', oddActivity(world.connector.serviceUrl), async (a) => {
      const res = await bot.post(a, { token: world.bf.tokenFor({ appId: APP_ID, serviceUrl: world.connector.serviceUrl }) });
      tally('signed', String(res.status));
      expect(res.status, `${JSON.stringify(a).slice(0, 1500)}\n${bot.output().slice(-1500)}`).toBeLessThan(500);
    }, runs(120));
  });

  it('an ordinary signed message is still handled and answered after the noise', async () => {
    const a = messageActivity({ serviceUrl: world.connector.serviceUrl, userId: USER, conversationId: world.connector.conversationOf(USER), text: 'hola después del ruido' });
    const res = await bot.post(a, { token: world.bf.tokenFor({ appId: APP_ID, serviceUrl: world.connector.serviceUrl }) });
    expect(res.status).toBe(200);
    await expect.poll(() => world.connector.activities(world.connector.conversationOf(USER)).map((x) => x.activity.text), { timeout: 20_000 }).toContain('pong: hola después del ruido');
    expect(bot.output()).not.toMatch(/Unhandled|uncaught/i);
  });
});
