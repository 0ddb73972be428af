/**
 * The deliver job: sends one outbox row through a Notifier, with retries. One job per row, with the
 * deterministic id `jobIds.deliver(outboxId)`, so the same row is never queued twice at once.
 *
 * What a run does (`deliverProcessor`):
 *   1. Loads the row. Not pending (already sent, or dead) → nothing to do: a retried or duplicated job
 *      sends nothing twice. Missing → nothing to do.
 *   2. A row written with a future `notBefore` that was never tried → the job waits in BullMQ's delayed
 *      set until then (job.moveToDelayed + DelayedError; no attempt used).
 *   2b. A message that replaces itself in place (payload.replaceKey: the ST live status, a member card):
 *      a newer version already sent → this one is `superseded`; a newer version still pending → this one is
 *      `coalesced` into it once a version is on the platform (not sent; the newest carries the latest state,
 *      so a burst of changes gives one update; before the first is out, it posts). Either way the row is marked sent with the receipt of the message on the platform.
 *   3. With `pacing` (startJobs), takes a sending slot in each of the message's scopes (Notifier.scopes:
 *      a Teams conversation at 7/s and its tenant at 30/s; Slack: chat.postMessage per channel, chat.update
 *      per workspace, one update per 2 s of the same message, the click's response URL unpaced; e-mail:
 *      its platform, unpaced), shared
 *      by every worker through the database (./pacing.ts); a short wait is slept, a longer one (a
 *      Retry-After still holding the scope) delays the job, no attempt used.
 *      Then sends it, with the row's `dedupeKey` as the idempotency key and a timeout.
 *      - ok               → markSent(id, receipt).
 *      - rate-limited     → with `pacing`: the message's narrowest scope is blocked for `retryAfterMs`
 *                           (every worker sees it; a Slack 429 holds back Slack only) and the job is
 *                           delayed as long, no attempt used. Without it: the whole deliver queue waits
 *                           (queue.rateLimit, the non-deprecated twin of worker.rateLimit) and the job goes
 *                           back to waiting with `Worker.RateLimitError()`; without a rateLimit hook either
 *                           (deliverProcessor used on its own) only this job is delayed.
 *      - permanent        → markDead at once (UnrecoverableError: BullMQ does not retry).
 *      - transient        → markFailed(id, error, next attempt time) and throw: BullMQ retries with
 *                           exponential backoff. On the last attempt → markDead.
 *   4. A row that goes dead tells the ST: one outbox row of kind `dead_letter` to each ST channel named
 *      (dedupe keys `dead_letter.<row id>` for Slack, `dead_letter.<row id>:teams` for Teams; for a message
 *      replaced in place, `dead_letter.<replace key>:<platform>`: once per message, not per version), the same
 *      message in each, and their delivery is enqueued. A row that could not reach an ST channel is not
 *      reported to that same channel, only to the others (none left: logged, no dead letter). A dead
 *      `dead_letter` row never produces another. With a `fallback` (e-mail: adapters/email/fallback.ts), a person the platform
 *      could not reach gets the same message that other way first (its own row, written once), and the
 *      dead letter says so.
 *
 * Exactly once, as far as our side can make it:
 *   - one job id per row; BullMQ's job lock is the lease (one worker runs it; a crashed worker's lock
 *     expires and the stalled job is run again);
 *   - every run re-reads the row and sends only if it is still pending; markSent/markFailed/markDead only
 *     change a pending row;
 *   - what is left — the platform accepted the message but we crashed (or timed out) before markSent — is
 *     covered by the idempotency key: the retry carries the same key, and a notifier that can look it up
 *     answers "already sent" instead of posting again.
 *
 * Order: every job has a priority (DELIVER_PRIORITY): the clicker's own card update (`first`, from the
 * flow's AfterCommit) goes before the ST status and everything else, on every jobs backend.
 *
 * Failed jobs are removed at once (`removeOnFail`): the outbox row is the record (status, attempts,
 * last_error), and a removed job lets the reconcile job enqueue a row that is still pending (e.g. after the
 * database was down through every attempt) under the same job id again.
 */
import { secretariatAddresses as stAddresses, stChannelKey } from '../flows/effects.ts';
import { DelayedError, UnrecoverableError, Worker, type Job, type JobsOptions } from 'bullmq';
import { z } from 'zod';
import type { Directory, Locale } from '../directory/model.ts';
import { jobsTotal, outboxDeadTotal, outboxDeliveriesTotal, outboxDeliveryLatencySeconds, reminderLatenessSeconds } from '../http/metrics.ts';
import type { DeliveryPlatform, MessageKind, NeutralMessage, Recipient } from '../messages/neutral.ts';
import type { NewOutboxMessage } from '../store/consultation-store.ts';
import type { OutboxItem } from '../store/outbox-store.ts';
import type { JobsBackend, JobsWorker, JobsWorkerOptions } from './backend.ts';
import { QUEUES, jobIds } from './names.ts';
import { isNoNotifier, NO_ADDRESS, type DeliveryItem, type Notifier, type SendOutcome } from './notifier.ts';
import type { DeliveryPacing, RateScope } from './pacing.ts';
import type { Span } from '@opentelemetry/api';
import { SpanKind, TraceCarrier, contextFromCarrier, currentTraceCarrier, inSpan, setAttributes } from '../tracing.ts';

export const DEAD_LETTER_KIND = 'dead_letter' satisfies MessageKind;

/** The job's data: which outbox row. Parsed at the edge (a job payload is an external input). */
export const DeliverJobData = z.object({
  outboxId: z.string().min(1),
  /**
   * The W3C trace context of whoever enqueued it (src/tracing.ts), when tracing is on: the deliver job's span
   * continues that trace. Absent or malformed: ignored (the job runs, its span starts a trace of its own).
   */
  trace: TraceCarrier.optional().catch(undefined),
});
export type DeliverJobData = z.infer<typeof DeliverJobData>;

export interface RetryPolicy {
  /** Attempts per row, the first included. Default 8. */
  attempts?: number;
  /** Exponential backoff base: retries after base, 2·base, 4·base, … Default 30 s (8 attempts ≈ 64 min). */
  backoffMs?: number;
}

