/**
 * Slack e2e, the bot as a user starts it (see ./harness.ts): what the transport must guarantee.
 * - a forged, stale or unsigned request → 401, and nothing happens (no Web API call, no command logged);
 * - url_verification is answered with its challenge; app_home_opened publishes the Home tab;
 * - Slack's 429 on chat.postMessage → the message is delivered later, once;
 * - a double click (two clicks, and Slack retrying one of them) → one position.
 * "Nothing happened" is asserted only once something later proves the bot did its work: a signed copy of
 * the refused request opened its modal; the bot's own counters (GET /metrics, crm_commands_total) show the
 * retry found its first click (`duplicate`) and the second click was refused as `already_recorded`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appHomeOpened, asRetry, blockActions, findButton, postToSlackEvents, signatureHeaders, slashCommand, triggerId, urlVerification } from '../../helpers/slack-requests.ts';
import { headerOf, SIGNING_SECRET, startSlackWorld, waitFor, type SlackWorld } from './harness.ts';
import { expectMembersAsked, expectTroikaAsked, troikaApproves } from './steps.ts';

let w: SlackWorld;
beforeAll(async () => {
  w = await startSlackWorld(import.meta.url);
}, 180_000);
afterAll(async () => {
  await w?.stop();
});

const commandsLogged = async () => Number((await w.db.query<{ n: string }>('SELECT count(*) AS n FROM command_log')).rows[0]!.n);
/** The bot's count of `command` decisions that ended as `result` (ok, duplicate, a refusal code), from GET /metrics. */
async function decided(command: string, result: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${w.bot.port}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('crm_commands_total{') && l.includes(`command="${command}"`) && l.includes(`result="${result}"`));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}
/** Waits until the bot has decided `want` more position clicks per result than `before`. */
async function positionDecisions(before: Record<string, number>, want: Record<string, number>): Promise<void> {
  await waitFor(async () => {
    for (const [result, more] of Object.entries(want)) if ((await decided('recordPosition', result)) < (before[result] ?? 0) + more) return false;
    return true;
  }, `position clicks decided: ${JSON.stringify(want)} more than ${JSON.stringify(before)}`);
}
const positionCounts = async () => ({ ok: await decided('recordPosition', 'ok'), duplicate: await decided('recordPosition', 'duplicate'), already_recorded: await decided('recordPosition', 'already_recorded') });

