/**
 * What `/crm estado`, `/crm lista` and `/crm plazo` answer, as platform-neutral messages in the reader's
 * language and time zone (Slack renders them with render.ts; Teams will render the same). Pure: the states,
 * the directory, the calendar result and the clock come in.
 *
 * Confidentiality (domain.md): these answers show titles, stages and answers — never the text — and the
 * adapters only give them to Member Countries' focal points and ST staff.
 */
import type { DeadlineResult } from '../domain/calendar-port.ts';
import { membersAwaiting } from '../domain/outcome.ts';
import type { ConsultationState } from '../domain/types.ts';
import type { Directory, Locale } from '../directory/model.ts';
import { countryName, deadlineText, reasonLine, textOf, troikaDecision, versionLabel } from '../flows/messages/common.ts';
import { maySee, maySeeAllAnswers, type Viewer } from '../domain/authority.ts';
import { formatDate, formatDeadline, formatList, t, zoneLabel, zonePlace } from '../i18n/index.ts';
import type { NeutralMessage } from '../messages/neutral.ts';
import { usage } from './help.ts';

export interface Reader {
  locale: Locale;
  timezone: string;
  /** Who asks: the answers shown follow domain/authority.ts `maySee`. Without one, no single answer is shown. */
  viewer?: Viewer;
}

/** The Troika line: each country's latest decision on the current text (the author approves implicitly). */
function troikaLine(s: ConsultationState, directory: Directory, l: Locale): string | undefined {
  if (!s.troika) return undefined;
  return s.troika.countries
    .map((c) => {
      const r = s.troikaReactions[c];
      const current = r && r.version === s.currentVersion ? r : undefined;
      const decision = current
        ? `${troikaDecision(l, current.reaction)}${current.implicit ? ` (${t(l, 'digest.author_implicit')})` : ''}`
        : troikaDecision(l, undefined);
      return t(l, 'status.troika_line', { country: countryName(directory, c, l), decision });
    })
    .join(' · ');
}

/** The lines describing one consultation (stage, version, Troika, answers and missing countries, deadline). */
export function statusLines(s: ConsultationState, directory: Directory, r: Reader): string[] {
  const l = r.locale;
  const lines = [
    `${t(l, 'label.stage')}: ${t(l, `stage.${s.stage}`)}`,
    `${t(l, 'label.version')}: ${versionLabel(s)}`,
    `${t(l, 'label.rule')}: ${t(l, `rule.${s.rule}`)}`,
  ];
  const troika = troikaLine(s, directory, l);
  if (troika) lines.push(`${t(l, 'label.troika')}: ${troika}`);
  if (s.circulatedAt) {
    const missing = membersAwaiting(s);
    const total = s.participants.members.length;
    const viewer = r.viewer;
    lines.push(`${t(l, 'label.answers')}: ${total - missing.length}/${total}`);
    if (viewer) {
      for (const m of s.participants.members) {
        const p = s.positions[m.code];
        if (p && maySee(s, viewer, { kind: 'answer', country: m.code })) {
          lines.push([`${countryName(directory, m.code, l)}: ${t(l, `position.${p.position}`)}.`, ...reasonLine(l, p.reason)].join(' '));
        }
      }
    }
    if (missing.length && (!viewer || maySeeAllAnswers(s, viewer))) {
      lines.push(`${t(l, 'digest.missing')}: ${formatList(missing.map((c) => countryName(directory, c, l)), l)}`);
    }
  }
  if (s.deadline) lines.push(`${t(l, 'label.deadline')}: ${deadlineText(s, r)}`);
  if (s.outcome) lines.push(`${t(l, 'label.outcome')}: ${t(l, `outcome.${s.outcome}`)}`);
  return lines;
}

