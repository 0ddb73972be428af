/** `crm migrate`: apply prisma/migrations to the configured database (idempotent). */
import { loadConfig } from '../../config.ts';
import { openDatabase } from '../../store/database.ts';
import { shown, type CliIo } from '../io.ts';

export async function run(args: string[], io: CliIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  if (args.length > 0) {
    io.err(`crm migrate: unexpected argument ${shown(args[0]!)} (usage: crm migrate)`);
    return 1;
  }
  const config = loadConfig(env);
  const target = config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `embedded PGlite in ${config.dataDir}`;
  let db;
  try {
    db = await openDatabase({ ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}), dataDir: config.dataDir });
  } catch (e) {
    io.err(`crm migrate: ${target}: ${(e as Error).message}`);
    return 1;
  }
  try {
    const m = db.migrations;
    for (const name of m?.applied ?? []) io.out(`applied ${name}`);
    io.out(`${target}: ${m?.applied.length ?? 0} applied, ${m?.alreadyApplied.length ?? 0} already applied`);
    return 0;
  } finally {
    await db.close();
  }
}
