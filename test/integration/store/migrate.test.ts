import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  applyMigrations,
  checksumOf,
  DEFAULT_MIGRATIONS_DIR,
  MigrationError,
  readMigrations,
} from '../../../src/store/migrate.ts';
import { BACKENDS, createPostgresDatabase, openTestDatabase, postgresExecutor, type TestDatabase } from '../../helpers/db.ts';

const LABEL = import.meta.url;

async function copyMigrations(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'crm-migrations-'));
  await cp(DEFAULT_MIGRATIONS_DIR, dir, { recursive: true });
  return dir;
}

async function expectMigrationError(p: Promise<unknown>, code: MigrationError['code']): Promise<MigrationError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(MigrationError);
  expect((e as MigrationError).code).toBe(code);
  return e as MigrationError;
}

describe.each(BACKENDS)('migrations on %s', (backend) => {
  let db: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    dir = await copyMigrations();
    db = await openTestDatabase(backend, LABEL, { migrate: false });
  });
  afterAll(async () => {
    await db?.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('applies every migration once, then nothing', async () => {
    const names = (await readMigrations(dir)).map((m) => m.name);
    expect(names.length).toBeGreaterThan(0);
    expect(await applyMigrations(db.sql, dir)).toEqual({ applied: names, alreadyApplied: [], unknown: [] });
    expect(await applyMigrations(db.sql, dir)).toEqual({ applied: [], alreadyApplied: names, unknown: [] });
    await db.ping();
    expect(await db.prisma.consultation.count()).toBe(0);
  });

  it("keeps _prisma_migrations in Prisma's own shape, with the SHA-256 of each file", async () => {
    const columns = await db.sql.query<Record<string, unknown>>(
      `SELECT column_name, data_type, character_maximum_length AS len, is_nullable, column_default
       FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = '_prisma_migrations'
       ORDER BY ordinal_position`,
    );
    expect(columns.rows).toEqual([
      { column_name: 'id', data_type: 'character varying', len: 36, is_nullable: 'NO', column_default: null },
      { column_name: 'checksum', data_type: 'character varying', len: 64, is_nullable: 'NO', column_default: null },
      { column_name: 'finished_at', data_type: 'timestamp with time zone', len: null, is_nullable: 'YES', column_default: null },
      { column_name: 'migration_name', data_type: 'character varying', len: 255, is_nullable: 'NO', column_default: null },
      { column_name: 'logs', data_type: 'text', len: null, is_nullable: 'YES', column_default: null },
      { column_name: 'rolled_back_at', data_type: 'timestamp with time zone', len: null, is_nullable: 'YES', column_default: null },
      { column_name: 'started_at', data_type: 'timestamp with time zone', len: null, is_nullable: 'NO', column_default: 'now()' },
      { column_name: 'applied_steps_count', data_type: 'integer', len: null, is_nullable: 'NO', column_default: '0' },
    ]);
    const pk = await db.sql.query<{ def: string }>(
      `SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = '_prisma_migrations'::regclass AND contype = 'p'`,
    );
    expect(pk.rows).toEqual([{ def: 'PRIMARY KEY (id)' }]);

    const rows = await db.sql.query<{
      id: string;
      checksum: string;
      migration_name: string;
      finished_at: Date | null;
      started_at: Date;
      logs: string | null;
      rolled_back_at: Date | null;
      applied_steps_count: number;
    }>('SELECT * FROM _prisma_migrations ORDER BY migration_name');
    const files = await readMigrations(dir);
    expect(rows.rows).toHaveLength(files.length);
    for (const [i, file] of files.entries()) {
      const row = rows.rows[i]!;
      const bytes = await readFile(join(dir, file.name, 'migration.sql'));
      expect(row.migration_name).toBe(file.name);
      expect(row.checksum).toBe(checksumOf(bytes));
      expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(row.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.finished_at!.getTime()).toBeGreaterThanOrEqual(new Date(row.started_at).getTime());
      expect(row.logs).toBeNull();
      expect(row.rolled_back_at).toBeNull();
      expect(row.applied_steps_count).toBe(1);
    }
  });

  it('refuses an applied migration whose file changed, and tolerates a CRLF-only change', async () => {
    const [first] = await readMigrations(dir);
    const file = join(dir, first!.name, 'migration.sql');
    const original = await readFile(file, 'utf8');
    try {
      await writeFile(file, original.replaceAll('\n', '\r\n'));
      expect((await applyMigrations(db.sql, dir)).applied).toEqual([]);

      await writeFile(file, original + '\n-- an innocent-looking edit\n');
      const e = await expectMigrationError(applyMigrations(db.sql, dir), 'checksum_mismatch');
      expect(e.migration).toBe(first!.name);
      expect(e.message).toContain('modified after it was applied');
    } finally {
      await writeFile(file, original);
    }
  });

  it('applies a new migration and rolls back a failing one completely', async () => {
    const extra = await copyMigrations();
    try {
      const good = '29991231000000_add_note';
      const bad = '29991231000001_broken';
      await mkdir(join(extra, good));
      await writeFile(join(extra, good, 'migration.sql'), 'CREATE TABLE "note" ("id" INTEGER NOT NULL);\n');
      await mkdir(join(extra, bad));
      await writeFile(join(extra, bad, 'migration.sql'), 'CREATE TABLE "half" ("id" INTEGER);\nSELECT no_such_function();\n');

      const e = await expectMigrationError(applyMigrations(db.sql, extra), 'migration_failed');
      expect(e.migration).toBe(bad);
      const tables = await db.sql.query<{ t: string | null }>(
        `SELECT to_regclass('note')::text AS t UNION ALL SELECT to_regclass('half')::text`,
      );
      expect(tables.rows.map((r) => r.t)).toEqual(['note', null]);
      const recorded = await db.sql.query<{ migration_name: string }>(
        `SELECT migration_name FROM _prisma_migrations WHERE migration_name IN ($1, $2)`,
        [good, bad],
      );
      expect(recorded.rows.map((r) => r.migration_name)).toEqual([good]);

      // The original folder now lacks `good`: reported, not refused.
      expect((await applyMigrations(db.sql, dir)).unknown).toEqual([good]);
    } finally {
      await rm(extra, { recursive: true, force: true });
    }
  });

  it('refuses to go on past a migration Prisma recorded as started but unfinished', async () => {
    await db.sql.query(
      `INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, applied_steps_count)
       VALUES ('00000000-0000-4000-8000-000000000000', $1, '29991231000002_crashed', now(), 0)`,
      ['0'.repeat(64)],
    );
    try {
      const e = await expectMigrationError(applyMigrations(db.sql, dir), 'unfinished_migration');
      expect(e.migration).toBe('29991231000002_crashed');
      // Marked rolled back (what `prisma migrate resolve --rolled-back` does): ignored again.
      await db.sql.query(`UPDATE _prisma_migrations SET rolled_back_at = now() WHERE migration_name = '29991231000002_crashed'`);
      expect((await applyMigrations(db.sql, dir)).applied).toEqual([]);
    } finally {
      await db.sql.query(`DELETE FROM _prisma_migrations WHERE migration_name = '29991231000002_crashed'`);
    }
  });

  it('keeps consultation_events append-only: UPDATE, DELETE and TRUNCATE raise', async () => {
    await db.sql.query(
      `INSERT INTO consultations (id, reference, stage, title, version, snapshot) VALUES ('c1', 'CRM-2026-001', 'draft', 't', 1, '{}')`,
    );
    await db.sql.query(
      `INSERT INTO consultation_events (consultation_id, seq, type, payload, actor_platform, at) VALUES ('c1', 1, 'created', '{}', 'cli', now())`,
    );
    await expect(db.sql.query(`UPDATE consultation_events SET type = 'forged'`)).rejects.toThrow(/append-only: UPDATE/);
    await expect(db.sql.query(`DELETE FROM consultation_events`)).rejects.toThrow(/append-only: DELETE/);
    await expect(db.sql.query(`TRUNCATE consultation_events`)).rejects.toThrow(/append-only: TRUNCATE/);
    await expect(db.sql.query(`TRUNCATE consultations CASCADE`)).rejects.toThrow(/append-only: TRUNCATE/);
    await expect(db.sql.query(`DELETE FROM consultations WHERE id = 'c1'`)).rejects.toThrow(/foreign key/);
    await expect(db.sql.query(`UPDATE consultations SET id = 'c2' WHERE id = 'c1'`)).rejects.toThrow(/append-only: UPDATE/);
    await expect(db.prisma.consultationEvent.deleteMany({})).rejects.toThrow(/append-only/);
    const left = await db.sql.query<{ type: string }>('SELECT type FROM consultation_events');
    expect(left.rows).toEqual([{ type: 'created' }]);
    // Appending still works.
    await db.sql.query(
      `INSERT INTO consultation_events (consultation_id, seq, type, payload, actor_platform, at) VALUES ('c1', 2, 'next', '{}', 'cli', now())`,
    );
  });

  it('refuses a CHECK-violating outbox status', async () => {
    await expect(
      db.sql.query(
        `INSERT INTO outbox (id, dedupe_key, platform, recipient, kind, payload, status) VALUES ('o1', 'k', 'slack', '{}', 'x', '{}', 'lost')`,
      ),
    ).rejects.toThrow(/outbox_status_check/);
  });
});

describe('migrations applied by two processes at once (PostgreSQL)', () => {
  it('applies each migration exactly once', async () => {
    const pgdb = await createPostgresDatabase(LABEL);
    const a = postgresExecutor(pgdb.url);
    const b = postgresExecutor(pgdb.url);
    try {
      const names = (await readMigrations()).map((m) => m.name);
      const [ra, rb] = await Promise.all([applyMigrations(a), applyMigrations(b)]);
      expect([...ra.applied, ...rb.applied].sort()).toEqual(names);
      expect([...ra.alreadyApplied, ...rb.alreadyApplied].sort()).toEqual(names);
      const rows = await a.query<{ n: number }>('SELECT count(*)::int AS n FROM _prisma_migrations');
      expect(rows.rows[0]!.n).toBe(names.length);
    } finally {
      await a.end();
      await b.end();
      await pgdb.drop();
    }
  });
});
