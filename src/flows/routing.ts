/**
 * Who is told what: from a decision (events, state before and after, live directory) to the outbox rows
 * written in the same transaction. Pure. The wording is in ./messages/*, the addresses in ./addressing.ts.
 * Confidentiality: the text and the positions go only to Member Countries' focal points and the ST
 * channel, never to observers.
 */
import type { ConsultationEvent, ConsultationState, ParticipantFocalPoint } from '../domain/types.ts';
import type { CountryCode, Directory, Locale } from '../directory/model.ts';
import type { DeliveryPlatform, NeutralMessage, Recipient } from '../messages/neutral.ts';
import type { NewOutboxMessage } from '../store/consultation-store.ts';
import { personAddress, secretariatAddresses, stChannelKey, type Addressed } from './addressing.ts';
import { digest } from './messages/digest.ts';
import { extensionNotice } from './messages/extension-notice.ts';
import { memberRequest } from './messages/member-request.ts';
import { reminderMessage, type ReminderTarget } from './messages/reminder.ts';
import { resultNotice } from './messages/result-notice.ts';
import { status } from './messages/status.ts';
import { troikaFeedback } from './messages/troika-feedback.ts';
import { troikaRequest } from './messages/troika-request.ts';
import { closedCard, endedNote, versionNumber, when } from './messages/common.ts';
import { t } from '../i18n/index.ts';
import { weeklyDigest, type LateDuties } from './messages/weekly-digest.ts';
import { peopleById } from './people.ts';
import { recordOutboxFor } from '../record/outbox.ts';
import { pictureOutboxFor } from '../pictures/outbox.ts';

export interface EffectsInput {
  /** The state before the decision (undefined for a new consultation). */
  before: ConsultationState | undefined;
  events: readonly ConsultationEvent[];
  after: ConsultationState;
  directory: Directory;
  /**
   * The person whose own card the chat adapter updates in place with this decision (the card they clicked:
   * see ExecuteOptions.cardUpdatedFor), so the member cards of their country are not updated twice for them.
   */
  cardUpdatedFor?: string;
}

/** An outbox row for `message` to `a` (the row's kind is the message's). */
function row(dedupeKey: string, a: Addressed, message: NeutralMessage): NewOutboxMessage {
  return { dedupeKey, platform: a.platform, recipient: a.recipient, kind: message.kind, payload: message };
}

/** Focal points of the given countries, as frozen on the consultation, with their country. */
function focalPointsOf(state: ConsultationState, countries: readonly CountryCode[]): { country: CountryCode; fp: ParticipantFocalPoint }[] {
  return state.participants.members.filter((m) => countries.includes(m.code)).flatMap((m) => m.focalPoints.map((fp) => ({ country: m.code, fp })));
}

const memberCodes = (state: ConsultationState): CountryCode[] => state.participants.members.map((m) => m.code);

/** The PPT that presents the text: the Troika's author country once sent, else the PPT in office at the start. */
export const pptOf = (state: ConsultationState): CountryCode | undefined => state.troika?.authorCountry ?? state.pptCountry;

/**
 * Who had received the text when it ended (domain.md "Results"): every Member Country once it circulated;
 * only the Troika countries (the PPT included) when it never left the Troika; nobody before it was sent.
 */
export function receivedTheText(state: ConsultationState): CountryCode[] {
  if (state.circulatedAt) return memberCodes(state);
  if (state.sentToTroikaAt && state.troika) return [...state.troika.countries];
  return [];
}

/**
 * Outbox messages for one decision. Dedupe keys name the event's sequence number, so none repeats.
 *  - sent to the Troika or revised under review → a Troika request to every non-author Troika focal point;
 *  - a Troika request for changes → the PPT's focal points and every ST channel, at once, with the reason;
 *  - the member stage opens → a member card to every Member Country focal point (replaced in place later);
 *  - a position recorded → the member card of every other focal point of that country, updated in place
 *    to say who answered what (and the answerer's own card too, unless the adapter updates it itself);
 *  - an extension → every Member Country focal point;
 *  - the end → the digest (and the record) to every ST channel and the result to everyone who had received the text
 *    (receivedTheText): the Troika and the ST only when it never circulated;
 *  - after each decision, the live status for every ST channel and for each focal point of the PPT.
 * "Every ST channel": each one the directory names (secretariatAddresses), with the same message: the
 * wording depends only on the ST's language and zone, the same for all of them.
 */
