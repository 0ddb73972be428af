/**
 * `crm backup FILE` and `crm restore FILE` on the embedded PGlite database, through the CLI commands:
 * a consultation played through the flows in one data folder, backed up, restored into a new folder, and
 * every row of the consultations, their events, the outbox, the command log and the directory compared.
 * And the refusals: a data folder in use (the bot's lock), an existing backup file, a non-empty target
 * without --force, files that are not backups (each changing nothing), and DATABASE_URL (pg_dump).
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEngine } from '../../../src/app/context.ts';
import { run as backup } from '../../../src/cli/commands/backup.ts';
import { run as restore } from '../../../src/cli/commands/restore.ts';
import type { CliIo } from '../../../src/cli/io.ts';
import { EXAMPLE_DIRECTORY } from '../../../src/config.ts';
import type { CommandActor } from '../../../src/domain/types.ts';
import { reactTroika, recordPosition, startConsultation } from '../../../src/flows/consultation-flows.ts';
import { identify } from '../../../src/flows/people.ts';
import { openDatabase } from '../../../src/store/database.ts';
import { lockDataDir } from '../../../src/store/data-dir-lock.ts';

let root: string;
let source: string;
const file = () => join(root, 'crm.backup.tar.gz');

function io() {
  const out: string[] = [];
  const err: string[] = [];
  const cli: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l) };
  return { cli, out, err };
}
const env = (dataDir: string, extra: Record<string, string> = {}) => ({ CRM_DATA_DIR: dataDir, ...extra });

/** Every row that is the record, in a stable order. */
async function rows(dataDir: string) {
  const db = await openDatabase({ dataDir }, { migrate: false });
  try {
    const q = async (sql: string) => (await db.sql.query(sql)).rows;
    return {
      consultations: await q('SELECT * FROM consultations ORDER BY id'),
      events: await q('SELECT * FROM consultation_events ORDER BY consultation_id, seq'),
      outbox: await q('SELECT * FROM outbox ORDER BY id'),
      commands: await q('SELECT * FROM command_log ORDER BY key'),
      directories: await q('SELECT * FROM directory_imports ORDER BY id'),
      migrations: await q('SELECT migration_name, checksum FROM _prisma_migrations ORDER BY migration_name'),
    };
  } finally {
    await db.close();
  }
}

