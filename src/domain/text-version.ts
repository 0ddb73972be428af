/**
 * Text versions are immutable and identified by a hash of a canonical form of their title and text.
 * Canonical form: Unicode NFC, line endings as `\n`, title trimmed, text trimmed at both ends; then the
 * JSON array `["crm-text/1", title, text]`, UTF-8, sha256, lower-case hex.
 */
import { createHash } from 'node:crypto';

export function normalizeTitle(title: string): string {
  return title.normalize('NFC').replace(/\r\n?/g, '\n').trim();
}

export function normalizeText(text: string): string {
  return text.normalize('NFC').replace(/\r\n?/g, '\n').trim();
}

/** The exact string hashed for a version (title and text must already be normalised). */
export function canonicalTextForm(title: string, text: string): string {
  return JSON.stringify(['crm-text/1', title, text]);
}

/** sha256 hex of the canonical form of `title` + `text` (normalised here). */
export function textVersionHash(title: string, text: string): string {
  return createHash('sha256')
    .update(canonicalTextForm(normalizeTitle(title), normalizeText(text)), 'utf8')
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
