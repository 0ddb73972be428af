/**
 * Fuzzing `POST /slack/events` at the transport: signed and unsigned, well-formed and malformed bodies,
 * every content type, JSON `null`, arrays, scalars, broken form encodings, Events API envelopes with
 * broken events, url_verification with odd challenges, and a 20 MB body. Over real HTTP, on a real
 * database (./slack-world.ts).
 *
 * What must hold for each case: no 5xx and the server keeps serving; a request not signed by Slack is
 * answered 401 and reaches nobody; a signed body that is not a Slack payload (not an object, not JSON, not
 * a form) is answered 400; url_verification gets its challenge; nothing is ever logged as an error, nobody
 * gets the generic error message, and the database does not change.
 */
import { createHmac, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appHomeOpened, signatureHeaders, slashCommand, urlVerification } from '../helpers/slack-requests.ts';
import { SECRET } from '../integration/adapters/slack-app-harness.ts';
import { COMMAND_WORDS } from '../../src/commands/catalogue.ts';
import { DIRECTORY_USERS, MANAGERS, startFuzzWorld, STRANGERS, type FuzzWorld } from './slack-world.ts';
import { check, jsonGarbage, nastyString, pollutionJson, report, runs, tally } from './support.ts';

let f: FuzzWorld;
beforeAll(async () => {
  f = await startFuzzWorld(import.meta.url);
});
afterAll(async () => {
  await f?.close();
  console.log(report('slack-transport'));
});

// -------------------------------------------------------------------------------------- generators

type Signing = 'valid' | 'unsigned' | 'forged' | 'stale' | 'future' | 'bad-timestamp' | 'other-body' | 'wrong-secret' | 'only-signature' | 'only-timestamp' | 'v1' | 'empty';
const signing = fc.oneof(
  { weight: 6, arbitrary: fc.constant<Signing>('valid') },
  { weight: 4, arbitrary: fc.constantFrom<Signing>('unsigned', 'forged', 'stale', 'future', 'bad-timestamp', 'other-body', 'wrong-secret', 'only-signature', 'only-timestamp', 'v1', 'empty') },
);

const FORM = 'application/x-www-form-urlencoded';
const contentType = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(FORM, 'application/json') },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      undefined,
      '',
      'text/plain',
      'application/json; charset=utf-8',
      `${FORM}; charset=UTF-8`,
      'APPLICATION/X-WWW-FORM-URLENCODED',
      'multipart/form-data; boundary=x',
      'application/xml',
      ';;;',
      'application/json, text/plain',
    ),
  },
);

const ts = () => Math.floor(Date.now() / 1000);
const someUser = fc.constantFrom<string>(...DIRECTORY_USERS, ...STRANGERS);

/** A JSON text: valid JSON of any shape, Events API envelopes with broken parts, or not JSON at all. */
const jsonBody: fc.Arbitrary<{ text: string; kind: 'json-object' | 'json-other' | 'not-json' | 'challenge' }> = fc.oneof(
  fc.constantFrom('null', '[]', '[{}]', '42', '-0', '"text"', 'true', '1e400').map((text) => ({ text, kind: 'json-other' as const })),
  fc.jsonValue({ maxDepth: 3 }).map((v) => ({ text: JSON.stringify(v), kind: isObject(v) ? ('json-object' as const) : ('json-other' as const) })),
  pollutionJson().map((text) => ({ text, kind: text.startsWith('[') ? ('json-other' as const) : ('json-object' as const) })),
  fc.constantFrom('', ' ', '{', '{"type":', '\u0000', '\ufeff{}', "{'a':1}", '{"a":1}{"b":2}', 'undefined', 'NaN', '{"a":1,}').map((text) => ({ text, kind: 'not-json' as const })),
  fc.string({ unit: 'binary', maxLength: 50 }).filter((s) => !isJson(s)).map((text) => ({ text, kind: 'not-json' as const })),
  // url_verification with a challenge of any type
  jsonGarbage().map((challenge) => ({ text: JSON.stringify({ type: 'url_verification', token: 'x', challenge }), kind: 'challenge' as const })),
  // event_callback envelopes with broken or unknown events
  fc
    .record({
      event: fc.oneof(
        jsonGarbage(),
        fc.record({ type: fc.constantFrom('app_home_opened', 'message', 'app_mention', 'team_join', 'tokens_revoked', 'app_uninstalled', 'unknown_event'), user: fc.oneof(someUser, jsonGarbage()), tab: fc.constantFrom('home', 'messages', undefined, 7), channel: fc.constantFrom('D0APPHOME01', undefined) }, { requiredKeys: ['type'] }),
      ),
      type: fc.constantFrom('event_callback', 'app_rate_limited', 'block_actions', 'view_submission', 'shortcut', 'message_action', 'block_suggestion', 'interactive_message', 'unknown', undefined),
      event_id: fc.oneof(fc.constant(undefined), nastyString(), fc.integer()),
      team_id: fc.constantFrom('T0FAKE0001', undefined, 42),
      authorizations: fc.constantFrom(undefined, [], null, [{}]),
    }, { requiredKeys: [] })
    .map((v) => ({ text: JSON.stringify(v), kind: 'json-object' as const })),
);

