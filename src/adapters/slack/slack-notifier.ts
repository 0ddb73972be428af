/**
 * The Slack notifier: the deliver job's Notifier (src/flows/notifier.ts) for `platform: 'slack'`.
 *
 *   const client = createSlackWebClient({ token: config.slack.botToken, apiUrl: config.slack.apiUrl });
 *   const notifier = new SlackNotifier({ client, logger });
 *   await notifier.send(item)   // → { ok: true, receipt: { channel, ts } } | { ok: false, … }
 *
 * What a send does:
 *   - a person → `conversations.open({ users })` (the DM channel id is cached per user), then
 *     `chat.postMessage({ channel, text, blocks, metadata })`;
 *   - the secretariat channel → `chat.postMessage({ channel })`; the digest carries its metadata exactly
 *     as interfaces.md says (`crm_consultation_closed`, `{ reference, outcome, positions }`);
 *   - update in place: when the item carries a `receipt` `{ channel, ts }` (the port's "what an earlier
 *     send returned, for updates in place"), or when the message has a `replaceKey` (the ST live status)
 *     whose last receipt this process remembers, → `chat.update`. If that message is gone or can no longer
 *     be edited, a new one is posted. The receipt returned is `{ channel, ts }`;
 *   - a message naming a file (`attachment`, the audit record after the digest) with an `attachments`
 *     source → the file is rendered now and shared in the channel with the message's words as its comment
 *     (slack-files.ts: files.getUploadURLExternal, upload, files.completeUploadExternal); receipt
 *     `{ channel, file }`. A file not ready yet (the record waits for its digest) is a transient failure.
 *
 * Idempotency. chat.postMessage has no idempotency key. Every message we post carries metadata naming
 * its outbox row: `event_type: crm_outbox`, `event_payload: { crm_outbox_key }` where the key is a SHA-256
 * of the row's dedupeKey (dedupe keys contain a person id, i.e. an e-mail address, and message metadata
 * is readable by any app in the workspace). The digest keeps its exact metadata and is recognised by it.
 * Before posting again after a possibly-accepted failure — `item.attempts > 0` when the caller passes it,
 * or a timeout/network/5xx failure of this key seen by this process — the notifier reads the last 20
 * messages of the channel (`conversations.history`, `include_all_metadata: true`) and, if the message is
 * there, answers "sent" with its receipt instead of posting twice.
 *
 * Errors (Slack Web API): HTTP 429 / `ratelimited` → `{ retryAfterMs }` from Retry-After; recipient errors
 * (`channel_not_found`, `user_not_found`, `not_in_channel`, `is_archived`, `cannot_dm_bot`,
 * `user_disabled`, …) and payload errors (`invalid_blocks`, `msg_too_long`, …) → permanent; network
 * errors, timeouts, HTTP 5xx, `internal_error`, `fatal_error` and unknown codes → transient. Token and
 * scope errors (`invalid_auth`, `not_authed`, `token_revoked`, `account_inactive` — the *token's* account —,
 * `missing_scope`) are transient on purpose: they hit every message and an operator can fix them, so
 * they should not send the whole outbox to the dead letters; they are logged at error level.
 * The WebClient must not retry on its own (our deliver job owns retries): see createSlackWebClient.
 *
 * The clicker's own card: a `card_update` row whose `updates` carries the click's `responseUrl` (and `at`,
 * when it was clicked) is updated through that URL (`replace_original: true`, its blocks and text) while it
 * is fresh (Slack keeps one 30 minutes, 5 uses; we use it for 25): it has no rate limit of its own beyond
 * those uses, so a person's answer shows at once whatever the ST channel's traffic. The URL must be Slack's
 * (`https://hooks.slack.com/…`, or an origin named in `responseUrlOrigins`: the local fakes) or it is not
 * used; it is never logged and our token is never sent to it. Stale, refused or failed → chat.update.
 *
 * Rate scopes (`scopes`, shared by every worker through the deliver job's pacing), after Slack's published
 * limits: chat.postMessage about 1 a second per channel (a burst of 2); chat.update Tier 3 per workspace
 * (a scope of its own, not paced ahead: Tier 3 welcomes bursts; its 429 holds every worker back); a message that replaces itself in place (the ST
 * live status, a member card) at most once per 2 s (with the deliver job's coalescing, a burst of changes
 * gives one update per interval, the latest); the response URL unpaced. A 429 holds the first scope
 * named: the method's workspace scope (chat.update, chat.postMessage; Slack's 429 does not say whether the
 * channel's or the workspace's limit was hit).
 */