export function messagesFor(input: EffectsInput): NewOutboxMessage[] {
  const { before, events, after, directory } = input;
  if (events.length === 0) return [];
  const live = peopleById(directory);
  // Every ST channel the directory names gets the same messages (Slack, Teams or both).
  const sts = secretariatAddresses(directory);
  const st = sts[0]!;
  const out: NewOutboxMessage[] = [];
  const baseSeq = before?.version ?? 0;
  const push = (seq: number, a: Addressed, message: NeutralMessage, tag?: string) =>
    out.push(row(`${after.consultationId}:${seq}:${message.kind}${tag ? `:${tag}` : ''}:${a.key}`, a, message));
  const clicker = input.cardUpdatedFor;
  // The Troika cards of a state's current version, closed in place with `note` (not the clicker's: the
  // adapter updates the card they clicked).
  const closeTroikaCards = (seq: number, state: ConsultationState, note: (a: Addressed) => string) => {
    if (!state.troika || !state.sentToTroikaAt) return;
    const troika = state.troika;
    const revisedText = versionNumber(state) > 1;
    for (const { country, fp } of focalPointsOf(state, troika.countries.filter((c) => c !== troika.authorCountry))) {
      if (fp.personId === clicker) continue;
      const a = personAddress(fp, live);
      push(seq, a, closedCard(troikaRequest(state, a, directory, revisedText, { personId: fp.personId, country }), note(a)), 'closed');
    }
  };
  const ppt = pptOf(after);
  const pptFocalPoints = ppt ? focalPointsOf(after, [ppt]) : [];

  // The Troika is asked (again) once per decision that sent or revised the text under Troika review.
  const asking = events.findLastIndex((e) => e.type === 'sent_to_troika' || e.type === 'text_revised');
  if (asking >= 0 && after.stage === 'troika_review' && after.troika) {
    const troika = after.troika;
    const revised = events[asking]?.type === 'text_revised';
    const ask = troika.countries.filter((c) => c !== troika.authorCountry);
    for (const { fp } of focalPointsOf(after, ask)) {
      const a = personAddress(fp, live);
      push(baseSeq + asking + 1, a, troikaRequest(after, a, directory, revised, { personId: fp.personId }));
    }
    // The cards of the version replaced take no more decisions: they say so, and where to answer.
    const old = before;
    if (revised && old?.stage === 'troika_review' && old.currentVersion !== after.currentVersion) {
      const at = events[asking]!.at;
      closeTroikaCards(baseSeq + asking + 1, old, (a) => t(a.locale, 'card.closed.replaced', { version: versionNumber(after), when: when(at, a) }));
    }
  }

  events.forEach((event, i) => {
    const seq = baseSeq + i + 1;
    switch (event.type) {
      case 'troika_reacted':
        // The country's other focal points see on their card who decided what (while the review goes on).
        if (after.stage === 'troika_review' && event.country !== after.troika?.authorCountry) {
          for (const { fp } of focalPointsOf(after, [event.country])) {
            if (fp.personId === clicker) continue;
            const a = personAddress(fp, live);
            // In place on chat; by e-mail (no card to update) a new e-mail saying who decided what, so the
            // person a link was for also hears of an answer given with it (SECURITY.md "Answer links").
            const card = troikaRequest(after, a, directory, versionNumber(after) > 1, { personId: fp.personId, country: event.country });
            push(seq, a, a.platform === 'email' ? card : { ...card, updateOnly: true });
          }
        }
        if (event.reaction === 'request_changes') {
          for (const { fp } of pptFocalPoints) {
            const a = personAddress(fp, live);
            push(seq, a, troikaFeedback(after, a, event, directory));
          }
          const feedback = troikaFeedback(after, st, event, directory);
          for (const a of sts) push(seq, a, feedback);
        }
        break;
      case 'member_consultation_opened':
        closeTroikaCards(seq, after, (a) => t(a.locale, 'card.closed.circulated', { when: when(event.at, a) }));
        for (const { country, fp } of focalPointsOf(after, memberCodes(after))) {
          const a = personAddress(fp, live);
          push(seq, a, memberRequest(after, a, country, directory, fp.personId));
        }
        break;
      case 'position_recorded':
        for (const { fp } of focalPointsOf(after, [event.country])) {
          if (fp.personId === input.cardUpdatedFor) continue;
          const a = personAddress(fp, live);
          push(seq, a, memberRequest(after, a, event.country, directory, fp.personId));
        }
        break;
      case 'deadline_extended':
        for (const { fp } of focalPointsOf(after, memberCodes(after))) {
          const a = personAddress(fp, live);
          push(seq, a, extensionNotice(after, a, event.justification));
        }
        // Every member card sent shows the new deadline.
        for (const { country, fp } of focalPointsOf(after, memberCodes(after))) {
          const a = personAddress(fp, live);
          push(seq, a, { ...memberRequest(after, a, country, directory, fp.personId), updateOnly: true }, 'deadline');
        }
        break;
      case 'consultation_closed':
      case 'consultation_not_endorsed':
      case 'consultation_withdrawn': {
        // Every request card still open takes no more answers: it says so, without its buttons.
        if (after.circulatedAt) {
          for (const { country, fp } of focalPointsOf(after, memberCodes(after))) {
            if (fp.personId === clicker) continue;
            const a = personAddress(fp, live);
            push(seq, a, closedCard(memberRequest(after, a, country, directory, fp.personId), endedNote(after, a, event.at)), 'closed');
          }
        } else {
          closeTroikaCards(seq, after, (a) => endedNote(after, a, event.at));
        }
        // The digest, identical on every ST channel, each followed by the audit record as a PDF (a platform
        // that cannot share the file shows its words), in the same transaction.
        const digestMessage = digest(after, st, directory);
        for (const a of sts) {
          push(seq, a, digestMessage);
          const record = recordOutboxFor(after, directory, seq, a);
          if (record) out.push(record);
          // …and next to it the status matrix and timeline as a PNG (src/pictures/outbox.ts; Slack only).
          const picture = pictureOutboxFor(after, directory, seq, a);
          if (picture) out.push(picture);
        }
        for (const { country, fp } of focalPointsOf(after, receivedTheText(after))) {
          const a = personAddress(fp, live);
          const member = after.circulatedAt ? { country } : {};
          push(seq, a, resultNotice(after, { ...a, ...member, author: country === ppt }, directory));
        }
        break;
      }
      default:
        break;
    }
  });
  // One live status update per decision, after everything else: the ST channel's, and each PPT focal point's.
  const last = baseSeq + events.length;
  const stStatus = status(after, st, directory);
  for (const a of sts) push(last, a, stStatus);
  for (const { fp } of pptFocalPoints) {
    const a = personAddress(fp, live);
    push(last, a, status(after, a, directory, fp.personId));
  }
  return out;
}

