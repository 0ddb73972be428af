import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, REDACTED, withContext } from '../../src/log.ts';

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
      },
      'hello',
    );
    const line = JSON.stringify(lines[0]);
    for (const secret of ['xoxb-1', 'xoxb-2', 'luis@example.org', 'Bearer abc', 'sid=1', 'v0=ff', 'texto íntegro', 'v2 text', 'u:p@h']) {
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
