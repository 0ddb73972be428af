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
 *                         given up (logged as an error, kept with its last error). A decision click after which
 *                         the same person clicked again on the same consultation is superseded (given up with
 *                         that reason, a warning): replayed late, it would undo their later choice.
 *   startRetrying(app)  → while running, every few seconds: the same replay for rows whose work failed under
 *                         the bot (the database went away after the row was stored) and that are not in flight,
 *                         so an acknowledged click is recorded once the database is back, not at the next start.
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
import type { InboxItem, InboxStore } from '../../store/inbox-store.ts';
import { decisionScope, durableInteraction } from './listeners/durable.ts';
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
  /** Decision clicks the same person followed with another on the same consultation: not applied. */
  superseded: number;
  /** Rows not reached within the start's budget: left to the retry once the bot serves. */
  left: number;
  pruned: number;
}

const SUPERSEDED = 'superseded: the person clicked again on this consultation after it';

export interface SlackInteractionsOptions {
  /** Without a store nothing is stored (tests of the transport alone). */
  store?: InboxStore;
  logger: Logger;
  /** Runs (live or replayed) after which a failing row is given up. Default 5. */
  maxAttempts?: number;
  /** Processed rows older than this are deleted at start (they hold what people typed). Default 7 days. */
  keepProcessedMs?: number;
  /** startRetrying: how often to look for rows left by failed work (default 10 s), and their minimum age (default 5 s). */
  retryEveryMs?: number;
  retryMinAgeMs?: number;
  now?: () => Date;
}

type Processor = Pick<App, 'processEvent'>;

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** The Slack user id of an interactive payload (`user.id`), if any. */
function userOf(body: Record<string, unknown>): string | undefined {
  const id = (body.user as { id?: unknown } | undefined)?.id;
  return typeof id === 'string' ? id : undefined;
}

/** What the inbox said of a live request's person as it stored it: their rows still unprocessed then. */
const earlier = new WeakMap<InboxTicket, readonly string[]>();

/** Slack's legacy verification token rides in every body: never stored. */
function storable(body: Record<string, unknown>): Record<string, unknown> {
  const { token: _token, ...rest } = body;
  return rest;
}

