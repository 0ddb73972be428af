/**
 * Prisma CLI configuration (Prisma 7). Used by `prisma generate` (see scripts/prisma-generate.mjs).
 * Migrations are applied by our own applier (src/store/migrate.ts, `crm migrate`), not by
 * `prisma migrate deploy`; `datasource.url` is only read by Prisma CLI commands that talk to a database.
 */
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  ...(process.env['DATABASE_URL'] ? { datasource: { url: process.env['DATABASE_URL'] } } : {}),
});
