/**
 * Fuzzing the directory file through `crm directory check`'s logic (src/directory/load.ts: YAML → schema
 * → semantic checks) and through the command itself (src/cli/commands/directory.ts, in-process):
 *
 *   - any text (YAML-like token soup, random bytes, deep nesting, alias bombs, any JSON serialised as
 *     YAML): never throws; either valid or one line per problem, each naming where (a field path, or the
 *     line and column of a syntax error);
 *   - the example with one change that keeps it valid (another name, language, zone, an extra focal point
 *     or holiday, an optional field dropped, the lists reordered): still valid;
 *   - the example with one change that breaks it (a scalar replaced by a mapping or a list, an unknown
 *     field, a required field removed, an entry duplicated): invalid, and a problem names that field;
 *   - `crm directory check FILE`: exit 0 with the summary for a valid file, exit 1 with exactly those
 *     problem lines on stderr and nothing on stdout otherwise.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { run as directoryCommand } from '../../src/cli/commands/directory.ts';
import { parseDirectory, type DirectoryResult } from '../../src/directory/load.ts';
import { storableText } from '../../src/domain/text-version.ts';
import { EXAMPLE_TEXT } from '../unit/directory/helpers.ts';
import { check, nastyString, report, runs, tally } from './support.ts';

const dir = mkdtempSync(join(tmpdir(), 'crm-fuzz-directory-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  console.log(report('directory'));
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Raw = any;
const EXAMPLE: Raw = parse(EXAMPLE_TEXT);

/** A path segment as the checker writes it: `name`, `[3]`, or `["a key with spaces"]`. */
const SEGMENT = String.raw`(?:[A-Za-z_][A-Za-z0-9_]*|\[\d+\]|\["(?:[^"\\]|\\.)*"\])`;
const PATH = new RegExp(String.raw`^(?:\(document\)|${SEGMENT}(?:\.[A-Za-z_][A-Za-z0-9_]*|\[\d+\]|\["(?:[^"\\]|\\.)*"\])*)(?::|$)`);
const LINE = /^line \d+, column \d+: \S/;

/**
 * Every problem is one line that says where: a field path, or the line and column of a syntax error
 * (those, and problems of the whole document, start with the file's name when it is given).
 */
function expectWellFormed(r: DirectoryResult, what: string, source?: string): void {
  const lines = r.ok ? r.warnings : r.problems;
  if (!r.ok) expect(r.problems.length, what).toBeGreaterThan(0);
  for (const line of lines) {
    expect(line, `${what}: more than one line`).not.toMatch(/[\r\n]/);
    const p = source && line.startsWith(`${source}: `) ? line.slice(source.length + 2) : line;
    expect(PATH.test(p) || LINE.test(p), `${what}: "${line}" names no field`).toBe(true);
    expect(p.length, what).toBeLessThan(600);
  }
}

// ------------------------------------------------------------------------------------ random text

