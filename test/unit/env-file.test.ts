/**
 * src/env-file.ts: `.env` for `npm start` and `npx crm`. Unset variables come from the file; a variable
 * already set (even to empty) is kept; a malformed file gives one line naming the file and the line,
 * never the line's content, and applies nothing.
 */
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DotEnvError, loadDotEnv, parseDotEnv } from '../../src/env-file.ts';
import { loadConfig } from '../../src/config.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function folderWith(dotenv?: string): string {
  const d = mkdtempSync(join(tmpdir(), 'crm-dotenv-'));
  dirs.push(d);
  if (dotenv !== undefined) writeFileSync(join(d, '.env'), dotenv);
  return d;
}

describe('loadDotEnv', () => {
  it('sets the variables the environment does not have, and config reads them', () => {
    const cwd = folderWith('# the bot\nPORT=4100\nCRM_DATA_DIR=/srv/crm\nLOG_LEVEL=debug\n');
    const env: NodeJS.ProcessEnv = {};
    const r = loadDotEnv({ cwd, env });
    expect(r).toEqual({ path: join(cwd, '.env'), applied: ['PORT', 'CRM_DATA_DIR', 'LOG_LEVEL'], kept: [] });
    expect(env).toEqual({ PORT: '4100', CRM_DATA_DIR: '/srv/crm', LOG_LEVEL: 'debug' });
    expect(loadConfig(env)).toMatchObject({ port: 4100, dataDir: '/srv/crm', logLevel: 'debug' });
  });

  it('never overrides a variable already set, even to empty', () => {
    const cwd = folderWith('PORT=4100\nCRM_DATA_DIR=/from/file\nLOG_LEVEL=debug\n');
    const env: NodeJS.ProcessEnv = { PORT: '5000', CRM_DATA_DIR: '' };
    const r = loadDotEnv({ cwd, env });
    expect(r?.applied).toEqual(['LOG_LEVEL']);
    expect(r?.kept).toEqual(['PORT', 'CRM_DATA_DIR']);
    expect(env).toEqual({ PORT: '5000', CRM_DATA_DIR: '', LOG_LEVEL: 'debug' });
    // Empty means unset for the configuration: the default, not the file's value.
    expect(loadConfig(env).dataDir).toBe('.crm-data');
  });

  it('no .env: nothing happens', () => {
    const env: NodeJS.ProcessEnv = { A: '1' };
    expect(loadDotEnv({ cwd: folderWith(), env })).toBeUndefined();
    expect(env).toEqual({ A: '1' });
  });

  it('a .env that cannot be read (a folder) is an error naming it', () => {
    const cwd = folderWith();
    mkdirSync(join(cwd, '.env'));
    expect(() => loadDotEnv({ cwd, env: {} })).toThrow(`${join(cwd, '.env')}: cannot read the file (EISDIR)`);
  });

  it.each([
    ['a line without "="', 'PORT=1\nxoxb-123-secret-token\n', 2, 'expected NAME=value or a # comment'],
    ['a name alone', 'PORT=1\n\nSLACK_BOT_TOKEN\n', 3, 'expected NAME=value (a name without "=")'],
    ['a name with a space', 'SLACK BOT TOKEN=xoxb-secret\n', 1, 'a name is letters, digits and _'],
    ['an unclosed quote', 'A=1\nSLACK_BOT_TOKEN="xoxb-secret\nB=2\n', 2, 'opens a " quote that is never closed'],
    ['text after the closing quote', "MAIL_FROM='it's me'\n", 1, "unexpected text after the closing ' quote of MAIL_FROM"],
  ])('malformed (%s): one line naming the file and line, not the content; nothing applied', (_what, text, line, problem) => {
    const cwd = folderWith(text);
    const env: NodeJS.ProcessEnv = {};
    let error: unknown;
    try {
      loadDotEnv({ cwd, env });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DotEnvError);
    const message = (error as Error).message;
    expect(message.startsWith(`${join(cwd, '.env')} line ${line}: `)).toBe(true);
    expect(message).toContain(problem);
    expect(message).not.toContain('\n');
    expect(message).not.toContain('secret');
    expect(env).toEqual({});
  });
});

describe('parseDotEnv: what Node reads, checked strictly', () => {
  it('comments, export, quotes, multi-line values, empty values, CRLF, a BOM', () => {
    const text =
      '\uFEFF# comment\r\n' +
      'export SLACK_APP_TOKEN=xapp-1\r\n' +
      'PORT=\r\n' +
      'DATABASE_URL="postgresql://crm@db:5432/crm?sslmode=require" # production\n' +
      "MAIL_FROM='CRM <crm@example.org>'\n" +
      'LOG_LEVEL=warn # quieter\n' +
      'NOTE="two\nlines"\n' +
      '  SPACED = value with spaces  \n';
    expect(parseDotEnv(text)).toEqual({
      SLACK_APP_TOKEN: 'xapp-1',
      PORT: '',
      DATABASE_URL: 'postgresql://crm@db:5432/crm?sslmode=require',
      MAIL_FROM: 'CRM <crm@example.org>',
      LOG_LEVEL: 'warn',
      NOTE: 'two\nlines',
      SPACED: 'value with spaces',
    });
  });

  it('.env.example as shipped is well-formed and sets nothing', async () => {
    const { readFileSync } = await import('node:fs');
    const values = parseDotEnv(readFileSync(new URL('../../.env.example', import.meta.url), 'utf8'));
    expect(Object.keys(values).length).toBeGreaterThan(10);
    for (const v of Object.values(values)) expect(v).toBe('');
  });
});
