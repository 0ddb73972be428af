/**
 * `npm start` as an operator runs it: a child process on the embedded defaults, and on PostgreSQL with
 * DATABASE_URL; health, readiness (including a database that goes away), metrics, graceful SIGTERM.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase, type TestPostgres } from '../helpers/db.ts';
import { isolatedEnv, ROOT, runBin } from '../helpers/run-bin.ts';

interface Started {
  child: ChildProcess;
  port: number;
  logs: () => string;
  exited: Promise<number | null>;
}

/** `dotenv`: only PATH, HOME and `env` are set, so the `.env` in `cwd` counts. */
function startBot(env: Record<string, string>, options: { cwd?: string; dotenv?: boolean } = {}): Promise<Started> {
  const child = spawn(process.execPath, [join(ROOT, 'bin/start.mjs')], {
    cwd: options.cwd ?? ROOT,
    env: options.dotenv ? { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env } : isolatedEnv({ PORT: '0', LOG_LEVEL: 'info', ...env }),
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
    expect(bot.logs()).not.toContain('differs from the live directory');

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

  it('CRM_DIRECTORY naming a missing file: exit 1 with one line naming it, before any database is made', { timeout: 60_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'crm-start-missing-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const missing = join(dir, 'config', 'directory.yaml');
    const r = await runBin('start', [], { PORT: '0', CRM_DATA_DIR: join(dir, 'data'), CRM_DIRECTORY: missing }, 60_000);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `crm: could not start: CRM_DIRECTORY names ${missing}, which does not exist (${missing}). ` +
        'Set CRM_DIRECTORY to your directory file, or unset it to try the bot with the example.\n',
    );
    expect(existsSync(join(dir, 'data'))).toBe(false);
  });

  it('a directory file that differs from the live one: a start-up warning naming it and the command that imports it; the live one stays', { timeout: 120_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'crm-start-drift-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const env = { CRM_DATA_DIR: join(dir, 'data') };
    const example = await readFile(join(ROOT, 'config/directory.example.yaml'), 'utf8');
    const live = join(dir, 'live.yaml');
    await writeFile(live, example);
    expect((await runBin('crm', ['directory', 'import', live], env)).code).toBe(0);
    const edited = join(dir, 'edited.yaml');
    await writeFile(edited, example.replace('name: Luis Mora Solís', 'name: Luis Mora S.'));

    const bot = await startBot({ ...env, CRM_DIRECTORY: edited });
    cleanup.push(async () => void bot.child.kill('SIGKILL'));
    const lines = bot.logs().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { level: string; msg: string; directory?: string });
    const warning = lines.find((l) => l.msg.includes('differs from the live directory'));
    expect(warning?.level).toBe('warn');
    expect(warning?.msg).toContain(`directory: ${edited} differs from the live directory (the database's, imported from ${live} on `);
    expect(warning?.msg).toContain(`To use the file: npx crm directory import ${edited}`);
    expect(lines.find((l) => l.msg === 'database ready')?.directory).toBe(live);
    bot.child.kill('SIGTERM');
    expect(await bot.exited).toBe(0);

    // The same file as the live one: no warning.
    const same = await startBot({ ...env, CRM_DIRECTORY: live });
    cleanup.push(async () => void same.child.kill('SIGKILL'));
    expect(same.logs()).not.toContain('differs from the live directory');
    same.child.kill('SIGTERM');
    expect(await same.exited).toBe(0);
  });

  it('reads .env in the current directory (the first log line names it); a malformed .env is one line and exit 1', { timeout: 120_000 }, async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'crm-start-dotenv-'));
    cleanup.push(() => rm(cwd, { recursive: true, force: true }));
    const data = join(cwd, 'data-from-dotenv');
    await writeFile(join(cwd, '.env'), `PORT=0\nLOG_LEVEL=info\nCRM_DATA_DIR=${data}\nCRM_DIRECTORY=${join(ROOT, 'config/directory.example.yaml')}\nCRM_WEEKLY_DIGEST=off\n`);
    const bot = await startBot({ CRM_WEEKLY_DIGEST: 'on' }, { cwd, dotenv: true });
    cleanup.push(async () => void bot.child.kill('SIGKILL'));
    const first = JSON.parse(bot.logs().split('\n')[0] ?? '{}') as { envFile?: string; database?: string };
    expect(first.envFile).toBe(`${join(cwd, '.env')} (set: PORT, LOG_LEVEL, CRM_DATA_DIR, CRM_DIRECTORY; kept from the environment: CRM_WEEKLY_DIGEST)`);
    expect(first.database).toContain(`embedded PGlite in ${data}`);
    expect(existsSync(join(data, 'PG_VERSION'))).toBe(true);
    bot.child.kill('SIGTERM');
    expect(await bot.exited).toBe(0);

    await writeFile(join(cwd, '.env'), 'PORT=0\nDATABASE_URL="postgresql://crm:secret@db/crm\n');
    const bad = await runBin('start', [], {}, 60_000, { cwd, dotenv: true });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe(`crm: could not start: ${join(cwd, '.env')} line 2: the value of DATABASE_URL opens a " quote that is never closed\n`);
  });
});
