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
 *   const record = recordOutboxFor(after, directory, seq);
 *   if (record) out.push(record);
 */
import type { Directory } from '../directory/model.ts';
import { TERMINAL_STAGES, type ConsultationState } from '../domain/types.ts';
import { t } from '../i18n/index.ts';
import type { DeliveryPlatform, MessageAttachment, NeutralMessage, Recipient } from '../messages/neutral.ts';
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

/** The ST channel as effects.ts addresses it: its Slack channel first, else its Teams conversation. */
function secretariat(directory: Directory): { recipient: Recipient; platform: DeliveryPlatform } {
  const s = directory.secretariat;
  // Teams: the channel (`secretariat.teams.channel`, interfaces.md), or a conversation id given instead.
  const teams = s.teams?.channel ?? s.teams?.conversationId;
  return {
    recipient: {
      kind: 'secretariat_channel',
      ...(s.slack?.channel ? { slack: s.slack.channel } : {}),
      ...(teams ? { teams } : {}),
    },
    platform: s.slack?.channel ? 'slack' : teams ? 'teams' : 'unreachable',
  };
}

/**
 * The `record` outbox row for the ST channel once `state` has ended (closed, not endorsed, withdrawn);
 * undefined while it runs. `seq` is the sequence number of the ending event: the dedupe key
 * `<consultationId>:<seq>:record:st-channel` sits beside the digest's `<consultationId>:<seq>:digest:st-channel`.
 */
export function recordOutboxFor(state: ConsultationState, directory: Directory, seq: number): NewOutboxMessage | undefined {
  if (!TERMINAL_STAGES.includes(state.stage)) return undefined;
  const { recipient, platform } = secretariat(directory);
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
    dedupeKey: `${state.consultationId}:${seq}:${RECORD_KIND}:st-channel`,
    platform,
    recipient,
    kind: RECORD_KIND,
    payload: message,
  };
}
