/**
 * Messages in the person's language. `t(locale, key, params)` is fully typed: the key must exist and the
 * parameters must match the message (none for a plain string).
 *
 *   t('es', 'position.support')                                  // "Apoya"
 *   t('en', 'refusal.invalid_days', { min: 1, max: 30 })
 *   refusalMessage(locale, refusal.code)                         // any code string from the domain
 */
import type { Locale } from '../directory/model.ts';
import { en } from './messages.en.ts';
import { es } from './messages.es.ts';
import type { CatalogueOf } from './types.ts';

export type { Locale } from '../directory/model.ts';
export type Catalogue = CatalogueOf<typeof es>;
export type MessageKey = keyof Catalogue;

/** Parameters a message takes: `[]` for a string, `[params]` for a function. */
export type MessageParams<K extends MessageKey> = Catalogue[K] extends (...args: infer A) => string ? A : [];

export type RefusalCode = MessageKey extends infer K ? (K extends `refusal.${infer C}` ? C : never) : never;
export type PositionKey = MessageKey extends infer K ? (K extends `position.${infer C}` ? C : never) : never;
export type OutcomeKey = MessageKey extends infer K ? (K extends `outcome.${infer C}` ? C : never) : never;
export type StageKey = MessageKey extends infer K ? (K extends `stage.${infer C}` ? C : never) : never;

export const catalogues: Readonly<Record<Locale, Catalogue>> = { es, en };

export const DEFAULT_LOCALE: Locale = 'es';

export function t<K extends MessageKey>(locale: Locale, key: K, ...params: MessageParams<K>): string {
  const catalogue = catalogues[locale] ?? catalogues[DEFAULT_LOCALE];
  const message = catalogue[key] as string | ((...args: MessageParams<K>) => string);
  return typeof message === 'function' ? message(...params) : message;
}

/** Keys of messages without parameters. */
export type PlainMessageKey = { [K in MessageKey]: Catalogue[K] extends string ? K : never }[MessageKey];

/**
 * A message for someone whose language is unknown (a person not in the directory): Spanish first, then
 * English, as two paragraphs.
 */
export function inBothLanguages(key: PlainMessageKey, separator = '\n\n'): string {
  return `${t('es', key)}${separator}${t('en', key)}`;
}

export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(es, key);
}

/**
 * The message for a refusal code coming from the domain (typed as a plain string there). Unknown codes
 * get the generic `refusal.unknown`; codes whose message needs parameters get them from `params`, and
 * the generic message if `params` is missing (never a crash or an "undefined" in front of a user).
 */
export function refusalMessage(locale: Locale, code: string, params?: Record<string, unknown>): string {
  const key = `refusal.${code}`;
  if (!isMessageKey(key)) return t(locale, 'refusal.unknown');
  const message: unknown = catalogues[locale][key];
  if (typeof message === 'string') return message;
  if (params === undefined || typeof message !== 'function') return t(locale, 'refusal.unknown');
  return (message as (p: Record<string, unknown>) => string)(params);
}

export { formatInstant, formatDate, formatDeadline, formatList, zoneLabel, zonePlace, type FormatInstantOptions, type FormatDeadlineOptions } from './format.ts';
export { countryArticle, countryInText } from './countries.ts';
export { quotedSentence, sentence, withArticle } from './text.ts';
