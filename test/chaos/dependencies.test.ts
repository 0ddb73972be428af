/**
 * Chaos (issue 13 part 1): a steady load of position clicks on a real bot (`node bin/start.mjs`, Slack over
 * HTTP against the fake Slack Web API, PostgreSQL for the data, BullMQ on Redis) while, in turn:
 *   1. PostgreSQL crashes (`pg_ctl stop -m immediate`) and comes back;
 *   2. Redis is killed and comes back empty (no persistence: every job and scheduler is gone);
 *   3. the Slack Web API answers 429, then 5xx (some after doing the work), for a while;
 *   4. the bot is SIGKILLed in the middle of the clicks and started again.
 * The clickers behave as Slack does: a request not answered 200 is retried (X-Slack-Retry-Num, up to 3
 * times); a click never acknowledged is what the person sees fail, and they click again.
 *
 * Afterwards, with nothing in flight: every acknowledged click is in the command log under its own key, the
 * decision it made recorded once (position events = applied commands); no click failed for another reason
 * than an identical earlier one; the inbox has nothing unprocessed; every outbox row was delivered (none
 * pending, none dead) and no message was posted twice to Slack. The counts are printed.
 *
 * PostgreSQL and Redis are the test's own (./services.ts), never the shared ones. The short form runs in
 * the suite; `npm run chaos` runs the long one (CHAOS_LONG=1: outages of 30 s, Slack down 2 minutes).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { actionKey } from '../../src/adapters/slack/listeners/shared.ts';
import { openDatabase } from '../../src/store/database.ts';
import { startFakeSlackApi, type FakeSlackApi } from '../helpers/fake-slack-api.ts';
import { asRetry, blockActions, findButton, signatureHeaders, slackTs, type SlackRequest } from '../helpers/slack-requests.ts';
import { cardOf, seed, type Card } from '../e2e/durability/harness.ts';
import { BOT_TOKEN, examplePeople, SIGNING_SECRET, spawnBot, waitFor, type Actor, type StartedBot } from '../e2e/slack/harness.ts';
import { freePort, startPrivatePostgres, startPrivateRedis, type PrivatePostgres, type PrivateRedis } from './services.ts';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inBothLanguages } from '../../src/i18n/index.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const LONG = process.env['CHAOS_LONG'] === '1';
/** How long each fault lasts, and the calm between them (ms). */
const T = LONG
  ? { warm: 5_000, pgDown: 30_000, calm: 5_000, redisDown: 30_000, slackDown: 120_000, killAfter: 2_000 }
  : { warm: 1_500, pgDown: 4_000, calm: 2_000, redisDown: 4_000, slackDown: 8_000, killAfter: 700 };
/** Slack's retries of an unanswered request, compressed (Slack waits about 1 and 5 minutes). */
const RETRY_AFTER_MS = [500, 1_500, 4_000];
/** A person's pace between two clicks. */
const PACE_MS = 150;
const CLICKERS = 4;
const ALTERNATE = ['position_support', 'position_abstain'] as const;
/** Slack gives up on an answer after 3 s (the person sees an error; Slack retries). */
const SLACK_TIMEOUT_MS = 3_000;

/** One delivery of a request as Slack makes it: signed now, abandoned after 3 s. */
async function deliver(url: string, request: SlackRequest): Promise<number | string> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': request.contentType, ...request.headers, ...signatureHeaders(SIGNING_SECRET, request.body) },
      body: request.body,
      signal: AbortSignal.timeout(SLACK_TIMEOUT_MS),
    });
    await res.text();
    return res.status;
  } catch (e) {
    return (e as Error).name === 'TimeoutError' ? 'timeout' : 'no connection';
  }
}

interface Click {
  who: Actor;
  actionId: string;
  key: string;
  phase: string;
  /** The HTTP statuses of the request and its retries ('timeout' after 3 s, 'no connection'). */
  answers: (number | string)[];
  acked: boolean;
  /** From the first delivery to the 200, when there was one. */
  ackMs?: number;
  /** Answered 200 with the notice that nothing was recorded (through its response_url). */
  told: boolean;
}

