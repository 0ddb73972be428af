/**
 * What every message builder shares: the header fields, names, dates, the version label, and the ONE
 * builder of the Troika buttons and of the position buttons (action ids of interfaces.md).
 */
import { usage } from '../../commands/help.ts';
import { currentTextVersion } from '../../domain/outcome.ts';
import { textFor } from '../../domain/text-version.ts';
import type { ConsultationState, TroikaReaction } from '../../domain/types.ts';
import type { CountryCode, Directory, Locale } from '../../directory/model.ts';
import { countryInText, formatDeadline, formatInstant, formatList, sentence, t } from '../../i18n/index.ts';
import { buttonValue, type MessageButton, type MessageKind, type NeutralMessage, type RecordedDecision } from '../../messages/neutral.ts';

/** Who a message is worded for: their language and time zone. */
export interface Reader {
  locale: Locale;
  timezone: string;
}

/** Short form of a text-version hash for people; the full hash stays in the record and the metadata. */
export const shortHash = (hash: string): string => hash.slice(0, 12);

export function countryName(directory: Directory, code: CountryCode, locale: Locale): string {
  return directory.countries.find((c) => c.code === code)?.name[locale] ?? code;
}

/** A day and time in the reader's language and zone, with the zone named; `—` when there is none. */
export function when(instant: string | undefined, r: Reader): string {
  return instant ? formatInstant(new Date(instant), { locale: r.locale, timeZone: r.timezone }) : '—';
}

/** Compact local date and time for table cells: 2026-11-27 17:16. */
export function shortWhen(instant: string, timeZone: string): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(new Date(instant))
      .map((x) => [x.type, x.value]),
  );
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

export const versionNumber = (state: ConsultationState): number => currentTextVersion(state).number;

/** "2 · 3f9a0c1d2e4b": the current version's number and short hash. */
export function versionLabel(state: ConsultationState): string {
  return `${versionNumber(state)} · ${shortHash(state.currentVersion)}`;
}

/** The fields every message about a consultation starts with. */
export function header(kind: MessageKind, locale: Locale, state: ConsultationState) {
  return { kind, locale, consultationId: state.consultationId, reference: state.reference };
}

/** "Aprueba la circulación", "Solicita cambios", "Objeta", "Sin respuesta". */
export function troikaDecision(locale: Locale, reaction: TroikaReaction | undefined): string {
  return t(locale, `troika_decision.${reaction === undefined ? 'none' : reaction === 'request_changes' ? 'changes' : reaction}`);
}

/** The three Troika buttons on the current text version (requests, reminders, the Home tab). */
export function troikaButtons(state: ConsultationState, l: Locale): MessageButton[] {
  const value = buttonValue(state.consultationId, state.currentVersion);
  return [
    { actionId: 'troika_approve', label: t(l, 'troika_request.approve'), value, style: 'primary' },
    { actionId: 'troika_changes', label: t(l, 'troika_request.changes'), value },
    { actionId: 'troika_object', label: t(l, 'troika_request.object'), value, style: 'danger' },
  ];
}

/** The three position buttons on the current text version (member requests, reminders, the Home tab). */
export function positionButtons(state: ConsultationState, l: Locale): MessageButton[] {
  const value = buttonValue(state.consultationId, state.currentVersion);
  return [
    { actionId: 'position_support', label: t(l, 'member_request.support'), value, style: 'primary' },
    { actionId: 'position_object', label: t(l, 'member_request.object'), value, style: 'danger' },
    { actionId: 'position_abstain', label: t(l, 'member_request.abstain'), value },
  ];
}

// ------------------------------------------------------------------------------------- issue 8, part 2

/** The calendar's zone of the deadline: the zone the deadline was computed in, else the ST's seat. */
export const calendarZone = (state: ConsultationState): string => state.deadlineTimeZone ?? state.participants.secretariatTimeZone;

/** The consultation's deadline for this reader (i18n formatDeadline), or `—` before there is one. */
export function deadlineText(state: ConsultationState, r: Reader, instant: string | undefined = state.deadline): string {
  return instant ? formatDeadline(new Date(instant), { locale: r.locale, timeZone: r.timezone, calendarZone: calendarZone(state) }) : '—';
}

/** The justification of the deadline in force: the latest extension's, else the one given at the start. */
export function deadlineJustification(state: ConsultationState): string | undefined {
  return state.extensions.at(-1)?.justification ?? state.justification;
}

