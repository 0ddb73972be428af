/**
 * "Nothing acknowledged is lost", as an operator would see it: the bot started as `node bin/start.mjs`
 * (what `npm start` and the Docker image run), Slack over HTTP against the local fake Slack Web API, and
 * signed position clicks on the real cards it delivered. The clicks are acknowledged (HTTP 200), the bot is
 * stopped at once — SIGTERM (a deploy; a second SIGTERM during the drain too) or SIGKILL (a crash) — and
 * started again on the same data; then every acknowledged click must be recorded exactly once.
 *
 *   const s = await durabilityScenario(import.meta.url, 'embedded');
 *   await s.run('SIGKILL');
 *
 * The clicks: one focal point changes their mind four times (support, abstain, support, abstain, support:
 * every click a real change, sent one after the other as a person clicks, each waiting in that person's
 * FIFO), and two other countries answer at the same moment. After the restart: five positions for the first
 * country in that order, one for each other, every inbox row processed, and one card update per click in
 * the outbox, delivered. Nothing here sleeps a fixed time: it waits for the log line, the exit, the card.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { openEngine } from '../../../src/app/context.ts';
import { loadConfig } from '../../../src/config.ts';
import { reactTroika, startConsultation } from '../../../src/flows/consultation-flows.ts';
import { openDatabase } from '../../../src/store/database.ts';
import { createPostgresDatabase } from '../../helpers/db.ts';
import { slackActor } from '../../helpers/engine.ts';
import { startFakeSlackApi, type FakeSlackApi } from '../../helpers/fake-slack-api.ts';
import { assertRedisReachable, deleteRedisPrefix, TEST_REDIS_URL, uniquePrefix } from '../../helpers/redis.ts';
import { blockActions, findButton, postToSlackEvents } from '../../helpers/slack-requests.ts';
import { BOT_TOKEN, examplePeople, SIGNING_SECRET, spawnBot, waitFor, type Actor, type StartedBot } from '../slack/harness.ts';

export type DurabilityBackend = 'postgres+redis' | 'embedded';
const ALTERNATING = ['position_support', 'position_abstain', 'position_support', 'position_abstain', 'position_support'] as const;

export interface Scenario {
  run(signal: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  cleanup(): Promise<void>;
}

export async function durabilityScenario(label: string, backend: DurabilityBackend): Promise<Scenario> {
  const cleanups: (() => Promise<unknown>)[] = [];
  const cleanup = async () => {
    for (const f of cleanups.reverse()) await f().catch(() => undefined);
    cleanups.length = 0;
  };

  return {
    cleanup,
    async run(signal) {
      const people = examplePeople();
      const dir = await mkdtemp(join(tmpdir(), 'crm-durability-'));
      cleanups.push(() => rm(dir, { recursive: true, force: true }));
      const slack: FakeSlackApi = await startFakeSlackApi({ token: BOT_TOKEN });
      cleanups.push(() => slack.close());
      const env: Record<string, string> = {
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_API_URL: slack.url,
        CRM_DATA_DIR: join(dir, 'data'),
        CRM_WEEKLY_DIGEST: 'off',
      };
      if (backend === 'postgres+redis') {
        await assertRedisReachable();
        const database = await createPostgresDatabase(label);
        cleanups.push(() => database.drop());
        const prefix = uniquePrefix(label);
        cleanups.push(() => deleteRedisPrefix(prefix));
        Object.assign(env, { DATABASE_URL: database.url, REDIS_URL: TEST_REDIS_URL, CRM_JOBS_PREFIX: prefix });
      }

      // A consultation open to the Member Countries, set up through the flows before the bot starts; the
      // bot's start-up reconcile delivers its cards.
      const title = `Consulta de durabilidad ${signal} ${backend}`;
      const consultationId = await seed(env, people, title);

      let bot: StartedBot | undefined = await spawnBot(env);
      const killAtEnd = () => async () => {
        if (bot && bot.child.exitCode === null && bot.child.signalCode === null) {
          bot.child.kill('SIGKILL');
          await bot.exited;
        }
      };
      cleanups.push(killAtEnd());
      const eventsUrl = (b: StartedBot) => `http://127.0.0.1:${b.port}/slack/events`;

      const countries = people.memberCodes.filter((c) => c !== people.pptCountry && !people.troikaCountries.includes(c)).slice(0, 3);
      const [changer, ...others] = countries.map((c) => people.firstOf[c]!) as [Actor, ...Actor[]];
      const cards = await Promise.all([changer, ...others].map((who) => cardOf(slack, who)));
      const click = async (who: Actor, card: Card, actionId: string) => {
        const button = findButton(card.blocks, actionId);
        if (!button) throw new Error(`no ${actionId} on ${who.name}'s card`);
        const request = blockActions({
          userId: who.slack,
          actionId,
          value: button.value,
          message: { channel: card.channel, ts: card.ts, text: card.text, blocks: card.blocks },
          responseUrl: 'http://127.0.0.1:9/unused',
        });
        const res = await postToSlackEvents(eventsUrl(bot!), SIGNING_SECRET, request);
        expect(res.status, `${who.name} ${actionId}: ${res.body}`).toBe(200);
        ackMs.push(res.ms);
      };

      // The clicks, every one acknowledged; then the signal at once.
      const t0 = performance.now();
      const ackMs: number[] = [];
      await Promise.all([
        (async () => {
          for (const actionId of ALTERNATING) await click(changer, cards[0]!, actionId);
        })(),
        ...others.map((who, i) => click(who, cards[i + 1]!, 'position_support')),
      ]);
      const ackedWithinMs = performance.now() - t0;
      const first = bot;
      first.child.kill(signal);
      if (signal === 'SIGTERM') {
        // A second SIGTERM while the first drains: logged and ignored, never a kill in the middle of a write.
        await waitFor(() => first.logs().includes('signal received: shutting down'), 'the first SIGTERM handled', 30_000, 5);
        if (first.child.exitCode === null) first.child.kill('SIGTERM');
        expect(await first.exited, first.logs().slice(-3000)).toBe(0);
        expect(first.logs()).toContain('"msg":"stopped"');
        expect(first.logs()).toMatch(/signal received while shutting down: ignored/);
      } else {
        await first.exited;
        expect(first.child.signalCode).toBe('SIGKILL');
      }

      // Start again on the same data: what was acknowledged and not finished is replayed before serving.
      bot = await spawnBot(env);
      const second = bot;
      // One card update per click (each delivered at least once; a retried delivery may add a call).
      const clicksOn = [ALTERNATING.length, ...others.map(() => 1)];
      const updatesOf = (card: Card) => slack.callsOf('chat.update').filter((c) => c.args.ts === card.ts && c.args.channel === card.channel).length;
      await waitFor(() => cards.every((card, i) => updatesOf(card) >= clicksOn[i]!), 'every click\'s card update delivered');
      second.child.kill('SIGTERM');
      expect(await second.exited, second.logs().slice(-3000)).toBe(0);
      const replayed = /"replayed":(\d+)/.exec(second.logs())?.[1] ?? '0';
      // For the record (not an assertion: how much was left depends on timing).
      console.info(`[${backend} ${signal}] ${ALTERNATING.length + others.length} clicks acknowledged in ${Math.round(ackedWithinMs)} ms (slowest ack ${Math.round(Math.max(...ackMs))} ms); replayed after the restart: ${replayed}`);

      // Exactly once, in the order clicked; nothing left unprocessed; one card update per click, delivered.
      const db = await openDatabase({ ...(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : {}), dataDir: env.CRM_DATA_DIR! }, { migrate: false });
      try {
        const events = await db.prisma.consultationEvent.findMany({ where: { consultationId, type: 'position_recorded' }, orderBy: { seq: 'asc' } });
        const of = (country: string | undefined) => events.filter((e) => (e.payload as { country?: string }).country === country).map((e) => (e.payload as { position?: string }).position);
        expect(of(changer.country)).toEqual(['support', 'abstain', 'support', 'abstain', 'support']);
        for (const o of others) expect(of(o.country)).toEqual(['support']);
        expect(events).toHaveLength(ALTERNATING.length + others.length);
        expect(await db.prisma.inboxItem.count({ where: { processedAt: null } })).toBe(0);
        const stored = await db.prisma.inboxItem.findMany({ where: { kind: 'block_actions' } });
        expect(stored).toHaveLength(ALTERNATING.length + others.length);
        expect(stored.every((r) => r.lastError === null)).toBe(true);
        const updates = await db.prisma.outboxMessage.findMany({ where: { consultationId, kind: 'card_update' } });
        expect(updates).toHaveLength(ALTERNATING.length + others.length);
        expect(updates.filter((u) => u.status !== 'sent').map((u) => [u.status, u.lastError])).toEqual([]);
      } finally {
        await db.close();
      }
      await cleanup();
    },
  };
}

export interface Card {
  channel: string;
  ts: string;
  text: string;
  blocks: unknown[];
}

/** The member card in `who`'s DM (one consultation per scenario). */
export async function cardOf(slack: FakeSlackApi, who: Actor): Promise<Card> {
  const channel = slack.dmChannelOf(who.slack);
  const m = await waitFor(
    () => slack.messages(channel).filter((x) => findButton(x.blocks, 'position_support')).at(-1),
    `the member card in ${who.name}'s DM`,
  );
  return { channel, ts: m.ts, text: m.text ?? '', blocks: m.blocks ?? [] };
}

/** Starts a consultation and has the Troika approve it, directly through the flows (the bot is not running). */
export async function seed(env: Record<string, string>, people: ReturnType<typeof examplePeople>, title: string): Promise<string> {
  const engine = await openEngine(loadConfig({ ...env, LOG_LEVEL: 'silent' }));
  try {
    const started = await startConsultation(engine.deps, {
      key: `seed:${title}`,
      actor: slackActor(engine, people.ppt.slack),
      title,
      text: 'Propuesta de posición común.',
      deadline: { kind: 'business_days', days: 5 },
    });
    if (!started.ok) throw new Error(`seed: start refused (${started.code})`);
    for (const member of people.troika) {
      const r = await reactTroika(engine.deps, {
        key: `seed:${title}:${member.slack}`,
        actor: slackActor(engine, member.slack),
        consultationId: started.state.consultationId,
        version: started.state.currentVersion,
        reaction: 'approve',
      });
      if (!r.ok) throw new Error(`seed: Troika approval refused (${r.code})`);
    }
    const state = await engine.consultations.load(started.state.consultationId);
    if (state?.stage !== 'member_consultation') throw new Error(`seed: stage ${state?.stage}`);
    return started.state.consultationId;
  } finally {
    await engine.close();
  }
}
