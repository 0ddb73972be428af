/**
 * The directory file (YAML, ../../shared/interfaces.md "Directory file (YAML)") as a zod 4 schema, and its
 * transformation to the `Directory` of ./model.ts.
 *
 * The schema checks the shape and every single field on its own (formats, time zones, calendar ids, ISO
 * codes). Checks that relate several fields (duplicates, membership, presidency roster) live in
 * ./semantic.ts so they can run even where the shape is partly wrong. Use ./load.ts to get both.
 *
 * Defaults applied by `toDirectory`:
 * - `secretariat.timezone`: America/Costa_Rica, `secretariat.calendar`: CR (the ST's seat, San José),
 *   `secretariat.locale`: es.
 * - ST staff: `locale` and `timezone` default to the secretariat's.
 * - Focal point: `timezone` defaults to the country's; `locale` defaults to `en` for English-speaking
 *   countries (BZ, CA, US, JM, ...: see ./membership.ts `defaultLocaleFor`) and `es` otherwise.
 * - `secretariat.staff`, `focalPoints`, `organizations`, `holidays`: empty when absent or null (`holidays:`).
 * - Person.id is the e-mail address, trimmed and lower-cased.
 * - A country's `article` (the United States, la República Dominicana) is optional: absent, the
 *   Conference's defaults apply where the name is used in a sentence (../i18n/countries.ts).
 * - Meetings (shared/interfaces.md "Directory file", people and roles): a country's `people:` default like
 *   its focal points; an organisation's `people:` default to the secretariat's locale and zone. `people`
 *   and `roles` are left out of the `Directory` when none are given, so directories without meetings
 *   data read exactly as before. `st_coordinator` is a role of ST staff only; `contract` is checked in
 *   ./semantic.ts (only on the ST coordinator).
 *
 * Unknown fields are errors (a typo such as `focalpoints` must not silently drop a country's contacts).
 */
import { z } from 'zod';
import { storableText } from '../domain/text-version.ts';
import { isIso3166Alpha2 } from './iso3166.ts';
import { ARTICLES, defaultLocaleFor } from './membership.ts';
import {
  MEETING_ROLES,
  STAFF_ROLES,
  type CoordinatorContract,
  type Country,
  type Directory,
  type FocalPoint,
  type Locale,
  type MeetingPerson,
  type MeetingRole,
  type Person,
  type StaffMember,
  type StaffRole,
} from './model.ts';
import {
  calendarProblem,
  dateProblem,
  ENTRA_OBJECT_ID,
  SLACK_CHANNEL_ID,
  SLACK_USER_ID,
  timeZoneProblem,
} from './validators.ts';

type Issue = { input?: unknown };

/**
 * A string whose type error and format error share one message (missing stays "required"). A NUL or a
 * broken surrogate pair (YAML's "\0", "\uD800") could not be stored: refused here, where the field is known.
 */
function str(message: string) {
  return z
    .string({ error: (iss: Issue) => (iss.input === undefined ? 'required' : message) })
    .refine((v) => storableText(v) === v, { error: 'contains a character that cannot be stored (NUL, or half of a character)' });
}

/** A trimmed string checked by `problem` (returns the message, or undefined when fine). */
function checked(typeMessage: string, problem: (v: string) => string | undefined) {
  return str(typeMessage)
    .trim()
    .superRefine((v, ctx) => {
      const p = problem(v);
      if (p !== undefined) ctx.addIssue({ code: 'custom', message: p });
    });
}

const text = str('expected a non-empty text').trim().min(1, { error: 'must not be empty' });

const localeSchema = z.enum(['es', 'en'], {
  error: (iss: Issue) => (iss.input === undefined ? 'required' : `expected es or en, got ${show(iss.input)}`),
});

const timezone = checked('expected an IANA time zone name such as America/Costa_Rica', timeZoneProblem);
const calendar = checked('expected a holiday calendar id such as CR, CA-ON or US-DC', calendarProblem);
const date = checked('expected a date YYYY-MM-DD', dateProblem);
const email = str('expected an e-mail address')
  .trim()
  .pipe(z.email({ error: 'expected an e-mail address' }));
const slackUser = str('expected a Slack user id').trim().regex(SLACK_USER_ID, { error: 'expected a Slack user id' });
const slackChannel = str('expected a Slack channel id')
  .trim()
  .regex(SLACK_CHANNEL_ID, { error: 'expected a Slack channel id' });
const teamsId = str('expected a Microsoft Entra object id (a GUID)')
  .trim()
  .regex(ENTRA_OBJECT_ID, { error: 'expected a Microsoft Entra object id (a GUID)' });

/** Where the bot reaches a person who has more than one way (interfaces.md "Directory file"). */
const reachSchema = z.enum(['slack', 'teams', 'email'], {
  error: (iss: Issue) => `expected slack, teams or email, got ${show(iss.input)}`,
});

const countryCode = checked('expected an ISO 3166-1 alpha-2 country code', (v) => {
  if (!/^[A-Z]{2}$/.test(v)) return `expected an ISO 3166-1 alpha-2 country code (two capital letters), got "${v}"`;
  if (!isIso3166Alpha2(v)) return `unknown country code "${v}" (not ISO 3166-1 alpha-2)`;
  return undefined;
});