/** The current version's title and text in the reader's language (the translation when there is one). */
export function textOf(state: ConsultationState, l: Locale): ReturnType<typeof textFor> {
  return textFor(currentTextVersion(state), l);
}

/** "This text is only available in Spanish, its original language." or "English translation; the original is in Spanish." */
export function languageNote(state: ConsultationState, l: Locale): string[] {
  const version = currentTextVersion(state);
  const text = textFor(version, l);
  if (!version.locale) return [];
  if (text.onlyOriginal) return [t(l, 'text.only_original', { language: t(l, `form.translation.language.${version.locale}`) })];
  if (!text.original) return [t(l, 'text.translated', { language: t(l, `form.translation.language.${version.locale}`) })];
  return [];
}

/** "Motivo: …" as a sentence of its own, or nothing. */
export function reasonLine(l: Locale, reason: string | undefined): string[] {
  return reason?.trim() ? [t(l, 'reason.line', { reason: sentence(reason) })] : [];
}

/** The command that revises a consultation, in the reader's words: `/crm revisar CRM-2026-004`. */
export function reviseCommand(state: ConsultationState, l: Locale): string {
  return usage('revise', l).replace('REF', state.reference);
}

/** Who withdrew it: the PPT's country (a focal point acted for it) or the Technical Secretariat. */
export function withdrawnBy(state: ConsultationState, directory: Directory, l: Locale): string {
  const by = state.closedBy;
  if (by?.role === 'focal_point' && by.country) return t(l, 'withdrawn.by_ppt', { country: countryInText(directory, by.country, l) });
  return t(l, 'withdrawn.by_st');
}

/** Support / object / abstain / no answer over the Member Countries. */
export function tally(state: ConsultationState): { support: number; object: number; abstain: number; none: number } {
  const counts = { support: 0, object: 0, abstain: 0, none: 0 };
  for (const m of state.participants.members) counts[state.positions[m.code]?.position ?? 'none'] += 1;
  return counts;
}

/**
 * How much one message lists (issue 14: a body of any size). A list names at most NAMES_SHOWN countries,
 * then "and N more"; the objections' reasons shown in one message are at most OBJECTIONS_SHOWN, together at
 * most OBJECTION_CHARS characters (each shortened to its share), then "N more": the record (the PDF the ST
 * channel gets with the digest) holds every row in full. Beyond LIST_IN_FULL Member Countries, the live
 * status and the digest show only the objections in their table, with the counts, rather than one row per
 * country. OBJECTION_CHARS is what the CRM's eleven, each objecting at the longest reason allowed, already
 * carry on both platforms: for the CRM nothing is cut. A large body's messages also carry lists of 40 names,
 * so their reasons get OBJECTION_CHARS_LARGE.
 */
export const MESSAGE_LISTS = { NAMES_SHOWN: 40, OBJECTIONS_SHOWN: 20, OBJECTION_CHARS: 22_000, OBJECTION_CHARS_LARGE: 14_000, LIST_IN_FULL: 30 } as const;

/** "Costa Rica, Guatemala y México", or the first NAMES_SHOWN names "y 153 más". */
export function namesList(names: readonly string[], l: Locale): string {
  const max = MESSAGE_LISTS.NAMES_SHOWN;
  if (names.length <= max) return formatList([...names], l);
  return t(l, 'list.and_more', { names: names.slice(0, max).join(', '), more: names.length - max });
}

/** Whether this consultation's body is too large for one row per country in a message (see MESSAGE_LISTS). */
export const summarises = (state: ConsultationState): boolean => state.participants.members.length > MESSAGE_LISTS.LIST_IN_FULL;

/** Cuts `text` to `max` code points at a word boundary when one is near, with an ellipsis. */
export function clip(text: string, max: number): string {
  const cps = [...text];
  if (cps.length <= max) return text;
  let cut = cps.slice(0, Math.max(0, max - 1)).join('');
  const space = cut.lastIndexOf(' ');
  if (space > cut.length - 40 && space > 0) cut = cut.slice(0, space);
  return `${cut.trimEnd()}…`;
}