export const DELIVER_DEFAULTS = { attempts: 8, backoffMs: 30_000, sendTimeoutMs: 30_000 } as const;

/** Longest Retry-After we honour as such; longer waits are capped (the job is rate-limited again if needed). */
const MAX_RATE_LIMIT_MS = 10 * 60_000;
/** A row rate-limited this many times without a real attempt is treated as a transient failure. */
const MAX_RATE_LIMITED_RUNS = 100;
/** A never-tried row due less than this far in the future is sent now (clock skew between hosts). */
const NOT_BEFORE_SLACK_MS = 1_000;

/**
 * Job priorities of the deliver queue (BullMQ: a lower number goes first; every row has one, so the order
 * is the same on Redis and on the PostgreSQL backends, where a job without one would go before all of them).
 * `first`: what a person is waiting to see after their own click (their card updated); `normal`: the rest
 * (the ST status, other people's cards, reminders, digests…).
 */
export const DELIVER_PRIORITY = { first: 1, normal: 5 } as const;

export function deliverJobOptions(outboxId: string, policy: RetryPolicy = {}, priority: number = DELIVER_PRIORITY.normal): JobsOptions {
  return {
    jobId: jobIds.deliver(outboxId),
    priority,
    attempts: policy.attempts ?? DELIVER_DEFAULTS.attempts,
    backoff: { type: 'exponential', delay: policy.backoffMs ?? DELIVER_DEFAULTS.backoffMs },
    // Completed jobs are kept an hour (a second enqueue of a delivered row is then a no-op in BullMQ
    // too); failed ones go at once, the outbox row keeps the story.
    removeOnComplete: { age: 3_600, count: 10_000 },
    removeOnFail: true,
  };
}

/**
 * Queues one deliver job per outbox row (job id `jobIds.deliver(id)`: a row already queued, running,
 * delayed or recently delivered is not queued again). Call it after the transaction that wrote the rows
 * has committed (AfterCommit); the reconcile job calls it for every row still pending.
 */
export async function enqueueDeliveries(jobs: JobsBackend, outboxIds: readonly string[], policy: RetryPolicy = {}, options: EnqueueOptions = {}): Promise<void> {
  if (outboxIds.length === 0) return;
  const ids = [...new Set(outboxIds)];
  const first = new Set(options.first ?? []);
  // The hand-off's span (a child of the flow's when called from its AfterCommit hook); its context rides in
  // each job's data, so the deliver job's span joins the same trace. No trace: no field.
  await inSpan('deliver.enqueue', { kind: SpanKind.PRODUCER, attributes: { 'crm.queue': QUEUES.deliver, 'crm.jobs': ids.length, ...(ids.length === 1 ? { 'crm.outbox_id': ids[0] } : {}) } }, async () => {
    const trace = currentTraceCarrier();
    const queue = jobs.queue<DeliverJobData>(QUEUES.deliver);
    await queue.addBulk(
      ids.map((outboxId) => ({
        name: QUEUES.deliver,
        data: { outboxId, ...(trace ? { trace } : {}) },
        opts: deliverJobOptions(outboxId, policy, first.has(outboxId) ? DELIVER_PRIORITY.first : DELIVER_PRIORITY.normal),
      })),
    );
  });
}

export interface EnqueueOptions {
  /** Rows to deliver before the others (DELIVER_PRIORITY.first): the clicker's own card update. */
  first?: readonly string[];
}

/** Where the ST is told about dead messages, and in which language (Spanish when unknown). */
export interface SecretariatAddress {
  recipient: Recipient;
  platform: DeliveryPlatform;
  locale?: Locale;
  /** Names the channel in the dead letter's dedupe key (flows/addressing.ts): `st-channel` (default), `st-channel:teams`. */
  key?: string;
}

/** Every ST channel's address from the live directory, Slack first (the rule of flows/addressing.ts). */
export function secretariatAddresses(directory: Directory): SecretariatAddress[] {
  return stAddresses(directory).map(({ recipient, platform, locale, key }) => ({ recipient, platform, locale, key }));
}

/** The first ST channel's address (Slack first); see secretariatAddresses for every one. */
export function secretariatAddress(directory: Directory): SecretariatAddress {
  return secretariatAddresses(directory)[0]!;
}

/** The channel a recipient is addressed on `platform` (an ST channel's Slack or Teams id), if any. */
function channelOn(platform: DeliveryPlatform | string, r: unknown): string | undefined {
  if (typeof r !== 'object' || r === null || (r as Recipient).kind !== 'secretariat_channel') return undefined;
  const st = r as Extract<Recipient, { kind: 'secretariat_channel' }>;
  const c = platform === 'slack' ? st.slack : platform === 'teams' ? st.teams : undefined;
  return typeof c === 'string' && c !== '' ? c : undefined;
}

export interface DeliverLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** The outbox as the deliver job uses it (implemented by store/outbox-store.ts). */
export type DeliverOutbox = {
  get(id: string): Promise<OutboxItem | undefined>;
  /** `get` with `sentAfter` and `lastReceiptFor` of the row, in one round trip (optional). */
  getForDelivery?(id: string): Promise<{ item: OutboxItem; newerSent: unknown; lastReceipt: unknown; newerPending?: boolean } | undefined>;
  markSent(id: string, receipt?: unknown, now?: Date): Promise<boolean>;
  /** Receipt of the latest sent message with this replaceKey on this platform (updates in place). */
  lastReceiptFor?(replaceKey: string, platform: string): Promise<unknown>;
  /** Receipt of a message with this replaceKey whose row is newer than `createdAt` and was sent (superseded). */
  sentAfter?(replaceKey: string, platform: string, createdAt: Date): Promise<unknown>;
  /** Whether a row with this replaceKey newer than `createdAt` is still pending (this one is coalesced into it). */
  pendingAfter?(replaceKey: string, platform: string, createdAt: Date): Promise<boolean>;
  markFailed(id: string, error: string, nextAttemptAt: Date): Promise<boolean>;
  markDead(id: string, error: string): Promise<boolean>;
  /** Drops the click's response URL from a pending row's payload (`updates.responseUrl`): it failed. */
  dropResponseUrl?(id: string): Promise<void>;
  /** When the reminder this row carries was due (reminders_sent.due_at), for crm_reminder_lateness_seconds. */
  reminderDueAt?(outboxId: string): Promise<Date | undefined>;
  /** Rows of these kinds of a consultation still pending (what must go out first: ./deliver.ts FOLLOWS). */
  pendingCount?(consultationId: string, kinds: readonly string[]): Promise<number>;
  /** Whether an older version under this replaceKey on this platform is still pending (an update waits for it). */
  olderPending?(replaceKey: string, platform: string, createdAt: Date): Promise<boolean>;
  enqueue(messages: readonly NewOutboxMessage[], consultationId?: string | null): Promise<string[]>;
};