import { createHash } from 'node:crypto';
import { webApi } from '@slack/bolt';
import { z } from 'zod';
import { neutralMessageSchema } from '../../messages/neutral-schema.ts';
import type { AttachmentSource, DeliveryItem, Notifier, RateScope, SendOptions, SendOutcome } from '../../flows/notifier.ts';
import type { Logger } from '../../log.ts';
import type { MessageAttachment, MessageKind, NeutralMessage } from '../../messages/neutral.ts';
import { escapeMrkdwn, renderMessage, renderRecordedCard, type SlackMessage } from './render.ts';
import { findSharedFile, shareFile, SlackUploadError } from './slack-files.ts';

/** What the notifier needs of a WebClient (`WebClient.apiCall`); easy to fake. */
export interface SlackApiClient {
  apiCall(method: string, options?: Record<string, unknown>): Promise<{ ok?: boolean; error?: string }>;
}

/** A Web API answer, read field by field (everything beyond `ok`/`error` is checked before use). */
type ApiResult = { ok?: boolean; error?: string } & Record<string, unknown>;

export interface SlackReceipt {
  channel: string;
  ts: string;
}

const receiptSchema = z.object({ channel: z.string().min(1), ts: z.string().regex(/^\d+\.\d+$/) });

/** A stored receipt (unknown JSON) as `{ channel, ts }`, or undefined. */
export function parseSlackReceipt(receipt: unknown): SlackReceipt | undefined {
  const p = receiptSchema.safeParse(receipt);
  return p.success ? { channel: p.data.channel, ts: p.data.ts } : undefined;
}

/** Metadata event type of every message the notifier posts (except the digest, which has its own). */
export const OUTBOX_EVENT_TYPE = 'crm_outbox';

/** The value of `event_payload.crm_outbox_key` for an outbox dedupe key. */
export function outboxKeyHash(dedupeKey: string): string {
  return createHash('sha256').update(dedupeKey).digest('hex').slice(0, 32);
}

// ---------------------------------------------------------------------------------------------------
// WebClient
// ---------------------------------------------------------------------------------------------------

export interface SlackWebClientOptions {
  token: string;
  /** config SLACK_API_URL; ends in /api/. Default https://slack.com/api/. */
  apiUrl?: string;
  /** Per-request timeout (default 10 s). A timeout is an ambiguous failure (see idempotency above). */
  timeoutMs?: number;
  logger?: Logger;
}

/**
 * A WebClient for the notifier and the Bolt app: our base URL, no retries of its own (`retries: 0`) and
 * rate-limited calls rejected at once (`rejectRateLimitedCalls`) so a 429 comes back to the deliver job
 * with its Retry-After instead of blocking a worker.
 */
export function createSlackWebClient(options: SlackWebClientOptions): webApi.WebClient {
  return new webApi.WebClient(options.token, {
    slackApiUrl: options.apiUrl ?? 'https://slack.com/api/',
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: options.timeoutMs ?? 10_000,
    ...(options.logger ? { logger: slackLogger(options.logger) } : { logLevel: webApi.LogLevel.ERROR }),
  });
}

/** pino behind @slack/logger's interface (the WebClient and Bolt log their own lines through it). */
export function slackLogger(logger: Logger): webApi.Logger {
  const log = logger.child({ component: 'slack-web-api' });
  let level = webApi.LogLevel.WARN;
  const order = [webApi.LogLevel.DEBUG, webApi.LogLevel.INFO, webApi.LogLevel.WARN, webApi.LogLevel.ERROR];
  const on = (l: webApi.LogLevel) => order.indexOf(l) >= order.indexOf(level);
  const text = (msg: unknown[]) => msg.map((m) => (typeof m === 'string' ? m : JSON.stringify(m))).join(' ');
  return {
    debug: (...msg: unknown[]) => void (on(webApi.LogLevel.DEBUG) && log.debug(text(msg))),
    info: (...msg: unknown[]) => void (on(webApi.LogLevel.INFO) && log.info(text(msg))),
    warn: (...msg: unknown[]) => void (on(webApi.LogLevel.WARN) && log.warn(text(msg))),
    error: (...msg: unknown[]) => void (on(webApi.LogLevel.ERROR) && log.error(text(msg))),
    setLevel: (l: webApi.LogLevel) => void (level = l),
    getLevel: () => level,
    setName: () => undefined,
  };
}

