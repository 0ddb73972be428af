/** The request to a Troika country's focal point: the text, and approve / request changes / object. */
import type { ConsultationState } from '../../domain/types.ts';
import type { CountryCode, Directory } from '../../directory/model.ts';
import { countryInText, formatList, t } from '../../i18n/index.ts';
import type { NeutralMessage } from '../../messages/neutral.ts';
import { countryName, header, languageNote, recordedTroikaDecision, textOf, troikaButtons, versionLabel, versionNumber, type Reader } from './common.ts';

/** The key under which one person's Troika card of one text version is replaced in place. */
export const troikaCardKey = (consultationId: string, personId: string, version: string): string => `troika:${consultationId}:${personId}:${version}`;

/**
 * `personId` names the card (one per person and version, replaced in place when a co-focal point decides
 * or when the card closes); `country` adds what that Troika country decided on this version, if it did.
 */
export function troikaRequest(
  state: ConsultationState,
  r: Reader,
  directory: Directory,
  revised: boolean,
  card: { personId?: string; country?: CountryCode } = {},
): NeutralMessage {
  const l = r.locale;
  const author = state.troika ? countryInText(directory, state.troika.authorCountry, l) : '';
  const text = textOf(state, l);
  const recorded = card.country ? recordedTroikaDecision(state, card.country, directory, r) : undefined;
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
    ...(card.personId ? { replaceKey: troikaCardKey(state.consultationId, card.personId, state.currentVersion) } : {}),
    ...(recorded ? { recorded, keepButtons: state.stage === 'troika_review' } : {}),
  };
}
