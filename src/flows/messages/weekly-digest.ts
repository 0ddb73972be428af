/**
 * The weekly digest of open consultations for the ST channel: one row per consultation with its stage,
 * deadline, answers x/N and the countries still missing. `week` is the ISO week label (2026-W49). The
 * message names no single consultation (empty id; the week as its reference).
 */
import { membersAwaiting } from '../../domain/outcome.ts';
import type { ConsultationState } from '../../domain/types.ts';
import type { Directory } from '../../directory/model.ts';
import { formatDate, formatList, t } from '../../i18n/index.ts';
import type { Meeting, TrackedDuty } from '../../domain/meetings/index.ts';
import { dutyName, ownerName } from '../../messages/meeting-text.ts';
import type { NeutralMessage } from '../../messages/neutral.ts';
import { countryName, deadlineText, textOf, type Reader } from './common.ts';

/** The Monday of an ISO week label ("2027-W05" → "2027-02-01"), or undefined when it is not one. */
export function mondayOfIsoWeek(week: string): string | undefined {
  const m = /^(\d{4})-W(\d{2})$/.exec(week);
  if (!m) return undefined;
  const jan4 = new Date(Date.UTC(Number(m[1]), 0, 4));
  const monday = new Date(jan4.getTime() - (((jan4.getUTCDay() + 6) % 7) - (Number(m[2]) - 1) * 7) * 86_400_000);
  return monday.toISOString().slice(0, 10);
}

/** The meetings' overdue duties the digest lists after the consultations (jobs/digest.ts). */
export interface LateDuties {
  duties: readonly TrackedDuty[];
  meetings: readonly Meeting[];
}

/** One line per overdue duty: what, for which meeting, who owes it, since when. */
export function lateDutyLines(directory: Directory, late: LateDuties, l: Reader['locale']): string[] {
  if (late.duties.length === 0) return [];
  const title = (ref: string | undefined) => (ref ? `${late.meetings.find((m) => m.reference === ref)?.title ?? ref}, ${ref}` : '—');
  return [
    t(l, 'weekly.late_duties', { count: late.duties.length }),
    ...late.duties.map((d) => t(l, 'weekly.late_duty', { duty: dutyName(d.duty, l), meeting: title(d.meeting), owner: ownerName(directory, d, l), due: formatDate(d.due, l) })),
  ];
}

/**
 * The week's digest: the open consultations (a table), then the meetings' overdue duties, when there are
 * any (one line each: the table is the consultations').
 */
export function weeklyDigest(states: readonly ConsultationState[], r: Reader, directory: Directory, week: string, late?: LateDuties): NeutralMessage {
  const l = r.locale;
  const rows = states.map((s) => {
    const members = s.participants.members.length;
    const missing = s.stage === 'member_consultation' ? membersAwaiting(s) : [];
    const answers =
      s.stage === 'member_consultation'
        ? `${members - missing.length}/${members}`
        : s.stage === 'troika_review' && s.troika
          ? t(l, 'weekly.troika_reactions', {
              reacted: s.troika.countries.filter((c) => s.troikaReactions[c]?.version === s.currentVersion).length,
              total: s.troika.countries.length,
            })
          : '—';
    return [
      s.reference,
      textOf(s, l).title,
      t(l, `stage.${s.stage}`),
      deadlineText(s, r),
      answers,
      missing.length ? formatList(missing.map((c) => countryName(directory, c, l)), l) : '—',
    ];
  });
  return {
    kind: 'weekly_digest',
    locale: l,
    consultationId: '',
    reference: week,
    // People read "the week of Monday 1 February 2027", never the ISO label (which stays the reference).
    heading: t(l, 'weekly.heading', { week: ((d) => (d ? formatDate(d, l) : week))(mondayOfIsoWeek(week)) }),
    body: [states.length ? t(l, 'weekly.intro', { count: states.length }) : t(l, 'digest.none_open'), ...(late ? lateDutyLines(directory, late, l) : [])],
    fields: [],
    ...(states.length
      ? {
          table: {
            columns: [
              t(l, 'label.reference'),
              t(l, 'label.title'),
              t(l, 'label.stage'),
              t(l, 'label.deadline'),
              t(l, 'label.answers'),
              t(l, 'digest.missing'),
            ],
            rows,
          },
        }
      : {}),
    buttons: [],
  };
}