const yamlToken = fc.oneof(
  fc.constantFrom('secretariat:', 'countries:', 'presidencies:', '- ', '  ', '\n', ': ', '{', '}', '[', ']', ',', '&a ', '*a', '!!str ', '!!binary ', '!!js/function ', '? ', '|', '>', '#', '---', '...', '"', "'", '%YAML 1.2', '<<: *a', 'code: CR', 'status: member', 'from: 2026-11-20', 'name: { es: X, en: Y }', 'focalPoints:', 'email: x@example.org', 'slack: U0X', '\t', '~', 'null', '0x1F', '1e309', '.nan', '2026-13-45'),
  nastyString(),
);
const randomText = fc.oneof(
  { weight: 6, arbitrary: fc.array(yamlToken, { maxLength: 60 }).map((t) => t.join('')) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 300 }) },
  { weight: 3, arbitrary: fc.anything({ maxDepth: 4 }).map((v) => stringify(v ?? null)) },
  // nesting deeper than the parser's call stack (a few sizes: each takes a while to parse)
  { weight: 1, arbitrary: fc.constantFrom(300, 1500, 4000).chain((n) => fc.constantFrom(`${'['.repeat(n)}${']'.repeat(n)}`, `a: ${'{b: '.repeat(n)}1${'}'.repeat(n)}`, Array.from({ length: Math.min(n, 1500) }, (_, i) => `${' '.repeat(i)}- `).join('\n'))) },
  { weight: 1, arbitrary: fc.integer({ min: 5, max: 12 }).map((n) => {
    // an alias bomb: each level ten references to the previous one
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i <= n; i++) lines.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]`);
    return lines.join('\n');
  }) },
  // the example, cut, or with a stretch repeated
  { weight: 2, arbitrary: fc.tuple(fc.nat(EXAMPLE_TEXT.length), fc.nat(EXAMPLE_TEXT.length)).map(([a, b]) => EXAMPLE_TEXT.slice(0, Math.max(a, b)) + EXAMPLE_TEXT.slice(Math.min(a, b))) },
  { weight: 2, arbitrary: fc.nat(EXAMPLE_TEXT.length).map((n) => EXAMPLE_TEXT.slice(0, n)) },
);

describe('any text', () => {
  it('parseDirectory never throws; valid, or one line per problem naming where', async () => {
    await check('random text', randomText, (text) => {
      let r: DirectoryResult;
      try {
        r = parseDirectory(text, 'fuzz.yaml');
      } catch (e) {
        throw new Error(`threw ${(e as Error).name}: ${(e as Error).message} on ${JSON.stringify(text.slice(0, 200))}`);
      }
      tally('random text', r.ok ? 'valid' : 'problems');
      expectWellFormed(r, JSON.stringify(text.slice(0, 200)), 'fuzz.yaml');
    }, runs(500));
  });
});

// --------------------------------------------------------------------------------- the example, changed

interface Leaf {
  path: (string | number)[];
  value: unknown;
}
/** Every scalar of the document with its path. */
function leaves(v: Raw, path: (string | number)[] = []): Leaf[] {
  if (Array.isArray(v)) return v.flatMap((x, i) => leaves(x, [...path, i]));
  if (v && typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => leaves(x, [...path, k]));
  return [{ path, value: v }];
}
/** Every mapping of the document with its path. */
function mappings(v: Raw, path: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(v)) return v.flatMap((x, i) => mappings(x, [...path, i]));
  if (v && typeof v === 'object') return [path, ...Object.entries(v).flatMap(([k, x]) => mappings(x, [...path, k]))];
  return [];
}
const show = (path: (string | number)[]) => path.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('');
function at(doc: Raw, path: (string | number)[]): Raw {
  return path.reduce((x, k) => x?.[k], doc);
}
const LEAVES = leaves(EXAMPLE);
const MAPPINGS = mappings(EXAMPLE).filter((p) => p.length > 0);

/** Required fields, by the kind of entry (interfaces.md "Directory file (YAML)"). */
const REQUIRED: [RegExp, string[]][] = [
  [/^countries\[\d+\]$/, ['code', 'status', 'name', 'timezone', 'calendar']],
  [/^countries\[\d+\]\.focalPoints\[\d+\]$/, ['name', 'email']],
  [/^secretariat\.staff\[\d+\]$/, ['name', 'email']],
  [/^presidencies\[\d+\]$/, ['country', 'from']],
  [/^organizations\[\d+\]$/, ['code', 'kind', 'name']],
  [/^holidays\[\d+\]$/, ['calendar', 'date', 'name']],
  [/\.name$/, ['es', 'en']],
  [/^$/, ['secretariat', 'presidencies', 'countries']],
];

type Break = { kind: 'scalar-to-mapping' | 'scalar-to-list' | 'unknown-field' | 'drop-required' | 'duplicate'; path: (string | number)[]; expect: string };

const breaking: fc.Arbitrary<Break> = fc.oneof<fc.Arbitrary<Break>[]>(
  fc.tuple(fc.constantFrom(...LEAVES), fc.constantFrom<'scalar-to-mapping' | 'scalar-to-list'>('scalar-to-mapping', 'scalar-to-list')).map(([leaf, kind]) => ({ kind, path: leaf.path, expect: show(leaf.path) })),
  fc.tuple(fc.constantFrom<(string | number)[]>([], ...MAPPINGS), fc.constantFrom('zz_unknown', 'focalpoints', 'Code', 'e-mail', 'name ', '__proto__', 'constructor')).map(([path, key]) => ({
    kind: 'unknown-field' as const,
    path: [...path, key],
    expect: key === '__proto__' || key === 'constructor' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? show(path) : show([...path, key]),
  })),
  fc.constantFrom(...[[] as (string | number)[], ...MAPPINGS].flatMap((p) => {
    const fields = REQUIRED.find(([re]) => re.test(show(p)))?.[1] ?? [];
    return fields.filter((f) => at(EXAMPLE, p)?.[f] !== undefined).map((f) => ({ kind: 'drop-required' as const, path: [...p, f], expect: show([...p, f]) }));
  })),
  fc.constantFrom(
    { kind: 'duplicate' as const, path: ['countries', 2], expect: 'countries[16].code' },
    { kind: 'duplicate' as const, path: ['countries', 2, 'focalPoints', 0], expect: 'countries[2].focalPoints[2].email' },
    { kind: 'duplicate' as const, path: ['secretariat', 'staff', 0], expect: 'secretariat.staff[2].email' },
    { kind: 'duplicate' as const, path: ['organizations', 0], expect: 'organizations[' },
    { kind: 'duplicate' as const, path: ['presidencies', 3], expect: 'presidencies[' },
    { kind: 'duplicate' as const, path: ['holidays', 0], expect: 'holidays[' },
  ),
);

function applyBreak(b: Break): Raw {
  const doc = structuredClone(EXAMPLE);
  const parent = at(doc, b.path.slice(0, -1));
  const key = b.path.at(-1)!;
  switch (b.kind) {
    case 'scalar-to-mapping':
      parent[key] = { value: parent[key] };
      break;
    case 'scalar-to-list':
      parent[key] = [parent[key]];
      break;
    case 'unknown-field':
      Object.defineProperty(parent, key, { value: 'x', enumerable: true, configurable: true, writable: true });
      break;
    case 'drop-required':
      delete parent[key];
      break;
    case 'duplicate':
      parent.push(structuredClone(parent[key]));
      break;
  }
  return doc;
}

const NAMES = fc.constantFrom('Ana María Pérez', 'José Núñez', "Siobhan O'Connor", 'Zoë Ç. Ñandú', '李小龍', 'أحمد');
const ZONES = fc.constantFrom('America/Costa_Rica', 'America/New_York', 'America/Mexico_City', 'UTC', 'Europe/Madrid');

type Keep = (doc: Raw, n: number) => void;
const keeping: fc.Arbitrary<{ label: string; edit: Keep }[]> = fc.array(
  fc.oneof(
    fc.tuple(fc.nat(15), NAMES).map(([i, name]) => ({ label: `rename focal point of countries[${i}]`, edit: ((d: Raw) => { const fp = d.countries[i].focalPoints?.[0]; if (fp) fp.name = name; }) as Keep })),
    fc.tuple(fc.nat(15), fc.constantFrom('es', 'en')).map(([i, l]) => ({ label: `locale of countries[${i}]`, edit: ((d: Raw) => { for (const fp of d.countries[i].focalPoints ?? []) fp.locale = l; }) as Keep })),
    fc.tuple(fc.nat(15), ZONES).map(([i, z]) => ({ label: `zone of countries[${i}]`, edit: ((d: Raw) => { d.countries[i].timezone = z; }) as Keep })),
    fc.tuple(fc.nat(10), NAMES).map(([i, name]) => ({ label: `extra focal point for countries[${i}]`, edit: ((d: Raw, n: number) => { (d.countries[i].focalPoints ??= []).push({ name, email: `extra${n}.${i}@example.org`, slack: `U9X${String(n).padStart(4, '0')}${i}`, locale: 'es' }); }) as Keep })),
    fc.integer({ min: 1, max: 300 }).map((day) => ({ label: `holiday on day ${day} of 2028`, edit: ((d: Raw) => { const date = new Date(Date.UTC(2028, 0, day)).toISOString().slice(0, 10); d.holidays ??= []; if (!d.holidays.some((h: Raw) => h.calendar === 'CR' && h.date === date)) d.holidays.push({ calendar: 'CR', date, name: 'Cierre' }); }) as Keep })),
    fc.nat(15).map((i) => ({ label: `article dropped from countries[${i}]`, edit: ((d: Raw) => { delete d.countries[i].article; }) as Keep })),
    fc.constant({ label: 'organisations reversed', edit: ((d: Raw) => { d.organizations.reverse(); }) as Keep }),
    fc.constant({ label: 'holidays emptied', edit: ((d: Raw) => { d.holidays = null; }) as Keep }),
    fc.constant({ label: 'secretariat defaults', edit: ((d: Raw) => { delete d.secretariat.timezone; delete d.secretariat.calendar; delete d.secretariat.locale; }) as Keep }),
  ),
  { minLength: 1, maxLength: 4 },
);

describe('the example, changed', () => {
  it('a change that keeps it valid: still valid', async () => {
    await check('valid changes', fc.tuple(keeping, fc.constantFrom('yaml', 'flow', 'json')), ([edits, style]) => {
      const doc = structuredClone(EXAMPLE);
      edits.forEach((e, n) => e.edit(doc, n));
      const text = style === 'json' ? JSON.stringify(doc) : stringify(doc, style === 'flow' ? { collectionStyle: 'flow' } : {});
      const r = parseDirectory(text);
      const what = edits.map((e) => e.label).join('; ');
      expect(r.ok ? [] : r.problems, what).toEqual([]);
      expectWellFormed(r, what);
      tally('valid changes', r.ok && r.warnings.length ? 'valid with warnings' : 'valid');
    }, runs(150));
  });

  it('a change that breaks it: invalid, and a problem names the field', async () => {
    await check('breaking changes', breaking, (b) => {
      const r = parseDirectory(stringify(applyBreak(b)));
      const what = `${b.kind} at ${show(b.path)}`;
      tally('breaking changes', b.kind);
      expect(r.ok, `${what}: still valid`).toBe(false);
      expectWellFormed(r, what);
      const problems = r.ok ? [] : r.problems;
      expect(problems.some((p) => p.startsWith(b.expect)), `${what}: no problem names ${b.expect}:\n${problems.join('\n')}`).toBe(true);
    }, runs(300));
  });
});

describe('any text where a name goes', () => {
  const TEXT_FIELDS = LEAVES.filter((l) => ['name', 'es', 'en'].includes(String(l.path.at(-1))) && typeof l.value === 'string' && l.path[0] !== 'presidencies');
  it('valid, with every text storable (the database takes it), or a problem naming that field', async () => {
    const value = fc.oneof(nastyString(), fc.constantFrom('a\u0000b', '\ud800', 'x\udfff', '  ', '\t'));
    await check('any name', fc.tuple(fc.constantFrom(...TEXT_FIELDS), value, fc.boolean()), ([leaf, v, quoted]) => {
      const doc = structuredClone(EXAMPLE);
      at(doc, leaf.path.slice(0, -1))[leaf.path.at(-1)!] = v;
      const text = quoted ? JSON.stringify(doc) : stringify(doc);
      const r = parseDirectory(text);
      const what = `${show(leaf.path)} = ${JSON.stringify(v).slice(0, 80)}`;
      tally('any name', r.ok ? 'valid' : 'problem');
      expectWellFormed(r, what);
      if (r.ok) {
        for (const l of leaves(r.directory)) if (typeof l.value === 'string') expect(storableText(l.value), `${what}: ${show(l.path)} not storable`).toBe(l.value);
      } else {
        expect(r.problems.some((p) => p.startsWith(show(leaf.path))), `${what}:\n${r.problems.join('\n')}`).toBe(true);
      }
    }, runs(300));
  });
});

// ----------------------------------------------------------------------------- crm directory check

describe('crm directory check FILE', () => {
  it('exit 0 and the summary when valid; exit 1, the problems on stderr and nothing on stdout otherwise', async () => {
    const doc = fc.oneof(
      { weight: 2, arbitrary: randomText },
      { weight: 1, arbitrary: breaking.map((b) => stringify(applyBreak(b))) },
      { weight: 1, arbitrary: keeping.map((edits) => { const d = structuredClone(EXAMPLE); edits.forEach((e, n) => e.edit(d, n)); return stringify(d); }) },
    );
    let n = 0;
    await check('check command', doc, async (text) => {
      const file = join(dir, `d${++n}.yaml`);
      writeFileSync(file, text);
      const out: string[] = [];
      const err: string[] = [];
      const code = await directoryCommand(['check', file], { out: (l) => out.push(l), err: (l) => err.push(l) });
      // What the file holds: UTF-8 cannot carry a lone surrogate (written as U+FFFD).
      const expected = parseDirectory(readFileSync(file, 'utf8'), file);
      tally('check command', `exit ${code}`);
      if (expected.ok) {
        expect(code).toBe(0);
        expect(out[0]).toBe(`${file}: OK`);
        expect(err).toEqual(expected.warnings.map((w) => `warning: ${w}`));
      } else {
        expect(code).toBe(1);
        expect(out).toEqual([]);
        expect(err).toEqual(expected.problems);
      }
      for (const l of [...out, ...err]) expect(l).not.toMatch(/\n|^\s+at /);
    }, runs(150));
    const missing = join(dir, 'missing.yaml');
    const err: string[] = [];
    expect(await directoryCommand(['check', missing], { out: () => undefined, err: (l) => err.push(l) })).toBe(1);
    expect(err).toEqual([`${missing}: cannot read the directory file (no such file)`]);
  });
});
