/**
 * `crm outbox`: counts and rows of the outbox the deliver job works on, on a PostgreSQL database
 * configured through DATABASE_URL as an operator would. Recipients appear by name only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../../src/cli/commands/outbox.ts';
import { usage } from '../../../src/cli/main.ts';
import { openDatabase, type Database } from '../../../src/store/database.ts';
import { OutboxStore } from '../../../src/store/outbox-store.ts';
import { createPostgresDatabase, type TestPostgres } from '../../helpers/db.ts';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => void out.push(l), err: (l: string) => void err.push(l) }, out, err };
}

describe('crm outbox', () => {
  let pgdb: TestPostgres;
  let db: Database;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    pgdb = await createPostgresDatabase(import.meta.url);
    db = await openDatabase({ databaseUrl: pgdb.url, dataDir: 'unused' });
    env = { DATABASE_URL: pgdb.url, CRM_DATA_DIR: '/nonexistent' };
  });
  afterAll(async () => {
    await db?.close();
    await pgdb?.drop();
  });

  it('says so when there is nothing', async () => {
    const c = capture();
    expect(await run([], c.io, env)).toBe(0);
    expect(c.out).toEqual(['pending 0\tsent 0\tdead 0', 'No messages yet.']);
  });

  it('lists counts and rows, by recipient name, filtered by status', async () => {
    await db.prisma.consultation.create({
      data: { id: 'c-1', reference: 'CRM-2026-004', stage: 'member_consultation', title: 'T', version: 1, snapshot: {} },
    });
    const outbox = new OutboxStore(db.prisma);
    const [a, b] = await outbox.enqueue(
      [
        { dedupeKey: 'a', platform: 'slack', recipient: { kind: 'person', personId: 'p-1', name: 'Ana Pérez', slack: 'U0ANA' }, kind: 'member_request', payload: {} },
        { dedupeKey: 'b', platform: 'unreachable', recipient: { kind: 'person', personId: 'p-2', name: 'Luis Gómez', email: 'luis@example.org' }, kind: 'reminder', payload: {} },
      ],
      'c-1',
    );
    await outbox.enqueue([{ dedupeKey: 'c', platform: 'slack', recipient: { kind: 'secretariat_channel', slack: 'C0ST' }, kind: 'dead_letter', payload: { reference: 'CRM-2026-099' } }]);
    await outbox.markSent(a!, { ts: '1' });
    await outbox.markDead(b!, 'no address for this person\non any platform');

    const all = capture();
    expect(await run([], all.io, env)).toBe(0);
    expect(all.out[0]).toBe('pending 1\tsent 1\tdead 1');
    expect(all.out[2]).toBe('created\tstatus\tkind\tplatform\trecipient\treference\tattempts\tlast error');
    expect(all.out).toHaveLength(6);
    const text = all.out.join('\n');
    expect(text).not.toMatch(/U0ANA|p-1|p-2|luis@example|C0ST/);

    const dead = capture();
    expect(await run(['--status', 'dead'], dead.io, env)).toBe(0);
    const rows = dead.out.slice(dead.out.lastIndexOf('created\tstatus\tkind\tplatform\trecipient\treference\tattempts\tlast error') + 1);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.split('\t').slice(1)).toEqual(['dead', 'reminder', 'unreachable', 'Luis Gómez', 'CRM-2026-004', '1', 'no address for this person on any platform']);

    const pending = capture();
    expect(await run(['--status', 'pending', '--limit', '5'], pending.io, env)).toBe(0);
    expect(pending.out.at(-1)!.split('\t').slice(1)).toEqual(['pending', 'dead_letter', 'slack', 'the Technical Secretariat channel', 'CRM-2026-099', '0', '-']);

    const limited = capture();
    expect(await run(['--limit', '1'], limited.io, env)).toBe(0);
    expect(limited.out.at(-1)).toBe('(showing the newest 1 of 3; --limit N for more)');
  });

  it('requeue: dead messages back to pending (attempts kept), not the ST dead letters; --since and --platform narrow it', async () => {
    const outbox = new OutboxStore(db.prisma);
    const person = (n: string) => ({ kind: 'person', personId: `p-${n}`, name: n, slack: `U0${n}` });
    const [old, slackDead, teamsDead, letter] = await outbox.enqueue([
      { dedupeKey: 'rq-old', platform: 'slack', recipient: person('OLD'), kind: 'reminder', payload: {} },
      { dedupeKey: 'rq-slack', platform: 'slack', recipient: person('S'), kind: 'member_request', payload: {} },
      { dedupeKey: 'rq-teams', platform: 'teams', recipient: person('T'), kind: 'member_request', payload: {} },
      { dedupeKey: 'rq-letter', platform: 'slack', recipient: { kind: 'secretariat_channel', slack: 'C0ST' }, kind: 'dead_letter', payload: {} },
    ]);
    await db.prisma.outboxMessage.update({ where: { id: old! }, data: { createdAt: new Date('2026-01-01T00:00:00Z') } });
    for (const id of [old!, slackDead!, teamsDead!, letter!]) {
      await outbox.markFailed(id, 'slack:service_unavailable', new Date());
      await outbox.markDead(id, 'slack:service_unavailable');
    }
    const state = async (id: string) => {
      const r = (await outbox.get(id))!;
      return `${r.status}/${r.attempts}`;
    };

    const slack = capture();
    expect(await run(['requeue', '--since', '2026-06-01T00:00:00Z', '--platform', 'slack'], slack.io, env)).toBe(0);
    expect(slack.out[0]).toMatch(/^1 dead messages back to pending \(written since 2026-06-01T00:00:00.000Z\) on slack;/);
    expect([await state(old!), await state(slackDead!), await state(teamsDead!), await state(letter!)]).toEqual(['dead/2', 'pending/2', 'dead/2', 'dead/2']);

    const rest = capture();
    expect(await run(['requeue'], rest.io, env)).toBe(0);
    expect(rest.out[0]).toMatch(/^3 dead messages back to pending; the bot's reconcile sends them/);
    expect([await state(old!), await state(teamsDead!), await state(letter!)]).toEqual(['pending/2', 'pending/2', 'dead/2']);
    expect((await outbox.get(old!))!.nextAttemptAt.getTime()).toBeLessThanOrEqual(Date.now());

    for (const [args, msg] of [
      [['requeue', '--since', 'yesterday'], /--since: expected an ISO instant/],
      [['requeue', '--platform', 'fax'], /--platform: expected slack, teams or email, got "fax"/],
      [['requeue', 'all'], /unexpected argument "all"/],
    ] as const) {
      const c = capture();
      expect(await run([...args], c.io, env)).toBe(1);
      expect(c.err.join('\n')).toMatch(msg);
    }
  });

  it('is listed in the crm usage', () => {
    expect(usage()).toContain('crm outbox [--status pending|sent|dead] [--limit N]');
  });

  it('refuses bad arguments with a message naming the flag', async () => {
    for (const [args, msg] of [
      [['--status', 'lost'], /--status: expected one of pending, sent, dead, got "lost"/],
      [['--status'], /--status: expected one of .* got nothing/],
      [['--limit', '0'], /--limit: expected a whole number/],
      [['list'], /unexpected argument "list"/],
    ] as const) {
      const c = capture();
      expect(await run([...args], c.io, env)).toBe(1);
      expect(c.err.join('\n')).toMatch(msg);
    }
  });
});
