/**
 * The directory as the rest of the program sees it, after parsing and validation (see ./schema.ts).
 * Pure data: no I/O here. Field meanings follow ../../shared/interfaces.md "Directory file (YAML)".
 */
export type Locale = 'es' | 'en';
export const LOCALES: readonly Locale[] = ['es', 'en'];

/** ISO 3166-1 alpha-2, upper case. */
export type CountryCode = string;

export interface LocalizedText {
  es: string;
  en: string;
}

/** A platform the bot reaches a person on. */
export type Reach = 'slack' | 'teams' | 'email';

export interface Person {
  /** Stable identity of a person across platforms: the e-mail address, lower-cased. */
  id: string;
  name: string;
  email: string;
  /** Slack user id (U… or W…), when the person uses Slack. */
  slack?: string;
  /** Microsoft Entra object id, when the person uses Teams. */
  teams?: string;
  /**
   * Where the bot reaches them when they have more than one way (flows/addressing.ts `reachOf`); absent:
   * the first of Slack, Teams, e-mail they have. They may act from any platform they have an id on.
   */
  reach?: Reach;
  locale: Locale;
  /** IANA time zone; for a focal point it defaults to the country's. */
  timezone: string;
}

export interface FocalPoint extends Person {
  country: CountryCode;
}

export interface Country {
  code: CountryCode;
  status: 'member' | 'observer';
  name: LocalizedText;
  /**
   * The article the name takes in running text, per language ("the" United States, "la" República
   * Dominicana); `''` for none. Absent: the Conference's defaults (./membership.ts COUNTRY_ARTICLES).
   */
  article?: Partial<Record<Locale, string>>;
  timezone: string;
  /** date-holidays calendar id, with region where it matters (CA-ON, US-DC). */
  calendar: string;
  focalPoints: FocalPoint[];
}

export type OrganizationKind = 'observer' | 'civil-society' | 'invitee';

export interface Organization {
  code: string;
  kind: OrganizationKind;
  name: LocalizedText;
}

/** One PPT term. Dates are calendar dates (YYYY-MM-DD); `to` is inclusive and absent for the open term. */
export interface PresidencyTerm {
  country: CountryCode;
  from: string;
  to?: string;
}

export interface Secretariat {
  timezone: string;
  calendar: string;
  locale: Locale;
  slack?: { channel: string };
  teams?: { channel?: string; conversationId?: string };
  staff: Person[];
}

/** A local correction on top of the shipped calendars. `kind: working` removes a holiday instead. */
export interface HolidayOverride {
  calendar: string;
  date: string;
  name: string;
  kind?: 'holiday' | 'working';
}

export interface Directory {
  secretariat: Secretariat;
  presidencies: PresidencyTerm[];
  countries: Country[];
  organizations: Organization[];
  holidays: HolidayOverride[];
}