describe('Slack transport over HTTP', () => {
  it('refuses forged, stale and unsigned requests with 401, and nothing happens', async () => {
    const forgedUrl = w.responseUrl(w.people.ppt);
    const forgedTrigger = triggerId();
    const request = slashCommand({ userId: w.people.ppt.slack, text: 'consulta', triggerId: forgedTrigger, responseUrl: forgedUrl });
    const calls = w.slack.calls.length;
    const logged = await commandsLogged();
    const forged = await w.post(request, { signature: `v0=${'0'.repeat(64)}` });
    const wrongSecret = await postToSlackEvents(w.eventsUrl, 'not-the-signing-secret', request);
    const stale = await w.post(request, { timestampSec: Math.floor(Date.now() / 1000) - 6 * 60 });
    const unsigned = await w.post(request, { unsigned: true });
    // A signed body that was altered on the way.
    const tampered = await w.post({ ...request, body: request.body.replace('consulta', 'lista') }, { signature: signatureHeaders(SIGNING_SECRET, request.body)['x-slack-signature']! });
    for (const r of [forged, wrongSecret, stale, unsigned, tampered]) expect(r.status).toBe(401);
    // The same command, signed: once its modal is open, the bot was working all along; the refused ones
    // (answered before it was sent) opened nothing, logged nothing and answered nothing at their URL.
    const signedTrigger = triggerId();
    const signed = await w.post(slashCommand({ userId: w.people.ppt.slack, text: 'consulta', triggerId: signedTrigger, responseUrl: w.responseUrl(w.people.ppt) }));
    expect(signed.status).toBe(200);
    await waitFor(() => w.slack.callsOf('views.open').find((c) => c.args.trigger_id === signedTrigger), 'the modal of the signed command');
    expect(w.slack.calls.slice(calls).map((c) => [c.method, c.args.trigger_id])).toEqual([['views.open', signedTrigger]]);
    expect(await commandsLogged()).toBe(logged);
    const forgedId = forgedUrl.split('/').pop();
    expect(w.responses.filter((p) => p.id === forgedId)).toEqual([]);
  });

  it('answers url_verification with the challenge', async () => {
    const r = await w.post(urlVerification('3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P'));
    expect(r.status).toBe(200);
    expect(r.body).toContain('3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P');
  });

  it('publishes the Home tab on app_home_opened', async () => {
    const user = w.people.firstOf['CR']!;
    const r = await w.post(appHomeOpened(user.slack));
    expect(r.status).toBe(200);
    const call = await waitFor(() => w.slack.callsOf('views.publish').find((c) => c.args.user_id === user.slack), 'views.publish for the user');
    expect((call.args.view as { type?: string }).type).toBe('home');
  });

  let ref = '';
  let id = '';
  it("Slack's 429 on chat.postMessage: the message is delivered later, once", { timeout: 300_000 }, async () => {
    // The first post to a Troika focal point (their Troika request): a message that does not replace itself
    // in place (a live status may be superseded by its own newer version instead of being posted again).
    const target = w.people.troika[0]!.slack;
    const toTarget = (args: Record<string, unknown>) => args.channel === target || args.channel === w.slack.dmChannelOf(target);
    w.slack.failNext('chat.postMessage', { status: 429, retryAfter: 2 }, 1, toTarget);
    const since = w.slack.calls.length;
    ({ ref, id } = await w.startConsultation(w.people.ppt, { title: 'E2E transporte · 429 y doble clic', proposal: 'Texto de prueba del transporte.', days: 5 }));
    await expectTroikaAsked(w, ref);
    // Every post carries its outbox row's key (metadata crm_outbox / crm_outbox_key; the digest its own).
    const keyOf = (c: { args: Record<string, unknown> }) => JSON.stringify((c.args.metadata as { event_payload?: unknown } | undefined)?.event_payload ?? null);
    const posts = () => w.slack.calls.slice(since).filter((c) => c.method === 'chat.postMessage');
    const limited = posts().find((c) => toTarget(c.args))!; // the fake recorded it, then answered 429 Retry-After: 2
    const key = keyOf(limited);
    expect(key).toContain('crm_outbox_key');
    await waitFor(() => posts().filter((c) => keyOf(c) === key).length >= 2, 'the rate-limited message posted again');
    await w.outboxSettled(id);
    const again = posts().filter((c) => keyOf(c) === key);
    expect(again).toHaveLength(2); // the 429, and the one that went through
    expect(again[1]!.at.getTime() - limited.at.getTime()).toBeGreaterThanOrEqual(1_900);
    const channel = String(limited.args.channel);
    const resolved = /^[UW]/.test(channel) ? w.slack.dmChannelOf(channel) : channel;
    // A DM keeps its metadata; the ST live status is updated in place (chat.update replaces its metadata), so
    // there the check is that one status message exists (below).
    if (resolved !== w.people.stChannel) expect(w.slack.messages(resolved).filter((m) => JSON.stringify(m.metadata?.event_payload ?? null) === key)).toHaveLength(1);
    // Whatever was rate-limited, the ST channel keeps ONE live status message for the consultation.
    expect(w.slack.messages(w.people.stChannel).filter((m) => headerOf(m).startsWith(`${ref} · `)), 'status messages of the consultation in the ST channel').toHaveLength(1);
    // …and each focal point of the PPT keeps ONE live status of its own, updated in place.
    for (const fp of w.people.focalPointsOf[w.people.pptCountry]!) {
      expect(w.dmsOf(fp.slack, ref).filter((m) => headerOf(m).startsWith(`${ref} · `)), `live status messages for ${fp.name}`).toHaveLength(1);
    }
    await w.outboxSettled(id);
    const rows = await w.db.query<{ status: string }>('SELECT status FROM outbox WHERE consultation_id = $1', [id]);
    expect(rows.rows.every((r) => r.status === 'sent')).toBe(true);
  });

  const clickOn = async (code: string) => {
    const who = w.people.firstOf[code]!;
    const card = await w.cardFor(who, ref, 'position_support');
    const button = findButton(card.message.blocks, 'position_support')!;
    return () =>
      blockActions({ userId: who.slack, actionId: 'position_support', value: button.value, label: button.label, message: { channel: card.channel, ts: card.ts, text: card.message.text, blocks: card.message.blocks ?? [] }, responseUrl: w.responseUrl(who) });
  };
  const positionsOf = async (code: string) => (await w.events(id)).filter((e) => e.type === 'position_recorded' && e.payload.country === code);

  it('a Slack retry of a click, and a second click once the first is recorded → one position', { timeout: 300_000 }, async () => {
    expect(ref).not.toBe('');
    await troikaApproves(w, ref);
    await expectMembersAsked(w, ref);
    const click = await clickOn('SV');
    const first = click();
    expect((await w.post(first)).status).toBe(200);
    await waitFor(async () => (await positionsOf('SV')).length > 0, "SV's position recorded");
    const before = await positionCounts();
    expect((await w.post(asRetry(first))).status).toBe(200);
    expect((await w.post(click())).status).toBe(200);
    // Both decided: the retry found its first click, the second click was refused as already recorded.
    await positionDecisions(before, { duplicate: 1, already_recorded: 1 });
    const recorded = await positionsOf('SV');
    expect(recorded).toHaveLength(1);
    expect(recorded[0]!.payload.position).toBe('support');
  });

  it('a double click: two clicks at the same instant (and Slack retrying one) → one position', { timeout: 300_000 }, async () => {
    const click = await clickOn('CR');
    const first = click();
    const before = await positionCounts();
    const results = await Promise.all([w.post(first), w.post(click()), w.post(asRetry(first))]);
    for (const r of results) expect(r.status).toBe(200);
    // All three decided, in whatever order: one recorded, one refused as already recorded, one duplicate.
    await positionDecisions(before, { ok: 1, duplicate: 1, already_recorded: 1 });
    expect(await positionsOf('CR')).toHaveLength(1);
  });
});
