/**
 * The audit record of one consultation, as plain data: what `crm consultations show` prints, `--json`
 * serialises, and the CSV and PDF exports lay out. Pure: (stored state, event log, refused attempts, live
 * directory, the time it is made) → AuditRecord. No words here, only codes and names; the renderers put
 * them in words (src/i18n), so the JSON keeps stable codes and the documents read naturally.
 *
 * Every instant is ISO-8601 with the ST's UTC offset (the zone frozen on the consultation, e.g.
 * `2026-12-01T09:00:00-06:00`). Country names come from the live directory (both languages), people's
 * names from what was recorded when they acted (a refusal recorded before attempts were kept falls back
 * to the live directory).
 */
import { DEFAULT_BODY } from '../directory/membership.ts';
import { z } from 'zod';
import { formatInZone } from '../calendar/tz.ts';
import type { CountryCode, Directory } from '../directory/model.ts';
import { membersAwaiting, positionsSummary } from '../domain/outcome.ts';
import type {
  CloseReason,
  ConsultationEvent,
  ConsultationEventType,
  ConsultationState,
  DecisionRule,
  EventActor,
  Outcome,
  Position,
  Stage,
  TroikaReaction,
} from '../domain/types.ts';

export const RECORD_FORMAT = 'crm.consultation-record.v1';

export interface RecordCountry {
  code: CountryCode;
  name: { es: string; en: string };
}

export type RecordRole = 'staff' | 'focal_point' | 'system' | 'unknown';

/** Who acted: name, role, the country they acted for, where. `personId` (an e-mail) is for the JSON only. */
export interface RecordPerson {
  personId: string | null;
  name: string;
  role: RecordRole;
  country?: RecordCountry;
  /** slack | teams | cli | console | system */
  platform: string;
}

export interface RecordVersionRef {
  number: number | null;
  hash: string;
}

export interface RecordTextVersion {
  number: number;
  hash: string;
  at: string;
  by: RecordPerson;
  /** The original's language, when recorded. */
  locale?: 'es' | 'en';
  title: string;
  text: string;
  translation?: { locale: 'es' | 'en'; title: string; text: string };
}

export interface RecordEvent {
  seq: number;
  type: ConsultationEventType;
  at: string;
  /** When the database wrote it (its own clock). */
  recordedAt: string;
  who: RecordPerson;
  country?: RecordCountry;
  position?: Position;
  reaction?: TroikaReaction;
  /** A reason (reaction, objection, withdrawal) or the justification of a deadline. */
  reason?: string;
  version?: RecordVersionRef;
  deadline?: string;
  previousDeadline?: string;
  outcome?: Outcome;
  closeReason?: CloseReason;
  /** The stage a withdrawn consultation was in. */
  fromStage?: Stage;
  /** sent_to_troika: the Troika frozen then. */
  troika?: RecordCountry[];
}

export interface RecordRefusal {
  at: string;
  who: RecordPerson;
  /** The command attempted: start, sendToTroika, reactTroika, revise, recordPosition, extend, withdraw, close. */
  attempted: string;
  country?: RecordCountry;
  position?: Position;
  reaction?: TroikaReaction;
  version?: RecordVersionRef;
  /** The refusal code (src/domain/types.ts RefusalCode) and its parameters. */
  code: string;
  detail?: Record<string, string | number>;
}

export interface RecordTroikaRow {
  country: RecordCountry;
  seat: 'previous' | 'current' | 'next';
  /** The PPT that presented the text (approves each version implicitly). */
  author: boolean;
  /** The country's latest reaction, `none` when it never reacted. */
  reaction: TroikaReaction | 'none';
  implicit?: boolean;
  version?: RecordVersionRef;
  reason?: string;
  who?: RecordPerson;
  at?: string;
}

