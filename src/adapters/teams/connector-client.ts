/**
 * Bot Connector REST client for the messages the bot starts itself (reminders, result notices, the ST
 * channel's status and digest) and for updating a card in place. Plain fetch, our own error mapping:
 *
 *   const bc = createConnectorClient({ appId, getToken: () => tokens.getToken() });
 *   const conv = await bc.createConversation({ serviceUrl, tenantId, userId: '29:…' }); // POST /v3/conversations
 *   const sent = await bc.sendActivity(serviceUrl, conv.id, activity);                 // POST …/activities
 *   await bc.updateActivity(serviceUrl, conv.id, sent.id, activity);                   // PUT …/activities/{id}
 *
 * Every failure is a ConnectorError with a `kind` the deliver job can act on (`toSendOutcome`):
 *   - permanent (retrying cannot help): 403 with `reason` `not_installed` (BotNotInConversationRoster:
 *     the app is not installed for that person, or was removed from the channel), `blocked`
 *     (ConversationBlockedByUser), `disabled_by_admin` (BotDisabledByAdmin), `forbidden` (any other 403);
 *     404 `conversation_not_found`; 413 `too_large`; 400 `bad_request`;
 *   - retry: 429 Throttled, 412 PreconditionFailed (concurrent operations on one conversation), 500, 502,
 *     503, 504, with `retryAfterMs` from Retry-After (seconds or an HTTP date) when Teams sends one (429
 *     without it: one second); 401 (`unauthorized`: a token Teams refused; MSAL gets a fresh one later);
 *     network errors and timeouts (`ambiguous`: Teams may have accepted the message; not when the
 *     connection was never made: refused, no such host, a certificate refused).
 * Token failures (BotTokenError) are retried like network errors, without ambiguity.
 *
 * Conversation and activity ids go into the path URL-encoded (`19:…@thread.tacv2;messageid=…`, `a:1…`).
 * The service URL must be one `serviceUrls` trusts (./service-urls.ts: the configured one, or one that came
 * on an authenticated activity): anything else is refused as a permanent `untrusted_service_url` before
 * a token is even fetched, so the bot's token is only ever sent to the Bot Connector.
 */
import type { SendOutcome } from '../../flows/notifier.ts';
import type { ServiceUrlTrust } from './service-urls.ts';
import { BotTokenError } from './token-provider.ts';

export type ConnectorFailureReason =
  | 'not_installed'
  | 'blocked'
  | 'disabled_by_admin'
  | 'forbidden'
  | 'conversation_not_found'
  | 'too_large'
  | 'bad_request'
  | 'throttled'
  | 'precondition_failed'
  | 'service_error'
  | 'unauthorized'
  | 'network'
  | 'timeout'
  | 'token'
  | 'untrusted_service_url';

export class ConnectorError extends Error {
  constructor(
    readonly kind: 'permanent' | 'retry',
    readonly reason: ConnectorFailureReason,
    /** HTTP status (0 when no answer came). */
    readonly status: number,
    /** Bot Framework's error code, when the answer had one (`BotNotInConversationRoster`, `Throttled`, …). */
    readonly code: string | undefined,
    /** How long Teams asked us to wait before the next call. */
    readonly retryAfterMs?: number,
    /** True when Teams may have processed the request even though we saw no answer. */
    readonly ambiguous = false,
  ) {
    super(`teams:${reason}${code ? ` (${status} ${code})` : status ? ` (${status})` : ''}`);
    this.name = 'ConnectorError';
  }
}

export interface ConnectorClientOptions {
  /** The bot's app id: the conversation's bot member is `28:<appId>`. */
  appId: string;
  /** A bearer token for the Bot Connector (BotTokenProvider.getToken). */
  getToken: () => Promise<string>;
  /** Which service URLs may receive the token (TrustedServiceUrls); any other is refused unsent. */
  serviceUrls: ServiceUrlTrust;
  /** Per request; default 15 s. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export interface Activity {
  type: 'message';
  [key: string]: unknown;
}

export interface CreateConversationRequest {
  serviceUrl: string;
  tenantId: string;
  /** The person's Teams user id for this bot (`29:…`), stored on install and on each activity. */
  userId: string;
  /** Optional first message, sent with the conversation (Teams answers with its `activityId`). */
  activity?: Activity;
}

export interface ConnectorClient {
  createConversation(req: CreateConversationRequest, signal?: AbortSignal): Promise<{ id: string; activityId?: string }>;
  sendActivity(serviceUrl: string, conversationId: string, activity: Activity, signal?: AbortSignal): Promise<{ id: string }>;
  updateActivity(serviceUrl: string, conversationId: string, activityId: string, activity: Activity, signal?: AbortSignal): Promise<{ id: string }>;
}

const RETRY_STATUSES = new Set([412, 429, 500, 502, 503, 504]);