export class SlackInteractions {
  private readonly log: Logger;
  private readonly inflight = new Set<Promise<void>>();
  /** Inbox rows whose work is running in this process (a retry never takes them). */
  private readonly working = new Set<string>();
  /** Whose decision on which consultation each working row is (./listeners/durable.ts decisionScope). */
  private readonly scopes = new Map<string, { userId: string; consultationId: string }>();
  /** One replay at a time (the start's, a retry's): they would race for the same rows. */
  private replaying: Promise<unknown> = Promise.resolve();
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
        const userId = userOf(event.body);
        const r = await this.options.store.receive({ platform: 'slack', kind: durable.kind, key: durable.key, payload: storable(event.body), ...(userId ? { userId } : {}) }, this.now());
        t = ticket(r.id, false);
        if (r.earlierUnprocessed) earlier.set(t, r.earlierUnprocessed);
        this.claim(r.id, event.body);
      } catch (err) {
        this.log.error({ err, kind: durable.kind }, 'slack: the inbox could not store a request; not acknowledged (503)');
        return { ok: false, reason: 'inbox_unavailable' };
      }
    }
    // Admitted before the drain began: the drain waits for it even if it is still being started.
    return { ok: true, stored: t !== undefined, run: () => this.track(this.execute(app, event, t)) };
  }

  /**
   * Replays what is still unprocessed, oldest first, one at a time (keeps one person's clicks in order).
   * `budgetMs`: stop starting rows after this long (a backlog of thousands must not keep the bot from
   * serving); what is left is counted in `left`, and the retry (`startRetrying`) and each person's next
   * click (their earlier rows first) take it from there, in order.
   */
  async replay(app: Processor, options: { budgetMs?: number } = {}): Promise<ReplaySummary> {
    return this.exclusive(async () => {
      const summary: ReplaySummary = { replayed: 0, failed: 0, abandoned: 0, superseded: 0, left: 0, pruned: 0 };
      const store = this.options.store;
      if (!store) return summary;
      const rows = (await store.unprocessed(10_000)).filter((r) => !this.working.has(r.id));
      if (rows.length > 0) this.log.info({ rows: rows.length }, 'slack: replaying acknowledged requests left unprocessed by the last run');
      await this.replayRows(app, rows, summary, new Set(), options.budgetMs === undefined ? undefined : performance.now() + options.budgetMs);
      if (summary.left > 0) this.log.warn({ left: summary.left }, 'slack: replay time is up; the rest is replayed while serving, in order');
      const keep = this.options.keepProcessedMs ?? 7 * 24 * 3600_000;
      summary.pruned = await store.prune(new Date(this.now().getTime() - keep)).catch((err: unknown) => {
        this.log.warn({ err }, 'slack: could not prune old inbox rows');
        return 0;
      });
      if (rows.length > 0) this.log.info(summary, 'slack: replay done');
      return summary;
    });
  }

  /**
   * While running: every `retryEveryMs`, the rows whose work failed in this process (their row stayed
   * unprocessed) and that nothing is working on, replayed as at start. Returns the stop function.
   */
  startRetrying(app: Processor, timing: { everyMs?: number; minAgeMs?: number } = {}): () => Promise<void> {
    const store = this.options.store;
    if (!store) return async () => undefined;
    const minAge = timing.minAgeMs ?? this.options.retryMinAgeMs ?? 5_000;
    let running: Promise<unknown> | undefined;
    const tick = () => {
      if (running || !this.accepting) return;
      running = this.exclusive(async () => {
        const cutoff = this.now().getTime() - minAge;
        const rows = (await store.unprocessed(1000)).filter((r) => !this.working.has(r.id) && r.receivedAt.getTime() <= cutoff);
        if (rows.length === 0) return;
        const summary: ReplaySummary = { replayed: 0, failed: 0, abandoned: 0, superseded: 0, left: 0, pruned: 0 };
        this.log.info({ rows: rows.length }, 'slack: retrying acknowledged requests whose work failed');
        await this.replayRows(app, rows, summary);
        this.log.info(summary, 'slack: retry done');
      })
        .catch((err: unknown) => this.log.warn({ err }, 'slack: could not retry unprocessed requests; trying again shortly'))
        .finally(() => {
          running = undefined;
        });
    };
    const timer = setInterval(tick, timing.everyMs ?? this.options.retryEveryMs ?? 10_000);
    timer.unref();
    return async () => {
      clearInterval(timer);
      await running;
    };
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.replaying.then(work, work);
    this.replaying = run.catch(() => undefined);
    return run;
  }

  /**
   * Runs `rows` in order. Each is claimed first (`working`), so a retry, a catch-up and the start's replay
   * never run the same row twice at once. `waiting`: rows that wait for these (a live click behind its
   * person's earlier ones), which do not make them superseded.
   */
  private async replayRows(app: Processor, rows: readonly InboxItem[], summary: ReplaySummary, waiting: ReadonlySet<string> = new Set(), until?: number): Promise<void> {
    const store = this.options.store!;
    const mine = rows.filter((r) => !this.working.has(r.id));
    for (const r of mine) this.claim(r.id, r.payload);
    const batch = new Set([...waiting, ...mine.map((r) => r.id)]);
    const release = (id: string) => this.release(id);
    for (const row of mine) {
      if (until !== undefined && performance.now() > until) {
        const rest = mine.slice(mine.indexOf(row));
        for (const r of rest) release(r.id);
        summary.left += rest.length;
        return;
      }
      const body = row.payload;
      if (row.attempts >= this.maxAttempts || !body || typeof body !== 'object' || Array.isArray(body)) {
        const reason = row.attempts >= this.maxAttempts ? `given up after ${row.attempts} attempts: ${row.lastError ?? 'unknown error'}` : 'given up: the stored payload is not an object';
        await store.giveUp(row.id, reason, this.now()).finally(() => release(row.id));
        this.log.error({ inboxId: row.id, kind: row.kind, attempts: row.attempts }, `slack: inbox row ${reason}`);
        summary.abandoned++;
        continue;
      }
      let superseded: 'no' | 'given up' | 'processed meanwhile';
      try {
        // giveUp is false when the row got processed meanwhile (its first run finished late): nothing to do.
        superseded = !(await this.superseded(row, batch)) ? 'no' : (await store.giveUp(row.id, SUPERSEDED, this.now())) ? 'given up' : 'processed meanwhile';
      } catch (err) {
        for (const r of mine.slice(mine.indexOf(row))) release(r.id);
        throw err;
      }
      if (superseded !== 'no') {
        release(row.id);
        if (superseded === 'given up') {
          this.log.warn({ inboxId: row.id, kind: row.kind }, `slack: inbox row ${SUPERSEDED}; not replayed`);
          summary.superseded++;
        }
        continue;
      }
      const t = ticket(row.id, true);
      const event: ReceiverEvent = { body: body as Record<string, unknown>, ack: async () => undefined, customProperties: { requestId: `replay-${randomUUID()}` } };
      await this.track(this.execute(app, event, t));
      if (t.failure === undefined) summary.replayed++;
      else summary.failed++;
    }
  }

  /**
   * A decision click after which the same person's next click on the same consultation was already handled
   * (processed, or running now): replayed, it would land after that later choice and undo it. Rows that
   * are neither (failed too, waiting for a retry) are replayed in order after this one, so they do not count.
   */
  private async superseded(row: InboxItem, batch: ReadonlySet<string>): Promise<boolean> {
    const scope = row.kind === 'block_actions' ? decisionScope(row.payload) : undefined;
    if (!scope) return false;
    const newer = BigInt(row.id);
    for (const [id, s] of this.scopes) {
      if (BigInt(id) > newer && !batch.has(id) && s.userId === scope.userId && s.consultationId === scope.consultationId) return true;
    }
    return this.options.store!.processedLaterFromUser(row.id, row.kind, scope.userId, scope.consultationId);
  }

  private claim(id: string, body: unknown): void {
    this.working.add(id);
    const scope = decisionScope(body);
    if (scope) this.scopes.set(id, scope);
  }

  private release(id: string): void {
    this.working.delete(id);
    this.scopes.delete(id);
  }

  /**
   * Before a live request runs: the same person's earlier rows whose work failed (the database went away
   * under them) and that nothing is running, in order, so their clicks are recorded in the order made.
   */
  private async catchUp(app: Processor, body: Record<string, unknown>, t: InboxTicket): Promise<void> {
    const userId = userOf(body);
    if (!userId) return;
    // The inbox said, as it stored this row, which of the person's rows were unprocessed: when every one of
    // them is running here (their earlier clicks in flight), there is nothing to catch up and nothing to ask.
    const known = earlier.get(t);
    if (known && known.every((id) => this.working.has(id))) return;
    try {
      const earlier = (await this.options.store!.earlierUnprocessedFromUser(t.id, userId)).filter((r) => !this.working.has(r.id));
      if (earlier.length === 0) return;
      const summary: ReplaySummary = { replayed: 0, failed: 0, abandoned: 0, superseded: 0, left: 0, pruned: 0 };
      this.log.info({ rows: earlier.length, inboxId: t.id }, 'slack: first the same person\'s earlier requests whose work failed');
      await this.replayRows(app, earlier, summary, new Set([t.id]));
    } catch (err) {
      this.log.warn({ err, inboxId: t.id }, 'slack: could not look for the person\'s earlier unprocessed requests; the retry will');
    }
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
    if (t && !t.replay) await this.catchUp(app, event.body, t);
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
      await this.settleRow(store, t);
    } finally {
      this.release(t.id);
    }
  }

  private async settleRow(store: InboxStore, t: InboxTicket): Promise<void> {
    try {
      if (t.failure === undefined) {
        // A decision marks its row processed in the statement that writes it (nothing left to do here).
        if (!t.processedByWork) await store.markProcessed(t.id, this.now());
        return;
      }
      if (t.processedByWork) {
        // The decision was written (and its row marked with it); what failed came after, e.g. a reply.
        this.log.warn({ inboxId: t.id, replay: t.replay }, 'slack: request failed after its work was recorded; not retried');
        return;
      }
      const attempts = await store.markFailed(t.id, message(t.failure));
      this.log.warn({ inboxId: t.id, attempts, replay: t.replay }, 'slack: request failed; kept in the inbox, retried shortly');
    } catch (err) {
      this.log.warn({ err, inboxId: t.id }, 'slack: could not update the inbox row; it stays to be retried');
    }
  }
}