/** A list that may be absent or left empty (`holidays:` with nothing after it is YAML null). */
function optionalList<T extends z.ZodType>(item: T) {
  return z.preprocess((v) => (v === null ? undefined : v), z.array(item).default([]));
}

const localizedText = z.strictObject({ es: text, en: text });

const personFields = {
  name: text,
  email,
  slack: slackUser.optional(),
  teams: teamsId.optional(),
  reach: reachSchema.optional(),
  locale: localeSchema.optional(),
  timezone: timezone.optional(),
};

const orList = (xs: readonly string[]) => `${xs.slice(0, -1).join(', ')} or ${xs.at(-1)}`;

/** A person's meeting roles: a list of MEETING_ROLES (`st_coordinator` is refused with its reason). */
const meetingRoles = z.array(
  z.string({ error: () => `expected a role (${orList(MEETING_ROLES)})` }).superRefine((v, ctx) => {
    if ((MEETING_ROLES as readonly string[]).includes(v)) return;
    ctx.addIssue({
      code: 'custom',
      message:
        v === 'st_coordinator'
          ? 'st_coordinator is a role of ST staff only (secretariat.staff)'
          : `unknown role ${show(v)} (expected ${orList(MEETING_ROLES)})`,
    });
  }),
  { error: (iss: Issue) => (iss.input === undefined ? 'required' : `expected a list of roles, got ${show(iss.input)}`) },
);

const staffRoles = z.array(
  z.string({ error: () => 'expected the role st_coordinator' }).superRefine((v, ctx) => {
    if ((STAFF_ROLES as readonly string[]).includes(v)) return;
    ctx.addIssue({
      code: 'custom',
      message: (MEETING_ROLES as readonly string[]).includes(v)
        ? `${v} is a role of a country's delegation, not of ST staff (ST staff may carry st_coordinator)`
        : `unknown role ${show(v)} (ST staff may carry st_coordinator)`,
    });
  }),
  { error: (iss: Issue) => (iss.input === undefined ? 'required' : `expected a list of roles, got ${show(iss.input)}`) },
);

const contractSchema = z.strictObject({
  from: date,
  extensions: z
    .number({ error: (iss: Issue) => (iss.input === undefined ? 'required' : `expected 0, 1 or 2, got ${show(iss.input)}`) })
    .int({ error: 'expected 0, 1 or 2 (a whole number)' })
    .min(0, { error: 'expected 0, 1 or 2 (extensions granted so far)' })
    .max(2, { error: 'at most two extensions: the contract is for one year, extensible to a maximum of two more' }),
});

const staffSchema = z.strictObject({ ...personFields, roles: staffRoles.optional(), contract: contractSchema.optional() });
const focalPointSchema = z.strictObject({ ...personFields, roles: meetingRoles.optional() });
/** A country's or an organisation's `people:` entry: the fields of a focal point, roles included. */
const meetingPersonSchema = focalPointSchema;

const secretariatSchema = z.strictObject({
  timezone: timezone.default('America/Costa_Rica'),
  calendar: calendar.default('CR'),
  locale: localeSchema.default('es'),
  slack: z.strictObject({ channel: slackChannel }).optional(),
  teams: z
    .strictObject({
      channel: str('expected a Teams channel id').trim().min(1).optional(),
      conversationId: str('expected a Teams conversation id').trim().min(1).optional(),
    })
    .optional(),
  staff: optionalList(staffSchema),
});

const presidencySchema = z.strictObject({
  country: countryCode,
  from: date,
  to: date.optional(),
});

const countrySchema = z.strictObject({
  code: countryCode,
  status: z.enum(['member', 'observer'], {
    error: (iss: Issue) =>
      iss.input === undefined ? 'required' : `expected member or observer, got ${show(iss.input)}`,
  }),
  name: localizedText,
  article: z
    .strictObject({
      es: z.enum(ARTICLES.es, { error: (iss: Issue) => `expected la, las, los or "" (none), got ${show(iss.input)}` }).optional(),
      en: z.enum(ARTICLES.en, { error: (iss: Issue) => `expected the or "" (none), got ${show(iss.input)}` }).optional(),
    })
    .optional(),
  timezone,
  calendar,
  focalPoints: optionalList(focalPointSchema),
  people: optionalList(meetingPersonSchema),
});

const organizationSchema = z.strictObject({
  code: str('expected an organisation code').trim().regex(/^[A-Za-z][A-Za-z0-9-]*$/, {
    error: 'expected an organisation code (letters, digits and "-", e.g. OIM)',
  }),
  kind: z.enum(['observer', 'civil-society', 'invitee'], {
    error: (iss: Issue) =>
      iss.input === undefined ? 'required' : `expected observer, civil-society or invitee, got ${show(iss.input)}`,
  }),
  name: localizedText,
  people: optionalList(meetingPersonSchema),
});

const holidaySchema = z.strictObject({
  calendar,
  date,
  name: text,
  kind: z
    .enum(['holiday', 'working'], {
      error: (iss: Issue) => `expected holiday or working, got ${show(iss.input)}`,
    })
    .optional(),
});

