/**
 * The record attached to the ST channel's digest: one outbox row of kind `record`, written with the
 * decision that ended the consultation, right after the digest. The row names the file; the PDF itself is
 * rendered from the database when the row is delivered (./attachment.ts), so the row stays small and the
 * file holds everything recorded up to then. The message's own words say what the file is and name the
 * CLI command, so a platform that cannot share files still tells the ST where the record is.
 *
 * Wiring (flows/effects.ts `messagesFor`): for a `consultation_closed`, `consultation_not_endorsed` or
 * `consultation_withdrawn` event at sequence number `seq`, right after the digest is pushed:
 *
 *   for (const st of secretariatAddresses(directory)) {
 *     const record = recordOutboxFor(after, directory, seq, st);
 *     if (record) out.push(record);
 *   }
 */
import type { Directory } from '../directory/model.ts';
import { TERMINAL_STAGES, type ConsultationState } from '../domain/types.ts';
import { t } from '../i18n/index.ts';
import type { MessageAttachment, NeutralMessage } from '../messages/neutral.ts';
import { secretariatAddress, type Addressed } from '../flows/addressing.ts';
import type { NewOutboxMessage } from '../store/consultation-store.ts';

export const RECORD_KIND = 'record';

/** `CRM-2026-001-registro-record.pdf`: the reference and the word in both languages. */
export function recordFilename(reference: string): string {
  return `${reference}-registro-record.pdf`;
}

/** The command that prints the same record, named in the message. */
export function recordCommand(reference: string): string {
  return `npx crm consultations export ${reference} --format pdf --out ${recordFilename(reference)}`;
}

/**
 * The `record` outbox row for the ST channel once `state` has ended (closed, not endorsed, withdrawn);
 * undefined while it runs. `seq` is the sequence number of the ending event: the dedupe key
 * `<consultationId>:<seq>:record:<st key>` sits beside the digest's `<consultationId>:<seq>:digest:<st key>`.
 * `st`: which ST channel (flows/addressing.ts secretariatAddresses: routing writes one row per channel
 * named); without it, the ST's one address (Slack first).
 */
export function recordOutboxFor(state: ConsultationState, directory: Directory, seq: number, st: Addressed = secretariatAddress(directory)): NewOutboxMessage | undefined {
  if (!TERMINAL_STAGES.includes(state.stage)) return undefined;
  const { recipient, platform } = st;
  const l = directory.secretariat.locale;
  const attachment: MessageAttachment = {
    kind: 'consultation_record',
    consultationId: state.consultationId,
    reference: state.reference,
    format: 'pdf',
    filename: recordFilename(state.reference),
  };
  const message: NeutralMessage = {
    kind: 'record',
    locale: l,
    consultationId: state.consultationId,
    reference: state.reference,
    heading: t(l, 'record.attached.heading', { reference: state.reference }),
    body: [t(l, 'record.attached.body', { reference: state.reference }), t(l, 'record.attached.cli', { command: recordCommand(state.reference) })],
    fields: [],
    buttons: [],
    attachment,
  };
  return {
    dedupeKey: `${state.consultationId}:${seq}:${RECORD_KIND}:${st.key}`,
    platform,
    recipient,
    kind: RECORD_KIND,
    payload: message,
  };
}
