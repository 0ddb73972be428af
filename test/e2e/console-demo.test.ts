/**
 * `npm run demo -- --console` as a user runs it (a child process, the embedded defaults in a fresh data
 * folder, no .env): it plays the scripted consultation, then leaves the bot running with the console on
 * 127.0.0.1 and prints its address; the consultation's messages are then in the seats (the ST channel has
 * the digest); Ctrl-C (SIGINT) stops it cleanly.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isolatedEnv, ROOT } from '../helpers/run-bin.ts';

const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const f of cleanup.reverse()) await f().catch(() => undefined);
});

/** Reads the SSE stream of a seat until `until` matches what arrived (or the timeout). */
function readEvents(url: string, until: RegExp, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let got = '';
    const req = request(url, (res) => {
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        got += d;
        if (until.test(got)) {
          req.destroy();
          resolve(got);
        }
      });
    });
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error(`no ${until} within ${timeoutMs} ms; got:\n${got.slice(0, 2000)}`));
    }, timeoutMs);
    req.on('close', () => clearTimeout(timer));
    req.on('error', (e) => (got && until.test(got) ? undefined : reject(e)));
    req.end();
  });
}

describe('npm run demo -- --console', () => {
  it('plays the consultation, then serves the console with its messages until Ctrl-C', { timeout: 240_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'crm-console-demo-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    // Slack variables in the environment are ignored: the console demo runs with no platform at all.
    const child = spawn(process.execPath, [join(ROOT, 'bin/demo.mjs'), '--console'], {
      cwd: ROOT,
      env: isolatedEnv({ CRM_DATA_DIR: join(dir, 'data'), PORT: '0', SLACK_BOT_TOKEN: 'xoxb-not-used', SLACK_SIGNING_SECRET: 'not-used' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    cleanup.push(async () => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });

    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no console address within 200 s:\n${out}`)), 200_000);
      const check = () => {
        const m = /Consola \/ Console: (http:\/\/127\.0\.0\.1:\d+\/console)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      };
      child.stdout.on('data', check);
      void exited.then((code) => reject(new Error(`the demo exited with ${code}:\n${out}`)));
    });
    const reference = /CRM-\d{4}-\d{3}/.exec(out)![0];
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<select name="person"');
    // The digest of the consultation just played reaches the ST channel's entry.
    const st = await readEvents(`${url}/events?person=st-channel`, new RegExp(`(Resumen de la consulta|Summary of consultation) ${reference}`), 60_000);
    expect(st).toContain('event: ');

    child.kill('SIGINT');
    expect(await exited).toBe(0);
  });
});
