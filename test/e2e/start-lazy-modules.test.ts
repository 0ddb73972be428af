/**
 * A start loads only what its configuration uses: `npm start` on PostgreSQL without Teams, e-mail or the
 * embedded database never loads the Teams SDK, MSAL, nodemailer, pdfkit or PGlite (they are imported at
 * their first use). The child bot is preloaded with test/fixtures/loaded-modules/preload.mjs, which lists
 * every module the process resolved (ES modules through a module hook, CommonJS from require.cache).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase } from '../helpers/db.ts';
import { isolatedEnv, ROOT } from '../helpers/run-bin.ts';

const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const f of cleanup.reverse()) await f().catch(() => undefined);
});

/** Starts the bot, waits until it listens, asks for the module list, stops it; the list's lines. */
async function modulesLoadedByAStart(env: Record<string, string>): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), 'crm-lazy-'));
  cleanup.push(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, 'loaded.txt');
  const child = spawn(process.execPath, ['--import', join(ROOT, 'test/fixtures/loaded-modules/preload.mjs'), join(ROOT, 'bin/start.mjs')], {
    cwd: ROOT,
    env: isolatedEnv({ PORT: '0', LOG_LEVEL: 'info', CRM_DATA_DIR: join(dir, 'data'), LOADED_MODULES_FILE: file, ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  cleanup.push(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  let out = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    let asked = false;
    const onData = (d: Buffer) => {
      out += d.toString();
      if (!asked && /listening on http:\/\/localhost:\d+/.test(out)) {
        asked = true;
        child.kill('SIGUSR2');
      }
      if (out.includes('LOADED_MODULES_WRITTEN')) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) => reject(new Error(`bot exited with ${code}:\n${out}`)));
  });
  child.kill('SIGTERM');
  expect(await exited).toBe(0);
  return (await readFile(file, 'utf8')).split('\n').filter(Boolean);
}

const loads = (lines: string[], pkg: string) => lines.some((l) => l.includes(`/node_modules/${pkg}/`));

describe('npm start loads what its configuration uses', () => {
  it('on PostgreSQL without Teams, e-mail or the embedded database: no Teams SDK, MSAL, nodemailer, pdfkit nor PGlite', { timeout: 120_000 }, async () => {
    const pg = await createPostgresDatabase('e2e_lazy_modules');
    cleanup.push(() => pg.drop());
    const lines = await modulesLoadedByAStart({ DATABASE_URL: pg.url });
    // The list is real: what this start does use is in it.
    for (const used of ['pg', 'bullmq', '@prisma/client', 'pino']) expect(loads(lines, used), used).toBe(true);
    for (const unused of ['@microsoft/teams.apps', '@microsoft/teams.api', '@azure/msal-node', 'nodemailer', 'pdfkit', '@electric-sql/pglite', 'pglite-prisma-adapter']) {
      expect(loads(lines, unused), unused).toBe(false);
    }
  });
});
