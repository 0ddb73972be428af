/**
 * Platform-neutral messages. Flows produce these; adapters/slack/render turns one into Block Kit,
 * adapters/teams/render into an Adaptive Card. Plain JSON: they are stored in the outbox.
 */
import type { Locale } from '../directory/model.ts';

/**
 * What a message is. One union for the neutral message's `kind` and the outbox row's `kind`: every row the
 * bot writes is one of these (flows/routing.ts, jobs/deliver.ts, the chat adapters' card updates).
 */
export type MessageKind =
  | 'troika_request'
  | 'member_request'
  | 'revision_notice'
  | 'extension_notice'
  | 'reminder'
  | 'result_notice'
  /** To the PPT's focal points and the ST channel: a Troika country asked for changes, with its reason. */
  | 'troika_feedback'
  | 'digest'
  | 'status'
  /** The ST channel's weekly digest of open consultations (jobs/digest.ts). */
  | 'weekly_digest'
  /** A card the person clicked, updated in place by the chat adapter (adapters/slack/listeners/decisions.ts). */
  | 'card_update'
  /** To the ST: a message could not be delivered (jobs/deliver.ts). */
  | 'dead_letter'
  /** To the ST after the digest: the consultation's audit record as a file (src/record/outbox.ts). */
  | 'record'
  /** To whoever owes a meeting duty: it is due soon, or overdue (messages/duty-messages.ts). */
  | 'duty_reminder'
  /** To the ST channel and the PPT: the week's overdue duties (messages/duty-messages.ts). */
  | 'duty_digest'
  /** To an invitee: the meeting, the segment, attend / decline buttons (messages/meeting-invitation.ts). */
  | 'meeting_invitation'
  /** To an invitee after the card: the meeting's calendar file (RFC 5545). */
  | 'meeting_calendar';

export interface MessageField {
  label: string;
  value: string;
}

export interface MessageButton {
  /** Stable action id (interfaces.md): troika_approve, position_support, … */
  actionId: string;
  label: string;
  /** Untrusted when it comes back: names the consultation and the text version. */
  value: string;
  style?: 'primary' | 'danger';
}

/**
 * A file a message carries, named, not included: the notifier renders it when it delivers the message (the
 * outbox row stays small), e.g. the consultation's audit record as a PDF.
 */
export type MessageAttachment =
  | {
      kind: 'consultation_record';
      consultationId: string;
      reference: string;
      format: 'pdf';
      /** The file's name where it is shared, e.g. `CRM-2026-001-registro-record.pdf`. */
      filename: string;
    }
  | {
      /** A meeting's calendar file (messages/meeting-ics.ts), in the invitee's language. */
      kind: 'meeting_calendar';
      meetingId: string;
      reference: string;
      format: 'ics';
      locale: Locale;
      /** e.g. `MTG-2027-002.ics`. */
      filename: string;
    };

export interface NeutralMessage {
  kind: MessageKind;
  locale: Locale;
  consultationId: string;
  reference: string;
  /** One-line heading. */
  heading: string;
  /** Our own sentences: what happened, what to do. */
  body: string[];
  /** User content quoted verbatim (the proposal): renderers escape it. */
  quote?: string;
  fields: MessageField[];
  /** A table, e.g. one row per Member Country in the digest. */
  table?: { columns: string[]; rows: string[][] };
  buttons: MessageButton[];
  /** Machine-readable metadata (Slack message metadata for the digest). */
  metadata?: { eventType: string; payload: Record<string, unknown> };
  /** Messages with the same key replace each other in place (the live status, a person's member card). */
  replaceKey?: string;
  /**
   * With `replaceKey`: only an update of a card already sent under that key (closing it, correcting its
   * deadline). When none was sent (it never reached the person), nothing is posted.
   */
  updateOnly?: boolean;
  /** A file shared with the message; a platform that cannot share files shows the message alone. */
  attachment?: MessageAttachment;
  /** A decision already recorded on this card (a request card updated in place): shown under the heading. */
  recorded?: RecordedDecision;
  /** With `recorded`: whether the buttons stay (the decision may still change). Default: they stay. */
  keepButtons?: boolean;
}

/** Who decided what and when, worded for the card's reader. */
export interface RecordedDecision {
  /** Who acted, as people know them: "Luis Mora (Costa Rica)". */
  who: string;
  /** What was recorded, in the card's language: "Apoya", "Solicita cambios; motivo: …". */
  what: string;
  /** When, already formatted in the reader's language and zone (i18n formatInstant). */
  when: string;
}

/** Where a message goes. Addresses are resolved from the live directory when the message is written. */
export type Recipient =
  | { kind: 'person'; personId: string; name: string; slack?: string; teams?: string; email?: string }
  | { kind: 'secretariat_channel'; slack?: string; teams?: string };

/** `console`: the local console (src/adapters/console), for a card clicked there and updated in place. */
export type DeliveryPlatform = 'slack' | 'teams' | 'email' | 'console' | 'unreachable';

/** Button values carry the consultation and the text version hash, compactly. */
export function buttonValue(consultationId: string, versionHash: string): string {
  return JSON.stringify({ c: consultationId, v: versionHash });
}
