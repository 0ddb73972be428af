/**
 * A country's name as it reads inside a sentence, in the reader's language: with its article where the
 * language needs one ("the position of the United States", "la posición de la República Dominicana").
 * Table cells, field values and lists keep the bare name (`countryName` in flows/effects.ts).
 *
 * The article comes from the directory entry (`article: { es, en }`, `''` for none) or, when the entry has
 * none, from the Conference's defaults (directory/membership.ts COUNTRY_ARTICLES). An unknown code is
 * shown as it is.
 */
import { COUNTRY_ARTICLES } from '../directory/membership.ts';
import type { Country, CountryCode, Locale } from '../directory/model.ts';
import { withArticle } from './text.ts';

type Named = Pick<Country, 'code' | 'name' | 'article'>;

/** The article of `country` in `locale` ('' or undefined for none). */
export function countryArticle(country: Named, locale: Locale): string | undefined {
  return country.article?.[locale] ?? COUNTRY_ARTICLES[country.code]?.[locale];
}

/** "the United States", "la República Dominicana", "Costa Rica". */
export function countryInText(directory: { countries: readonly Named[] }, code: CountryCode, locale: Locale): string {
  const country = directory.countries.find((c) => c.code === code);
  if (!country) return code;
  return withArticle(country.name[locale], countryArticle(country, locale));
}
