/**
 * Who may do what (domain.md "Authority"), checked against the consultation's FROZEN participants:
 * - start, send to the Troika, revise, extend, withdraw: a focal point of the PPT country, or ST staff;
 * - Troika reaction: a focal point of a Troika country of this consultation;
 * - member position: a focal point of that Member Country, for that country only;
 * - close at the deadline: the system;
 * - who sees which Member Country's answer while the consultation runs: `maySee`.
 * The result is the `EventActor` to record (role and the country acted for) or a refusal.
 */
import type { CountryCode } from '../directory/model.ts';
import { presidencyAt } from '../directory/presidency.ts';
import { dateInZone } from './time.ts';
import { TERMINAL_STAGES, type CommandActor, type ConsultationState, type EventActor, type Participants, type Refusal } from './types.ts';

export type AuthorityAction = 'manage' | 'react_troika' | 'record_position' | 'close';

export type Authorized = { ok: true; actor: EventActor };

/** Countries whose frozen focal-point list contains `personId`, in participants order. */
export function focalPointCountries(participants: Participants, personId: string): CountryCode[] {
  const out: CountryCode[] = [];
  for (const m of participants.members) {
    if (m.focalPoints.some((fp) => fp.personId === personId)) out.push(m.code);
  }
  return out;
}

export function isFocalPointOf(participants: Participants, personId: string, country: CountryCode): boolean {
  const m = participants.members.find((x) => x.code === country);
  return m !== undefined && m.focalPoints.some((fp) => fp.personId === personId);
}

/** The PPT in office on the secretariat date of `now`, per the frozen roster. */
export function pptInOffice(participants: Participants, now: Date): CountryCode | undefined {
  return presidencyAt(participants.presidencies, dateInZone(now, participants.secretariatTimeZone))?.country;
}

function eventActor(actor: CommandActor, role: EventActor['role'], country?: CountryCode): EventActor {
  return {
    personId: actor.personId,
    name: actor.name,
    platform: actor.platform,
    ...(country !== undefined ? { country } : {}),
    role,
  };
}

/**
 * PPT-or-staff authority. `pptCountries` are the countries whose focal points may act as the PPT
 * (the PPT in office now and, for an existing consultation, the PPT that presents it).
 */
export function authorizeManager(
  participants: Participants,
  pptCountries: readonly CountryCode[],
  actor: CommandActor,
): Authorized | Refusal {
  for (const c of pptCountries) {
    if (isFocalPointOf(participants, actor.personId, c)) return { ok: true, actor: eventActor(actor, 'focal_point', c) };
  }
  if (actor.isStaff === true) return { ok: true, actor: eventActor(actor, 'staff') };
  return { ok: false, code: 'not_authorized' };
}

/** The PPT countries that may manage an existing consultation at `now`. */
export function managingCountries(state: ConsultationState, now: Date): CountryCode[] {
  const out: CountryCode[] = [];
  const author = state.troika?.authorCountry ?? state.pptCountry;
  if (author !== undefined) out.push(author);
  const inOffice = pptInOffice(state.participants, now);
  if (inOffice !== undefined && !out.includes(inOffice)) out.push(inOffice);
  return out;
}

/**
 * A Troika reaction: for a Troika country other than the author. The PPT that presents the text approves
 * it as its author (implicitly, on every version) and does not react to it: a person acting only for the
 * author country is refused with `author_country`. A focal point of the author and of another Troika
 * country acts for the other one.
 */
export function authorizeTroika(
  state: ConsultationState,
  actor: CommandActor,
  country?: CountryCode,
): Authorized | Refusal {
  const troika = state.troika?.countries ?? [];
  let candidates = focalPointCountries(state.participants, actor.personId).filter((c) => troika.includes(c));
  if (country !== undefined) candidates = candidates.filter((c) => c === country);
  const acting = candidates.filter((c) => c !== state.troika?.authorCountry);
  const [only, ...rest] = acting;
  if (only === undefined) {
    return candidates.length > 0
      ? { ok: false, code: 'author_country', detail: { country: candidates[0]! } }
      : { ok: false, code: 'not_troika_member' };
  }
  if (rest.length > 0) return { ok: false, code: 'country_ambiguous', detail: { countries: acting.join(',') } };
  return { ok: true, actor: eventActor(actor, 'focal_point', only) };
}