/** `/crm estado REF`: one consultation. */
export function statusMessage(s: ConsultationState, directory: Directory, r: Reader): NeutralMessage {
  return {
    kind: 'status',
    locale: r.locale,
    consultationId: s.consultationId,
    reference: s.reference,
    heading: `${s.reference} · ${textOf(s, r.locale).title}`,
    body: [statusLines(s, directory, r).join('\n')],
    fields: [],
    buttons: [],
  };
}

/** `/crm estado` without a reference: the latest `max` open consultations, newest first. */
export function latestStatusMessage(open: readonly ConsultationState[], directory: Directory, r: Reader, options: { max?: number; slash?: string } = {}): NeutralMessage {
  const l = r.locale;
  const max = options.max ?? 3;
  const shown = open.slice(0, max);
  const body = shown.length
    ? [
        ...shown.map((s) => [`${s.reference} · ${textOf(s, l).title}`, ...statusLines(s, directory, r)].join('\n')),
        ...(open.length > max ? [t(l, 'status.more', { count: open.length - max, cmd: usage('list', l, options.slash) })] : []),
        t(l, 'status.detail_hint', { cmd: usage('status', l, options.slash).replace('[REF]', 'REF') }),
      ]
    : [t(l, 'digest.none_open')];
  return { kind: 'status', locale: l, consultationId: '', reference: '', heading: t(l, 'status.latest_heading'), body, fields: [], buttons: [] };
}

/** `/crm lista`: every open consultation as a table (reference, title, stage, deadline, answers). */
export function listMessage(open: readonly ConsultationState[], directory: Directory, r: Reader): NeutralMessage {
  const l = r.locale;
  const rows = open.map((s) => {
    const total = s.participants.members.length;
    const answers =
      s.stage === 'member_consultation'
        ? `${total - membersAwaiting(s).length}/${total}`
        : s.stage === 'troika_review' && s.troika
          ? t(l, 'weekly.troika_reactions', {
              reacted: s.troika.countries.filter((c) => s.troikaReactions[c]?.version === s.currentVersion).length,
              total: s.troika.countries.length,
            })
          : '—';
    return [s.reference, textOf(s, l).title, t(l, `stage.${s.stage}`), deadlineText(s, r), answers];
  });
  return {
    kind: 'status',
    locale: l,
    consultationId: '',
    reference: '',
    heading: t(l, 'digest.open_heading'),
    body: [open.length ? t(l, 'weekly.intro', { count: open.length }) : t(l, 'digest.none_open')],
    fields: [],
    ...(open.length
      ? { table: { columns: [t(l, 'label.reference'), t(l, 'label.title'), t(l, 'label.stage'), t(l, 'label.deadline'), t(l, 'label.answers')], rows } }
      : {}),
    buttons: [],
  };
}

/** `/crm plazo [N]`: when a consultation circulated now would close, with the holidays skipped named. */
export function deadlineMessage(result: DeadlineResult, days: number, directory: Directory, r: Reader): NeutralMessage {
  const l = r.locale;
  const holidays = result.skipped.filter((d) => d.reason === 'holiday');
  const st = directory.secretariat;
  const place = zonePlace(st.timezone, l) ?? zoneLabel(st.timezone, l);
  const body = [
    t(l, 'deadline.summary', { deadline: formatDeadline(result.deadline, { locale: l, timeZone: r.timezone, calendarZone: result.timeZone }), days }),
    t(l, 'deadline.calendar_secretariat', { place }),
    holidays.length
      ? [t(l, 'deadline.skipped_heading'), ...holidays.map((h) => `• ${t(l, 'deadline.skipped_holiday', { date: formatDate(h.date, l), name: h.name ?? '—' })}`)].join('\n')
      : t(l, 'deadline.no_holidays'),
    ...(result.unverifiedYears.length ? [t(l, 'deadline.unverified_years', { years: result.unverifiedYears.join(', ') })] : []),
  ];
  return { kind: 'status', locale: l, consultationId: '', reference: '', heading: t(l, 'deadline.heading'), body, fields: [], buttons: [] };
}
