import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataDirInUseError } from '../../../src/store/data-dir-lock.ts';
import { openDatabase } from '../../../src/store/database.ts';
import { runBin } from '../../helpers/run-bin.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crm-lock-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('one process at a time on an embedded data folder', () => {
  it('a second open is refused while the first is open, and allowed after it closes', async () => {
    const dataDir = join(dir, 'a');
    const first = await openDatabase({ dataDir });
    await expect(openDatabase({ dataDir })).rejects.toBeInstanceOf(DataDirInUseError);
    await first.close();
    const second = await openDatabase({ dataDir });
    await second.close();
  });

  it('a lock left by a process that is gone is taken over', async () => {
    const dataDir = join(dir, 'b');
    const db = await openDatabase({ dataDir });
    await db.close();
    const gone = spawn(process.execPath, ['-e', '0']);
    const pid = gone.pid!;
    await new Promise((r) => gone.on('exit', r));
    await writeFile(join(dataDir, 'crm.lock'), `${pid}\n`);
    const again = await openDatabase({ dataDir });
    expect((await readFile(join(dataDir, 'crm.lock'), 'utf8')).trim()).toBe(String(process.pid));
    await again.close();
  });

  it('the CLI says so in one line while another process holds the folder', { timeout: 120_000 }, async () => {
    const dataDir = join(dir, 'c');
    const db = await openDatabase({ dataDir });
    try {
      const r = await runBin('crm', ['consultations'], { CRM_DATA_DIR: dataDir });
      expect(r.code).toBe(1);
      expect(r.stderr.trim()).toBe(
        `crm consultations: The embedded database in ${dataDir} is in use by another process (pid ${process.pid}, e.g. the running bot). Stop that process first, or run both against PostgreSQL (DATABASE_URL).`,
      );
    } finally {
      await db.close();
    }
  });
});