/**
 * `not_configured`: the person is reached on a platform this bot does not send on (e-mail or Teams off);
 * `not_installed`: Teams, the bot's app is not installed for the person (someone must install it).
 */
export type DeadReason = 'unreachable' | 'not_configured' | 'not_installed' | 'rejected' | 'retries_exhausted';

export interface DeliverDeps {
  outbox: DeliverOutbox;
  notifier: Notifier;
  logger: DeliverLogger;
  /**
   * The ST channels, read when a message dies (live directory; startJobs: every one named, Slack first).
   * Undefined or empty: no dead letter (logged).
   */
  secretariat: () => SecretariatAddress | readonly SecretariatAddress[] | undefined;
  /** Queues delivery of the dead letters this processor writes. startDeliverWorker: enqueueDeliveries. */
  enqueue?: (outboxIds: readonly string[]) => Promise<void>;
  /** Pauses the whole deliver queue for `ms` (startDeliverWorker: queue.rateLimit). Unused with `pacing`. */
  rateLimit?: (ms: number) => Promise<void>;
  /**
   * Pacing per sending scope, shared by every worker (./pacing.ts): each message waits for a slot in its
   * scopes (Teams: its conversation and its tenant), and a rate limit holds back only its narrowest scope
   * (a Slack 429 stops Slack, not Teams). Without it, a rate limit pauses the whole queue (`rateLimit`).
   */
  pacing?: DeliveryPacing;
  /**
   * Another way to reach the recipient of a row that went dead (e.g. e-mail): the row to write instead, or
   * undefined. Its dedupe key must be derived from the dead row's id, so it is written once.
   */
  fallback?: (item: OutboxItem) => NewOutboxMessage | undefined;
  /** Called once when a row goes dead, after the dead letter was written (alerting, tests). */
  onDead?: (item: OutboxItem, info: { reason: DeadReason; error: string; deadLetterId?: string; deadLetterIds?: string[] }) => void | Promise<void>;
  /** How long one send may take before it counts as a (transient) failure. Default 30 s. */
  sendTimeoutMs?: number;
  now?: () => Date;
}

/** What a run ended as (the job's return value when it completes). */
export type DeliverResult = 'sent' | 'already_sent' | 'already_dead' | 'missing' | 'dead' | 'superseded' | 'coalesced' | 'nothing_to_update';

const KNOWN_PLATFORMS = new Set(['slack', 'teams', 'email', 'console', 'unreachable']);
const platformLabel = (p: string): string => (KNOWN_PLATFORMS.has(p) ? p : 'other');

/** The BullMQ processor of the deliver queue. */
export function deliverProcessor(deps: DeliverDeps): (job: Job<unknown>, token?: string, signal?: AbortSignal) => Promise<DeliverResult> {
  const now = deps.now ?? (() => new Date());
  const timeoutMs = deps.sendTimeoutMs ?? DELIVER_DEFAULTS.sendTimeoutMs;

  const run = deliverRun(deps, now, timeoutMs);
  return (job, token, signal) => {
    const parent = contextFromCarrier((job.data as { trace?: unknown } | null)?.trace);
    // The deliver job's span: queue, job and outbox row ids, the row's platform and the result; never the recipient.
    // A job moved back to the delayed set (DelayedError, RateLimitError) did not fail.
    const expected = (e: unknown) => e instanceof DelayedError || (e instanceof Error && e.name === 'RateLimitError');
    return inSpan('deliver.job', { kind: SpanKind.CONSUMER, parent, expected, attributes: { 'crm.queue': QUEUES.deliver, 'crm.job_id': job.id, 'crm.attempt': job.attemptsMade + 1 } }, async (span) => {
      const result = await run(job, token, signal, span);
      setAttributes(span, { 'crm.result': result });
      return result;
    });
  };
}

