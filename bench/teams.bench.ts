/**
 * Teams over loopback HTTP: an invoke's answer time. The bot as `npm start` runs it (a child process, Teams
 * only) on PostgreSQL (a fresh database) and Redis (an empty DB number), against the local Microsoft world
 * in this process over HTTPS (src/demo/teams/demo-teams.ts: identity provider for the bot's own tokens,
 * Bot Framework key set for incoming tokens, fake Bot Connector; the bot trusts the throwaway CA through
 * NODE_EXTRA_CA_CERTS). Every invoke carries a real Bot Framework JWT that both apps validate.
 *
 * Measures, in the same run, at 1, 10 and 50 concurrent clients:
 *   - the bot: `adaptiveCard/action` invokes `position_support` / `position_abstain` on the member cards it
 *     delivered (each (consultation, country) slot clicked once per level, alternating, so each click is a
 *     real change), timed from the request to the invoke's 200 answer (the updated card);
 *   - a bare Teams SDK app (bench/teams-bare.ts: `@microsoft/teams.apps` on its own server, same JWT
 *     validation) that only answers, with the same invokes;
 *   and prints p50 / p99 of both and their ratio. Between levels the bot's outbox is drained (the card
 *   updates and the ST's status each click causes) so the bare app does not compete with deliveries.
 *
 * Setup: every focal point and the ST are on Teams only (the example directory, Slack ids replaced by
 * made-up Entra ids); their installs are stored before the bot starts, and the consultations are opened
 * through the flows, so the bot's start-up reconcile delivers the cards the invokes are made on.
 *
 * `npm run bench -- teams`; BENCH_TEAMS_CLICKS=N (default 200) invokes per level and app.
 * REDIS_URL (base, default redis://127.0.0.1:6379) and PGUSER are honoured.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Redis } from 'ioredis';
import pg from 'pg';
import { parse, stringify } from 'yaml';
import { openEngine } from '../src/app/context.ts';
import { EXAMPLE_DIRECTORY, loadConfig } from '../src/config.ts';
import { demoEntraId, DEMO_ST_TEAMS_CHANNEL, startDemoTeams, type DemoTeams, type TeamsUser } from '../src/demo/teams/demo-teams.ts';
import { createLocalTls } from '../src/demo/teams/local-tls.ts';
import { consultationFlows } from '../src/flows/index.ts';
import { identify } from '../src/flows/people.ts';
import { TeamsConversationStore } from '../src/store/teams-conversation-store.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const REDIS_BASE = (process.env['REDIS_URL'] || 'redis://127.0.0.1:6379').replace(/\/\d*$/, '');
const PG_USER = process.env['PGUSER'] || 'postgres';
const pgUrl = (db: string) => `postgresql://${encodeURIComponent(PG_USER)}@127.0.0.1:5432/${db}`;
const LEVELS = [1, 10, 50] as const;
const CLICKS = Number(process.env['BENCH_TEAMS_CLICKS'] ?? 200);
/** Open consultations: 11 member slots each, enough for one click per slot per level. */
const OPEN = Math.ceil(CLICKS / 11);

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? NaN;
};
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
    const timer = setTimeout(() => {
      child.kill('SIGKILL'); // not left running when it never said it was ready
      reject(new Error(`${args.join(' ')} did not start:\n${out}`));
    }, 120_000);
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

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const t = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(t);
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

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

async function flushRedisDb(url: string): Promise<void> {
  const r = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    await r.flushdb();
  } finally {
    r.disconnect();
  }
}

/** The example directory with everyone on Teams only: made-up Entra ids, the ST on a Teams channel. */
async function teamsOnlyDirectory(out: string): Promise<void> {
  type Entry = { email: string; slack?: string; teams?: string; reach?: string };
  const doc = parse(await readFile(join(ROOT, EXAMPLE_DIRECTORY), 'utf8')) as {
    secretariat: { slack?: unknown; teams?: unknown; staff?: Entry[] };
    countries: { status: string; focalPoints?: Entry[] }[];
  };
  delete doc.secretariat.slack;
  doc.secretariat.teams = { channel: DEMO_ST_TEAMS_CHANNEL };
  const onTeams = (e: Entry) => {
    delete e.slack;
    delete e.reach;
    e.teams = demoEntraId(e.email);
  };
  for (const s of doc.secretariat.staff ?? []) onTeams(s);
  for (const c of doc.countries) if (c.status === 'member') for (const f of c.focalPoints ?? []) onTeams(f);
  await writeFile(out, stringify(doc));
}

interface Slot {
  consultationId: string;
  country: string;
  user: TeamsUser;
  activityId: string;
  data: Record<string, unknown>;
  n: number;
}

/** The Action.Execute `verb` of a card, anywhere in it. */
function executeData(card: unknown, verb: string): Record<string, unknown> | undefined {
  let found: Record<string, unknown> | undefined;
  const walk = (n: unknown) => {
    if (found || !n || typeof n !== 'object') return;
    if (Array.isArray(n)) return n.forEach(walk);
    const o = n as Record<string, unknown>;
    if (o.type === 'Action.Execute' && o.verb === verb) found = (o.data as Record<string, unknown>) ?? {};
    else Object.values(o).forEach(walk);
  };
  walk(card);
  return found;
}

