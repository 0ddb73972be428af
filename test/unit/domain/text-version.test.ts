/**
 * Text-version hashes: the canonical forms documented in src/domain/text-version.ts. Hashes recorded
 * before bilingual texts (crm-text/1) must never change; a translation is part of the version (crm-text/2).
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalTextForm, textFor, textVersionHash, type Bilingual } from '../../../src/domain/text-version.ts';

const sha = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
const EN: Bilingual = {
  locale: 'es',
  translation: { locale: 'en', title: 'Joint statement on displacement', text: 'The CRM expresses its concern and proposes…' },
};

describe('text version hashes', () => {
  it('a one-language version keeps the crm-text/1 hash recorded before bilingual texts', () => {
    // Computed with the code of commit 0afbced (before bilingual texts); stored in event logs since.
    expect(textVersionHash('Joint statement on displacement', 'The CRM expresses its concern and proposes…')).toBe(
      '15de07fb8e5b91368c5fc1090d269d4d6b66c0228f93fe506db6d6f50d678d82',
    );
    expect(
      textVersionHash('Posición concertada sobre movilidad laboral', 'La CRM expresa su apoyo a la iniciativa regional de movilidad laboral ordenada.\r\n'),
    ).toBe('1083d59ff03beafc714b8eaeb53433d70240f6c1faf9e0c8dd5b0afa49502f5e');
    expect(canonicalTextForm('T', 'x')).toBe('["crm-text/1","T","x"]');
  });

  it('a version with a translation hashes the documented crm-text/2 form: both languages, and which is the original', () => {
    const form = canonicalTextForm('Declaración conjunta', 'La CRM expresa…', EN);
    expect(form).toBe(
      JSON.stringify(['crm-text/2', 'es', 'Declaración conjunta', 'La CRM expresa…', 'en', 'Joint statement on displacement', 'The CRM expresses its concern and proposes…']),
    );
    expect(textVersionHash('Declaración conjunta', 'La CRM expresa…', EN)).toBe(sha(form));
    // Pinned: a change to the crm-text/2 form would change every bilingual version's identity.
    expect(textVersionHash('Declaración conjunta', 'La CRM expresa…', EN)).toBe('8c93059c8bc7a5c348936c6553a13b3383bf97d87294291f886ede2a4934ed73');
    // Not the one-language hash of the same original.
    expect(textVersionHash('Declaración conjunta', 'La CRM expresa…', EN)).not.toBe(textVersionHash('Declaración conjunta', 'La CRM expresa…'));
    // Swapping which text is the original is another version.
    const swapped: Bilingual = { locale: 'en', translation: { locale: 'es', title: 'Declaración conjunta', text: 'La CRM expresa…' } };
    expect(textVersionHash(EN.translation.title, EN.translation.text, swapped)).not.toBe(textVersionHash('Declaración conjunta', 'La CRM expresa…', EN));
  });

  const str = fc.string({ maxLength: 40 });
  it('property: the translation is part of the hash, after the same normalisation as the original', () => {
    fc.assert(
      fc.property(str, str, str, str, fc.string({ minLength: 1, maxLength: 5 }), (title, text, trTitle, trText, extra) => {
        const b = (t: string, x: string): Bilingual => ({ locale: 'es', translation: { locale: 'en', title: t, text: x } });
        const h = textVersionHash(title, text, b(trTitle, trText));
        // whitespace at the ends and line endings do not count, in either language
        expect(textVersionHash(` ${title}\n`, `\r\n${text} `, b(`\t${trTitle} `, `${trText.replace(/\n/g, '\r\n')}\n`))).toBe(h);
        if (extra.trim() !== '') {
          expect(textVersionHash(title, text, b(trTitle, `${trText.trim()}|${extra}`))).not.toBe(h);
          expect(textVersionHash(title, text, b(`${trTitle.trim()}|${extra}`, trText))).not.toBe(h);
        }
        expect(h).not.toBe(textVersionHash(title, text));
      }),
    );
  });
});

describe('textFor', () => {
  const bilingual = { title: 'Declaración', text: 'Texto', locale: 'es' as const, translation: { locale: 'en' as const, title: 'Statement', text: 'Text' } };
  it.each([
    ['the original in its language', bilingual, 'es', { title: 'Declaración', original: true, onlyOriginal: false }],
    ['the translation in the other', bilingual, 'en', { title: 'Statement', original: false, onlyOriginal: false }],
    ['only the original exists', { title: 'Declaración', text: 'Texto', locale: 'es' as const }, 'en', { title: 'Declaración', original: true, onlyOriginal: true }],
    ['a version from before bilingual texts', { title: 'T', text: 'x' }, 'en', { title: 'T', original: true, onlyOriginal: false }],
  ] as const)('%s', (_n, version, locale, expected) => {
    expect(textFor(version, locale)).toMatchObject(expected);
  });
});
