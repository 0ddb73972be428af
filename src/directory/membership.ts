/**
 * Who belongs to the body. Membership is data: each country's `status` in the directory file (member |
 * observer), decided by the body itself (for the CRM, the Vice-Ministers: §8), never by a release. The
 * file also names the body (`body:`); without it, the directory describes the CRM.
 */
import type { Body, CountryCode, Directory, Locale } from './model.ts';

/** The body a directory without `body:` describes: the Regional Conference on Migration. */
export const DEFAULT_BODY: Body = {
  code: 'CRM',
  name: { es: 'Conferencia Regional sobre Migración', en: 'Regional Conference on Migration' },
};

export const bodyOf = (d: Pick<Directory, 'body'>): Body => d.body ?? DEFAULT_BODY;

/** The body's Member Countries, in the directory's order. */
export const memberCodes = (d: Pick<Directory, 'countries'>): CountryCode[] => d.countries.filter((c) => c.status === 'member').map((c) => c.code);

/** The body's observer countries, in the directory's order (they never decide). */
export const observerCodes = (d: Pick<Directory, 'countries'>): CountryCode[] => d.countries.filter((c) => c.status === 'observer').map((c) => c.code);

/**
 * Countries whose official language is English (among those the CRM deals with, plus a few neighbours).
 * A focal point without an explicit `locale` gets `en` when their country is one of these, else `es`:
 * Spanish is the Conference's first language and that of every other member and observer country.
 * Canada defaults to `en` (the bot has no French); a francophone focal point just sets `locale` as they like.
 */
export const ENGLISH_DEFAULT_COUNTRIES: readonly CountryCode[] = [
  'BZ', 'CA', 'US', 'JM', 'GB', 'IE', 'AU', 'NZ', 'BS', 'BB', 'TT', 'GY', 'AG', 'DM', 'GD', 'KN', 'LC', 'VC',
];

export function defaultLocaleFor(country: CountryCode): Locale {
  return ENGLISH_DEFAULT_COUNTRIES.includes(country) ? 'en' : 'es';
}

/**
 * The article a country's name takes in running text, per language, for the countries the Conference
 * deals with: "the position of the United States", "hora de la República Dominicana". Countries not
 * listed take none ("Costa Rica", "El Salvador", whose article is part of the name). "los Estados Unidos"
 * is optional in Spanish; the Conference's documents write "Estados Unidos". A directory entry's
 * `article` overrides these (`''` for none). Bare names stay in table cells and lists.
 */
export const COUNTRY_ARTICLES: Readonly<Record<CountryCode, Partial<Record<Locale, string>>>> = {
  US: { en: 'the' },
  DO: { es: 'la', en: 'the' },
};

/**
 * The articles a directory entry may give a country's name: Spanish la/las/los (never "el", which would
 * need "del" and "al" after de and a), English the; '' for none.
 */
export const ARTICLES = { es: ['la', 'las', 'los', ''], en: ['the', ''] } as const;
