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
  /** Meeting roles (shared/interfaces.md "Directory file"); absent when none. */
  roles?: MeetingRole[];
}

/**
 * The roles a person may hold for meetings (shared/domain.md "People for meetings"). `st_coordinator` is
 * for ST staff only; the others are for the people of a Member Country's delegation.
 */
export type MeetingRole = 'vice_minister' | 'senior_official' | 'grcm_delegate' | 'liaison_trafficking' | 'liaison_consular';
export const MEETING_ROLES: readonly MeetingRole[] = [
  'vice_minister',
  'senior_official',
  'grcm_delegate',
  'liaison_trafficking',
  'liaison_consular',
];
export type StaffRole = 'st_coordinator';
export const STAFF_ROLES: readonly StaffRole[] = ['st_coordinator'];

/** Someone who takes part in meetings (a country's or an organisation's `people:` entry). */
export interface MeetingPerson extends Person {
  /** Absent when none (an observer's or an organisation's delegate). */
  roles?: MeetingRole[];
}

/**
 * The ST coordinator's contract (Decision 15 of the IX CRM): one year from `from`, extended at most twice,
 * so at most three years; the vacancy is announced at the start of the last year of that maximum term.
 */
export interface CoordinatorContract {
  /** First day of the first year, YYYY-MM-DD. */
  from: string;
  /** Extensions granted so far: 0, 1 or 2. */
  extensions: number;
}

/** ST staff: a person, possibly the ST coordinator with their contract. */
export interface StaffMember extends Person {
  roles?: StaffRole[];
  contract?: CoordinatorContract;
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
  /** People who take part in meetings (besides the focal points); absent when none are listed. */
  people?: MeetingPerson[];
}

export type OrganizationKind = 'observer' | 'civil-society' | 'invitee';

export interface Organization {
  code: string;
  kind: OrganizationKind;
  name: LocalizedText;
  /** The organisation's delegates for meetings; absent when none are listed. */
  people?: MeetingPerson[];
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
  staff: StaffMember[];
}

/** A local correction on top of the shipped calendars. `kind: working` removes a holiday instead. */
export interface HolidayOverride {
  calendar: string;
  date: string;
  name: string;
  kind?: 'holiday' | 'working';
}

/** The consultative body the directory describes (`body:` in the file; the CRM when absent). */
export interface Body {
  /** Short code, e.g. CRM, CSM. */
  code: string;
  name: LocalizedText;
}

export interface Directory {
  /** Absent: the CRM (./membership.ts `bodyOf`). */
  body?: Body;
  secretariat: Secretariat;
  presidencies: PresidencyTerm[];
  countries: Country[];
  organizations: Organization[];
  holidays: HolidayOverride[];
}
