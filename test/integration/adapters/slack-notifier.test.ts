/**
 * SlackNotifier with the real @slack/web-api WebClient against the fake Slack Web API over loopback HTTP.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createSlackWebClient,
  outboxKeyHash,
  SlackNotifier,
  type SlackApiClient,
  type SlackDeliveryItem,
} from '../../../src/adapters/slack/slack-notifier.ts';
import { silentLogger } from '../../../src/log.ts';
import { buttonValue, type NeutralMessage, type Recipient } from '../../../src/messages/neutral.ts';
import { startFakeSlackApi, type FakeSlackApi } from '../../helpers/fake-slack-api.ts';

const USER = 'U0CR0000001';
const ST = 'C0ST0000001';

function card(over: Partial<NeutralMessage> = {}): NeutralMessage {
  const value = buttonValue('c-1', 'h'.repeat(64));
  return {
    kind: 'member_request',
    locale: 'es',
    consultationId: 'c-1',
    reference: 'CRM-2026-001',
    heading: 'Consulta especial CRM-2026-001: se solicita su posición',
    body: ['Se solicita la posición de Costa Rica.'],
    quote: 'Texto de la propuesta.',
    fields: [{ label: 'Referencia', value: 'CRM-2026-001' }],
    buttons: [
      { actionId: 'position_support', label: 'Apoyar', value, style: 'primary' },
      { actionId: 'position_object', label: 'Objetar', value, style: 'danger' },
      { actionId: 'position_abstain', label: 'Abstenerse', value },
    ],
    ...over,
  };
}

const person: Recipient = { kind: 'person', personId: 'luis@example.org', name: 'Luis Mora', slack: USER };
const stChannel: Recipient = { kind: 'secretariat_channel', slack: ST };

function item(over: Partial<SlackDeliveryItem> = {}): SlackDeliveryItem {
  return { id: 'o-1', dedupeKey: 'c-1:3:member_request:luis@example.org', platform: 'slack', recipient: person, kind: 'member_request', payload: card(), ...over };
}

const digest: NeutralMessage = {
  kind: 'digest',
  locale: 'es',
  consultationId: 'c-1',
  reference: 'CRM-2026-001',
  heading: 'Resumen de la consulta CRM-2026-001',
  body: ['Resultado: Consenso'],
  fields: [],
  table: { columns: ['País', 'Posición'], rows: [['Costa Rica', 'Apoya']] },
  buttons: [],
  metadata: { eventType: 'crm_consultation_closed', payload: { reference: 'CRM-2026-001', outcome: 'consensus', positions: { CR: 'support' } } },
};

const status = (answers: string): NeutralMessage => ({
  kind: 'status',
  locale: 'es',
  consultationId: 'c-1',
  reference: 'CRM-2026-001',
  heading: 'CRM-2026-001 · Declaración',
  body: [],
  fields: [{ label: 'Respuestas', value: answers }],
  buttons: [],
  replaceKey: 'status:c-1',
});

let slack: FakeSlackApi;
let notifier: SlackNotifier;

beforeEach(async () => {
  slack = await startFakeSlackApi();
  notifier = new SlackNotifier({ client: createSlackWebClient({ token: slack.token, apiUrl: slack.url }), logger: silentLogger() });
});
afterEach(async () => {
  await slack.close();
});

describe('SlackNotifier over HTTP', () => {
  it('the real WebClient fits the notifier port: it calls the given API with the bot token and never retries on its own', async () => {
    const client: SlackApiClient = createSlackWebClient({ token: slack.token, apiUrl: slack.url });
    expect(await client.apiCall('conversations.open', { users: USER })).toMatchObject({ ok: true, channel: { id: slack.dmChannelOf(USER) } });
    expect(slack.callsOf('conversations.open').map((c) => c.args)).toEqual([{ users: USER }]);
    // The deliver job owns retries: a failed call is one request.
    slack.failNext('chat.postMessage', { status: 500 });
    await expect(client.apiCall('chat.postMessage', { channel: ST, text: 'x' })).rejects.toThrow();
    expect(slack.callsOf('chat.postMessage')).toHaveLength(1);
    const stranger: SlackApiClient = createSlackWebClient({ token: 'xoxb-not-ours', apiUrl: slack.url });
    await expect(stranger.apiCall('auth.test')).rejects.toThrow(/invalid_auth/);
  });

  it('DMs a person: conversations.open, then chat.postMessage with blocks and the outbox key in metadata', async () => {
    const outcome = await notifier.send(item());
    const dm = slack.dmChannelOf(USER);
    expect(outcome).toEqual({ ok: true, receipt: { channel: dm, ts: expect.stringMatching(/^\d+\.\d{6}$/) } });
    expect(slack.callsOf('conversations.open').map((c) => c.args)).toEqual([{ users: USER }]);
    const [post] = slack.callsOf('chat.postMessage');
    expect(post?.args).toMatchObject({ channel: dm, text: expect.stringContaining('CRM-2026-001') });
    const [message] = slack.messages(dm);
    expect(message?.metadata).toEqual({ event_type: 'crm_outbox', event_payload: { crm_outbox_key: outboxKeyHash(item().dedupeKey) } });
    // No e-mail address in what Slack stores.
    expect(JSON.stringify(message)).not.toContain('luis@example.org');
    const actionIds = (message?.blocks as { type: string; elements?: { action_id: string }[] }[]).flatMap((b) => b.elements?.map((e) => e.action_id) ?? []);
    expect(actionIds).toEqual(['position_support', 'position_object', 'position_abstain']);
  });

  it('caches the DM channel of a person', async () => {
    await notifier.send(item());
    await notifier.send(item({ id: 'o-2', dedupeKey: 'c-1:4:reminder:luis@example.org' }));
    expect(slack.callsOf('conversations.open')).toHaveLength(1);
    expect(slack.messages(slack.dmChannelOf(USER))).toHaveLength(2);
  });

  it('posts the digest to the ST channel with its metadata exactly', async () => {
    const outcome = await notifier.send(item({ recipient: stChannel, kind: 'digest', payload: digest, dedupeKey: 'c-1:9:digest:st-channel' }));
    expect(outcome).toMatchObject({ ok: true, receipt: { channel: ST } });
    expect(slack.callsOf('conversations.open')).toHaveLength(0);
    expect(slack.messages(ST)[0]?.metadata).toEqual({
      event_type: 'crm_consultation_closed',
      event_payload: { reference: 'CRM-2026-001', outcome: 'consensus', positions: { CR: 'support' } },
    });
  });

  it('updates the ST live status in place when the previous receipt is passed, and returns the same receipt', async () => {
    const first = await notifier.send(item({ recipient: stChannel, kind: 'status', payload: status('0/8'), dedupeKey: 'c-1:1:status:st-channel' }));
    expect(first.ok).toBe(true);
    const receipt = first.ok ? first.receipt : undefined;
    // A fresh notifier (another process): only the receipt tells it what to update.
    const other = new SlackNotifier({ client: createSlackWebClient({ token: slack.token, apiUrl: slack.url }), logger: silentLogger() });
    const second = await other.send(item({ recipient: stChannel, kind: 'status', payload: status('3/8'), dedupeKey: 'c-1:2:status:st-channel', receipt }));
    expect(second).toEqual({ ok: true, receipt });
    expect(slack.callsOf('chat.update')).toHaveLength(1);
    expect(slack.messages(ST)).toHaveLength(1);
    expect(JSON.stringify(slack.messages(ST)[0]?.blocks)).toContain('3/8');
  });

  it('remembers the last message of a replaceKey within the process', async () => {
    await notifier.send(item({ recipient: stChannel, kind: 'status', payload: status('0/8'), dedupeKey: 'k1' }));
    await notifier.send(item({ recipient: stChannel, kind: 'status', payload: status('1/8'), dedupeKey: 'k2' }));
    expect(slack.messages(ST)).toHaveLength(1);
    expect(JSON.stringify(slack.messages(ST)[0]?.blocks)).toContain('1/8');
  });

  it('posts a new message when the one to update is gone', async () => {
    await notifier.send(item({ recipient: stChannel, kind: 'status', payload: status('0/8'), dedupeKey: 'k1' }));
    const outcome = await notifier.send(
      item({ recipient: stChannel, kind: 'status', payload: status('1/8'), dedupeKey: 'k2', receipt: { channel: ST, ts: '1.000001' } }),
    );
    expect(outcome.ok).toBe(true);
    expect(slack.messages(ST)).toHaveLength(2);
  });

  it('HTTP 429 → retryAfterMs from Retry-After, not permanent, nothing posted', async () => {
    slack.failNext('chat.postMessage', { status: 429, retryAfter: 7 });
    const outcome = await notifier.send(item());
    expect(outcome).toEqual({ ok: false, retryAfterMs: 7000, error: 'slack:ratelimited' });
    expect(slack.messages(slack.dmChannelOf(USER))).toHaveLength(0);
    expect(await notifier.send(item())).toMatchObject({ ok: true });
  });

  it('`ratelimited` as an error code also gives retryAfterMs', async () => {
    slack.failNext('conversations.open', { error: 'ratelimited', retryAfter: 3 });
    expect(await notifier.send(item())).toEqual({ ok: false, retryAfterMs: 3000, error: 'slack:ratelimited' });
  });

  it.each([
    ['chat.postMessage', 'channel_not_found'],
    ['chat.postMessage', 'not_in_channel'],
    ['chat.postMessage', 'is_archived'],
    ['conversations.open', 'user_not_found'],
    ['conversations.open', 'user_disabled'],
    ['chat.postMessage', 'invalid_blocks'],
  ])('%s %s → permanent', async (method, error) => {
    slack.failNext(method, { error });
    expect(await notifier.send(item())).toEqual({ ok: false, permanent: true, error: `slack:${error}` });
  });

  it.each(['internal_error', 'fatal_error', 'some_new_code'])('%s → transient', async (error) => {
    slack.failNext('chat.postMessage', { error });
    expect(await notifier.send(item())).toEqual({ ok: false, error: `slack:${error}` });
  });

  it('a bad token is transient (an operator can fix it; the outbox must not go dead)', async () => {
    const bad = new SlackNotifier({ client: createSlackWebClient({ token: 'xoxb-wrong', apiUrl: slack.url }), logger: silentLogger() });
    expect(await bad.send(item())).toEqual({ ok: false, error: 'slack:invalid_auth' });
  });

  it('HTTP 5xx → transient', async () => {
    slack.failNext('chat.postMessage', { status: 503 });
    expect(await notifier.send(item())).toEqual({ ok: false, error: 'slack:http_503' });
  });

  it('no duplicate after a failure Slack had in fact accepted (5xx after processing): finds it in the history', async () => {
    slack.failNext('chat.postMessage', { status: 500, afterProcessing: true });
    const first = await notifier.send(item());
    expect(first).toEqual({ ok: false, error: 'slack:http_500' });
    const dm = slack.dmChannelOf(USER);
    expect(slack.messages(dm)).toHaveLength(1);
    const second = await notifier.send(item());
    expect(second).toEqual({ ok: true, receipt: { channel: dm, ts: slack.messages(dm)[0]!.ts } });
    expect(slack.messages(dm)).toHaveLength(1);
    expect(slack.callsOf('conversations.history').map((c) => c.args)).toEqual([{ channel: dm, limit: '20', include_all_metadata: 'true' }]);
    expect(slack.callsOf('chat.postMessage')).toHaveLength(1);
  });

  it('no duplicate after a timeout once Slack accepted it', async () => {
    const slow = new SlackNotifier({ client: createSlackWebClient({ token: slack.token, apiUrl: slack.url, timeoutMs: 150 }), logger: silentLogger() });
    slack.failNext('chat.postMessage', { delayMs: 400 });
    const first = await slow.send(item());
    expect(first).toMatchObject({ ok: false, error: expect.stringMatching(/^slack:network:/) });
    expect(first).not.toHaveProperty('permanent');
    // Slack goes on to post it after the client gave up (the fake's delayed answer): wait for that post.
    const dm = slack.dmChannelOf(USER);
    for (const end = Date.now() + 10_000; slack.messages(dm).length === 0 && Date.now() < end; ) await new Promise((r) => setTimeout(r, 20));
    expect(slack.messages(dm)).toHaveLength(1);
    expect(await slow.send(item())).toMatchObject({ ok: true, receipt: { ts: slack.messages(dm)[0]!.ts } });
    expect(slack.messages(dm)).toHaveLength(1);
  });

  it('after a restart, attempts > 0 makes it check the history; other keys are still posted', async () => {
    await notifier.send(item());
    const restarted = new SlackNotifier({ client: createSlackWebClient({ token: slack.token, apiUrl: slack.url }), logger: silentLogger() });
    const again = await restarted.send(item({ attempts: 1 }));
    expect(again.ok).toBe(true);
    const dm = slack.dmChannelOf(USER);
    expect(slack.messages(dm)).toHaveLength(1);
    await restarted.send(item({ attempts: 2, id: 'o-2', dedupeKey: 'c-1:5:reminder:luis@example.org' }));
    expect(slack.messages(dm)).toHaveLength(2);
  });

  it('the digest is recognised by its own metadata on a retry', async () => {
    const digestItem = item({ recipient: stChannel, kind: 'digest', payload: digest, dedupeKey: 'c-1:9:digest:st-channel' });
    await notifier.send(digestItem);
    expect(await notifier.send({ ...digestItem, attempts: 1 })).toMatchObject({ ok: true });
    expect(slack.messages(ST)).toHaveLength(1);
  });

  it('posts anyway when the history cannot be read (missing scope)', async () => {
    slack.failNext('conversations.history', { error: 'missing_scope' });
    expect(await notifier.send(item({ attempts: 1 }))).toMatchObject({ ok: true });
    expect(slack.messages(slack.dmChannelOf(USER))).toHaveLength(1);
  });

  it('a rate limit while reading the history is a rate limit', async () => {
    slack.failNext('conversations.history', { status: 429, retryAfter: 2 });
    expect(await notifier.send(item({ attempts: 1 }))).toEqual({ ok: false, retryAfterMs: 2000, error: 'slack:ratelimited' });
  });

  it.each([
    ['another platform', { platform: 'teams' }],
    ['no Slack address', { recipient: { kind: 'person', personId: 'p', name: 'P' } }],
    ['a malformed address', { recipient: { kind: 'person', personId: 'p', name: 'P', slack: 'luis@example.org' } }],
    ['a payload that is not a neutral message', { payload: { hello: 'world' } }],
    ['a button value over 2000 chars', { payload: card({ buttons: [{ actionId: 'position_support', label: 'x', value: 'v'.repeat(2001) }] }) }],
  ])('%s → permanent, no call to Slack', async (_name, over) => {
    const outcome = await notifier.send(item(over as Partial<SlackDeliveryItem>));
    expect(outcome).toMatchObject({ ok: false, permanent: true });
    expect(slack.callsOf('chat.postMessage')).toHaveLength(0);
  });

  it('delivers the deliver job\'s dead letters (kind dead_letter) to the ST channel', async () => {
    const dead = { ...card({ buttons: [], quote: undefined }), kind: 'dead_letter' } as unknown as NeutralMessage;
    const outcome = await notifier.send(item({ recipient: stChannel, kind: 'dead_letter', payload: dead, dedupeKey: 'dead_letter.o-9' }));
    expect(outcome).toMatchObject({ ok: true, receipt: { channel: ST } });
  });

  it('a 20,000-char proposal is accepted by the (limit-checking) fake', async () => {
    const quote = Array.from({ length: 2500 }, (_, i) => `palabra${i}`).join(' ').slice(0, 20_000);
    expect(await notifier.send(item({ payload: card({ quote }) }))).toMatchObject({ ok: true });
  });
});
