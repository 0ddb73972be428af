/**
 * The ST channel's digest of an ended consultation (domain.md "Results"): reference, title, text version
 * and hash, the timeline — every version presented to the Troika with each Troika country's reaction to it
 * (who, when, reason), circulation, the deadline and its justification, each extension with its own —,
 * one row per Member Country (position, who, when, reason) and the tally, only when the text circulated
 * (a text that never left the Troika lists no Member Country as "no answer"), and the outcome.
 */
import { membersAwaiting } from '../../domain/outcome.ts';
import type { ConsultationState, TextVersion } from '../../domain/types.ts';
import type { Directory, Locale } from '../../directory/model.ts';
import { sentence, t } from '../../i18n/index.ts';
import type { NeutralMessage } from '../../messages/neutral.ts';
import {
  countryName,
  deadlineText,
  header,
  namesList,
  objectionsShown,
  reasonLine,
  shortHash,
  shortWhen,
  summarises,
  tally,
  textOf,
  troikaDecision,
  versionNumber,
  when,
  withdrawnBy,
  type Reader,
} from './common.ts';
import { closingSummary } from './result-notice.ts';

/** One paragraph per version: when it was presented, then each Troika country's reaction to it. */
function troikaTimeline(state: ConsultationState, r: Reader, directory: Directory): string[] {
  const troika = state.troika;
  if (!troika || !state.sentToTroikaAt) return [];
  const l = r.locale;
  const sent = new Date(state.sentToTroikaAt).getTime();
  const presented = (v: TextVersion) => new Date(Math.max(new Date(v.at).getTime(), sent)).toISOString();
  const shown = state.versions.filter((v, i) => i === state.versions.length - 1 || new Date(state.versions[i + 1]!.at).getTime() > sent);
  return shown.map((v) => {
    const lines = [t(l, 'digest.version_line', { version: v.number, hash: shortHash(v.hash), when: when(presented(v), r) })];
    for (const c of troika.countries) {
      const country = countryName(directory, c, l);
      const reactions = state.troikaHistory.filter((h) => h.country === c && h.version === v.hash);
      if (reactions.length === 0) lines.push(t(l, 'digest.reaction_missing', { country }));
      for (const x of reactions) {
        const decision = troikaDecision(l, x.reaction);
        lines.push(
          x.implicit
            ? t(l, 'digest.reaction_implicit', { country, decision })
            : [t(l, 'digest.reaction_line', { country, decision, who: x.by.name, when: when(x.at, r) }), ...reasonLine(l, x.reason)].join(' '),
        );
      }
    }
    return lines.join('\n');
  });
}

const justificationLine = (l: Locale, j: string | undefined): string[] => (j?.trim() ? [t(l, 'justification.line', { justification: sentence(j) })] : []);

export function digest(state: ConsultationState, r: Reader, directory: Directory): NeutralMessage {
  const l = r.locale;
  const { outcome, positions } = closingSummary(state);
  const circulated = state.circulatedAt !== undefined;
  // A large body: only the objections get a row (the record attached to the digest has one row per country).
  const large = summarises(state);
  const { shown, hidden } = objectionsShown(state);
  const shownReason = new Map(shown.map((o) => [o.country, o.reason]));
  const listed = large ? state.participants.members.filter((m) => shownReason.has(m.code)) : state.participants.members;
  const rows = listed.map((m) => {
    const rec = state.positions[m.code];
    return [
      countryName(directory, m.code, l),
      t(l, `position.${positions[m.code] ?? 'none'}`),
      rec?.by.name ?? '—',
      rec ? shortWhen(rec.at, r.timezone) : '—',
      (large ? shownReason.get(m.code) : rec?.reason) ?? '',
    ];
  });
  const firstDeadline = state.extensions[0]?.from ?? state.deadline;
  const troika = troikaTimeline(state, r, directory);
  const missing = circulated ? membersAwaiting(state).map((c) => countryName(directory, c, l)) : [];
  const body = [
    `${t(l, 'label.outcome')}: ${t(l, `outcome.${outcome as 'consensus'}`)}`,
    ...(outcome === 'withdrawn' ? [t(l, 'digest.withdrawn_by', { by: withdrawnBy(state, directory, l) })] : []),
    ...reasonLine(l, state.endReason),
    `${t(l, 'digest.started')}: ${when(state.createdAt, r)}`,
    ...(state.sentToTroikaAt ? [`${t(l, 'digest.sent_to_troika')}: ${when(state.sentToTroikaAt, r)}`] : []),
    ...(troika.length ? [`${t(l, 'digest.troika_heading')}:`, ...troika] : []),
    ...(circulated ? [`${t(l, 'digest.circulated')}: ${when(state.circulatedAt, r)}`] : [t(l, 'digest.not_circulated')]),
    ...(firstDeadline ? [`${t(l, 'label.deadline')}: ${deadlineText(state, r, firstDeadline)}`, ...justificationLine(l, state.justification)] : []),
    ...state.extensions.flatMap((e) => [
      [t(l, 'digest.extension_line', { when: when(e.at, r), who: e.by.name, deadline: deadlineText(state, r, e.to) }), ...justificationLine(l, e.justification)].join(' '),
    ]),
    `${t(l, 'digest.ended')}: ${when(state.closedAt, r)}`,
    ...(circulated ? [t(l, 'digest.counts', tally(state))] : []),
    ...(missing.length ? [`${t(l, 'digest.missing')}: ${namesList(missing, l)}`] : []),
    ...(circulated && large ? [t(l, 'status.objections_only', { members: state.participants.members.length })] : []),
    ...(circulated && large && hidden > 0 ? [t(l, 'result.more_objections', { count: hidden })] : []),
  ];
  return {
    ...header('digest', l, state),
    heading: t(l, 'digest.heading', { reference: state.reference }),
    body,
    fields: [
      { label: t(l, 'label.reference'), value: state.reference },
      { label: t(l, 'label.title'), value: textOf(state, l).title },
      { label: t(l, 'label.version'), value: `${versionNumber(state)} · ${state.currentVersion}` },
      { label: t(l, 'label.rule'), value: t(l, `rule.${state.rule}`) },
    ],
    ...(circulated
      ? {
          table: {
            columns: [t(l, 'label.country'), t(l, 'label.position'), t(l, 'digest.who'), t(l, 'digest.when'), t(l, 'label.reason')],
            rows,
          },
        }
      : {}),
    buttons: [],
    metadata: {
      eventType: 'crm_consultation_closed',
      payload: { reference: state.reference, outcome, positions },
    },
  };
}
