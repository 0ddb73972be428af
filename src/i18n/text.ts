/**
 * Small rules of written text shared by both catalogues (no imports: the catalogues use them).
 *
 *   sentence('Motivo: No estamos de acuerdo.')  → unchanged (never "..")
 *   sentence('Motivo: falta consultar')          → 'Motivo: falta consultar.'
 *   withArticle('República Dominicana', 'la')     → 'la República Dominicana'
 *   quotedSentence('No es urgente.', 'es')        → '«No es urgente».'
 *   quotedSentence('Not urgent', 'en')            → '“Not urgent.”'
 */

/** Ends `text` with a period unless it already ends a sentence (., !, ?, … before closing quotes or brackets). */
export function sentence(text: string): string {
  const trimmed = text.trimEnd();
  if (trimmed === '') return trimmed;
  return /[.!?…][»"”’')\]]*$/u.test(trimmed) ? trimmed : `${trimmed}.`;
}

/**
 * Someone's words quoted as the end of one of our sentences, with one final period, placed as each
 * language places it: Spanish after the closing «» (the quote's own period dropped: «No es urgente».),
 * English inside the closing quotation mark (“Not urgent.”). A quote ending in ? or ! keeps it.
 */
export function quotedSentence(text: string, locale: 'es' | 'en'): string {
  const inner = text.trim();
  if (locale === 'es') return `«${inner.replace(/\.+$/u, '')}».`;
  return /[.!?…]$/u.test(inner) ? `“${inner}”` : `“${inner}.”`;
}

/** A name with its article when it has one ("the" + "United States"). */
export function withArticle(name: string, article: string | undefined): string {
  return article ? `${article} ${name}` : name;
}