function deliverRun(deps: DeliverDeps, now: () => Date, timeoutMs: number) {
  return async (job: Job<unknown>, token: string | undefined, signal: AbortSignal | undefined, span: Span): Promise<DeliverResult> => {
    const parsed = DeliverJobData.safeParse(job.data);
    if (!parsed.success) {
      jobsTotal.inc({ job: QUEUES.deliver, result: 'failed' });
      throw new UnrecoverableError(`deliver job ${job.id}: invalid data (${parsed.error.issues[0]?.path.join('.') || 'data'})`);
    }
    const { outboxId } = parsed.data;
    const ctx = { jobId: job.id, outboxId };
    // One read for the row and its replace-key lookups when the outbox can (the lookups are then as of that read).
    const fetched = deps.outbox.getForDelivery ? await deps.outbox.getForDelivery(outboxId) : undefined;
    const item = deps.outbox.getForDelivery ? fetched?.item : await deps.outbox.get(outboxId);
    if (!item) {
      jobsTotal.inc({ job: QUEUES.deliver, result: 'stale' });
      deps.logger.warn(ctx, 'deliver: outbox row not found');
      return 'missing';
    }
    const log = { ...ctx, kind: item.kind, platform: item.platform, consultationId: item.consultationId };
    setAttributes(span, { 'crm.outbox_id': outboxId, 'crm.kind': item.kind, 'crm.platform': platformLabel(item.platform), 'crm.consultation_id': item.consultationId ?? undefined });
    if (item.status === 'sent') {
      jobsTotal.inc({ job: QUEUES.deliver, result: 'stale' });
      return 'already_sent';
    }
    if (item.status === 'dead') {
      // Normally nothing to do. If we crashed between markDead and writing the dead letter, this writes it
      // (idempotent: its dedupe key is unique).
      const instead = await fallBack(deps, item, log);
      await tellSecretariat(deps, item, item.lastError ?? 'dead', log, undefined, instead);
      jobsTotal.inc({ job: QUEUES.deliver, result: 'stale' });
      return 'already_dead';
    }

    const t = now().getTime();
    if (item.attempts === 0 && item.nextAttemptAt.getTime() > t + NOT_BEFORE_SLACK_MS) {
      await job.moveToDelayed(item.nextAttemptAt.getTime(), token);
      jobsTotal.inc({ job: QUEUES.deliver, result: 'delayed' });
      throw new DelayedError();
    }

    // A message that replaces itself in place (a live status, a person's member card) whose newer version
    // was already sent is not sent: sending it now would put older content over newer.
    const replaceKey = replaceKeyOf(item);
    if (replaceKey !== undefined && (fetched || deps.outbox.sentAfter)) {
      const newer = fetched ? fetched.newerSent : await deps.outbox.sentAfter!(replaceKey, item.platform, item.createdAt);
      if (newer !== undefined) {
        await deps.outbox.markSent(item.id, newer ?? undefined, now());
        jobsTotal.inc({ job: QUEUES.deliver, result: 'stale' });
        deps.logger.info(log, 'deliver: superseded by a newer version already sent; not sent');
        return 'superseded';
      }
      // Coalescing: a newer version is still waiting to go; it carries the latest state, so this one is not
      // sent (a burst of changes to one message becomes one update). It keeps the receipt of the version on
      // the platform now, so whoever looks up the latest receipt still finds the message to update.
      // Only once a version is on the platform (a receipt to update): before that, this one posts it (the
      // newer one may be an update only, which posts nothing). And only into a newer one that goes now (due,
      // no failed attempt): not behind one that is backing off after failures, or scheduled for later.
      const current = fetched ? fetched.lastReceipt : deps.outbox.lastReceiptFor ? await deps.outbox.lastReceiptFor(replaceKey, item.platform) : undefined;
      const newerPending =
        current !== undefined && current !== null && (fetched ? fetched.newerPending === true : deps.outbox.pendingAfter ? await deps.outbox.pendingAfter(replaceKey, item.platform, item.createdAt) : false);
      if (newerPending) {
        await deps.outbox.markSent(item.id, current, now());
        jobsTotal.inc({ job: QUEUES.deliver, result: 'stale' });
        deps.logger.info(log, 'deliver: a newer version is waiting to go; coalesced into it, not sent');
        return 'coalesced';
      }
    }

    let delivery = await toDelivery(item, deps.outbox, fetched);
    // Only an update (a card closed or corrected in place): when the card never reached the person, there
    // is nothing to update and nothing new is posted.
    if ((item.payload as { updateOnly?: unknown } | null)?.updateOnly === true && delivery.receipt === undefined) {
      // An older version of the card still on its way (jobs run in parallel, and by priority) is the card
      // this one updates: wait for it to be posted (or to die), no attempt used, instead of dropping the update.
      if (replaceKey !== undefined && deps.outbox.olderPending && (await deps.outbox.olderPending(replaceKey, item.platform, item.createdAt))) {
        jobsTotal.inc({ job: QUEUES.deliver, result: 'delayed' });
        await job.moveToDelayed(Date.now() + FOLLOW_RECHECK_MS, token);
        throw new DelayedError();
      }
      // The older version may have gone out between the first read and that check: read its receipt again.
      const late = replaceKey !== undefined && deps.outbox.lastReceiptFor ? ((await deps.outbox.lastReceiptFor(replaceKey, item.platform)) ?? undefined) : undefined;
      if (late !== undefined) delivery = { ...delivery, receipt: late };
    }
    if ((item.payload as { updateOnly?: unknown } | null)?.updateOnly === true && delivery.receipt === undefined) {
      await deps.outbox.markSent(item.id, undefined, now());
      jobsTotal.inc({ job: QUEUES.deliver, result: 'nothing_to_update' });
      deps.logger.info(log, 'deliver: an update of a card that was never sent; nothing to do');
      return 'nothing_to_update';
    }

    // What follows the digest in the ST channel (the record, then the picture) waits until what it follows
    // is out, on every platform alike (jobs run in parallel): the job is delayed, no attempt used.
    const first = FOLLOWS[item.kind];
    if (first && item.consultationId && deps.outbox.pendingCount && (await deps.outbox.pendingCount(item.consultationId, first)) > 0) {
      jobsTotal.inc({ job: QUEUES.deliver, result: 'delayed' });
      await job.moveToDelayed(Date.now() + FOLLOW_RECHECK_MS, token);
      throw new DelayedError();
    }

    let scopes: readonly RateScope[] = [];
    if (deps.pacing) {
      scopes = await scopesOf(deps.notifier, delivery);
      // The pacing table unreachable (a database hiccup) must not stop delivery: send, the platform's own
      // limits still answer with Retry-After.
      // Every message reserves its turn when the scopes are busy, first come first served: a message
      // replaced in place once per message (whichever version goes), any other once per row. (A message that
      // only read the wait would lose every race on a shared scope, such as chat.update under a click storm.)
      const reserveFor = replaceKey !== undefined ? `${item.platform}:${replaceKey}` : `outbox:${item.id}`;
      const { wait, waited } = await waitForSlot(deps.pacing, scopes, signal, reserveFor).catch((err: unknown) => {
        deps.logger.warn({ ...log, err }, 'deliver: pacing unavailable; sending without it');
        return { wait: 0, waited: false };
      });
      if (wait > 0) {
        // Every slot is taken for longer than we wait in-process (or a Retry-After holds this scope): the job
        // goes back to the delayed set until then, no attempt used.
        jobsTotal.inc({ job: QUEUES.deliver, result: 'delayed' });
        await job.moveToDelayed(Date.now() + wait, token);
        throw new DelayedError();
      }
      if (waited && replaceKey !== undefined && deps.outbox.sentAfter) {
        // While this one waited in-process for its slot, a newer version may have gone out: then this one
        // is superseded, as above (one more read, only after a wait).
        const newer = await deps.outbox.sentAfter(replaceKey, item.platform, item.createdAt);
        if (newer !== undefined) {
          await deps.outbox.markSent(item.id, newer ?? undefined, now());
          jobsTotal.inc({ job: QUEUES.deliver, result: 'stale' });
          deps.logger.info(log, 'deliver: superseded while waiting for its slot by a newer version already sent; not sent');
          return 'superseded';
        }
      }
    }

    const platform = platformLabel(item.platform);
    // The platform call's span: platform and outcome only.
    const outcome = await inSpan('notifier.send', { kind: SpanKind.CLIENT, attributes: { 'crm.platform': platform, 'crm.kind': item.kind, 'crm.outbox_id': item.id } }, async (call) => {
      const o = await sendWithTimeout(deps.notifier, delivery, timeoutMs, signal);
      setAttributes(call, { 'crm.outcome': o.ok ? 'ok' : o.retryAfterMs !== undefined && !o.permanent ? 'rate_limited' : o.permanent ? 'permanent' : 'transient' });
      return o;
    });

    if (outcome.ok) {
      const sentAt = now();
      const marked = await deps.outbox.markSent(item.id, outcome.receipt, sentAt);
      outboxDeliveriesTotal.inc({ platform, result: 'sent' });
      jobsTotal.inc({ job: QUEUES.deliver, result: 'ok' });
      if (!marked) deps.logger.warn(log, 'deliver: sent, but the row was no longer pending');
      else {
        deps.logger.info({ ...log, attempt: item.attempts + 1 }, 'deliver: sent');
        await observeSent(deps, item, platform, sentAt);
      }
      return 'sent';
    }

    if (outcome.responseUrlUnusable && !outcome.permanent) {
      // The click's response URL failed: the next run goes without it, through chat.update and paced as
      // such (a 429 then holds back chat.update's scope, not the response URL's). No attempt used.
      if (deps.outbox.dropResponseUrl) await deps.outbox.dropResponseUrl(item.id);
      jobsTotal.inc({ job: QUEUES.deliver, result: 'delayed' });
      deps.logger.info(log, 'deliver: the response URL failed; updating the card through chat.update');
      await job.moveToDelayed(Date.now(), token);
      throw new DelayedError();
    }

    const rateLimitedRuns = job.attemptsStarted - job.attemptsMade;
    if (outcome.retryAfterMs !== undefined && !outcome.permanent && rateLimitedRuns <= MAX_RATE_LIMITED_RUNS) {
      const wait = Math.min(Math.max(Math.ceil(outcome.retryAfterMs), 1), MAX_RATE_LIMIT_MS);
      outboxDeliveriesTotal.inc({ platform, result: 'rate_limited' });
      jobsTotal.inc({ job: QUEUES.deliver, result: 'rate_limited' });
      deps.logger.warn({ ...log, retryAfterMs: wait, ...(scopes[0] ? { scope: scopes[0].key } : {}) }, 'deliver: rate-limited by the platform; waiting');
      if (deps.pacing && scopes[0]) {
        // Only this message's narrowest scope waits (its Teams conversation, Slack): every worker sees it.
        await deps.pacing.block(scopes[0], wait).catch((err: unknown) => deps.logger.warn({ ...log, err }, 'deliver: pacing unavailable; only this message waits'));
        await job.moveToDelayed(Date.now() + wait, token);
        throw new DelayedError();
      }
      if (deps.rateLimit) {
        await deps.rateLimit(wait);
        throw Worker.RateLimitError();
      }
      await job.moveToDelayed(Date.now() + wait, token);
      throw new DelayedError();
    }

    if (outcome.permanent) {
      const reason: DeadReason =
        outcome.error === NO_ADDRESS || item.platform === 'unreachable'
          ? 'unreachable'
          : isNoNotifier(outcome.error)
            ? 'not_configured'
            : outcome.reason === 'not_installed'
              ? 'not_installed'
              : 'rejected';
      await giveUp(deps, item, outcome.error, reason, log);
      throw new UnrecoverableError(outcome.error);
    }

    const maxAttempts = job.opts.attempts ?? 1;
    if (job.attemptsMade + 1 >= maxAttempts) {
      await giveUp(deps, item, outcome.error, 'retries_exhausted', log);
      throw new UnrecoverableError(outcome.error);
    }
    const next = new Date(Date.now() + backoffDelay(job));
    await deps.outbox.markFailed(item.id, outcome.error, next);
    outboxDeliveriesTotal.inc({ platform, result: 'retry' });
    jobsTotal.inc({ job: QUEUES.deliver, result: 'retry' });
    deps.logger.warn({ ...log, attempt: job.attemptsMade + 1, of: maxAttempts, error: outcome.error, nextAttemptAt: next.toISOString() }, 'deliver: failed; will retry');
    throw new Error(outcome.error);
  };
}

