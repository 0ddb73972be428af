/**
 * A fake Bot Connector (the Teams side of the Bot Framework REST API) over real loopback HTTP(S), for the
 * bot's connector client and the Teams SDK to talk to. Shipped beside the fake Slack API for the demo.
 *
 *   const bc = await startFakeBotConnector({ tls, authorize: (t) => idp.verifyBotToken(t, APP_ID) });
 *   bc.serviceUrl                                   // `${origin}/teams` → TEAMS_SERVICE_URL
 *   bc.install('29:1abc', { aadObjectId, tenantId }) // the app is installed for that person: their
 *                                                   // personal conversation (conversationOf) exists
 *   bc.addChannel('19:st@thread.tacv2')
 *   bc.failNext('sendActivity', { status: 429, retryAfter: 3 });
 *   bc.failNext('createConversation', { status: 403, code: 'BotDisabledByAdmin' });
 *   bc.failNext('sendActivity', { status: 503 }, 1_000_000, () => Date.now() < until); // an outage: only while `when` holds
 *   bc.calls                                        // every request: { op, method, path, body, status, at }
 *   bc.activities(conversationId)                   // what the conversation shows now, oldest first
 *
 * Routes (under the service URL's `/teams` path):
 *   POST /v3/conversations                                    → 201 { id, activityId? }
 *   POST /v3/conversations/{id}/activities                    → 201 { id }
 *   POST /v3/conversations/{id}/activities/{activityId}       → 201 { id } (a reply)
 *   PUT  /v3/conversations/{id}/activities/{activityId}       → 200 { id }
 * As Teams does: a bearer token is required (`authorize`; 401 otherwise); a personal conversation can only
 * be created with someone who has the app installed (403 BotNotInConversationRoster); a conversation the
 * fake does not know is 404 ConversationNotFound; a body over 28 KB is 413 MessageSizeTooBig. Errors have
 * Bot Framework's shape `{ error: { code, message } }`; a 429 carries Retry-After.
 */
import { createHash } from 'node:crypto';
import { RateWindow } from '../rate-window.ts';
import { bearer, serve, type Answer, type ServeTls } from './serve.ts';

export type ConnectorOp = 'createConversation' | 'sendActivity' | 'replyToActivity' | 'updateActivity';

export interface ConnectorCall {
  op: ConnectorOp | 'unknown';
  method: string;
  path: string;
  conversationId?: string;
  activityId?: string;
  body: unknown;
  status: number;
  at: Date;
}

export interface StoredActivity {
  id: string;
  conversationId: string;
  activity: Record<string, unknown>;
  /** How many times it was replaced by a PUT. */
  updates: number;
}

export interface ConnectorFailure {
  status: number;
  /** Bot Framework error code, e.g. `Throttled`, `PreconditionFailed`, `BotNotInConversationRoster`. */
  code?: string;
  /** Seconds (or an HTTP date) for the Retry-After header. */
  retryAfter?: number | string;
}

export interface FakeBotConnector {
  serviceUrl: string;
  calls: ConnectorCall[];
  callsOf(op: ConnectorOp): ConnectorCall[];
  install(userId: string, info?: { aadObjectId?: string; tenantId?: string }): void;
  uninstall(userId: string): void;
  addChannel(conversationId: string): void;
  /** The personal conversation id the fake gives a person (stable). */
  conversationOf(userId: string): string;
  activities(conversationId: string): StoredActivity[];
  /** The next `times` calls of `op` fail; with `when`, only calls made while it returns true (others pass). */
  failNext(op: ConnectorOp, failure: ConnectorFailure, times?: number, when?: () => boolean): void;
  close(): Promise<void>;
}

export interface FakeBotConnectorOptions {
  /** Certificate for HTTPS; plain HTTP without. */
  tls?: ServeTls;
  /** Decides whether a bearer token may call the API; the reason is logged in the 401 body. */
  authorize: (token: string | undefined) => { ok: true } | { ok: false; reason: string };
  /** Default 28 KB, Teams' limit for a message. */
  maxBodyBytes?: number;
  /**
   * Teams' rate limits, enforced with 429 Throttled and Retry-After: messages per second per conversation
   * (Teams: 7) and calls per second for the whole app (Teams: about 30 per app and tenant).
   */
  rateLimits?: { perConversation?: number; perApp?: number };
}

