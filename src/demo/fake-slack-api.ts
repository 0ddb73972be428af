/**
 * A fake Slack Web API over real loopback HTTP, for the real @slack/web-api WebClient (or Bolt) to talk to.
 * Shipped code because `npm run demo` and bench/slack.bench.ts use it; the tests import it through
 * test/helpers/fake-slack-api.ts.
 *
 *   const slack = await startFakeSlackApi();            // { url: 'http://127.0.0.1:PORT/api/', token, … }
 *   const client = createSlackWebClient({ token: slack.token, apiUrl: slack.url });
 *   slack.failNext('chat.postMessage', { status: 429, retryAfter: 7 });
 *   slack.failNext('conversations.open', { error: 'user_not_found' });
 *   slack.failNext('chat.postMessage', { status: 500, afterProcessing: true });   // accepted, then "failed"
 *   slack.failNext('chat.postMessage', { delayMs: 2_000 });                        // slow (client timeouts)
 *   slack.setUnreachable('U0NI0000001');       // conversations.open / messages to that user: user_not_found
 *   slack.setUnreachable('U0NI0000001', null); // reachable again
 *   slack.calls                    // every call: { method, args, at }
 *   slack.messages('C0ST')         // a channel's messages, oldest first, with metadata
 *   await slack.close();
 *
 * Methods: auth.test, chat.postMessage, chat.update, chat.postEphemeral, conversations.open,
 * conversations.history, views.open, views.update, views.publish, users.info, files.getUploadURLExternal and
 * files.completeUploadExternal (with the upload URL it hands out, `POST /upload/v1/<file id>`, which takes
 * the raw bytes, checks their length and needs no token; `slack.files()` gives what was shared, bytes
 * included; the share posts a message with `files: [{ id, name, title }]` in the channel). Bodies are form-encoded (what
 * the WebClient sends; object values JSON-encoded) or JSON. The bearer token (or a `token` argument) is
 * checked: anything else gets `invalid_auth`. Response shapes follow Slack's (`ok`, `channel`, `ts`,
 * `message`, `response_metadata`). Messages sent to a user id land in that user's DM channel (D…), as with
 * Slack. chat.postMessage/chat.update check the Block Kit limits a real workspace enforces (see
 * `blockKitProblems`) and answer `invalid_blocks` when one is broken.
 */
import { createHash } from 'node:crypto';
import { RateWindow } from './rate-window.ts';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeCall {
  method: string;
  args: Record<string, unknown>;
  at: Date;
  /** The body the fake answered (set once answered; absent for HTTP-level failures). */
  response?: Record<string, unknown>;
}

export interface FakeMessage {
  type: 'message';
  ts: string;
  text: string;
  blocks?: unknown[];
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
  user: string;
  bot_id: string;
  edited?: { user: string; ts: string };
  /** A file share (files.completeUploadExternal). */
  files?: { id: string; name: string; title: string }[];
}

/** A file uploaded through files.getUploadURLExternal, and where it was shared. */
export interface FakeFile {
  id: string;
  filename: string;
  length: number;
  title?: string;
  bytes?: Buffer;
  mimeType?: string;
  /** Channels it was shared in (files.completeUploadExternal). */
  channels: string[];
}

export type Failure =
  | { status: 429; retryAfter?: number }
  | { status: number; afterProcessing?: boolean }
  | { error: string; retryAfter?: number }
  | { delayMs: number };

