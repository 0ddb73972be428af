/**
 * `npm start` with e-mail configured (interfaces.md "E-mail"): SMTP_URL without MAIL_FROM stops the start
 * with one line naming the variable (never the password); with both, the start log says e-mail is on and
 * where the links point, and GET /answer/<token> is served (a link that is not ours: the bilingual page).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { isolatedEnv, ROOT, runBin } from '../../helpers/run-bin.ts';
import { startTestSmtp } from '../../helpers/smtp.ts';

const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const f of cleanup.reverse()) await f().catch(() => undefined);
});

describe('npm start with e-mail', () => {
  it('SMTP_URL without MAIL_FROM: exit 1 naming MAIL_FROM, the password nowhere', { timeout: 60_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'crm-email-start-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const r = await runBin('start', [], { PORT: '0', CRM_DATA_DIR: join(dir, 'data'), SMTP_URL: 'smtp://bot:Very-Secret-9@127.0.0.1:2525' }, 60_000);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('crm: could not start: Invalid configuration:\n  MAIL_FROM: required when SMTP_URL is set\n');
    expect(r.stdout + r.stderr).not.toContain('Very-Secret-9');
  });

  it('with SMTP_URL and MAIL_FROM: says e-mail is on, serves /answer/<token>, never logs the SMTP password', { timeout: 120_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'crm-email-start-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const smtp = await startTestSmtp({ user: 'bot', pass: 'Very-Secret-9' });
    cleanup.push(() => smtp.close());
    const child = spawn(process.execPath, [join(ROOT, 'bin/start.mjs')], {
      cwd: ROOT,
      env: isolatedEnv({ PORT: '0', LOG_LEVEL: 'info', CRM_DATA_DIR: join(dir, 'data'), SMTP_URL: smtp.url, MAIL_FROM: 'crm-bot@example.org', PUBLIC_URL: 'https://crm.example.org' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    cleanup.push(async () => {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    });
    let out = '';
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no start within 100 s:\n${out}`)), 100_000);
      const onData = (d: Buffer) => {
        out += d.toString();
        const m = /listening on http:\/\/localhost:(\d+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      void exited.then((code) => reject(new Error(`exited with ${code}:\n${out}`)));
    });
    const first = JSON.parse(out.split('\n')[0] ?? '{}') as { mail?: string };
    expect(first.mail).toBe('on (SMTP_URL), links to https://crm.example.org/answer/…');
    const res = await fetch(`http://127.0.0.1:${port}/answer/not-a-token`);
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('Enlace no válido');
    expect(html).toContain('Link not valid');
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(out).not.toContain('Very-Secret-9');
  });
});
