/**
 * The audit record in words, in one language (`l`) or in both (`both`: "Cronología / Timeline"). Every
 * word comes from the es/en catalogues (src/i18n); no internal code reaches a reader.
 */
import type { Locale } from '../directory/model.ts';
import { formatList, refusalMessage, t } from '../i18n/index.ts';
import type { AuditRecord, RecordCountry, RecordEvent, RecordPerson, RecordRefusal, RecordTroikaRow, RecordVersionRef } from './model.ts';

export const LOCALES: readonly Locale[] = ['es', 'en'];

/** Spanish / English, once when both read the same ("Troika", "Costa Rica", "Slack"). */
export function both(words: (l: Locale) => string): string {
  const es = words('es');
  const en = words('en');
  return es === en ? es : `${es} / ${en}`;
}

export const countryName = (c: RecordCountry | undefined, l: Locale): string => (c ? c.name[l] : '');

export function roleWords(role: RecordPerson['role'], l: Locale): string {
  return t(l, `record.role.${role}`);
}

export function platformWords(platform: string, l: Locale): string {
  switch (platform) {
    case 'slack':
    case 'teams':
    case 'cli':
    case 'console':
    case 'system':
      return t(l, `record.platform.${platform}`);
    default:
      return t(l, 'record.platform.unknown');
  }
}

/** "Fernanda Ríos · Punto focal · México · Slack"; "Sistema" for the bot itself. */
export function personLine(p: RecordPerson, l: Locale): string {
  if (p.role === 'system') return roleWords('system', l);
  return [p.name, roleWords(p.role, l), ...(p.country ? [p.country.name[l]] : []), platformWords(p.platform, l)].join(' · ');
}

export function versionWords(v: RecordVersionRef | undefined, l: Locale): string {
  if (!v) return '';
  return v.number === null ? v.hash : t(l, 'record.version', { number: v.number });
}

export function positionWords(p: RecordEvent['position'] | 'none', l: Locale): string {
  return p ? t(l, `position.${p}`) : '';
}

export function reactionWords(r: RecordEvent['reaction'] | 'none', l: Locale): string {
  if (!r) return '';
  return t(l, `troika_decision.${r === 'request_changes' ? 'changes' : r}`);
}

export function eventWhat(e: RecordEvent, l: Locale): string {
  return t(l, `record.event.${e.type}`);
}

/** The event's decision or value in words: a position, a reaction, a deadline, an outcome, the Troika. */
export function eventDetail(e: RecordEvent, l: Locale, date: (iso: string) => string = (iso) => iso): string {
  switch (e.type) {
    case 'sent_to_troika':
      return `${t(l, 'label.troika')}: ${formatList((e.troika ?? []).map((c) => c.name[l]), l)}`;
    case 'troika_reacted':
    case 'consultation_not_endorsed':
      return reactionWords(e.reaction, l);
    case 'position_recorded':
      return positionWords(e.position, l);
    case 'member_consultation_opened':
      return `${t(l, 'label.deadline')}: ${e.deadline ? date(e.deadline) : ''}`;
    case 'deadline_extended':
      return `${t(l, 'record.label.previous_deadline')}: ${e.previousDeadline ? date(e.previousDeadline) : ''} · ${t(l, 'label.deadline')}: ${e.deadline ? date(e.deadline) : ''}`;
    case 'consultation_withdrawn':
      return e.fromStage ? `${t(l, 'record.label.from_stage')}: ${t(l, `stage.${e.fromStage}`)}` : '';
    case 'consultation_closed':
      return [
        e.outcome ? `${t(l, 'label.outcome')}: ${t(l, `outcome.${e.outcome}`)}` : '',
        e.closeReason ? t(l, `record.close_reason.${e.closeReason}`) : '',
      ]
        .filter(Boolean)
        .join(' · ');
    default:
      return '';
  }
}

const ATTEMPTS = ['start', 'sendToTroika', 'reactTroika', 'revise', 'recordPosition', 'extend', 'withdraw', 'close'] as const;
type AttemptType = (typeof ATTEMPTS)[number];

