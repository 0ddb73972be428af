/** A reminder to one focal point: a Member Country that has not answered, or a Troika country that has not reacted. */
import { currentTextVersion } from '../../domain/outcome.ts';
import type { ConsultationState } from '../../domain/types.ts';
import type { CountryCode, Directory } from '../../directory/model.ts';
import { countryInText, t } from '../../i18n/index.ts';
import type { NeutralMessage } from '../../messages/neutral.ts';
import {
  countryName,
  deadlineJustification,
  deadlineText,
  header,
  languageNote,
  positionButtons,
  textOf,
  troikaButtons,
  versionLabel,
  when,
  type Reader,
} from './common.ts';

/** Who a reminder is for: a focal point frozen on the consultation, for a country, as member or Troika. */
export interface ReminderTarget {
  audience: 'member' | 'troika';
  country: CountryCode;
  personId: string;
}

export function reminderMessage(state: ConsultationState, r: Reader, target: ReminderTarget, directory: Directory): NeutralMessage {
  const l = r.locale;
  const country = countryName(directory, target.country, l);
  const text = textOf(state, l);
  if (target.audience === 'troika') {
    const since = when(currentTextVersion(state).at ?? state.sentToTroikaAt, r);
    return {
      ...header('reminder', l, state),
      heading: t(l, 'reminder.heading', { reference: state.reference }),
      body: [t(l, 'reminder.troika_pending', { reference: state.reference, title: text.title, since }), t(l, 'reminder.troika_act_here'), ...languageNote(state, l)],
      quote: text.text,
      fields: [
        { label: t(l, 'label.reference'), value: state.reference },
        { label: t(l, 'label.version'), value: versionLabel(state) },
        { label: t(l, 'label.country'), value: country },
      ],
      buttons: troikaButtons(state, l),
    };
  }
  const deadline = deadlineText(state, r);
  const justification = deadlineJustification(state);
  return {
    ...header('reminder', l, state),
    heading: t(l, 'reminder.heading', { reference: state.reference }),
    body: [
      t(l, 'reminder.body', { reference: state.reference, title: text.title, country: countryInText(directory, target.country, l), deadline }),
      t(l, 'reminder.act_here'),
    ],
    fields: [
      { label: t(l, 'label.reference'), value: state.reference },
      { label: t(l, 'label.version'), value: versionLabel(state) },
      { label: t(l, 'label.deadline'), value: deadline },
      ...(justification ? [{ label: t(l, 'label.justification'), value: justification }] : []),
    ],
    buttons: positionButtons(state, l),
  };
}
