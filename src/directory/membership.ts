/**
 * Who belongs to the Conference. Membership is fixed by the Conference itself (domain.md "Who is who"),
 * not by the directory file: the file may only describe these countries, never add or remove one.
 */
import type { CountryCode, Locale } from './model.ts';

/** The 11 Member Countries, in the order of domain.md. */
export const MEMBER_COUNTRIES: readonly CountryCode[] = ['BZ', 'CA', 'CR', 'SV', 'US', 'GT', 'HN', 'MX', 'NI', 'PA', 'DO'];

/** The 5 observer countries (§7.1): they never decide. */
export const OBSERVER_COUNTRIES: readonly CountryCode[] = ['AR', 'CO', 'EC', 'JM', 'PE'];

export function isMemberCountry(code: string): boolean {
  return MEMBER_COUNTRIES.includes(code);
}

export function isObserverCountry(code: string): boolean {
  return OBSERVER_COUNTRIES.includes(code);
}

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
