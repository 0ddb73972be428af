/**
 * `crm backup FILE [--force]` and `crm restore FILE [--force]`: the embedded (PGlite) database in
 * CRM_DATA_DIR to a file and back (../../store/backup.ts). With DATABASE_URL set the data is in PostgreSQL,
 * and pg_dump / pg_restore are the tools: the command says so and changes nothing.
 */
import { loadConfig } from '../../config.ts';
import { BackupError, backupDataDir, restoreDataDir, type BackupContents } from '../../store/backup.ts';
import { DataDirInUseError } from '../../store/data-dir-lock.ts';
import type { CliIo } from '../io.ts';

type Verb = 'backup' | 'restore';

const USAGE: Record<Verb, string> = {
  backup: 'usage: crm backup FILE [--force]  (FILE must not exist unless --force)',
  restore: 'usage: crm restore FILE [--force]  (into CRM_DATA_DIR, which must be empty unless --force)',
};

const PG_DUMP: Record<Verb, string> = {
  backup: 'pg_dump --format=custom --file=FILE "$DATABASE_URL"',
  restore: 'pg_restore --clean --if-exists --no-owner --dbname="$DATABASE_URL" FILE',
};

function parse(verb: Verb, args: string[], io: CliIo): { file: string; force: boolean } | undefined {
  const force = args.includes('--force');
  const rest = args.filter((a) => a !== '--force');
  const bad = rest.find((a) => a.startsWith('--'));
  if (bad || rest.length !== 1) {
    io.err(`crm ${verb}: ${bad ? `unknown option "${bad}"` : rest.length ? `one FILE expected, got ${rest.length}` : 'FILE is missing'}; ${USAGE[verb]}`);
    return undefined;
  }
  return { file: rest[0]!, force };
}

function describe(c: BackupContents): string {
  const latest = c.migrations.at(-1);
  return `${c.consultations} consultations, ${c.events} events, ${c.outbox} outgoing messages; PostgreSQL ${c.postgres}; ${c.migrations.length} migrations${latest ? ` (latest ${latest})` : ''}`;
}

export async function runVerb(verb: Verb, args: string[], io: CliIo, env: NodeJS.ProcessEnv): Promise<number> {
  const parsed = parse(verb, args, io);
  if (!parsed) return 1;
  const config = loadConfig(env);
  if (config.databaseUrl) {
    io.err(`crm ${verb}: the database is PostgreSQL (DATABASE_URL), not the embedded one; use PostgreSQL's own tools: ${PG_DUMP[verb]}`);
    return 1;
  }
  try {
    if (verb === 'backup') {
      const r = await backupDataDir(config.dataDir, parsed.file, { force: parsed.force });
      io.out(`backed up the embedded database in ${config.dataDir} to ${parsed.file} (${r.bytes} bytes): ${describe(r)}`);
    } else {
      const r = await restoreDataDir(parsed.file, config.dataDir, { force: parsed.force });
      io.out(`restored ${parsed.file} into ${config.dataDir}: ${describe(r)}`);
      io.out('the next start applies any newer migrations, and its reconcile rebuilds every reminder, deadline and pending delivery');
    }
    return 0;
  } catch (e) {
    // Expected refusals (in use, exists, not empty, not a backup): one line naming what is wrong.
    if (e instanceof BackupError || e instanceof DataDirInUseError) {
      io.err(`crm ${verb}: ${e.message}`);
      return 1;
    }
    throw e;
  }
}

export const run = (args: string[], io: CliIo, env: NodeJS.ProcessEnv = process.env): Promise<number> => runVerb('backup', args, io, env);
