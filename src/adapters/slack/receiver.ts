/**
 * Bolt's HTTP transport on OUR server: a Bolt `Receiver` whose only job is the route `POST /slack/events`
 * of src/http/server.ts (slash commands, interactivity and events on one URL). Receivers only handle
 * transport (bolt-js's own rule); the listeners hold the logic.
 *
 * What a request goes through, in order:
 *   1. `ssl_check=1` (form body) → 200, nothing else (Slack's certificate probe; unsigned by design, and its
 *      body is never processed).
 *   2. Signature: `X-Slack-Signature` = `v0=` HMAC-SHA256(signing secret, `v0:{timestamp}:{raw body}`) checked
 *      with Bolt's `verifySlackRequest` (constant-time compare), and the timestamp within 5 minutes of now
 *      in EITHER direction (Bolt only rejects old ones). Missing, forged or stale → 401, empty body, a
 *      warning in the log, and nothing is processed or recorded.
 *   3. Body: form (`payload=` JSON for interactivity, fields for a slash command) or JSON (Events API);
 *      unreadable → 400.
 *   4. `url_verification` → `{ challenge }`.
 *   4b. A body whose shape is not a Slack payload's (./payload-shape.ts: what Bolt and the listeners read) → 400.
 *   5. Everything else → `app.processEvent` with an `ack` that writes the HTTP answer at once (no
 *      `processBeforeResponse`: the answer must not wait for the database), `retryNum`/`retryReason` from
 *      `X-Slack-Retry-*`, and `customProperties.requestId` (our request id, the one in `x-request-id` and the
 *      logs, shown to a person in the generic error message). A click (`block_actions`, whose ack has no
 *      body) is answered 200 as soon as it is admitted (its inbox row committed, when it is stored), before
 *      Bolt's middleware chain reaches the listener's `ack()`: the answer does not wait for that work, nor for
 *      the earlier clicks' work queued in this process.
 *   Before 5, the request is admitted by ./inbox.ts: one that promises durable work (a decision click, a form,
 *   a command that answers) is committed to the inbox table first, so nothing is acknowledged before it is
 *   safe; when the inbox cannot be written, or the bot is shutting down, the answer is 503 and nothing is
 *   processed (Slack shows the person an error instead of a promise we could not keep).
 *   Safety nets: a request nobody acknowledged within `ackDeadlineMs` (2.8 s) of its admission is answered 200
 *   with an empty body and logged as an error (Slack gives up at 3 s); one left unacknowledged when the
 *   listeners are done (an event or action we do not handle) is answered 200 at once.
 *   `stop()` refuses new requests and waits (up to `drainMs`) for the work in flight.
 */
import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import { verifySlackRequest } from '@slack/bolt';
import type { Logger } from '../../log.ts';
import { sendJson, type RequestContext, type Route } from '../../http/server.ts';
import { SlackInteractions } from './inbox.ts';
import { payloadProblem } from './payload-shape.ts';
import { inBothLanguages } from '../../i18n/index.ts';

export const SLACK_EVENTS_PATH = '/slack/events';
const MAX_SKEW_SEC = 5 * 60;

export interface HttpRouteReceiverOptions {
  signingSecret: string;
  logger: Logger;
  /** Answer a request nobody acknowledged after this long (default 2800 ms). */
  ackDeadlineMs?: number;
  /** Clock for the timestamp check (tests). */
  nowMs?: () => number;
  /** The inbox and in-flight tracking (default: one without a store, which stores nothing). */
  interactions?: SlackInteractions;
  /** How long `stop()` waits for the work in flight (default 20 s). */
  drainMs?: number;
}

function header(ctx: RequestContext, name: string): string | undefined {
  const v = ctx.req.headers[name];
  return typeof v === 'string' ? v : undefined;
}

export class HttpRouteReceiver implements Receiver {
  private app?: App;
  private readonly log: Logger;
  private readonly ackDeadlineMs: number;
  private readonly nowMs: () => number;
  readonly interactions: SlackInteractions;

  constructor(private readonly options: HttpRouteReceiverOptions) {
    if (!options.signingSecret) throw new Error('HttpRouteReceiver: the signing secret is required');
    this.log = options.logger.child({ component: 'slack-receiver' });
    this.ackDeadlineMs = options.ackDeadlineMs ?? 2800;
    this.nowMs = options.nowMs ?? Date.now;
    this.interactions = options.interactions ?? new SlackInteractions({ logger: options.logger });
  }

  init(app: App): void {
    this.app = app;
  }
  /** The HTTP server is ours (src/http/server.ts): nothing to start here. */
  start(): Promise<void> {
    return Promise.resolve();
  }
  /** New requests get 503 from now on; resolves when the work in flight is done (or `drainMs` is up). */
  async stop(): Promise<void> {
    this.interactions.stopAccepting();
    await this.interactions.drain(this.options.drainMs ?? 20_000);
  }

  /** The route to add to the HTTP server. */
  route(path = SLACK_EVENTS_PATH): Route {
    return { method: 'POST', path, body: 'buffer', handler: (ctx) => this.handle(ctx) };
  }

