/**
 * Operator CLI entry: `crm <command> [args]`.
 * Each command lives in its own module under ./commands and exports `run(args, io): Promise<number>`.
 */
import { shown, type CliIo } from './io.ts';

export type { CliIo } from './io.ts';

export type CommandModule = { run: (args: string[], io: CliIo) => Promise<number> };

const commands: Record<string, { summary: string; load: () => Promise<CommandModule> }> = {
  deadline: {
    summary: 'deadline --start ISO_INSTANT [--days N] [--calendar secretariat|all-members|ISO2]',
    load: () => import('./commands/deadline.ts'),
  },
  directory: {
    summary: 'directory check FILE | directory import FILE | directory show-troika [--date YYYY-MM-DD] [FILE]',
    load: () => import('./commands/directory.ts'),
  },
  migrate: {
    summary: 'migrate',
    load: () => import('./commands/migrate.ts'),
  },
  consultations: {
    summary:
      'consultations [--stage STAGE] | consultations show REFERENCE [--json] [--lang es|en] | consultations export REFERENCE --format pdf|csv [--out FILE]',
    load: () => import('./commands/consultations.ts'),
  },
  outbox: {
    summary: 'outbox [--status pending|sent|dead] [--limit N] | outbox requeue [--since ISO_INSTANT] [--platform slack|teams|email]',
    load: () => import('./commands/outbox.ts'),
  },
  meetings: {
    summary: 'meetings add|list|show|ics|invite|agenda|summary ... [--json] (crm meetings help)',
    load: () => import('./commands/meetings.ts'),
  },
  duties: {
    summary: 'duties [--open] [--json] | duties done --duty NAME [--meeting REF] [--owner OWNER] [--json]',
    load: () => import('./commands/duties.ts'),
  },
  observers: {
    summary: 'observers apply|list|present|decide|withdraw ... [--json] (crm observers help)',
    load: () => import('./commands/observers.ts'),
  },
  backup: { summary: 'backup FILE [--force]  (the embedded database; PostgreSQL: pg_dump)', load: () => import('./commands/backup.ts') },
  restore: { summary: 'restore FILE [--force]  (into an empty CRM_DATA_DIR unless --force)', load: () => import('./commands/restore.ts') },
};

const defaultIo: CliIo = {
  out: (line) => process.stdout.write(line + '\n'),
  err: (line) => process.stderr.write(line + '\n'),
  write: (bytes) => new Promise<void>((resolve, reject) => process.stdout.write(bytes, (e) => (e ? reject(e) : resolve()))),
  isTTY: process.stdout.isTTY === true,
};

export function usage(): string {
  return ['Usage: crm <command>', '', 'Commands:', ...Object.values(commands).map((c) => `  crm ${c.summary}`)].join('\n');
}

export async function main(argv: string[], io: CliIo = defaultIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === 'help' || name === '--help' || name === '-h') {
    io.out(usage());
    return 0;
  }
  if (!name) {
    // A usage error: said on stderr, like every other (stdout stays empty when the exit code is not 0).
    io.err('crm: missing command');
    io.err(usage());
    return 1;
  }
  // Own keys only: `crm constructor` or `crm hasOwnProperty` must not find Object.prototype's.
  const entry = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!entry) {
    io.err(`crm: unknown command ${shown(name)}`);
    io.err(usage());
    return 1;
  }
  const mod = await entry.load();
  try {
    return await mod.run(rest, io);
  } catch (e) {
    // Expected failures (bad configuration, the embedded database in use, a refused migration) and
    // unexpected ones alike: one clear line, never a stack trace in front of an operator.
    // A library's message may span lines (Prisma quotes the code that failed): its first line only.
    const message = (e instanceof Error ? e.message : String(e)).split('\n').map((l) => l.trim()).find((l) => l !== '') ?? 'failed';
    io.err(`crm ${name}: ${message}`);
    return 1;
  }
}
