/**
 * How the bot starts an embedded PGlite (the application's database, and the queue's in
 * src/jobs/embedded-pg.ts): PGlite's own start parameters plus a smaller shared buffer pool.
 *
 * PostgreSQL's default `shared_buffers` (128 MB) lives inside PGlite's WebAssembly memory, which never
 * shrinks once touched: with two embedded databases it was ~240 MB of the bot's resident memory. 16 MB
 * (what it costs: a re-read from the data folder, which the operating system caches anyway) keeps an idle
 * PGlite at ~180 MB instead of ~300 MB (`npm run bench -- startup`).
 */
import type { PGlite, PGliteOptions } from '@electric-sql/pglite';

export const EMBEDDED_SHARED_BUFFERS = '16MB';

export function embeddedPgliteOptions(Lite: typeof PGlite): PGliteOptions {
  return { startParams: [...Lite.defaultStartParams, '-c', `shared_buffers=${EMBEDDED_SHARED_BUFFERS}`] };
}