const bodySchema = z.strictObject({
  code: str('expected the body\'s short code').trim().regex(/^[A-Za-z][A-Za-z0-9-]{0,15}$/, {
    error: 'expected a short code of letters, digits and "-" (at most 16), e.g. CRM',
  }),
  name: localizedText,
});

/** The file as written (after defaults), before the transformation to `Directory`. */
export const directoryFileSchema = z.strictObject(
  {
    body: bodySchema.optional(),
    secretariat: secretariatSchema,
    presidencies: z.array(presidencySchema).min(1, { error: 'at least one presidency term is needed' }),
    countries: z.array(countrySchema).min(1, { error: 'at least one country is needed' }),
    organizations: optionalList(organizationSchema),
    holidays: optionalList(holidaySchema),
  },
  {
    error: (iss: Issue) =>
      iss.input === undefined || iss.input === null
        ? 'the directory file is empty'
        : 'expected a mapping with body, secretariat, presidencies, countries, organizations, holidays',
  },
);

export type DirectoryFile = z.output<typeof directoryFileSchema>;

type PersonInput = z.output<typeof focalPointSchema>;
type StaffInput = z.output<typeof staffSchema>;

function person(p: PersonInput, locale: Locale, timezone: string): Person {
  const email = p.email.trim();
  return {
    id: email.toLowerCase(),
    name: p.name,
    email,
    ...(p.slack !== undefined ? { slack: p.slack } : {}),
    ...(p.teams !== undefined ? { teams: p.teams.toLowerCase() } : {}),
    ...(p.reach !== undefined ? { reach: p.reach } : {}),
    locale: p.locale ?? locale,
    timezone: p.timezone ?? timezone,
  };
}

/** Roles kept only when some are given (an empty list is the same as none). */
function withRoles<R extends string>(roles: readonly string[] | undefined): { roles?: R[] } {
  return roles && roles.length > 0 ? { roles: [...new Set(roles)] as R[] } : {};
}

function staffMember(p: StaffInput, locale: Locale, timezone: string): StaffMember {
  const contract: CoordinatorContract | undefined = p.contract ? { from: p.contract.from, extensions: p.contract.extensions } : undefined;
  return { ...person(p, locale, timezone), ...withRoles<StaffRole>(p.roles), ...(contract ? { contract } : {}) };
}

function meetingPeople(list: readonly PersonInput[], locale: Locale, timezone: string): { people?: MeetingPerson[] } {
  if (list.length === 0) return {};
  return { people: list.map((p) => ({ ...person(p, locale, timezone), ...withRoles<MeetingRole>(p.roles) })) };
}

/** Apply the defaults documented above. Pure; assumes `file` passed `directoryFileSchema`. */
export function toDirectory(file: DirectoryFile): Directory {
  const s = file.secretariat;
  return {
    ...(file.body ? { body: { code: file.body.code, name: { es: file.body.name.es, en: file.body.name.en } } } : {}),
    secretariat: {
      timezone: s.timezone,
      calendar: s.calendar,
      locale: s.locale,
      ...(s.slack ? { slack: { channel: s.slack.channel } } : {}),
      ...(s.teams
        ? {
            teams: {
              ...(s.teams.channel !== undefined ? { channel: s.teams.channel } : {}),
              ...(s.teams.conversationId !== undefined ? { conversationId: s.teams.conversationId } : {}),
            },
          }
        : {}),
      staff: s.staff.map((p) => staffMember(p, s.locale, s.timezone)),
    },
    presidencies: file.presidencies.map((t) => ({
      country: t.country,
      from: t.from,
      ...(t.to !== undefined ? { to: t.to } : {}),
    })),
    countries: file.countries.map(
      (c): Country => ({
        code: c.code,
        status: c.status,
        name: { es: c.name.es, en: c.name.en },
        ...(c.article ? { article: { ...c.article } } : {}),
        timezone: c.timezone,
        calendar: c.calendar,
        focalPoints: c.focalPoints.map(
          (p): FocalPoint => ({ ...person(p, defaultLocaleFor(c.code), c.timezone), country: c.code, ...withRoles<MeetingRole>(p.roles) }),
        ),
        ...meetingPeople(c.people, defaultLocaleFor(c.code), c.timezone),
      }),
    ),
    organizations: file.organizations.map((o) => ({
      code: o.code,
      kind: o.kind,
      name: { es: o.name.es, en: o.name.en },
      // An organisation's delegates default to the ST's language and zone (organisations have neither).
      ...meetingPeople(o.people, s.locale, s.timezone),
    })),
    holidays: file.holidays.map((h) => ({
      calendar: h.calendar,
      date: h.date,
      name: h.name,
      ...(h.kind !== undefined ? { kind: h.kind } : {}),
    })),
  };
}

/** Schema and transformation in one: the file's text parsed as YAML in, `Directory` out. */
export const directorySchema = directoryFileSchema.transform(toDirectory);

/** A short rendering of an offending value for messages. */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? value.slice(0, 57) + '...' : value);
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}
