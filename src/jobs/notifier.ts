/**
 * Notifiers for the deliver job: the Notifier port (src/flows/notifier.ts) routed by platform.
 *
 * A notifier sends one message and says how it went; it never touches the outbox. The deliver job
 * (./deliver.ts) decides what the outcome means for the row (sent, retry later, rate-limited, dead).
 *
 * Idempotency: `item.dedupeKey` is unique forever per outbox row, and the same row is always sent with
 * the same key. A send whose outcome was lost (a timeout, a crash after the platform accepted it) is
 * retried with that key, so a platform notifier that can look the key up (Slack message metadata, a
 * Teams activity id it stored) can answer "already sent" instead of posting twice.
 *
 * The port itself (DeliveryItem, SendOutcome, Notifier, AttachmentSource…) is src/flows/notifier.ts,
 * re-exported here. Implementations here: `MultiNotifier` (routes by platform) and `RecordingNotifier` (in
 * memory, for tests, with programmable failures). The platform notifiers live with their adapters.
 */
import { NO_ADDRESS, noNotifierFor, type DeliveryItem, type Notifier, type RateScope, type SendOptions, type SendOutcome } from '../flows/notifier.ts';

export * from '../flows/notifier.ts';

/**
 * Routes each message to the notifier of its `platform`. `unreachable` (the directory has neither a
 * Slack nor a Teams address for the person) and a platform with no notifier configured are permanent
 * failures: retrying cannot help, so the secretariat is told at once.
 */
export class MultiNotifier implements Notifier {
  constructor(private readonly byPlatform: Readonly<{ slack?: Notifier; teams?: Notifier; [platform: string]: Notifier | undefined }>) {}

  async send(item: DeliveryItem, opts?: SendOptions): Promise<SendOutcome> {
    if (item.platform === 'unreachable') return { ok: false, permanent: true, error: NO_ADDRESS };
    const target = this.byPlatform[item.platform];
    if (!target) return { ok: false, permanent: true, error: noNotifierFor(item.platform) };
    return target.send(item, opts);
  }

  async scopes(item: DeliveryItem): Promise<readonly RateScope[]> {
    const target = this.byPlatform[item.platform];
    return target?.scopes ? target.scopes(item) : [{ key: item.platform }];
  }
}

/** One scripted behaviour of a RecordingNotifier. */
export type ScriptedStep =
  | { type: 'fail'; error: string }
  | { type: 'rate_limit'; retryAfterMs: number }
  | { type: 'permanent'; error: string }
  /** Never settles on its own: until `release()`, or until the send is aborted through its signal. */
  | { type: 'hang' }
  | { type: 'throw'; error: string };

interface Rule {
  step: ScriptedStep;
  remaining: number;
  when: (item: DeliveryItem) => boolean;
}

export interface RecordedAttempt {
  item: DeliveryItem;
  at: number;
  /** What the attempt ended as (`sent`, or the scripted step's type); `pending` while it hangs. */
  result: 'sent' | ScriptedStep['type'] | 'aborted' | 'pending';
}

/**
 * In-memory notifier for tests. Every call is recorded in `attempts`; successful ones also in
 * `deliveries` (duplicates included, so a test can see a message sent twice). Failures are scripted
 * with rules consumed in the order they were added, each for `times` matching sends:
 *
 *   notifier.fail(2)                          // the next 2 sends fail (transient)
 *   notifier.rateLimit(1_000)                 // the next send gets a 429 with Retry-After 1 s
 *   notifier.permanent('channel_not_found', { when: (i) => i.kind === 'reminder' })   // forever
 *   notifier.hang()                           // the next send hangs until release() or abort
 */
export class RecordingNotifier implements Notifier {
  readonly attempts: RecordedAttempt[] = [];
  readonly deliveries: { item: DeliveryItem; at: number; receipt: unknown }[] = [];
  private readonly rules: Rule[] = [];
  private readonly hung = new Set<() => void>();
  private seq = 0;

  /** Adds a scripted step for the next `times` sends matching `when` (default: every send). */
  script(step: ScriptedStep, opts: { times?: number; when?: (item: DeliveryItem) => boolean } = {}): this {
    this.rules.push({ step, remaining: opts.times ?? 1, when: opts.when ?? (() => true) });
    return this;
  }
  fail(times = 1, opts: { error?: string; when?: (item: DeliveryItem) => boolean } = {}): this {
    return this.script({ type: 'fail', error: opts.error ?? 'platform unavailable' }, { times, ...(opts.when ? { when: opts.when } : {}) });
  }
  rateLimit(retryAfterMs: number, opts: { times?: number; when?: (item: DeliveryItem) => boolean } = {}): this {
    return this.script({ type: 'rate_limit', retryAfterMs }, opts);
  }
  /** Permanent failure for every matching send from now on (unless `times` says otherwise). */
  permanent(error = 'channel_not_found', opts: { times?: number; when?: (item: DeliveryItem) => boolean } = {}): this {
    return this.script({ type: 'permanent', error }, { times: Infinity, ...opts });
  }
  hang(opts: { times?: number; when?: (item: DeliveryItem) => boolean } = {}): this {
    return this.script({ type: 'hang' }, opts);
  }
  /** Lets every hanging send fail now (as a transient 'released' failure). */
  release(): void {
    for (const r of [...this.hung]) r();
  }

  /** How many distinct rows (idempotency keys) were delivered at least once. */
  distinctDelivered(): number {
    return new Set(this.deliveries.map((d) => d.item.dedupeKey)).size;
  }
  deliveriesOf(dedupeKey: string): number {
    return this.deliveries.filter((d) => d.item.dedupeKey === dedupeKey).length;
  }

  async send(item: DeliveryItem, opts: SendOptions = {}): Promise<SendOutcome> {
    const attempt: RecordedAttempt = { item, at: Date.now(), result: 'pending' };
    this.attempts.push(attempt);
    const rule = this.rules.find((r) => r.remaining > 0 && r.when(item));
    if (rule) rule.remaining -= 1;
    const step = rule?.step;
    if (!step) {
      const receipt = { ts: `${Date.now()}.${++this.seq}`, dedupeKey: item.dedupeKey };
      this.deliveries.push({ item, at: Date.now(), receipt });
      attempt.result = 'sent';
      return { ok: true, receipt };
    }
    attempt.result = step.type;
    switch (step.type) {
      case 'fail':
        return { ok: false, error: step.error };
      case 'rate_limit':
        return { ok: false, retryAfterMs: step.retryAfterMs, error: 'rate_limited' };
      case 'permanent':
        return { ok: false, permanent: true, error: step.error };
      case 'throw':
        throw new Error(step.error);
      case 'hang':
        return new Promise<SendOutcome>((resolve) => {
          const done = (outcome: SendOutcome, result: RecordedAttempt['result']) => {
            this.hung.delete(onRelease);
            opts.signal?.removeEventListener('abort', onAbort);
            attempt.result = result;
            resolve(outcome);
          };
          const onRelease = () => done({ ok: false, error: 'released' }, 'hang');
          const onAbort = () => done({ ok: false, error: 'aborted' }, 'aborted');
          this.hung.add(onRelease);
          if (opts.signal?.aborted) onAbort();
          else opts.signal?.addEventListener('abort', onAbort, { once: true });
        });
    }
  }
}