/** A form body: `payload=` with anything in it, slash-command fields with parts missing, broken encodings. */
const formBody: fc.Arbitrary<{ text: string; kind: 'form-payload-object' | 'form-payload-other' | 'form-fields' | 'ssl-check' }> = fc.oneof(
  fc.constantFrom('null', '[]', '42', '"x"', '', '{', 'undefined').map((p) => ({ text: `payload=${encodeURIComponent(p)}`, kind: 'form-payload-other' as const })),
  jsonGarbage().map((v) => ({ text: `payload=${encodeURIComponent(JSON.stringify(v))}`, kind: isObject(v) ? ('form-payload-object' as const) : ('form-payload-other' as const) })),
  pollutionJson().map((p) => ({ text: `payload=${encodeURIComponent(p)}`, kind: p.startsWith('[') ? ('form-payload-other' as const) : ('form-payload-object' as const) })),
  fc
    .record({
      type: fc.constantFrom('block_actions', 'view_submission', 'view_closed', 'shortcut', 'message_action', 'block_suggestion', 'interactive_message', 'dialog_submission', 'unknown'),
      user: fc.oneof(fc.record({ id: fc.oneof(someUser, jsonGarbage()) }), jsonGarbage()),
      actions: fc.oneof(jsonGarbage(), fc.array(jsonGarbage(), { maxLength: 3 })),
      view: jsonGarbage(),
      trigger_id: fc.oneof(nastyString(), jsonGarbage()),
      response_url: fc.oneof(fc.constantFrom('http://127.0.0.1:9/x', 'not a url', 'file:///etc/passwd'), jsonGarbage()),
    }, { requiredKeys: ['type'] })
    .map((v) => ({ text: `payload=${encodeURIComponent(JSON.stringify(v))}`, kind: 'form-payload-object' as const })),
  // slash-command fields, some missing or odd
  fc
    .record({
      command: fc.constantFrom('/crm', '/other', '', 'crm', '/CRM'),
      text: nastyString(),
      user_id: someUser,
      channel_id: fc.constantFrom('D0APPHOME01', 'C0ST000001', '', 'x'),
      trigger_id: fc.constantFrom('1.2.abc', ''),
      response_url: fc.constantFrom('http://127.0.0.1:9/x', 'not a url', ''),
      team_id: fc.constantFrom('T0FAKE0001', ''),
    }, { requiredKeys: [] })
    .map((v) => ({ text: new URLSearchParams(v as Record<string, string>).toString(), kind: 'form-fields' as const })),
  fc.constantFrom('', '=', '&&&', '%zz', 'payload', 'payload=%7B%22type', 'a=1&a=2&payload=null', `${'k=v&'.repeat(2000)}x=y`).map((text) => ({ text, kind: text.startsWith('payload=') || text.includes('&payload=') ? ('form-payload-other' as const) : ('form-fields' as const) })),
  fc.constantFrom('ssl_check=1&token=x', 'ssl_check=1', 'ssl_check=1&payload=null').map((text) => ({ text, kind: 'ssl-check' as const })),
);

