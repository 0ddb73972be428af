/**
 * `npm start` as an operator runs it: a child process on the embedded defaults, and on PostgreSQL with
 * DATABASE_URL; health, readiness (including a database that goes away), metrics, graceful SIGTERM.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase, type TestPostgres } from '../helpers/db.ts';
import { isolatedEnv, ROOT } from '../helpers/run-bin.ts';

interface Started {
  child: ChildProcess;
  port: number;
  logs: () => string;
  exited: Promise<number | null>;
}

function startBot(env: Record<string, string>): Promise<Started> {
  const child = spawn(process.execPath, ['bin/start.mjs'], {
    cwd: ROOT,
    env: isolatedEnv({ PORT: '0', LOG_LEVEL: 'info', ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bot did not start within 100 s:\n${out}`)), 60_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /listening on http:\/\/localhost:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, port: Number(m[1]), logs: () => out, exited });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) => reject(new Error(`bot exited with ${code} before listening:\n${out}`)));
  });
}

const get = async (port: number, path: string) => {
  const res = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: res.status, body: await res.text() };
};

const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const f of cleanup.reverse()) await f().catch(() => undefined);
});

describe('npm start', () => {
  it('on the embedded defaults: says so in its first log lines, serves health, readiness and metrics, stops on SIGTERM', { timeout: 120_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'crm-start-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const bot = await startBot({ CRM_DATA_DIR: join(dir, 'data') });
    cleanup.push(async () => void bot.child.kill('SIGKILL'));
    const first = bot.logs().split('\n')[0] ?? '';
    expect(first).toContain('embedded PGlite');
    expect(first).toContain('the example: CRM_DIRECTORY not set');

    expect(await get(bot.port, '/healthz')).toEqual({ status: 200, body: '{"status":"ok"}' });
    const ready = await get(bot.port, '/readyz');
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.body)).toMatchObject({ checks: { database: 'ok', queue: 'ok' } });
    const metrics = await get(bot.port, '/metrics');
    expect(metrics.body).toContain('crm_commands_total');

    bot.child.kill('SIGTERM');
    expect(await bot.exited).toBe(0);
    expect(bot.logs()).toContain('"msg":"stopped"');
  });

  it('on PostgreSQL: readiness turns 503 naming the database when it goes away', { timeout: 120_000 }, async () => {
    const pg: TestPostgres = await createPostgresDatabase('e2e_start');
    cleanup.push(() => pg.drop());
    const dir = await mkdtemp(join(tmpdir(), 'crm-start-pg-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const bot = await startBot({ DATABASE_URL: pg.url, CRM_DATA_DIR: join(dir, 'data') });
    cleanup.push(async () => void bot.child.kill('SIGKILL'));
    expect(bot.logs()).toContain('postgresql (DATABASE_URL)');
    expect((await get(bot.port, '/readyz')).status).toBe(200);

    await pg.drop();
    const down = await get(bot.port, '/readyz');
    expect(down.status).toBe(503);
    expect(JSON.parse(down.body)).toMatchObject({ failing: expect.arrayContaining(['database']) });
    expect(down.body).not.toMatch(/password|postgresql:\/\//);
    bot.child.kill('SIGTERM');
    await bot.exited;
  });
});
