/**
 * The result of an ended consultation, to the people who had received its text (routing.ts decides who),
 * saying why: the tally and the objections' reasons after a close; the objecting Troika country and its
 * reason, and to the PPT how to revise and resend, when not endorsed; who withdrew it and why.
 */
import { positionsSummary } from '../../domain/outcome.ts';
import type { ConsultationState } from '../../domain/types.ts';
import type { CountryCode, Directory } from '../../directory/model.ts';
import { countryInText, t } from '../../i18n/index.ts';
import type { NeutralMessage } from '../../messages/neutral.ts';
import { header, objectionLines, positionLists, reasonLine, reviseCommand, tally, textOf, when, withdrawnBy, type Reader } from './common.ts';

/** The outcome as interfaces.md names it, and each Member Country's final position. */
export function closingSummary(state: ConsultationState): {
  outcome: string;
  positions: Record<CountryCode, 'support' | 'object' | 'abstain' | 'none'>;
} {
  return { outcome: state.outcome ?? 'incomplete', positions: positionsSummary(state) };
}

/** The Troika country whose objection ended the consultation (the latest objection on the current text). */
export function objectingTroikaCountry(state: ConsultationState): CountryCode | undefined {
  return state.troikaHistory.filter((h) => h.reaction === 'object' && h.version === state.currentVersion).at(-1)?.country;
}

export interface ResultReader extends Reader {
  /** The reader's Member Country (their own position is recalled). */
  country?: CountryCode;
  /** The reader speaks for the PPT that presented the text (not endorsed: how to revise and resend). */
  author?: boolean;
}

export function resultNotice(state: ConsultationState, r: ResultReader, directory: Directory): NeutralMessage {
  const l = r.locale;
  const outcome = state.outcome ?? 'incomplete';
  const title = textOf(state, l).title;
  const ref = { reference: state.reference, title };
  const body: string[] = [];
  if (outcome === 'not_endorsed') {
    const objecting = objectingTroikaCountry(state);
    body.push(
      objecting
        ? t(l, 'result.not_endorsed_by', { ...ref, country: countryInText(directory, objecting, l) })
        : t(l, 'result.not_endorsed_body', ref),
      ...reasonLine(l, state.endReason),
      ...(r.author ? [t(l, 'result.resend_hint', { cmd: reviseCommand(state, l) })] : []),
    );
  } else if (outcome === 'withdrawn') {
    body.push(t(l, 'result.withdrawn_by', { ...ref, by: withdrawnBy(state, directory, l) }), ...reasonLine(l, state.endReason));
  } else {
    body.push(
      t(l, 'result.body', { ...ref, outcome: t(l, `outcome.${outcome}`), closedAt: when(state.closedAt, r) }),
      t(l, 'digest.counts', tally(state)),
      ...positionLists(state, directory, l),
      ...objectionLines(state, directory, l),
    );
  }
  if (r.country && state.circulatedAt) {
    const p = state.positions[r.country]?.position;
    const country = countryInText(directory, r.country, l);
    // "Recorded position: No response" would say something was recorded: say that nothing was.
    body.push(p ? t(l, 'result.your_position', { country, position: t(l, `position.${p}`) }) : t(l, 'result.your_no_position', { country }));
  }
  return {
    ...header('result_notice', l, state),
    heading: t(l, 'result.heading', { reference: state.reference }),
    body,
    fields: [
      { label: t(l, 'label.reference'), value: state.reference },
      { label: t(l, 'label.outcome'), value: t(l, `outcome.${outcome}`) },
    ],
    buttons: [],
  };
}
