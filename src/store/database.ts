/**
 * Opens the application's database: PostgreSQL when a URL is configured, else embedded PGlite in a
 * data folder. Both run the same Prisma client through a driver adapter, and both get migrated on
 * open (unless told not to).
 */
import { mkdir } from 'node:fs/promises';
import type { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '../generated/prisma/client.ts';
import { applyMigrations, DEFAULT_MIGRATIONS_DIR, type MigrationResult } from './migrate.ts';
import { lockDataDir } from './data-dir-lock.ts';
import { embeddedPgliteOptions } from './pglite-options.ts';
import { pgExecutor, pgliteExecutor, type SqlExecutor } from './sql.ts';

export type { PrismaClient } from '../generated/prisma/client.ts';

export interface Database {
  kind: 'postgres' | 'pglite';
  prisma: PrismaClient;
  sql: SqlExecutor;
  /** What opening applied (absent when migrations were skipped). */
  migrations?: MigrationResult;
  /** Resolves when the database answers a query; rejects otherwise. */
  ping(): Promise<void>;
  /** Disconnects Prisma and closes the pool or the embedded database. Safe to call twice. */
  close(): Promise<void>;
}

export interface DatabaseConfig {
  /** postgres:// or postgresql:// URL; when absent, embedded PGlite in `dataDir`. */
  databaseUrl?: string;
  /** Folder of the embedded database (created if missing), or `memory://` for a throw-away one. */
  dataDir: string;
}

export interface OpenDatabaseOptions {
  /** Apply pending migrations on open (default true). */
  migrate?: boolean;
  migrationsDir?: string;
  /** Maximum PostgreSQL connections in the pool (default 10). */
  poolSize?: number;
}

export async function openDatabase(cfg: DatabaseConfig, options: OpenDatabaseOptions = {}): Promise<Database> {
  const db = cfg.databaseUrl ? openPostgres(cfg.databaseUrl, options) : await openPGlite(cfg.dataDir);
  if (options.migrate === false) return db;
  try {
    db.migrations = await applyMigrations(db.sql, options.migrationsDir ?? DEFAULT_MIGRATIONS_DIR);
  } catch (e) {
    await db.close().catch(() => undefined);
    throw e;
  }
  return db;
}

function openPostgres(url: string, options: OpenDatabaseOptions): Database {
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10 });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return database('postgres', prisma, pgExecutor(pool), () => pool.end());
}

async function openPGlite(dataDir: string): Promise<Database> {
  const inMemory = dataDir.startsWith('memory://');
  if (!inMemory) await mkdir(dataDir, { recursive: true });
  // PGlite (WebAssembly PostgreSQL) and its Prisma adapter are loaded only for the embedded database, before
  // the data directory is locked: a failed import must not leave the lock behind.
  const [{ PGlite: Lite }, { PrismaPGlite }] = await Promise.all([import('@electric-sql/pglite'), import('pglite-prisma-adapter')]);
  const unlock = inMemory ? async () => undefined : await lockDataDir(dataDir);
  let lite: PGlite;
  try {
    lite = await Lite.create(dataDir, embeddedPgliteOptions(Lite));
  } catch (e) {
    await unlock();
    throw e;
  }
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(lite) });
  return database('pglite', prisma, pgliteExecutor(lite), async () => {
    if (!lite.closed) await lite.close();
    await unlock();
  });
}

/** A Database over a Prisma client and its SQL executor; `release` frees the pool or the embedded files. */
function database(kind: Database['kind'], prisma: PrismaClient, sql: SqlExecutor, release: () => Promise<void>): Database {
  let closing: Promise<void> | undefined;
  return {
    kind,
    prisma,
    sql,
    async ping() {
      await sql.query('SELECT 1');
    },
    close() {
      closing ??= (async () => {
        await prisma.$disconnect();
        await release();
      })();
      return closing;
    },
  };
}
