/**
 * Fuzzing the operator CLI in-process (`main(argv, io)` of src/cli/main.ts) with random argv: the
 * commands, subcommands and flags it knows, values of every kind (instants, numbers, calendars, stages,
 * files that exist, are invalid, are missing, are folders), and words it does not know. The database is a
 * fresh PostgreSQL one (DATABASE_URL); CRM_DATA_DIR names a folder that must never appear.
 *
 * For any argv: exit code 0, 1 or 2 (src/cli/commands/directory.ts: 0 ok, 1 invalid input or usage, 2
 * not available); every line written is one line; no stack trace, ever; on an error the first line on
 * stderr names the command (`crm deadline: --days: …`) or, for a directory file, the field; nothing on
 * stdout, and nothing written (the database unchanged, no data folder). `crm deadline` succeeds with one
 * JSON object.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { createPostgresDatabase, type TestPostgres } from '../helpers/db.ts';
import { check, nastyString, report, runs, tally } from './support.ts';

const dir = mkdtempSync(join(tmpdir(), 'crm-fuzz-cli-'));
const DATA_DIR = join(dir, 'data-dir-never-created');
const INVALID_YAML = join(dir, 'invalid.yaml');
const BROKEN_YAML = join(dir, 'broken.yaml');
const EXAMPLE = 'config/directory.example.yaml';
let database: TestPostgres;
let client: pg.Client;
const saved = { ...process.env };

beforeAll(async () => {
  database = await createPostgresDatabase(import.meta.url);
  writeFileSync(INVALID_YAML, 'secretariat: {}\npresidencies: []\ncountries: [{ code: XX }]\n');
  writeFileSync(BROKEN_YAML, 'countries: [\n  - a: b: c\n');
  for (const k of Object.keys(process.env)) if (k.startsWith('CRM_') || k.startsWith('SLACK_') || k.startsWith('TEAMS_') || k === 'REDIS_URL') delete process.env[k];
  Object.assign(process.env, { DATABASE_URL: database.url, CRM_DATA_DIR: DATA_DIR, LOG_LEVEL: 'silent' });
  // The schema exists before the first case, so every case starts from a migrated database.
  const io = collect();
  expect(await main(['migrate'], io.io), io.err.join('\n')).toBe(0);
  client = new pg.Client({ connectionString: database.url });
  await client.connect();
}, 120_000);

afterAll(async () => {
  await client?.end();
  process.env = saved;
  await database?.drop();
  rmSync(dir, { recursive: true, force: true });
  console.log(report('cli'));
});

function collect() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l: string) => void out.push(l), err: (l: string) => void err.push(l) } };
}

async function fingerprint(): Promise<string> {
  const r = await client.query(`
    SELECT (SELECT count(*) FROM directory_imports) AS imports, (SELECT count(*) FROM consultations) AS consultations,
           (SELECT count(*) FROM consultation_events) AS events, (SELECT count(*) FROM outbox) AS outbox,
           (SELECT count(*) FROM command_log) AS commands, (SELECT count(*) FROM _prisma_migrations) AS migrations`);
  return JSON.stringify(r.rows[0]);
}

// ---------------------------------------------------------------------------------------- generators

const COMMANDS = ['deadline', 'directory', 'migrate', 'consultations', 'outbox', 'help', '--help', '-h', 'meetings', 'duties', 'Deadline', 'DIRECTORY', ''];
const SUBCOMMANDS = ['check', 'import', 'show-troika', 'help', '--help', 'show', 'export', 'Check'];
const FLAGS = ['--start', '--days', '--calendar', '--date', '--stage', '--status', '--limit', '--json', '--', '-', '-h', '--help', '--start=', '--days=5', '--days=0', '--calendar=CR', '--calendar=all-members', '--date=2026-12-01', '--stage=closed', '--status=dead', '--limit=5'];
const VALUES = [
  '2026-11-27T15:00:00-06:00', '2026-11-27T21:00Z', '2026-12-24T09:00:00.123456789-06:00', '2026-02-30T10:00Z', '2026-11-27', '2026-11-27T24:00:00Z', '2026-11-27T10:00:00+25:00', '+275760-09-13T00:00:00Z', 'now', '1764284400',
  '5', '1', '60', '0', '61', '-1', '1e3', '５', 'NaN', '9'.repeat(400), '5.0', ' 5',
  'secretariat', 'all-members', 'CR', 'cr', 'XX', 'US-DC', 'JM', 'ZZ',
  'closed', 'draft', 'member_consultation', 'pending', 'sent', 'dead', 'Closed',
  'CRM-2026-001', 'crm-2026-001', 'CRM-9999-999999', '../../etc/passwd',
  '2026-12-01', '2026-13-01', '1999-01-01', '9999-12-31',
];
const FILES = [EXAMPLE, INVALID_YAML, BROKEN_YAML, join(dir, 'missing.yaml'), dir, '/dev/null', '-', ''];

const word = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...FLAGS) },
  { weight: 4, arbitrary: fc.constantFrom(...VALUES) },
  { weight: 2, arbitrary: fc.constantFrom(...FILES) },
  { weight: 1, arbitrary: fc.constantFrom(...SUBCOMMANDS) },
  { weight: 2, arbitrary: nastyString() },
);

/** A command the CLI knows (mostly) followed by some words; or words alone. */
const argv: fc.Arbitrary<string[]> = fc.oneof(
  { weight: 8, arbitrary: fc.tuple(fc.constantFrom(...COMMANDS), fc.array(word, { minLength: 1, maxLength: 5 })).map(([c, rest]) => [c, ...rest]) },
  { weight: 3, arbitrary: fc.tuple(fc.constantFrom(...SUBCOMMANDS), fc.array(word, { maxLength: 3 })).map(([s, rest]) => ['directory', s, ...rest]) },
  { weight: 1, arbitrary: fc.constantFrom<string[]>(['migrate'], ['consultations'], ['outbox'], ['help'], [], ['deadline']) },
  { weight: 2, arbitrary: fc.array(fc.oneof(word, fc.string()), { maxLength: 4 }) },
);