export interface RecordMemberRow {
  country: RecordCountry;
  position: Position | 'none';
  version?: RecordVersionRef;
  reason?: string;
  who?: RecordPerson;
  at?: string;
  /** Positions the country recorded before its final one (each is in the timeline). */
  earlier: number;
}

export interface AuditRecord {
  format: typeof RECORD_FORMAT;
  /** The body consulted, as frozen on the consultation (the CRM for consultations older than that). */
  body: { code: string; name: { es: string; en: string } };
  consultationId: string;
  reference: string;
  title: string;
  stage: Stage;
  outcome: Outcome | null;
  rule: DecisionRule;
  calendarPolicy: string;
  closeEarly: boolean;
  /** The ST's zone, in which every instant of the record is written. */
  timeZone: string;
  generatedAt: string;
  createdAt: string;
  sentToTroikaAt?: string;
  circulatedAt?: string;
  deadline?: string;
  closedAt?: string;
  closeReason?: CloseReason;
  /** The withdrawal's reason, or the objecting Troika country's. */
  endReason?: string;
  justification?: string;
  supersedes?: string;
  currentVersion: RecordVersionRef;
  versions: RecordTextVersion[];
  troika: { incomplete: boolean; asOf: string; rows: RecordTroikaRow[] } | null;
  members: RecordMemberRow[];
  counts: Record<Position | 'none', number>;
  /** Member Countries without an answer (once the text circulated). */
  missing: RecordCountry[];
  events: RecordEvent[];
  refusals: RecordRefusal[];
}

/** A stored event row (store/consultation-store.ts StoredEvent). */
export interface RecordEventRow {
  seq: number;
  payload: unknown;
  recordedAt: Date;
}

/** A refused command row (store/consultation-store.ts StoredCommand). */
export interface RecordRefusalRow {
  type: string;
  result: unknown;
  attempt: unknown;
  actorPersonId: string | null;
  actorPlatform: string | null;
  createdAt: Date;
}

export interface RecordInput {
  state: ConsultationState;
  events: readonly RecordEventRow[];
  refusals: readonly RecordRefusalRow[];
  directory: Directory;
  generatedAt: Date;
}

// What flows/attempt.ts writes, read defensively (rows written before it have none).
const attemptSchema = z.object({
  at: z.string().optional(),
  actor: z.object({ name: z.string(), staff: z.boolean().optional(), country: z.string().optional() }).optional(),
  command: z
    .object({
      country: z.string().optional(),
      position: z.enum(['support', 'object', 'abstain']).optional(),
      reaction: z.enum(['approve', 'request_changes', 'object']).optional(),
      version: z.string().optional(),
    })
    .optional(),
});
const resultSchema = z.object({
  code: z.string().optional(),
  detail: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});

