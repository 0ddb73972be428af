/**
 * `crm directory <subcommand>`: operator tools for the directory file.
 *
 *   crm directory check FILE
 *       Validate. Success: a short summary on stdout (counts, then the body and its member and observer
 *       countries, which are the file's data), each warning on stderr as `warning: ...`, exit 0.
 *       Failure: one line per problem on stderr (field path first), nothing on stdout, exit 1.
 *   crm directory show-troika [--date YYYY-MM-DD] [FILE]
 *       Print the PPT and Troika on that date (default: today in the secretariat's time zone) as JSON.
 *       Without FILE: the live directory, the database's latest import (on a database never imported
 *       into, the configured file is imported first, as by `npm start`). With FILE: that file.
 *   crm directory import FILE
 *       Validate, then load into the database. Validates first; nothing is written when the file has a problem.
 *
 * Exit codes: 0 ok, 1 invalid file / usage error / no PPT on that date, 2 subcommand not available.
 */
import { ConfigError, loadConfig, type Config } from '../../config.ts';
import { loadDirectoryFile } from '../../directory/load.ts';
import { bodyOf, memberCodes, observerCodes } from '../../directory/membership.ts';
import type { Directory } from '../../directory/model.ts';
import { presidencyAt, troikaAt } from '../../directory/presidency.ts';
import { dateProblem } from '../../directory/validators.ts';
import { shown, type CliIo } from '../io.ts';

/** What a subcommand may need from outside; tests inject these. */
export interface DirectoryDeps {
  now: () => Date;
  env: NodeJS.ProcessEnv;
}

export type DirectorySubcommand = (args: string[], io: CliIo, deps: DirectoryDeps) => Promise<number>;

interface Entry {
  usage: string;
  handler: DirectorySubcommand;
}

const subcommands = new Map<string, Entry>();

/**
 * Add or replace a subcommand (e.g. `import`, from the module that owns the database). Replacing the
 * built-in `import` placeholder is the intended use.
 */
export function registerDirectorySubcommand(name: string, handler: DirectorySubcommand, usage = `directory ${name}`): void {
  subcommands.set(name, { usage, handler });
}

export function directoryUsage(): string {
  return ['Usage:', ...[...subcommands.values()].map((e) => `  crm ${e.usage}`)].join('\n');
}

function usageError(io: CliIo, message: string): number {
  io.err(`crm directory: ${message}`);
  io.err(directoryUsage());
  return 1;
}

/**
 * Load and validate `path`; on failure print one line per problem to stderr and return undefined.
 * Exported for other subcommands (the database import validates with exactly this).
 */
export async function loadOrReport(path: string, io: CliIo): Promise<{ directory: Directory; warnings: string[] } | undefined> {
  const result = await loadDirectoryFile(path);
  if (!result.ok) {
    for (const p of result.problems) io.err(p);
    return undefined;
  }
  return { directory: result.directory, warnings: result.warnings };
}

/** The body and its membership as the file records them (membership is data: the operator checks it here). */
export function membership(d: Directory): string[] {
  const b = bodyOf(d);
  const observers = observerCodes(d);
  return [
    `body: ${b.code}, ${b.name.en} / ${b.name.es}${d.body ? '' : ' (the file has no body:, so the CRM)'}`,
    `member countries (${memberCodes(d).length}): ${memberCodes(d).join(' ')}`,
    ...(observers.length > 0 ? [`observer countries (${observers.length}): ${observers.join(' ')}`] : []),
  ];
}

/** One-line counts for the operator. */
export function summarize(d: Directory): string {
  const members = d.countries.filter((c) => c.status === 'member');
  const observers = d.countries.filter((c) => c.status === 'observer');
  const focalPoints = d.countries.reduce((n, c) => n + c.focalPoints.length, 0);
  return [
    `members: ${members.length}`,
    `observer countries: ${observers.length}`,
    `organisations: ${d.organizations.length}`,
    `focal points: ${focalPoints}`,
    `ST staff: ${d.secretariat.staff.length}`,
    `presidency terms: ${d.presidencies.length}`,
    `holiday overrides: ${d.holidays.length}`,
  ].join(', ');
}

