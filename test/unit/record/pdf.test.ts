/**
 * The PDF record, read back the way a person or an archive would: its text extracted with pdf.js.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { buildRecord } from '../../../src/record/model.ts';
import { renderPdf } from '../../../src/record/pdf.ts';
import { pdfText } from '../../helpers/pdf-text.ts';
import { directory, fullStory, withdrawn } from './scenario.ts';

const story = fullStory();
let bytes: Buffer;
let flat: string;

beforeAll(async () => {
  bytes = await renderPdf(buildRecord(story.input()));
  flat = (await pdfText(bytes)).text.replace(/\s+/g, ' ');
});

describe('the record as PDF', () => {
  it('is a PDF whose fonts are all embedded (no standard font left to the viewer)', () => {
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const raw = bytes.toString('latin1');
    expect(raw).toContain('/FontFile2');
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+DejaVuSans/);
    expect(raw).not.toMatch(/\/BaseFont \/(Helvetica|Times|Courier)/);
  });

  it('has its headings in Spanish and English', () => {
    for (const heading of [
      'Registro de la consulta CRM-2026-003',
      'Record of consultation CRM-2026-003',
      'Versiones del texto / Text versions',
      'Reacciones de la Troika / Troika reactions',
      'Posiciones de los Países Miembros / Member Country positions',
      'Cronología / Timeline',
      'Intentos rechazados / Refused attempts',
    ]) {
      expect(flat).toContain(heading);
    }
  });

  it('has the text of each version, the translation, and the full hash', () => {
    expect(flat).toContain(`Hash (SHA-256): ${story.s.versions[0]!.hash}`);
    expect(flat).toContain(`Hash (SHA-256): ${story.s.currentVersion}`);
    expect(flat).toContain('La CRM propone una acción concertada de protección consular. Segundo párrafo.');
    expect(flat).toContain('Traducción (inglés) / Translation (English)');
    expect(flat).toContain('The RCM proposes a concerted consular protection action. Second paragraph.');
  });

  it('has a row for each Member Country, with accents intact', () => {
    for (const m of story.s.participants.members) {
      const c = directory.countries.find((x) => x.code === m.code)!;
      expect(flat).toContain(c.name.es);
    }
    expect(flat).toContain('República Dominicana');
    expect(flat).toContain('Objeta Objects');
    expect(flat).toContain('Falta una consulta interna, "urgente". Volveremos a escribir.');
    expect(flat).toContain('Apoyan: 0 · Objetan: 1 · Se abstienen: 1 · Sin respuesta: 9');
  });

  it('has the Troika reactions and the timeline', () => {
    expect(flat).toContain('Presidencia Pro Tempore Pro Tempore Presidency');
    expect(flat).toContain('Precisar el alcance.');
    expect(flat).toContain('Plazo prorrogado Deadline extended');
    expect(flat).toContain('Consulta cerrada Consultation closed');
  });

  it('has the refused attempts: who, what, why', () => {
    expect(flat).toContain('Focal 1 GT');
    expect(flat).toContain('Registrar una posición: Apoya, Costa Rica, Versión 2');
    expect(flat).toContain('Solo los puntos focales registrados de un país pueden registrar la posición de ese país.');
    expect(flat).toContain("Only a country's registered focal points can record that country's position.");
  });

  it('numbers its pages in both languages', async () => {
    const { pages } = await pdfText(bytes);
    expect(pages.length).toBeGreaterThan(1);
    pages.forEach((p, i) => expect(p).toContain(`Página ${i + 1} de ${pages.length} / Page ${i + 1} of ${pages.length}`));
  });

  it('says so when the text never reached the Troika or nothing was refused', async () => {
    const text = (await pdfText(await renderPdf(buildRecord(withdrawn().input())))).text.replace(/\s+/g, ' ');
    expect(text).toContain('Ningún intento rechazado. / No refused attempts.');
    expect(text).toContain('Consulta retirada Consultation withdrawn');
  });
});
