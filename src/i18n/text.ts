/**
 * Small rules of written text shared by both catalogues (no imports: the catalogues use them).
 *
 *   sentence('Motivo: No estamos de acuerdo.')  → unchanged (never "..")
 *   sentence('Motivo: falta consultar')          → 'Motivo: falta consultar.'
 *   withArticle('República Dominicana', 'la')     → 'la República Dominicana'
 */

/** Ends `text` with a period unless it already ends a sentence (., !, ?, … before closing quotes or brackets). */
export function sentence(text: string): string {
  const trimmed = text.trimEnd();
  if (trimmed === '') return trimmed;
  return /[.!?…][»"”’')\]]*$/u.test(trimmed) ? trimmed : `${trimmed}.`;
}

/** A name with its article when it has one ("the" + "United States"). */
export function withArticle(name: string, article: string | undefined): string {
  return article ? `${article} ${name}` : name;
}