// ---------------------------------------------------------------------------------------------------
// Error classification
// ---------------------------------------------------------------------------------------------------

const PERMANENT_CODES = new Set([
  // the recipient
  'channel_not_found',
  'user_not_found',
  'users_not_found',
  'not_in_channel',
  'is_archived',
  'channel_is_archived',
  'cannot_dm_bot',
  'user_disabled',
  'restricted_action',
  'messages_tab_disabled',
  'ekm_access_denied',
  'team_access_not_granted',
  // the payload
  'invalid_blocks',
  'invalid_blocks_format',
  'invalid_metadata_format',
  'invalid_metadata_schema',
  'metadata_too_large',
  'msg_too_long',
  'no_text',
  'too_many_attachments',
  'invalid_arguments',
  'invalid_arg_name',
  'not_allowed_token_type',
]);

/** Fixable by an operator, affects every message: retried, logged loudly. */
const CONFIG_CODES = new Set(['invalid_auth', 'not_authed', 'token_revoked', 'token_expired', 'account_inactive', 'missing_scope', 'no_permission', 'org_login_required', 'access_denied']);

/** The message to update is gone or frozen: post a new one instead. */
const CANNOT_UPDATE = new Set(['message_not_found', 'cant_update_message', 'edit_window_closed', 'channel_not_found', 'is_archived']);

interface Classified {
  outcome: Extract<SendOutcome, { ok: false }>;
  /** Slack may have acted on the request (timeout, network, 5xx): check before posting again. */
  ambiguous: boolean;
  config: boolean;
  code: string;
}

class SlackCallError extends Error {
  constructor(
    readonly code: string,
    readonly retryAfterSec?: number,
  ) {
    super(code);
  }
}

function platformCode(e: unknown): string | undefined {
  if (e instanceof SlackCallError) return e.code;
  const err = e as { code?: unknown; data?: { error?: unknown } };
  if (err?.code === 'slack_webapi_platform_error' && typeof err.data?.error === 'string') return err.data.error;
  return undefined;
}

export function classifySlackError(e: unknown): Classified {
  if (e instanceof SlackUploadError) return { outcome: { ok: false, error: e.message }, ambiguous: false, config: false, code: e.message };
  const err = e as {
    code?: unknown;
    retryAfter?: unknown;
    statusCode?: unknown;
    original?: { code?: unknown; name?: unknown; message?: unknown };
    data?: { response_metadata?: { retryAfter?: unknown } };
  };
  if (err?.code === 'slack_webapi_rate_limited_error') {
    const sec = typeof err.retryAfter === 'number' ? err.retryAfter : 30;
    return { outcome: { ok: false, retryAfterMs: sec * 1000, error: 'slack:ratelimited' }, ambiguous: false, config: false, code: 'ratelimited' };
  }
  const code = platformCode(e);
  if (code) {
    const retryAfter = e instanceof SlackCallError ? e.retryAfterSec : err.data?.response_metadata?.retryAfter;
    if (code === 'ratelimited' || code === 'rate_limited' || code === 'message_limit_exceeded') {
      const sec = typeof retryAfter === 'number' ? retryAfter : 30;
      return { outcome: { ok: false, retryAfterMs: sec * 1000, error: `slack:${code}` }, ambiguous: false, config: false, code };
    }
    if (PERMANENT_CODES.has(code)) return { outcome: { ok: false, permanent: true, error: `slack:${code}` }, ambiguous: false, config: false, code };
    return { outcome: { ok: false, error: `slack:${code}` }, ambiguous: false, config: CONFIG_CODES.has(code), code };
  }
  if (err?.code === 'slack_webapi_http_error') {
    const status = typeof err.statusCode === 'number' ? err.statusCode : 0;
    return { outcome: { ok: false, error: `slack:http_${status}` }, ambiguous: status >= 500, config: false, code: `http_${status}` };
  }
  if (err?.code === 'slack_webapi_request_error') {
    const o = err.original;
    const what = typeof o?.code === 'string' ? o.code : typeof o?.name === 'string' ? o.name : 'request_error';
    return { outcome: { ok: false, error: `slack:network:${what}` }, ambiguous: true, config: false, code: what };
  }
  const name = e instanceof Error ? e.name : 'unknown';
  return { outcome: { ok: false, error: `slack:unexpected:${name}` }, ambiguous: true, config: false, code: name };
}