/** The objecting Member Countries with their reasons, in participants order, within MESSAGE_LISTS. */
export function objectionsShown(state: ConsultationState): { shown: { country: CountryCode; reason: string; clipped: boolean }[]; hidden: number } {
  const all = state.participants.members.flatMap((m) => {
    const p = state.positions[m.code];
    return p?.position === 'object' ? [{ country: m.code, reason: p.reason ?? '—' }] : [];
  });
  const { OBJECTIONS_SHOWN } = MESSAGE_LISTS;
  const OBJECTION_CHARS = summarises(state) ? MESSAGE_LISTS.OBJECTION_CHARS_LARGE : MESSAGE_LISTS.OBJECTION_CHARS;
  const kept = all.slice(0, OBJECTIONS_SHOWN);
  const share = Math.max(300, Math.floor(OBJECTION_CHARS / Math.max(1, kept.length)));
  const total = kept.reduce((n, o) => n + [...o.reason].length, 0);
  const shown = kept.map((o) => {
    const reason = total <= OBJECTION_CHARS ? o.reason : clip(o.reason, share);
    return { ...o, reason, clipped: reason !== o.reason };
  });
  return { shown, hidden: all.length - kept.length };
}

/** "Apoyan: Costa Rica, Guatemala y México." for each position some Member Country took (or none), by name. */
export function positionLists(state: ConsultationState, directory: Directory, l: Locale): string[] {
  const groups = { support: [] as string[], object: [] as string[], abstain: [] as string[], none: [] as string[] };
  for (const m of state.participants.members) groups[state.positions[m.code]?.position ?? 'none'].push(countryName(directory, m.code, l));
  return (['support', 'object', 'abstain', 'none'] as const)
    .filter((k) => groups[k].length > 0)
    .map((k) => t(l, `result.list.${k}`, { countries: namesList(groups[k], l) }));
}

/** "Objeción de México: …" for each objecting Member Country, in participants order, within MESSAGE_LISTS. */
export function objectionLines(state: ConsultationState, directory: Directory, l: Locale): string[] {
  const { shown, hidden } = objectionsShown(state);
  return [
    ...shown.map((o) => t(l, 'result.objection_by', { country: countryInText(directory, o.country, l), reason: o.clipped ? o.reason : sentence(o.reason) })),
    ...(hidden > 0 ? [t(l, 'result.more_objections', { count: hidden })] : []),
    ...(shown.some((o) => o.clipped) ? [t(l, 'result.reasons_clipped')] : []),
  ];
}

/** A country's current answer as a card shows it to that country's focal points, if it answered. */
export function recordedAnswer(state: ConsultationState, country: CountryCode, directory: Directory, r: Reader): RecordedDecision | undefined {
  const p = state.positions[country];
  if (!p) return undefined;
  const l = r.locale;
  return {
    who: t(l, 'slack.who', { name: p.by.name, country: countryName(directory, country, l) }),
    what: p.reason ? t(l, 'slack.what_with_reason', { what: t(l, `position.${p.position}`), reason: p.reason }) : t(l, `position.${p.position}`),
    when: when(p.at, r),
  };
}

// ------------------------------------------------------------------------------ cards that close

/**
 * A request card sent earlier, closed in place: the same card without its buttons, led by why it no
 * longer takes answers (replaced by a newer version, circulated, ended). Only an update: a person whose
 * card never arrived gets nothing new.
 */
export function closedCard(card: NeutralMessage, note: string): NeutralMessage {
  return { ...card, body: [note, ...card.body], buttons: [], keepButtons: false, updateOnly: true };
}

/** Why a consultation's cards take no more answers, once it has ended (closed, not endorsed, withdrawn). */
export function endedNote(state: ConsultationState, r: Reader, instant: string): string {
  const l = r.locale;
  const at = when(instant, r);
  if (state.stage === 'withdrawn') return t(l, 'card.closed.withdrawn', { when: at });
  if (state.stage === 'not_endorsed') return t(l, 'card.closed.not_endorsed', { when: at });
  return t(l, 'card.closed.closed', { when: at, outcome: state.outcome ? t(l, `outcome.${state.outcome}`) : '—' });
}

/** A Troika country's latest decision on the current text, worded for a card (who, what, when). */
export function recordedTroikaDecision(state: ConsultationState, country: CountryCode, directory: Directory, r: Reader): RecordedDecision | undefined {
  const d = state.troikaReactions[country];
  if (!d || d.version !== state.currentVersion || d.implicit) return undefined;
  const l = r.locale;
  const what = troikaDecision(l, d.reaction);
  return {
    who: t(l, 'slack.who', { name: d.by.name, country: countryName(directory, country, l) }),
    what: d.reason ? t(l, 'slack.what_with_reason', { what, reason: d.reason }) : what,
    when: when(d.at, r),
  };
}
