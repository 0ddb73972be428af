/**
 * Start-up: the bot as `npm start` runs it (`node bin/start.mjs`, a child process), timed from the spawn to
 * the first `GET /readyz` answered 200 (polled every 20 ms on a port chosen beforehand), the CPU time it had
 * used by then (steadier than wall time when the machine is shared), and its resident
 * memory (VmRSS of that process, /proc/<pid>/status) once it has been idle for a few seconds.
 *
 * Configurations, each started twice (the first start on a fresh store applies the migrations, the second
 * finds them applied — the usual restart):
 *   - embedded: no DATABASE_URL nor REDIS_URL (PGlite in a fresh CRM_DATA_DIR, the console by default);
 *   - PostgreSQL + Redis + Slack: a fresh database, an empty Redis DB number, Slack over HTTP talking to a
 *     local fake Slack Web API in this process (what bench/slack.bench.ts starts).
 *
 * Baselines in the same run: a bare `node -e` (nothing imported), and `node -e` importing the bot's main
 * dependencies (pg, ioredis, bullmq, @slack/bolt, the Prisma client runtime, pino, zod) and then listening
 * on an HTTP port: the floor the bot's own start is compared to.
 *
 * `npx tsx bench/startup.bench.ts` (standalone) or `npm run bench -- startup`.
 * REDIS_URL (base, default redis://127.0.0.1:6379), PGUSER and STARTUP_RUNS (default 1 per configuration)
 * are honoured.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Redis } from 'ioredis';
import pg from 'pg';
import { startFakeSlackApi } from '../src/demo/fake-slack-api.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const REDIS_BASE = (process.env['REDIS_URL'] || 'redis://127.0.0.1:6379').replace(/\/\d*$/, '');
const PG_USER = process.env['PGUSER'] || 'postgres';
const pgUrl = (db: string) => `postgresql://${encodeURIComponent(PG_USER)}@127.0.0.1:5432/${db}`;
const RUNS = Math.max(1, Number(process.env['STARTUP_RUNS'] ?? 1));
const IDLE_MS = 5_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const t = setTimeout(() => child.kill('SIGKILL'), 30_000);
  await exited;
  clearTimeout(t);
}

interface Measured {
  readyMs: number;
  /** CPU time (user + system) the process had used when it was ready: steadier than wall time on a busy machine. */
  cpuMs: number;
  rssMb: number;
}

/** utime + stime of a process, in ms (/proc/<pid>/stat, clock ticks of 10 ms). */
async function cpuMsOf(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Spawns `node …args`, waits for `ready` (a probe), then lets it idle and reads its RSS. */
async function measure(args: string[], env: Record<string, string>, ready: (child: ChildProcess, out: () => string) => Promise<void>): Promise<Measured> {
  const t0 = performance.now();
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const on = (d: Buffer) => {
    out += d.toString();
    if (out.length > 200_000) out = out.slice(-100_000);
  };
  child.stdout!.on('data', on);
  child.stderr!.on('data', on);
  const died = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited ${code}:\n${out}`))));
  died.catch(() => undefined);
  try {
    await Promise.race([ready(child, () => out), died]);
    const readyMs = performance.now() - t0;
    const cpuMs = await cpuMsOf(child.pid!);
    await sleep(IDLE_MS);
    const rss = await rssMb(child.pid!);
    return { readyMs, cpuMs, rssMb: rss };
  } finally {
    await stop(child);
  }
}

function pollReadyz(port: number, timeoutMs = 120_000): () => Promise<void> {
  return async () => {
    const until = Date.now() + timeoutMs;
    for (;;) {
      try {
        const r = await fetch(`http://127.0.0.1:${port}/readyz`);
        await r.arrayBuffer();
        if (r.status === 200) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > until) throw new Error(`/readyz not 200 after ${timeoutMs} ms`);
      await sleep(20);
    }
  };
}

const lineProbe = (re: RegExp) => (child: ChildProcess, out: () => string) =>
  new Promise<void>((resolve) => {
    const check = () => {
      if (re.test(out())) {
        child.stdout!.off('data', check);
        resolve();
      }
    };
    child.stdout!.on('data', check);
    check();
  });

const DEPS_BASELINE = `
const deps = ['pg', 'ioredis', 'bullmq', '@slack/bolt', '@prisma/client/runtime/client', 'pino', 'zod'];
Promise.all(deps.map((d) => import(d))).then(() => {
  const server = require('node:http').createServer((q, s) => s.end('ok'));
  server.listen(0, '127.0.0.1', () => console.log('baseline ready'));
});
`;