// ---------------------------------------------------------------------------------------------------
// Input shapes (the outbox row is stored JSON: parse it)
// ---------------------------------------------------------------------------------------------------

const recipientSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('person'), personId: z.string(), slack: z.string().regex(/^[UW][A-Z0-9]{2,}$/).optional() }),
  z.object({ kind: z.literal('secretariat_channel'), slack: z.string().regex(/^[CGD][A-Z0-9]{2,}$/).optional() }),
]);


const attachmentSchema = z.object({
  attachment: z.union([
    z.object({
      kind: z.literal('consultation_record'),
      consultationId: z.string().min(1),
      reference: z.string().min(1),
      format: z.literal('pdf'),
      filename: z.string().regex(/^[\w.-]{1,200}$/),
    }),
    // The status matrix and timeline as a PNG (src/pictures/attachment.ts).
    z.object({
      kind: z.literal('consultation_picture'),
      consultationId: z.string().min(1),
      reference: z.string().min(1),
      format: z.literal('png'),
      locale: z.enum(['es', 'en']),
      filename: z.string().regex(/^[\w.-]{1,200}$/),
    }),
    // A meeting's calendar file (src/jobs/meeting-attachments.ts).
    z.object({
      kind: z.literal('meeting_calendar'),
      meetingId: z.string().min(1),
      reference: z.string().min(1),
      format: z.literal('ics'),
      locale: z.enum(['es', 'en']),
      filename: z.string().regex(/^[\w.-]{1,200}$/),
    }),
  ]),
});

/**
 * A card updated in place after a decision (outbox kind `card_update`, written by the Slack adapter with
 * the decision): the neutral card plus who did what and when, whether its buttons stay, and the message to
 * update (`updates`: the `{ channel, ts }` of the card the person clicked). See CardUpdatePayload.
 */
const cardUpdateSchema = z.object({
  recorded: z.object({ who: z.string(), what: z.string(), when: z.string() }).optional(),
  keepButtons: z.boolean().optional(),
  updates: z.unknown().optional(),
});

/** The click's response URL in a card update's `updates` (`responseUrl`, and `at`: when it was clicked, epoch ms). */
const responseUrlSchema = z.object({ responseUrl: z.string().min(1).max(2000), at: z.number().finite() });

/** Slack keeps a response URL 30 minutes; we stop using it a little before. */
export const RESPONSE_URL_TTL_MS = 25 * 60_000;

/** Slack's rate limits as the notifier paces them (see the header). */
export const SLACK_RATES = {
  postPerChannel: { perSecond: 1, burst: 2 },
  /**
   * chat.update is Tier 3 ("50+ per minute", "sporadic bursts welcome"): not paced ahead of time (pacing it at
   * 50 a minute held every co-focal card and status for minutes after a burst of clicks); a 429 holds back
   * chat.update for the whole workspace, every worker, for its Retry-After. Coalescing and the per-message
   * interval below keep the ST status to one update per interval.
   */
  update: {},
  /** One message replaced in place (the ST live status): at most one update per this many ms. */
  sameMessageIntervalMs: 2_000,
} as const;

/**
 * The origins a response URL may have: Slack's hooks, plus the origin of `SLACK_API_URL` when it is not
 * Slack's own (the local fakes hand out response URLs on their own origin).
 */
export function responseUrlOrigins(apiUrl?: string): string[] {
  const origins = ['https://hooks.slack.com'];
  if (!apiUrl) return origins;
  try {
    const o = new URL(apiUrl).origin;
    if (o !== 'https://slack.com' && !origins.includes(o)) origins.push(o);
  } catch {
    /* not a URL: Slack's only */
  }
  return origins;
}