export function refusalWhat(r: RecordRefusal, l: Locale): string {
  const what = (ATTEMPTS as readonly string[]).includes(r.attempted)
    ? t(l, `record.attempt.${r.attempted as AttemptType}`)
    : t(l, 'record.attempt.unknown');
  const detail = [
    r.position ? positionWords(r.position, l) : '',
    r.reaction ? reactionWords(r.reaction, l) : '',
    r.country ? r.country.name[l] : '',
    versionWords(r.version, l),
  ].filter(Boolean);
  return detail.length ? `${what}: ${detail.join(', ')}` : what;
}

/** The message the person was given, in `l`. */
export function refusalWhy(r: RecordRefusal, l: Locale): string {
  return refusalMessage(l, r.code, r.detail);
}

export function languageName(locale: Locale | undefined, l: Locale): string {
  return locale ? t(l, `record.language.${locale}`) : '';
}

/** A label and its value, each in a language. */
export interface Field {
  label: (l: Locale) => string;
  value: (l: Locale) => string;
}

const fixed = (v: string) => () => v;

/** The consultation's summary: what it is, where it stands, its dates. */
export function summaryFields(r: AuditRecord): Field[] {
  const f: Field[] = [
    { label: (l) => t(l, 'label.reference'), value: fixed(r.reference) },
    { label: (l) => t(l, 'label.title'), value: fixed(r.title) },
    { label: (l) => t(l, 'label.stage'), value: (l) => t(l, `stage.${r.stage}`) },
  ];
  if (r.outcome) f.push({ label: (l) => t(l, 'label.outcome'), value: (l) => t(l, `outcome.${r.outcome!}`) });
  if (r.closeReason) f.push({ label: (l) => t(l, 'record.label.close_reason'), value: (l) => t(l, `record.close_reason.${r.closeReason!}`) });
  if (r.endReason) f.push({ label: (l) => t(l, 'label.reason'), value: fixed(r.endReason) });
  f.push({ label: (l) => t(l, 'label.rule'), value: (l) => t(l, `rule.${r.rule}`) });
  f.push({
    label: (l) => t(l, 'label.version'),
    value: (l) => `${versionWords(r.currentVersion, l)} · ${r.currentVersion.hash}`,
  });
  if (r.supersedes) f.push({ label: (l) => t(l, 'record.label.supersedes'), value: fixed(r.supersedes) });
  f.push({ label: (l) => t(l, 'digest.started'), value: fixed(r.createdAt) });
  if (r.sentToTroikaAt) f.push({ label: (l) => t(l, 'digest.sent_to_troika'), value: fixed(r.sentToTroikaAt) });
  if (r.circulatedAt) f.push({ label: (l) => t(l, 'digest.circulated'), value: fixed(r.circulatedAt) });
  if (r.deadline) f.push({ label: (l) => t(l, 'label.deadline'), value: fixed(r.deadline) });
  if (r.justification) f.push({ label: (l) => t(l, 'label.justification'), value: fixed(r.justification) });
  if (r.closedAt) f.push({ label: (l) => t(l, 'digest.ended'), value: fixed(r.closedAt) });
  f.push({ label: (l) => t(l, 'record.label.time_zone'), value: fixed(r.timeZone) });
  f.push({ label: (l) => t(l, 'record.label.generated'), value: fixed(r.generatedAt) });
  return f;
}

/** Label of an event's free text: the justification of a deadline, else a reason. */
export function reasonLabel(e: RecordEvent, l: Locale): string {
  return e.type === 'consultation_started' || e.type === 'deadline_extended' ? t(l, 'label.justification') : t(l, 'label.reason');
}

export function seatWords(seat: RecordTroikaRow['seat'], l: Locale): string {
  return t(l, `record.seat.${seat}`);
}

/** A Troika country's decision in words, "implicit approval of the proposing country" included. */
export function troikaDecision(row: RecordTroikaRow, l: Locale): string {
  const what = reactionWords(row.reaction, l);
  return row.implicit ? `${what} (${t(l, 'record.implicit')})` : what;
}
