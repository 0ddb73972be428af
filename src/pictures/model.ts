/**
 * What the pictures show, computed from the consultation state and the directory: pure, no SVG. The
 * status (each Member Country's position or none, its seat in the Troika and the Troika's reaction) and
 * the timeline (circulation, each answer, reminders, extensions, the deadline, the end).
 *
 * Who looks decides what is shown (domain.md "Who hears what while it runs"): without a `viewer`, the
 * picture is the Technical Secretariat's (every answer); with one, answers the viewer may not see yet
 * (`maySee`) are shown as "shown at the close", and left out of the timeline.
 */
import type { CountryCode, Directory, Locale } from '../directory/model.ts';
import { maySee, type Viewer } from '../domain/authority.ts';
import { outcomeOf } from '../domain/outcome.ts';
import type { ConsultationState, IsoInstant, Position, TroikaReaction } from '../domain/types.ts';

export interface PictureOptions {
  /** The reader's language. */
  locale: Locale;
  /** The reader's IANA zone (times are shown there); default the ST's. */
  timezone?: string;
  /** Who looks; default the ST (sees every answer). */
  viewer?: Viewer;
  /** Now, for the "now" line of a running consultation and for `maySee`; default none (no line). */
  now?: Date;
  /** Reminders sent so far (the `reminders_sent` table): one point on the timeline per instant. */
  reminders?: readonly { at: IsoInstant; country?: CountryCode }[];
}

export type Seat = 'previous' | 'current' | 'next';

export interface CountryRow {
  code: CountryCode;
  name: string;
  /** `hidden`: the viewer may not see it yet. */
  position: Position | 'none' | 'hidden';
  /** Its seat in the consultation's Troika, if any. */
  seat?: Seat;
  /** Its Troika reaction on the current text; `author` for the PPT presenting it; `waiting` when due. */
  troika?: TroikaReaction | 'author' | 'waiting';
}

export function countryName(directory: Directory, code: CountryCode, l: Locale): string {
  return directory.countries.find((c) => c.code === code)?.name[l] ?? code;
}

export function viewerSees(state: ConsultationState, o: PictureOptions, country: CountryCode): boolean {
  return o.viewer === undefined || maySee(state, o.viewer, { kind: 'answer', country }, o.now);
}

export function countryRows(state: ConsultationState, directory: Directory, o: PictureOptions): CountryRow[] {
  const troika = state.troika;
  const seats: Partial<Record<CountryCode, Seat>> = {};
  if (troika) {
    if (troika.previous) seats[troika.previous] = 'previous';
    seats[troika.current] = 'current';
    if (troika.next) seats[troika.next] = 'next';
  }
  return state.participants.members.map((m) => {
    const rec = state.positions[m.code];
    const position: CountryRow['position'] = !viewerSees(state, o, m.code) ? 'hidden' : rec ? rec.position : 'none';
    const seat = seats[m.code];
    let reaction: CountryRow['troika'];
    if (troika && troika.countries.includes(m.code)) {
      const r = state.troikaReactions[m.code];
      reaction = m.code === troika.authorCountry ? 'author' : r ? r.reaction : state.stage === 'troika_review' ? 'waiting' : undefined;
    }
    return { code: m.code, name: countryName(directory, m.code, o.locale), position, ...(seat ? { seat } : {}), ...(reaction ? { troika: reaction } : {}) };
  });
}

export type TimelineKind =
  | 'created'
  | 'sent_to_troika'
  | 'revised'
  | 'troika'
  | 'circulated'
  | 'position'
  | 'reminder'
  | 'extended'
  | 'deadline'
  | 'closed'
  | 'withdrawn'
  | 'not_endorsed';

export interface TimelineItem {
  kind: TimelineKind;
  at: IsoInstant;
  country?: CountryCode;
  position?: Position;
  reaction?: TroikaReaction;
  version?: number;
  /** Extensions: the new deadline. */
  to?: IsoInstant;
  /** Reminders: how many focal points at that instant. */
  count?: number;
  outcome?: string;
  /** The deadline: still ahead (no end yet). */
  upcoming?: boolean;
}

/** Every milestone, oldest first (ties keep the order below: the deadline after what happened at it). */
export function timelineItems(state: ConsultationState, o: PictureOptions): TimelineItem[] {
  const items: TimelineItem[] = [{ kind: 'created', at: state.createdAt }];
  if (state.sentToTroikaAt) items.push({ kind: 'sent_to_troika', at: state.sentToTroikaAt });
  for (const v of state.versions) if (v.number > 1) items.push({ kind: 'revised', at: v.at, version: v.number });
  for (const r of state.troikaHistory) if (!r.implicit) items.push({ kind: 'troika', at: r.at, country: r.country, reaction: r.reaction });
  if (state.circulatedAt) items.push({ kind: 'circulated', at: state.circulatedAt });
  for (const p of state.positionHistory) {
    if (viewerSees(state, o, p.country)) items.push({ kind: 'position', at: p.at, country: p.country, position: p.position });
  }
  const reminders = new Map<string, number>();
  for (const r of o.reminders ?? []) {
    const minute = new Date(r.at).toISOString().slice(0, 16);
    reminders.set(minute, (reminders.get(minute) ?? 0) + 1);
  }
  for (const [minute, count] of reminders) items.push({ kind: 'reminder', at: `${minute}:00.000Z`, count });
  for (const e of state.extensions) items.push({ kind: 'extended', at: e.at, to: e.to });
  const outcome = outcomeOf(state);
  const ended = state.closedAt;
  if (state.deadline && (!ended || state.stage === 'closed')) {
    items.push({ kind: 'deadline', at: state.deadline, ...(ended ? {} : { upcoming: true }) });
  }
  if (ended) {
    if (state.stage === 'closed') items.push({ kind: 'closed', at: ended, ...(outcome ? { outcome } : {}) });
    else if (state.stage === 'withdrawn') items.push({ kind: 'withdrawn', at: ended });
    else if (state.stage === 'not_endorsed') items.push({ kind: 'not_endorsed', at: ended });
  }
  const order: Record<TimelineKind, number> = {
    created: 0, sent_to_troika: 1, revised: 2, troika: 3, circulated: 4, position: 5, reminder: 6, extended: 7, closed: 8, withdrawn: 8, not_endorsed: 8, deadline: 9,
  };
  return items
    .map((item, i) => ({ item, i }))
    .sort((a, b) => Date.parse(a.item.at) - Date.parse(b.item.at) || order[a.item.kind] - order[b.item.kind] || a.i - b.i)
    .map((x) => x.item);
}
