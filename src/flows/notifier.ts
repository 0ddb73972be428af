/**
 * The Notifier port: how the deliver job (src/jobs/deliver.ts) hands one outbox message to a platform.
 * The port is the flows' side of the boundary (as ./ports.ts is for the flows' own needs); the adapters
 * implement it (the Slack, Teams, e-mail and console notifiers) and src/jobs/notifier.ts routes between them.
 *
 * A notifier sends one message and says how it went; it never touches the outbox. The deliver job
 * decides what the outcome means for the row (sent, retry later, rate-limited, dead).
 *
 * Idempotency: `item.dedupeKey` is unique forever per outbox row, and the same row is always sent with
 * the same key. A send whose outcome was lost (a timeout, a crash after the platform accepted it) is
 * retried with that key, so a platform notifier that can look the key up (Slack message metadata, a
 * Teams activity id it stored) can answer "already sent" instead of posting twice.
 */
import type { MessageAttachment } from '../messages/neutral.ts';

/** A sending scope (a Teams conversation, a tenant, Slack): paced and held back on a rate limit (src/jobs/pacing.ts). */
export interface RateScope {
  key: string;
  /** At most this many messages a second, evenly spaced. Absent: not paced, only blocked on a Retry-After. */
  perSecond?: number;
  /**
   * How many may go at once after a quiet spell (default 1: evenly spaced). With a burst b, any window of t
   * seconds holds at most b + perSecond·t messages (a token bucket: Slack's "bursts welcome").
   */
  burst?: number;
}

/** What a notifier needs of an outbox row. */
export interface DeliveryItem {
  /** Outbox row id. */
  id: string;
  /** Unique per row, forever: the idempotency key of this delivery. */
  dedupeKey: string;
  /** `slack`, `teams`, `unreachable` (no address on any platform), … */
  platform: string;
  /** Where it goes (see messages/neutral.ts `Recipient`), as stored. */
  recipient: unknown;
  /** What it is (`reminder`, `dead_letter`, …); for logs and metrics. */
  kind: string;
  /** The platform-neutral message. */
  payload: unknown;
  /** What an earlier successful send returned, when there was one (for updates in place). */
  receipt?: unknown;
  /** Attempts already made for this row: > 0 means an earlier attempt may have reached the platform. */
  attempts?: number;
}

export type SendOutcome =
  | { ok: true; receipt?: unknown }
  | {
      ok: false;
      /** The platform asked us to slow down (e.g. Slack 429 with Retry-After): try again after this long. */
      retryAfterMs?: number;
      /** Retrying cannot help (channel_not_found, user not found, no address): give up now. */
      permanent?: boolean;
      /** Short, for the outbox row's last_error and the logs. Never message text or e-mail addresses. */
      error: string;
      /**
       * Why the person cannot be reached, when the platform says so: `not_installed` (Teams: the app is not
       * installed for them, or there is no conversation with them yet). The ST's dead letter names it.
       */
      reason?: 'not_installed';
      /**
       * The click's response URL (payload `updates.responseUrl`) failed or went stale: the row's next attempt
       * must go without it (chat.update, paced as such). The deliver job drops the URL from the row and
       * runs the job again at once, no attempt used.
       */
      responseUrlUnusable?: true;
    };

export interface SendOptions {
  /** Aborted when the deliver job gives up waiting (timeout) or the worker is closing. */
  signal?: AbortSignal;
}

export interface Notifier {
  /** Sends one message. Throwing is treated like `{ ok: false, error }` (a transient failure). */
  send(item: DeliveryItem, opts?: SendOptions): Promise<SendOutcome>;
  /**
   * The sending scopes of a message, narrowest first (jobs/pacing.ts): the deliver job paces each and, on
   * a rate limit, holds back the first. Absent: one scope, the platform (`slack`, `email`, …).
   */
  scopes?(item: DeliveryItem): Promise<readonly RateScope[]>;
}

export const NO_ADDRESS = 'no address for this person on any platform';

/** A file a message names (`NeutralMessage.attachment`), rendered when the message is delivered. */
export type AttachmentFile =
  | { ok: true; filename: string; title: string; mimeType: string; bytes: Uint8Array }
  /** Not now: `permanent` when it never will be (the consultation is gone), else try again later. */
  | { ok: false; error: string; permanent?: boolean };

/** Where a notifier gets the files messages name (src/record/attachment.ts for the audit record). */
export interface AttachmentSource {
  load(attachment: MessageAttachment): Promise<AttachmentFile>;
}
/** The error of a message for a platform this process has no notifier for (e-mail off, Teams off). */
export const noNotifierFor = (platform: string): string => `no notifier configured for platform ${platform}`;
export const isNoNotifier = (error: string): boolean => error.startsWith('no notifier configured for platform ');
