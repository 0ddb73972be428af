/**
 * Chaos, Teams (issue 13 part 1, "the Bot Connector does the same"): a real bot (`node bin/start.mjs`) with
 * Slack AND Teams, PostgreSQL for the data and BullMQ on Redis, the local Microsoft world over HTTPS with
 * real JWT validation both ways (test/helpers/teams-world.ts), under a steady mixed load of position
 * clicks — Teams invokes on the member cards the bot delivered, Slack block actions — while the fake Bot
 * Connector answers every call 429 with Retry-After for the first half of the outage, then 5xx for the
 * second half. During the outage one reminder fires (a planned remind job promoted) and the consultation
 * closes (every remaining country answers), so their messages to Teams wait for the Bot Connector too.
 *
 * Afterwards, with nothing in flight:
 *   - every acknowledged click (Teams: answered 200 with the card; Slack: 200) is in the command log under
 *     its own key, applied once (one position event each) or refused only as `already_recorded`;
 *   - the outbox has nothing pending and nothing dead; every Teams row sent has its activity on the
 *     connector; no activity was POSTed twice (same conversation, same content); the ST's live status on
 *     Teams is one activity, updated in place (PUT) to the closed state;
 *   - the reminder fired once (one `reminders_sent` row, one reminder card posted), the consultation closed
 *     once (one `consultation_closed` event, one result notice per Teams focal point, one digest in the
 *     Teams ST channel);
 *   - while the Bot Connector was down, a person clicking in Teams was told on the card itself (the invoke's
 *     answer needs no Bot Connector call) what was recorded.
 * The counts are printed. The short form runs in the suite; `npm run chaos` the long one (2-minute outage).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { actionKey } from '../../src/adapters/slack/listeners/shared.ts';
import type { ConnectorOp } from '../../src/demo/teams/fake-bot-connector.ts';
import { createJobsBackend } from '../../src/jobs/backend.ts';
import { QUEUES } from '../../src/jobs/names.ts';
import { t } from '../../src/i18n/index.ts';
import { cardTexts, executeActions } from '../helpers/adaptive-cards.ts';
import { deleteRedisPrefix, TEST_REDIS_URL, uniquePrefix, assertRedisReachable } from '../helpers/redis.ts';
import { ROOT } from '../helpers/run-bin.ts';
import { findButton, slackTs } from '../helpers/slack-requests.ts';
import { APP_ID, TENANT_ID, startTeamsWorld, type TeamsWorld } from '../helpers/teams-world.ts';
import { startSlackWorld, waitFor, type Actor, type Card as SlackCard, type SlackWorld } from '../e2e/slack/harness.ts';
import { troikaApproves } from '../e2e/slack/steps.ts';

const LONG = process.env['CHAOS_LONG'] === '1';
/** The phases (ms): the load before, the outage (429 first half, 5xx second half), the calm after. */
const T = LONG ? { warm: 5_000, down: 120_000, calm: 5_000 } : { warm: 1_500, down: 8_000, calm: 1_500 };
const PACE_MS = 150;
/** Teams gives up on an invoke's answer after about 15 s (the person sees an error and clicks again). */
const INVOKE_TIMEOUT_MS = 15_000;
const ALTERNATE = ['position_support', 'position_abstain'] as const;
const ST_TEAMS = '19:crm-chaos-st@thread.tacv2';
/** Teams clickers' countries, and the one Teams country that does not click (the reminder goes to it). */
const TEAMS_CLICKERS = ['GT', 'HN', 'NI'];
const TEAMS_QUIET = 'BZ';

interface TeamsPerson {
  name: string;
  country: string;
  aad: string;
  userId: string;
  conversationId: string;
  locale: 'es' | 'en';
}

interface Click {
  platform: 'teams' | 'slack';
  who: string;
  country: string;
  action: string;
  key: string;
  phase: string;
  acked: boolean;
  /** What the answer said when it was not the card (Teams) or not a 200. */
  answer?: string;
}

let cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const f of cleanups.reverse()) await f().catch(() => undefined);
  cleanups = [];
}, 120_000);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const cardOf = (a: { activity: Record<string, unknown> }) => (a.activity.attachments as { content: unknown }[] | undefined)?.[0]?.content;