/** YYYY-MM-DD of `instant` in `timeZone`. */
export function dateIn(instant: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(instant);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

// --- check -----------------------------------------------------------------------------------------------

const check: DirectorySubcommand = async (args, io) => {
  const [file, ...extra] = args;
  if (!file || file.startsWith('-')) return usageError(io, 'check needs a FILE');
  if (extra.length > 0) return usageError(io, `unexpected argument ${shown(extra[0]!)}`);
  const loaded = await loadOrReport(file, io);
  if (!loaded) return 1;
  io.out(`${file}: OK`);
  io.out(summarize(loaded.directory));
  for (const line of membership(loaded.directory)) io.out(line);
  for (const w of loaded.warnings) io.err(`warning: ${w}`);
  return 0;
};

// --- show-troika -----------------------------------------------------------------------------------------

const showTroika: DirectorySubcommand = async (args, io, deps) => {
  let date: string | undefined;
  let file: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--date' || a.startsWith('--date=')) {
      const v = a === '--date' ? args[++i] : a.slice('--date='.length);
      if (v === undefined) return usageError(io, '--date needs a value YYYY-MM-DD');
      const p = dateProblem(v);
      if (p) return usageError(io, `--date: ${p}`);
      date = v;
    } else if (a.startsWith('-')) {
      return usageError(io, `unknown option ${shown(a)}`);
    } else if (a.trim() === '') {
      return usageError(io, 'FILE is empty: give the path of a directory file');
    } else if (file === undefined) {
      file = a;
    } else {
      return usageError(io, `unexpected argument ${shown(a)}`);
    }
  }
  let d: Directory;
  let from: string;
  let source: { file: string } | { database: { importedFrom: string; importedAt: string; sha256: string } };
  if (file === undefined) {
    let config;
    try {
      config = loadConfig(deps.env);
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      for (const p of e.problems) io.err(p);
      return 1;
    }
    const live = await liveDirectory(config);
    d = live.directory;
    from = `the live directory (imported from ${live.importedFrom})`;
    source = { database: { importedFrom: live.importedFrom, importedAt: live.importedAt, sha256: live.sha256 } };
  } else {
    const loaded = await loadOrReport(file, io);
    if (!loaded) return 1;
    d = loaded.directory;
    from = file;
    source = { file };
  }
  const on = date ?? dateIn(deps.now(), d.secretariat.timezone);
  const term = presidencyAt(d.presidencies, on);
  const troika = troikaAt(d.presidencies, on);
  if (!term || !troika) {
    io.err(`crm directory: no PPT in office on ${on} according to ${from}`);
    return 1;
  }
  const name = (code: string) => d.countries.find((c) => c.code === code)?.name ?? null;
  io.out(
    JSON.stringify(
      {
        date: on,
        ...(date === undefined ? { timezone: d.secretariat.timezone } : {}),
        ppt: { country: term.country, name: name(term.country), from: term.from, to: term.to ?? null },
        troika,
        directory: source,
      },
      null,
      2,
    ),
  );
  return 0;
};

/** The database's latest import (the first CLI command on a fresh database imports the configured file). */
async function liveDirectory(config: Config): Promise<{ directory: Directory; importedFrom: string; importedAt: string; sha256: string }> {
  const { openEngine } = await import('../../app/context.ts');
  const engine = await openEngine(config);
  try {
    const latest = await engine.directories.latest();
    return {
      directory: engine.directory.current(),
      importedFrom: engine.directory.source.path,
      importedAt: latest?.importedAt.toISOString() ?? '',
      sha256: engine.directory.source.sha256,
    };
  } finally {
    await engine.close();
  }
}

// --- import -----------------------------------------------------------------------------------------------
// Validate first (nothing is opened or written when the file has a problem), then load it into the
// configured database in one transaction.
const importFile: DirectorySubcommand = async (args, io, deps) => {
  if (args.length !== 1 || !args[0]) return usageError(io, 'directory import takes exactly one FILE');
  const path = args[0];
  const { readDirectoryFile, DirectoryFileError } = await import('../../app/context.ts');
  let file;
  try {
    file = await readDirectoryFile(path);
  } catch (e) {
    if (e instanceof DirectoryFileError) {
      for (const p of e.problems) io.err(p);
      io.err(`crm directory import: nothing imported (${e.problems.length} problem${e.problems.length === 1 ? '' : 's'})`);
      return 1;
    }
    throw e;
  }
  for (const w of file.warnings) io.err(`warning: ${w}`);
  const { openDatabase } = await import('../../store/database.ts');
  const { DirectoryStore } = await import('../../store/directory-store.ts');
  const config = loadConfig(deps.env);
  const db = await openDatabase({ ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}), dataDir: config.dataDir });
  try {
    const store = new DirectoryStore(db.prisma);
    const latest = await store.latest();
    if (latest?.sha256 === file.sha256) {
      io.out(`${path}: already the current directory (sha256 ${file.sha256.slice(0, 12)}); nothing to do`);
      return 0;
    }
    await store.importDirectory(file.directory, { sha256: file.sha256, sourcePath: path });
    io.out(`${path}: imported (sha256 ${file.sha256.slice(0, 12)})`);
    io.out(summarize(file.directory));
    io.out('Running consultations keep the Troika, members and focal points frozen when they started.');
    return 0;
  } finally {
    await db.close();
  }
};

registerDirectorySubcommand('check', check, 'directory check FILE');
registerDirectorySubcommand('show-troika', showTroika, 'directory show-troika [--date YYYY-MM-DD] [FILE]');
registerDirectorySubcommand('import', importFile, 'directory import FILE');

// --- entry -----------------------------------------------------------------------------------------------

export async function run(args: string[], io: CliIo, deps: Partial<DirectoryDeps> = {}): Promise<number> {
  const [name, ...rest] = args;
  if (name === 'help' || name === '--help' || name === '-h') {
    io.out(directoryUsage());
    return 0;
  }
  if (!name) return usageError(io, 'missing subcommand');
  const entry = subcommands.get(name);
  if (!entry) return usageError(io, `unknown subcommand ${shown(name)}`);
  return entry.handler(rest, io, { now: deps.now ?? (() => new Date()), env: deps.env ?? process.env });
}
