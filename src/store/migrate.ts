/**
 * Applies prisma/migrations/<name>/migration.sql, keeping `_prisma_migrations` exactly as
 * `prisma migrate deploy` does, so Prisma's own tooling can take over a database we migrated
 * (and the other way round). We apply migrations ourselves because the Prisma CLI needs a native
 * schema engine that cannot be downloaded everywhere we run, and cannot talk to embedded PGlite.
 *
 * Behaviour, per Prisma's conventions:
 * - migrations are applied in name order, each in its own transaction together with its
 *   `_prisma_migrations` row (so a failing migration leaves no trace and can be fixed and retried);
 * - the checksum is the SHA-256 (hex) of the migration.sql bytes; an applied migration whose file
 *   changed is refused (CRLF/LF-only differences are tolerated, as Prisma does);
 * - a row that Prisma recorded as started but not finished (and not rolled back) is refused;
 * - rolled-back rows are ignored; migrations in the database but not on disk are reported, not refused
 *   (an older build running against a newer database);
 * - concurrent appliers are serialised with the advisory lock Prisma Migrate itself uses.
 */
import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SqlExecutor, SqlSession } from './sql.ts';

/** The migrations shipped with this program. */
export const DEFAULT_MIGRATIONS_DIR = fileURLToPath(new URL('../../prisma/migrations', import.meta.url));

/** The key of `pg_advisory_lock` that Prisma Migrate takes; sharing it excludes `prisma migrate` too. */
export const MIGRATION_LOCK_KEY = 72707369;

export const MIGRATIONS_TABLE_DDL = `CREATE TABLE _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
);`;

export interface MigrationFile {
  name: string;
  script: string;
  checksum: string;
}

export interface MigrationResult {
  /** Applied by this call, in order. */
  applied: string[];
  /** Found already applied (with a matching checksum). */
  alreadyApplied: string[];
  /** Recorded in the database but absent from the migrations folder. */
  unknown: string[];
}

export type MigrationErrorCode = 'checksum_mismatch' | 'unfinished_migration' | 'migration_failed' | 'bad_migrations_dir';

export class MigrationError extends Error {
  constructor(
    readonly code: MigrationErrorCode,
    message: string,
    readonly migration?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'MigrationError';
  }
}

export function checksumOf(script: string | Uint8Array): string {
  return createHash('sha256').update(script).digest('hex');
}

/** Prisma's rule: the file matches when it, or it with line endings converted either way, hashes to the checksum. */
export function scriptMatchesChecksum(script: string, checksum: string): boolean {
  return [script, script.replaceAll('\r\n', '\n'), script.replaceAll('\n', '\r\n')].some((s) => checksumOf(s) === checksum);
}

export async function readMigrations(dir: string = DEFAULT_MIGRATIONS_DIR): Promise<MigrationFile[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (e) {
    throw new MigrationError('bad_migrations_dir', `Cannot read the migrations folder ${dir}`, undefined, { cause: e });
  }
  const names = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  const files: MigrationFile[] = [];
  for (const name of names) {
    let bytes: Buffer;
    try {
      bytes = await readFile(join(dir, name, 'migration.sql'));
    } catch (e) {
      throw new MigrationError('bad_migrations_dir', `Migration ${name} has no migration.sql`, name, { cause: e });
    }
    files.push({ name, script: bytes.toString('utf8'), checksum: checksumOf(bytes) });
  }
  return files;
}

interface MigrationRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | string | null;
  rolled_back_at: Date | string | null;
}

async function lockAndReadApplied(tx: SqlSession): Promise<MigrationRow[]> {
  await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
  const exists = await tx.query<{ t: string | null }>(`SELECT to_regclass('_prisma_migrations')::text AS t`);
  if (!exists.rows[0]?.t) {
    await tx.exec(MIGRATIONS_TABLE_DDL);
    return [];
  }
  const r = await tx.query<MigrationRow>(
    'SELECT migration_name, checksum, finished_at, rolled_back_at FROM _prisma_migrations ORDER BY started_at, migration_name',
  );
  return r.rows.filter((row) => row.rolled_back_at === null);
}

/** Throws on an unfinished migration or a changed file; returns the names applied successfully. */
function verify(rows: MigrationRow[], files: MigrationFile[]): { applied: Set<string>; unknown: string[] } {
  const byName = new Map(files.map((f) => [f.name, f]));
  const applied = new Set<string>();
  const unknown: string[] = [];
  for (const row of rows) {
    if (row.finished_at === null) {
      throw new MigrationError(
        'unfinished_migration',
        `Migration ${row.migration_name} was started but never finished in this database. ` +
          'Inspect the database, then mark it rolled back (prisma migrate resolve --rolled-back) or applied.',
        row.migration_name,
      );
    }
    const file = byName.get(row.migration_name);
    if (!file) {
      unknown.push(row.migration_name);
      continue;
    }
    if (!scriptMatchesChecksum(file.script, row.checksum)) {
      throw new MigrationError(
        'checksum_mismatch',
        `Migration ${row.migration_name} was modified after it was applied ` +
          `(database checksum ${row.checksum}, file ${file.checksum}). Applied migrations must never change: ` +
          'restore the file and put the change in a new migration.',
        row.migration_name,
      );
    }
    applied.add(row.migration_name);
  }
  return { applied, unknown };
}

export async function applyMigrations(exec: SqlExecutor, dir: string = DEFAULT_MIGRATIONS_DIR): Promise<MigrationResult> {
  const files = await readMigrations(dir);
  const initial = await exec.transaction(async (tx) => verify(await lockAndReadApplied(tx), files));
  const result: MigrationResult = { applied: [], alreadyApplied: [], unknown: initial.unknown };

  for (const file of files) {
    if (initial.applied.has(file.name)) {
      result.alreadyApplied.push(file.name);
      continue;
    }
    const didApply = await exec.transaction(async (tx) => {
      // Another process may have applied it while we waited for the lock.
      const { applied } = verify(await lockAndReadApplied(tx), files);
      if (applied.has(file.name)) return false;
      const id = randomUUID();
      await tx.query(
        'INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, now(), 0)',
        [id, file.checksum, file.name],
      );
      try {
        await tx.exec(file.script);
      } catch (e) {
        throw new MigrationError(
          'migration_failed',
          `Migration ${file.name} failed: ${(e as Error).message}. Nothing of it was applied.`,
          file.name,
          { cause: e },
        );
      }
      await tx.query(
        'UPDATE _prisma_migrations SET finished_at = clock_timestamp(), applied_steps_count = applied_steps_count + 1 WHERE id = $1',
        [id],
      );
      return true;
    });
    (didApply ? result.applied : result.alreadyApplied).push(file.name);
  }
  return result;
}
