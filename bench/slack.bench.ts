/**
 * Slack over loopback HTTP, the bot as `npm start` runs it (a child process) on PostgreSQL (a fresh
 * database) and Redis (REDIS_URL; `npm start` has no key-prefix setting, so a dedicated, empty Redis DB
 * number is used: redis://127.0.0.1:6379/<n>), talking to a local fake Slack Web API in this process.
 *
 * Measures:
 *   1. button clicks that record positions, per second, and the ack latency (HTTP answer to a signed
 *      block_actions request) p50/p99 at 1, 10 and 50 concurrent clients. Clicks alternate support/abstain
 *      per (consultation, country) over 30 open consultations (closeEarly off), each slot clicked once per
 *      level after its previous click was recorded, so every click is a real change;
 *   2. the same clicks against a bare Bolt app (ExpressReceiver, one `app.action(/.+/, ack)`) in its own
 *      child process, measured in the same run: the ratio is our app's ack cost over Bolt's floor;
 *   3. the time from the last position (the closing click's ack) to the digest's chat.postMessage, over 3
 *      consultations that close early when their 11th country answers, on an idle bot; and, per level, the
 *      time until every Slack message the clicks caused (card updates, ST status) was delivered.
 *
 * Setup: the consultations are opened through the flows on the fresh database before the bot starts; the
 * bot's start-up reconcile then delivers their cards, which the clicks are made on.
 *
 * `npx tsx bench/slack.bench.ts` (standalone) or `npm run bench -- slack`.
 * REDIS_URL (base, default redis://127.0.0.1:6379) and PGUSER are honoured.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Redis } from 'ioredis';
import pg from 'pg';
import { openEngine } from '../src/app/context.ts';
import { loadConfig } from '../src/config.ts';
import { startFakeSlackApi, type FakeSlackApi } from '../src/demo/fake-slack-api.ts';
import { blockActions, findButton, postToSlackEvents } from '../src/demo/slack-requests.ts';
import { consultationFlows } from '../src/flows/index.ts';
import { identify } from '../src/flows/people.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const SECRET = 'bench-signing-secret-0123456789';
const TOKEN = 'xoxb-bench-0000';
const REDIS_BASE = (process.env['REDIS_URL'] || 'redis://127.0.0.1:6379').replace(/\/\d*$/, '');
const PG_USER = process.env['PGUSER'] || 'postgres';
const pgUrl = (db: string) => `postgresql://${encodeURIComponent(PG_USER)}@127.0.0.1:5432/${db}`;
/** BENCH_LEVELS=1,10 runs only those levels (a quicker look; the issue's table is all three). */
const LEVELS: readonly number[] = process.env['BENCH_LEVELS'] ? process.env['BENCH_LEVELS'].split(',').map(Number).filter((n) => [1, 10, 50].includes(n)) : [1, 10, 50];
/** BENCH_PROFILE_DIR=/tmp/prof: a CPU profile of the bot per level (bench/count-preload.mjs), bot-2, -4, -6.cpuprofile. */
/** BENCH_BOT_NODE_ARGS: extra node options for the bot, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` (written when it stops). */
const BOT_NODE_ARGS = (process.env['BENCH_BOT_NODE_ARGS'] ?? '').split(' ').filter(Boolean);
const CLICKS: Record<number, number> = { 1: 150, 10: 330, 50: 330 };
const OPEN = 30;
const CLOSING = 3;
/** What the fake Slack enforces in the bench (see startFakeSlackApi's rateLimits). */
const SLACK_LIMITS = { perMethodPerMinute: { 'chat.update': 50 }, perChannel: { limit: 3, windowMs: 2_000 } };

/**
 * The issue's history (BENCH_HISTORY=1: 10,000 closed consultations and 1,000,000 sent outbox rows, or
 * BENCH_HISTORY_CLOSED / BENCH_HISTORY_OUTBOX), so that the cost of a click is seen not to grow with it.
 * Off by default: seeding takes minutes and about a gigabyte on the shared machine.
 */
