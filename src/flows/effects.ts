/**
 * Effects of a decision, by their old names: who is told what (./routing.ts), how a person or the ST
 * channel is reached (./addressing.ts), and one builder per kind of message (./messages/*).
 */
export { messagesFor, reminderOutbox, openConsultationsDigestOutbox, requestCardFor, type EffectsInput } from './routing.ts';
export { secretariatAddress, secretariatAddresses, stChannelKey, personAddress, reachOf, type Addressed, type Reach } from './addressing.ts';
export { countryName, shortHash, positionButtons, troikaButtons } from './messages/common.ts';
export { digest } from './messages/digest.ts';
export { closingSummary } from './messages/result-notice.ts';
export type { ReminderTarget } from './messages/reminder.ts';