const fmt = (m: Measured[]) => {
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  return { readyMs: med(m.map((x) => x.readyMs)), cpuMs: med(m.map((x) => x.cpuMs)), rssMb: med(m.map((x) => x.rssMb)) };
};

export async function run(): Promise<void> {
  const rows: Array<[string, Measured]> = [];
  const runs = async (label: string, once: () => Promise<Measured>) => {
    const all: Measured[] = [];
    for (let i = 0; i < RUNS; i++) all.push(await once());
    const f = fmt(all);
    rows.push([label, f]);
    console.log(`${label.padEnd(48)} ready ${(f.readyMs / 1000).toFixed(2).padStart(6)} s (CPU ${(f.cpuMs / 1000).toFixed(2).padStart(5)} s)   RSS ${f.rssMb.toFixed(0).padStart(4)} MB`);
  };

  await runs('baseline: node -e (nothing imported)', () => measure(['-e', 'console.log("baseline ready"); setInterval(() => {}, 1000)'], {}, lineProbe(/baseline ready/)));
  await runs('baseline: node -e (main deps + HTTP listen)', () => measure(['-e', DEPS_BASELINE], {}, lineProbe(/baseline ready/)));

  // Embedded: a fresh data directory, started twice (migrations, then a restart).
  const dataDir = await mkdtemp(join(tmpdir(), 'crm-startup-'));
  try {
    const start = async () => {
      const port = await freePort();
      return measure(['bin/start.mjs'], { PORT: String(port), CRM_DATA_DIR: dataDir, LOG_LEVEL: 'info' }, pollReadyz(port));
    };
        await runs('bot embedded, first start (migrations)', start);
    await runs('bot embedded, restart', start);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }

  // PostgreSQL + Redis + Slack (HTTP) against a local fake Slack API.
  const dbName = `crm_startup_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const admin = new pg.Client({ connectionString: pgUrl('postgres') });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  let redisDb = -1;
  for (let db = 15; db >= 1 && redisDb < 0; db--) {
    const r = new Redis(`${REDIS_BASE}/${db}`, { maxRetriesPerRequest: 1 });
    if ((await r.dbsize()) === 0) redisDb = db;
    r.disconnect();
  }
  if (redisDb < 0) throw new Error('no empty Redis DB number (1..15) for the bench');
  const slack = await startFakeSlackApi({ token: 'xoxb-startup-0000' });
  const pgDataDir = await mkdtemp(join(tmpdir(), 'crm-startup-pg-'));
  try {
    const env = {
      DATABASE_URL: pgUrl(dbName),
      REDIS_URL: `${REDIS_BASE}/${redisDb}`,
      SLACK_SIGNING_SECRET: 'startup-signing-secret-0123456789',
      SLACK_BOT_TOKEN: 'xoxb-startup-0000',
      SLACK_API_URL: slack.url,
      CRM_DATA_DIR: pgDataDir,
      LOG_LEVEL: 'info',
    };
    const start = async () => {
      const port = await freePort();
      return measure(['bin/start.mjs'], { ...env, PORT: String(port) }, pollReadyz(port));
    };
    await runs('bot PostgreSQL+Redis+Slack, first start', start);
    await runs('bot PostgreSQL+Redis+Slack, restart', start);
  } finally {
    await slack.close();
    const r = new Redis(`${REDIS_BASE}/${redisDb}`);
    await r.flushdb();
    r.disconnect();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
    await rm(pgDataDir, { recursive: true, force: true });
  }

  const base = rows.find(([l]) => l.includes('main deps'))![1];
  console.log(`ratios over the main-deps baseline (ready ${(base.readyMs / 1000).toFixed(2)} s, CPU ${(base.cpuMs / 1000).toFixed(2)} s, RSS ${base.rssMb.toFixed(0)} MB):`);
  for (const [label, f] of rows) {
    if (!label.startsWith('bot')) continue;
    console.log(`  ${label.padEnd(46)} ready ×${(f.readyMs / base.readyMs).toFixed(1)}   CPU ×${(f.cpuMs / base.cpuMs).toFixed(1)}   RSS ×${(f.rssMb / base.rssMb).toFixed(1)}`);
  }
  console.log(`targets (issue 12): RSS ≤ 200 MB idle, start to /readyz ≤ 3 s`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