export function buildRecord(input: RecordInput): AuditRecord {
  const { state, directory } = input;
  const zone = state.participants.secretariatTimeZone || directory.secretariat.timezone;
  const when = (iso: string | Date) => formatInZone(typeof iso === 'string' ? new Date(iso) : iso, zone);
  const country = (code: CountryCode): RecordCountry => countryOf(directory, code);
  const numbers = new Map(state.versions.map((v) => [v.hash, v.number]));
  const versionRef = (hash: string): RecordVersionRef => ({ number: numbers.get(hash) ?? null, hash });
  const person = (a: EventActor): RecordPerson => ({
    personId: a.personId === 'system' ? null : a.personId,
    name: a.name,
    role: a.role,
    ...(a.country ? { country: country(a.country) } : {}),
    platform: a.platform,
  });

  const events = [...input.events]
    .sort((a, b) => a.seq - b.seq)
    .map((row) => eventOf(row, row.payload as ConsultationEvent, { when, country, versionRef, person }));

  const troika = state.troika
    ? {
        incomplete: state.troika.incomplete,
        asOf: state.troika.asOf,
        rows: state.troika.countries.map((code): RecordTroikaRow => {
          const t = state.troika!;
          const seat = code === t.current ? 'current' : code === t.previous ? 'previous' : 'next';
          const r = state.troikaHistory.filter((h) => h.country === code).at(-1);
          return {
            country: country(code),
            seat,
            author: code === t.authorCountry,
            reaction: r?.reaction ?? 'none',
            ...(r?.implicit ? { implicit: true } : {}),
            ...(r ? { version: versionRef(r.version), at: when(r.at) } : {}),
            ...(r?.reason ? { reason: r.reason } : {}),
            ...(r && !r.implicit ? { who: person(r.by) } : {}),
          };
        }),
      }
    : null;

  const finals = positionsSummary(state);
  const counts: Record<Position | 'none', number> = { support: 0, object: 0, abstain: 0, none: 0 };
  const members = state.participants.members.map((m): RecordMemberRow => {
    const rec = Object.hasOwn(state.positions, m.code) ? state.positions[m.code] : undefined;
    const position = finals[m.code] ?? 'none';
    counts[position] += 1;
    const all = state.positionHistory.filter((p) => p.country === m.code).length;
    return {
      country: country(m.code),
      position,
      ...(rec ? { version: versionRef(rec.version), who: person(rec.by), at: when(rec.at) } : {}),
      ...(rec?.reason ? { reason: rec.reason } : {}),
      earlier: Math.max(0, all - (rec ? 1 : 0)),
    };
  });

  const refusals = input.refusals
    .map((row) => refusalOf(row, directory, { when, country, versionRef }))
    .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));

  return {
    format: RECORD_FORMAT,
    body: structuredClone(state.participants.body ?? DEFAULT_BODY),
    consultationId: state.consultationId,
    reference: state.reference,
    title: state.title,
    stage: state.stage,
    outcome: state.outcome ?? null,
    rule: state.rule,
    calendarPolicy: state.calendarPolicy,
    closeEarly: state.closeEarly,
    timeZone: zone,
    generatedAt: when(input.generatedAt),
    createdAt: when(state.createdAt),
    ...(state.sentToTroikaAt ? { sentToTroikaAt: when(state.sentToTroikaAt) } : {}),
    ...(state.circulatedAt ? { circulatedAt: when(state.circulatedAt) } : {}),
    ...(state.deadline ? { deadline: when(state.deadline) } : {}),
    ...(state.closedAt ? { closedAt: when(state.closedAt) } : {}),
    ...(state.closeReason ? { closeReason: state.closeReason } : {}),
    ...(state.endReason ? { endReason: state.endReason } : {}),
    ...(state.justification ? { justification: state.justification } : {}),
    ...(state.supersedes ? { supersedes: state.supersedes } : {}),
    currentVersion: versionRef(state.currentVersion),
    versions: state.versions.map((v) => ({
      number: v.number,
      hash: v.hash,
      at: when(v.at),
      by: person(v.by),
      ...(v.locale ? { locale: v.locale } : {}),
      title: v.title,
      text: v.text,
      ...(v.translation ? { translation: { locale: v.translation.locale, title: v.translation.title, text: v.translation.text } } : {}),
    })),
    troika,
    members,
    counts,
    missing: state.circulatedAt ? membersAwaiting(state).map(country) : [],
    events,
    refusals,
  };
}

export function countryOf(directory: Directory, code: CountryCode): RecordCountry {
  const c = directory.countries.find((x) => x.code === code);
  return { code, name: c ? { es: c.name.es, en: c.name.en } : { es: code, en: code } };
}

interface Helpers {
  when: (iso: string | Date) => string;
  country: (code: CountryCode) => RecordCountry;
  versionRef: (hash: string) => RecordVersionRef;
  person: (a: EventActor) => RecordPerson;
}

