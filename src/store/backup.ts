/**
 * Backup and restore of the embedded (PGlite) database: `crm backup FILE`, `crm restore FILE [--force]`.
 * PostgreSQL deployments use pg_dump / pg_restore instead.
 *
 * A backup is PGlite's own `dumpDataDir('gzip')` — a gzipped tar of the data folder — without the files
 * that are not the database: `crm.lock` (the pid lock of ./data-dir-lock.ts) and `queue/` (the embedded
 * BullMQ database: every job is rebuilt from the database by reconcile at start-up). It can also be loaded
 * with `PGlite.create(dir, { loadDataDir })` directly.
 *
 * Both refuse while another process (the bot) holds the data folder's lock. Restore validates the file
 * (gzip, tar, only files and folders, no path leaving the folder, a PostgreSQL data folder inside), loads it
 * into a sibling folder, opens it and counts what it holds, and only then puts it in place: into a folder
 * that is missing or empty, or with `force` over one that is not (its contents, queue included, are
 * removed). A bad file changes nothing.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { PGlite } from '@electric-sql/pglite';
import { lockDataDir } from './data-dir-lock.ts';
import { readTar, TarFormatError, writeTar, type TarEntry } from './tar.ts';

export class BackupError extends Error {
  override name = 'BackupError';
}

/** What a database holds, to show the operator and to compare in tests. */
export interface BackupContents {
  consultations: number;
  events: number;
  outbox: number;
  /** Migrations applied (`_prisma_migrations`), the latest last. */
  migrations: string[];
  /** PostgreSQL major version of the data folder (PG_VERSION). */
  postgres: string;
}

const NOT_DATABASE = (name: string): boolean => {
  const n = name.replace(/^\/+/, '');
  return n === 'crm.lock' || n === 'queue' || n.startsWith('queue/');
};

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function count(lite: PGlite, table: string): Promise<number> {
  const r = await lite.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`).catch(() => undefined);
  return r?.rows[0]?.n ?? 0;
}

async function contentsOf(lite: PGlite, postgres: string): Promise<BackupContents> {
  const migrations = await lite
    .query<{ migration_name: string }>('SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY migration_name')
    .then((r) => r.rows.map((x) => x.migration_name))
    .catch(() => []);
  return {
    consultations: await count(lite, 'consultations'),
    events: await count(lite, 'consultation_events'),
    outbox: await count(lite, 'outbox'),
    migrations,
    postgres,
  };
}

/** Writes a backup of the embedded database in `dataDir` to `file` (refused if it exists, unless `force`). */
export async function backupDataDir(dataDir: string, file: string, options: { force?: boolean } = {}): Promise<BackupContents & { bytes: number }> {
  if (!(await exists(join(dataDir, 'PG_VERSION')))) {
    throw new BackupError(`there is no embedded database in ${dataDir} (no PG_VERSION): check CRM_DATA_DIR`);
  }
  if (!options.force && (await exists(file))) throw new BackupError(`${file} exists; choose another name, or --force to replace it`);
  const unlock = await lockDataDir(dataDir);
  let archive: Buffer;
  let contents: BackupContents;
  try {
    const postgres = (await readFile(join(dataDir, 'PG_VERSION'), 'utf8')).trim();
    const lite = await PGlite.create(dataDir);
    try {
      contents = await contentsOf(lite, postgres);
      archive = Buffer.from(await (await lite.dumpDataDir('none')).arrayBuffer());
    } finally {
      await lite.close();
    }
  } finally {
    await unlock();
  }
  const kept = readTar(archive).filter((e) => !NOT_DATABASE(e.name));
  const bytes = gzipSync(writeTar(kept));
  const tmp = join(dirname(resolve(file)), `.${basename(file)}.${randomBytes(4).toString('hex')}.tmp`);
  await writeFile(tmp, bytes, { flag: 'wx' });
  await rename(tmp, file);
  return { ...contents, bytes: bytes.length };
}

/** The checked entries of a backup file; throws BackupError naming what is wrong. */
export function checkBackup(gz: Buffer, file = 'the file'): { entries: TarEntry[]; postgres: string } {
  let archive: Buffer;
  try {
    archive = gunzipSync(gz);
  } catch {
    throw new BackupError(`${file} is not a backup of the embedded database (not gzip-compressed)`);
  }
  let entries: TarEntry[];
  try {
    entries = readTar(archive);
  } catch (e) {
    const why = e instanceof TarFormatError ? e.message : 'unreadable';
    throw new BackupError(`${file} is not a backup of the embedded database (not a tar archive: ${why})`);
  }
  for (const e of entries) {
    const parts = e.name.replace(/^\/+/, '').split('/');
    if (!e.name || parts.some((p) => p === '..') || e.name.includes('\\') || e.name.includes('\0')) {
      throw new BackupError(`${file} is not a backup of the embedded database (the path "${e.name.slice(0, 80)}" leaves the data folder)`);
    }
  }
  const version = entries.find((e) => e.type === 'file' && e.name.replace(/^\/+/, '') === 'PG_VERSION');
  const has = (dir: string) => entries.some((e) => e.name.replace(/^\/+/, '').startsWith(`${dir}/`));
  if (!version || !has('base') || !has('global')) {
    throw new BackupError(`${file} is not a backup of the embedded database (no PostgreSQL data folder inside: PG_VERSION, base/, global/)`);
  }
  const postgres = version.data.toString('utf8').trim();
  if (!/^\d+$/.test(postgres)) throw new BackupError(`${file} is not a backup of the embedded database (PG_VERSION reads "${postgres.slice(0, 20)}")`);
  return { entries: entries.filter((e) => !NOT_DATABASE(e.name)), postgres };
}

/** Restores `file` into `dataDir` (missing or empty; or any, with `force`). */
export async function restoreDataDir(file: string, dataDir: string, options: { force?: boolean } = {}): Promise<BackupContents> {
  let gz: Buffer;
  try {
    gz = await readFile(file);
  } catch (e) {
    throw new BackupError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const { entries, postgres } = checkBackup(gz, file);

  const target = resolve(dataDir);
  await mkdir(target, { recursive: true });
  const unlock = await lockDataDir(target); // the running bot holds it: refused (DataDirInUseError)
  const staging = `${target}.restoring-${randomBytes(4).toString('hex')}`;
  try {
    const occupied = (await readdir(target)).filter((n) => n !== 'crm.lock');
    if (occupied.length > 0 && !options.force) {
      throw new BackupError(`${dataDir} is not empty (${occupied.length} entries); restore into an empty folder, or --force to replace what is there`);
    }
    await mkdir(staging);
    let contents: BackupContents;
    try {
      const lite = await PGlite.create(staging, { loadDataDir: new Blob([new Uint8Array(gzipSync(writeTar(entries)))]) });
      try {
        contents = await contentsOf(lite, postgres);
      } finally {
        await lite.close();
      }
    } catch (e) {
      if (e instanceof BackupError) throw e;
      throw new BackupError(`${file} could not be opened as a database (PostgreSQL ${postgres} data folder; this PGlite may be another version): ${(e as Error).message}`);
    }
    for (const name of await readdir(target)) if (name !== 'crm.lock') await rm(join(target, name), { recursive: true, force: true });
    for (const name of await readdir(staging)) await rename(join(staging, name), join(target, name));
    return contents;
  } finally {
    await rm(staging, { recursive: true, force: true });
    await unlock();
  }
}
