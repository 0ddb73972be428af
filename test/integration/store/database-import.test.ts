/**
 * openDatabase on the embedded database when PGlite cannot be loaded (a broken install): the open fails and
 * the data folder is left unlocked (the import runs before the lock is taken).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { lockDataDir } from '../../../src/store/data-dir-lock.ts';

afterEach(() => {
  vi.doUnmock('pglite-prisma-adapter');
  vi.resetModules();
});

describe('openDatabase when PGlite fails to load', () => {
  it('rejects and leaves the data folder unlocked', async () => {
    const parent = await mkdtemp(join(tmpdir(), 'crm-data-import-'));
    const dataDir = join(parent, 'db');
    try {
      vi.resetModules();
      vi.doMock('pglite-prisma-adapter', () => {
        throw new Error('cannot load the adapter');
      });
      const { openDatabase } = await import('../../../src/store/database.ts');
      await expect(openDatabase({ dataDir })).rejects.toThrow();
      // The folder is free: this process can lock it (a leaked lock would say it is in use by this pid).
      const unlock = await lockDataDir(dataDir);
      await unlock();
    } finally {
      await rm(parent, { recursive: true, force: true });
    }
  });
});