  async handle(ctx: RequestContext): Promise<void> {
    const { res, log } = ctx;
    const raw = ctx.body.toString('utf8');
    const contentType = (header(ctx, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    const isForm = contentType === 'application/x-www-form-urlencoded';

    if (isForm && new URLSearchParams(raw).get('ssl_check') === '1') {
      res.writeHead(200).end();
      return;
    }

    const refusal = this.verify(ctx, raw);
    if (refusal) {
      log.warn({ check: refusal, retryNum: header(ctx, 'x-slack-retry-num') }, 'slack: request refused (signature)');
      res.writeHead(401).end();
      return;
    }

    let body: Record<string, unknown>;
    try {
      body = parseBody(raw, isForm);
    } catch {
      log.warn({ contentType }, 'slack: malformed request body');
      res.writeHead(400).end();
      return;
    }

    if (body.type === 'url_verification') {
      sendJson(res, 200, { challenge: typeof body.challenge === 'string' ? body.challenge : '' });
      return;
    }

    // Signed, but its shape is still outside input: Bolt reads it unchecked (./payload-shape.ts).
    const shape = payloadProblem(body);
    if (shape) {
      log.warn({ problem: shape }, 'slack: not a Slack payload');
      res.writeHead(400).end();
      return;
    }

    if (!this.app) throw new Error('HttpRouteReceiver: not initialised by a Bolt App');

    let acked = false;
    let earlyAck = false;
    let timer: NodeJS.Timeout | undefined;
    const answer = (payload: unknown) => {
      if (acked || res.headersSent) return false;
      acked = true;
      clearTimeout(timer);
      if (payload === undefined || payload === null || payload === '') res.writeHead(200).end();
      else if (typeof payload === 'string') res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(payload);
      else sendJson(res, 200, payload);
      return true;
    };

    const retryNum = Number(header(ctx, 'x-slack-retry-num'));
    const retryReason = header(ctx, 'x-slack-retry-reason');
    const event: ReceiverEvent = {
      body,
      ack: async (response?: unknown) => {
        if (!answer(response) && !earlyAck) log.debug('slack: ack() after the answer was sent; ignored');
      },
      ...(Number.isInteger(retryNum) ? { retryNum } : {}),
      ...(retryReason ? { retryReason } : {}),
      customProperties: { requestId: ctx.requestId },
    };
    const admission = await this.interactions.admit(this.app, event);
    if (!admission.ok) {
      // Slack does not retry a click or a command: say plainly that nothing was recorded. A form keeps its
      // 503 (Slack keeps the modal open with its error, so what the person typed is not lost).
      const told = await tellUnavailable(body, res);
      log.warn({ cause: admission.reason, told }, `slack: request not accepted (${told ? '200, the person told' : '503'})`);
      if (!told) res.writeHead(503, { 'retry-after': '5' }).end();
      return;
    }
    // A click's ack never carries a body (Slack ignores one for block_actions): once its inbox row is committed
    // (when it is one that is stored) nothing is left to wait for, so it is answered now, before Bolt's
    // middleware and the listener run; the listener's own ack() is then a no-op.
    if (body.type === 'block_actions') {
      answer(undefined);
      earlyAck = true;
    }
    timer = setTimeout(() => {
      if (answer(undefined)) log.error({ afterMs: this.ackDeadlineMs }, 'slack: request not acknowledged in time; answered 200 empty');
    }, this.ackDeadlineMs);
    try {
      await admission.run(); // never throws: failures are logged and kept in the inbox
    } finally {
      // Nothing handled it (an event or action we do not listen to): answer now rather than at the deadline.
      answer(undefined);
      clearTimeout(timer);
    }
  }

  /** Undefined when the request is Slack's; otherwise why not (for the log). */
  private verify(ctx: RequestContext, raw: string): string | undefined {
    const signature = header(ctx, 'x-slack-signature');
    const ts = header(ctx, 'x-slack-request-timestamp');
    if (!signature || !ts) return 'missing signature headers';
    const seconds = Number(ts);
    if (!/^\d{1,12}$/.test(ts) || !Number.isFinite(seconds)) return 'bad timestamp';
    const now = this.nowMs();
    if (Math.abs(Math.floor(now / 1000) - seconds) > MAX_SKEW_SEC) return 'stale or future timestamp';
    try {
      verifySlackRequest({
        signingSecret: this.options.signingSecret,
        body: raw,
        headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': seconds },
        nowMilliseconds: now,
      });
      return undefined;
    } catch {
      return 'signature mismatch';
    }
  }
}

function parseBody(raw: string, isForm: boolean): Record<string, unknown> {
  if (isForm) {
    const params = new URLSearchParams(raw);
    const payload = params.get('payload');
    if (payload !== null) return asObject(JSON.parse(payload));
    return Object.fromEntries(params);
  }
  return asObject(JSON.parse(raw));
}

function asObject(v: unknown): Record<string, unknown> {
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error('not an object');
  return v as Record<string, unknown>;
}

/**
 * When a click or a command cannot be accepted (the inbox cannot be written, or the bot is stopping): a
 * slash command is answered with the notice itself (Slack shows the answer to the person alone); a click
 * gets the notice through its response_url first, then an empty 200. True when the person was told.
 */
async function tellUnavailable(body: Record<string, unknown>, res: RequestContext['res']): Promise<boolean> {
  const text = inBothLanguages('slack.unavailable');
  if (typeof body.command === 'string') {
    sendJson(res, 200, { response_type: 'ephemeral', text });
    return true;
  }
  if (body.type === 'block_actions' && typeof body.response_url === 'string' && URL.canParse(body.response_url)) {
    try {
      const r = await fetch(body.response_url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ response_type: 'ephemeral', replace_original: false, text }),
        signal: AbortSignal.timeout(1_500),
      });
      await r.body?.cancel();
      if (!r.ok) return false;
    } catch {
      return false;
    }
    res.writeHead(200).end();
    return true;
  }
  return false;
}
