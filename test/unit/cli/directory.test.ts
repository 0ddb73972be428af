import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { registerDirectorySubcommand, run, type DirectoryDeps } from '../../../src/cli/commands/directory.ts';

const EXAMPLE = 'config/directory.example.yaml';
const fx = (name: string) => `test/fixtures/directory/${name}`;

async function cli(args: string[], deps: Partial<DirectoryDeps> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(args, { out: (l) => out.push(l), err: (l) => err.push(l) }, deps);
  return { code, out, err };
}

describe('crm directory check', () => {
  it('valid example: summary on stdout, nothing on stderr, exit 0', async () => {
    const r = await cli(['check', EXAMPLE]);
    expect(r.code).toBe(0);
    expect(r.err).toEqual([]);
    expect(r.out).toEqual([
      `${EXAMPLE}: OK`,
      'members: 11, observer countries: 5, organisations: 12, focal points: 18, ST staff: 2, presidency terms: 11, holiday overrides: 1',
      'body: CRM, Regional Conference on Migration / Conferencia Regional sobre Migración',
      'member countries (11): BZ CA CR SV US GT HN MX NI PA DO',
      'observer countries (5): AR CO EC JM PE',
    ]);
  });

  it('valid file with warnings: exit 0, each warning prefixed', async () => {
    const r = await cli(['check', fx('valid-small.yaml')]);
    expect(r.code).toBe(0);
    expect(r.out[0]).toBe(`${fx('valid-small.yaml')}: OK`);
    expect(r.err.length).toBeGreaterThan(0);
    for (const l of r.err) expect(l).toMatch(/^warning: /);
    expect(r.err).toContain('warning: countries[1].focalPoints: member country PA has no focal points; consultations cannot reach it');
  });

  it('invalid file: one line per problem on stderr, no summary, exit 1, file untouched', async () => {
    const path = fx('bad-slack.yaml');
    const before = createHash('sha256').update(readFileSync(path)).digest('hex');
    const r = await cli(['check', path]);
    expect(r.code).toBe(1);
    expect(r.out).toEqual([]);
    expect(r.err).toEqual(['countries[3].focalPoints[0].slack: expected a Slack user id']);
    expect(createHash('sha256').update(readFileSync(path)).digest('hex')).toBe(before);
  });

  it('many problems: all reported, one per line', async () => {
    const r = await cli(['check', fx('many-problems.yaml')]);
    expect(r.code).toBe(1);
    expect(r.out).toEqual([]);
    expect(r.err.length).toBeGreaterThanOrEqual(15);
    for (const l of r.err) expect(l).not.toContain('\n');
  });

  it('missing file: clear problem, exit 1', async () => {
    const r = await cli(['check', 'nope/dir.yaml']);
    expect(r).toEqual({ code: 1, out: [], err: ['nope/dir.yaml: cannot read the directory file (no such file)'] });
  });

  it('missing FILE or extra arguments: usage, exit 1', async () => {
    for (const args of [['check'], ['check', EXAMPLE, 'more']]) {
      const r = await cli(args);
      expect(r.code).toBe(1);
      expect(r.out).toEqual([]);
      expect(r.err.join('\n')).toContain('crm directory check FILE');
    }
  });
});

describe('crm directory show-troika', () => {
  it('prints PPT and Troika as JSON for a date', async () => {
    const r = await cli(['show-troika', '--date', '2026-12-01', EXAMPLE]);
    expect(r.code).toBe(0);
    expect(r.err).toEqual([]);
    expect(JSON.parse(r.out.join('\n'))).toEqual({
      date: '2026-12-01',
      ppt: { country: 'PA', name: { es: 'Panamá', en: 'Panama' }, from: '2026-11-20', to: '2027-11-18' },
      troika: { previous: 'MX', current: 'PA', next: 'SV', countries: ['MX', 'PA', 'SV'], incomplete: false },
      directory: { file: EXAMPLE },
    });
  });

  it('accepts --date=…, and an incomplete Troika is reported as such', async () => {
    const r = await cli(['show-troika', fx('valid-small.yaml'), '--date=2026-01-01']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out.join('\n')).troika).toEqual({ previous: 'CR', current: 'PA', countries: ['CR', 'PA'], incomplete: true });
  });

  it('default date: today in the secretariat zone', async () => {
    // 2026-11-20T03:00Z is still 2026-11-19 in Costa Rica (UTC-6): MX, not PA.
    const r = await cli(['show-troika', EXAMPLE], { env: {}, now: () => new Date('2026-11-20T03:00:00Z') });
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out.join('\n'));
    expect(j).toMatchObject({ date: '2026-11-19', timezone: 'America/Costa_Rica', ppt: { country: 'MX' } });
    // Without FILE the live directory (the database's) is read: test/e2e/cli-and-demo.test.ts.
  });

  it('no PPT in office on that date: exit 1', async () => {
    const r = await cli(['show-troika', '--date', '2010-01-01', EXAMPLE]);
    expect(r).toEqual({ code: 1, out: [], err: [`crm directory: no PPT in office on 2010-01-01 according to ${EXAMPLE}`] });
  });

  it('bad date, unknown option, invalid file', async () => {
    expect((await cli(['show-troika', '--date', '2026-02-30', EXAMPLE])).code).toBe(1);
    expect((await cli(['show-troika', '--date'])).code).toBe(1);
    expect((await cli(['show-troika', '--when', 'x'])).code).toBe(1);
    const bad = await cli(['show-troika', '--date', '2026-01-01', fx('bad-slack.yaml')]);
    expect(bad).toEqual({ code: 1, out: [], err: ['countries[3].focalPoints[0].slack: expected a Slack user id'] });
  });
});

describe('crm directory: dispatch', () => {
  it('import of an invalid file: one line per problem, exit 1, and no database is even opened', async () => {
    const dataDir = join(tmpdir(), `crm-no-db-${process.pid}-${Date.now()}`);
    const r = await cli(['import', fx('bad-slack.yaml')], { env: { CRM_DATA_DIR: dataDir } });
    expect(r.code).toBe(1);
    expect(r.out).toEqual([]);
    expect(r.err.at(-1)).toMatch(/^crm directory import: nothing imported \(\d+ problems?\)$/);
    expect(r.err.some((l) => /\.slack: expected a Slack user id/.test(l))).toBe(true);
    expect(existsSync(dataDir)).toBe(false);
  });

  it('import without exactly one FILE: usage, exit 1', async () => {
    const r = await cli(['import']);
    expect(r.code).toBe(1);
    expect(r.err.join('\n')).toContain('directory import takes exactly one FILE');
  });

  it('unknown or missing subcommand: usage on stderr, exit 1', async () => {
    for (const args of [[], ['frobnicate']]) {
      const r = await cli(args);
      expect(r.code).toBe(1);
      expect(r.out).toEqual([]);
      expect(r.err.join('\n')).toMatch(/Usage:[\s\S]*crm directory check FILE[\s\S]*show-troika[\s\S]*import FILE/);
    }
  });

  it('help goes to stdout, exit 0', async () => {
    const r = await cli(['--help']);
    expect(r.code).toBe(0);
    expect(r.out.join('\n')).toContain('crm directory show-troika');
  });

  it('a subcommand can be registered (the slot for the database import)', async () => {
    registerDirectorySubcommand('test-only', async (args, io) => (io.out(`got ${args.join(' ')}`), 0));
    expect(await cli(['test-only', 'a', 'b'])).toEqual({ code: 0, out: ['got a b'], err: [] });
  });
});
