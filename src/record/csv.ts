/**
 * The audit record as one CSV file (RFC 4180), bilingual: every column header and every word reads
 * "Spanish / English" ("País / Country", "Apoya / Supports"); names, free texts, dates and hashes are
 * written once. One table, the same 15 columns on every row, its first column naming the section:
 *
 *   Consulta / Consultation          one row per summary field (reference, title, stage, outcome, …)
 *   Versión del texto / Text version one row per version (title and text), one more for its translation
 *   Troika                           one row per Troika country: its latest reaction
 *   País Miembro / Member Country    one row per Member Country: its final position
 *   Cronología / Timeline            one row per event, in order
 *   Intento rechazado / Refused attempt   one row per refused attempt: who, what, why
 *
 * so a spreadsheet can filter by section. UTF-8 with a byte-order mark (spreadsheet programs then read
 * accents right), CRLF line ends, fields quoted when they hold a comma, a quote or a line break (quotes
 * doubled). A cell that would start with = + - @ or a tab is prefixed with an apostrophe, so a reason typed
 * by someone is never run as a spreadsheet formula.
 */
import type { Locale } from '../directory/model.ts';
import { t } from '../i18n/index.ts';
import type { AuditRecord } from './model.ts';
import {
  both,
  eventDetail,
  eventWhat,
  languageName,
  platformWords,
  positionWords,
  reasonLabel,
  refusalWhat,
  refusalWhy,
  roleWords,
  seatWords,
  summaryFields,
  troikaDecision,
} from './words.ts';
import type { RecordCountry, RecordPerson, RecordVersionRef } from './model.ts';

export const BOM = '\uFEFF';

const COLUMNS = [
  (l: Locale) => t(l, 'record.label.section'),
  (l: Locale) => t(l, 'record.label.number'),
  (l: Locale) => t(l, 'record.label.when'),
  (l: Locale) => t(l, 'record.label.what'),
  (l: Locale) => t(l, 'label.country'),
  (l: Locale) => t(l, 'record.label.detail'),
  (l: Locale) => t(l, 'label.reason'),
  (l: Locale) => t(l, 'label.version'),
  (l: Locale) => t(l, 'record.label.hash'),
  (l: Locale) => t(l, 'record.label.who'),
  (l: Locale) => t(l, 'record.label.role'),
  (l: Locale) => t(l, 'record.label.on_behalf_of'),
  (l: Locale) => t(l, 'record.label.platform'),
  (l: Locale) => t(l, 'label.title'),
  (l: Locale) => t(l, 'record.label.text'),
] as const;

export const CSV_COLUMNS = COLUMNS.length;

interface Row {
  section: string;
  n?: string | number;
  when?: string;
  what?: string;
  country?: RecordCountry;
  detail?: string;
  reason?: string;
  version?: RecordVersionRef;
  who?: RecordPerson;
  title?: string;
  text?: string;
}

/** One field, quoted when RFC 4180 requires it, defused when a spreadsheet would run it. */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const countryCell = (c: RecordCountry | undefined) => (c ? both((l) => c.name[l]) : '');

function cells(row: Row): string[] {
  const w = row.who;
  return [
    row.section,
    row.n === undefined ? '' : String(row.n),
    row.when ?? '',
    row.what ?? '',
    countryCell(row.country),
    row.detail ?? '',
    row.reason ?? '',
    row.version?.number != null ? String(row.version.number) : '',
    row.version?.hash ?? '',
    w ? (w.role === 'system' ? both((l) => roleWords('system', l)) : w.name) : '',
    w ? both((l) => roleWords(w.role, l)) : '',
    countryCell(w?.country),
    w ? both((l) => platformWords(w.platform, l)) : '',
    row.title ?? '',
    row.text ?? '',
  ];
}

export function renderCsv(r: AuditRecord): string {
  const rows: Row[] = [];
  const summary = both((l) => t(l, 'record.section.summary'));
  for (const f of summaryFields(r)) rows.push({ section: summary, what: both(f.label), detail: both(f.value) });

  const versionSection = both((l) => t(l, 'label.version'));
  for (const v of r.versions) {
    const ref = { number: v.number, hash: v.hash };
    rows.push({
      section: versionSection,
      n: v.number,
      when: v.at,
      what: both((l) => (v.locale ? t(l, 'record.original', { language: languageName(v.locale, l) }) : t(l, 'record.original_plain'))),
      version: ref,
      who: v.by,
      title: v.title,
      text: v.text,
    });
    if (v.translation) {
      const tr = v.translation;
      rows.push({
        section: versionSection,
        n: v.number,
        when: v.at,
        what: both((l) => t(l, 'record.translation', { language: languageName(tr.locale, l) })),
        version: ref,
        who: v.by,
        title: tr.title,
        text: tr.text,
      });
    }
  }

  for (const row of r.troika?.rows ?? []) {
    rows.push({
      section: 'Troika',
      ...(row.at ? { when: row.at } : {}),
      what: both((l) => seatWords(row.seat, l)),
      country: row.country,
      detail: both((l) => troikaDecision(row, l)),
      ...(row.reason ? { reason: row.reason } : {}),
      ...(row.version ? { version: row.version } : {}),
      ...(row.who ? { who: row.who } : {}),
    });
  }

  const memberSection = both((l) => t(l, 'record.row.member'));
  for (const m of r.members) {
    rows.push({
      section: memberSection,
      ...(m.at ? { when: m.at } : {}),
      what: both((l) => t(l, 'label.position')),
      country: m.country,
      detail: both((l) => positionWords(m.position, l)),
      ...(m.reason ? { reason: m.reason } : {}),
      ...(m.version ? { version: m.version } : {}),
      ...(m.who ? { who: m.who } : {}),
    });
  }

  const timeline = both((l) => t(l, 'record.section.timeline'));
  for (const e of r.events) {
    const detail = both((l) => eventDetail(e, l));
    const reason = e.reason ? (e.type === 'consultation_started' || e.type === 'deadline_extended' ? `${both((l) => reasonLabel(e, l))}: ${e.reason}` : e.reason) : '';
    rows.push({
      section: timeline,
      n: e.seq,
      when: e.at,
      what: both((l) => eventWhat(e, l)),
      ...(e.country ? { country: e.country } : {}),
      detail,
      reason,
      ...(e.version ? { version: e.version } : {}),
      who: e.who,
    });
  }

  const refusalSection = both((l) => t(l, 'record.row.refusal'));
  r.refusals.forEach((x, i) => {
    rows.push({
      section: refusalSection,
      n: i + 1,
      when: x.at,
      what: both((l) => refusalWhat(x, l)),
      ...(x.country ? { country: x.country } : {}),
      reason: both((l) => refusalWhy(x, l)),
      ...(x.version ? { version: x.version } : {}),
      who: x.who,
    });
  });

  const header = COLUMNS.map((c) => both(c));
  const lines = [header, ...rows.map(cells)].map((fields) => fields.map(csvField).join(','));
  return `${BOM}${lines.join('\r\n')}\r\n`;
}
