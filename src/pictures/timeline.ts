/**
 * The timeline picture: the consultation's milestones (creation, the Troika, circulation, each answer,
 * reminders, extensions, the deadline, the end) on a time axis, then listed one per line with the day and
 * time in the reader's zone and words in their language. SVG as a string (no DOM); each mark's shape and
 * symbol say what it is, the colour only helps (it reads in greyscale).
 */
import type { Directory, Locale } from '../directory/model.ts';
import type { ConsultationState } from '../domain/types.ts';
import { t } from '../i18n/index.ts';
import { zoneLabel } from '../i18n/format.ts';
import { shortInstant } from './format.ts';
import { countryName, timelineItems, type PictureOptions, type TimelineItem } from './model.ts';
import { MARKS, fit, round, svgDocument, text, type Mark } from './svg.ts';

export const TIMELINE_WIDTH = 760;
const PAD = 20;
const LINE = 24;
const AXIS = { left: PAD + 10, right: TIMELINE_WIDTH - PAD - 10 } as const;

const STEP: Mark = { fill: '#dde7f6', stroke: '#1d4f91', symbol: '◆' };
const REMINDER: Mark = { fill: '#ece3f5', stroke: '#5b2a86', symbol: '▲' };
const DEADLINE: Mark = { fill: '#ffffff', stroke: '#a1221b', symbol: '■' };

function markOf(item: TimelineItem): Mark {
  switch (item.kind) {
    case 'position':
      return MARKS[item.position ?? 'none'];
    case 'troika':
      return item.reaction === 'approve' ? MARKS.approve : item.reaction === 'object' ? MARKS.object : MARKS.request_changes;
    case 'reminder':
      return REMINDER;
    case 'deadline':
    case 'extended':
      return DEADLINE;
    case 'withdrawn':
    case 'not_endorsed':
      return MARKS.object;
    case 'closed':
      return item.outcome === 'consensus' ? MARKS.support : item.outcome === 'no_consensus' ? MARKS.object : MARKS.none;
    default:
      return STEP;
  }
}

function label(item: TimelineItem, directory: Directory, l: Locale, zone: string): string {
  const country = item.country ? countryName(directory, item.country, l) : '';
  switch (item.kind) {
    case 'created':
      return t(l, 'picture.event.created');
    case 'sent_to_troika':
      return t(l, 'picture.event.sent_to_troika');
    case 'revised':
      return t(l, 'picture.event.revised', { version: item.version ?? 0 });
    case 'troika': {
      const key = item.reaction === 'approve' ? 'troika_decision.approve' : item.reaction === 'object' ? 'troika_decision.object' : 'troika_decision.changes';
      return t(l, 'picture.event.troika', { country, decision: t(l, key) });
    }
    case 'circulated':
      return t(l, 'picture.event.circulated');
    case 'position':
      return t(l, 'picture.event.position', { country, position: t(l, `position.${item.position ?? 'none'}`) });
    case 'reminder':
      return t(l, 'picture.event.reminder', { count: item.count ?? 1 });
    case 'extended':
      return t(l, 'picture.event.extended', { to: item.to ? shortInstant(item.to, l, zone) : '—' });
    case 'deadline':
      return t(l, 'picture.event.deadline');
    case 'closed':
      return t(l, 'picture.event.closed', { outcome: item.outcome ? t(l, `outcome.${item.outcome as 'consensus'}`) : '' });
    case 'withdrawn':
      return t(l, 'picture.event.withdrawn');
    case 'not_endorsed':
      return t(l, 'picture.event.not_endorsed');
  }
}

function marker(x: number, y: number, mark: Mark, size: number): string {
  const dash = 'dashed' in mark && mark.dashed ? ' stroke-dasharray="3 2"' : '';
  return [
    `<circle cx="${round(x)}" cy="${round(y)}" r="${size}" fill="${mark.fill}" stroke="${mark.stroke}" stroke-width="1.5"${dash}/>`,
    text(x, y + size * 0.45, mark.symbol, { size: Math.round(size * 1.3), weight: 'bold', fill: mark.stroke, anchor: 'middle' }),
  ].join('');
}

