/**
 * The live status of a consultation, replaced in place as things happen: the ST channel's (`status:<id>`)
 * and one per focal point of the PPT (`status:<id>:<person>`). They see each answer as it comes: the
 * Troika's decisions on the current text while it is under review, then every Member Country's position
 * with its reason, the answers so far, who has not answered, and the deadline.
 */
import { membersAwaiting } from '../../domain/outcome.ts';
import type { ConsultationState } from '../../domain/types.ts';
import type { Directory } from '../../directory/model.ts';
import { t } from '../../i18n/index.ts';
import type { NeutralMessage } from '../../messages/neutral.ts';
import { countryName, deadlineText, header, namesList, objectionsShown, summarises, tally, textOf, troikaDecision, versionLabel, type Reader } from './common.ts';

/** The replace key of the ST channel's status, and of one person's (the PPT's focal points). */
export const statusKey = (consultationId: string, personId?: string): string =>
  personId ? `status:${consultationId}:${personId}` : `status:${consultationId}`;

export function status(state: ConsultationState, r: Reader, directory: Directory, personId?: string): NeutralMessage {
  const l = r.locale;
  const awaiting = membersAwaiting(state);
  const total = state.participants.members.length;
  const fields = [
    { label: t(l, 'label.stage'), value: t(l, `stage.${state.stage}`) },
    { label: t(l, 'label.version'), value: versionLabel(state) },
  ];
  if (state.troika && state.stage === 'troika_review') {
    const reacted = state.troika.countries.map((c) => {
      const x = state.troikaReactions[c];
      return `${countryName(directory, c, l)}: ${troikaDecision(l, x?.version === state.currentVersion ? x.reaction : undefined)}`;
    });
    fields.push({ label: t(l, 'label.troika'), value: reacted.join(' · ') });
  }
  const rows: string[][] = [];
  const body: string[] = [];
  if (state.circulatedAt) {
    fields.push({ label: t(l, 'label.answers'), value: `${total - awaiting.length}/${total}` });
    if (summarises(state)) fields.push({ label: t(l, 'label.positions'), value: t(l, 'digest.counts', tally(state)) });
    if (awaiting.length && state.stage === 'member_consultation') {
      fields.push({ label: t(l, 'digest.missing'), value: namesList(awaiting.map((c) => countryName(directory, c, l)), l) });
    }
    fields.push({ label: t(l, 'label.deadline'), value: deadlineText(state, r) });
    if (summarises(state)) {
      // A large body: the objections, not one row per country (the counts are in the fields above).
      const { shown, hidden } = objectionsShown(state);
      for (const o of shown) rows.push([countryName(directory, o.country, l), t(l, 'position.object'), o.reason]);
      body.push(t(l, 'status.objections_only', { members: total }));
      if (hidden > 0) body.push(t(l, 'result.more_objections', { count: hidden }));
    } else {
      for (const m of state.participants.members) {
        const p = state.positions[m.code];
        if (p) rows.push([countryName(directory, m.code, l), t(l, `position.${p.position}`), p.reason ?? '']);
      }
    }
  }
  return {
    ...header('status', l, state),
    heading: `${state.reference} · ${textOf(state, l).title}`,
    body,
    fields,
    ...(rows.length ? { table: { columns: [t(l, 'label.country'), t(l, 'label.position'), t(l, 'label.reason')], rows } } : {}),
    buttons: [],
    replaceKey: statusKey(state.consultationId, personId),
  };
}