function directoryYaml(onTeams: TeamsPerson[]): string {
  const doc = parse(readFileSync(join(ROOT, 'config/directory.example.yaml'), 'utf8')) as {
    secretariat: Record<string, unknown>;
    countries: { code: string; focalPoints: { name: string; slack?: string; teams?: string; locale?: 'es' | 'en' }[] }[];
  };
  doc.secretariat.teams = { channel: ST_TEAMS };
  for (const c of doc.countries) {
    if (![...TEAMS_CLICKERS, TEAMS_QUIET].includes(c.code)) continue;
    for (const fp of c.focalPoints) {
      delete fp.slack;
      fp.teams = randomUUID();
      onTeams.push({ name: fp.name, country: c.code, aad: fp.teams, userId: `29:1${fp.teams.replace(/-/g, '')}`, conversationId: '', locale: fp.locale ?? 'es' });
    }
  }
  return stringify(doc);
}

describe('chaos: the Bot Connector answers 429, then 5xx, under a steady load of Teams and Slack clicks', () => {
  it('every acknowledged click recorded once, every Teams message posted once, the reminder and the close once', { timeout: LONG ? 1_200_000 : 420_000 }, async () => {
    await assertRedisReachable();
    const world: TeamsWorld = await startTeamsWorld();
    cleanups.push(() => world.close());
    world.connector.addChannel(ST_TEAMS);
    const onTeams: TeamsPerson[] = [];
    const yaml = directoryYaml(onTeams);
    for (const p of onTeams) {
      p.conversationId = world.connector.conversationOf(p.userId);
      world.connector.install(p.userId, { tenantId: TENANT_ID, aadObjectId: p.aad });
    }
    const prefix = uniquePrefix(import.meta.url);
    cleanups.push(() => deleteRedisPrefix(prefix));
    const dir = await mkdtemp(join(tmpdir(), 'crm-chaos-teams-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const w: SlackWorld = await startSlackWorld(import.meta.url, {
      directoryYaml: yaml,
      env: { ...world.env, NODE_EXTRA_CA_CERTS: world.tls.caFile, REDIS_URL: TEST_REDIS_URL, CRM_JOBS_PREFIX: prefix, CRM_WEEKLY_DIGEST: 'off' },
    });
    cleanups.push(() => w.stop());

    const signed = () => `Bearer ${world.bf.tokenFor({ appId: APP_ID, serviceUrl: world.connector.serviceUrl })}`;
    const base = (p: TeamsPerson) => ({
      id: `f:${randomUUID()}`,
      timestamp: new Date().toISOString(),
      serviceUrl: world.connector.serviceUrl,
      channelId: 'msteams',
      from: { id: p.userId, aadObjectId: p.aad, name: p.name },
      recipient: { id: `28:${APP_ID}`, name: 'CRM' },
      conversation: { id: p.conversationId, conversationType: 'personal', tenantId: TENANT_ID },
      channelData: { tenant: { id: TENANT_ID } },
      locale: 'es-419',
    });
    const postTeams = async (activity: Record<string, unknown>): Promise<{ status: number | string; body: any }> => {
      try {
        const res = await fetch(`http://127.0.0.1:${w.bot.port}/api/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: signed() },
          body: JSON.stringify(activity),
          signal: AbortSignal.timeout(INVOKE_TIMEOUT_MS),
        });
        const text = await res.text();
        return { status: res.status, body: text ? JSON.parse(text) : undefined };
      } catch (e) {
        return { status: (e as Error).name === 'TimeoutError' ? 'timeout' : 'no connection', body: undefined };
      }
    };
    // Everyone on Teams installed the app (the bot stores where to write to them).
    for (const p of onTeams) expect((await postTeams({ ...base(p), type: 'installationUpdate', action: 'add' })).status).toBe(200);
    await waitFor(async () => Number((await w.db.query<{ n: string }>('SELECT count(*) AS n FROM teams_users')).rows[0]!.n) === onTeams.length, 'every install stored');

    const { ref, id: consultationId } = await w.startConsultation(w.people.ppt, {
      title: 'Consulta bajo caída de Teams',
      proposal: 'La CRM adopta el protocolo regional de retorno asistido.',
      days: 5,
    });
    await troikaApproves(w, ref);

    // The member cards: on Teams for the Teams countries' first focal points, on Slack for two others.
    const teamsCard = async (p: TeamsPerson) => {
      const heading = t(p.locale, 'member_request.heading', { reference: ref });
      const a = await waitFor(() => world.connector.activities(p.conversationId).find((x) => cardTexts(cardOf(x))[0] === heading), `the member card of ${p.name} on Teams`);
      return { id: a.id, card: cardOf(a) };
    };
    const teamsClickers = TEAMS_CLICKERS.map((c) => onTeams.find((p) => p.country === c)!);
    const teamsCards = await Promise.all(teamsClickers.map(teamsCard));
    const quiet = onTeams.find((p) => p.country === TEAMS_QUIET)!;
    const quietCard = await teamsCard(quiet);
    const slackOnly = w.people.memberCodes.filter((c) => c !== w.people.pptCountry && !w.people.troikaCountries.includes(c) && w.people.firstOf[c]);
    const slackClickers: Actor[] = slackOnly.slice(0, 2).map((c) => w.people.firstOf[c]!);
    const slackCards: SlackCard[] = await Promise.all(slackClickers.map((who) => w.cardFor(who, ref, 'position_support')));

    // ------------------------------------------------------------------ the load
    let phase = 'warm';
    let stop = false;
    const clicks: Click[] = [];
    const teamsClicker = async (p: TeamsPerson, card: { id: string; card: unknown }) => {
      let n = 0;
      while (!stop) {
        const verb = ALTERNATE[n % 2]!;
        const action = executeActions(card.card).find((a) => a.verb === verb);
        if (!action) throw new Error(`no ${verb} on ${p.name}'s card`);
        const activity = { ...base(p), type: 'invoke', name: 'adaptiveCard/action', replyToId: card.id, value: { action: { type: 'Action.Execute', verb, data: action.data }, trigger: 'manual' } };
        const c: Click = { platform: 'teams', who: p.name, country: p.country, action: verb, key: `teams:decide:${activity.id}`, phase, acked: false };
        clicks.push(c);
        const res = await postTeams(activity);
        // Acknowledged: answered with the card (what the person sees: their choice on it). A message instead
        // is a failure said in words; no answer, Teams' own error.
        c.acked = res.status === 200 && res.body?.type === 'application/vnd.microsoft.card.adaptive';
        if (!c.acked) c.answer = `${res.status} ${typeof res.body?.value === 'string' ? res.body.value : ''}`.trim();
        if (c.acked) n++;
        await sleep(PACE_MS);
      }
    };
    const slackClicker = async (who: Actor, card: SlackCard) => {
      let n = 0;
      while (!stop) {
        const actionId = ALTERNATE[n % 2]!;
        const actionTs = slackTs();
        const { res } = await w.click(who, card, actionId, { actionTs });
        const button = findButton(card.message.blocks, actionId)!;
        const c: Click = { platform: 'slack', who: who.name, country: who.country!, action: actionId, key: actionKey({ userId: who.slack, actionId, actionTs, value: button.value }), phase, acked: res.status === 200 };
        if (!c.acked) c.answer = String(res.status);
        clicks.push(c);
        if (c.acked) n++;
        await sleep(PACE_MS);
      }
    };
    const load = Promise.all([...teamsClickers.map((p, i) => teamsClicker(p, teamsCards[i]!)), ...slackClickers.map((who, i) => slackClicker(who, slackCards[i]!))]);

    await sleep(T.warm);

    // ------------------------------------------------------------------ the Bot Connector down
    const downFrom = Date.now();
    // At least T.down, and until a little after the consultation closed (its messages must wait too).
    let downUntil = downFrom + T.down;
    const firstHalf = () => Date.now() < downFrom + T.down / 2;
    const secondHalf = () => !firstHalf() && Date.now() < downUntil;
    let n5xx = 0;
    for (const op of ['createConversation', 'sendActivity', 'replyToActivity', 'updateActivity'] as ConnectorOp[]) {
      world.connector.failNext(op, { status: 429, retryAfter: 2 }, 1_000_000, firstHalf);
      world.connector.failNext(op, { status: 503 }, 1_000_000, () => secondHalf() && n5xx++ % 2 === 0);
      world.connector.failNext(op, { status: 502 }, 1_000_000, secondHalf);
    }
    phase = 'connector 429';
    // A reminder comes due while Teams is down: the quiet country's planned remind job, run now.
    const jobs = await createJobsBackend({ redisUrl: TEST_REDIS_URL, prefix, dataDir: join(dir, 'jobs'), onError: () => undefined });
    cleanups.push(() => jobs.close());
    const remindQueue = jobs.queue(QUEUES.remind);
    const quietJob = await waitFor(
      async () => (await remindQueue.getJobs(['delayed'])).find((j) => (j.data as { consultationId?: string; country?: string }).consultationId === consultationId && (j.data as { country?: string }).country === TEAMS_QUIET),
      `a planned reminder for ${TEAMS_QUIET}`,
    );
    await quietJob.promote();
    await sleep(Math.max(0, downFrom + T.down / 2 - Date.now()));
    phase = 'connector 5xx';
    await sleep(Math.max(0, downFrom + T.down / 4 * 3 - Date.now()));
    // The clicks stop; every other country answers (on Slack, the quiet one on Teams): the consultation
    // closes while the Bot Connector is still down.
    stop = true;
    await load;
    // The outage goes on until the consultation has closed (however long the answers take here).
    downUntil = Number.POSITIVE_INFINITY;
    // Slack's clicks are acknowledged first and decided from the inbox: the closing answers come after every
    // click is decided (else a click acknowledged while open is refused as consultation_closed, correctly).
    const stoppedAt = performance.now();
    await waitFor(async () => Number((await w.db.query<{ n: string }>('SELECT count(*) AS n FROM inbox WHERE processed_at IS NULL')).rows[0]!.n) === 0, 'the clicks decided', LONG ? 600_000 : 240_000, 250);
    const inboxLagMs = performance.now() - stoppedAt;
    phase = 'closing (connector 5xx)';
    const quietAction = executeActions(quietCard.card).find((a) => a.verb === 'position_support')!;
    const quietClick = { ...base(quiet), type: 'invoke', name: 'adaptiveCard/action', replyToId: quietCard.id, value: { action: { type: 'Action.Execute', verb: 'position_support', data: quietAction.data }, trigger: 'manual' } };
    const quietRes = await postTeams(quietClick);
    expect(quietRes.status).toBe(200);
    const clickers = new Set([...TEAMS_CLICKERS, TEAMS_QUIET, ...slackClickers.map((c) => c.country!)]);
    // Acknowledged is enough here: their card updates on Slack may wait behind the Teams retries (see below).
    for (const c of w.people.memberCodes.filter((x) => !clickers.has(x))) {
      const who = w.people.firstOf[c]!;
      const { res } = await w.click(who, await w.cardFor(who, ref, 'position_support'), 'position_support');
      expect(res.status).toBe(200);
    }
    await waitFor(async () => (await w.consultation(ref))?.stage === 'closed', `${ref} closed`);
    expect(secondHalf(), 'the Bot Connector still down when the consultation closed').toBe(true);
    downUntil = Math.max(downFrom + T.down, Date.now() + 2_000);
    await sleep(Math.max(0, downUntil - Date.now()));
    phase = 'connector back';

    // ------------------------------------------------------------------ quiet: everything done
    const t0 = performance.now();
    // Soft from here on: every check is made and the counts printed even when one fails.
    const outboxNow = async () =>
      (await w.db.query<{ status: string; kind: string; count: string }>('SELECT status, kind, count(*) AS count FROM outbox WHERE consultation_id = $1 GROUP BY status, kind', [consultationId])).rows.map((x) => ({ status: x.status, kind: x.kind, count: Number(x.count) }));
    const drained = await waitFor(async () => ((await outboxNow()).some((x) => x.status === 'pending') ? undefined : true), 'every outbox row delivered', LONG ? 600_000 : 240_000, 500).catch((e: unknown) => e as Error);
    expect.soft(drained === true ? undefined : (drained as Error).message, 'the outbox drained').toBeUndefined();
    const outbox = await outboxNow();
    const stuck = (await w.db.query<{ platform: string; kind: string; attempts: number; last_error: string | null }>("SELECT platform, kind, attempts, last_error FROM outbox WHERE consultation_id = $1 AND status <> 'sent'", [consultationId])).rows;
    await waitFor(async () => Number((await w.db.query<{ n: string }>('SELECT count(*) AS n FROM inbox WHERE processed_at IS NULL')).rows[0]!.n) === 0, 'the Slack inbox processed');
    const drainedMs = performance.now() - t0;

    // ------------------------------------------------------------------ exactly once
    const acked = clicks.filter((c) => c.acked);
    const log = await w.db.query<{ key: string; status: string; code: string | null; created_at: Date }>(
      "SELECT key, status, result->>'code' AS code, created_at FROM command_log WHERE key = ANY($1)",
      [clicks.map((c) => c.key)],
    );
    const byKey = new Map(log.rows.map((r) => [r.key, r]));
    const superseded = new Set(
      (await w.db.query<{ key: string }>("SELECT key FROM inbox WHERE key = ANY($1) AND last_error LIKE 'superseded%'", [clicks.map((c) => c.key)])).rows.map((r) => r.key),
    );
    const lostClicks = acked.filter((c) => !byKey.has(c.key) && !superseded.has(c.key));
    expect.soft(lostClicks.map((c) => `${c.platform} ${c.who} ${c.action} in "${c.phase}"`), 'acknowledged clicks not recorded').toEqual([]);
    const refusals = log.rows.filter((r) => r.status !== 'applied');
    expect.soft(refusals.filter((r) => r.code !== 'already_recorded').map((r) => `${r.key} ${r.status} ${r.code}`), 'refused for another reason').toEqual([]);
    const applied = log.rows.filter((r) => r.status === 'applied').length;
    const events = await w.events(consultationId);
    const clickerCountries = new Set(clicks.map((c) => c.country));
    const positionEvents = events.filter((e) => e.type === 'position_recorded' && clickerCountries.has(e.payload.country));
    expect.soft(positionEvents, 'one position event per applied click').toHaveLength(applied);
    for (const country of clickerCountries) {
      const lastAcked = clicks.filter((c) => c.country === country && c.acked).at(-1)!;
      const last = positionEvents.filter((e) => e.payload.country === country).at(-1);
      expect.soft(last?.payload.position, `${country}'s last choice`).toBe(lastAcked.action.replace('position_', ''));
    }
    // Told while Teams was down: every click in the outage was answered with the card (no Bot Connector needed).
    const teamsDuring = clicks.filter((c) => c.platform === 'teams' && c.phase.startsWith('connector '));
    expect.soft(teamsDuring.length).toBeGreaterThan(0);
    expect.soft(teamsDuring.filter((c) => !c.acked).map((c) => `${c.who} ${c.phase}: ${c.answer}`), 'Teams clicks not answered with the card during the outage').toEqual([]);

    // The outbox: nothing pending, nothing dead.
    expect.soft(stuck, 'outbox rows not sent').toEqual([]);
    // Teams: every POST that made an activity; none twice (same conversation, same content).
    const posts = world.connector.calls.filter((c) => (c.op === 'sendActivity' || c.op === 'createConversation' || c.op === 'replyToActivity') && c.status === 201);
    const contentOf = (c: { conversationId?: string; body: unknown }) => `${c.conversationId ?? ''} ${JSON.stringify((c.body as { attachments?: unknown }).attachments ?? c.body)}`;
    const seen = new Map<string, number>();
    for (const p of posts) seen.set(contentOf(p), (seen.get(contentOf(p)) ?? 0) + 1);
    const duplicates = [...seen].filter(([, n]) => n > 1);
    expect.soft(duplicates.map(([k, n]) => `${n}× ${k.slice(0, 200)}`), 'activities posted twice').toEqual([]);
    // Every Teams outbox row sent has its activity on the connector (none lost).
    const teamsRows = await w.db.query<{ kind: string; receipt: { conversationId?: string; activityId?: string } | null }>(
      "SELECT kind, receipt FROM outbox WHERE consultation_id = $1 AND platform = 'teams'",
      [consultationId],
    );
    const missing = teamsRows.rows.filter((r) => !r.receipt?.conversationId || !world.connector.activities(r.receipt.conversationId).some((a) => a.id === r.receipt!.activityId));
    expect.soft(missing.map((r) => `${r.kind} ${JSON.stringify(r.receipt)}`), 'Teams rows sent whose activity is not on the connector').toEqual([]);
    // The ST's live status on Teams: one activity, updated in place, showing the consultation closed.
    const statusHeading = `${ref} · Consulta bajo caída de Teams`;
    const status = world.connector.activities(ST_TEAMS).filter((a) => cardTexts(cardOf(a))[0] === statusHeading);
    expect.soft(status).toHaveLength(1);
    expect.soft(cardTexts(cardOf(status[0]!)).join('\n')).toContain(t('es', 'stage.closed'));
    // The reminder: fired once, posted once.
    const sentReminders = await w.db.query<{ n: string }>('SELECT count(*) AS n FROM reminders_sent WHERE consultation_id = $1', [consultationId]);
    expect.soft(Number(sentReminders.rows[0]!.n)).toBe(1);
    const reminderHeading = t(quiet.locale, 'reminder.heading', { reference: ref });
    expect.soft(world.connector.activities(quiet.conversationId).filter((a) => cardTexts(cardOf(a))[0] === reminderHeading)).toHaveLength(1);
    // The close: once; one result notice per Teams focal point, one digest in the Teams ST channel.
    expect.soft(events.filter((e) => e.type === 'consultation_closed')).toHaveLength(1);
    for (const p of onTeams) {
      const results = await waitFor(() => {
        const r = world.connector.activities(p.conversationId).filter((a) => cardTexts(cardOf(a))[0] === t(p.locale, 'result.heading', { reference: ref }));
        return r.length > 0 ? r : undefined;
      }, `the result notice of ${p.name}`);
      expect.soft(results, `result notices of ${p.name}`).toHaveLength(1);
    }
    const digests = world.connector.activities(ST_TEAMS).filter((a) => (a.activity.entities as { type?: string; reference?: string }[] | undefined)?.some((e) => e.type === 'crm_consultation_closed' && e.reference === ref));
    expect.soft(digests).toHaveLength(1);
    // Slack: nothing posted twice either (each message carries its outbox row's key).
    const channels = new Set([...w.slack.callsOf('chat.postMessage').map((c) => String(c.args.channel)), w.people.stChannel]);
    const inSlack = [...channels].flatMap((ch) => w.slack.messages(ch).filter((m) => m.metadata).map((m) => `${ch} ${JSON.stringify(m.metadata)}`));
    const slackTwice = inSlack.filter((k, i) => inSlack.indexOf(k) !== i);
    expect.soft(slackTwice, 'Slack messages posted twice').toEqual([]);

    // For the record (not asserted): how long Slack's messages waited while Teams was down.
    const slackWait = await w.db.query<{ n: string; max_s: number | null; p50_s: number | null }>(
      `SELECT count(*) AS n, max(EXTRACT(EPOCH FROM sent_at - created_at))::float8 AS max_s,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM sent_at - created_at))::float8 AS p50_s
       FROM outbox WHERE consultation_id = $1 AND platform = 'slack' AND created_at >= $2 AND created_at < $3`,
      [consultationId, new Date(downFrom), new Date(downUntil)],
    );
    const failedCalls = world.connector.calls.filter((c) => c.status >= 400);
    const puts = world.connector.calls.filter((c) => c.op === 'updateActivity' && c.status === 200).length;
    const perPhase = new Map<string, { clicks: number; acked: number }>();
    for (const c of clicks) {
      const k = `${c.platform} ${c.phase}`;
      const p = perPhase.get(k) ?? { clicks: 0, acked: 0 };
      p.clicks++;
      if (c.acked) p.acked++;
      perPhase.set(k, p);
    }
    console.info(
      [
        `[chaos teams${LONG ? ' long' : ''}] ${clicks.length} clicks sent (${clicks.filter((c) => c.platform === 'teams').length} Teams, ${clicks.filter((c) => c.platform === 'slack').length} Slack), ${acked.length} acknowledged, ${log.rows.length} recorded (${applied} applied, ${refusals.length} already recorded), ${superseded.size} superseded, ${lostClicks.length} acknowledged and lost`,
        `  by phase: ${[...perPhase].map(([k, v]) => `${k}: ${v.acked}/${v.clicks}`).join('; ')}`,
        `  Bot Connector: 429 then 5xx, ${failedCalls.length} calls refused (${failedCalls.filter((c) => c.status === 429).length} × 429, ${failedCalls.filter((c) => c.status >= 500).length} × 5xx); ${posts.length} posts, ${duplicates.length} duplicates, ${puts} in-place updates; ${missing.length} Teams rows lost; outage lasted ${Math.round((downUntil - downFrom) / 1000)} s, the close inside it`,
        `  reminder fired ${sentReminders.rows[0]!.n}×, closed ${events.filter((e) => e.type === 'consultation_closed').length}×; outbox ${JSON.stringify(outbox)}; drained ${Math.round(drainedMs / 1000)} s after the outage`,
        `  Slack inbox drained ${(inboxLagMs / 1000).toFixed(1)} s after the clicks stopped`,
        `  outbox rows not sent: ${stuck.length ? JSON.stringify(stuck) : 'none'}`,
        `  Slack rows made during the Teams outage: ${slackWait.rows[0]!.n}, waited median ${slackWait.rows[0]!.p50_s?.toFixed(1)} s, at most ${slackWait.rows[0]!.max_s?.toFixed(1)} s`,
      ].join('\n'),
    );
  });
});
