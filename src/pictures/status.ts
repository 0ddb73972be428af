/**
 * The status picture: one consultation as a Member-Country matrix (each country's position or none, its
 * seat in the Troika and the Troika's reaction), with the stage, the deadline and the tally on top. SVG as
 * a string (no DOM), accessible: `<title>` and `<desc>` in the reader's language, every mark has words.
 */
import type { Directory } from '../directory/model.ts';
import { outcomeOf } from '../domain/outcome.ts';
import type { ConsultationState } from '../domain/types.ts';
import { t } from '../i18n/index.ts';
import { zoneLabel } from '../i18n/format.ts';
import { shortInstant } from './format.ts';
import { countryName, countryRows, type CountryRow, type PictureOptions } from './model.ts';
import { MARKS, badge, fit, round, svgDocument, text, xml, type Mark } from './svg.ts';

export const STATUS_WIDTH = 760;
const PAD = 20;
const ROW = 30;
const COL = { country: PAD, troika: 225, position: 550 } as const;

function positionMark(r: CountryRow): { mark: Mark; key: 'position.support' | 'position.object' | 'position.abstain' | 'position.none' | 'picture.hidden' } {
  switch (r.position) {
    case 'support':
      return { mark: MARKS.support, key: 'position.support' };
    case 'object':
      return { mark: MARKS.object, key: 'position.object' };
    case 'abstain':
      return { mark: MARKS.abstain, key: 'position.abstain' };
    case 'hidden':
      return { mark: MARKS.hidden, key: 'picture.hidden' };
    default:
      return { mark: MARKS.none, key: 'position.none' };
  }
}

function troikaMark(r: CountryRow['troika']): { mark: Mark; key: 'troika_decision.approve' | 'troika_decision.changes' | 'troika_decision.object' | 'picture.troika.author' | 'picture.troika.waiting' } | undefined {
  switch (r) {
    case 'approve':
      return { mark: MARKS.approve, key: 'troika_decision.approve' };
    case 'request_changes':
      return { mark: MARKS.request_changes, key: 'troika_decision.changes' };
    case 'object':
      return { mark: MARKS.object, key: 'troika_decision.object' };
    case 'author':
      return { mark: MARKS.author, key: 'picture.troika.author' };
    case 'waiting':
      return { mark: MARKS.none, key: 'picture.troika.waiting' };
    default:
      return undefined;
  }
}

