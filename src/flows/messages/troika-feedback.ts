/**
 * To the PPT's focal points and the ST channel, at once: a Troika country asked for changes, with its
 * reason and how to send a revised version (domain.md "Who hears what while it runs"). An objection ends
 * the consultation instead: its reason reaches them in the result notice and the digest.
 */
import type { ConsultationState, TroikaReactedEvent } from '../../domain/types.ts';
import type { Directory } from '../../directory/model.ts';
import { countryInText, t } from '../../i18n/index.ts';
import type { NeutralMessage } from '../../messages/neutral.ts';
import { countryName, header, reasonLine, reviseCommand, textOf, versionLabel, versionNumber, when, type Reader } from './common.ts';

export function troikaFeedback(state: ConsultationState, r: Reader, event: TroikaReactedEvent, directory: Directory): NeutralMessage {
  const l = r.locale;
  const country = countryName(directory, event.country, l);
  const inText = countryInText(directory, event.country, l);
  return {
    ...header('troika_feedback', l, state),
    heading: t(l, 'troika_feedback.heading', { reference: state.reference }),
    body: [
      t(l, 'troika_feedback.changes', {
        reference: state.reference,
        title: textOf(state, l).title,
        who: event.actor.name,
        country: inText,
        version: versionNumber(state),
      }),
      ...reasonLine(l, event.reason),
      t(l, 'troika_feedback.revise_hint', { cmd: reviseCommand(state, l) }),
    ],
    fields: [
      { label: t(l, 'label.reference'), value: state.reference },
      { label: t(l, 'label.version'), value: versionLabel(state) },
      { label: t(l, 'label.country'), value: country },
      { label: t(l, 'digest.when'), value: when(event.at, r) },
    ],
    buttons: [],
  };
}
