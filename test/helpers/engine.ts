/**
 * An engine (database + live directory + FlowDeps) for flow integration tests, on a fresh PostgreSQL
 * database or an in-memory PGlite, with the example directory and a clock the test moves by hand.
 *
 * By default it goes through the real composition root (`openEngine`), which imports the example file on
 * a fresh database. With `poolSize` (PostgreSQL concurrency tests) it composes the same parts by hand,
 * since `openEngine` does not expose the pool size.
 */
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { LiveDirectory, openEngine, readDirectoryFile, type Engine } from '../../src/app/context.ts';
import { directoryHash } from '../../src/app/directory-file.ts';
import { EXAMPLE_DIRECTORY, type Config } from '../../src/config.ts';
import { replay } from '../../src/domain/evolve.ts';
import type { CommandActor, ConsultationEvent, ConsultationState } from '../../src/domain/types.ts';
import type { CountryCode, Directory, FocalPoint } from '../../src/directory/model.ts';
import { identify } from '../../src/flows/people.ts';
import type { FlowDeps } from '../../src/flows/ports.ts';
import { ConsultationStore } from '../../src/store/consultation-store.ts';
import { DirectoryStore } from '../../src/store/directory-store.ts';
import { InboxStore } from '../../src/store/inbox-store.ts';
import { OutboxStore } from '../../src/store/outbox-store.ts';
import { createPostgresDatabase, openTestDatabase, type Backend } from './db.ts';

/** A clock that only moves when told to. */
export class TestClock {
  private ms: number;
  constructor(start: Date | string) {
    this.ms = new Date(start).getTime();
    if (Number.isNaN(this.ms)) throw new RangeError(`bad clock start ${String(start)}`);
  }
  now = (): Date => new Date(this.ms);
  set(at: Date | string): void {
    const ms = new Date(at).getTime();
    if (Number.isNaN(ms)) throw new RangeError(`bad clock time ${String(at)}`);
    this.ms = ms;
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/**
 * Tuesday 1 December 2026, 09:00 in San José: PA holds the presidency (2026-11-20 → 2027-11-18), so the
 * Troika is MX (previous), PA (current, the author) and SV (designated next).
 */
export const DECEMBER_2026 = '2026-12-01T15:00:00.000Z';

export type TestEngine = Engine & { backend: Backend; clock: TestClock; dispose(): Promise<void> };

export interface TestEngineOptions {
  /** Clock start (default DECEMBER_2026). */
  now?: Date | string;
  /** PostgreSQL pool size; when set, the engine is composed by hand instead of through openEngine. */
  poolSize?: number;
  /** A directory imported (and made live) after opening, instead of the example file alone. */
  directory?: Directory;
}

function testConfig(dataDir: string, databaseUrl?: string): Config {
  return {
    port: 0,
    directoryPath: EXAMPLE_DIRECTORY,
    directoryIsExample: true,
    dataDir,
    ...(databaseUrl ? { databaseUrl } : {}),
    logLevel: 'silent',
  };
}

export async function openTestEngine(backend: Backend, label: string, options: TestEngineOptions = {}): Promise<TestEngine> {
  const clock = new TestClock(options.now ?? DECEMBER_2026);
  let engine: Engine;
  let drop: () => Promise<void> = async () => undefined;

  if (options.poolSize === undefined) {
    if (backend === 'pglite') {
      engine = await openEngine(testConfig('memory://'), { clock: clock.now });
    } else {
      const pgdb = await createPostgresDatabase(label);
      drop = pgdb.drop;
      try {
        engine = await openEngine(testConfig('unused', pgdb.url), { clock: clock.now });
      } catch (e) {
        await pgdb.drop();
        throw e;
      }
    }
  } else {
    const db = await openTestDatabase(backend, label, { poolSize: options.poolSize });
    try {
      const consultations = new ConsultationStore(db.prisma);
      const directories = new DirectoryStore(db.prisma);
      const file = await readDirectoryFile(EXAMPLE_DIRECTORY);
      await directories.importDirectory(file.directory, { sha256: file.sha256, sourcePath: EXAMPLE_DIRECTORY });
      const live = new LiveDirectory(file.directory, { sha256: file.sha256, path: EXAMPLE_DIRECTORY });
      const deps: FlowDeps = { store: consultations, directory: live, calendars: live, clock: { now: clock.now }, newId: randomUUID };
      engine = {
        db,
        consultations,
        outbox: new OutboxStore(db.prisma),
        inbox: new InboxStore(db.prisma),
        directories,
        directory: live,
        deps,
        close: () => db.close(),
      };
      drop = async () => {
        await db.dispose();
      };
    } catch (e) {
      await db.dispose();
      throw e;
    }
  }

  const test: TestEngine = Object.assign(engine, {
    backend,
    clock,
    dispose: async () => {
      await engine.close();
      await drop();
    },
  });
  if (options.directory) await importLive(test, options.directory);
  return test;
}

/** Imports a directory into the store and makes it the live one (what `crm directory import` does). */
export async function importLive(engine: Engine, directory: Directory, path = 'test://directory'): Promise<void> {
  const sha256 = directoryHash(JSON.stringify(directory));
  await engine.directories.importDirectory(directory, { sha256, sourcePath: path });
  engine.directory.replace(directory, { sha256, path });
}

/** The example directory, parsed. */
export async function exampleDirectory(): Promise<Directory> {
  return (await readDirectoryFile(EXAMPLE_DIRECTORY)).directory;
}

/** The actor for a Slack user of `directory` (default: the live one); fails the test when unknown. */
export function slackActor(source: Engine | Directory, userId: string): CommandActor {
  const directory = 'deps' in source ? source.directory.current() : source;
  const actor = identify(directory, { platform: 'slack', userId });
  if (!actor) throw new Error(`no one with Slack id ${userId} in the directory`);
  return actor;
}

/** A new focal point for `country`, reachable on Slack, with a unique e-mail and Slack id. */
export function extraFocalPoint(country: CountryCode, n: number, over: Partial<FocalPoint> = {}): FocalPoint {
  const email = `fp${n}.${country.toLowerCase()}@extra.example.org`;
  return {
    id: email,
    name: `Focal ${country} ${n}`,
    email,
    slack: `U1${country}${String(n).padStart(7, '0')}`,
    locale: 'es',
    timezone: 'America/Costa_Rica',
    country,
    ...over,
  };
}

/** Member countries with exactly `perCountry` focal points (the example's, then extra ones). */
export function withFocalPoints(base: Directory, perCountry: number): Directory {
  const d = structuredClone(base);
  for (const c of d.countries) {
    if (c.status !== 'member') continue;
    const fps = c.focalPoints.slice(0, perCountry);
    for (let n = fps.length + 1; fps.length < perCountry; n++) fps.push(extraFocalPoint(c.code, n, { timezone: c.timezone }));
    c.focalPoints = fps;
  }
  return d;
}

export interface LogCheck {
  state: ConsultationState;
  events: ConsultationEvent[];
}

/**
 * The stored event log replays to the stored snapshot, the snapshot's version is the number of events
 * and the row's version is the number of applied commands (appends).
 */
export async function expectLogMatchesSnapshot(engine: Engine, consultationId: string): Promise<LogCheck> {
  const stored = await engine.consultations.load(consultationId);
  expect(stored, `consultation ${consultationId} stored`).toBeDefined();
  const rows = await engine.consultations.events(consultationId);
  expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1));
  const events = rows.map((r) => r.payload as ConsultationEvent);
  expect(rows.map((r) => r.type)).toEqual(events.map((e) => e.type));
  const snapshot = stored!.snapshot as ConsultationState;
  expect(replay(events)).toEqual(snapshot);
  // Two counters: the snapshot's `version` counts events (the domain's), the row's counts appends (the
  // store's optimistic lock): one append per applied command.
  expect(snapshot.version).toBe(events.length);
  const applied = await engine.db.prisma.commandLog.count({ where: { consultationId, status: 'applied' } });
  expect(stored!.version).toBe(applied);
  expect(stored!.stage).toBe(snapshot.stage);
  expect(stored!.outcome).toBe(snapshot.outcome ?? null);
  expect(stored!.deadlineVersion).toBe(snapshot.deadlineVersion);
  expect(stored!.deadline?.toISOString() ?? undefined).toBe(snapshot.deadline);
  return { state: snapshot, events };
}

