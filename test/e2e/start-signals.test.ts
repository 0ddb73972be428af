/**
 * Signals reach the bot: SIGTERM to the pid an operator started — `npm start`'s npm, or `node bin/start.mjs`
 * as the Docker image runs it — stops the bot gracefully, and once that pid has exited the port and the
 * embedded data folder's lock are free (nothing left running behind it). A SIGTERM that arrives while the
 * bot is still starting lets the start finish and then stops it, rather than killing it mid-write.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/run-bin.ts';
import { waitFor } from './slack/harness.ts';

interface Run {
  child: ChildProcess;
  logs: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function run(command: string, args: string[], env: Record<string, string>): Run {
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', PORT: '0', LOG_LEVEL: 'info', CRM_WEEKLY_DIGEST: 'off', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { child, logs: () => out, exited };
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const portIsFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, () => s.close(() => resolve(true)));
  });

const cleanup: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const f of cleanup.reverse()) await f().catch(() => undefined);
});

async function dataDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'crm-signals-'));
  cleanup.push(() => rm(dir, { recursive: true, force: true }));
  return join(dir, 'data');
}

describe('signals reach the bot', () => {
  it('SIGTERM to `npm start` stops the bot; when npm has exited, the port and the data folder are free', { timeout: 180_000 }, async () => {
    const data = await dataDir();
    const npm = run('npm', ['start', '--silent'], { CRM_DATA_DIR: data });
    cleanup.push(async () => void npm.child.kill('SIGKILL'));
    const port = Number((await waitFor(() => /listening on http:\/\/localhost:(\d+)/.exec(npm.logs()), 'the bot listening', 150_000, 100))[1]);
    const lock = join(data, 'crm.lock');
    const botPid = Number.parseInt(await readFile(lock, 'utf8'), 10);
    cleanup.push(async () => void (alive(botPid) && process.kill(botPid, 'SIGKILL')));
    expect(botPid).not.toBe(npm.child.pid); // npm is the parent: the signal must travel to the bot

    npm.child.kill('SIGTERM');
    expect(await npm.exited).toEqual({ code: 0, signal: null });
    expect(npm.logs()).toContain('"msg":"stopped"');
    expect(alive(botPid)).toBe(false);
    expect(existsSync(lock)).toBe(false);
    expect(await portIsFree(port)).toBe(true);
  });

  it('SIGTERM while the bot is still starting: the start completes, then it stops gracefully', { timeout: 300_000 }, async () => {
    // The signal must land between the first log line and the "listening on http://…" line (the first line
    // itself may say the console listens on 127.0.0.1 only). On a loaded machine both lines can arrive in one
    // read; then this start did not test the case: stop it and start again (at most 5).
    const LISTENING = '"msg":"listening on http';
    for (let attempt = 1; ; attempt++) {
      const data = await dataDir();
      const bot = run(process.execPath, ['bin/start.mjs'], { CRM_DATA_DIR: data });
      cleanup.push(async () => void bot.child.kill('SIGKILL'));
      await waitFor(() => bot.logs().includes('CRM consultation bot starting'), 'the first log line', 150_000, 20);
      if (bot.logs().includes(LISTENING)) {
        expect(attempt, 'the start was never observed before it listened').toBeLessThan(5);
        bot.child.kill('SIGKILL');
        await bot.exited;
        continue;
      }
      bot.child.kill('SIGTERM');
      expect(await bot.exited).toEqual({ code: 0, signal: null });
      const logs = bot.logs();
      expect(logs).toContain(LISTENING);
      expect(logs.indexOf('signal received: shutting down')).toBeLessThan(logs.indexOf(LISTENING));
      expect(logs).toContain('"msg":"stopped"');
      expect(existsSync(join(data, 'crm.lock'))).toBe(false);
      return;
    }
  });
});