export interface StartDeliverOptions {
  /** Retry policy of the dead letters this worker enqueues (the same as the producers'). */
  retry?: RetryPolicy;
  /** Worker options; defaults: concurrency 4, maxStalledCount 2; a limiter 20 jobs/s only without `pacing`. */
  worker?: JobsWorkerOptions;
}

/**
 * Starts the deliver worker. Without `pacing`, a rate limit pauses the whole deliver queue for Retry-After,
 * and the `limiter` (20 a second, set only then) is what makes that pause hold for every worker: BullMQ
 * only checks the limiter window when a limiter max is configured, so without it another worker (another
 * replica) takes the rate-limited job again at once — measured 2–4 ms later on Redis and on PostgreSQL,
 * against the full wait with it. With `pacing` (startJobs always passes the database's), each message
 * waits for a slot in its own scopes (the platforms' real limits, per method and channel or conversation)
 * and a 429 holds back only its scope; there is no global limiter then (it would cap every platform and
 * every channel together at 20 a second, and put a person's own card behind everyone's status).
 */
export function startDeliverWorker(
  jobs: JobsBackend,
  deps: Omit<DeliverDeps, 'enqueue' | 'rateLimit'> & Partial<Pick<DeliverDeps, 'enqueue' | 'rateLimit'>>,
  options: StartDeliverOptions = {},
): JobsWorker<DeliverJobData> {
  const queue = jobs.queue<DeliverJobData>(QUEUES.deliver);
  const processor = deliverProcessor({
    enqueue: (ids) => enqueueDeliveries(jobs, ids, options.retry),
    rateLimit: (ms) => queue.rateLimit(ms),
    ...deps,
  });
  return jobs.worker<DeliverJobData>(QUEUES.deliver, processor as (job: Job<DeliverJobData>) => Promise<unknown>, {
    concurrency: 4,
    // Without pacing, a rate limit pauses the whole queue (queue.rateLimit), which BullMQ only honours
    // across workers when a limiter is set. With pacing, the platforms' limits are the scopes' own (per
    // method, channel, conversation, tenant) and a 429 holds only its scope: no global cap on top.
    ...(deps.pacing ? {} : { limiter: { max: 20, duration: 1_000 } }),
    maxStalledCount: 2,
    ...options.worker,
  });
}

