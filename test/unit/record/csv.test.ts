import { describe, expect, it } from 'vitest';
import { BOM, CSV_COLUMNS, csvField, renderCsv } from '../../../src/record/csv.ts';
import { buildRecord } from '../../../src/record/model.ts';
import { fullStory, notEndorsed, withdrawn } from './scenario.ts';

/** A strict RFC 4180 reader: CRLF between records, quoted fields with doubled quotes; throws on anything else. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), (i += 2);
      else if (c === '"') {
        quoted = false;
        i += 1;
        if (i < text.length && text[i] !== ',' && text[i] !== '\r') throw new Error(`text after a closing quote at ${i}`);
      } else (field += c), (i += 1);
    } else if (c === '"') {
      if (field !== '') throw new Error(`quote inside an unquoted field at ${i}`);
      quoted = true;
      i += 1;
    } else if (c === ',') record.push(field), (field = ''), (i += 1);
    else if (c === '\r') {
      if (text[i + 1] !== '\n') throw new Error(`bare CR at ${i}`);
      record.push(field);
      records.push(record);
      (record = []), (field = ''), (i += 2);
    } else if (c === '\n') throw new Error(`bare LF outside quotes at ${i}`);
    else (field += c), (i += 1);
  }
  if (quoted) throw new Error('unterminated quoted field');
  if (field !== '' || record.length) throw new Error('the last record does not end in CRLF');
  return records;
}

const story = fullStory();
const csv = renderCsv(buildRecord(story.input()));
const body = csv.slice(BOM.length);
const [header, ...rows] = parseCsv(body);
const col = (name: string) => header!.indexOf(name);
const section = (name: string) => rows.filter((r) => r[0] === name);

describe('csvField (RFC 4180)', () => {
  it('quotes fields with a comma, a quote or a line break, doubling quotes', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('one\r\ntwo')).toBe('"one\r\ntwo"');
    expect(csvField('one\ntwo')).toBe('"one\ntwo"');
    expect(csvField('')).toBe('');
  });

  it('defuses what a spreadsheet would run as a formula', () => {
    expect(csvField('=SUM(A1:A9)')).toBe("'=SUM(A1:A9)");
    expect(csvField('+1')).toBe("'+1");
    expect(csvField('-1')).toBe("'-1");
    expect(csvField('@cmd')).toBe("'@cmd");
    expect(csvField('=HYPERLINK("x","y")')).toBe(`"'=HYPERLINK(""x"",""y"")"`);
    expect(csvField('2026-12-01T09:00:00-06:00')).toBe('2026-12-01T09:00:00-06:00');
  });
});

describe('the record as CSV', () => {
  it('is UTF-8 with a byte-order mark, CRLF line ends, the same number of fields on every row', () => {
    expect(csv.startsWith(BOM)).toBe(true);
    expect(Buffer.from(csv, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(csv.endsWith('\r\n')).toBe(true);
    for (const r of [header!, ...rows]) expect(r).toHaveLength(CSV_COLUMNS);
  });

  it('has bilingual column headers', () => {
    expect(header).toEqual([
      'Sección / Section',
      'N.º / No.',
      'Fecha y hora / Date and time',
      'Qué / What',
      'País / Country',
      'Detalle / Detail',
      'Motivo / Reason',
      'Versión del texto / Text version',
      'Hash (SHA-256)',
      'Quién / Who',
      'Función / Role',
      'En nombre de / On behalf of',
      'Plataforma / Platform',
      'Título / Title',
      'Texto / Text',
    ]);
  });

  it('keeps free texts exactly, commas, quotes and line breaks included', () => {
    const cr = section('Cronología / Timeline').find((r) => r[col('Detalle / Detail')] === 'Objeta / Objects')!;
    expect(cr[col('Motivo / Reason')]).toBe('Falta una consulta interna, "urgente".\nVolveremos a escribir.');
    expect(cr[col('País / Country')]).toBe('Costa Rica');
    expect(cr[col('Hash (SHA-256)')]).toBe(story.s.currentVersion);
    expect(cr[col('Versión del texto / Text version')]).toBe('2');
    expect(cr[col('Quién / Who')]).toBe('Focal 2 CR');
    expect(cr[col('Función / Role')]).toBe('Punto focal / Focal point');
    expect(cr[col('Fecha y hora / Date and time')]).toBe('2026-03-02T15:00:00-06:00');
  });

  it('has one row per text version and its translation, with the full texts', () => {
    const versions = section('Versión del texto / Text version');
    expect(versions.map((r) => [r[1], r[col('Qué / What')]])).toEqual([
      ['1', 'Original'],
      ['2', 'Original (español) / Original (Spanish)'],
      ['2', 'Traducción (inglés) / Translation (English)'],
    ]);
    expect(versions[2]![col('Texto / Text')]).toBe('The RCM proposes a concerted consular protection action.\nSecond paragraph.');
    expect(versions[1]![col('Hash (SHA-256)')]).toBe(versions[2]![col('Hash (SHA-256)')]);
  });

  it('has one row per Member Country and per Troika country', () => {
    const members = section('País Miembro / Member Country');
    expect(members).toHaveLength(11);
    expect(members.map((r) => r[col('País / Country')])).toContain('República Dominicana / Dominican Republic');
    expect(members.find((r) => r[col('País / Country')] === 'Estados Unidos / United States')![col('Detalle / Detail')]).toBe('Se abstiene / Abstains');
    expect(section('Troika').map((r) => r[col('País / Country')])).toEqual(['Honduras', 'México / Mexico', 'Panamá / Panama']);
  });

  it('has the refused attempts: who, what, why in both languages', () => {
    const refused = section('Intento rechazado / Refused attempt');
    expect(refused).toHaveLength(2);
    expect(refused[0]![col('Quién / Who')]).toBe('Focal 1 GT');
    expect(refused[0]![col('En nombre de / On behalf of')]).toBe('Guatemala');
    expect(refused[0]![col('Qué / What')]).toBe('Registrar una posición: Apoya, Costa Rica, Versión 2 / Record a position: Supports, Costa Rica, Version 2');
    expect(refused[0]![col('Motivo / Reason')]).toMatch(/^Solo los puntos focales .* \/ Only a country's registered focal points/);
  });

  it('a justification that looks like a formula stays text', () => {
    const ext = section('Cronología / Timeline').find((r) => r[col('Qué / What')] === 'Plazo prorrogado / Deadline extended')!;
    expect(ext[col('Motivo / Reason')]).toContain('=SUM(A1) no es una fórmula.');
    expect(ext[col('Motivo / Reason')]!.startsWith('=')).toBe(false);
  });

  it('has a timeline row for every kind of event, in words', () => {
    const whats = [fullStory(), notEndorsed(), withdrawn()].flatMap((p) =>
      parseCsv(renderCsv(buildRecord(p.input())).slice(1))
        .filter((r) => r[0] === 'Cronología / Timeline')
        .map((r) => r[3]),
    );
    expect(new Set(whats)).toEqual(
      new Set([
        'Consulta iniciada / Consultation started',
        'Texto revisado / Text revised',
        'Enviada a la Troika / Sent to the Troika',
        'Reacción de la Troika / Troika reaction',
        'No avalada por la Troika / Not endorsed by the Troika',
        'Circulada a los Países Miembros / Circulated to the Member Countries',
        'Posición registrada / Position recorded',
        'Plazo prorrogado / Deadline extended',
        'Consulta retirada / Consultation withdrawn',
        'Consulta cerrada / Consultation closed',
      ]),
    );
    expect(section('Cronología / Timeline').map((r) => r[1])).toEqual(story.events.map((_, i) => String(i + 1)));
  });
});
