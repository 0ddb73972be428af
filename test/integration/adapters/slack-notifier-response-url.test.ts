/**
 * The clicker's own card through the click's response URL (SlackNotifier), against the fake Slack Web API
 * over loopback HTTP: used while fresh and from an allowed origin, with no token; otherwise, or when it
 * fails, chat.update. And the rate scopes the notifier names for each kind of send.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSlackWebClient, RESPONSE_URL_TTL_MS, responseUrlOrigins, SLACK_RATES, SlackNotifier, usableResponseUrl, type SlackDeliveryItem } from '../../../src/adapters/slack/slack-notifier.ts';
import { silentLogger } from '../../../src/log.ts';
import type { NeutralMessage, Recipient } from '../../../src/messages/neutral.ts';
import { startFakeSlackApi, type FakeSlackApi } from '../../helpers/fake-slack-api.ts';

const USER = 'U0CR0000001';
const ST = 'C0ST0000001';
const person: Recipient = { kind: 'person', personId: 'luis@example.org', name: 'Luis Mora', slack: USER };

const card = (heading: string): NeutralMessage => ({
  kind: 'member_request',
  locale: 'es',
  consultationId: 'c-1',
  reference: 'CRM-2026-001',
  heading,
  body: ['Se solicita la posición de Costa Rica.'],
  fields: [],
  buttons: [],
});

let slack: FakeSlackApi;
let now = Date.now();
let notifier: SlackNotifier;
let fetched: { url: string; headers: Record<string, string>; body: string }[];

beforeEach(async () => {
  slack = await startFakeSlackApi();
  now = Date.now();
  fetched = [];
  const spy: typeof fetch = async (input, init) => {
    fetched.push({ url: String(input), headers: Object.fromEntries(new Headers(init?.headers).entries()), body: String(init?.body ?? '') });
    return fetch(input, init);
  };
  notifier = new SlackNotifier({ client: createSlackWebClient({ token: slack.token, apiUrl: slack.url }), logger: silentLogger(), responseUrlOrigins: responseUrlOrigins(slack.url), fetch: spy, now: () => now });
});
afterEach(async () => {
  await slack.close();
});

/** The person's card, posted; and a card_update row for it carrying `hook` in `updates`. */
async function posted(): Promise<{ channel: string; ts: string }> {
  const first = await notifier.send({ id: 'o-1', dedupeKey: 'card-1', platform: 'slack', recipient: person, kind: 'member_request', payload: card('Abierta') });
  if (!first.ok) throw new Error('not posted');
  return first.receipt as { channel: string; ts: string };
}
const update = (where: { channel: string; ts: string }, hook: object, id = 'o-2'): SlackDeliveryItem => ({
  id,
  dedupeKey: `card:${id}`,
  platform: 'slack',
  recipient: person,
  kind: 'card_update',
  payload: { ...card('Registrada'), recorded: { who: 'Luis Mora (Costa Rica)', what: 'Apoya', when: 'hoy' }, keepButtons: true, updates: { ...where, ...hook } },
});