/** The status matrix of `state` as SVG, in `o.locale`, times in `o.timezone` (default the ST's zone). */
export function statusSvg(state: ConsultationState, directory: Directory, o: PictureOptions): string {
  const l = o.locale;
  const zone = o.timezone ?? directory.secretariat.timezone;
  const rows = countryRows(state, directory, o);
  const visible = rows.filter((r) => r.position !== 'hidden');
  const answered = rows.filter((r) => r.position !== 'none' && r.position !== 'hidden').length;
  const stage = t(l, `stage.${state.stage}`);
  const outcome = outcomeOf(state);
  const body: string[] = [];
  let y = PAD + 18;
  body.push(text(PAD, y, t(l, 'picture.status.title', { reference: state.reference }), { size: 18, weight: 'bold' }));
  y += 22;
  body.push(text(PAD, y, fit(state.title, STATUS_WIDTH - 2 * PAD, 14), { size: 14 }));
  y += 22;
  const stageLine = outcome && state.stage === 'closed' ? `${t(l, 'label.stage')}: ${stage} · ${t(l, 'label.outcome')}: ${t(l, `outcome.${outcome}`)}` : `${t(l, 'label.stage')}: ${stage}`;
  body.push(text(PAD, y, fit(stageLine, STATUS_WIDTH - 2 * PAD, 13), { size: 13, weight: 'bold' }));
  if (state.deadline) {
    y += 20;
    body.push(text(PAD, y, fit(`${t(l, 'picture.deadline', { when: shortInstant(state.deadline, l, zone) })} (${zoneLabel(zone, l)})`, STATUS_WIDTH - 2 * PAD, 13), { size: 13 }));
  }
  if (visible.length === rows.length) {
    y += 20;
    body.push(text(PAD, y, t(l, 'picture.answered', { answered, total: rows.length }), { size: 13 }));
  }

  // The matrix: a header row, then one row per Member Country.
  y += 22;
  body.push('<g class="matrix">');
  body.push(`<rect x="${PAD}" y="${y}" width="${STATUS_WIDTH - 2 * PAD}" height="${ROW}" fill="#eef2f7"/>`);
  body.push(text(COL.country + 6, y + 20, t(l, 'picture.column.country'), { size: 13, weight: 'bold' }));
  body.push(text(COL.troika, y + 20, t(l, 'picture.column.troika'), { size: 13, weight: 'bold' }));
  body.push(text(COL.position, y + 20, t(l, 'picture.column.position'), { size: 13, weight: 'bold' }));
  y += ROW;
  rows.forEach((r, i) => {
    const top = y + i * ROW;
    if (i % 2 === 1) body.push(`<rect x="${PAD}" y="${top}" width="${STATUS_WIDTH - 2 * PAD}" height="${ROW}" fill="#f7f9fb"/>`);
    body.push(`<g data-country="${xml(r.code)}">`);
    body.push(text(COL.country + 6, top + 20, fit(`${r.name} (${r.code})`, COL.troika - COL.country - 12, 13), { size: 13 }));
    const tm = troikaMark(r.troika);
    if (r.seat || tm) {
      const seat = r.seat ? t(l, `record.seat.${r.seat}`) : '';
      const label = [seat, tm ? t(l, tm.key) : ''].filter(Boolean).join(': ');
      body.push(badge(COL.troika, top + 4, COL.position - COL.troika - 10, ROW - 8, tm?.mark ?? MARKS.author, label, 11));
    }
    const pm = positionMark(r);
    body.push(badge(COL.position, top + 4, STATUS_WIDTH - PAD - COL.position, ROW - 8, pm.mark, t(l, pm.key), 13));
    body.push('</g>');
  });
  y += rows.length * ROW;
  body.push(`<rect x="${PAD}" y="${round(y - rows.length * ROW - ROW)}" width="${STATUS_WIDTH - 2 * PAD}" height="${(rows.length + 1) * ROW}" fill="none" stroke="#c4ccd6"/>`);
  body.push('</g>');

  // The legend: every mark with its words (the same words as in the rows).
  y += 26;
  body.push(text(PAD, y, t(l, 'picture.legend'), { size: 12, weight: 'bold' }));
  const legend: [Mark, string][] = [
    [MARKS.support, t(l, 'position.support')],
    [MARKS.object, t(l, 'position.object')],
    [MARKS.abstain, t(l, 'position.abstain')],
    [MARKS.none, t(l, 'position.none')],
  ];
  if (rows.some((r) => r.position === 'hidden')) legend.push([MARKS.hidden, t(l, 'picture.hidden')]);
  const w = (STATUS_WIDTH - 2 * PAD - 70) / legend.length;
  legend.forEach(([mark, label], i) => body.push(badge(PAD + 70 + i * w, y - 16, w - 8, 22, mark, label, 11)));
  y += 20;

  // The tally only for a reader who sees every answer: it would tell the others how many answered.
  const desc = [
    visible.length === rows.length ? t(l, 'picture.status.desc', { reference: state.reference, stage, answered, total: rows.length }) : `${state.reference}: ${stage}.`,
    ...rows.map((r) => `${countryName(directory, r.code, l)}: ${t(l, positionMark(r).key)}`),
  ].join(' ');
  return svgDocument({ width: STATUS_WIDTH, height: y + PAD, lang: l, id: 'crm-status', title: t(l, 'picture.status.title', { reference: state.reference }), desc }, body);
}
