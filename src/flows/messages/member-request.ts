/**
 * The request to a Member Country's focal point: the text, the deadline (with its justification when it
 * was shortened, set explicitly or extended), and the three positions. Once the country has answered, the
 * card also says who answered what and when; it is the card every focal point of the country keeps, updated
 * in place (`replaceKey` per person) when any of them answers, and they may change the answer until the close.
 */
import type { ConsultationState } from '../../domain/types.ts';
import type { CountryCode, Directory } from '../../directory/model.ts';
import { countryInText, t } from '../../i18n/index.ts';
import type { NeutralMessage } from '../../messages/neutral.ts';
import {
  deadlineJustification,
  deadlineText,
  header,
  languageNote,
  positionButtons,
  recordedAnswer,
  textOf,
  versionLabel,
  type Reader,
} from './common.ts';

/** The key under which one person's member card is replaced in place. */
export const memberCardKey = (consultationId: string, personId: string): string => `member:${consultationId}:${personId}`;

export function memberRequest(state: ConsultationState, r: Reader, country: CountryCode, directory: Directory, personId?: string): NeutralMessage {
  const l = r.locale;
  const deadline = deadlineText(state, r);
  const text = textOf(state, l);
  const justification = deadlineJustification(state);
  const recorded = recordedAnswer(state, country, directory, r);
  return {
    ...header('member_request', l, state),
    heading: t(l, 'member_request.heading', { reference: state.reference }),
    body: [
      t(l, 'member_request.intro', { reference: state.reference, title: text.title, country: countryInText(directory, country, l), deadline }),
      t(l, 'member_request.rule', { rule: t(l, `rule.${state.rule}`) }),
      t(l, `rule.${state.rule}.explanation`),
      ...languageNote(state, l),
    ],
    quote: text.text,
    fields: [
      { label: t(l, 'label.reference'), value: state.reference },
      { label: t(l, 'label.version'), value: versionLabel(state) },
      { label: t(l, 'label.deadline'), value: deadline },
      ...(justification ? [{ label: t(l, 'label.justification'), value: justification }] : []),
    ],
    buttons: positionButtons(state, l),
    ...(personId ? { replaceKey: memberCardKey(state.consultationId, personId) } : {}),
    ...(recorded ? { recorded, keepButtons: state.stage === 'member_consultation' } : {}),
  };
}