function eventOf(row: RecordEventRow, e: ConsultationEvent, h: Helpers): RecordEvent {
  const base: RecordEvent = { seq: row.seq, type: e.type, at: h.when(e.at), recordedAt: h.when(row.recordedAt), who: h.person(e.actor) };
  switch (e.type) {
    case 'consultation_started':
    case 'text_revised':
      return { ...base, version: { number: e.version.number, hash: e.version.hash }, ...(e.type === 'consultation_started' && e.justification ? { reason: e.justification } : {}) };
    case 'sent_to_troika':
      return { ...base, version: h.versionRef(e.version), troika: e.troika.countries.map(h.country) };
    case 'troika_reacted':
      return { ...base, country: h.country(e.country), reaction: e.reaction, version: h.versionRef(e.version), ...(e.reason ? { reason: e.reason } : {}) };
    case 'consultation_not_endorsed':
      return { ...base, country: h.country(e.country), reaction: 'object', version: h.versionRef(e.version), reason: e.reason, outcome: e.outcome };
    case 'member_consultation_opened':
      return { ...base, version: h.versionRef(e.version), deadline: h.when(e.deadline) };
    case 'position_recorded':
      return { ...base, country: h.country(e.country), position: e.position, version: h.versionRef(e.version), ...(e.reason ? { reason: e.reason } : {}) };
    case 'deadline_extended':
      return { ...base, deadline: h.when(e.deadline), previousDeadline: h.when(e.previousDeadline), reason: e.justification };
    case 'consultation_withdrawn':
      return { ...base, outcome: e.outcome, fromStage: e.fromStage, ...(e.reason ? { reason: e.reason } : {}) };
    case 'consultation_closed':
      return { ...base, outcome: e.outcome, closeReason: e.reason };
    default:
      return base;
  }
}

function refusalOf(row: RecordRefusalRow, directory: Directory, h: Omit<Helpers, 'person'>): RecordRefusal {
  const parsedAttempt = attemptSchema.safeParse(row.attempt);
  const attempt = parsedAttempt.success ? parsedAttempt.data : {};
  const parsedResult = resultSchema.safeParse(row.result);
  const result = parsedResult.success ? parsedResult.data : {};
  const platform = row.actorPlatform ?? 'unknown';
  const personId = row.actorPersonId && row.actorPersonId !== 'system' ? row.actorPersonId : null;

  let who: RecordPerson;
  if (platform === 'system' || row.actorPersonId === 'system') {
    who = { personId: null, name: attempt.actor?.name ?? 'CRM bot', role: 'system', platform: 'system' };
  } else {
    const live = personId ? livePerson(directory, personId) : undefined;
    const staff = attempt.actor?.staff ?? live?.staff ?? false;
    const countryCode = attempt.actor?.country ?? live?.country;
    who = {
      personId,
      name: attempt.actor?.name ?? live?.name ?? '—',
      role: staff ? 'staff' : countryCode ? 'focal_point' : 'unknown',
      ...(countryCode ? { country: h.country(countryCode) } : {}),
      platform,
    };
  }
  const c = attempt.command ?? {};
  return {
    at: h.when(attempt.at && !Number.isNaN(Date.parse(attempt.at)) ? attempt.at : row.createdAt),
    who,
    attempted: row.type,
    ...(c.country ? { country: h.country(c.country) } : {}),
    ...(c.position ? { position: c.position } : {}),
    ...(c.reaction ? { reaction: c.reaction } : {}),
    ...(c.version ? { version: h.versionRef(c.version) } : {}),
    code: result.code ?? 'unknown',
    ...(result.detail ? { detail: result.detail } : {}),
  };
}

function livePerson(directory: Directory, personId: string): { name: string; staff: boolean; country?: CountryCode } | undefined {
  const staff = directory.secretariat.staff.find((s) => s.id === personId);
  for (const c of directory.countries) {
    const fp = c.focalPoints.find((f) => f.id === personId);
    if (fp) return { name: fp.name, staff: staff !== undefined, country: c.code };
  }
  return staff ? { name: staff.name, staff: true } : undefined;
}
