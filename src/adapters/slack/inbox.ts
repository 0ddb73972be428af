/**
 * Nothing acknowledged is lost: every Slack request goes through here on its way from a receiver (HTTP or
 * Socket Mode) to Bolt's `processEvent`.
 *
 *   admit(app, event)   → the request's inbox row is committed (when it is one that promises durable work,
 *                         listeners/durable.ts) BEFORE anything can acknowledge it; the receiver answers 503
 *                         instead when the inbox cannot be written or the bot is shutting down.
 *   run()               → processEvent with the row's ticket in `context.inbox`; when the listeners are done,
 *                         the row is marked processed, or — when they reported an unexpected failure through
 *                         `guarded` — left for the next start with attempts + 1 and the error.
 *   replay(app)         → at start, before serving: the rows still unprocessed, oldest first, through the same
 *                         listeners, with `ticket.replay` set (no modal is opened, ack is a no-op, results are
 *                         said privately). The flows are idempotent by key, so a row whose work had committed
 *                         just before a crash records nothing twice. A row that failed `maxAttempts` times is
 *                         given up (logged as an error, kept with its last error).
 *   stopAccepting() + drain(ms) → on SIGTERM: new requests get 503; the work in flight gets up to `ms` to
 *                         finish. What does not finish in time is still in the inbox for the next start.
 *
 * One bot process per database is assumed for the replay (the embedded database allows no other); with two,
 * a row in flight in one could be replayed by the other starting up: still recorded once (keys), but the
 * private answer might come twice.
 */
import { randomUUID } from 'node:crypto';
import type { App, ReceiverEvent } from '@slack/bolt';
import type { Logger } from '../../log.ts';
import type { InboxStore } from '../../store/inbox-store.ts';
import { durableInteraction } from './listeners/durable.ts';
import { INBOX_CONTEXT_KEY, type InboxTicket } from './listeners/shared.ts';

export { INBOX_CONTEXT_KEY, isReplay, ticketOf, type InboxTicket } from './listeners/shared.ts';

function ticket(id: string, replay: boolean): InboxTicket {
  return {
    id,
    replay,
    fail(error) {
      this.failure ??= error;
    },
  };
}

export type Admission = { ok: false; reason: 'shutting_down' | 'inbox_unavailable' } | { ok: true; stored: boolean; run(): Promise<void> };

export interface ReplaySummary {
  replayed: number;
  failed: number;
  abandoned: number;
  pruned: number;
}

export interface SlackInteractionsOptions {
  /** Without a store nothing is stored (tests of the transport alone). */
  store?: InboxStore;
  logger: Logger;
  /** Runs (live or replayed) after which a failing row is given up. Default 5. */
  maxAttempts?: number;
  /** Processed rows older than this are deleted at start (they hold what people typed). Default 7 days. */
  keepProcessedMs?: number;
  now?: () => Date;
}

type Processor = Pick<App, 'processEvent'>;

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Slack's legacy verification token rides in every body: never stored. */
function storable(body: Record<string, unknown>): Record<string, unknown> {
  const { token: _token, ...rest } = body;
  return rest;
}

export class SlackInteractions {
  private readonly log: Logger;
  private readonly inflight = new Set<Promise<void>>();
  private accepting = true;
  private readonly maxAttempts: number;
  private readonly now: () => Date;

  constructor(private readonly options: SlackInteractionsOptions) {
    this.log = options.logger.child({ component: 'slack-inbox' });
    this.maxAttempts = options.maxAttempts ?? 5;
    this.now = options.now ?? (() => new Date());
  }

  get inFlight(): number {
    return this.inflight.size;
  }

  get isAccepting(): boolean {
    return this.accepting;
  }

  async admit(app: Processor, event: ReceiverEvent): Promise<Admission> {
    if (!this.accepting) return { ok: false, reason: 'shutting_down' };
    const durable = this.options.store ? durableInteraction(event.body) : undefined;
    let t: InboxTicket | undefined;
    if (durable && this.options.store) {
      try {
        const r = await this.options.store.receive({ platform: 'slack', kind: durable.kind, key: durable.key, payload: storable(event.body) }, this.now());
        t = ticket(r.id, false);
      } catch (err) {
        this.log.error({ err, kind: durable.kind }, 'slack: the inbox could not store a request; not acknowledged (503)');
        return { ok: false, reason: 'inbox_unavailable' };
      }
    }
    // Admitted before the drain began: the drain waits for it even if it is still being started.
    return { ok: true, stored: t !== undefined, run: () => this.track(this.execute(app, event, t)) };
  }

