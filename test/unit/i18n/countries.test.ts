import { describe, expect, it } from 'vitest';
import { countryInText, quotedSentence, sentence } from '../../../src/i18n/index.ts';
import { ci, parseEdited, problemsOf } from '../directory/helpers.ts';

function directoryOf(edit: (d: Record<string, never>) => void = () => undefined) {
  const r = parseEdited(edit);
  if (!r.ok) throw new Error(r.problems.join('\n'));
  return r.directory;
}

describe('countryInText: a country named inside a sentence', () => {
  const d = directoryOf();
  it('takes its article where the language needs one, with the Conference defaults', () => {
    expect(countryInText(d, 'US', 'en')).toBe('the United States');
    expect(countryInText(d, 'DO', 'en')).toBe('the Dominican Republic');
    expect(countryInText(d, 'DO', 'es')).toBe('la República Dominicana');
    expect(countryInText(d, 'US', 'es')).toBe('Estados Unidos');
    expect(countryInText(d, 'SV', 'es')).toBe('El Salvador');
    expect(countryInText(d, 'CR', 'en')).toBe('Costa Rica');
  });
  it('the directory may give an article or none (""), and the file is checked', () => {
    const edited = directoryOf((raw) => {
      const c = raw as unknown as { countries: Record<string, unknown>[] };
      c.countries[ci(c, 'US')]!.article = { es: 'los' };
      c.countries[ci(c, 'DO')]!.article = { en: '' };
    });
    expect(countryInText(edited, 'US', 'es')).toBe('los Estados Unidos');
    expect(countryInText(edited, 'US', 'en')).toBe('the United States');
    expect(countryInText(edited, 'DO', 'en')).toBe('Dominican Republic');
    expect(countryInText(edited, 'DO', 'es')).toBe('la República Dominicana');
    const bad = parseEdited((raw) => {
      raw.countries[ci(raw, 'PE')].article = { es: 'el' };
    });
    expect(problemsOf(bad).join('\n')).toMatch(/article.*expected la, las, los/);
  });
  it('an unknown code is shown as it is', () => {
    expect(countryInText(d, 'ZZ', 'en')).toBe('ZZ');
  });
});

describe('quotedSentence', () => {
  it('ends our sentence once, where each language puts the period', () => {
    expect(quotedSentence('No es urgente.', 'es')).toBe('«No es urgente».');
    expect(quotedSentence('No es urgente', 'es')).toBe('«No es urgente».');
    expect(quotedSentence('¿Se consultó?', 'es')).toBe('«¿Se consultó?».');
    expect(quotedSentence('Not urgent', 'en')).toBe('“Not urgent.”');
    expect(quotedSentence('Not urgent.', 'en')).toBe('“Not urgent.”');
    expect(quotedSentence('Why now?', 'en')).toBe('“Why now?”');
  });
});

describe('sentence', () => {
  it('adds a period only when the text does not already end a sentence', () => {
    expect(sentence('Motivo: falta consultar')).toBe('Motivo: falta consultar.');
    expect(sentence('Motivo: No estamos de acuerdo.')).toBe('Motivo: No estamos de acuerdo.');
    expect(sentence('Reason: why not?')).toBe('Reason: why not?');
    expect(sentence('Motivo: «Así.»')).toBe('Motivo: «Así.»');
    expect(sentence('Apoya ')).toBe('Apoya.');
  });
});