const HISTORY = {
  closed: Number(process.env['BENCH_HISTORY_CLOSED'] ?? (process.env['BENCH_HISTORY'] === '1' ? 10_000 : 0)),
  outbox: Number(process.env['BENCH_HISTORY_OUTBOX'] ?? (process.env['BENCH_HISTORY'] === '1' ? 1_000_000 : 0)),
};

/**
 * Closed copies of one open consultation (its snapshot with stage `closed`) and sent outbox rows spread over
 * them, half of them live-status rows with a replace key (what the ST status lookups used to scan), in
 * batches so no statement runs for minutes.
 */
export async function seedHistory(pool: pg.Pool, templateId: string, h: { closed: number; outbox: number }): Promise<void> {
  const closed = Math.max(1, h.closed);
  await pool.query(
    `INSERT INTO consultations (id, reference, stage, title, version, snapshot, deadline, deadline_version, outcome, created_at, updated_at)
     SELECT 'hist-' || g, 'CRM-1999-' || g, 'closed', c.title, c.version,
            jsonb_set(jsonb_set(c.snapshot, '{stage}', '"closed"'), '{consultationId}', to_jsonb('hist-' || g)),
            c.deadline, c.deadline_version, 'consensus', now() - interval '400 days', now() - interval '400 days'
     FROM consultations c, generate_series(1, $2::int) g WHERE c.id = $1`,
    [templateId, closed],
  );
  const batch = 100_000;
  for (let from = 1; from <= h.outbox; from += batch) {
    const to = Math.min(h.outbox, from + batch - 1);
    await pool.query(
      `INSERT INTO outbox (id, consultation_id, dedupe_key, platform, recipient, kind, payload, replace_key, status, attempts, next_attempt_at, created_at, sent_at, receipt)
       SELECT 'hist-' || g, 'hist-' || (1 + g % $3::int), 'hist:' || g, 'slack', '{"kind":"secretariat_channel","slack":"C0ST0000001"}'::jsonb,
              CASE WHEN g % 2 = 0 THEN 'status' ELSE 'member_request' END,
              CASE WHEN g % 2 = 0 THEN jsonb_build_object('heading', 'Estado', 'replaceKey', 'status:hist-' || (1 + g % $3::int))
                   ELSE jsonb_build_object('heading', 'Consulta') END,
              CASE WHEN g % 2 = 0 THEN 'status:hist-' || (1 + g % $3::int) END,
              'sent', 1, now() - interval '400 days', now() - interval '400 days', now() - interval '400 days',
              '{"channel":"C0ST0000001","ts":"1700000000.000100"}'::jsonb
       FROM generate_series($1::int, $2::int) g`,
      [from, to, closed],
    );
  }
  await pool.query('ANALYZE');
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? NaN;
};
const ms = (x: number) => `${x.toFixed(1)} ms`;
const sleep = (t: number) => new Promise((r) => setTimeout(r, t));

async function waitFor<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 300_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

