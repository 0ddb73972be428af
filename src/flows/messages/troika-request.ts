/** The request to a Troika country's focal point: the text, and approve / request changes / object. */
import type { ConsultationState } from '../../domain/types.ts';
import type { Directory } from '../../directory/model.ts';
import { countryInText, formatList, t } from '../../i18n/index.ts';
import type { NeutralMessage } from '../../messages/neutral.ts';
import { countryName, header, languageNote, textOf, troikaButtons, versionLabel, versionNumber, type Reader } from './common.ts';

export function troikaRequest(state: ConsultationState, r: Reader, directory: Directory, revised: boolean): NeutralMessage {
  const l = r.locale;
  const author = state.troika ? countryInText(directory, state.troika.authorCountry, l) : '';
  const text = textOf(state, l);
  return {
    ...header('troika_request', l, state),
    heading: t(l, 'troika_request.heading', { reference: state.reference }),
    body: [
      ...(revised ? [t(l, 'troika_request.revised', { reference: state.reference, version: versionNumber(state) })] : []),
      t(l, 'troika_request.intro', { reference: state.reference, title: text.title, submittedBy: author }),
      t(l, 'troika_request.ask'),
      ...languageNote(state, l),
    ],
    quote: text.text,
    fields: [
      { label: t(l, 'label.reference'), value: state.reference },
      { label: t(l, 'label.title'), value: text.title },
      { label: t(l, 'label.version'), value: versionLabel(state) },
      {
        label: t(l, 'label.troika'),
        value: formatList((state.troika?.countries ?? []).map((c) => countryName(directory, c, l)), l),
      },
    ],
    buttons: troikaButtons(state, l),
  };
}
