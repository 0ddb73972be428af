import { describe, expect, it } from 'vitest';
import { parseInstant, run } from '../../../src/cli/commands/deadline.ts';
import type { Directory } from '../../../src/directory/model.ts';
import { MEMBERS } from '../calendar/fixtures.ts';

function directory(): Directory {
  return {
    secretariat: { timezone: 'America/Costa_Rica', calendar: 'CR', locale: 'es', staff: [] },
    presidencies: [],
    countries: MEMBERS.map(([code, timezone, calendar]) => ({
      code,
      status: 'member' as const,
      name: { es: code, en: code },
      timezone,
      calendar,
      focalPoints: [],
    })),
    organizations: [],
    holidays: [],
  };
}

async function call(args: string[], dir: Directory = directory()) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(args, { out: (l) => out.push(l), err: (l) => err.push(l) }, {
    loadDirectory: async () => ({ ok: true, directory: dir, warnings: [] }),
  });
  return { code, out, err, json: out.length ? (JSON.parse(out.join('\n')) as Record<string, unknown>) : undefined };
}

describe('crm deadline', () => {
  it('defaults: 5 business days, secretariat calendar', async () => {
    const r = await call(['--start', '2026-11-27T15:00:00-06:00']);
    expect(r.code).toBe(0);
    expect(r.out).toHaveLength(1);
    expect(r.json).toEqual({
      deadline: '2026-12-07T23:59:59-06:00',
      calendar: 'secretariat',
      timeZone: 'America/Costa_Rica',
      counted: ['2026-11-30', '2026-12-02', '2026-12-03', '2026-12-04', '2026-12-07'],
      skipped: [
        { date: '2026-11-28', reason: 'weekend' },
        { date: '2026-11-29', reason: 'weekend' },
        { date: '2026-12-01', reason: 'holiday', name: 'Día de la Abolición del Ejército / Army Abolition Day' },
        { date: '2026-12-05', reason: 'weekend' },
        { date: '2026-12-06', reason: 'weekend' },
      ],
    });
  });

  it('--days and --calendar ISO2 (=value form too), offset of that country', async () => {
    const r = await call(['--start=2026-11-27T21:00:00Z', '--days=3', '--calendar', 'us']);
    expect(r.code).toBe(0);
    expect(r.json).toMatchObject({ deadline: '2026-12-02T23:59:59-05:00', calendar: 'US', counted: ['2026-11-30', '2026-12-01', '2026-12-02'] });
  });

  it('all-members adds unverifiedYears and a warning (Belize)', async () => {
    const r = await call(['--start', '2026-11-27T15:00:00-06:00', '--calendar', 'all-members']);
    expect(r.code).toBe(0);
    expect(r.json?.unverifiedYears).toEqual([2026]);
    expect(r.json?.warning).toMatch(/2026.*BZ/);
  });

  it.each([
    [['--days', '5'], /--start: required/],
    [['--start', '2026-11-27T15:00:00'], /--start: .*explicit offset/],
    [['--start', '2026-11-27'], /--start/],
    [['--start', '2026-02-30T10:00:00Z'], /--start/],
    [['--start', 'yesterday'], /--start/],
    [['--start', '2026-11-27T15:00:00Z', '--days', '0'], /--days: "0" must be an integer from 1 to 60/],
    [['--start', '2026-11-27T15:00:00Z', '--days', '61'], /--days/],
    [['--start', '2026-11-27T15:00:00Z', '--days', '2.5'], /--days/],
    [['--start', '2026-11-27T15:00:00Z', '--days'], /--days: missing value/],
    [['--start', '2026-11-27T15:00:00Z', '--calendar', 'members'], /--calendar: "members"/],
    [['--start', '2026-11-27T15:00:00Z', '--calendar', 'FR'], /--calendar: "FR" is not a country in the directory/],
    [['--start', '2026-11-27T15:00:00Z', '--tz', 'UTC'], /unknown option "--tz"/],
    [['--start', '2026-11-27T15:00:00Z', 'extra'], /unexpected argument "extra"/],
    [['--start', '2026-11-27T15:00:00Z', '--start', '2026-11-28T15:00:00Z'], /--start: given more than once/],
  ])('rejects %j', async (args, message) => {
    const r = await call(args);
    expect(r.code).toBe(1);
    expect(r.out).toEqual([]);
    expect(r.err[0]).toMatch(message);
  });

  it('reports an invalid directory and exits 1', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await run(['--start', '2026-11-27T15:00:00Z'], { out: (l) => out.push(l), err: (l) => err.push(l) }, {
      loadDirectory: async () => ({ ok: false, problems: ['countries[0].calendar: required'], path: 'x.yaml' }),
    });
    expect(code).toBe(1);
    expect(err.join('\n')).toMatch(/x\.yaml is invalid[\s\S]*countries\[0\]\.calendar/);
  });

  it('an unknown calendar id in the directory is a clear error', async () => {
    const dir = directory();
    dir.secretariat.calendar = 'QQ';
    const r = await call(['--start', '2026-11-27T15:00:00Z'], dir);
    expect(r.code).toBe(1);
    expect(r.err[0]).toMatch(/unknown holiday calendar "QQ"/);
  });

  it('parseInstant requires an explicit offset and a real date', () => {
    expect(parseInstant('2026-11-27T15:00:00-06:00')?.toISOString()).toBe('2026-11-27T21:00:00.000Z');
    expect(parseInstant('2026-11-27T15:00Z')?.toISOString()).toBe('2026-11-27T15:00:00.000Z');
    expect(parseInstant('2026-11-27T15:00:00.123+01:00')?.toISOString()).toBe('2026-11-27T14:00:00.123Z');
    expect(parseInstant('2026-11-27T15:00:00')).toBeUndefined();
    expect(parseInstant('2026-13-01T00:00:00Z')).toBeUndefined();
    expect(parseInstant('2026-11-27T24:00:00Z')).toBeUndefined();
  });

  it('with the configured directory file (the example directory)', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await run(['--start', '2026-11-27T15:00:00-06:00', '--calendar', 'MX'], { out: (l) => out.push(l), err: (l) => err.push(l) });
    expect(err).toEqual([]);
    expect(code).toBe(0);
    expect(JSON.parse(out.join('\n'))).toMatchObject({ deadline: '2026-12-04T23:59:59-06:00', calendar: 'MX' });
  });
});

describe('crm deadline errors are one line', () => {
  it('prints exactly one stderr line for a bad argument', async () => {
    const err: string[] = [];
    const code = await run(['--start', 'nope'], { out: () => {}, err: (l) => err.push(l) }, {
      loadDirectory: async () => {
        throw new Error('must not load the directory before arguments are valid');
      },
    });
    expect(code).toBe(1);
    expect(err).toHaveLength(1);
  });
});