/** Commands that may write when given valid arguments (the database migration, a directory import). */
const MAY_WRITE = (a: string[]) => a[0] === 'migrate' || (a[0] === 'directory' && a[1] === 'import') || (a[0] === 'directory' && a[1] === 'show-troika');

/** Lines a command may print for a directory file: problems that name a field, or the file. */
const DIRECTORY_PROBLEM = /^(?:\(document\)|[A-Za-z_][\w]*|\[)|^.+: (?:cannot read|line \d+|\(document\))|^warning: /;

describe('crm <argv>', () => {
  it('exit 0, 1 or 2; one line at a time; never a stack trace; on an error: says what, prints nothing else, writes nothing', async () => {
    await check('argv', argv, async (a) => {
      const before = await fingerprint();
      const { out, err, io } = collect();
      let code: number;
      try {
        code = await main(a, io);
      } catch (e) {
        throw new Error(`main threw on ${JSON.stringify(a)}: ${(e as Error).stack}`);
      }
      const what = JSON.stringify(a).slice(0, 300);
      tally('argv', `${COMMANDS.includes(a[0] ?? '') ? a[0] || '(empty)' : a[0] === undefined ? '(none)' : '(other)'} exit ${code}`);
      expect([0, 1, 2], what).toContain(code);
      const errLines = err.flatMap((x) => x.split('\n'));
      for (const l of [...out.flatMap((x) => x.split('\n')), ...errLines]) {
        expect(l, `${what}: stack trace`).not.toMatch(/^\s+at .+[:(]\d+:\d+\)?$|node:internal|\.ts:\d+:\d+/);
      }
      if (code !== 0) {
        expect(errLines.length, `${what}: an error without a word`).toBeGreaterThan(0);
        expect(err[0], `${what}: the error spans lines`).not.toMatch(/\n/);
        const first = errLines[0]!;
        expect(first.startsWith('crm') || (a[0] === 'directory' && DIRECTORY_PROBLEM.test(first)), `${what}: first line "${first}" names nothing`).toBe(true);
        // Short; a directory FILE is named whole (it is the operator's own path), any other value cut short.
        expect(first.length, what).toBeLessThan(a[0] === 'directory' ? 1000 + Math.max(0, ...a.map((x) => x.length)) : 1000);
        expect(out, `${what}: printed on stdout while failing`).toEqual([]);
        expect(await fingerprint(), `${what}: wrote to the database while failing`).toBe(before);
      } else if (!MAY_WRITE(a)) {
        expect(await fingerprint(), `${what}: wrote to the database`).toBe(before);
      }
      if (code === 0 && a[0] === 'deadline' && !a.some((x) => x === '--help' || x === '-h')) {
        const parsed = JSON.parse(out.join('\n')) as { deadline: string; counted: string[] };
        expect(parsed.deadline, what).toMatch(/^\d{4}-\d{2}-\d{2}T23:59:59[+-]\d{2}:\d{2}$/);
      }
      expect(existsSync(DATA_DIR), `${what}: created the data folder`).toBe(false);
    }, runs(1200));
  });

  it('a few that must work: help, deadline, directory check, consultations, outbox', async () => {
    for (const [a, code] of [
      [['help'], 0],
      [['deadline', '--start', '2026-11-27T15:00:00-06:00'], 0],
      [['deadline', '--start=2026-11-27T15:00:00-06:00', '--days=3', '--calendar=all-members'], 0],
      [['directory', 'check', EXAMPLE], 0],
      [['directory', 'check', INVALID_YAML], 1],
      [['consultations'], 0],
      [['outbox', '--status', 'dead', '--limit', '5'], 0],
      [['deadline', '--days', '61', '--start', '2026-11-27T15:00:00-06:00'], 1],
    ] as [string[], number][]) {
      const { out, err, io } = collect();
      expect(await main(a, io), `${a.join(' ')}: ${err.join(' | ')}`).toBe(code);
      if (code === 0) expect(out.length, a.join(' ')).toBeGreaterThan(0);
    }
  });
});