export interface FakeSlackApi {
  url: string;
  token: string;
  botUserId: string;
  calls: FakeCall[];
  callsOf(method: string): FakeCall[];
  messages(channel: string): FakeMessage[];
  /** The DM channel id the fake gives a user (what conversations.open returns). */
  dmChannelOf(user: string): string;
  /**
   * A response URL for the message `{ channel, ts }`, as a click on it carries (`POST` JSON to it, no token;
   * `replace_original: true` replaces the message; 5 uses). Calls are recorded as method `response_url`.
   */
  responseUrlFor(channel: string, ts: string): string;
  /** The next `times` calls of `method` (default 1) behave as `failure`; `when` picks which calls count. */
  failNext(method: string, failure: Failure, times?: number, when?: (args: Record<string, unknown>) => boolean): void;
  /** Files uploaded, in order, with their bytes once uploaded. */
  files(): FakeFile[];
  /**
   * Makes a user unreachable (a deactivated account): conversations.open for them, and chat.postMessage /
   * chat.update to them or their DM channel, answer `error` (default `user_not_found`) until called again
   * with `null`.
   */
  setUnreachable(user: string, error?: string | null): void;
  close(): Promise<void>;
}

const LIMITS = { blocks: 50, sectionText: 3000, fields: 10, fieldText: 2000, header: 150, buttonText: 75, buttonValue: 2000, actions: 25 };

/** What a real workspace would reject in a message's blocks (empty when fine). Exported for unit tests. */
export function blockKitProblems(blocks: unknown): string[] {
  if (!Array.isArray(blocks)) return ['blocks is not an array'];
  const problems: string[] = [];
  if (blocks.length > LIMITS.blocks) problems.push(`${blocks.length} blocks > ${LIMITS.blocks}`);
  blocks.forEach((raw, i) => {
    const b = raw as Record<string, any>;
    const at = `blocks[${i}] (${String(b?.type)})`;
    if (b?.type === 'section') {
      if (!b.text && !b.fields) problems.push(`${at}: neither text nor fields`);
      if (b.text && (typeof b.text.text !== 'string' || b.text.text.length < 1 || b.text.text.length > LIMITS.sectionText)) {
        problems.push(`${at}: text length ${b.text?.text?.length}`);
      }
      if (b.fields) {
        if (b.fields.length > LIMITS.fields) problems.push(`${at}: ${b.fields.length} fields`);
        for (const f of b.fields) if (typeof f.text !== 'string' || f.text.length > LIMITS.fieldText) problems.push(`${at}: field length ${f.text?.length}`);
      }
    } else if (b?.type === 'header') {
      if (b.text?.type !== 'plain_text' || b.text.text.length > LIMITS.header) problems.push(`${at}: header text`);
    } else if (b?.type === 'actions') {
      if (!Array.isArray(b.elements) || b.elements.length > LIMITS.actions) problems.push(`${at}: elements`);
      for (const e of b.elements ?? []) {
        if (e.type === 'button') {
          if (e.text?.type !== 'plain_text' || e.text.text.length > LIMITS.buttonText) problems.push(`${at}: button text`);
          if (typeof e.value === 'string' && e.value.length > LIMITS.buttonValue) problems.push(`${at}: button value`);
          if (typeof e.action_id !== 'string' || e.action_id.length > 255) problems.push(`${at}: action_id`);
        }
      }
    } else if (b?.type === 'context') {
      if (!Array.isArray(b.elements) || b.elements.length > 10) problems.push(`${at}: elements`);
      for (const e of b.elements ?? []) if (typeof e.text === 'string' && e.text.length > LIMITS.sectionText) problems.push(`${at}: element text`);
    } else if (!['divider', 'input', 'image', 'rich_text'].includes(b?.type)) {
      problems.push(`${at}: unknown block type`);
    }
  });
  return problems;
}

