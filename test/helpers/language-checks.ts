/**
 * What a person reads must read naturally (HELPERS.md "Standards"): no internal codes, no doubled
 * punctuation, no nested parentheses, no placeholders left, and every country named in a sentence with
 * the article its language needs. `textProblems(text, locale, directory)` lists what is wrong with one
 * text; `messageTexts(message)` is the text of a neutral message a person reads (heading, body, fields,
 * table, buttons; the quoted proposal is the author's own words and is left out).
 *
 * The checks are heuristics made for our catalogues; test/unit/i18n/message-language.test.ts shows each
 * one catching the mistakes it is for.
 */
import type { Directory, Locale } from '../../src/directory/model.ts';
import { catalogues, countryArticle } from '../../src/i18n/index.ts';
import type { NeutralMessage } from '../../src/messages/neutral.ts';

/** The texts of a message a person reads, each with where it is. */
export function messageTexts(m: NeutralMessage): { where: string; text: string; cell?: boolean }[] {
  return [
    { where: 'heading', text: m.heading },
    ...m.body.map((text, i) => ({ where: `body[${i}]`, text })),
    ...m.fields.flatMap((f, i) => [
      { where: `fields[${i}].label`, text: f.label },
      { where: `fields[${i}].value`, text: f.value, cell: true },
    ]),
    ...(m.table?.columns ?? []).map((text, i) => ({ where: `table.columns[${i}]`, text })),
    ...(m.table?.rows ?? []).flatMap((r, i) => r.map((text, j) => ({ where: `table.rows[${i}][${j}]`, text, cell: true }))),
    ...m.buttons.map((b, i) => ({ where: `buttons[${i}]`, text: b.label })),
  ];
}

// ------------------------------------------------------------------------------------------ codes

const SUFFIXES = (prefix: string) =>
  Object.keys(catalogues.es)
    .filter((k) => k.startsWith(prefix))
    .map((k) => k.slice(prefix.length))
    .filter((k) => !k.includes('.'));

/**
 * Internal codes: stages, outcomes, rules, positions, Troika reactions, refusal codes, close reasons,
 * calendar policies, message kinds, action ids, and `embedded`. Single words among them are also English
 * words ("support", "object", "consensus"), so in English they are codes only where a value stands alone
 * (a whole field, "Outcome: consensus"); in Spanish text they are never right.
 */
export const CODES: readonly string[] = [
  ...new Set([
    ...SUFFIXES('stage.'),
    ...SUFFIXES('outcome.'),
    ...SUFFIXES('rule.'),
    ...SUFFIXES('position.'),
    ...SUFFIXES('refusal.'),
    'approve', 'request_changes', 'object', 'deadline', 'all_answered', 'secretariat', 'all-members',
    'at_close', 'live', 'embedded', 'explicit', 'silence',
    'troika_request', 'member_request', 'extension_notice', 'result_notice', 'revision_notice', 'reminder', 'digest',
    'weekly_digest', 'dead_letter', 'card_update', 'status',
  ]),
].filter((c) => c !== 'none' && c !== 'unknown');

const SNAKE = /\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b/;
const KEBAB_CODES = /\b(all-members|civil-society)\b/;
/** Command usages carry the other language's word as an alias: "/crm estado [REF] (status)". */
const USAGE = /\/crm [a-záéíóúñ]+(?: \[?[A-Z]+\]?)?(?: \([a-z]+\))?/g;

function codeProblems(text: string, locale: Locale, cell: boolean): string[] {
  const t = text.replace(USAGE, '/crm …');
  const out: string[] = [];
  const snake = SNAKE.exec(t);
  if (snake) out.push(`internal identifier "${snake[0]}"`);
  const kebab = KEBAB_CODES.exec(t);
  if (kebab) out.push(`internal code "${kebab[0]}"`);
  if (/\bembedded\b/i.test(t)) out.push('internal word "embedded"');
  for (const code of CODES) {
    if (code.includes('_')) continue; // snake_case: caught above
    const word = new RegExp(`(?<![\\p{L}\\p{N}_-])${code}(?![\\p{L}\\p{N}_-])`, locale === 'es' ? 'iu' : 'u');
    if (locale === 'es') {
      if (word.test(t)) out.push(`code "${code}" in Spanish text`);
    } else if ((cell && t.trim() === code) || new RegExp(`(?:^|: |\\(|· )${code}(?=$|[.;,)·])`, 'mu').test(t)) {
      out.push(`code "${code}" standing as a value`);
    }
  }
  return out;
}