// ------------------------------------------------------------------- reminders and the weekly digest

/**
 * A reminder for one focal point as an outbox row (kind `reminder`), addressed from the live directory,
 * in the person's language and zone. Undefined when the person is not a frozen focal point of `country`.
 */
export function reminderOutbox(
  state: ConsultationState,
  directory: Directory,
  target: ReminderTarget,
  dedupeKey: string,
): NewOutboxMessage | undefined {
  const fp = state.participants.members.find((m) => m.code === target.country)?.focalPoints.find((f) => f.personId === target.personId);
  if (!fp) return undefined;
  // The PPT's country approves its own text as its author: its focal points never get Troika buttons.
  if (target.audience === 'troika' && target.country === pptOf(state)) return undefined;
  const a = personAddress(fp, peopleById(directory));
  return row(dedupeKey, a, reminderMessage(state, a, target, directory));
}

/**
 * The weekly digest of open consultations (kind `weekly_digest`; messages/weekly-digest.ts): one row per
 * ST channel named (secretariatAddresses), the same message in each; dedupe keys `dedupeKey` (Slack, as
 * when it went to one channel) and `dedupeKey:teams` (stChannelKey).
 */
export function openConsultationsDigestOutbox(
  states: readonly ConsultationState[],
  directory: Directory,
  week: string,
  dedupeKey: string,
  late?: LateDuties,
): NewOutboxMessage[] {
  const sts = secretariatAddresses(directory);
  // The wording depends only on the ST's language and zone, the same for every channel.
  const message = weeklyDigest(states, sts[0]!, directory, week, late);
  return sts.map((st) => row(stChannelKey(dedupeKey, st), st, message));
}

// ------------------------------------------------------------------- a card rebuilt for one person

/**
 * The request card a focal point was sent — the Troika's (`troika_request`) or a Member Country's
 * (`member_request`) — rebuilt on `state` for that person (their language, zone and address), so a chat
 * adapter can update the card in place after the person decided. Undefined when the person is not a
 * frozen focal point of the consultation.
 */
export function requestCardFor(
  state: ConsultationState,
  directory: Directory,
  personId: string,
  kind: 'troika_request' | 'member_request',
): { message: NeutralMessage; recipient: Recipient; platform: DeliveryPlatform; locale: Locale; timezone: string } | undefined {
  for (const m of state.participants.members) {
    const fp = m.focalPoints.find((f) => f.personId === personId);
    if (!fp) continue;
    const a = personAddress(fp, peopleById(directory));
    const message = kind === 'troika_request' ? troikaRequest(state, a, directory, false) : memberRequest(state, a, m.code, directory, personId);
    return { message, recipient: a.recipient, platform: a.platform, locale: a.locale, timezone: a.timezone };
  }
  return undefined;
}