/** A ustar entry (512-byte header + data), for files that are not backups. */
function tarEntry(name: string, data = '', type = '0'): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0, 100);
  h.write('0000644\0', 100);
  h.write('0000000\0', 108);
  h.write('0000000\0', 116);
  h.write(`${Buffer.byteLength(data).toString(8).padStart(11, '0')}\0`, 124);
  h.write('00000000000\0', 136);
  h.write('        ', 148);
  h.write(type, 156);
  h.write('ustar\0', 257);
  h.write('00', 263);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  const body = Buffer.alloc(Math.ceil(Buffer.byteLength(data) / 512) * 512);
  body.write(data);
  return Buffer.concat([h, body]);
}
const tarOf = (...entries: Buffer[]) => Buffer.concat([...entries, Buffer.alloc(1024)]);

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'crm-backup-'));
  source = join(root, 'data');
  // A consultation through the flows: started, sent to the Troika, approved, one position, one refusal.
  const engine = await openEngine({ port: 0, directoryPath: EXAMPLE_DIRECTORY, directoryIsExample: true, dataDir: source, logLevel: 'silent' }, { clock: () => new Date('2026-12-01T15:00:00.000Z') });
  try {
    const directory = engine.directory.current();
    const actor = (slack: string): CommandActor => identify(directory, { platform: 'slack', userId: slack })!;
    const started = await startConsultation(engine.deps, { key: 'b-start', actor: actor('U0PA0000001'), title: 'Respaldo: posición concertada', text: 'Texto de la propuesta.', deadline: { kind: 'business_days', days: 5 } });
    if (!started.ok) throw new Error(started.code);
    let state = started.state;
    for (const [k, who] of [['b-mx', 'U0MX0000001'], ['b-sv', 'U0SV0000001']] as const) {
      const r = await reactTroika(engine.deps, { key: k, actor: actor(who), consultationId: state.consultationId, version: state.currentVersion, reaction: 'approve' });
      if (!r.ok) throw new Error(r.code);
      state = r.state;
    }
    expect((await recordPosition(engine.deps, { key: 'b-cr', actor: actor('U0CR0000001'), consultationId: state.consultationId, position: 'support', version: state.currentVersion })).ok).toBe(true);
    expect((await recordPosition(engine.deps, { key: 'b-obs', actor: actor('U0JM0000001'), consultationId: state.consultationId, position: 'support', version: state.currentVersion })).ok).toBe(false);
  } finally {
    await engine.close();
  }
}, 240_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('crm backup / crm restore (embedded database)', () => {
  it('round trip: the restored folder holds the same consultations, events, outbox, command log and directory', { timeout: 300_000 }, async () => {
    const b = io();
    expect(await backup([file()], b.cli, env(source)), b.err.join('\n')).toBe(0);
    expect(b.out.join('\n')).toMatch(/to .*crm\.backup\.tar\.gz \(\d+ bytes\): 1 consultations, \d+ events, \d+ outgoing messages; PostgreSQL \d+; \d+ migrations \(latest /);
    expect(await readdir(source)).not.toContain('crm.lock'); // the lock was released

    const target = join(root, 'restored');
    const r = io();
    expect(await restore([file()], r.cli, env(target)), r.err.join('\n')).toBe(0);
    expect(r.out[0]).toMatch(/^restored .* into .*restored: 1 consultations, /);
    const names = await readdir(target);
    expect(names).toContain('PG_VERSION');
    expect(names).not.toContain('crm.lock');
    expect(names).not.toContain('queue');
    expect((await readdir(root)).filter((n) => n.includes('.restoring-'))).toEqual([]);

    const before = await rows(source);
    const after = await rows(target);
    expect(before.consultations).toHaveLength(1);
    expect(before.events.length).toBeGreaterThan(3);
    expect(before.outbox.length).toBeGreaterThan(10);
    expect(before.commands.some((c) => c.status === 'refused')).toBe(true);
    expect(after).toEqual(before);

    // The restored folder is a working database for the bot: it opens, migrated, with the same directory.
    const engine = await openEngine({ port: 0, directoryPath: EXAMPLE_DIRECTORY, directoryIsExample: true, dataDir: target, logLevel: 'silent' });
    try {
      expect(engine.db.migrations?.applied).toEqual([]);
      expect((await engine.consultations.listConsultations({})).map((c) => c.reference)).toEqual([before.consultations[0]!.reference]);
    } finally {
      await engine.close();
    }

    // Not over a non-empty folder without --force; with it, the folder is replaced (queue and all).
    const again = io();
    expect(await restore([file()], again.cli, env(target))).toBe(1);
    expect(again.err.join('\n')).toMatch(/is not empty .*--force/);
    const busy = join(root, 'busy');
    await mkdir(join(busy, 'queue'), { recursive: true });
    await writeFile(join(busy, 'queue', 'old-jobs'), 'x');
    await writeFile(join(busy, 'notes.txt'), 'x');
    const forced = io();
    expect(await restore([file(), '--force'], forced.cli, env(busy)), forced.err.join('\n')).toBe(0);
    expect((await readdir(busy)).sort()).toEqual(names.sort());
    expect((await rows(busy)).events).toEqual(before.events);
  });

  it('refuses while another process holds the data folder, and over an existing backup file', { timeout: 120_000 }, async () => {
    const unlock = await lockDataDir(source); // as the running bot does
    try {
      const b = io();
      expect(await backup([join(root, 'other.tar.gz')], b.cli, env(source))).toBe(1);
      expect(b.err.join('\n')).toMatch(/in use by another process .*Stop that process first/);
      const r = io();
      expect(await restore([file(), '--force'], r.cli, env(source))).toBe(1);
      expect(r.err.join('\n')).toMatch(/in use by another process/);
    } finally {
      await unlock();
    }
    expect((await readdir(root)).some((n) => n.startsWith('other'))).toBe(false);
    const exists = io();
    expect(await backup([file()], exists.cli, env(source))).toBe(1);
    expect(exists.err.join('\n')).toMatch(/exists; choose another name, or --force/);
    const empty = io();
    expect(await backup([join(root, 'x.tar.gz')], empty.cli, env(join(root, 'nothing-here')))).toBe(1);
    expect(empty.err.join('\n')).toMatch(/no embedded database in .*nothing-here/);
  });

  it('a file that is not a backup is refused with the reason, and the target folder is not touched', { timeout: 120_000 }, async () => {
    const good = await readFile(file());
    const cases: [string, Buffer, RegExp][] = [
      ['plain text', Buffer.from('hello'), /not gzip-compressed/],
      ['gzip of text', gzipSync('hello'), /not a tar archive/],
      ['truncated backup', gzipSync(Buffer.from(good).subarray(0, 2000)), /not gzip-compressed|not a tar archive/],
      ['a path leaving the folder', gzipSync(tarOf(tarEntry('/PG_VERSION', '18\n'), tarEntry('/../../escaped', 'x'))), /leaves the data folder/],
      ['no data folder inside', gzipSync(tarOf(tarEntry('/notes.txt', 'x'))), /no PostgreSQL data folder inside/],
      ['a symbolic link', gzipSync(tarOf(tarEntry('/PG_VERSION', '18\n'), tarEntry('/base', '', '2'))), /unexpected entry type/],
    ];
    for (const [what, bytes, reason] of cases) {
      const path = join(root, `bad-${what.replace(/\W+/g, '-')}.tar.gz`);
      await writeFile(path, bytes);
      const target = join(root, `target-${what.replace(/\W+/g, '-')}`);
      const r = io();
      expect(await restore([path], r.cli, env(target)), what).toBe(1);
      expect(r.err.join('\n'), what).toMatch(reason);
      expect(await readdir(target).catch(() => []), what).toEqual([]);
    }
    const missing = io();
    expect(await restore([join(root, 'missing.tar.gz')], missing.cli, env(join(root, 't-missing')))).toBe(1);
    expect(missing.err.join('\n')).toMatch(/cannot read .*missing\.tar\.gz: ENOENT/);
  });

  it('with DATABASE_URL: says to use pg_dump / pg_restore, without printing the URL', async () => {
    const url = 'postgresql://crm:s3cret-pass@db.example:5432/crm';
    for (const [cmd, tool] of [[backup, 'pg_dump'], [restore, 'pg_restore']] as const) {
      const r = io();
      expect(await cmd([join(root, 'pg.dump')], r.cli, env(source, { DATABASE_URL: url }))).toBe(1);
      expect(r.err.join('\n')).toContain(tool);
      expect(r.err.join('\n')).not.toContain('s3cret-pass');
    }
    const u = io();
    expect(await backup([], u.cli, env(source))).toBe(1);
    expect(u.err[0]).toMatch(/FILE is missing; usage: crm backup FILE/);
  });
});