// ------------------------------------------------------------------------------------------ punctuation

/**
 * Two punctuation marks in a row: "..", ".;", ":.", ",,", "?." (an ellipsis is one character, "…"), also
 * across a closing quotation mark ("acuerdo.»." — Spanish drops the quote's own period: «… acuerdo».).
 * A period before ")" then "." is right ("(hora de Washington D. C.).").
 */
const DOUBLED = /[.,;:!?…]\s*[.,;:]|\.[»"”’]\s*[.,;:]/;

function punctuationProblems(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const m = DOUBLED.exec(line);
    if (m) out.push(`doubled punctuation "${m[0]}" in "${excerpt(line, m.index)}"`);
  }
  let depth = 0;
  for (const [i, ch] of [...text].entries()) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (depth > 1) {
      out.push(`nested parentheses in "${excerpt(text, i)}"`);
      break;
    }
  }
  if (/\(\s*\)/.test(text)) out.push('empty parentheses');
  return out;
}

const PLACEHOLDERS = /\bundefined\b|\bnull\b|\bNaN\b|\[object |\{\{?\s*[A-Za-z_]+\s*\}\}?|\$\{|\?\s·/;

function placeholderProblems(text: string): string[] {
  const m = PLACEHOLDERS.exec(text);
  return m ? [`placeholder left: "${m[0]}" in "${excerpt(text, m.index)}"`] : [];
}

// ------------------------------------------------------------------------------------------ articles

/** Words after which a country's name is inside a sentence (lists, labels and "(…)" take the bare name). */
const PREPOSITIONS: Record<Locale, readonly string[]> = {
  es: ['a', 'ante', 'con', 'contra', 'de', 'desde', 'en', 'entre', 'hacia', 'hasta', 'para', 'por', 'según', 'sin', 'sobre', 'tras', 'que'],
  en: ['of', 'by', 'to', 'for', 'from', 'with', 'on', 'in', 'at', 'about', 'against', 'as', 'than', 'that'],
};

function articleProblems(text: string, locale: Locale, directory: Pick<Directory, 'countries'>): string[] {
  const out: string[] = [];
  for (const c of directory.countries) {
    const article = countryArticle(c, locale);
    if (!article) continue;
    const name = c.name[locale];
    const re = new RegExp(`(?<![\\p{L}])${escapeRe(name)}(?![\\p{L}])`, 'gu');
    for (const m of text.matchAll(re)) {
      const before = text.slice(0, m.index);
      if (new RegExp(`(?:^|[^\\p{L}])${escapeRe(article)}\\s+$`, 'iu').test(before)) continue;
      const previous = /([\p{L}]+)\s+$/u.exec(before)?.[1]?.toLowerCase();
      if (previous && PREPOSITIONS[locale].includes(previous)) {
        out.push(`"${name}" without its article "${article}" in "${excerpt(text, m.index)}"`);
      } else if (locale === 'en' && /(?:^|[.!?]\s+)$/.test(before) && /^\s*(is|has|was|will|may|must|did|does)\b/.test(text.slice(m.index + name.length))) {
        out.push(`"${name}" begins a sentence without "The" in "${excerpt(text, m.index)}"`);
      }
    }
  }
  return out;
}

// ------------------------------------------------------------------------------------------ all

/** What is wrong with one text a person reads in `locale` (empty when it reads right). */
export function textProblems(text: string, locale: Locale, directory: Pick<Directory, 'countries'>, options: { cell?: boolean } = {}): string[] {
  return [
    ...codeProblems(text, locale, options.cell ?? false),
    ...punctuationProblems(text),
    ...placeholderProblems(text),
    ...articleProblems(text, locale, directory),
  ];
}

/** Every problem of a message, prefixed with where it is. */
export function messageProblems(m: NeutralMessage, directory: Pick<Directory, 'countries'>): string[] {
  return messageTexts(m).flatMap(({ where, text, cell }) => textProblems(text, m.locale, directory, { cell: cell ?? false }).map((p) => `${where}: ${p}`));
}

function excerpt(text: string, at: number): string {
  return text.slice(Math.max(0, at - 40), at + 40).replace(/\n/g, ' ⏎ ');
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