/**
 * What the notifier gets: the row, how many attempts it already had (an earlier one may have reached the
 * platform), and for a message that replaces an earlier one in place (the ST channel's live status) the
 * receipt of the latest one sent, so a restart still updates instead of posting anew.
 */
function replaceKeyOf(item: OutboxItem): string | undefined {
  const key = (item.payload as { replaceKey?: unknown } | null)?.replaceKey;
  return typeof key === 'string' ? key : undefined;
}

async function toDelivery(item: OutboxItem, outbox: DeliverOutbox, fetched?: { lastReceipt: unknown }): Promise<DeliveryItem> {
  let receipt = item.receipt ?? undefined;
  const replaceKey = replaceKeyOf(item);
  if (receipt === undefined && replaceKey !== undefined && fetched) receipt = fetched.lastReceipt ?? undefined;
  else if (receipt === undefined && replaceKey !== undefined && outbox.lastReceiptFor) {
    receipt = (await outbox.lastReceiptFor(replaceKey, item.platform)) ?? undefined;
  }
  return {
    id: item.id,
    dedupeKey: item.dedupeKey,
    platform: item.platform,
    recipient: item.recipient,
    kind: item.kind,
    payload: item.payload,
    attempts: item.attempts,
    ...(receipt === undefined ? {} : { receipt }),
  };
}

/** Delivery latency (row written → accepted) and, for a reminder, its lateness (due → accepted). Never throws. */
async function observeSent(deps: DeliverDeps, item: OutboxItem, platform: string, sentAt: Date): Promise<void> {
  outboxDeliveryLatencySeconds.observe({ platform }, Math.max(0, sentAt.getTime() - item.createdAt.getTime()) / 1000);
  if (item.kind !== 'reminder' || !deps.outbox.reminderDueAt) return;
  const due = await deps.outbox.reminderDueAt(item.id).catch(() => undefined);
  if (due) reminderLatenessSeconds.observe(Math.max(0, sentAt.getTime() - due.getTime()) / 1000);
}

/** Sends, giving up after `timeoutMs` or when BullMQ aborts the job; a throw becomes a transient failure. */
async function sendWithTimeout(notifier: Notifier, item: DeliveryItem, timeoutMs: number, jobSignal?: AbortSignal): Promise<SendOutcome> {
  const ac = new AbortController();
  const onJobAbort = () => ac.abort(new Error('job cancelled'));
  jobSignal?.addEventListener('abort', onJobAbort, { once: true });
  const timer = setTimeout(() => ac.abort(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  // Race the abort too, so a notifier that ignores its signal cannot hold the job forever.
  const aborted = new Promise<SendOutcome>((resolve) => {
    ac.signal.addEventListener('abort', () => resolve({ ok: false, error: (ac.signal.reason as Error).message }), { once: true });
  });
  try {
    return await Promise.race([notifier.send(item, { signal: ac.signal }), aborted]);
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  } finally {
    clearTimeout(timer);
    jobSignal?.removeEventListener('abort', onJobAbort);
    if (!ac.signal.aborted) ac.abort(new Error('done'));
  }
}

/** The notifier's scopes of a message; without any, the platform's. A failure to name them: the platform. */
async function scopesOf(notifier: Notifier, item: DeliveryItem): Promise<readonly RateScope[]> {
  try {
    const scopes = notifier.scopes ? await notifier.scopes(item) : [];
    return scopes.length ? scopes : [{ key: item.platform }];
  } catch {
    return [{ key: item.platform }];
  }
}

/** Kinds that go out only after every pending row of these kinds of the same consultation. */
const FOLLOWS: Readonly<Record<string, readonly string[]>> = { record: ['digest'], status_picture: ['digest', 'record'] };
const FOLLOW_RECHECK_MS = 1_000;

/**
 * Longest wait for a slot spent in the worker (the even spacing of a Teams conversation, 143 ms); longer ones
 * go to the delayed set, so a worker is not held by a message waiting its turn while a person's own card waits.
 */
const IN_PROCESS_WAIT_MS = 200;

/**
 * Takes a sending slot in every scope, waiting in-process while the wait is short (evenly spaced sends at
 * 7 or 30 a second). Returns 0 once taken, or the wait left when it is longer (the caller delays the job).
 */
/**
 * Takes a slot in every scope, waiting in-process for one due within IN_PROCESS_WAIT_MS. `wait` > 0: none
 * so soon (the job goes back to the delayed set); `waited`: it slept at least once before getting its slot.
 */
async function waitForSlot(pacing: DeliveryPacing, scopes: readonly RateScope[], signal?: AbortSignal, reserveFor?: string): Promise<{ wait: number; waited: boolean }> {
  let waited = false;
  for (let tries = 0; tries < 50; tries += 1) {
    const wait = await pacing.take(scopes, reserveFor ? { reserveFor } : undefined);
    if (wait <= 0) return { wait: 0, waited };
    if (wait > IN_PROCESS_WAIT_MS || signal?.aborted) return { wait, waited };
    waited = true;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, wait);
      signal?.addEventListener('abort', done, { once: true });
    });
  }
  return { wait: IN_PROCESS_WAIT_MS, waited };
}