  /** Replays what is still unprocessed, oldest first, one at a time (keeps one person's clicks in order). */
  async replay(app: Processor): Promise<ReplaySummary> {
    const summary: ReplaySummary = { replayed: 0, failed: 0, abandoned: 0, pruned: 0 };
    const store = this.options.store;
    if (!store) return summary;
    const rows = await store.unprocessed(10_000);
    if (rows.length > 0) this.log.info({ rows: rows.length }, 'slack: replaying acknowledged requests left unprocessed by the last run');
    for (const row of rows) {
      const body = row.payload;
      if (row.attempts >= this.maxAttempts || !body || typeof body !== 'object' || Array.isArray(body)) {
        const reason = row.attempts >= this.maxAttempts ? `given up after ${row.attempts} attempts: ${row.lastError ?? 'unknown error'}` : 'given up: the stored payload is not an object';
        await store.giveUp(row.id, reason, this.now());
        this.log.error({ inboxId: row.id, kind: row.kind, attempts: row.attempts }, `slack: inbox row ${reason}`);
        summary.abandoned++;
        continue;
      }
      const t = ticket(row.id, true);
      const event: ReceiverEvent = { body: body as Record<string, unknown>, ack: async () => undefined, customProperties: { requestId: `replay-${randomUUID()}` } };
      await this.track(this.execute(app, event, t));
      if (t.failure === undefined) summary.replayed++;
      else summary.failed++;
    }
    const keep = this.options.keepProcessedMs ?? 7 * 24 * 3600_000;
    summary.pruned = await store.prune(new Date(this.now().getTime() - keep)).catch((err: unknown) => {
      this.log.warn({ err }, 'slack: could not prune old inbox rows');
      return 0;
    });
    if (rows.length > 0) this.log.info(summary, 'slack: replay done');
    return summary;
  }

  /** From now on every request is refused (503): call first on shutdown. */
  stopAccepting(): void {
    this.accepting = false;
  }

  /** Waits up to `ms` for the work in flight; resolves with how much was still running (0: all done). */
  async drain(ms: number): Promise<number> {
    if (this.inflight.size === 0) return 0;
    this.log.info({ inFlight: this.inflight.size, waitMs: ms }, 'slack: waiting for the requests in flight');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
    const all = (async () => {
      while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
    })();
    await Promise.race([all, timeout]);
    clearTimeout(timer);
    const left = this.inflight.size;
    if (left > 0) this.log.warn({ unfinished: left }, 'slack: drain time is up; unfinished requests stay in the inbox for the next start');
    else this.log.info('slack: every request in flight finished');
    return left;
  }

  private track(work: Promise<void>): Promise<void> {
    this.inflight.add(work);
    void work.finally(() => this.inflight.delete(work));
    return work;
  }

  private async execute(app: Processor, event: ReceiverEvent, t: InboxTicket | undefined): Promise<void> {
    try {
      await app.processEvent({ ...event, customProperties: { ...(event.customProperties ?? {}), ...(t ? { [INBOX_CONTEXT_KEY]: t } : {}) } });
    } catch (err) {
      t?.fail(err);
      this.log.error({ err, requestId: event.customProperties?.requestId }, 'slack: unhandled error while processing a request');
    }
    if (t) await this.settle(t);
  }

  private async settle(t: InboxTicket): Promise<void> {
    const store = this.options.store!;
    try {
      if (t.failure === undefined) {
        await store.markProcessed(t.id, this.now());
        return;
      }
      const attempts = await store.markFailed(t.id, message(t.failure));
      this.log.warn({ inboxId: t.id, attempts, replay: t.replay }, 'slack: request failed; kept in the inbox for the next start');
    } catch (err) {
      this.log.warn({ err, inboxId: t.id }, 'slack: could not update the inbox row; it will be replayed at the next start');
    }
  }
}
