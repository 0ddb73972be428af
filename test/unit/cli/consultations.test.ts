/**
 * `crm consultations show` and `export` against a real PostgreSQL database holding a consultation played
 * through the flows (with refused attempts): the text record, --json, CSV and PDF to a file or to stdout,
 * and clear one-line errors.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEngine, type Engine } from '../../../src/app/context.ts';
import { run } from '../../../src/cli/commands/consultations.ts';
import type { CliIo } from '../../../src/cli/io.ts';
import { EXAMPLE_DIRECTORY } from '../../../src/config.ts';
import { BOM } from '../../../src/record/csv.ts';
import { createPostgresDatabase, type TestPostgres } from '../../helpers/db.ts';
import { DECEMBER_2026, TestClock } from '../../helpers/engine.ts';
import { pdfText } from '../../helpers/pdf-text.ts';
import { playRecordStory, type PlayedStory } from '../../helpers/record-story.ts';

let pg: TestPostgres;
let engine: Engine;
let story: PlayedStory;
let dir: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  pg = await createPostgresDatabase(import.meta.url);
  const clock = new TestClock(DECEMBER_2026);
  engine = await openEngine(
    { port: 0, directoryPath: EXAMPLE_DIRECTORY, directoryIsExample: true, dataDir: 'unused', databaseUrl: pg.url, logLevel: 'silent' },
    { clock: clock.now },
  );
  story = await playRecordStory(engine);
  dir = await mkdtemp(join(tmpdir(), 'crm-record-'));
  env = { DATABASE_URL: pg.url };
});
afterAll(async () => {
  await engine?.close();
  await pg?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function cli(args: string[], over: Partial<CliIo> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const chunks: Uint8Array[] = [];
  const io: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l), write: async (b) => void chunks.push(b), ...over };
  const code = await run(args, io, env);
  return { code, out, err, bytes: Buffer.concat(chunks) };
}

describe('crm consultations show REF', () => {
  it('prints the audit record in the ST language: every event with version and full hash, who, when, and the refusals', async () => {
    const r = await cli(['show', story.reference]);
    expect(r.err).toEqual([]);
    expect(r.code).toBe(0);
    const text = r.out.join('\n');
    expect(text).toContain(`Registro de la consulta ${story.reference}`);
    expect(text).toMatch(new RegExp(`Posición registrada · Costa Rica · Objeta · Versión 1 · ${story.state.currentVersion}`));
    expect(text).toContain('Quién: Luis Mora Solís · Punto focal · Costa Rica · Slack');
    expect(text).toContain('Motivo: Falta la consulta interna, "urgente".');
    expect(text).toMatch(/2026-12-01T09:00:00-06:00 · Consulta iniciada/);
    expect(text).toContain('Original (español): Protección consular de personas migrantes en tránsito');
    expect(text).toContain('Traducción (inglés): Consular protection of migrants in transit');
    expect(text).toContain('Intentos rechazados');
    expect(text).toContain('Luis Mora Solís · Punto focal · Costa Rica · Slack\n      Qué: Reaccionar como miembro de la Troika: Aprueba la circulación, Versión 1');
    expect(text).toContain('Andre Campbell · Punto focal · Jamaica · Slack');
    expect(text).toContain('Consulta cerrada · Resultado: Consenso · Todos los Países Miembros respondieron');
  });

  it('--lang en prints it in English', async () => {
    const r = await cli(['show', story.reference.toLowerCase(), '--lang', 'en']);
    expect(r.code).toBe(0);
    expect(r.out.join('\n')).toContain(`Record of consultation ${story.reference}`);
    expect(r.out.join('\n')).toContain('Refused attempts');
  });

  it('--json prints one JSON object with stable field names', async () => {
    const r = await cli(['show', story.reference, '--json']);
    expect(r.code).toBe(0);
    const record = JSON.parse(r.out.join('\n'));
    expect(Object.keys(record)).toEqual(
      expect.arrayContaining(['format', 'reference', 'title', 'stage', 'outcome', 'timeZone', 'versions', 'troika', 'members', 'events', 'refusals']),
    );
    expect(record).toMatchObject({ format: 'crm.consultation-record.v1', reference: story.reference, stage: 'closed', outcome: 'consensus', timeZone: 'America/Costa_Rica' });
    expect(record.events).toHaveLength(story.state.version);
    expect(record.members).toHaveLength(11);
    expect(record.refusals.map((x: { code: string; attempted: string }) => [x.attempted, x.code])).toEqual([
      ['reactTroika', 'not_troika_member'],
      ['recordPosition', 'not_member_country'],
    ]);
    expect(record.refusals[0]).toMatchObject({ who: { name: 'Luis Mora Solís', role: 'focal_point', country: { code: 'CR' }, platform: 'slack' }, reaction: 'approve', version: { number: 1 } });
    expect(record.events[0].at).toBe('2026-12-01T09:00:00-06:00');
  });
});

describe('crm consultations export REF', () => {
  it('--format csv --out FILE writes the bilingual CSV (with BOM) and says where', async () => {
    const file = join(dir, 'record.csv');
    const r = await cli(['export', story.reference, '--format', 'csv', '--out', file]);
    expect(r.err).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.out).toEqual([expect.stringMatching(new RegExp(`^${story.reference}: record written to .*record\\.csv \\(csv, \\d+ bytes\\)$`))]);
    const csv = await readFile(file, 'utf8');
    expect(csv.startsWith(BOM)).toBe(true);
    expect(csv).toContain('País / Country');
    expect(csv).toContain('Intento rechazado / Refused attempt');
    expect(csv.split('\r\n').filter((l) => l.startsWith('País Miembro / Member Country,'))).toHaveLength(11);
  });

  it('--format csv without --out writes to stdout', async () => {
    const r = await cli(['export', story.reference, '--format', 'csv']);
    expect(r.code).toBe(0);
    expect(r.out).toEqual([]);
    expect(r.bytes.toString('utf8')).toContain('Cronología / Timeline');
  });

  it('--format pdf writes a PDF whose text has both languages, the hash, every country and a refusal', async () => {
    const file = join(dir, 'record.pdf');
    const r = await cli(['export', story.reference, '--format', 'pdf', '--out', file]);
    expect(r.code).toBe(0);
    const text = (await pdfText(await readFile(file))).text.replace(/\s+/g, ' ');
    expect(text).toContain('Cronología / Timeline');
    expect(text).toContain(`Hash (SHA-256): ${story.state.currentVersion}`);
    for (const name of ['Belice', 'Canadá', 'Costa Rica', 'El Salvador', 'Estados Unidos', 'Guatemala', 'Honduras', 'México', 'Nicaragua', 'Panamá', 'República Dominicana']) {
      expect(text).toContain(name);
    }
    expect(text).toContain('Andre Campbell');
    expect(text).toContain('Traducción (inglés) / Translation (English) Consular protection of migrants in transit The RCM proposes a concerted consular protection action.');
  });

  it('--format pdf to stdout writes the bytes, but not to a terminal', async () => {
    const piped = await cli(['export', story.reference, '--format', 'pdf']);
    expect(piped.code).toBe(0);
    expect(piped.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const tty = await cli(['export', story.reference, '--format', 'pdf'], { isTTY: true });
    expect(tty).toMatchObject({ code: 1, out: [], err: ['crm consultations export: not writing a PDF to the terminal; give --out FILE or redirect the output'] });
  });
});

describe('crm consultations export REF: the status picture', () => {
  it('--format svg writes the matrix and the timeline, every country named, in the ST language', async () => {
    const r = await cli(['export', story.reference, '--format', 'svg']);
    expect(r.code).toBe(0);
    const svg = r.bytes.toString('utf8');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain(`<title>Estado de la consulta ${story.reference}`);
    for (const name of ['Belice', 'Canadá', 'Costa Rica', 'El Salvador', 'Estados Unidos', 'Guatemala', 'Honduras', 'México', 'Nicaragua', 'Panamá', 'República Dominicana']) {
      expect(svg).toContain(name);
    }
    expect(svg).toContain('Circulada a los Países Miembros');
  });

  it('--format png --out FILE writes a PNG; not to a terminal', async () => {
    const file = join(dir, 'status.png');
    const r = await cli(['export', story.reference, '--format', 'png', '--out', file]);
    expect(r.code).toBe(0);
    expect((await readFile(file)).subarray(1, 4).toString('latin1')).toBe('PNG');
    const tty = await cli(['export', story.reference, '--format', 'png'], { isTTY: true });
    expect(tty).toMatchObject({ code: 1, err: ['crm consultations export: not writing a PNG to the terminal; give --out FILE or redirect the output'] });
  });
});

describe('crm consultations: arguments', () => {
  it.each([
    [['export', 'CRM-2026-001', '--format', 'xls'], 'crm consultations export: --format: expected pdf, csv, png or svg, got "xls"'],
    [['export', 'CRM-2026-001'], 'crm consultations export: --format: required, pdf, csv, png or svg'],
    [['export', 'CRM-2026-001', '--format'], 'crm consultations export: --format: expected a value'],
    [['show', 'CRM-2026-001', '--lang', 'fr'], 'crm consultations show: --lang: expected es or en, got "fr"'],
    [['show', 'nonsense'], 'crm consultations show: "nonsense" is not a consultation reference (e.g. CRM-2026-001)'],
    [['show', 'CRM-2026-001', '--json', '--json'], 'crm consultations show: --json given twice'],
  ])('%j → exit 1 with one line', async (args, line) => {
    const r = await cli(args);
    expect(r).toMatchObject({ code: 1, out: [], err: [line] });
  });

  it('an unknown reference → exit 1 with one line, for show and export', async () => {
    expect(await cli(['show', 'CRM-2026-999'])).toMatchObject({ code: 1, out: [], err: ['crm consultations show: no consultation CRM-2026-999'] });
    expect(await cli(['export', 'CRM-2026-999', '--format', 'csv'])).toMatchObject({ code: 1, out: [], err: ['crm consultations export: no consultation CRM-2026-999'] });
  });

  it('a missing reference or an unknown flag gives the usage', async () => {
    const r = await cli(['show']);
    expect(r.code).toBe(1);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toContain('usage: crm consultations');
    expect((await cli(['export', 'CRM-2026-001', '--format', 'csv', '--pages', '2'])).err[0]).toMatch(/^crm consultations export: unexpected argument "--pages"/);
  });

  it('lists consultations as before', async () => {
    const r = await cli([]);
    expect(r.code).toBe(0);
    expect(r.out[1]).toMatch(new RegExp(`^${story.reference}\tclosed\tconsensus\t`));
  });
});
