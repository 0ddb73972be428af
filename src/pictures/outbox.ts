/**
 * The picture attached to the ST channel's digest, next to the PDF record: one outbox row of kind
 * `status_picture`, written with the decision that ended the consultation, right after the record row.
 * Like the record, the row only names the file; the PNG is rendered from the database when the row is
 * delivered (./attachment.ts), in the ST's language and zone.
 *
 * Only where the ST channel can receive a file today: Slack (files.uploadV2). The Teams notifier posts a
 * file-bearing message as its words alone, and the words alone would say nothing new there, so no row is
 * written for a Teams-only ST channel.
 */
import type { Directory } from '../directory/model.ts';
import type { ConsultationState } from '../domain/types.ts';
import { t } from '../i18n/index.ts';
import type { MessageAttachment, NeutralMessage } from '../messages/neutral.ts';
import type { NewOutboxMessage } from '../store/consultation-store.ts';
import { secretariatAddress, type Addressed } from '../flows/addressing.ts';
import { recordOutboxFor } from '../record/outbox.ts';
import { pictureFilename } from './filename.ts';

export const PICTURE_KIND = 'status_picture';

/** The `status_picture` row beside the `record` row of the same ending event (`seq`); undefined while it runs. */
export function pictureOutboxFor(state: ConsultationState, directory: Directory, seq: number, st: Addressed = secretariatAddress(directory)): NewOutboxMessage | undefined {
  // The same recipient as the record (that ST channel), and only when the record is written.
  const record = recordOutboxFor(state, directory, seq, st);
  if (!record || record.platform !== 'slack') return undefined;
  const l = directory.secretariat.locale;
  const attachment: MessageAttachment = {
    kind: 'consultation_picture',
    consultationId: state.consultationId,
    reference: state.reference,
    format: 'png',
    locale: l,
    filename: pictureFilename(state.reference),
  };
  const message: NeutralMessage = {
    kind: PICTURE_KIND,
    locale: l,
    consultationId: state.consultationId,
    reference: state.reference,
    heading: t(l, 'picture.attached.heading', { reference: state.reference }),
    body: [t(l, 'picture.attached.body')],
    fields: [],
    buttons: [],
    attachment,
  };
  return {
    dedupeKey: `${state.consultationId}:${seq}:${PICTURE_KIND}:${st.key}`,
    platform: record.platform,
    recipient: record.recipient,
    kind: PICTURE_KIND,
    payload: message,
  };
}