const DEFAULT_CODES: Record<number, string> = {
  400: 'BadArgument',
  401: 'Unauthorized',
  403: 'BotNotInConversationRoster',
  404: 'ConversationNotFound',
  412: 'PreconditionFailed',
  413: 'MessageSizeTooBig',
  429: 'Throttled',
  500: 'ServiceError',
  502: 'ServiceError',
  503: 'ServiceUnavailable',
  504: 'GatewayTimeout',
};

const fail = (status: number, code = DEFAULT_CODES[status] ?? 'ServiceError', message = code, headers?: Record<string, string>): Answer => ({
  status,
  body: { error: { code, message } },
  ...(headers ? { headers } : {}),
});

export async function startFakeBotConnector(opts: FakeBotConnectorOptions): Promise<FakeBotConnector> {
  const calls: ConnectorCall[] = [];
  const installed = new Map<string, { aadObjectId?: string; tenantId?: string }>();
  const personal = new Map<string, string>(); // conversation id → user id
  const channels = new Set<string>();
  const store = new Map<string, StoredActivity[]>();
  const failures: { op: ConnectorOp; failure: ConnectorFailure; remaining: number; when?: () => boolean }[] = [];
  const maxBody = opts.maxBodyBytes ?? 28 * 1024;
  const appWindow = opts.rateLimits?.perApp ? new RateWindow(opts.rateLimits.perApp) : undefined;
  const conversationWindow = opts.rateLimits?.perConversation ? new RateWindow(opts.rateLimits.perConversation) : undefined;

  const conversationOf = (userId: string) => `a:1${createHash('sha256').update(userId).digest('base64url').slice(0, 40)}`;

  const knownConversation = (id: string): boolean => {
    if (channels.has(id.split(';')[0] ?? id)) return true;
    const user = personal.get(id);
    return user !== undefined && installed.has(user);
  };

  function route(method: string, path: string): { op: ConnectorOp | 'unknown'; conversationId?: string; activityId?: string } {
    const m = /^\/teams\/v3\/conversations(?:\/([^/]+)\/activities(?:\/([^/]+))?)?$/.exec(path);
    if (!m) return { op: 'unknown' };
    const conversationId = m[1] ? decodeURIComponent(m[1]) : undefined;
    const activityId = m[2] ? decodeURIComponent(m[2]) : undefined;
    if (!conversationId) return { op: method === 'POST' ? 'createConversation' : 'unknown' };
    if (!activityId) return { op: method === 'POST' ? 'sendActivity' : 'unknown', conversationId };
    if (method === 'PUT') return { op: 'updateActivity', conversationId, activityId };
    if (method === 'POST') return { op: 'replyToActivity', conversationId, activityId };
    return { op: 'unknown', conversationId, activityId };
  }

  function addActivity(conversationId: string, activity: Record<string, unknown>): string {
    const id = `1${Date.now()}${Math.floor(Math.random() * 1000).toString().padStart(3, '0')}`;
    const list = store.get(conversationId) ?? [];
    list.push({ id, conversationId, activity: { ...activity, id }, updates: 0 });
    store.set(conversationId, list);
    return id;
  }

  function handle(op: ConnectorOp, body: Record<string, unknown>, conversationId?: string, activityId?: string): Answer {
    switch (op) {
      case 'createConversation': {
        const members = Array.isArray(body.members) ? (body.members as { id?: unknown }[]) : [];
        const userId = typeof members[0]?.id === 'string' ? members[0].id : undefined;
        if (!userId || members.length !== 1 || body.isGroup === true) {
          return fail(400, 'BadArgument', 'expected one member and isGroup false');
        }
        const bot = body.bot as { id?: unknown } | undefined;
        if (typeof bot?.id !== 'string' || !bot.id.startsWith('28:')) return fail(400, 'BadArgument', 'bot.id must be 28:<app id>');
        const info = installed.get(userId);
        if (!info) return fail(403, 'BotNotInConversationRoster', 'The bot is not part of the conversation roster.');
        const tenantId = typeof body.tenantId === 'string' ? body.tenantId : (body.channelData as { tenant?: { id?: string } })?.tenant?.id;
        if (info.tenantId && tenantId !== info.tenantId) return fail(400, 'BadArgument', 'tenant id does not match the member');
        const id = conversationOf(userId);
        personal.set(id, userId);
        const first = body.activity as Record<string, unknown> | undefined;
        const firstId = first ? addActivity(id, first) : undefined;
        return { status: 201, body: { id, ...(firstId ? { activityId: firstId } : {}) } };
      }
      case 'sendActivity':
      case 'replyToActivity': {
        if (!conversationId || !knownConversation(conversationId)) {
          const user = conversationId ? personal.get(conversationId) : undefined;
          if (user) return fail(403, 'BotNotInConversationRoster', 'The bot is not part of the conversation roster.');
          return fail(404, 'ConversationNotFound', 'Conversation not found.');
        }
        if (body.type !== 'message') return fail(400, 'BadArgument', 'only message activities here');
        return { status: 201, body: { id: addActivity(conversationId, { ...body, ...(activityId ? { replyToId: activityId } : {}) }) } };
      }
      case 'updateActivity': {
        if (!conversationId || !knownConversation(conversationId)) return fail(404, 'ConversationNotFound', 'Conversation not found.');
        const found = (store.get(conversationId) ?? []).find((a) => a.id === activityId);
        if (!found) return fail(404, 'NotFound', 'Activity not found.');
        found.activity = { ...body, id: found.id };
        found.updates += 1;
        return { status: 200, body: { id: found.id } };
      }
    }
  }

  const served = await serve(opts.tls, (req) => {
    const { op, conversationId, activityId } = route(req.method, req.url.pathname);
    let body: unknown;
    const record = (answer: Answer): Answer => {
      calls.push({
        op,
        method: req.method,
        path: req.url.pathname,
        ...(conversationId ? { conversationId } : {}),
        ...(activityId ? { activityId } : {}),
        body,
        status: answer.status,
        at: new Date(),
      });
      return answer;
    };
    if (op === 'unknown') return record(fail(404, 'NotFound', 'no such route'));
    const auth = opts.authorize(bearer(req.headers));
    if (!auth.ok) return record(fail(401, 'Unauthorized', `Authorization has been denied for this request (${auth.reason}).`));
    try {
      body = JSON.parse(req.body.toString('utf8') || '{}');
    } catch {
      return record(fail(400, 'BadSyntax', 'body is not JSON'));
    }
    const wait = appWindow?.take('app') ?? (conversationId && op !== 'createConversation' ? conversationWindow?.take(conversationId) : undefined);
    if (wait !== undefined) return record(fail(429, 'Throttled', 'Too many requests.', { 'retry-after': String(wait) }));
    const i = failures.findIndex((f) => f.op === op && (f.when?.() ?? true));
    if (i >= 0) {
      const entry = failures[i]!;
      entry.remaining -= 1;
      if (entry.remaining <= 0) failures.splice(i, 1);
      const failure = entry.failure;
      const headers = failure.retryAfter !== undefined ? { 'retry-after': String(failure.retryAfter) } : undefined;
      return record(fail(failure.status, failure.code, failure.code, headers));
    }
    if (req.body.length > maxBody) return record(fail(413, 'MessageSizeTooBig', 'Message size too big.'));
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return record(fail(400, 'BadArgument', 'expected an object'));
    return record(handle(op, body as Record<string, unknown>, conversationId, activityId));
  });

  return {
    serviceUrl: `${served.origin}/teams`,
    calls,
    callsOf: (op) => calls.filter((c) => c.op === op),
    install(userId, info = {}) {
      installed.set(userId, info);
      personal.set(conversationOf(userId), userId);
    },
    uninstall: (userId) => void installed.delete(userId),
    addChannel: (id) => void channels.add(id),
    conversationOf,
    activities: (id) => [...(store.get(id) ?? [])],
    failNext(op, failure, times = 1, when) {
      failures.push({ op, failure, remaining: times, ...(when ? { when } : {}) });
    },
    close: served.close,
  };
}