/** Where the clicks' response_url posts land: the notices a person reads, by click number. */
async function startResponseUrls(): Promise<{ base: string; texts: Map<string, string[]>; close(): Promise<void> }> {
  const texts = new Map<string, string[]>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const id = (req.url ?? '').split('/').pop() ?? '';
      let text = '';
      try {
        text = String((JSON.parse(Buffer.concat(chunks).toString('utf8')) as { text?: unknown }).text ?? '');
      } catch {
        text = '(unreadable)';
      }
      texts.set(id, [...(texts.get(id) ?? []), text]);
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}/r`,
    texts,
    close: () => new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
}

let cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const f of cleanups.reverse()) await f().catch(() => undefined);
  cleanups = [];
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('chaos: PostgreSQL, Redis, Slack and the bot itself fail under a steady load of clicks', () => {
  it('every acknowledged click recorded exactly once, every message delivered once', { timeout: LONG ? 1_200_000 : 420_000 }, async () => {
    const people = examplePeople();
    const pg: PrivatePostgres = await startPrivatePostgres();
    cleanups.push(() => pg.dispose());
    const redis: PrivateRedis = await startPrivateRedis();
    cleanups.push(() => redis.dispose());
    const slack: FakeSlackApi = await startFakeSlackApi({ token: BOT_TOKEN });
    cleanups.push(() => slack.close());
    const responses = await startResponseUrls();
    cleanups.push(() => responses.close());
    const UNAVAILABLE = inBothLanguages('slack.unavailable');
    let clickNo = 0;
    const dir = await mkdtemp(join(tmpdir(), 'crm-chaos-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const port = await freePort();
    const env: Record<string, string> = {
      PORT: String(port),
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_API_URL: slack.url,
      DATABASE_URL: pg.url,
      REDIS_URL: redis.url,
      CRM_DATA_DIR: join(dir, 'data'),
      CRM_WEEKLY_DIGEST: 'off',
    };
    const consultationId = await seed(env, people, 'Consulta bajo fallas');

    let bot: StartedBot = await spawnBot(env);
    let expectExit = false;
    const logs: string[] = [];
    const watch = (b: StartedBot) => {
      void b.exited.then((code) => {
        logs.push(b.logs());
        if (!expectExit) unexpected = `the bot exited (${code ?? b.child.signalCode}) during "${phase}":\n${b.logs().slice(-4000)}`;
      });
    };
    let unexpected: string | undefined;
    watch(bot);
    cleanups.push(async () => {
      expectExit = true;
      if (bot.child.exitCode === null && bot.child.signalCode === null) {
        bot.child.kill('SIGKILL');
        await bot.exited;
      }
    });

    const others = people.memberCodes.filter((c) => c !== people.pptCountry && !people.troikaCountries.includes(c)).slice(0, CLICKERS);
    const clickers = others.map((c) => people.firstOf[c]!);
    const cards: Card[] = await Promise.all(clickers.map((who) => cardOf(slack, who)));

    // ------------------------------------------------------------------ the load
    let phase = 'warm';
    let stop = false;
    const clicks: Click[] = [];
    const clicker = async (who: Actor, card: Card) => {
      let n = 0;
      while (!stop) {
        const actionId = ALTERNATE[n % 2]!;
        const button = findButton(card.blocks, actionId);
        if (!button) throw new Error(`no ${actionId} on ${who.name}'s card`);
        const actionTs = slackTs();
        const no = String(++clickNo);
        const request = blockActions({
          userId: who.slack,
          actionId,
          value: button.value,
          actionTs,
          message: { channel: card.channel, ts: card.ts, text: card.text, blocks: card.blocks },
          responseUrl: `${responses.base}/${no}`,
        });
        const c: Click = { who, actionId, key: actionKey({ userId: who.slack, actionId, actionTs, value: button.value }), phase, answers: [], acked: false, told: false };
        clicks.push(c);
        const t0 = performance.now();
        for (let attempt = 0; attempt <= RETRY_AFTER_MS.length && !c.acked; attempt++) {
          if (attempt > 0) await sleep(RETRY_AFTER_MS[attempt - 1]!);
          const answer = await deliver(`http://127.0.0.1:${port}/slack/events`, attempt === 0 ? request : asRetry(request, attempt, 'http_error'));
          // The notice is posted before the 200 (src/adapters/slack/receiver.ts): it is there by now.
          const told = answer === 200 && (responses.texts.get(no) ?? []).includes(UNAVAILABLE);
          c.answers.push(told ? '200 told' : answer);
          c.told ||= told;
          // Told that nothing was recorded: Slack would not retry; the person clicks again later.
          if (told) break;
          c.acked = answer === 200;
        }
        if (c.acked) c.ackMs = performance.now() - t0;
        // Acknowledged: the person goes on to the other answer; not: they click the same button again.
        if (c.acked) n++;
        await sleep(PACE_MS);
      }
    };
    const load = Promise.all(clickers.map((who, i) => clicker(who, cards[i]!)));
    const during = async (name: string, ms: number, fault?: () => Promise<void>) => {
      phase = name;
      const t0 = performance.now();
      await fault?.();
      const left = ms - (performance.now() - t0);
      if (left > 0) await sleep(left);
    };
    const faults: string[] = [];
    const timed = async (what: string, f: () => Promise<void>) => {
      const t0 = performance.now();
      await f();
      faults.push(`${what} ${Math.round(performance.now() - t0)} ms`);
    };

    await during('warm', T.warm);
    await during('postgres down', T.pgDown, () => timed('pg stop (immediate)', () => pg.stop('immediate')));
    await during('postgres back', T.calm, () => timed('pg start', () => pg.start()));
    await during('redis down', T.redisDown, () => timed('redis kill', () => redis.kill()));
    await during('redis back (empty)', T.calm, () => timed('redis start', () => redis.start()));
    // Slack down: 429 with Retry-After for the first half, then 5xx (postMessage after doing the work).
    const slackFrom = Date.now();
    const slackUntil = slackFrom + T.slackDown;
    const firstHalf = () => Date.now() < slackFrom + T.slackDown / 2;
    const secondHalf = () => !firstHalf() && Date.now() < slackUntil;
    for (const method of ['chat.update', 'chat.postMessage', 'chat.postEphemeral', 'conversations.open', 'chat.getPermalink']) {
      slack.failNext(method, { status: 429, retryAfter: 2 }, 1_000_000, firstHalf);
      slack.failNext(method, method === 'chat.postMessage' ? { status: 502, afterProcessing: true } : { status: 503 }, 1_000_000, secondHalf);
    }
    await during('slack down', T.slackDown);
    await during('slack back', T.calm);
    // The bot killed in the middle of the clicks, started again on the same data and port.
    await during('bot killed', T.killAfter);
    phase = 'bot down';
    expectExit = true;
    await timed('bot SIGKILL + restart', async () => {
      bot.child.kill('SIGKILL');
      await bot.exited;
      bot = await spawnBot(env);
    });
    expectExit = false;
    watch(bot);
    await during('bot back', T.calm);
    stop = true;
    await load;
    expect(unexpected, unexpected).toBeUndefined();

    // ------------------------------------------------------------------ quiet: everything done
    const db = await openDatabase({ databaseUrl: pg.url, dataDir: env.CRM_DATA_DIR! }, { migrate: false });
    cleanups.push(() => db.close());
    const t0 = performance.now();
    await waitFor(
      async () =>
        (await db.prisma.inboxItem.count({ where: { processedAt: null } })) === 0 &&
        (await db.prisma.outboxMessage.count({ where: { status: 'pending' } })) === 0,
      'the inbox processed and the outbox empty',
      LONG ? 600_000 : 240_000,
      500,
    );
    const drainedMs = performance.now() - t0;
    expect(unexpected, unexpected).toBeUndefined();

    // ------------------------------------------------------------------ exactly once
    const acked = clicks.filter((c) => c.acked);
    const logRows = await db.prisma.commandLog.findMany({ where: { key: { in: clicks.map((c) => c.key) } } });
    const byKey = new Map(logRows.map((r) => [r.key, r]));
    // Superseded: acknowledged, its work failed, and the person clicked again on the consultation before the
    // retry (src/adapters/slack/inbox.ts): not applied over their later choice, on purpose.
    const inboxRows = await db.prisma.inboxItem.findMany({ where: { key: { in: clicks.map((c) => c.key) } } });
    const supersededKeys = new Set(inboxRows.filter((r) => r.lastError?.startsWith('superseded')).map((r) => r.key));
    const lost = acked.filter((c) => !byKey.has(c.key) && !supersededKeys.has(c.key));
    expect(lost.map((c) => `${c.who.name} ${c.actionId} in "${c.phase}" ${JSON.stringify(c.answers)}`), 'acknowledged clicks not recorded').toEqual([]);
    // Refused only as "already recorded" (an unacknowledged click that was stored after all, then the same one again).
    const refusals = logRows.filter((r) => r.status !== 'applied').map((r) => (r.result as { code?: string }).code ?? JSON.stringify(r.result));
    expect(refusals.filter((code) => code !== 'already_recorded')).toEqual([]);
    const applied = logRows.filter((r) => r.status === 'applied').length;
    const events = await db.prisma.consultationEvent.findMany({ where: { consultationId, type: 'position_recorded' }, orderBy: { seq: 'asc' } });
    const clickerCountries = new Set(clickers.map((c) => c.country));
    const positionEvents = events.filter((e) => clickerCountries.has((e.payload as { country?: string }).country ?? ''));
    expect(positionEvents, 'one position event per applied click').toHaveLength(applied);
    const positionOf = (actionId: string) => actionId.replace('position_', '');
    const actionOf = new Map(clicks.map((c) => [c.key, c.actionId]));
    for (const who of clickers) {
      // "Already recorded" is true: the person's record at that moment was that position.
      const rows = logRows.filter((r) => clicks.some((c) => c.who === who && c.key === r.key)).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
      let record: string | undefined;
      for (const r of rows) {
        if (r.status === 'applied') record = positionOf(actionOf.get(r.key)!);
        else expect(positionOf(actionOf.get(r.key)!), `${who.name}: refused as already recorded while the record was ${record}`).toBe(record);
      }
      // What the person last chose (their last acknowledged click) is their country's position.
      const last = positionEvents.filter((e) => (e.payload as { country?: string }).country === who.country).at(-1);
      const lastAcked = clicks.filter((c) => c.who === who && c.acked).at(-1);
      expect((last?.payload as { position?: string } | undefined)?.position, `${who.name}'s last choice`).toBe(positionOf(lastAcked!.actionId));
    }
    const inboxGivenUp = await db.prisma.inboxItem.count({ where: { lastError: { not: null } } });
    const outbox = await db.prisma.outboxMessage.groupBy({ by: ['status'], _count: { _all: true } });
    const outboxBy = Object.fromEntries(outbox.map((o) => [o.status, o._count._all]));
    expect(outboxBy['dead'] ?? 0, 'dead letters').toBe(0);
    expect(outboxBy['pending'] ?? 0).toBe(0);
    // Nothing posted twice: each message in Slack carries its outbox row's key (or the digest's metadata).
    const channels = new Set([...slack.callsOf('chat.postMessage').map((c) => String(c.args.channel)), ...people.members.map((m) => slack.dmChannelOf(m.slack)), people.stChannel]);
    const inSlack = [...channels].flatMap((ch) => slack.messages(ch).filter((m) => m.metadata).map((m) => `${ch} ${JSON.stringify(m.metadata)}`));
    const twice = inSlack.filter((k, i) => inSlack.indexOf(k) !== i);
    expect(twice, 'messages posted twice').toEqual([]);
    const refusedClicks = clicks.filter((c) => byKey.get(c.key)?.status === 'refused').map((c) => `${c.phase} ${JSON.stringify(c.answers)}`);
    if (process.env['CHAOS_DEBUG']) {
      const { writeFileSync } = await import('node:fs');
      writeFileSync(join(tmpdir(), 'crm-chaos-bot.log'), [...logs, bot.logs()].join('\n'));
      for (const who of clickers) {
        const mine = clicks.filter((c) => c.who === who);
        const evs = positionEvents.filter((e) => (e.payload as { country?: string }).country === who.country);
        console.info(who.name, 'EVENTS', evs.map((e) => `${String((e.payload as { position?: string }).position).slice(0, 3)}#${e.seq}@${e.recordedAt.toISOString().slice(17, 23)}`).join(' '));
        console.info(who.name, mine.map((c) => `${c.actionId.slice(9, 12)}:${c.acked ? 'A' : 'n'}:${byKey.get(c.key)?.status.slice(0, 3) ?? '-'}@${byKey.get(c.key)?.createdAt.toISOString().slice(17, 23) ?? ''}`).join(' '));
      }
    }

    const perPhase = new Map<string, { clicks: number; acked: number; retried: number; told: number; slowest: number }>();
    for (const c of clicks) {
      const p = perPhase.get(c.phase) ?? { clicks: 0, acked: 0, retried: 0, told: 0, slowest: 0 };
      p.clicks++;
      if (c.acked) p.acked++;
      if (c.answers.length > 1) p.retried++;
      if (c.told) p.told++;
      p.slowest = Math.max(p.slowest, c.ackMs ?? 0);
      perPhase.set(c.phase, p);
    }
    console.info(
      [
        `[chaos${LONG ? ' long' : ''}] ${clicks.length} clicks by ${clickers.length} people, ${acked.length} acknowledged, ${applied} applied, ${refusals.length} refused as already recorded (${refusedClicks.join('; ') || 'none'}), ${supersededKeys.size} superseded by a later click (${[...new Set(clicks.filter((c) => supersededKeys.has(c.key)).map((c) => c.phase))].map((ph) => `${ph}: ${clicks.filter((c) => c.phase === ph && supersededKeys.has(c.key)).length}`).join(', ')}), ${lost.length} acknowledged and lost`,
        `  by phase: ${[...perPhase].map(([k, v]) => `${k}: ${v.acked}/${v.clicks} acked, slowest ${(v.slowest / 1000).toFixed(1)} s${v.retried ? ` (${v.retried} needed Slack's retries)` : ''}${v.told ? `, ${v.told} told nothing was recorded` : ''}`).join('; ')}`,
        `  faults: ${faults.join('; ')}`,
        `  after the load: inbox and outbox drained in ${Math.round(drainedMs / 1000)} s; outbox ${JSON.stringify(outboxBy)}; inbox rows with an error ${inboxGivenUp}`,
        `  Slack calls: ${slack.callsOf('chat.update').length} chat.update, ${slack.callsOf('chat.postMessage').length} chat.postMessage; ${inSlack.length} messages in Slack, ${twice.length} twice`,
      ].join('\n'),
    );
  });
});
