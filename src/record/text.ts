/**
 * The audit record as plain text, in one language: what `crm consultations show REF` prints. Every event
 * in order (type in words, country, decision, text version number and full hash, who, when with the ST's
 * offset, the reason), then every refused attempt (who, what, why).
 */
import type { Locale } from '../directory/model.ts';
import { formatList, t } from '../i18n/index.ts';
import type { AuditRecord, RecordTextVersion } from './model.ts';
import {
  countryName,
  eventDetail,
  eventWhat,
  languageName,
  personLine,
  positionWords,
  reasonLabel,
  refusalWhat,
  refusalWhy,
  seatWords,
  summaryFields,
  troikaDecision,
  versionWords,
} from './words.ts';

/** Continuation lines of a free text, indented under its label. */
function indented(text: string, pad: string): string[] {
  return text.split(/\r\n|\r|\n/).map((line) => (line ? `${pad}${line}` : ''));
}

function labelled(pad: string, label: string, value: string): string[] {
  const [first = '', ...rest] = value.split(/\r\n|\r|\n/);
  return [`${pad}${label}: ${first}`, ...rest.map((line) => (line ? `${pad}  ${line}` : ''))];
}

function versionBlock(v: RecordTextVersion, l: Locale): string[] {
  const lines = [`  ${t(l, 'record.version', { number: v.number })} · ${v.at} · ${personLine(v.by, l)}`];
  lines.push(`    ${t(l, 'record.label.hash')}: ${v.hash}`);
  const original = v.locale ? t(l, 'record.original', { language: languageName(v.locale, l) }) : t(l, 'record.original_plain');
  lines.push(`    ${original}: ${v.title}`, ...indented(v.text, '      '));
  if (v.translation) {
    lines.push(`    ${t(l, 'record.translation', { language: languageName(v.translation.locale, l) })}: ${v.translation.title}`);
    lines.push(...indented(v.translation.text, '      '));
  }
  return lines;
}

export function renderText(r: AuditRecord, l: Locale): string {
  const out: string[] = [t(l, 'record.title', { reference: r.reference }), ''];
  for (const f of summaryFields(r)) out.push(...labelled('', f.label(l), f.value(l)));
  out.push(t(l, 'record.times', { zone: r.timeZone }));

  out.push('', t(l, 'record.section.versions'));
  for (const v of r.versions) out.push(...versionBlock(v, l));

  out.push('', t(l, 'record.section.troika'));
  if (!r.troika) out.push(`  ${t(l, 'record.no_troika')}`);
  else {
    if (r.troika.incomplete) out.push(`  ${t(l, 'record.troika_incomplete')}`);
    for (const row of r.troika.rows) {
      const parts = [troikaDecision(row, l), versionWords(row.version, l), row.at ?? '', row.who ? personLine(row.who, l) : ''].filter(Boolean);
      out.push(`  ${row.country.name[l]} · ${seatWords(row.seat, l)}: ${parts.join(' · ')}`);
      if (row.reason) out.push(...labelled('    ', t(l, 'label.reason'), row.reason));
    }
  }

  out.push('', t(l, 'record.section.members'));
  for (const m of r.members) {
    const parts = [positionWords(m.position, l), versionWords(m.version, l), m.at ?? '', m.who ? personLine(m.who, l) : ''].filter(Boolean);
    out.push(`  ${m.country.name[l]}: ${parts.join(' · ')}`);
    if (m.reason) out.push(...labelled('    ', t(l, 'label.reason'), m.reason));
    if (m.earlier > 0) out.push(`    ${t(l, 'record.label.earlier')}: ${m.earlier}`);
  }
  if (r.circulatedAt) {
    out.push(`  ${t(l, 'digest.counts', r.counts)}`);
    if (r.missing.length) out.push(`  ${t(l, 'digest.missing')}: ${formatList(r.missing.map((c) => c.name[l]), l)}`);
  }

  out.push('', t(l, 'record.section.timeline'));
  for (const e of r.events) {
    const head = [String(e.seq), e.at, eventWhat(e, l), countryName(e.country, l), eventDetail(e, l)].filter(Boolean);
    if (e.version) head.push(versionWords(e.version, l), e.version.hash);
    out.push(`  ${head.join(' · ')}`);
    out.push(`      ${t(l, 'record.label.who')}: ${personLine(e.who, l)}`);
    if (e.reason) out.push(...labelled('      ', reasonLabel(e, l), e.reason));
  }

  out.push('', t(l, 'record.section.refusals'));
  if (r.refusals.length === 0) out.push(`  ${t(l, 'record.no_refusals')}`);
  for (const x of r.refusals) {
    out.push(`  ${x.at} · ${personLine(x.who, l)}`);
    out.push(`      ${t(l, 'record.label.what')}: ${refusalWhat(x, l)}`);
    out.push(`      ${t(l, 'record.label.answer')}: ${refusalWhy(x, l)}`);
  }
  return out.join('\n');
}
