/**
 * Real databases for integration tests: a fresh PostgreSQL database (127.0.0.1:5432, user PGUSER or
 * `postgres`, trust auth) or an in-memory PGlite. PostgreSQL being unreachable is a failure, never a
 * reason to skip.
 */
import { randomBytes } from 'node:crypto';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { openDatabase, type Database, type OpenDatabaseOptions } from '../../src/store/database.ts';
import { pgExecutor, type SqlExecutor } from '../../src/store/sql.ts';

export type Backend = 'postgres' | 'pglite';
export const BACKENDS: readonly Backend[] = ['postgres', 'pglite'];

const HOST = '127.0.0.1';
const PORT = 5432;
const USER = process.env['PGUSER'] || 'postgres';

export function postgresUrl(database: string): string {
  return `postgresql://${encodeURIComponent(USER)}@${HOST}:${PORT}/${database}`;
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: postgresUrl('postgres'), connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
  } catch (e) {
    throw new Error(
      `Integration tests need PostgreSQL at ${HOST}:${PORT} (user ${USER}, trust auth) and could not connect: ` +
        `${(e as Error).message}. Start PostgreSQL; these tests never skip.`,
      { cause: e },
    );
  }
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A short label for database names, from a test file's import.meta.url or any string. */
export function labelOf(fileOrLabel: string): string {
  const name = fileOrLabel.startsWith('file:') ? basename(fileURLToPath(fileOrLabel)) : fileOrLabel;
  return name.replace(/\.test\.ts$/, '').toLowerCase().replace(/[^a-z0-9]+/g, '_').slice(0, 30);
}

export interface TestPostgres {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** CREATE DATABASE crm_test_<label>_<random>; `drop` removes it (forcing out leftover connections). */
export async function createPostgresDatabase(label: string): Promise<TestPostgres> {
  const name = `crm_test_${labelOf(label)}_${randomBytes(4).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE "${name}"`));
  return {
    name,
    url: postgresUrl(name),
    drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}

export type TestDatabase = Database & { dispose(): Promise<void> };

/** An opened Database (migrated unless `migrate: false`) on a fresh PostgreSQL database or in-memory PGlite. */
export async function openTestDatabase(backend: Backend, label: string, options: OpenDatabaseOptions = {}): Promise<TestDatabase> {
  if (backend === 'pglite') {
    const db = await openDatabase({ dataDir: 'memory://' }, options);
    return Object.assign(db, { dispose: () => db.close() });
  }
  const pgdb = await createPostgresDatabase(label);
  try {
    const db = await openDatabase({ databaseUrl: pgdb.url, dataDir: 'unused' }, options);
    return Object.assign(db, {
      dispose: async () => {
        await db.close();
        await pgdb.drop();
      },
    });
  } catch (e) {
    await pgdb.drop();
    throw e;
  }
}

/** A plain SqlExecutor on a PostgreSQL database (a second "process" in concurrency tests). */
export function postgresExecutor(url: string, max = 5): SqlExecutor & { end(): Promise<void> } {
  const pool = new pg.Pool({ connectionString: url, max });
  return Object.assign(pgExecutor(pool), { end: () => pool.end() });
}