export function authorizePosition(
  state: ConsultationState,
  actor: CommandActor,
  country: CountryCode,
): Authorized | Refusal {
  if (!state.participants.members.some((m) => m.code === country)) {
    return { ok: false, code: 'not_member_country', detail: { country: String(country) } };
  }
  if (!isFocalPointOf(state.participants, actor.personId, country)) {
    return { ok: false, code: 'not_focal_point_of_country', detail: { country } };
  }
  return { ok: true, actor: eventActor(actor, 'focal_point', country) };
}

export function authorizeSystem(actor: CommandActor): Authorized | Refusal {
  if (actor.platform !== 'system') return { ok: false, code: 'not_authorized' };
  return { ok: true, actor: eventActor(actor, 'system') };
}

/**
 * Whether `actor` may perform `action` on `state` at `now` (for buttons and help in the shell; `decide`
 * applies the same rules). `country` is the Member Country for `record_position`, and optionally the
 * Troika country for `react_troika`.
 */
export function authorityFor(
  state: ConsultationState,
  actor: CommandActor,
  action: AuthorityAction,
  opts: { now: Date; country?: CountryCode },
): Authorized | Refusal {
  try {
    switch (action) {
      case 'manage':
        return authorizeManager(state.participants, managingCountries(state, opts.now), actor);
      case 'react_troika':
        return authorizeTroika(state, actor, opts.country);
      case 'record_position':
        if (opts.country === undefined) return { ok: false, code: 'invalid_command', detail: { field: 'country' } };
        return authorizePosition(state, actor, opts.country);
      case 'close':
        return authorizeSystem(actor);
      default:
        return { ok: false, code: 'invalid_command', detail: { field: 'action' } };
    }
  } catch {
    return { ok: false, code: 'invalid_time' };
  }
}

// ------------------------------------------------------------------------------------------ visibility

/** Who is looking: a person identified against the directory (as a `CommandActor` is). */
export interface Viewer {
  personId: string;
  isStaff: boolean;
}

/** What is looked at: a Member Country's answer (its position, who recorded it, its reason). */
export type Visible = { kind: 'answer'; country: CountryCode };

/**
 * Who sees which answers while a consultation runs (domain.md "Who hears what while it runs"):
 * - ST staff, and the PPT's focal points (the author country; also the PPT in office at `now`, when
 *   given, as for managing), see every answer as it comes;
 * - a Member Country's focal points (frozen on the consultation) see their own country's answer always,
 *   and the other countries' once the consultation has ended, or as they come when the consultation's
 *   `positionsVisibility` is `live`;
 * - anyone else (observers, people not in the directory) sees none (confidentiality).
 */
export function maySee(state: ConsultationState, viewer: Viewer, what: Visible, now?: Date): boolean {
  if (viewer.isStaff === true) return true;
  const countries = focalPointCountries(state.participants, viewer.personId);
  if (countries.length === 0) return false;
  if (what.kind !== 'answer') return false;
  if (countries.includes(what.country)) return true;
  const ppt = [state.troika?.authorCountry ?? state.pptCountry];
  if (now !== undefined) {
    try {
      ppt.push(pptInOffice(state.participants, now));
    } catch {
      /* an invalid `now` adds no PPT */
    }
  }
  if (countries.some((c) => ppt.includes(c))) return true;
  if (TERMINAL_STAGES.includes(state.stage)) return true;
  return (state.positionsVisibility ?? 'at_close') === 'live';
}

/**
 * Who may see that a consultation exists (its reference, title, stage) — lists, status, the Home tab:
 * ST staff always; the Troika countries' focal points (and the author's) from the Troika stage on; every
 * Member Country's focal points once the text has circulated to them. Before circulation a consultation is
 * the Troika's business: the other members hear of it when it reaches them, or not at all.
 */
export function maySeeConsultation(state: ConsultationState, viewer: Viewer): boolean {
  if (viewer.isStaff === true) return true;
  const countries = focalPointCountries(state.participants, viewer.personId);
  if (countries.length === 0) return false;
  if (state.circulatedAt) return true;
  const inner = [...(state.troika?.countries ?? []), state.troika?.authorCountry ?? state.pptCountry];
  return countries.some((c) => inner.includes(c));
}

/** True when the viewer may see every Member Country's answer (and so who has not answered yet). */
export function maySeeAllAnswers(state: ConsultationState, viewer: Viewer, now?: Date): boolean {
  return state.participants.members.every((m) => maySee(state, viewer, { kind: 'answer', country: m.code }, now));
}