export interface OutboxRow {
  kind: string;
  platform: string;
  dedupeKey: string;
  recipient: { kind: 'person'; personId: string; slack?: string; teams?: string } | { kind: 'secretariat_channel'; slack?: string };
  payload: { kind: string; locale: string; metadata?: { eventType: string; payload: Record<string, unknown> } } & Record<string, unknown>;
}

export async function outboxOf(engine: Engine, consultationId: string): Promise<OutboxRow[]> {
  const rows = await engine.db.prisma.outboxMessage.findMany({ where: { consultationId }, orderBy: [{ createdAt: 'asc' }, { dedupeKey: 'asc' }] });
  return rows.map((r) => ({
    kind: r.kind,
    platform: r.platform,
    dedupeKey: r.dedupeKey,
    recipient: r.recipient as OutboxRow['recipient'],
    payload: r.payload as OutboxRow['payload'],
  }));
}

/** Person ids of the person recipients of `kind`, sorted (duplicates kept). */
export function recipientsOf(rows: readonly OutboxRow[], kind: string): string[] {
  return rows
    .filter((r) => r.kind === kind && r.recipient.kind === 'person')
    .map((r) => (r.recipient as { personId: string }).personId)
    .sort();
}

/** Every focal point id of the given countries in `directory`, sorted. */
export function focalPointIds(directory: Directory, countries?: readonly CountryCode[]): string[] {
  return directory.countries
    .filter((c) => (countries ? countries.includes(c.code) : c.status === 'member'))
    .flatMap((c) => c.focalPoints.map((f) => f.id))
    .sort();
}

export async function commandLogOf(engine: Engine, where: { consultationId?: string; keys?: string[] }) {
  return engine.db.prisma.commandLog.findMany({
    where: {
      ...(where.consultationId ? { consultationId: where.consultationId } : {}),
      ...(where.keys ? { key: { in: where.keys } } : {}),
    },
    orderBy: { createdAt: 'asc' },
  });
}
