/** The generated link secret, on both databases: written once (the first writer wins), read back by everyone, kept across restarts. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LinkSigner, loadLinkSecret } from '../../../src/adapters/email/links.ts';
import { AppSecretStore } from '../../../src/store/app-secret-store.ts';
import { openDatabase } from '../../../src/store/database.ts';
import { BACKENDS, createPostgresDatabase, openTestDatabase, type TestDatabase, type TestPostgres } from '../../helpers/db.ts';

describe.each(BACKENDS)('AppSecretStore on %s', (backend) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(backend, import.meta.url);
  });
  afterAll(async () => {
    await db?.dispose();
  });

  it('keeps the first value written; concurrent writers all read that one', async () => {
    const store = new AppSecretStore(db.prisma);
    const values = await Promise.all(['a', 'b', 'c', 'd'].map((v) => store.getOrCreate('race', `value-${v}`)));
    expect(new Set(values).size).toBe(1);
    expect(await store.getOrCreate('race', 'later')).toBe(values[0]);
  });
});

describe('the generated link secret across a restart (PostgreSQL)', () => {
  let pg: TestPostgres;
  beforeAll(async () => {
    pg = await createPostgresDatabase('app_secret_restart');
  });
  afterAll(async () => {
    await pg?.drop();
  });

  it('a link signed before the restart still verifies after it', async () => {
    const open = () => openDatabase({ databaseUrl: pg.url, dataDir: 'unused' });
    const first = await open();
    const a = await loadLinkSecret(undefined, new AppSecretStore(first.prisma));
    const token = new LinkSigner(a.secret).issue({ consultationId: 'c', version: 'f'.repeat(64), personId: 'p@example.org', purpose: 'member', expiresAt: new Date(Date.now() + 60_000) });
    await first.close();
    const second = await open();
    try {
      const b = await loadLinkSecret(undefined, new AppSecretStore(second.prisma));
      expect(b).toEqual({ secret: a.secret, source: 'database' });
      expect(new LinkSigner(b.secret).verify(token, new Date()).ok).toBe(true);
    } finally {
      await second.close();
    }
  });
});