/** `total` invokes over `clients` concurrent clients, each on its own slots, each slot at most once. */
async function load(ms: DemoTeams, url: string, slots: Slot[], clients: number, total: number): Promise<{ lat: number[]; statuses: Record<number, number> }> {
  const lat: number[] = [];
  const statuses: Record<number, number> = {};
  let sent = 0;
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      for (const s of slots.filter((_, i) => i % clients === c)) {
        if (sent >= total) break;
        sent += 1;
        const verb = s.n++ % 2 === 0 ? 'position_support' : 'position_abstain';
        const t0 = performance.now();
        const r = await ms.click(url, s.user, s.activityId, verb, s.data);
        lat.push(performance.now() - t0);
        statuses[r.status] = (statuses[r.status] ?? 0) + 1;
      }
    }),
  );
  return { lat, statuses };
}

export async function run(): Promise<void> {
  const admin = new pg.Client({ connectionString: pgUrl('postgres') });
  await admin.connect();
  const dbName = `crm_bench_teams_${randomUUID().slice(0, 8)}`;
  await admin.query(`CREATE DATABASE "${dbName}"`);
  const dir = await mkdtemp(join(tmpdir(), 'crm-bench-teams-'));
  const redisUrl = `${REDIS_BASE}/${await freeRedisDb()}`;
  const tls = await createLocalTls();
  const ms = await startDemoTeams(tls);
  const children: ChildProcess[] = [];
  const pool = new pg.Pool({ connectionString: pgUrl(dbName), max: 2 });
  pool.on('error', () => undefined);
  try {
    const directoryFile = join(dir, 'directory.yaml');
    await teamsOnlyDirectory(directoryFile);
    const engine = await openEngine(loadConfig({ DATABASE_URL: pgUrl(dbName), CRM_DATA_DIR: join(dir, 'data'), CRM_DIRECTORY: directoryFile, LOG_LEVEL: 'silent' }));
    const d = engine.directory.current();
    // Every Teams person installed the app (as the bot would have stored it from their installationUpdate).
    const store = new TeamsConversationStore(engine.db.prisma);
    const users = new Map<string, TeamsUser>();
    for (const p of [...d.secretariat.staff, ...d.countries.filter((c) => c.status === 'member').flatMap((c) => c.focalPoints)]) {
      if (!p.teams) continue;
      const u = ms.user(p.name, p.teams);
      users.set(p.id, u);
      ms.connector.install(u.userId, { aadObjectId: u.aad, tenantId: ms.env.TEAMS_TENANT_ID! });
      await store.recordActivity({
        type: 'installationUpdate',
        action: 'add',
        serviceUrl: ms.connector.serviceUrl,
        channelId: 'msteams',
        from: { id: u.userId, aadObjectId: u.aad, name: u.name },
        recipient: { id: `28:${ms.env.TEAMS_APP_ID}`, name: 'CRM' },
        conversation: { id: u.conversationId, conversationType: 'personal', tenantId: ms.env.TEAMS_TENANT_ID! },
        channelData: { tenant: { id: ms.env.TEAMS_TENANT_ID! } },
      });
    }
    const actorOf = (personId: string) => identify(d, { platform: 'teams', userId: users.get(personId)!.aad })!;
    const first = (code: string) => d.countries.find((c) => c.code === code)!.focalPoints[0]!;
    const staff = actorOf(d.secretariat.staff[0]!.id);
    const opened = [];
    for (let i = 0; i < OPEN; i++) {
      const r = await consultationFlows.startConsultation(engine.deps, { key: randomUUID(), actor: staff, title: `Bench Teams ${i + 1}`, text: 'Texto de prueba para medir.', deadline: { kind: 'business_days', days: 5 }, closeEarly: false });
      if (!r.ok) throw new Error(`start refused: ${r.code}`);
      let s = r.state;
      for (const c of s.troika!.countries.filter((x) => x !== s.troika!.authorCountry)) {
        const x = await consultationFlows.reactTroika(engine.deps, { key: randomUUID(), actor: actorOf(first(c).id), consultationId: s.consultationId, version: s.currentVersion, reaction: 'approve' });
        if (!x.ok) throw new Error(`approve refused: ${x.code}`);
        s = x.state;
      }
      opened.push(s);
    }
    const members = opened[0]!.participants.members.map((m) => m.code);
    await engine.close();

    const env = { ...ms.env, NODE_EXTRA_CA_CERTS: tls.caFile };
    const bot = await spawnNode(['bin/start.mjs'], { ...env, PORT: '0', LOG_LEVEL: 'info', DATABASE_URL: pgUrl(dbName), REDIS_URL: redisUrl, CRM_DATA_DIR: join(dir, 'data'), CRM_DIRECTORY: directoryFile }, /listening on http:\/\/localhost:(\d+)/);
    children.push(bot.child);
    const barePort = await freePort();
    const bare = await spawnNode(['--import', 'tsx', 'bench/teams-bare.ts'], { ...env, BARE_PORT: String(barePort), LOG_LEVEL: 'error' }, /bare teams listening on (\d+)/);
    children.push(bare.child);
    const botUrl = `http://127.0.0.1:${bot.port}`;
    const bareUrl = `http://127.0.0.1:${bare.port}`;

    const t0 = Date.now();
    const slots: Slot[] = [];
    for (const s of opened) {
      for (const code of members) {
        const user = users.get(first(code).id)!;
        const a = await waitFor(
          () => ms.connector.activities(user.conversationId).find((x) => executeData(x.activity, 'position_support')?.['c'] === s.consultationId),
          `the card of ${s.reference} for ${code}`,
        );
        slots.push({ consultationId: s.consultationId, country: code, user, activityId: a.id, data: executeData(a.activity, 'position_support')!, n: 0 });
      }
    }
    console.log(`setup: ${OPEN} consultations, ${slots.length} member cards delivered to Teams by the bot in ${((Date.now() - t0) / 1000).toFixed(1)} s (PostgreSQL + Redis ${redisUrl})`);

    // Both apps refuse what is not signed by the key set (the bare one too: it is a real floor, not an open door).
    const unsigned = await fetch(`${bareUrl}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"type":"invoke"}' });
    console.log(`unsigned invoke: bare app ${unsigned.status}, bot ${(await fetch(`${botUrl}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"type":"invoke"}' })).status}`);

    const recorded = async () => Number((await pool.query<{ n: string }>(`SELECT count(*) AS n FROM consultation_events WHERE type = 'position_recorded'`)).rows[0]!.n);
    const drained = () => waitFor(async () => Number((await pool.query<{ n: string }>(`SELECT count(*) AS n FROM outbox WHERE status = 'pending'`)).rows[0]!.n) === 0 || undefined, 'the outbox drained', 600_000);
    // Warm-up: a few invokes on copies of the slots for the bare app; on the bot, the first level warms it.
    await load(ms, bareUrl, slots.map((x) => ({ ...x })), 5, 30);
    await drained();

    console.log('clients  bot: invoke p50  p99      | bare Teams SDK: p50  p99      | p50 ratio  p99 ratio | recorded');
    const table: string[] = [];
    for (const clients of LEVELS) {
      const before = await recorded();
      const app = await load(ms, botUrl, slots, clients, CLICKS);
      const settled = await waitFor(async () => ((await recorded()) - before >= CLICKS ? (await recorded()) - before : undefined), `${CLICKS} positions recorded`, 120_000).catch(async () => (await recorded()) - before);
      await drained();
      const b = await load(ms, bareUrl, slots.map((x) => ({ ...x })), clients, CLICKS);
      const r50 = pct(app.lat, 50) / pct(b.lat, 50);
      const r99 = pct(app.lat, 99) / pct(b.lat, 99);
      const http = (s: Record<number, number>) => (s[200] === CLICKS ? '' : ` HTTP ${JSON.stringify(s)}`);
      console.log(
        `${String(clients).padStart(7)}  ${`${pct(app.lat, 50).toFixed(1)} ms`.padEnd(16)} ${`${pct(app.lat, 99).toFixed(1)} ms`.padEnd(8)} | ${`${pct(b.lat, 50).toFixed(1)} ms`.padEnd(20)} ${`${pct(b.lat, 99).toFixed(1)} ms`.padEnd(8)} | ${`${r50.toFixed(1)}×`.padEnd(10)} ${`${r99.toFixed(1)}×`.padEnd(9)} | ${settled}/${CLICKS}${http(app.statuses)}${http(b.statuses) ? ` (bare${http(b.statuses)})` : ''}`,
      );
      table.push(`| ${clients} | ${pct(app.lat, 50).toFixed(1)} / ${pct(app.lat, 99).toFixed(1)} ms | ${pct(b.lat, 50).toFixed(1)} / ${pct(b.lat, 99).toFixed(1)} ms | ${r50.toFixed(1)}× / ${r99.toFixed(1)}× |`);
    }
    console.log('\n| clients | bot invoke answer p50 / p99 | bare Teams SDK p50 / p99 | ratio p50 / p99 |');
    console.log('|---|---|---|---|');
    for (const row of table) console.log(row);
    console.log(`(${CLICKS} invokes per level and app; every invoke a Bot Framework JWT validated by both; the bot's answer is the updated card after the position is recorded)`);
    const warnings = new Map<string, number>();
    for (const line of bot.logs().split('\n')) {
      try {
        const j = JSON.parse(line) as { level?: number; msg?: string };
        if ((j.level ?? 0) >= 40) warnings.set(j.msg ?? '', (warnings.get(j.msg ?? '') ?? 0) + 1);
      } catch {
        /* not a log line */
      }
    }
    if (warnings.size) console.log(`bot warnings/errors: ${[...warnings].map(([k, n]) => `${n}× ${k}`).join('; ')}`);
  } finally {
    for (const c of children) await stop(c).catch(() => undefined);
    await ms.close().catch(() => undefined);
    tls.dispose();
    await pool.end().catch(() => undefined);
    await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`).catch(() => undefined);
    await admin.end();
    await flushRedisDb(redisUrl).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  run().catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