/** The timeline of `state` as SVG, in `o.locale`, times in `o.timezone` (default the ST's zone). */
export function timelineSvg(state: ConsultationState, directory: Directory, o: PictureOptions): string {
  const l = o.locale;
  const zone = o.timezone ?? directory.secretariat.timezone;
  const items = timelineItems(state, o);
  const times = items.map((i) => Date.parse(i.at));
  const nowMs = o.now && !state.closedAt ? o.now.getTime() : undefined;
  if (nowMs !== undefined) times.push(nowMs);
  const start = Math.min(...times);
  const end = Math.max(...times);
  const span = Math.max(end - start, 60_000);
  const xOf = (ms: number) => AXIS.left + ((ms - start) / span) * (AXIS.right - AXIS.left);

  const body: string[] = [];
  let y = PAD + 18;
  const title = t(l, 'picture.timeline.title', { reference: state.reference });
  body.push(text(PAD, y, title, { size: 18, weight: 'bold' }));
  y += 22;
  body.push(text(PAD, y, fit(state.title, TIMELINE_WIDTH - 2 * PAD, 14), { size: 14 }));
  y += 20;
  body.push(text(PAD, y, t(l, 'picture.times_in', { zone: zoneLabel(zone, l) }), { size: 12, fill: '#4a5563' }));

  // The axis: a line from the first milestone to the last, each milestone a mark on it.
  y += 34;
  const axisY = y;
  body.push(`<line x1="${AXIS.left}" y1="${axisY}" x2="${AXIS.right}" y2="${axisY}" stroke="#7b8794" stroke-width="2"/>`);
  const deadline = items.find((i) => i.kind === 'deadline');
  if (deadline) {
    const x = xOf(Date.parse(deadline.at));
    body.push(`<line x1="${round(x)}" y1="${axisY - 22}" x2="${round(x)}" y2="${axisY + 22}" stroke="#a1221b" stroke-width="2" stroke-dasharray="5 3"/>`);
  }
  if (nowMs !== undefined) {
    const x = xOf(nowMs);
    body.push(`<line x1="${round(x)}" y1="${axisY - 16}" x2="${round(x)}" y2="${axisY + 16}" stroke="#1f2933" stroke-width="1.5"/>`);
    body.push(text(x, axisY - 20, t(l, 'picture.now'), { size: 11, anchor: 'middle' }));
  }
  items.forEach((item) => body.push(marker(xOf(Date.parse(item.at)), axisY, markOf(item), 7)));
  y += 24;
  body.push(text(AXIS.left, y, shortInstant(new Date(start).toISOString(), l, zone), { size: 11, fill: '#4a5563' }));
  body.push(text(AXIS.right, y, shortInstant(new Date(end).toISOString(), l, zone), { size: 11, fill: '#4a5563', anchor: 'end' }));

  // The list: one line per milestone, oldest first.
  y += 16;
  const lines: string[] = [];
  items.forEach((item, i) => {
    const top = y + i * LINE;
    const when = shortInstant(item.at, l, zone);
    const what = label(item, directory, l, zone);
    lines.push(`${when}: ${what}`);
    body.push(`<g data-kind="${item.kind}"${item.country ? ` data-country="${item.country}"` : ''}>`);
    body.push(marker(PAD + 10, top + LINE / 2, markOf(item), 8));
    body.push(text(PAD + 28, top + LINE / 2 + 4.5, when, { size: 12, fill: '#4a5563' }));
    body.push(text(PAD + 210, top + LINE / 2 + 4.5, fit(what, TIMELINE_WIDTH - PAD - (PAD + 210), 13), { size: 13, ...(item.kind === 'deadline' || item.kind === 'closed' ? { weight: 'bold' as const } : {}) }));
    body.push('</g>');
  });
  y += items.length * LINE;
  const desc = [t(l, 'picture.timeline.desc', { reference: state.reference, count: items.length }), ...lines].join(' ');
  return svgDocument({ width: TIMELINE_WIDTH, height: y + PAD, lang: l, id: 'crm-timeline', title, desc }, body);
}