/** A response URL that may be used: parses, has no credentials, is https on Slack's hooks or an allowed origin. */
export function usableResponseUrl(raw: string, origins: readonly string[]): URL | undefined {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return undefined;
  }
  if (u.username || u.password) return undefined;
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return undefined;
  if (!origins.includes(u.origin)) return undefined;
  if (u.origin === 'https://hooks.slack.com' && !u.pathname.startsWith('/actions/')) return undefined;
  return u;
}

/** The payload of a `card_update` outbox row: a neutral message and the three fields above. */
export type CardUpdatePayload = NeutralMessage & {
  recorded: NonNullable<NeutralMessage['recorded']>;
  keepButtons: boolean;
  updates: SlackReceipt;
};

/** Outbox kind of a card updated in place. */
export const CARD_UPDATE_KIND = 'card_update' satisfies MessageKind;

/** The port's item, plus what the deliver job may add: how many attempts the row has had. */
export type SlackDeliveryItem = DeliveryItem & { attempts?: number };

export interface SlackNotifierOptions {
  client: SlackApiClient;
  logger: Logger;
  /** Messages read back when checking for an earlier post (default 20). */
  historyLimit?: number;
  /**
   * Where the files messages name come from (the audit record: src/record/attachment.ts). Without it, a
   * message with an attachment is posted as text alone (its words name the CLI command for the file).
   */
  attachments?: AttachmentSource;
  /** Origins a click's response URL may have (responseUrlOrigins; default Slack's hooks only). */
  responseUrlOrigins?: readonly string[];
  /** How a response URL is called (default global fetch); tests pass their own. */
  fetch?: typeof fetch;
  /** Per-call timeout of a response URL (default 5 s; then chat.update). */
  responseUrlTimeoutMs?: number;
  now?: () => number;
}

type Metadata = NonNullable<SlackMessage['metadata']>;

