/**
 * A small SQL port over the two databases we run on: PostgreSQL (a `pg` Pool) and embedded PGlite.
 * Used where Prisma is the wrong tool: the migration applier, test helpers, introspection.
 * Application data goes through Prisma (see ./database.ts).
 */
import type { PGlite, Transaction as PGliteTransaction } from '@electric-sql/pglite';
import type { Pool, PoolClient } from 'pg';

export interface SqlResult<R> {
  rows: R[];
  /** Rows returned or changed by the statement. */
  rowCount: number;
}

export interface SqlSession {
  /** One statement, with `$1`-style parameters. */
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<SqlResult<R>>;
  /** A script of several statements, without parameters. */
  exec(script: string): Promise<void>;
}

export interface SqlExecutor extends SqlSession {
  readonly kind: 'postgres' | 'pglite';
  /** Runs `fn` in one transaction on one connection: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: SqlSession) => Promise<T>): Promise<T>;
}

export function pgExecutor(pool: Pool): SqlExecutor {
  const session = (c: Pool | PoolClient): SqlSession => ({
    async query<R>(sql: string, params: readonly unknown[] = []) {
      const r = await c.query(sql, params as unknown[]);
      return { rows: r.rows as R[], rowCount: r.rowCount ?? r.rows.length };
    },
    async exec(script: string) {
      // No parameters: pg uses the simple query protocol, which accepts several statements.
      await c.query(script);
    },
  });
  return {
    kind: 'postgres',
    ...session(pool),
    async transaction<T>(fn: (tx: SqlSession) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        const result = await fn(session(client));
        await client.query('COMMIT');
        return result;
      } catch (e) {
        try {
          await client.query('ROLLBACK');
        } catch (rollbackError) {
          broken = rollbackError as Error; // do not return a connection in an unknown state to the pool
        }
        throw e;
      } finally {
        client.release(broken);
      }
    },
  };
}

export function pgliteExecutor(db: PGlite): SqlExecutor {
  const session = (c: PGlite | PGliteTransaction): SqlSession => ({
    async query<R>(sql: string, params: readonly unknown[] = []) {
      const r = await c.query<R>(sql, params as unknown[]);
      return { rows: r.rows, rowCount: r.affectedRows ?? r.rows.length };
    },
    async exec(script: string) {
      await c.exec(script);
    },
  });
  return {
    kind: 'pglite',
    ...session(db),
    transaction: <T>(fn: (tx: SqlSession) => Promise<T>) => db.transaction((tx) => fn(session(tx))),
  };
}
