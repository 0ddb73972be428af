/**
 * Text versions are immutable and identified by a hash of a canonical form of their text, in every
 * language the author gave. Normalisation: storable characters (`storableText`), Unicode NFC, line
 * endings as `\n`, titles and texts trimmed at both ends. Then, UTF-8, sha256, lower-case hex of:
 *  - a version with no translation (every version recorded before bilingual texts, and every
 *    one-language version since): the JSON array `["crm-text/1", title, text]`. The original's language is
 *    NOT part of this form, so every hash recorded before bilingual texts stays the same;
 *  - a version with a translation: the JSON array
 *    `["crm-text/2", locale, title, text, translation.locale, translation.title, translation.text]`,
 *    where `locale` is the original's language. Both languages, and which one is the original, are part
 *    of the version: changing either text, or swapping which is the original, is a new version.
 */
import { createHash } from 'node:crypto';
import type { Locale } from '../directory/model.ts';

/**
 * A person's text as it can be stored and sent: a UTF-16 surrogate without its pair (a character broken
 * in transit) becomes U+FFFD, as UTF-8 encoding does anyway (so hashes do not change), and NUL characters
 * are dropped (PostgreSQL stores neither in text nor in JSON; nobody types them).
 */
export function storableText(s: string): string {
  return s.replace(/\u0000/g, '').replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

export function normalizeTitle(title: string): string {
  return storableText(title).normalize('NFC').replace(/\r\n?/g, '\n').trim();
}

export function normalizeText(text: string): string {
  return storableText(text).normalize('NFC').replace(/\r\n?/g, '\n').trim();
}

/** The other language of a version with a translation: the original's language and the translation. */
export interface Bilingual {
  locale: Locale;
  translation: { locale: Locale; title: string; text: string };
}

/**
 * The exact string hashed for a version (titles and texts must already be normalised). Without
 * `bilingual`: `crm-text/1`; with it: `crm-text/2` (see the file's header).
 */
export function canonicalTextForm(title: string, text: string, bilingual?: Bilingual): string {
  if (!bilingual) return JSON.stringify(['crm-text/1', title, text]);
  const tr = bilingual.translation;
  return JSON.stringify(['crm-text/2', bilingual.locale, title, text, tr.locale, tr.title, tr.text]);
}

/** sha256 hex of the canonical form of `title` + `text` and, when given, the translation (normalised here). */
export function textVersionHash(title: string, text: string, bilingual?: Bilingual): string {
  const b = bilingual
    ? {
        locale: bilingual.locale,
        translation: {
          locale: bilingual.translation.locale,
          title: normalizeTitle(bilingual.translation.title),
          text: normalizeText(bilingual.translation.text),
        },
      }
    : undefined;
  return createHash('sha256')
    .update(canonicalTextForm(normalizeTitle(title), normalizeText(text), b), 'utf8')
    .digest('hex');
}

/** Length in Unicode code points (what a person counts), not UTF-16 units. */
export function codePointLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/**
 * The title and text a person reading in `locale` gets: the translation when it is in their language,
 * else the original. `original` is true when they get the original; `onlyOriginal` when the version has
 * no text in their language at all (the message then says only the original exists).
 */
export function textFor(
  version: { title: string; text: string; locale?: 'es' | 'en'; translation?: { locale: 'es' | 'en'; title: string; text: string } },
  locale: 'es' | 'en',
): { title: string; text: string; locale?: 'es' | 'en'; original: boolean; onlyOriginal: boolean } {
  if (version.translation && version.translation.locale === locale && version.locale !== locale) {
    return { title: version.translation.title, text: version.translation.text, locale, original: false, onlyOriginal: false };
  }
  const inTheirs = version.locale === undefined || version.locale === locale;
  return {
    title: version.title,
    text: version.text,
    ...(version.locale !== undefined ? { locale: version.locale } : {}),
    original: true,
    onlyOriginal: !inTheirs,
  };
}