function isObject(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function isJson(s: string): boolean {
  try {
    JSON.parse(s);
    return true;
  } catch {
    return false;
  }
}

interface TransportCase {
  signing: Signing;
  contentType: string | undefined;
  body: string;
  kind: string;
  retry: boolean;
}

const transportCase: fc.Arbitrary<TransportCase> = fc
  .tuple(signing, contentType, fc.boolean(), fc.boolean())
  .chain(([s, ct, useForm, retry]) =>
    (useForm ? formBody : jsonBody).map((b) => ({ signing: s, contentType: ct, body: b.text, kind: b.kind, retry })),
  );

function headersFor(c: TransportCase): Record<string, string> {
  const headers: Record<string, string> = {};
  if (c.contentType !== undefined) headers['content-type'] = c.contentType;
  if (c.retry) Object.assign(headers, { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' });
  const now = ts();
  const sign = (secret: string, at: number, body: string) => `v0=${createHmac('sha256', secret).update(`v0:${at}:${body}`).digest('hex')}`;
  switch (c.signing) {
    case 'valid':
      return { ...headers, ...signatureHeaders(SECRET, c.body, now) };
    case 'unsigned':
      return headers;
    case 'forged':
      return { ...headers, 'x-slack-request-timestamp': String(now), 'x-slack-signature': `v0=${randomBytes(32).toString('hex')}` };
    case 'stale':
      return { ...headers, ...signatureHeaders(SECRET, c.body, now - 6 * 60) };
    case 'future':
      return { ...headers, ...signatureHeaders(SECRET, c.body, now + 6 * 60) };
    case 'bad-timestamp':
      return { ...headers, 'x-slack-request-timestamp': `${now}.5`, 'x-slack-signature': sign(SECRET, now, c.body) };
    case 'other-body':
      return { ...headers, ...signatureHeaders(SECRET, `${c.body} `, now) };
    case 'wrong-secret':
      return { ...headers, ...signatureHeaders('another-secret', c.body, now) };
    case 'only-signature':
      return { ...headers, 'x-slack-signature': sign(SECRET, now, c.body) };
    case 'only-timestamp':
      return { ...headers, 'x-slack-request-timestamp': String(now) };
    case 'v1':
      return { ...headers, 'x-slack-request-timestamp': String(now), 'x-slack-signature': sign(SECRET, now, c.body).replace('v0=', 'v1=') };
    case 'empty':
      return { ...headers, 'x-slack-request-timestamp': '', 'x-slack-signature': '' };
  }
}

/**
 * What the receiver promises (src/adapters/slack/receiver.ts): Slack's certificate probe answered 200;
 * anything not signed 401; a signed body that is not a JSON object (a form's `payload=` JSON, a form's
 * fields, or a JSON body) 400; url_verification its challenge; the rest goes to the listeners.
 */
function expectedAnswer(c: TransportCase): 'ssl-check' | 401 | 400 | { challenge?: unknown } {
  const isForm = (c.contentType ?? '').split(';')[0]!.trim().toLowerCase() === FORM;
  if (isForm && new URLSearchParams(c.body).get('ssl_check') === '1') return 'ssl-check';
  if (c.signing !== 'valid') return 401;
  let parsed: unknown;
  try {
    const form = new URLSearchParams(c.body);
    parsed = isForm ? (form.has('payload') ? JSON.parse(form.get('payload')!) : Object.fromEntries(form)) : JSON.parse(c.body);
  } catch {
    return 400;
  }
  if (!isObject(parsed)) return 400;
  const body = parsed as Record<string, unknown>;
  return body.type === 'url_verification' ? { challenge: body.challenge ?? '' } : {};
}

async function send(c: TransportCase) {
  const t0 = performance.now();
  const res = await fetch(f.w.url, { method: 'POST', headers: headersFor(c), body: c.body });
  const body = await res.text();
  return { status: res.status, body, ms: performance.now() - t0 };
}

// --------------------------------------------------------------------------------------- /crm text

const WORDS = [
  ...Object.values(COMMAND_WORDS).flat(),
  'CONSULTA', 'Plazó', 'prórroga', 'ESTADO', 'reunion', 'meeting', 'reuniones', 'meetings', 'pendientes', 'duties', 'hola', 'crm', '/crm',
];
/** A seeded consultation's reference, spelled as people (or attackers) might type it. */
const reference = (refs: string[]) =>
  fc.oneof(
    fc.constantFrom(...refs),
    fc.constantFrom(...refs).map((r) => r.toLowerCase()),
    fc.constantFrom(...refs).map((r) => `${r}x`),
    fc.constantFrom('CRM-2026-999', 'CRM-2025-001', 'CRM-2026-0001', 'CRM-99999-1', 'CRM-2026-', '#CRM-2026-001', '<CRM-2026-001>', 'CRM–2026–001', 'CRM-2026-001\u0000'),
  );
const numberWord = fc.constantFrom('5', '0', '1', '4', '60', '61', '-1', '5.5', '1e3', '0x10', '５', '٥', 'NaN', 'Infinity', '99999999999999999999', ' 7');
const separator = fc.constantFrom(' ', '  ', '\t', '\u00a0', '\n', '\u3000', '');
const commandText = (refs: string[]) =>
  fc.oneof(
    { weight: 6, arbitrary: fc.tuple(fc.array(fc.oneof(fc.constantFrom(...WORDS), reference(refs), numberWord, nastyString()), { minLength: 0, maxLength: 4 }), separator).map(([ws, sep]) => ws.join(sep || ' ')) },
    { weight: 1, arbitrary: nastyString() },
    { weight: 1, arbitrary: fc.integer({ min: 400, max: 12_000 }).map((n) => `consulta ${'x'.repeat(n)}`) },
  );

const MENTIONS = ['<!channel>', '<!here>', '<!everyone>', '<@U0ST0000001>', '<#C0ST000001>'];
const TITLES = ['Consulta en revisión', 'Consulta a los miembros', 'Consulta no avalada', 'Consulta retirada'];
/** People who may see consultations (ST staff and Member Countries' focal points). */
const maySee = (u: string) => (DIRECTORY_USERS as readonly string[]).includes(u) && u !== 'U0JM0000001';

// ---------------------------------------------------------------------------------------------- cases

describe('POST /slack/events, transport', () => {
  it('any body, signed or not: no 5xx, 401 unless signed, 400 unless a Slack payload, nothing changes', async () => {
    await check('transport', transportCase, async (c) => {
      await f.before();
      const replies = f.repliesSoFar();
      const res = await send(c);
      const what = `${c.signing} ${c.contentType ?? '(no type)'} ${c.kind} ${JSON.stringify(c.body.slice(0, 200))}`;
      await f.afterCase(res, { mayChange: false, what });
      const expected = expectedAnswer(c);
      tally('transport', typeof expected === 'object' ? (expected.challenge !== undefined ? 'challenge' : `to listeners ${res.status}`) : String(expected));
      if (expected === 'ssl-check') {
        expect(res.status, what).toBe(200);
        expect(res.body, what).toBe('');
      } else if (expected === 401) {
        expect(res.status, what).toBe(401);
        expect(f.repliesSoFar(), `${what}: reached someone`).toBe(replies);
      } else if (expected === 400) {
        expect(res.status, what).toBe(400);
        expect(f.repliesSoFar(), `${what}: reached someone`).toBe(replies);
      } else if (expected.challenge !== undefined) {
        expect(res.status, what).toBe(200);
        expect(JSON.parse(res.body), what).toEqual({ challenge: typeof expected.challenge === 'string' ? expected.challenge : '' });
      } else {
        // Given to the listeners, or refused as a body whose shape is not a Slack payload's.
        expect([200, 400], what).toContain(res.status);
        if (res.status === 400) expect(f.repliesSoFar(), `${what}: reached someone`).toBe(replies);
      }
    }, runs(900));
  });

  it('/crm with any text, from anyone: acknowledged at once, an answer reaches the person, nothing changes', async () => {
    const refs = Object.values(f.seeded).map((c) => c.reference);
    const arb = fc.record({
      user: fc.oneof({ weight: 4, arbitrary: fc.constantFrom<string>(...DIRECTORY_USERS) }, { weight: 1, arbitrary: fc.constantFrom('U0NOBODY001', 'W0ENTERPRISE1', 'USLACKBOT') }),
      text: commandText(refs),
      command: fc.constantFrom('/crm', '/crm', '/crm', '/CRM', '/crm-test'),
      channel: fc.constantFrom('D0APPHOME01', 'C0ST000001', 'G0PRIVATE01', 'C0UNKNOWN01'),
      responseUrl: fc.constantFrom('recorder', 'recorder', 'recorder', 'unreachable'),
    });
    let trigger = 0;
    await check('slash-commands', arb, async (c) => {
      await f.before();
      const calls = f.w.slack.calls.length;
      const posts = f.w.responses.length;
      const triggerId = `1${String(++trigger).padStart(10, '0')}.1.fuzz`;
      const request = slashCommand({
        userId: c.user,
        text: c.text,
        command: c.command,
        channelId: c.channel,
        triggerId,
        responseUrl: c.responseUrl === 'recorder' ? f.w.responseUrl(c.user) : 'http://127.0.0.1:9/unreachable',
      });
      const res = await f.w.post(request);
      const what = `/crm from ${c.user}: ${JSON.stringify(c.text.slice(0, 200))}`;
      await f.afterCase(res, { mayChange: false, what });
      expect(res.status, what).toBe(200);
      expect(res.body, what).toBe('');
      // What reached this person: response_url posts, ephemerals, direct messages, forms opened on their trigger.
      const reached = [
        ...f.w.responses.slice(posts).filter((r) => r.user === c.user).map((r) => JSON.stringify(r.body)),
        ...f.w.slack.calls
          .slice(calls)
          .filter((k) => (k.method === 'chat.postEphemeral' && k.args.user === c.user) || (k.method === 'chat.postMessage' && k.args.channel === c.user) || k.args.trigger_id === triggerId || k.method === 'views.update')
          .map((k) => JSON.stringify(k.args)),
      ];
      expect(reached.length, `${what}: no answer reached the person`).toBeGreaterThan(0);
      const all = reached.join('\n');
      for (const m of MENTIONS) if (c.text.includes(m)) expect(all, `${what}: ${m} echoed unescaped`).not.toContain(m);
      if (!maySee(c.user)) for (const title of TITLES) expect(all, `${what}: a title reached someone who may not see it`).not.toContain(title);
      if (!(DIRECTORY_USERS as readonly string[]).includes(c.user)) expect(all, what).toMatch(/no figura en el directorio/);
      if (!MANAGERS.has(c.user)) expect(f.w.slack.calls.slice(calls).some((k) => k.method === 'views.open' && JSON.stringify(k.args).includes('consultation_new')), `${what}: form for a non-manager`).toBe(false);
    }, runs(300));
  });

  it('a valid slash command and Home tab still work after the noise', async () => {
    await f.before();
    const res = await f.w.post(slashCommand({ userId: DIRECTORY_USERS[3], text: 'ayuda', responseUrl: f.w.responseUrl(DIRECTORY_USERS[3]) }));
    await f.afterCase(res, { mayChange: false, what: 'help' });
    expect(f.w.responses.some((r) => r.user === DIRECTORY_USERS[3])).toBe(true);
    const home = await f.w.post(appHomeOpened(DIRECTORY_USERS[3]));
    await f.afterCase(home, { mayChange: false, what: 'home' });
    expect(f.w.slack.callsOf('views.publish').some((c) => c.args.user_id === DIRECTORY_USERS[3])).toBe(true);
    const challenge = await f.w.post(urlVerification('abc'));
    expect(JSON.parse(challenge.body)).toEqual({ challenge: 'abc' });
  });

  it('a 20 MB signed body gets 413, read by the client; nothing changes and the server keeps serving', async () => {
    const before = await f.before();
    const body = `payload=${'a'.repeat(20 * 1024 * 1024)}`;
    const res = await fetch(f.w.url, { method: 'POST', headers: { 'content-type': FORM, ...signatureHeaders(SECRET, body) }, body });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: 'payload_too_large' });
    expect(await f.fingerprint()).toEqual(before);
    const health = await fetch(f.w.url.replace('/slack/events', '/healthz'));
    expect(health.status).toBe(200);
  });
});