/** Retry-After: delay-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function reasonFor(status: number, code: string | undefined): ConnectorFailureReason {
  if (status === 403) {
    if (code === 'BotNotInConversationRoster') return 'not_installed';
    if (code === 'ConversationBlockedByUser') return 'blocked';
    if (code === 'BotDisabledByAdmin') return 'disabled_by_admin';
    return 'forbidden';
  }
  if (status === 404) return 'conversation_not_found';
  if (status === 413) return 'too_large';
  if (status === 429) return 'throttled';
  if (status === 412) return 'precondition_failed';
  if (status === 401) return 'unauthorized';
  if (status >= 500) return 'service_error';
  return 'bad_request';
}

/** The ConnectorError for an HTTP answer that is not a success. */
export function errorFromResponse(status: number, body: unknown, retryAfter: string | null): ConnectorError {
  const code = (body as { error?: { code?: unknown } } | undefined)?.error?.code;
  const errorCode = typeof code === 'string' ? code.slice(0, 80) : undefined;
  const reason = reasonFor(status, errorCode);
  const retry = RETRY_STATUSES.has(status) || status === 401;
  const wait = parseRetryAfter(retryAfter) ?? (status === 429 ? 1000 : undefined);
  return new ConnectorError(retry ? 'retry' : 'permanent', reason, status, errorCode, retry ? wait : undefined);
}

/** What the deliver job makes of a failure: permanent → dead letter with the reason; else retried. */
export function toSendOutcome(err: unknown): SendOutcome {
  if (err instanceof ConnectorError) {
    return {
      ok: false,
      error: err.message,
      ...(err.kind === 'permanent' ? { permanent: true } : {}),
      ...(err.retryAfterMs !== undefined ? { retryAfterMs: err.retryAfterMs } : {}),
    };
  }
  if (err instanceof BotTokenError) return { ok: false, error: `teams:token (${err.code})` };
  return { ok: false, error: 'teams:unexpected' };
}

/** Network errors of a connection that was never made: the request cannot have reached the Bot Connector. */
const NEVER_CONNECTED: ReadonlySet<string> = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'CERT_HAS_EXPIRED', 'ERR_TLS_CERT_ALTNAME_INVALID']);

export function createConnectorClient(opts: ConnectorClientOptions): ConnectorClient {
  const doFetch = opts.fetch ?? fetch;
  const timeoutMs = opts.timeoutMs ?? 15_000;

  async function call<T>(method: 'POST' | 'PUT', serviceUrl: string, path: string, body: unknown, signal?: AbortSignal): Promise<T> {
    // Never our token to a host an unauthenticated request may have named (./service-urls.ts).
    if (!opts.serviceUrls.isTrusted(serviceUrl)) throw new ConnectorError('permanent', 'untrusted_service_url', 0, undefined);
    let token: string;
    try {
      token = await opts.getToken();
    } catch (err) {
      if (err instanceof BotTokenError) throw err;
      throw new ConnectorError('retry', 'token', 0, undefined);
    }
    const url = `${serviceUrl.replace(/\/+$/, '')}${path}`;
    const timeout = AbortSignal.timeout(timeoutMs);
    let res: Response;
    try {
      res = await doFetch(url, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json; charset=utf-8', accept: 'application/json' },
        body: JSON.stringify(body),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (err) {
      // A connection never made (refused, no such host, a certificate refused) cannot have reached Teams.
      const code = (err as { cause?: { code?: unknown } } | undefined)?.cause?.code;
      const unsent = typeof code === 'string' && NEVER_CONNECTED.has(code);
      throw new ConnectorError('retry', timeout.aborted ? 'timeout' : 'network', 0, typeof code === 'string' ? code.slice(0, 40) : undefined, undefined, !unsent);
    }
    const text = await res.text().catch(() => '');
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    if (!res.ok) throw errorFromResponse(res.status, parsed, res.headers.get('retry-after'));
    return (parsed ?? {}) as T;
  }

  const enc = encodeURIComponent;
  const idOf = (r: { id?: unknown }, what: string): string => {
    if (typeof r.id !== 'string' || !r.id) throw new ConnectorError('retry', 'service_error', 200, `no ${what} id in the answer`);
    return r.id;
  };

  return {
    async createConversation(req, signal) {
      const r = await call<{ id?: unknown; activityId?: unknown }>(
        'POST',
        req.serviceUrl,
        '/v3/conversations',
        {
          isGroup: false,
          bot: { id: `28:${opts.appId}` },
          members: [{ id: req.userId }],
          tenantId: req.tenantId,
          channelData: { tenant: { id: req.tenantId } },
          ...(req.activity ? { activity: req.activity } : {}),
        },
        signal,
      );
      const id = idOf(r, 'conversation');
      return typeof r.activityId === 'string' ? { id, activityId: r.activityId } : { id };
    },
    async sendActivity(serviceUrl, conversationId, activity, signal) {
      const r = await call<{ id?: unknown }>('POST', serviceUrl, `/v3/conversations/${enc(conversationId)}/activities`, activity, signal);
      return { id: idOf(r, 'activity') };
    },
    async updateActivity(serviceUrl, conversationId, activityId, activity, signal) {
      const r = await call<{ id?: unknown }>(
        'PUT',
        serviceUrl,
        `/v3/conversations/${enc(conversationId)}/activities/${enc(activityId)}`,
        { ...activity, id: activityId },
        signal,
      );
      return { id: typeof r.id === 'string' && r.id ? r.id : activityId };
    },
  };
}
