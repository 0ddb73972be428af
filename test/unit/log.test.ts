import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { addLogSecret, createLogger, EMAIL_REDACTED, REDACTED, scrubLine, secretsInEnv, withContext } from '../../src/log.ts';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const l of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(l) as Record<string, unknown>);
      cb();
    },
  });
  return { lines, destination };
}

describe('createLogger', () => {
  it('redacts secrets, personal data and proposal text at any of the first three levels', () => {
    const { lines, destination } = capture();
    const log = createLogger('info', { destination });
    log.info(
      {
        token: 'xoxb-1',
        email: 'luis@example.org',
        req: { headers: { authorization: 'Bearer abc', cookie: 'sid=1', 'x-slack-signature': 'v0=ff', host: 'h' } },
        person: { name: 'Luis Mora', email: 'luis@example.org' },
        consultation: { title: 'Declaración', proposal: 'texto íntegro', meta: { text: 'v2 text', reason: 'r' } },
        config: { slack: { botToken: 'xoxb-2', signingSecret: 's' }, databaseUrl: 'postgres://u:p@h/db' },
        response_url: 'https://hooks.slack.com/actions/T0/1/top-hook',
        body: { response_url: 'https://hooks.slack.com/actions/T0/2/body-hook' },
        payload: { updates: { channel: 'D1', ts: '1.2', responseUrl: 'https://hooks.slack.com/actions/T0/3/row-hook' } },
      },
      'hello',
    );
    const line = JSON.stringify(lines[0]);
    for (const secret of ['xoxb-1', 'xoxb-2', 'luis@example.org', 'Bearer abc', 'sid=1', 'v0=ff', 'texto íntegro', 'v2 text', 'u:p@h', 'top-hook', 'body-hook', 'row-hook']) {
      expect(line).not.toContain(secret);
    }
    expect(line).toContain(REDACTED);
    expect(lines[0]).toMatchObject({
      level: 'info',
      msg: 'hello',
      service: 'crm-bot',
      person: { name: 'Luis Mora' },
      consultation: { title: 'Declaración' },
      req: { headers: { host: 'h' } },
      payload: { updates: { channel: 'D1', ts: '1.2', responseUrl: REDACTED } },
    });
  });

  it('child loggers carry consultationId and jobId; the level filters', () => {
    const { lines, destination } = capture();
    const log = createLogger('warn', { destination });
    const child = withContext(log, { consultationId: 'c-1', jobId: 'remind:c-1:2' });
    child.info('dropped');
    child.warn('kept');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ consultationId: 'c-1', jobId: 'remind:c-1:2', msg: 'kept', level: 'warn' });
    expect(typeof lines[0]?.time).toBe('string');
  });
});

describe('censoring by value (the net under the key redaction)', () => {
  it('takes every configured secret and every e-mail address out of a line, whatever its shape', () => {
    const { lines, destination } = capture();
    const env = {
      SLACK_BOT_TOKEN: 'xoxb-unit-4242-secret',
      SLACK_SIGNING_SECRET: 'unit-signing-secret-99',
      DATABASE_URL: 'postgresql://crm:p%40ss-w0rd!x@db.internal:5432/crm',
      REDIS_URL: 'redis://:redis-pass-123@cache:6379/0',
      PORT: '3000',
    };
    const secrets = secretsInEnv(env);
    expect(secrets).toEqual(expect.arrayContaining(['xoxb-unit-4242-secret', 'unit-signing-secret-99', 'p%40ss-w0rd!x', 'p@ss-w0rd!x', 'redis-pass-123']));
    expect(secrets).not.toContain('3000');
    const log = createLogger('info', { destination, secrets });
    // An HTTP client error as libraries build them: the request's headers nested deep, a URL in a string.
    const err = Object.assign(new Error('connect ECONNREFUSED for luis.mora@example.org'), {
      original: { config: { headers: { Authorization: 'Bearer xoxb-unit-4242-secret' }, url: 'postgresql://crm:p@ss-w0rd!x@db.internal/crm' } },
    });
    log.error({ err, detail: { who: 'ana@example.org', deep: { deeper: { sig: 'unit-signing-secret-99' } } } }, 'failed for ana.rojas@example.org with redis-pass-123');
    const line = JSON.stringify(lines[0]);
    for (const leak of ['xoxb-unit-4242-secret', 'unit-signing-secret-99', 'p@ss-w0rd!x', 'redis-pass-123', '@example.org']) expect(line).not.toContain(leak);
    expect(line).toContain(REDACTED);
    expect(line).toContain(EMAIL_REDACTED);
    expect(lines[0]).toMatchObject({ level: 'error', err: { message: `connect ECONNREFUSED for ${EMAIL_REDACTED}` } });
  });

  it('keeps Teams conversation ids, host names and short values (which would blank ordinary words)', () => {
    expect(scrubLine('{"conversation":"19:abc123@thread.tacv2","chat":"a:1@unq.gbl.spaces"}')).toBe('{"conversation":"19:abc123@thread.tacv2","chat":"a:1@unq.gbl.spaces"}');
    expect(scrubLine('{"host":"postgres@127.0.0.1:5432"}')).toBe('{"host":"postgres@127.0.0.1:5432"}');
    addLogSecret('abc');
    expect(scrubLine('{"msg":"abc"}')).toBe('{"msg":"abc"}');
    addLogSecret('quote"d-secret');
    expect(scrubLine(JSON.stringify({ msg: 'x quote"d-secret y' }))).toBe(`{"msg":"x ${REDACTED} y"}`);
  });
});
