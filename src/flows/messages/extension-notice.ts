/** To every Member Country's focal points: the deadline was extended, with its justification. */
import type { ConsultationState } from '../../domain/types.ts';
import { t } from '../../i18n/index.ts';
import type { NeutralMessage } from '../../messages/neutral.ts';
import { deadlineText, header, textOf, type Reader } from './common.ts';

export function extensionNotice(state: ConsultationState, r: Reader, justification: string): NeutralMessage {
  const l = r.locale;
  const deadline = deadlineText(state, r);
  return {
    ...header('extension_notice', l, state),
    heading: t(l, 'extension.heading', { reference: state.reference }),
    body: [t(l, 'extension.body', { reference: state.reference, title: textOf(state, l).title, deadline })],
    fields: [
      { label: t(l, 'label.deadline'), value: deadline },
      { label: t(l, 'label.justification'), value: justification },
    ],
    buttons: [],
  };
}
