/**
 * The composition of the engine: configuration → database (migrated) → live directory → calendars →
 * the flows' dependencies. Shared by `npm start`, the demo and the operator CLI, so they all see the
 * same data the same way.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createBusinessCalendar } from '../calendar/business-calendar.ts';
import type { Config } from '../config.ts';
import type { BusinessCalendar, CalendarPolicy } from '../domain/calendar-port.ts';
import { parseDirectory, unreadableProblem } from '../directory/load.ts';
import type { Directory } from '../directory/model.ts';
import type { FlowDeps } from '../flows/ports.ts';
import type { Logger } from '../log.ts';
import { openDatabase, type Database } from '../store/database.ts';
import { ConsultationStore } from '../store/consultation-store.ts';
import { DirectoryStore } from '../store/directory-store.ts';
import { InboxStore } from '../store/inbox-store.ts';
import { OutboxStore } from '../store/outbox-store.ts';
import { directoryDriftWarning, directoryHash, DirectoryFileMissingError, hashDirectoryFile } from './directory-file.ts';

export interface Engine {
  db: Database;
  consultations: ConsultationStore;
  outbox: OutboxStore;
  /** Acknowledged chat interactions, stored before their ack (src/adapters/slack/inbox.ts). */
  inbox: InboxStore;
  directories: DirectoryStore;
  /** The live directory and where it came from. */
  directory: LiveDirectory;
  deps: FlowDeps;
  close(): Promise<void>;
}

/** The live directory: the latest import, with calendars built once per directory and policy. */
export class LiveDirectory {
  private calendars = new Map<string, BusinessCalendar>();
  constructor(
    private value: Directory,
    public source: { sha256: string; path: string },
  ) {}
  current(): Directory {
    return this.value;
  }
  replace(directory: Directory, source: { sha256: string; path: string }): void {
    this.value = directory;
    this.source = source;
    this.calendars.clear();
  }
  calendar(policy: CalendarPolicy): BusinessCalendar {
    let c = this.calendars.get(policy);
    if (!c) {
      c = createBusinessCalendar(policy, this.value);
      this.calendars.set(policy, c);
    }
    return c;
  }
}

export class DirectoryFileError extends Error {
  constructor(
    readonly path: string,
    readonly problems: string[],
    kind: 'invalid' | 'unreadable' = 'invalid',
  ) {
    super(
      kind === 'unreadable'
        ? (problems[0] ?? `${path}: cannot read the directory file`)
        : `The directory file ${path} is not valid:\n${problems.map((p) => `  ${p}`).join('\n')}`,
    );
    this.name = 'DirectoryFileError';
  }
}

/** Reads and validates a directory file; throws DirectoryFileError with every problem. */
export async function readDirectoryFile(path: string): Promise<{ directory: Directory; warnings: string[]; sha256: string }> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw new DirectoryFileError(path, [unreadableProblem(path, e)], 'unreadable');
  }
  const parsed = parseDirectory(bytes.toString('utf8'), path);
  if (!parsed.ok) throw new DirectoryFileError(path, parsed.problems);
  return { directory: parsed.directory, warnings: parsed.warnings, sha256: directoryHash(bytes) };
}

export interface OpenEngineOptions {
  logger?: Logger;
  clock?: () => Date;
  /**
   * `npm start`: a CRM_DIRECTORY file that cannot be read stops the start (DirectoryFileMissingError),
   * before the database is opened; a file that differs from the live directory is a warning naming
   * the command that imports it.
   */
  checkDirectoryFile?: boolean;
}

/** The hash of the configured directory file; undefined for a missing example (the live one is used). */
async function configuredFileHash(config: Config): Promise<string | undefined> {
  try {
    return await hashDirectoryFile(config.directoryPath);
  } catch (e) {
    if (e instanceof DirectoryFileMissingError && config.directoryIsExample) return undefined;
    throw e;
  }
}

/**
 * Opens the database (applying migrations) and the live directory. When nothing was ever imported, the
 * configured directory file is imported first (on a fresh embedded database that is the example file).
 */
export async function openEngine(config: Config, options: OpenEngineOptions = {}): Promise<Engine> {
  const log = options.logger;
  // The configured file's hash, read up front: a CRM_DIRECTORY that names nothing stops here.
  const configured = options.checkDirectoryFile ? await configuredFileHash(config) : undefined;
  const db = await openDatabase({ ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}), dataDir: config.dataDir });
  try {
    if (db.migrations?.applied.length) log?.info({ applied: db.migrations.applied }, 'database migrations applied');
    const consultations = new ConsultationStore(db.prisma);
    const outbox = new OutboxStore(db.prisma);
    const directories = new DirectoryStore(db.prisma);

    let latest = await directories.latest();
    if (!latest) {
      const file = await readDirectoryFile(config.directoryPath);
      for (const w of file.warnings) log?.warn({ path: config.directoryPath }, `directory: ${w}`);
      await directories.importDirectory(file.directory, { sha256: file.sha256, sourcePath: config.directoryPath });
      log?.info({ path: config.directoryPath, example: config.directoryIsExample }, 'directory imported (first run)');
      latest = await directories.latest();
    } else if (configured) {
      const warning = directoryDriftWarning(
        { path: config.directoryPath, sha256: configured, isExample: config.directoryIsExample },
        { path: latest.sourcePath, sha256: latest.sha256, importedAt: latest.importedAt },
      );
      if (warning) log?.warn({ path: config.directoryPath, live: latest.sourcePath }, warning);
    }
    if (!latest) throw new Error('directory import left no record');
    const live = new LiveDirectory(latest.data as Directory, { sha256: latest.sha256, path: latest.sourcePath });

    const clock = options.clock ?? (() => new Date());
    const deps: FlowDeps = {
      store: consultations,
      directory: live,
      calendars: live,
      clock: { now: clock },
      newId: randomUUID,
      ...(log ? { logger: log } : {}),
    };
    return {
      db,
      consultations,
      outbox,
      inbox: new InboxStore(db.prisma),
      directories,
      directory: live,
      deps,
      close: () => db.close(),
    };
  } catch (e) {
    await db.close().catch(() => undefined);
    throw e;
  }
}
