/**
 * src/config.ts against shared/interfaces.md "Process": defaults when unset, and a clear message naming
 * the variable when a value is wrong.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ConfigError, EXAMPLE_DIRECTORY, loadConfig } from '../../src/config.ts';

const root = resolve(import.meta.dirname, '../..');
const VARIABLES = [
  'PORT',
  'CRM_DIRECTORY',
  'CRM_DATA_DIR',
  'DATABASE_URL',
  'REDIS_URL',
  'SLACK_SIGNING_SECRET',
  'SLACK_BOT_TOKEN',
  'SLACK_APP_TOKEN',
  'SLACK_API_URL',
  'LOG_LEVEL',
  'CRM_WEEKLY_DIGEST',
  'CRM_JOBS_PREFIX',
  'OTEL_EXPORTER_OTLP_ENDPOINT',
  // E-mail (src/adapters/email/config.ts)
  'SMTP_URL',
  'MAIL_FROM',
  'PUBLIC_URL',
  'CRM_LINK_SECRET',
  'CRM_LINK_TTL_DAYS',
  // Microsoft Teams (src/adapters/teams/config.ts)
  'TEAMS_APP_ID',
  'TEAMS_APP_PASSWORD',
  'TEAMS_TENANT_ID',
  'TEAMS_CLOUD',
  'TEAMS_SERVICE_URL',
  'TEAMS_LOGIN_URL',
  'TEAMS_OPENID_METADATA_URL',
  // The local console (src/adapters/console/config.ts)
  'CRM_CONSOLE',
];

function problems(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).problems;
  }
  throw new Error('expected loadConfig to throw');
}

describe('loadConfig defaults (nothing set)', () => {
  const c = loadConfig({});
  it.each([
    ['PORT', c.port, 3000],
    ['CRM_DIRECTORY', c.directoryPath, 'config/directory.example.yaml'],
    ['CRM_DATA_DIR', c.dataDir, '.crm-data'],
    ['DATABASE_URL', c.databaseUrl, undefined],
    ['REDIS_URL', c.redisUrl, undefined],
    ['SLACK_* (Slack off)', c.slack, undefined],
    ['LOG_LEVEL', c.logLevel, 'info'],
  ])('%s', (_name, actual, expected) => {
    expect(actual).toEqual(expected);
  });
  it('says when the example directory is used', () => {
    expect(c.directoryIsExample).toBe(true);
    expect(EXAMPLE_DIRECTORY).toBe('config/directory.example.yaml');
  });
  it('does not read process.env when given an env object', () => {
    const saved = process.env.PORT;
    process.env.PORT = '4567';
    try {
      expect(loadConfig({}).port).toBe(3000);
    } finally {
      if (saved === undefined) delete process.env.PORT;
      else process.env.PORT = saved;
    }
  });
});

describe('loadConfig with values', () => {
  it('reads every variable', () => {
    const c = loadConfig({
      PORT: '8080',
      CRM_DIRECTORY: '/etc/crm/directory.yaml',
      CRM_DATA_DIR: '/var/lib/crm',
      DATABASE_URL: 'postgresql://crm:pw@db:5432/crm',
      REDIS_URL: 'rediss://cache:6380/0',
      SLACK_SIGNING_SECRET: 'sig',
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_APP_TOKEN: 'xapp-test',
      SLACK_API_URL: 'http://127.0.0.1:4010/api/',
      LOG_LEVEL: 'debug',
      CRM_WEEKLY_DIGEST: 'off',
    });
    expect(c).toEqual({
      port: 8080,
      directoryPath: '/etc/crm/directory.yaml',
      directoryIsExample: false,
      dataDir: '/var/lib/crm',
      databaseUrl: 'postgresql://crm:pw@db:5432/crm',
      redisUrl: 'rediss://cache:6380/0',
      slack: { signingSecret: 'sig', botToken: 'xoxb-test', appToken: 'xapp-test', apiUrl: 'http://127.0.0.1:4010/api/' },
      logLevel: 'debug',
      weeklyDigest: false,
    });
  });

  it('CRM_WEEKLY_DIGEST: on by default; anything but on/off is refused with the variable named', () => {
    expect(loadConfig({}).weeklyDigest).toBe(true);
    expect(loadConfig({ CRM_WEEKLY_DIGEST: 'on' }).weeklyDigest).toBe(true);
    expect(problems({ CRM_WEEKLY_DIGEST: 'yes' })).toEqual(['CRM_WEEKLY_DIGEST: expected on or off']);
  });

  it('CRM_JOBS_PREFIX: unset by default; a name that is not an identifier is refused with the variable named', () => {
    expect(loadConfig({}).jobsPrefix).toBeUndefined();
    expect(loadConfig({ CRM_JOBS_PREFIX: 'crm_staging' }).jobsPrefix).toBe('crm_staging');
    expect(problems({ CRM_JOBS_PREFIX: 'crm-staging' })).toEqual(['CRM_JOBS_PREFIX: expected letters, digits and _ (at most 63), not starting with a digit']);
  });

  it('OTEL_EXPORTER_OTLP_ENDPOINT: tracing off by default; an http(s) URL turns it on; anything else is refused with the variable named', () => {
    expect(loadConfig({}).otlpEndpoint).toBeUndefined();
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: '  ' }).otlpEndpoint).toBeUndefined();
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://localhost:4318' }).otlpEndpoint).toBe('http://localhost:4318');
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'https://otel.example.org/otlp/' }).otlpEndpoint).toBe('https://otel.example.org/otlp/');
    for (const bad of ['localhost:4318', 'grpc://collector:4317', 'http://', 'http://collector :4318', 'not a url']) {
      const [line, ...rest] = problems({ OTEL_EXPORTER_OTLP_ENDPOINT: bad });
      expect(rest, bad).toEqual([]);
      expect(line, bad).toMatch(/^OTEL_EXPORTER_OTLP_ENDPOINT: expected an http:\/\/ or https:\/\/ URL/);
      expect(line, bad).toContain('se esperaba una URL');
    }
  });

  it('accepts postgres:// as well as postgresql://, and redis://', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://h/db' }).databaseUrl).toBe('postgres://h/db');
    expect(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379' }).redisUrl).toBe('redis://127.0.0.1:6379');
  });

  it('treats blank strings as unset for optional text variables', () => {
    const c = loadConfig({ DATABASE_URL: '  ', REDIS_URL: '', CRM_DIRECTORY: '', SLACK_BOT_TOKEN: ' ' });
    expect(c.databaseUrl).toBeUndefined();
    expect(c.redisUrl).toBeUndefined();
    expect(c.directoryIsExample).toBe(true);
    expect(c.slack).toBeUndefined();
  });

  it('turns Slack on with any one Slack credential, with the default API URL', () => {
    expect(loadConfig({ SLACK_APP_TOKEN: 'xapp-1' }).slack).toEqual({
      signingSecret: undefined,
      botToken: undefined,
      appToken: 'xapp-1',
      apiUrl: 'https://slack.com/api/',
    });
  });

  it('PORT 0 is allowed (pick a free port)', () => {
    expect(loadConfig({ PORT: '0' }).port).toBe(0);
  });
});

describe('loadConfig errors name the variable', () => {
  it.each([
    [{ DATABASE_URL: 'mysql://h/db' }, /^DATABASE_URL: .*postgres/],
    [{ DATABASE_URL: 'localhost:5432' }, /^DATABASE_URL: /],
    [{ REDIS_URL: 'http://cache:6379' }, /^REDIS_URL: .*redis/],
    [{ PORT: 'abc' }, /^PORT: /],
    [{ PORT: '70000' }, /^PORT: /],
    [{ PORT: '-1' }, /^PORT: /],
    [{ PORT: '80.5' }, /^PORT: /],
    [{ SLACK_API_URL: 'https://slack.com/api' }, /^SLACK_API_URL: .*\/api\//],
    [{ SLACK_API_URL: 'not a url/api/' }, /^SLACK_API_URL: /],
    [{ LOG_LEVEL: 'verbose' }, /^LOG_LEVEL: /],
  ])('%o', (env, message) => {
    const p = problems(env);
    expect(p).toHaveLength(1);
    expect(p[0]).toMatch(message);
  });

  it('reports every bad variable at once, one line each, in the error message', () => {
    try {
      loadConfig({ DATABASE_URL: 'mysql://x', REDIS_URL: 'x', PORT: 'abc' });
      expect.unreachable();
    } catch (e) {
      const err = e as ConfigError;
      expect(err.problems.map((p) => p.split(':')[0]).sort()).toEqual(['DATABASE_URL', 'PORT', 'REDIS_URL']);
      expect(err.message).toMatch(/^Invalid configuration:\n {2}/);
    }
  });
});

describe('blank values mean unset', () => {
  it('an empty PORT= (as in an env file) means unset → 3000, not port 0', () => {
    expect(loadConfig({ PORT: '' }).port).toBe(3000);
  });
  it('an empty LOG_LEVEL= means unset → info', () => {
    expect(loadConfig({ LOG_LEVEL: '' }).logLevel).toBe('info');
  });
});

describe('deployment files agree with the configuration', () => {
  const envExample = readFileSync(resolve(root, '.env.example'), 'utf8');

  it('.env.example names every variable of interfaces.md, with no values that look like secrets', () => {
    const named = new Set([...envExample.matchAll(/^#? ?([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]));
    expect([...named].sort()).toEqual([...VARIABLES].sort());
    for (const m of envExample.matchAll(/^([A-Z][A-Z0-9_]+)=(.*)$/gm)) expect(m[2], m[1]).toBe('');
  });

  it('.env.example, used as is, gives the defaults', () => {
    const env: Record<string, string> = {};
    for (const m of envExample.matchAll(/^([A-Z][A-Z0-9_]+)=(.*)$/gm)) env[m[1] as string] = m[2] as string;
    expect(loadConfig(env)).toEqual(loadConfig({}));
  });

  it('docker-compose.yml parses; Redis is set up for BullMQ; the bot environment is valid', () => {
    interface Compose {
      services: Record<string, { command?: string[]; environment?: Record<string, string>; depends_on?: unknown; healthcheck?: unknown }>;
    }
    const compose = parse(readFileSync(resolve(root, 'docker-compose.yml'), 'utf8'), { uniqueKeys: true }) as Compose;
    const { postgres, redis, bot } = compose.services;
    // The bot waits for both to be healthy, so each must say how it is checked.
    expect(postgres?.healthcheck).toMatchObject({ test: expect.arrayContaining([expect.stringMatching(/^pg_isready /)]) });
    expect(redis?.healthcheck).toMatchObject({ test: ['CMD', 'redis-cli', 'ping'] });
    expect(redis?.command?.join(' ')).toMatch(/--appendonly yes/);
    expect(redis?.command?.join(' ')).toMatch(/--maxmemory-policy noeviction/);
    expect(bot?.depends_on).toEqual({ postgres: { condition: 'service_healthy' }, redis: { condition: 'service_healthy' } });
    const env = Object.fromEntries(
      Object.entries(bot?.environment ?? {}).map(([k, v]) => [k, v.replace(/\$\{\w+:-([^}]*)\}/g, '$1')]),
    );
    const config = loadConfig(env);
    expect(config).toMatchObject({ port: 3000, databaseUrl: 'postgresql://crm:crm-local-only@postgres:5432/crm', redisUrl: 'redis://redis:6379' });
  });
});