function parseArgs(raw: string, contentType: string): Record<string, unknown> {
  if (contentType.includes('application/json')) return raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    // The WebClient JSON-encodes objects and arrays; decode those back.
    if (/^[[{]/.test(v)) {
      try {
        out[k] = JSON.parse(v);
        continue;
      } catch {
        /* a plain string that starts with a bracket */
      }
    }
    out[k] = v;
  }
  return out;
}

const bool = (v: unknown) => v === true || v === 'true' || v === '1' || v === 1;

export interface FakeSlackApiOptions {
  token?: string;
  /**
   * Rate limits the fake enforces as Slack does, answering 429 with Retry-After: calls per second per
   * method across the workspace (e.g. `{ 'chat.postMessage': 20 }`), and `chat.postMessage` per channel
   * (Slack's "about one message per second per channel", bursts allowed: `perChannel`).
   */
  rateLimits?: {
    perMethod?: Readonly<Record<string, number>>;
    /** Calls per minute per method across the workspace, in a sliding minute (bursts allowed): Slack's tiers. */
    perMethodPerMinute?: Readonly<Record<string, number>>;
    /** `chat.postMessage` per channel: a number a second, or `{ limit, windowMs }` (a small burst allowed). */
    perChannel?: number | { limit: number; windowMs: number };
  };
}

export async function startFakeSlackApi(options: FakeSlackApiOptions = {}): Promise<FakeSlackApi> {
  const token = options.token ?? 'xoxb-fake-token';
  const botUserId = 'U0BOT00001';
  const botId = 'B0BOT00001';
  const calls: FakeCall[] = [];
  const history = new Map<string, FakeMessage[]>();
  const failures = new Map<string, { failure: Failure; remaining: number; when?: (args: Record<string, unknown>) => boolean }[]>();
  const files = new Map<string, FakeFile>();
  const unreachable = new Map<string, string>(); // user id and DM channel id → error
  const methodWindows = new Map([
    ...Object.entries(options.rateLimits?.perMethod ?? {}).map(([m, n]) => [m, new RateWindow(n)] as const),
    ...Object.entries(options.rateLimits?.perMethodPerMinute ?? {}).map(([m, n]) => [m, new RateWindow(n, Date.now, 60_000)] as const),
  ]);
  const perChannel = options.rateLimits?.perChannel;
  const channelWindow = perChannel === undefined ? undefined : typeof perChannel === 'number' ? new RateWindow(perChannel) : new RateWindow(perChannel.limit, Date.now, perChannel.windowMs);
  /** Response URLs handed out (`responseUrlFor`): id → the message it may replace and how often it was used. */
  const responseUrls = new Map<string, { channel: string; ts: string; uses: number }>();
  let responseSeq = 0;
  let seq = 0;
  let viewSeq = 0;
  let fileSeq = 0;
  let baseUrl = '';

  const dmChannelOf = (user: string) => `D${createHash('sha1').update(user).digest('hex').slice(0, 9).toUpperCase()}`;
  const resolveChannel = (channel: string) => (/^[UW]/.test(channel) ? dmChannelOf(channel) : channel);
  const nextTs = () => {
    seq += 1;
    return `${Math.floor(Date.now() / 1000)}.${String(seq).padStart(6, '0')}`;
  };
  const channelMessages = (channel: string) => {
    let list = history.get(channel);
    if (!list) history.set(channel, (list = []));
    return list;
  };

  function handle(method: string, args: Record<string, unknown>): Record<string, unknown> {
    const str = (k: string) => (typeof args[k] === 'string' ? (args[k] as string) : undefined);
    const target = method === 'conversations.open' ? str('users')?.split(',')[0]?.trim() : method.startsWith('chat.post') || method === 'chat.update' ? str('channel') : undefined;
    const gone = target ? unreachable.get(target) : undefined;
    if (gone) return { ok: false, error: gone };
    switch (method) {
      case 'auth.test':
        return { ok: true, url: 'https://fake.slack.com/', team: 'Fake', user: 'crm-bot', team_id: 'T0FAKE0001', user_id: botUserId, bot_id: botId };
      case 'chat.postMessage': {
        const channel = str('channel');
        if (!channel) return { ok: false, error: 'channel_not_found' };
        if (!str('text') && !args.blocks) return { ok: false, error: 'no_text' };
        if (args.blocks !== undefined) {
          const problems = blockKitProblems(args.blocks);
          if (problems.length) return { ok: false, error: 'invalid_blocks', errors: problems };
        }
        const id = resolveChannel(channel);
        const message: FakeMessage = {
          type: 'message',
          ts: nextTs(),
          text: str('text') ?? '',
          user: botUserId,
          bot_id: botId,
          ...(Array.isArray(args.blocks) ? { blocks: args.blocks } : {}),
          ...(args.metadata ? { metadata: args.metadata as FakeMessage['metadata'] } : {}),
        };
        channelMessages(id).push(message);
        return { ok: true, channel: id, ts: message.ts, message };
      }
      case 'chat.update': {
        const channel = str('channel');
        const ts = str('ts');
        const message = channel ? history.get(resolveChannel(channel))?.find((m) => m.ts === ts) : undefined;
        if (!channel || !message) return { ok: false, error: channel && history.has(resolveChannel(channel)) ? 'message_not_found' : 'channel_not_found' };
        if (args.blocks !== undefined) {
          const problems = blockKitProblems(args.blocks);
          if (problems.length) return { ok: false, error: 'invalid_blocks', errors: problems };
          message.blocks = args.blocks as unknown[];
        }
        if (str('text') !== undefined) message.text = str('text')!;
        if (args.metadata) message.metadata = args.metadata as FakeMessage['metadata'];
        message.edited = { user: botUserId, ts: nextTs() };
        return { ok: true, channel: resolveChannel(channel), ts: message.ts, text: message.text, message };
      }
      case 'chat.postEphemeral':
        if (!str('channel') || !str('user')) return { ok: false, error: str('channel') ? 'user_not_in_channel' : 'channel_not_found' };
        return { ok: true, message_ts: nextTs() };
      case 'conversations.open': {
        const users = str('users');
        if (!users) return { ok: false, error: 'users_list_not_supplied' };
        const first = users.split(',')[0]!.trim();
        if (!/^[UW][A-Z0-9]+$/.test(first)) return { ok: false, error: 'user_not_found' };
        return { ok: true, channel: { id: dmChannelOf(first) } };
      }
      case 'conversations.history': {
        const channel = str('channel');
        if (!channel) return { ok: false, error: 'channel_not_found' };
        const limit = Math.min(Number(args.limit ?? 100) || 100, 999);
        const withMeta = bool(args.include_all_metadata);
        const all = [...(history.get(resolveChannel(channel)) ?? [])].reverse();
        const messages = all.slice(0, limit).map(({ metadata, ...m }) => (withMeta && metadata ? { ...m, metadata } : m));
        return { ok: true, messages, has_more: all.length > limit, pin_count: 0, response_metadata: { next_cursor: '' } };
      }
      case 'views.open':
      case 'views.update':
      case 'views.publish': {
        if (method === 'views.open' && !str('trigger_id')) return { ok: false, error: 'invalid_arguments' };
        if (method === 'views.update' && !str('view_id') && !str('external_id')) return { ok: false, error: 'invalid_arguments' };
        if (method === 'views.publish' && !str('user_id')) return { ok: false, error: 'invalid_arguments' };
        const view = args.view as Record<string, unknown> | undefined;
        if (!view || typeof view !== 'object') return { ok: false, error: 'invalid_arguments' };
        viewSeq += 1;
        return { ok: true, view: { id: str('view_id') ?? `V0FAKE${String(viewSeq).padStart(4, '0')}`, hash: `h${viewSeq}`, ...view } };
      }
      case 'files.getUploadURLExternal': {
        const filename = str('filename');
        const length = Number(args.length);
        if (!filename || !Number.isInteger(length) || length < 1) return { ok: false, error: 'invalid_arguments' };
        fileSeq += 1;
        const id = `F0FAKE${String(fileSeq).padStart(5, '0')}`;
        files.set(id, { id, filename, length, channels: [] });
        return { ok: true, upload_url: `${baseUrl}upload/v1/${id}`, file_id: id };
      }
      case 'files.completeUploadExternal': {
        const list = Array.isArray(args.files) ? (args.files as { id?: unknown; title?: unknown }[]) : undefined;
        if (!list || list.length === 0) return { ok: false, error: 'invalid_arguments' };
        const shared = list.map((f) => (typeof f.id === 'string' ? files.get(f.id) : undefined));
        if (shared.some((f) => !f || !f.bytes)) return { ok: false, error: 'file_not_found' };
        const channel = str('channel_id');
        for (const [i, f] of shared.entries()) if (typeof list[i]!.title === 'string') f!.title = list[i]!.title as string;
        if (channel) {
          const id = resolveChannel(channel);
          for (const f of shared) f!.channels.push(id);
          channelMessages(id).push({
            type: 'message',
            ts: nextTs(),
            text: str('initial_comment') ?? '',
            user: botUserId,
            bot_id: botId,
            files: shared.map((f) => ({ id: f!.id, name: f!.filename, title: f!.title ?? f!.filename })),
          });
        }
        return { ok: true, files: shared.map((f) => ({ id: f!.id, title: f!.title ?? f!.filename })) };
      }
      case 'users.info': {
        const user = str('user');
        if (!user || !/^[UW][A-Z0-9]+$/.test(user)) return { ok: false, error: 'user_not_found' };
        return { ok: true, user: { id: user, name: user.toLowerCase(), tz: 'America/Costa_Rica', deleted: false, is_bot: false } };
      }
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  /**
   * A POST to a response URL (`responseUrlFor`), as Slack's hooks answer it: JSON body; `replace_original:
   * true` replaces the message the URL belongs to (its blocks and text); at most 5 uses; no token needed
   * (one sent is recorded as `authorization`, so a test can see it was not). Recorded as method `response_url`
   * with the message's `channel` and `ts`.
   */
  function answerResponseUrl(id: string, raw: string, req: IncomingMessage): [number, unknown] {
    const hook = responseUrls.get(id);
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return [400, { ok: false, error: 'invalid_json' }];
    }
    const call: FakeCall = { method: 'response_url', args: { ...body, ...(hook ? { channel: hook.channel, ts: hook.ts } : {}), ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) }, at: new Date() };
    calls.push(call);
    const planned = failures.get('response_url')?.find((f) => f.remaining > 0 && (!f.when || f.when(call.args)));
    if (planned) {
      planned.remaining -= 1;
      const status = 'status' in planned.failure ? planned.failure.status : 500;
      call.response = { ok: false, error: 'fake_http_failure' };
      return [status, { ok: false, error: 'fake_http_failure' }];
    }
    if (!hook) return (call.response = { ok: false, error: 'expired_url' }), [404, call.response];
    if (hook.uses >= 5) return (call.response = { ok: false, error: 'used_url' }), [404, call.response];
    hook.uses += 1;
    if (body.replace_original === true || body.replace_original === 'true') {
      const message = history.get(hook.channel)?.find((m) => m.ts === hook.ts);
      if (!message) return (call.response = { ok: false, error: 'message_not_found' }), [404, call.response];
      if (body.blocks !== undefined) {
        const problems = blockKitProblems(body.blocks);
        if (problems.length) return (call.response = { ok: false, error: 'invalid_blocks' }), [400, call.response];
        message.blocks = body.blocks as unknown[];
      }
      if (typeof body.text === 'string') message.text = body.text;
      message.edited = { user: botUserId, ts: nextTs() };
    }
    call.response = { ok: true };
    return [200, { ok: true }];
  }

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(body));
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const upload = /^\/upload\/v1\/(F\w+)$/.exec(req.url?.split('?')[0] ?? '');
        if (upload && req.method === 'POST') {
          const file = files.get(upload[1]!);
          const bytes = Buffer.concat(chunks);
          if (!file) return send(res, 404, { ok: false, error: 'file_not_found' });
          if (bytes.length !== file.length) return send(res, 400, { ok: false, error: 'length_mismatch' });
          file.bytes = bytes;
          file.mimeType = String(req.headers['content-type'] ?? '');
          res.writeHead(200, { 'content-type': 'text/plain' });
          return res.end(`OK - ${bytes.length}`);
        }
        const hook = /^\/actions\/(R\w+)$/.exec(req.url?.split('?')[0] ?? '');
        if (hook && req.method === 'POST') return send(res, ...answerResponseUrl(hook[1]!, Buffer.concat(chunks).toString('utf8'), req));
        const match = /^\/api\/([\w.]+)$/.exec(req.url?.split('?')[0] ?? '');
        if (req.method !== 'POST' || !match) return send(res, 404, { ok: false, error: 'unknown_method' });
        const method = match[1]!;
        let args: Record<string, unknown>;
        try {
          args = parseArgs(Buffer.concat(chunks).toString('utf8'), String(req.headers['content-type'] ?? ''));
        } catch {
          return send(res, 200, { ok: false, error: 'invalid_json' });
        }
        const bearer = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''))?.[1];
        const given = bearer ?? (typeof args.token === 'string' ? args.token : undefined);
        delete args.token;
        const call: FakeCall = { method, args, at: new Date() };
        calls.push(call);
        if (!given) return send(res, 200, { ok: false, error: 'not_authed' });
        if (given !== token) return send(res, 200, { ok: false, error: 'invalid_auth' });

        const limited =
          methodWindows.get(method)?.take(method) ??
          (method === 'chat.postMessage' && channelWindow && typeof args.channel === 'string' ? channelWindow.take(resolveChannel(args.channel)) : undefined);
        if (limited !== undefined) {
          call.response = { ok: false, error: 'ratelimited' };
          return send(res, 429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(limited) });
        }
        const queue = failures.get(method);
        const planned = queue?.find((f) => f.remaining > 0 && (!f.when || f.when(args)));
        if (planned) planned.remaining -= 1;
        const failure = planned?.failure;
        if (failure && 'delayMs' in failure) await new Promise((r) => setTimeout(r, failure.delayMs));
        else if (failure && 'error' in failure) {
          return send(res, 200, { ok: false, error: failure.error, ...(failure.retryAfter ? { response_metadata: { retryAfter: failure.retryAfter } } : {}) }, failure.retryAfter ? { 'retry-after': String(failure.retryAfter) } : {});
        } else if (failure && failure.status === 429) {
          const retryAfter = (failure as { retryAfter?: number }).retryAfter ?? 30;
          return send(res, 429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(retryAfter) });
        } else if (failure && 'status' in failure) {
          if ('afterProcessing' in failure && failure.afterProcessing) handle(method, args);
          return send(res, failure.status, { ok: false, error: 'fake_http_failure' });
        }
        // Processed even if the client gave up meanwhile (a timeout after Slack accepted the call).
        const body = handle(method, args);
        call.response = body;
        if (res.destroyed || res.writableEnded) return undefined;
        return send(res, 200, body);
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://127.0.0.1:${port}/`;

  return {
    url: `http://127.0.0.1:${port}/api/`,
    token,
    botUserId,
    calls,
    callsOf: (method) => calls.filter((c) => c.method === method),
    messages: (channel) => [...(history.get(resolveChannel(channel)) ?? [])],
    dmChannelOf,
    responseUrlFor(channel, ts) {
      responseSeq += 1;
      const id = `R${String(responseSeq).padStart(6, '0')}${createHash('sha1').update(`${channel}:${ts}:${responseSeq}`).digest('hex').slice(0, 8)}`;
      responseUrls.set(id, { channel: resolveChannel(channel), ts, uses: 0 });
      return `${baseUrl}actions/${id}`;
    },
    failNext(method, failure, times = 1, when) {
      const list = failures.get(method) ?? [];
      list.push({ failure, remaining: times, ...(when ? { when } : {}) });
      failures.set(method, list);
    },
    files: () => [...files.values()],
    setUnreachable(user, error = 'user_not_found') {
      for (const id of [user, dmChannelOf(user)]) {
        if (error === null) unreachable.delete(id);
        else unreachable.set(id, error);
      }
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}