function spawnNode(args: string[], env: Record<string, string>, ready: RegExp): Promise<{ child: ChildProcess; port: number; logs: () => string }> {
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${args.join(' ')} did not start:\n${out}`)), 120_000);
    const on = (d: Buffer) => {
      out += d.toString();
      if (out.length > 1_000_000) out = out.slice(-500_000);
      const m = ready.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, port: Number(m[1]), logs: () => out });
      }
    };
    child.stdout!.on('data', on);
    child.stderr!.on('data', on);
    child.on('exit', (code) => reject(new Error(`${args.join(' ')} exited ${code}:\n${out}`)));
  });
}

const BARE_APP = `
const { App, ExpressReceiver, LogLevel } = require('@slack/bolt');
const receiver = new ExpressReceiver({ signingSecret: process.env.SLACK_SIGNING_SECRET, endpoints: '/slack/events', logLevel: LogLevel.ERROR });
const app = new App({ token: process.env.SLACK_BOT_TOKEN, receiver, logLevel: LogLevel.ERROR, clientOptions: { slackApiUrl: process.env.SLACK_API_URL } });
app.action(/.+/, async ({ ack }) => { await ack(); });
const server = receiver.app.listen(0, '127.0.0.1', () => console.log('bare bolt listening on ' + server.address().port));
`;

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const t = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(t);
}

/** An empty Redis DB number (1..15), so the bot's BullMQ keys are its own. */
async function freeRedisDb(): Promise<number> {
  for (let db = 15; db >= 1; db--) {
    const r = new Redis(`${REDIS_BASE}/${db}`, { maxRetriesPerRequest: 1 });
    try {
      if ((await r.dbsize()) === 0) return db;
    } finally {
      r.disconnect();
    }
  }
  throw new Error('no empty Redis DB number among 1..15');
}

async function deleteBullKeys(url: string): Promise<void> {
  const r = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await r.scan(cursor, 'MATCH', 'bull:*', 'COUNT', 1000);
      cursor = next;
      if (keys.length) await r.del(...keys);
    } while (cursor !== '0');
  } finally {
    r.disconnect();
  }
}

interface Slot {
  consultationId: string;
  country: string;
  user: string;
  card: { channel: string; ts: string; blocks: unknown[]; text: string };
  value: string;
  n: number;
}

/**
 * Runs `total` clicks over `clients` concurrent clients, each on its own slots, each slot clicked at most
 * once per call (the previous click on a slot was recorded before: the app checks "already recorded"
 * before it serialises decisions, so re-clicking a slot whose last click is still queued measures that
 * race, not throughput).
 */
interface Click {
  slot: Slot;
  /** When the request was sent (epoch ms). */
  at: number;
}

async function load(url: string, slots: Slot[], clients: number, total: number, responseUrl: (s: Slot) => string): Promise<{ lat: number[]; wallMs: number; statuses: Record<number, number>; clicks: Click[] }> {
  const lat: number[] = [];
  const clicks: Click[] = [];
  const statuses: Record<number, number> = {};
  let sent = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      for (const s of slots.filter((_, i) => i % clients === c)) {
        if (sent >= total) break;
        sent += 1;
        const action = s.n++ % 2 === 0 ? 'position_support' : 'position_abstain';
        const req = blockActions({ userId: s.user, actionId: action, value: s.value, message: { channel: s.card.channel, ts: s.card.ts, text: s.card.text, blocks: s.card.blocks }, responseUrl: responseUrl(s) });
        clicks.push({ slot: s, at: Date.now() });
        const r = await postToSlackEvents(url, SECRET, req);
        statuses[r.status] = (statuses[r.status] ?? 0) + 1;
        lat.push(r.ms);
      }
    }),
  );
  return { lat, wallMs: performance.now() - t0, statuses, clicks };
}

/** The bot's counters (bench/count-preload.mjs): asks with SIGUSR2 and reads the line it prints. */
interface BotCounts {
  pg: number;
  redisCommands: number;
  redisRoundTrips: number;
  cpuMs: number;
  rssMb: number;
  /** With BENCH_STATEMENTS=1: counts by statement text and by Redis command. */
  statements?: { pg: Record<string, number>; redis: Record<string, number> };
}

/** Per recorded click, what grew between two counts (BENCH_STATEMENTS=1), most frequent first. */
function statementLines(before: BotCounts, after: BotCounts, n: number): string {
  if (!before.statements || !after.statements) return '';
  const diff = (a: Record<string, number>, b: Record<string, number>) =>
    Object.entries(b)
      .map(([k, v]) => [k, (v - (a[k] ?? 0)) / n] as const)
      .filter(([, v]) => v > 0)
      .sort((x, y) => y[1] - x[1])
      .map(([k, v]) => `    ${v.toFixed(2)}  ${k}`)
      .join('\n');
  return `\n   PostgreSQL statements per click:\n${diff(before.statements.pg, after.statements.pg)}\n   Redis commands per click:\n${diff(before.statements.redis, after.statements.redis)}`;
}
async function botCounts(child: ChildProcess, logs: () => string): Promise<BotCounts> {
  const seen = (logs().match(/BENCH_COUNTS /g) ?? []).length;
  child.kill('SIGUSR2');
  return waitFor(() => {
    const all = [...logs().matchAll(/BENCH_COUNTS (\{.*\})/g)];
    return all.length > seen ? (JSON.parse(all.at(-1)![1]!) as BotCounts) : undefined;
  }, 'the bot\'s counters', 10_000);
}

export async function run(): Promise<void> {
  const admin = new pg.Client({ connectionString: pgUrl('postgres') });
  await admin.connect();
  const dbName = `crm_bench_slack_${randomUUID().slice(0, 8)}`;
  await admin.query(`CREATE DATABASE "${dbName}"`);
  const dataDir = await mkdtemp(join(tmpdir(), 'crm-bench-slack-'));
  const redisDb = await freeRedisDb();
  const redisUrl = `${REDIS_BASE}/${redisDb}`;
  let slack: FakeSlackApi | undefined;
  const children: ChildProcess[] = [];
  const pool = new pg.Pool({ connectionString: pgUrl(dbName), max: 2 });
  pool.on('error', () => undefined); // DROP DATABASE … WITH (FORCE) ends idle connections
  try {
    // Open consultations through the flows before the bot starts (its start-up reconcile delivers the cards).
    const engine = await openEngine(loadConfig({ DATABASE_URL: pgUrl(dbName), CRM_DATA_DIR: dataDir, LOG_LEVEL: 'silent' }));
    const d = engine.directory.current();
    const actorOf = (slackId: string) => identify(d, { platform: 'slack', userId: slackId })!;
    const firstFp = (code: string) => d.countries.find((c) => c.code === code)!.focalPoints.find((f) => f.slack)!;
    const staff = actorOf(d.secretariat.staff[0]!.slack!);
    const open = async (title: string, closeEarly: boolean) => {
      const r = await consultationFlows.startConsultation(engine.deps, { key: randomUUID(), actor: staff, title, text: 'Texto de prueba para medir.', deadline: { kind: 'business_days', days: 5 }, closeEarly });
      if (!r.ok) throw new Error(`start refused: ${r.code}`);
      let s = r.state;
      for (const c of s.troika!.countries.filter((x) => x !== s.troika!.authorCountry)) {
        const x = await consultationFlows.reactTroika(engine.deps, { key: randomUUID(), actor: actorOf(firstFp(c).slack!), consultationId: s.consultationId, version: s.currentVersion, reaction: 'approve' });
        if (!x.ok) throw new Error(`approve refused: ${x.code}`);
        s = x.state;
      }
      return s;
    };
    const opened = [];
    for (let i = 0; i < OPEN; i++) opened.push(await open(`Bench abierta ${i + 1}`, false));
    const closing = [];
    for (let i = 0; i < CLOSING; i++) closing.push(await open(`Bench cierre ${i + 1}`, true));
    const members = opened[0]!.participants.members.map((m) => m.code);
    await engine.close();
    if (HISTORY.outbox > 0 || HISTORY.closed > 0) {
      const t = Date.now();
      await seedHistory(pool, opened[0]!.consultationId, HISTORY);
      console.log(`history: ${HISTORY.closed} closed consultations and ${HISTORY.outbox} sent outbox rows added in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    }

    // Slack's own limits (BENCH_SLACK_LIMITS=0: none): chat.postMessage about 1 a second per channel with a
    // small burst, chat.update Tier 3 (50 a minute per workspace, bursts within the minute); a response URL
    // has only its own 5 uses.
    slack = await startFakeSlackApi({ token: TOKEN, ...(process.env['BENCH_SLACK_LIMITS'] === '0' ? {} : { rateLimits: SLACK_LIMITS }) });
    console.log(`fake Slack limits: ${process.env['BENCH_SLACK_LIMITS'] === '0' ? 'none' : JSON.stringify(SLACK_LIMITS)}`);
    const env = { SLACK_SIGNING_SECRET: SECRET, SLACK_BOT_TOKEN: TOKEN, SLACK_API_URL: slack.url };
    const bot = await spawnNode([...BOT_NODE_ARGS, '--import', './bench/count-preload.mjs', 'bin/start.mjs'], { ...env, PORT: '0', LOG_LEVEL: 'info', DATABASE_URL: pgUrl(dbName), REDIS_URL: redisUrl, CRM_DATA_DIR: dataDir, ...(process.env['BENCH_PROFILE_DIR'] ? { BENCH_PROFILE_DIR: process.env['BENCH_PROFILE_DIR'] } : {}), ...(process.env['BENCH_STATEMENTS'] ? { BENCH_STATEMENTS: process.env['BENCH_STATEMENTS'] } : {}) }, /listening on http:\/\/localhost:(\d+)/);
    children.push(bot.child);
    const bare = await spawnNode(['-e', BARE_APP], env, /bare bolt listening on (\d+)/);
    children.push(bare.child);
    const botUrl = `http://127.0.0.1:${bot.port}/slack/events`;
    const bareUrl = `http://127.0.0.1:${bare.port}/slack/events`;
    // Each click carries a response URL of the clicked message, as Slack's do (the fake records its uses as `response_url`).
    const responseUrl = (s: { card: { channel: string; ts: string } }) => slack!.responseUrlFor(s.card.channel, s.card.ts);

    const slotFor = async (ref: string, code: string, consultationId = ''): Promise<Slot> => {
      const user = firstFp(code).slack!;
      const ch = slack!.dmChannelOf(user);
      const m = await waitFor(() => slack!.messages(ch).find((x) => JSON.stringify(x.blocks ?? []).includes(ref) && findButton(x.blocks, 'position_support')), `the card of ${ref} for ${code}`);
      return { consultationId, country: code, user, card: { channel: ch, ts: m.ts, blocks: m.blocks ?? [], text: m.text }, value: findButton(m.blocks, 'position_support')!.value, n: 0 };
    };
    const t0 = Date.now();
    const slots: Slot[] = [];
    for (const s of opened) for (const code of members) slots.push(await slotFor(s.reference, code, s.consultationId));
    console.log(`setup: ${OPEN + CLOSING} consultations opened, ${slots.length} cards delivered by the bot in ${((Date.now() - t0) / 1000).toFixed(1)} s (PostgreSQL + Redis db ${redisDb})`);

    const recorded = async () => Number((await pool.query<{ n: string }>(`SELECT count(*) AS n FROM consultation_events WHERE type = 'position_recorded'`)).rows[0]!.n);
    // Warm-up on both (the bare app's clicks use copies of the slots: they record nothing).
    const warm = await recorded();
    await load(botUrl, slots, 5, 50, responseUrl);
    await load(bareUrl, slots.map((x) => ({ ...x })), 5, 50, responseUrl);
    await waitFor(async () => (await recorded()) >= warm + 50 || undefined, 'warm-up positions', 60_000).catch(() => undefined);

    const drained = () => waitFor(async () => Number((await pool.query<{ n: string }>(`SELECT count(*) AS n FROM outbox WHERE status = 'pending'`)).rows[0]!.n) === 0 || undefined, 'the outbox drained', 600_000);
    const drains: string[] = [];
    await drained();
    const idle = await botCounts(bot.child, bot.logs);
    console.log(`bot at rest after set-up: RSS ${idle.rssMb.toFixed(0)} MB`);
    console.log('clients  app: clicks/s recorded  ack p50    ack p99   | bare Bolt: ack p50  ack p99   | p50 ratio  p99 ratio');
    const table: string[] = [];
    const perClick: string[] = [];
    for (const clients of LEVELS) {
      const total = CLICKS[clients]!;
      const before = await recorded();
      const start = Date.now();
      const counted = await botCounts(bot.child, bot.logs);
      const callsBefore = slack.calls.length;
      const app = await load(botUrl, slots, clients, total, responseUrl);
      // Wait until the positions are in (an app may ack before it records).
      const settled = await waitFor(
        async () => {
          const n = (await recorded()) - before;
          return n >= total ? n : undefined;
        },
        `${total} positions recorded`,
        120_000,
      ).catch(async () => (await recorded()) - before);
      const last = (await pool.query<{ t: Date }>(`SELECT max(recorded_at) AS t FROM consultation_events WHERE type = 'position_recorded'`)).rows[0]!.t;
      const spanS = Math.max(app.wallMs, new Date(last).getTime() - start) / 1000;
      // Each click also queues Slack messages (the card updated in place, the ST live status): let the bot
      // deliver them before measuring the bare app, so the two do not compete for the CPU.
      await drained();
      drains.push(`${clients} clients: ${((Date.now() - start) / 1000).toFixed(1)} s`);
      const after = await botCounts(bot.child, bot.logs);
      // Click → recorded: the event's recorded_at (the database's clock, on this machine) minus the click's send.
      const events = await pool.query<{ consultation_id: string; country: string; recorded_at: Date }>(
        `SELECT consultation_id, payload->>'country' AS country, recorded_at FROM consultation_events WHERE type = 'position_recorded' AND recorded_at >= $1`,
        [new Date(start - 1_000)],
      );
      const recordedAt = new Map(events.rows.map((r) => [`${r.consultation_id}|${r.country}`, new Date(r.recorded_at).getTime()]));
      const toRecorded = app.clicks.map((c) => (recordedAt.get(`${c.slot.consultationId}|${c.slot.country}`) ?? NaN) - c.at).filter((x) => Number.isFinite(x));
      // Click → card updated: the first update of the clicked message after the click, by chat.update or by
      // the click's response URL with replace_original.
      const updates = slack.calls.slice(callsBefore).filter((x) => x.response?.['ok'] === true && (x.method === 'chat.update' || (x.method === 'response_url' && x.args['replace_original'] === true)));
      const toCard = app.clicks
        .map((c) => {
          const u = updates.find((x) => x.args['channel'] === c.slot.card.channel && x.args['ts'] === c.slot.card.ts && x.at.getTime() >= c.at);
          return u ? u.at.getTime() - c.at : NaN;
        })
        .filter((x) => Number.isFinite(x));
      const b = await load(bareUrl, slots.map((x) => ({ ...x })), clients, total, responseUrl);
      const p = (x: number[], q: number) => pct(x, q);
      const n = Math.max(1, settled);
      table.push(
        `| ${clients} | ${p(app.lat, 50).toFixed(1)} / ${p(app.lat, 99).toFixed(1)} ms | ${p(b.lat, 50).toFixed(1)} / ${p(b.lat, 99).toFixed(1)} ms | ${(settled / spanS).toFixed(1)} | ${(b.lat.length / (b.wallMs / 1000)).toFixed(0)} | ` +
          `${p(toRecorded, 50).toFixed(0)} / ${p(toRecorded, 99).toFixed(0)} ms${toRecorded.length < total ? ` (${toRecorded.length}/${total})` : ''} | ` +
          `${p(toCard, 50).toFixed(0)} / ${p(toCard, 99).toFixed(0)} ms${toCard.length < total ? ` (${toCard.length}/${total})` : ''} |`,
      );
      perClick.push(
        `${clients} clients: ${((after.pg - counted.pg) / n).toFixed(1)} PostgreSQL round trips, ${((after.redisCommands - counted.redisCommands) / n).toFixed(1)} Redis commands in ${((after.redisRoundTrips - counted.redisRoundTrips) / n).toFixed(1)} round trips, ${((after.cpuMs - counted.cpuMs) / n).toFixed(1)} ms of bot CPU per recorded click (deliveries and background included); RSS ${after.rssMb.toFixed(0)} MB${statementLines(counted, after, n)}`,
      );
      console.log(
        `${String(clients).padStart(7)}  ${`${(settled / spanS).toFixed(1)}/s (${settled}/${total}${app.statuses[200] !== total ? ` HTTP ${JSON.stringify(app.statuses)}` : ''})`.padEnd(24)} ${ms(p(app.lat, 50)).padEnd(10)} ${ms(p(app.lat, 99)).padEnd(9)} | ${ms(p(b.lat, 50)).padEnd(17)} ${ms(p(b.lat, 99)).padEnd(9)} | ${(p(app.lat, 50) / p(b.lat, 50)).toFixed(1)}×${' '.repeat(6)} ${(p(app.lat, 99) / p(b.lat, 99)).toFixed(1)}×`,
      );
    }

    console.log(`from the first click to every Slack message of the level delivered (cards updated, ST status): ${drains.join('; ')}`);
    console.log('\n| clients | bot ack p50 / p99 | bare ack p50 / p99 | positions recorded /s | bare req/s | click → recorded p50 / p99 | click → card updated p50 / p99 |');
    console.log('|---|---|---|---|---|---|---|');
    for (const row of table) console.log(row);
    console.log(`\nper click, whole bot (counted in the bot by bench/count-preload.mjs):\n  ${perClick.join('\n  ')}`);
    // Last position → digest, on an idle bot (outbox drained).
    const delays: number[] = [];
    for (const s of closing) {
      const mine: Slot[] = [];
      for (const code of members) mine.push(await slotFor(s.reference, code));
      for (const slot of mine.slice(0, -1)) await postToSlackEvents(botUrl, SECRET, blockActions({ userId: slot.user, actionId: 'position_support', value: slot.value, message: { channel: slot.card.channel, ts: slot.card.ts, blocks: slot.card.blocks }, responseUrl: responseUrl(slot) }));
      await waitFor(async () => Number((await pool.query<{ n: string }>(`SELECT count(*) AS n FROM consultation_events e JOIN consultations c ON c.id = e.consultation_id WHERE c.reference = $1 AND e.type = 'position_recorded'`, [s.reference])).rows[0]!.n) >= members.length - 1 || undefined, `${s.reference}: 10 positions`);
      await sleep(1_000);
      const lastSlot = mine.at(-1)!;
      const r = await postToSlackEvents(botUrl, SECRET, blockActions({ userId: lastSlot.user, actionId: 'position_support', value: lastSlot.value, message: { channel: lastSlot.card.channel, ts: lastSlot.card.ts, blocks: lastSlot.card.blocks }, responseUrl: responseUrl(lastSlot) }));
      const acked = Date.now();
      const digest = await waitFor(() => slack!.callsOf('chat.postMessage').find((c) => (c.args.metadata as { event_type?: string; event_payload?: { reference?: string } } | undefined)?.event_type === 'crm_consultation_closed' && (c.args.metadata as { event_payload: { reference?: string } }).event_payload.reference === s.reference), `the digest of ${s.reference}`, 120_000);
      delays.push(digest.at.getTime() - acked);
      if (r.status !== 200) console.log(`  (closing click answered ${r.status})`);
    }
    console.log(`last position (closing click acked) → digest chat.postMessage: ${delays.map((x) => `${x} ms`).join(', ')} (median ${pct(delays, 50)} ms)`);
    // What the bot logged at warn or above during the run, by message (a click that recorded nothing says why here).
    const counts = new Map<string, number>();
    for (const line of bot.logs().split('\n')) {
      try {
        const j = JSON.parse(line) as { level?: number; msg?: string; code?: string; refusal?: string };
        if ((j.level ?? 0) >= 40) {
          const k = `${j.msg ?? ''}${j.code ? ` [${j.code}]` : ''}${j.refusal ? ` [${j.refusal}]` : ''}`;
          counts.set(k, (counts.get(k) ?? 0) + 1);
        }
      } catch {
        /* not a log line */
      }
    }
    if (counts.size) console.log(`bot warnings/errors: ${[...counts].map(([k, n]) => `${n}× ${k}`).join('; ')}`);
    const replies = new Map<string, number>();
    for (const c of slack.calls.filter((x) => (x.method === 'response_url' && x.args['replace_original'] !== true) || x.method === 'chat.postEphemeral')) {
      const k = String(c.args.text ?? JSON.stringify(c.args).slice(0, 80)).slice(0, 90);
      replies.set(k, (replies.get(k) ?? 0) + 1);
    }
    if (replies.size) console.log(`replies to clickers: ${[...replies].map(([k, n]) => `${n}× ${k}`).join('; ')}`);
    const log = await pool.query<{ type: string; status: string; code: string | null; n: string }>(`SELECT type, status, result->>'code' AS code, count(*) AS n FROM command_log GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`);
    console.log(`command log: ${log.rows.map((r) => `${r.type} ${r.status}${r.code ? ` ${r.code}` : ''}: ${r.n}`).join('; ')}`);
  } finally {
    for (const c of children) await stop(c).catch(() => undefined);
    await slack?.close().catch(() => undefined);
    await pool.end().catch(() => undefined);
    await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`).catch(() => undefined);
    await admin.end();
    await deleteBullKeys(redisUrl).catch(() => undefined);
    await rm(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  run().catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