describe('SlackNotifier: the clicked card through the response URL', () => {
  it('a fresh response URL replaces the card (replace_original, blocks), without our token; no chat.update', async () => {
    const where = await posted();
    const url = slack.responseUrlFor(where.channel, where.ts);
    const outcome = await notifier.send(update(where, { responseUrl: url, at: now - 60_000 }));
    expect(outcome).toEqual({ ok: true, receipt: where });
    const [used] = slack.callsOf('response_url');
    expect(used?.args).toMatchObject({ replace_original: true, channel: where.channel, ts: where.ts });
    expect(used?.args).not.toHaveProperty('authorization');
    expect(slack.callsOf('chat.update')).toHaveLength(0);
    expect(JSON.stringify(slack.messages(where.channel).find((m) => m.ts === where.ts)?.blocks)).toContain('Registrada');
    // What went to the URL: the message only.
    expect(fetched).toHaveLength(1);
    expect(Object.keys(fetched[0]!.headers)).not.toContain('authorization');
    expect(fetched[0]!.body).not.toContain(slack.token);
    expect(Object.keys(JSON.parse(fetched[0]!.body) as object).sort()).toEqual(['blocks', 'replace_original', 'text']);
    // Its scope: the response URL, unpaced.
    expect(await notifier.scopes(update(where, { responseUrl: url, at: now }))).toEqual([{ key: 'slack:response_url' }]);
  });

  it('a stale response URL is not used: chat.update', async () => {
    const where = await posted();
    const url = slack.responseUrlFor(where.channel, where.ts);
    const stale = update(where, { responseUrl: url, at: now - RESPONSE_URL_TTL_MS - 1 });
    expect(await notifier.send(stale)).toEqual({ ok: true, receipt: where });
    expect(fetched).toHaveLength(0);
    expect(slack.callsOf('chat.update').map((c) => c.args)).toMatchObject([{ channel: where.channel, ts: where.ts }]);
    expect((await notifier.scopes(stale))[0]).toEqual({ key: 'slack:chat.update', ...SLACK_RATES.update });
  });

  it('a response URL that fails (HTTP 500, used up): no chat.update in that attempt (it was paced as the URL); the next one is paced as chat.update and updates the card once', async () => {
    const where = await posted();
    const url = slack.responseUrlFor(where.channel, where.ts);
    slack.failNext('response_url', { status: 500 });
    const row = update(where, { responseUrl: url, at: now });
    expect(await notifier.send(row)).toEqual({ ok: false, error: expect.stringContaining('response URL') as unknown, responseUrlUnusable: true });
    expect(slack.callsOf('response_url')).toHaveLength(1);
    expect(slack.callsOf('chat.update')).toHaveLength(0);
    // The next attempt: chat.update's scopes (a 429 from it holds back chat.update, not the response URL).
    expect((await notifier.scopes(row))[0]).toEqual({ key: 'slack:chat.update', ...SLACK_RATES.update });
    expect(await notifier.send(row)).toEqual({ ok: true, receipt: where });
    expect(slack.callsOf('response_url')).toHaveLength(1);
    expect(slack.callsOf('chat.update')).toHaveLength(1);
    // Used up (Slack allows 5 uses); on another node (a fresh notifier), the row without its URL (the deliver
    // job drops it) is chat.update's too.
    for (let i = 0; i < 5; i += 1) await fetch(url, { method: 'POST', body: JSON.stringify({ text: 'x' }) });
    const used = update(where, { responseUrl: url, at: now }, 'o-3');
    expect(await notifier.send(used)).toMatchObject({ ok: false, responseUrlUnusable: true });
    expect(await notifier.send(used)).toEqual({ ok: true, receipt: where });
    const dropped = update(where, {}, 'o-4');
    expect((await notifier.scopes(dropped))[0]).toEqual({ key: 'slack:chat.update', ...SLACK_RATES.update });
    expect(await notifier.send(dropped)).toEqual({ ok: true, receipt: where });
    expect(slack.callsOf('chat.update')).toHaveLength(3);
    expect(slack.callsOf('chat.postMessage')).toHaveLength(1); // the card itself, never posted again
    expect(fetched.every((f) => !f.body.includes(slack.token) && !('authorization' in f.headers))).toBe(true);
  });

  it('a response URL from another origin is never called (our Slack only): chat.update', async () => {
    const where = await posted();
    for (const responseUrl of ['https://evil.example.org/actions/T1/2/x', 'http://hooks.slack.com/actions/T1/2/x', 'https://user:pw@hooks.slack.com/actions/x', 'not a url']) {
      expect(await notifier.send(update(where, { responseUrl, at: now }, `o-${responseUrl.length}`))).toMatchObject({ ok: true });
    }
    expect(fetched).toHaveLength(0);
    expect(slack.callsOf('chat.update')).toHaveLength(4);
  });

  it('usableResponseUrl: Slack hooks by default, the fake only when named', () => {
    const slackOnly = responseUrlOrigins();
    expect(usableResponseUrl('https://hooks.slack.com/actions/T0/1/abc', slackOnly)?.href).toBe('https://hooks.slack.com/actions/T0/1/abc');
    expect(usableResponseUrl('https://hooks.slack.com/services/T0/1/abc', slackOnly)).toBeUndefined();
    expect(usableResponseUrl('https://hooks.slack.com.evil.org/actions/x', slackOnly)).toBeUndefined();
    expect(usableResponseUrl('http://127.0.0.1:9/actions/R1', slackOnly)).toBeUndefined();
    expect(usableResponseUrl('http://127.0.0.1:9/actions/R1', responseUrlOrigins('http://127.0.0.1:9/api/'))).toBeDefined();
    expect(responseUrlOrigins('https://slack.com/api/')).toEqual(['https://hooks.slack.com']);
  });
});

describe('SlackNotifier: rate scopes', () => {
  it('a post: its channel at about 1 a second; an update in place: chat.update for the workspace, and the message at one per interval', async () => {
    const st: Recipient = { kind: 'secretariat_channel', slack: ST };
    const status = { ...card('Estado'), kind: 'status' as const, replaceKey: 'status:c-1' };
    const first: SlackDeliveryItem = { id: 's-1', dedupeKey: 's-1', platform: 'slack', recipient: st, kind: 'status', payload: status };
    expect(await notifier.scopes(first)).toEqual([{ key: 'slack:chat.postMessage' }, { key: `slack:post:${ST}`, ...SLACK_RATES.postPerChannel }]);
    const sent = await notifier.send(first);
    const receipt = sent.ok ? (sent.receipt as { channel: string; ts: string }) : undefined;
    expect(await notifier.scopes({ ...first, id: 's-2', receipt })).toEqual([
      { key: 'slack:chat.update', ...SLACK_RATES.update },
      { key: `slack:message:${ST}:${receipt!.ts}`, perSecond: 1000 / SLACK_RATES.sameMessageIntervalMs },
    ]);
    expect(await notifier.scopes({ ...first, recipient: { kind: 'person', personId: 'x' } })).toEqual([{ key: 'slack' }]);
  });
});