function stable(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stable((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

export class SlackNotifier implements Notifier {
  private readonly client: SlackApiClient;
  private readonly log: Logger;
  private readonly historyLimit: number;
  private readonly attachments: AttachmentSource | undefined;
  /** Slack user id → DM channel id (stable for a user and the bot). */
  private readonly dmChannels = new Map<string, string>();
  /** replaceKey → last receipt, for a message whose caller did not pass the receipt. */
  private readonly lastByReplaceKey = new Map<string, SlackReceipt>();
  /** Dedupe keys whose last attempt may have been accepted by Slack. */
  private readonly ambiguous = new Set<string>();
  /** Rows whose click response URL failed here: sent without it (chat.update, paced as such) from now on. */
  private readonly unusableUrls = new Set<string>();

  private readonly origins: readonly string[];
  private readonly fetchFn: typeof fetch;
  private readonly responseUrlTimeoutMs: number;
  private readonly now: () => number;

  constructor(options: SlackNotifierOptions) {
    this.origins = options.responseUrlOrigins ?? responseUrlOrigins();
    this.fetchFn = options.fetch ?? ((...a) => fetch(...a));
    this.responseUrlTimeoutMs = options.responseUrlTimeoutMs ?? 5_000;
    this.now = options.now ?? Date.now;
    this.client = options.client;
    this.log = options.logger.child({ adapter: 'slack' });
    this.historyLimit = options.historyLimit ?? 20;
    this.attachments = options.attachments;
  }

  async send(item: SlackDeliveryItem, opts: SendOptions = {}): Promise<SendOutcome> {
    const log = this.log.child({ outboxId: item.id, kind: item.kind });
    if (item.platform !== 'slack') return { ok: false, permanent: true, error: `not a Slack delivery (${item.platform})` };
    const recipient = recipientSchema.safeParse(item.recipient);
    if (!recipient.success || !recipient.data.slack) return { ok: false, permanent: true, error: 'no Slack address for this recipient' };
    const parsed = neutralMessageSchema.safeParse(item.payload);
    if (!parsed.success) return { ok: false, permanent: true, error: 'payload is not a neutral message' };
    const message = parsed.data as NeutralMessage;
    const attached = attachmentSchema.safeParse(item.payload);
    if (attached.success && this.attachments) {
      return this.sendFile(item, message, attached.data.attachment, recipient.data, this.attachments, log, opts);
    }
    const card = cardUpdateSchema.safeParse(item.payload);
    const recorded = card.success ? card.data.recorded : undefined;
    let rendered: SlackMessage;
    try {
      rendered = recorded
        ? renderRecordedCard(message, recorded, card.success && card.data.keepButtons !== undefined ? { keepButtons: card.data.keepButtons } : {})
        : renderMessage(message);
    } catch (e) {
      log.error({ err: e }, 'slack: message cannot be rendered');
      return { ok: false, permanent: true, error: `render: ${e instanceof Error ? e.message : 'failed'}` };
    }
    const key = outboxKeyHash(item.dedupeKey);
    const metadata: Metadata = rendered.metadata ?? { event_type: OUTBOX_EVENT_TYPE, event_payload: { crm_outbox_key: key } };
    const content = { text: rendered.text, blocks: rendered.blocks, metadata };

    try {
      if (opts.signal?.aborted) return { ok: false, error: 'aborted' };
      // The clicker's own card, through the click's response URL while it is fresh.
      const hook = card.success && !this.unusableUrls.has(item.dedupeKey) ? this.freshResponseUrl(card.data.updates) : undefined;
      const clicked = card.success ? parseSlackReceipt(card.data.updates) : undefined;
      if (hook && clicked) {
        if (await this.respond(hook, rendered, log, opts.signal)) return this.sent(item, message, clicked, log, 'updated through the response URL');
        if (opts.signal?.aborted) return { ok: false, error: 'aborted' };
        // Not chat.update now: this attempt was paced as the (unpaced) response URL. The next one, without
        // the URL, is paced as chat.update (scopes) and a 429 from it holds back chat.update's scope.
        if (this.unusableUrls.size >= 10_000) this.unusableUrls.clear();
        this.unusableUrls.add(item.dedupeKey);
        return { ok: false, error: 'slack: response URL unusable; next via chat.update', responseUrlUnusable: true };
      }
      const previous =
        parseSlackReceipt(item.receipt) ??
        (card.success ? parseSlackReceipt(card.data.updates) : undefined) ??
        (message.replaceKey ? this.lastByReplaceKey.get(message.replaceKey) : undefined);
      if (previous) {
        const updated = await this.update(previous, content, log);
        if (updated) return this.sent(item, message, updated, log, 'updated');
      }
      const channel = recipient.data.kind === 'person' ? await this.dmChannel(recipient.data.slack) : recipient.data.slack;
      if ((item.attempts ?? 0) > 0 || this.ambiguous.has(item.dedupeKey)) {
        const found = await this.findPosted(channel, metadata, log);
        if (found) return this.sent(item, message, found, log, 'found already posted');
      }
      if (opts.signal?.aborted) return { ok: false, error: 'aborted' };
      const res = await this.call('chat.postMessage', { channel, ...content, unfurl_links: false, unfurl_media: false });
      const ts = typeof res.ts === 'string' ? res.ts : undefined;
      if (!ts) return { ok: false, error: 'slack: chat.postMessage answered without ts' };
      return this.sent(item, message, { channel: typeof res.channel === 'string' ? res.channel : channel, ts }, log, 'posted');
    } catch (e) {
      const c = classifySlackError(e);
      if (c.ambiguous) this.ambiguous.add(item.dedupeKey);
      const fields = { error: c.outcome.error, permanent: c.outcome.permanent ?? false, retryAfterMs: c.outcome.retryAfterMs };
      if (c.config) log.error(fields, 'slack: token or scope problem; fix the Slack configuration');
      else log.warn(fields, 'slack: send failed');
      return c.outcome;
    }
  }

  /**
   * A message that shares a file (slack-files.ts): the file is rendered now, uploaded, then shared in the
   * channel with the message's words as its comment. The receipt is `{ channel, file }`.
   */
  private async sendFile(
    item: SlackDeliveryItem,
    message: NeutralMessage,
    attachment: MessageAttachment,
    recipient: { kind: 'person' | 'secretariat_channel'; slack?: string | undefined },
    source: AttachmentSource,
    log: Logger,
    opts: SendOptions,
  ): Promise<SendOutcome> {
    try {
      const channel = recipient.kind === 'person' ? await this.dmChannel(recipient.slack!) : recipient.slack!;
      if ((item.attempts ?? 0) > 0 || this.ambiguous.has(item.dedupeKey)) {
        const history = await this.call('conversations.history', { channel, limit: this.historyLimit });
        const found = findSharedFile(history.messages, attachment.filename);
        if (found) return this.fileSent(item, { channel, file: found }, log, 'file found already shared');
      }
      const file = await source.load(attachment);
      if (!file.ok) {
        log.info({ error: file.error, permanent: file.permanent ?? false }, 'slack: file not ready');
        return { ok: false, error: file.error, ...(file.permanent ? { permanent: true } : {}) };
      }
      if (opts.signal?.aborted) return { ok: false, error: 'aborted' };
      const comment = [`*${escapeMrkdwn(message.heading)}*`, ...message.body.map(escapeMrkdwn)].join('\n');
      const { fileId } = await shareFile(
        (method, args) => this.call(method, args),
        { channel, filename: file.filename, title: file.title, mimeType: file.mimeType, bytes: file.bytes, comment },
        opts.signal,
      );
      return this.fileSent(item, { channel, file: fileId }, log, 'file shared');
    } catch (e) {
      const c = classifySlackError(e);
      if (c.ambiguous) this.ambiguous.add(item.dedupeKey);
      if (c.config) log.error({ error: c.outcome.error }, 'slack: token or scope problem (files:write?); fix the Slack configuration');
      else log.warn({ error: c.outcome.error, permanent: c.outcome.permanent ?? false }, 'slack: file share failed');
      return c.outcome;
    }
  }

  private fileSent(item: DeliveryItem, receipt: { channel: string; file: string }, log: Logger, how: string): SendOutcome {
    this.ambiguous.delete(item.dedupeKey);
    log.debug(receipt, `slack: ${how}`);
    return { ok: true, receipt };
  }

  private sent(item: DeliveryItem, message: NeutralMessage, receipt: SlackReceipt, log: Logger, how: string): SendOutcome {
    this.ambiguous.delete(item.dedupeKey);
    this.unusableUrls.delete(item.dedupeKey);
    if (message.replaceKey) this.lastByReplaceKey.set(message.replaceKey, receipt);
    log.debug({ channel: receipt.channel, ts: receipt.ts }, `slack: ${how}`);
    return { ok: true, receipt };
  }

  /**
   * The message's rate scopes, by what send will call (see the header): the response URL, chat.update, or
   * chat.postMessage in its channel. Never fails (an unparsable row: the platform's scope).
   */
  async scopes(item: DeliveryItem): Promise<readonly RateScope[]> {
    const recipient = recipientSchema.safeParse(item.recipient);
    if (!recipient.success || !recipient.data.slack) return [{ key: 'slack' }];
    const card = cardUpdateSchema.safeParse(item.payload);
    if (card.success && !this.unusableUrls.has(item.dedupeKey) && this.freshResponseUrl(card.data.updates) && parseSlackReceipt(card.data.updates)) return [{ key: 'slack:response_url' }];
    const replaceKey = (item.payload as { replaceKey?: unknown } | null)?.replaceKey;
    const previous =
      parseSlackReceipt(item.receipt) ?? (card.success ? parseSlackReceipt(card.data.updates) : undefined) ?? (typeof replaceKey === 'string' ? this.lastByReplaceKey.get(replaceKey) : undefined);
    if (previous) {
      const update: RateScope = { key: 'slack:chat.update', ...SLACK_RATES.update };
      if (typeof replaceKey !== 'string') return [update];
      return [update, { key: `slack:message:${previous.channel}:${previous.ts}`, perSecond: 1000 / SLACK_RATES.sameMessageIntervalMs }];
    }
    // chat.postMessage also has a workspace-wide limit, and a 429 does not say which one it hit: the
    // workspace scope comes first, so a 429 holds back every post (as the one `slack` scope did), not only
    // this channel's, which would let every other channel's post keep hitting the workspace limit.
    return [{ key: 'slack:chat.postMessage' }, { key: `slack:post:${recipient.data.slack}`, ...SLACK_RATES.postPerChannel }];
  }

  /** The click's response URL in `updates` when it may be used now (allowed origin, not stale). */
  private freshResponseUrl(updates: unknown): URL | undefined {
    const r = responseUrlSchema.safeParse(updates);
    if (!r.success || this.now() - r.data.at > RESPONSE_URL_TTL_MS) return undefined;
    return usableResponseUrl(r.data.responseUrl, this.origins);
  }

  /**
   * Replaces the clicked message through its response URL: true when Slack took it. Never throws, never
   * logs the URL, sends no token (only the message).
   */
  private async respond(url: URL, content: SlackMessage, log: Logger, signal?: AbortSignal): Promise<boolean> {
    const ac = new AbortController();
    const abort = () => ac.abort();
    signal?.addEventListener('abort', abort, { once: true });
    const timer = setTimeout(abort, this.responseUrlTimeoutMs);
    try {
      const res = await this.fetchFn(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify({ replace_original: true, text: content.text, blocks: content.blocks }),
        redirect: 'error',
        signal: ac.signal,
      });
      const body = await res.text().catch(() => '');
      let refused = false;
      try {
        refused = (JSON.parse(body) as { ok?: unknown }).ok === false;
      } catch {
        /* Slack answers "ok" as plain text too */
      }
      if (res.ok && !refused) return true;
      log.info({ status: res.status }, 'slack: response URL refused the card update; using chat.update');
      return false;
    } catch (e) {
      log.info({ error: e instanceof Error ? e.name : 'unknown' }, 'slack: response URL not reached; using chat.update');
      return false;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', abort);
    }
  }

  /** chat.update; undefined when that message cannot be updated any more (post a new one instead). */
  private async update(previous: SlackReceipt, content: SlackMessage, log: Logger): Promise<SlackReceipt | undefined> {
    try {
      const res = await this.call('chat.update', { channel: previous.channel, ts: previous.ts, ...content });
      return { channel: typeof res.channel === 'string' ? res.channel : previous.channel, ts: typeof res.ts === 'string' ? res.ts : previous.ts };
    } catch (e) {
      const code = platformCode(e);
      if (code && CANNOT_UPDATE.has(code)) {
        log.info({ code }, 'slack: previous message cannot be updated; posting a new one');
        return undefined;
      }
      throw e;
    }
  }

  private async dmChannel(user: string): Promise<string> {
    const cached = this.dmChannels.get(user);
    if (cached) return cached;
    const res = await this.call('conversations.open', { users: user });
    const id = (res.channel as { id?: unknown } | undefined)?.id;
    if (typeof id !== 'string') throw new SlackCallError('conversations_open_without_channel');
    this.dmChannels.set(user, id);
    return id;
  }

  /** The message carrying `metadata` among the channel's latest messages, if any. Rate limits propagate. */
  private async findPosted(channel: string, metadata: Metadata, log: Logger): Promise<SlackReceipt | undefined> {
    let res: ApiResult;
    try {
      res = await this.call('conversations.history', { channel, limit: this.historyLimit, include_all_metadata: true });
    } catch (e) {
      const c = classifySlackError(e);
      if (c.outcome.retryAfterMs !== undefined) throw e;
      // Cannot check (e.g. missing im:history): deliver rather than risk never delivering.
      log.warn({ error: c.outcome.error }, 'slack: cannot read history to check for an earlier post; posting');
      return undefined;
    }
    const want = stable(metadata);
    const messages = Array.isArray(res.messages) ? (res.messages as { ts?: unknown; metadata?: unknown }[]) : [];
    const hit = messages.find((m) => {
      const md = m.metadata as { event_type?: unknown; event_payload?: unknown } | undefined;
      return md && stable({ event_type: md.event_type, event_payload: md.event_payload }) === want;
    });
    return hit && typeof hit.ts === 'string' ? { channel, ts: hit.ts } : undefined;
  }

  /** One Web API call; an `ok: false` answer (a fake client that does not throw) becomes an error too. */
  private async call(method: string, args: Record<string, unknown>): Promise<ApiResult> {
    const res = (await this.client.apiCall(method, args)) as ApiResult;
    if (res.ok === false) {
      const meta = res.response_metadata as { retryAfter?: unknown } | undefined;
      throw new SlackCallError(typeof res.error === 'string' ? res.error : 'unknown_error', typeof meta?.retryAfter === 'number' ? meta.retryAfter : undefined);
    }
    return res;
  }
}
