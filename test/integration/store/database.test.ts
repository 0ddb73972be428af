import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/store/database.ts';
import { readMigrations } from '../../../src/store/migrate.ts';
import { createPostgresDatabase } from '../../helpers/db.ts';

describe('openDatabase', () => {
  it('opens PGlite in a data folder it creates, migrates once, and keeps data across reopen', async () => {
    const parent = await mkdtemp(join(tmpdir(), 'crm-data-'));
    const dataDir = join(parent, 'nested', 'db');
    const names = (await readMigrations()).map((m) => m.name);
    try {
      const first = await openDatabase({ dataDir });
      expect(first.kind).toBe('pglite');
      expect(first.migrations?.applied).toEqual(names);
      await first.ping();
      await first.prisma.referenceCounter.create({ data: { year: 2026, last: 7 } });
      await first.close();
      await first.close(); // twice is fine
      expect((await readdir(dataDir)).length).toBeGreaterThan(0);

      const again = await openDatabase({ dataDir });
      expect(again.migrations).toEqual({ applied: [], alreadyApplied: names, unknown: [] });
      expect(await again.prisma.referenceCounter.findUnique({ where: { year: 2026 } })).toEqual({ year: 2026, last: 7 });
      await again.close();
      await expect(again.ping()).rejects.toThrow();
    } finally {
      await rm(parent, { recursive: true, force: true });
    }
  });

  it('opens PostgreSQL from a URL; skips migrations when asked', async () => {
    const pgdb = await createPostgresDatabase('database');
    try {
      const bare = await openDatabase({ databaseUrl: pgdb.url, dataDir: 'unused' }, { migrate: false });
      expect(bare.kind).toBe('postgres');
      expect(bare.migrations).toBeUndefined();
      await bare.ping();
      const t = await bare.sql.query<{ t: string | null }>(`SELECT to_regclass('consultations')::text AS t`);
      expect(t.rows[0]!.t).toBeNull();
      await bare.close();

      const db = await openDatabase({ databaseUrl: pgdb.url, dataDir: 'unused' });
      expect(db.migrations?.applied.length).toBeGreaterThan(0);
      expect(await db.prisma.consultation.count()).toBe(0);
      await db.close();
      await db.close();
    } finally {
      await pgdb.drop();
    }
  });

  it('fails clearly when PostgreSQL is unreachable, and leaves nothing open', async () => {
    await expect(openDatabase({ databaseUrl: 'postgresql://postgres@127.0.0.1:1/none', dataDir: 'unused' })).rejects.toThrow(/ECONNREFUSED|connect/);
  });
});