/** Milliseconds until BullMQ's next attempt (for the row's next_attempt_at; BullMQ keeps the real timer). */
function backoffDelay(job: Job<unknown>): number {
  const b = job.opts.backoff;
  const base = typeof b === 'number' ? b : (b?.delay ?? 0);
  const exponential = typeof b === 'object' && b.type === 'exponential';
  return exponential ? base * 2 ** job.attemptsMade : base;
}

async function giveUp(deps: DeliverDeps, item: OutboxItem, error: string, reason: DeadReason, log: object): Promise<void> {
  const marked = await deps.outbox.markDead(item.id, error);
  if (!marked) return; // someone else finished it meanwhile
  const platform = platformLabel(item.platform);
  outboxDeadTotal.inc({ platform });
  outboxDeliveriesTotal.inc({ platform, result: 'dead' });
  jobsTotal.inc({ job: QUEUES.deliver, result: 'dead' });
  deps.logger.error({ ...log, deadReason: reason, error }, 'deliver: message not delivered; given up');
  const instead = await fallBack(deps, item, log);
  const deadLetterIds = await tellSecretariat(deps, item, error, log, reason, instead);
  const [deadLetterId] = deadLetterIds;
  await deps.onDead?.(item, { reason, error, ...(deadLetterId ? { deadLetterId, deadLetterIds } : {}) });
}

/**
 * Writes the fallback row for a dead `item` (once: its dedupe key is derived from the row id) and queues
 * its delivery. Returns the platform it went to, or undefined when there is no other way.
 */
async function fallBack(deps: DeliverDeps, item: OutboxItem, log: object): Promise<string | undefined> {
  if (item.kind === DEAD_LETTER_KIND) return undefined;
  const message = deps.fallback?.(item);
  if (!message) return undefined;
  const [id] = await deps.outbox.enqueue([message], item.consultationId);
  if (id && deps.enqueue) {
    await deps.enqueue([id]).catch((e: unknown) => deps.logger.error({ ...log, fallbackId: id, err: e }, 'deliver: fallback written but not queued'));
  }
  if (id) deps.logger.info({ ...log, fallbackId: id, fallbackPlatform: message.platform }, 'deliver: sending it another way');
  return message.platform;
}

/**
 * Writes the dead letter for `item` to each ST channel but the one it could not reach (once per channel:
 * dedupe key `dead_letter.<id>`, `dead_letter.<id>:teams`; a message replaced in place: its replace key and
 * platform instead of the row id, once for all its versions) and queues their delivery. Returns the new
 * rows' ids: none when they existed already, are not wanted, or have nowhere to go.
 */
async function tellSecretariat(
  deps: DeliverDeps,
  item: OutboxItem,
  error: string,
  log: object,
  reason: DeadReason = item.platform === 'unreachable' || error === NO_ADDRESS
    ? 'unreachable'
    : isNoNotifier(error)
      ? 'not_configured'
      : error.startsWith('teams:not_installed')
        ? 'not_installed'
        : 'rejected',
  /** The platform the message went to instead (fallback), if any. */
  instead?: string,
): Promise<string[]> {
  if (item.kind === DEAD_LETTER_KIND) return []; // a dead letter never begets another
  const given = deps.secretariat();
  const all: readonly SecretariatAddress[] = given === undefined ? [] : Array.isArray(given) ? given : [given as SecretariatAddress];
  if (all.length === 0) {
    deps.logger.error(log, 'deliver: no secretariat address; dead letter not written');
    return [];
  }
  // Not to the ST channel the message could not reach: the others hear of it.
  const dead = channelOn(item.platform, item.recipient);
  const sts = all.filter((st) => !(dead !== undefined && st.platform === item.platform && channelOn(st.platform, st.recipient) === dead));
  if (sts.length === 0) {
    deps.logger.error(log, 'deliver: the message was for the only ST channel named; dead letter not written');
    return [];
  }
  // The same message to each channel (their language is the ST's). Once per message, not per version: the
  // versions of a message replaced in place (a live status, a person's card) that die the same way are one
  // message the ST is told about once (a live status to a channel on a platform not configured dies at every
  // decision; one dead letter each would bury the ST's channel and hold its digest behind them).
  const payload = deadLetterMessage(item, sts[0]!.locale ?? 'es', reason, instead === 'email' ? 'email' : undefined);
  const replaceKey = replaceKeyOf(item);
  const about = replaceKey === undefined ? item.id : `${replaceKey}:${item.platform}`;
  const ids = await deps.outbox.enqueue(
    sts.map((st) => ({
      dedupeKey: stChannelKey(`dead_letter.${about}`, { key: st.key ?? 'st-channel' }),
      platform: st.platform,
      recipient: st.recipient,
      kind: DEAD_LETTER_KIND,
      payload,
    })),
    item.consultationId,
  );
  if (ids.length > 0 && deps.enqueue) {
    // Best effort: the rows are committed; if queueing fails, reconcile finds them pending.
    await deps.enqueue(ids).catch((e: unknown) => deps.logger.error({ ...log, deadLetterIds: ids, err: e }, 'deliver: dead letter written but not queued'));
  }
  return ids;
}

