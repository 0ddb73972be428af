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