const TEXT = {
  es: {
    heading: (ref: string | undefined) => (ref ? `Mensaje no entregado: ${ref}` : 'Mensaje no entregado'),
    // "a el canal" contracts to "al canal".
    lead: (what: string, ref: string | undefined, who: string) =>
      `No se pudo entregar ${what}${ref ? ` de la consulta ${ref}` : ''} ${who.startsWith('el ') ? `al ${who.slice(3)}` : `a ${who}`}.`,
    unreachable: 'Esta persona no tiene dirección de Slack ni de Teams en el directorio.',
    not_configured: 'El bot no tiene configurado el medio por el que se contacta a esta persona (Slack, Teams o correo electrónico).',
    not_installed:
      'Esta persona todavía no tiene instalada la aplicación del bot en Microsoft Teams, así que el bot no puede escribirle. Pídale que la agregue desde Aplicaciones en Teams, o a quien administra Teams en su institución que se la instale.',
    rejected: 'La plataforma rechazó el envío: la cuenta no existe o no acepta mensajes del bot, así que reintentar no servirá. Compruebe en el directorio su identificador de Slack o de Teams.',
    retries_exhausted: 'La plataforma no respondió tras varios intentos.',
    ask: 'Por favor, hágale llegar la información por otro medio.',
    email: 'Se le envió el mensaje por correo electrónico en su lugar.',
    reference: 'Referencia',
    message: 'Mensaje',
    recipient: 'Destinatario',
    stChannel: 'el canal de la Secretaría Técnica',
    unknown: 'un destinatario sin nombre',
    kinds: {
      troika_request: 'la solicitud a la Troika',
      member_request: 'la solicitud de posición',
      revision_notice: 'el aviso de revisión',
      extension_notice: 'el aviso de prórroga',
      reminder: 'el recordatorio',
      result_notice: 'el aviso de resultado',
      troika_feedback: 'el aviso de cambios solicitados por la Troika',
      digest: 'el resumen',
      weekly_digest: 'el resumen semanal',
      status: 'el estado',
      card_update: 'la actualización de la solicitud',
      record: 'el registro de la consulta',
      status_picture: 'la imagen del estado de la consulta',
      dead_letter: 'el aviso de mensaje no entregado',
      duty_reminder: 'el recordatorio de una tarea',
      duty_digest: 'la lista de tareas atrasadas',
      meeting_invitation: 'la invitación a una reunión',
      meeting_calendar: 'el archivo de calendario de una reunión',
    } satisfies Record<MessageKind, string> as Record<string, string>,
    // Never the kind's code: a person reads this.
    other: 'un mensaje',
  },
  en: {
    heading: (ref: string | undefined) => (ref ? `Message not delivered: ${ref}` : 'Message not delivered'),
    lead: (what: string, ref: string | undefined, who: string) => `We could not deliver ${what}${ref ? ` of consultation ${ref}` : ''} to ${who}.`,
    unreachable: 'This person has neither a Slack nor a Teams address in the directory.',
    not_configured: 'The bot is not set up to send on the platform this person is reached on (Slack, Teams or e-mail).',
    not_installed:
      "This person does not have the bot's app installed in Microsoft Teams yet, so the bot cannot write to them. Please ask them to add it from Apps in Teams, or ask their organisation's Teams administrator to install it for them.",
    rejected: 'The platform refused it: the account does not exist or does not accept messages from the bot, so retrying will not help. Please check their Slack or Teams id in the directory.',
    retries_exhausted: 'The platform did not answer after several attempts.',
    ask: 'Please get the information to them another way.',
    email: 'The message was sent to them by e-mail instead.',
    reference: 'Reference',
    message: 'Message',
    recipient: 'Recipient',
    stChannel: 'the Technical Secretariat channel',
    unknown: 'a recipient without a name',
    kinds: {
      troika_request: 'the Troika request',
      member_request: 'the request for a position',
      revision_notice: 'the revision notice',
      extension_notice: 'the extension notice',
      reminder: 'the reminder',
      result_notice: 'the result notice',
      troika_feedback: "the notice of the Troika's request for changes",
      digest: 'the digest',
      weekly_digest: 'the weekly digest',
      status: 'the status update',
      card_update: 'the update of the request',
      record: 'the consultation record',
      status_picture: "the picture of the consultation's status",
      dead_letter: 'the notice of an undelivered message',
      duty_reminder: 'the reminder of a task',
      duty_digest: 'the list of overdue tasks',
      meeting_invitation: 'the invitation to a meeting',
      meeting_calendar: "a meeting's calendar file",
    } satisfies Record<MessageKind, string> as Record<string, string>,
    other: 'a message',
  },
} satisfies Record<Locale, unknown>;

/** Who a row was for, by name only: never an id or an e-mail address. */
export function recipientName(recipient: unknown, locale: Locale = 'es'): string {
  const r = recipient as Partial<{ kind: string; name: unknown }> | null;
  if (r?.kind === 'person' && typeof r.name === 'string' && r.name.trim()) return r.name.trim();
  if (r?.kind === 'secretariat_channel') return TEXT[locale].stChannel;
  return TEXT[locale].unknown;
}

/**
 * The ST's notice that `item` could not be delivered (plain, in the ST's language); `instead` says it was
 * sent by e-mail instead.
 */
export function deadLetterMessage(item: OutboxItem, locale: Locale, reason: DeadReason, instead?: 'email'): NeutralMessage {
  const tx = TEXT[locale];
  const p = (item.payload ?? {}) as Partial<Record<'reference' | 'consultationId', unknown>>;
  const reference = typeof p.reference === 'string' && p.reference ? p.reference : '—';
  const consultationId = item.consultationId ?? (typeof p.consultationId === 'string' ? p.consultationId : '');
  // A consultation's reference in the sentences; the weekly digest's "reference" is its week.
  const named = reference !== '—' && (consultationId || /^CRM-\d{4}-\d+$/.test(reference)) ? reference : undefined;
  const what = tx.kinds[item.kind] ?? tx.other;
  const who = recipientName(item.recipient, locale);
  return {
    kind: 'dead_letter',
    locale,
    consultationId,
    reference,
    heading: tx.heading(named),
    body: [tx.lead(what, named, who), tx[reason], instead === 'email' ? tx.email : tx.ask],
    fields: [
      { label: tx.reference, value: reference },
      { label: tx.message, value: what },
      { label: tx.recipient, value: who },
    ],
    buttons: [],
  };
}
