/**
 * The remind job: one reminder slot for one focal point. BullMQ only delivers the time; the job re-checks
 * the consultation when it fires and sends nothing when the slot no longer applies (a stale job):
 *  - member reminder: the member stage is still open, the deadline version is the job's, the deadline has
 *    not passed, the person is still a (frozen) focal point of the country, and the country has not
 *    answered;
 *  - Troika reminder: the Troika stage is still open on the same text version, and the country has not
 *    reacted to it.
 * A due reminder is recorded in `reminders_sent` together with its outbox row (one transaction, unique per
 * consultation, country, person, slot and deadline version), then its delivery is queued. A retried or
 * duplicated job finds the record and sends nothing twice. The jobs a worker runs together (a burst of
 * reminders due at one instant) are handled as one batch (`RemindBatcher`, `processReminders`): one load per
 * consultation, one statement for every record, one `addBulk` for the deliveries; a reminder that fails
 * (a malformed snapshot, a record it alone breaks) fails its own job, not the batch.
 */
import { UnrecoverableError, type Job } from 'bullmq';
import { z } from 'zod';
import { membersAwaiting, troikaAwaiting } from '../domain/outcome.ts';
import type { ConsultationState } from '../domain/types.ts';
import { reminderOutbox } from '../flows/effects.ts';
import { jobsTotal } from '../http/metrics.ts';
import type { JobsWorker, JobsWorkerOptions } from './backend.ts';
import { QUEUES } from './names.ts';
import { reminderDedupeKey, type RemindJobData } from './plan.ts';
import { reminderKeyString, type RecordEntry, type RecordResult, type ReminderKey } from './reminder-store.ts';
import type { JobsRuntime } from './runtime.ts';

/** The job's payload, parsed at the edge. */
export const RemindJobSchema = z.object({
  consultationId: z.string().min(1),
  audience: z.enum(['member', 'troika']),
  country: z.string().min(2),
  personId: z.string().min(1),
  slot: z.string().min(1),
  deadlineVersion: z.number().int().min(0),
  textVersion: z.string().min(1).optional(),
  dueAt: z.iso.datetime(),
});

export type StaleReason =
  | 'not_found'
  | 'stage'
  | 'deadline_version'
  | 'deadline_passed'
  | 'text_version'
  | 'answered'
  | 'not_participant'
  /** A Troika reminder to the PPT's country, which approves its own text as its author. */
  | 'author_country';

export type RemindOutcome =
  | { result: 'sent'; outboxId: string }
  | { result: 'already_sent' }
  | { result: 'stale'; reason: StaleReason };

/** Why the slot no longer applies to `state`, or undefined when it is still due. */
export function staleReason(state: ConsultationState | undefined, d: RemindJobData, now: Date): StaleReason | undefined {
  if (!state) return 'not_found';
  const fps = state.participants.members.find((m) => m.code === d.country)?.focalPoints ?? [];
  if (!fps.some((f) => f.personId === d.personId)) return 'not_participant';
  if (d.audience === 'member') {
    if (state.stage !== 'member_consultation') return 'stage';
    if (state.deadlineVersion !== d.deadlineVersion) return 'deadline_version';
    if (!state.deadline || now.getTime() >= new Date(state.deadline).getTime()) return 'deadline_passed';
    if (!membersAwaiting(state).includes(d.country)) return 'answered';
    return undefined;
  }
  if (state.stage !== 'troika_review') return 'stage';
  if (d.country === state.troika?.authorCountry) return 'author_country';
  if (d.textVersion !== state.currentVersion) return 'text_version';
  if (!troikaAwaiting(state).includes(d.country)) return 'answered';
  return undefined;
}

/** One reminder, re-checked on the consultation's current state and recorded (a batch of one). */
export async function processReminder(rt: JobsRuntime, data: RemindJobData): Promise<RemindOutcome> {
  const [outcome] = await processReminders(rt, [data]);
  if (outcome instanceof Error) throw outcome;
  return outcome!;
}

/** Rounds of re-check a reminder gets when its consultation keeps changing under it, before its job fails (and is retried). */
const MAX_RECHECKS = 5;

const keyOf = (d: RemindJobData): ReminderKey => ({
  consultationId: d.consultationId,
  country: d.country,
  personId: d.personId,
  slot: d.slot,
  deadlineVersion: d.deadlineVersion,
});

/**
 * Several reminders at once (the remind jobs a worker holds at one instant, typically all those due together):
 * each consultation is loaded once, every reminder is re-checked on it as `processReminder` does, the due
 * ones are recorded in ONE statement (reminders_sent + outbox rows, all or none, guarded by the consultation
 * version the re-check saw: a consultation that changed meanwhile is re-loaded and re-checked; a statement
 * that fails is retried one reminder at a time), and each round's deliveries are queued in one `addBulk`
 * right after its commit. A reminder whose re-check or record throws gets its own Error. A reminder recorded by an earlier run whose delivery was never
 * queued (that run crashed between its commit and the queuing) has it queued again; delivery is idempotent
 * per outbox row, so a replayed batch sends nothing twice. The same reminder twice in one batch: the second
 * is `already_sent`. Returns one outcome per input, in order, or the Error of that reminder alone.
 */
export async function processReminders(rt: JobsRuntime, batch: readonly RemindJobData[]): Promise<(RemindOutcome | Error)[]> {
  const { deps } = rt;
  const out: (RemindOutcome | Error | undefined)[] = new Array(batch.length);
  const first = new Map<string, number>();
  let todo: number[] = [];
  batch.forEach((d, i) => {
    const k = reminderKeyString(keyOf(d));
    if (first.has(k)) out[i] = { result: 'already_sent' };
    else {
      first.set(k, i);
      todo.push(i);
    }
  });
  const errorOf = (i: number, what: string, err: unknown): Error =>
    new Error(`reminder ${reminderKeyString(keyOf(batch[i]!))}: ${what}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  // Best effort: a row whose delivery could not be queued stays pending and reconcile (or a replay) queues it.
  const queue = async (deliveries: string[]): Promise<void> => {
    if (deliveries.length === 0) return;
    try {
      await rt.enqueueDeliveries(rt.jobs, deliveries);
    } catch (err) {
      rt.logger?.error({ err, outboxIds: deliveries.length }, 'reminders recorded; queuing their delivery failed (reconcile will)');
    }
  };
  // One statement for every entry; when it fails, each entry alone, so that one bad entry fails by itself.
  const record = async (entries: RecordEntry[]): Promise<(RecordResult | Error)[]> => {
    if (entries.length === 0) return [];
    try {
      return await rt.reminders.recordMany(entries);
    } catch (err) {
      if (entries.length === 1) return [err instanceof Error ? err : new Error(String(err))];
      const one: (RecordResult | Error)[] = [];
      for (const e of entries) {
        try {
          one.push((await rt.reminders.recordMany([e]))[0]!);
        } catch (e1) {
          one.push(e1 instanceof Error ? e1 : new Error(String(e1)));
        }
      }
      return one;
    }
  };
  for (let round = 0; todo.length > 0 && round < MAX_RECHECKS; round++) {
    const ids = [...new Set(todo.map((i) => batch[i]!.consultationId))];
    let loaded: Map<string, { snapshot: unknown; version: number }>;
    try {
      loaded = await rt.reminders.loadSnapshots(ids);
    } catch (err) {
      // The reminders settled in earlier rounds keep their outcomes (and their queued deliveries).
      for (const i of todo) out[i] = errorOf(i, 'loading its consultation failed', err);
      todo = [];
      break;
    }
    const now = deps.clock.now();
    const directory = deps.directory.current();
    const entries: RecordEntry[] = [];
    const at: number[] = [];
    for (const i of todo) {
      const d = batch[i]!;
      try {
        const stored = loaded.get(d.consultationId);
        const state = stored?.snapshot as ConsultationState | undefined;
        const reason = staleReason(state, d, now);
        if (reason || !state || !stored) {
          out[i] = { result: 'stale', reason: reason ?? 'not_found' };
          continue;
        }
        const message = reminderOutbox(state, directory, d, reminderDedupeKey(d));
        if (!message) {
          out[i] = { result: 'stale', reason: 'not_participant' };
          continue;
        }
        // Bookkeeping times (sent_at, the outbox row's first attempt) are the database host's, like every append.
        entries.push({ key: keyOf(d), dueAt: new Date(d.dueAt), message, version: stored.version });
        at.push(i);
      } catch (err) {
        // A malformed snapshot (or payload) fails this reminder alone, not the batch.
        out[i] = errorOf(i, 'its re-check failed', err);
      }
    }
    const results = await record(entries);
    const deliveries: string[] = [];
    const moved: number[] = [];
    results.forEach((r, j) => {
      const i = at[j]!;
      if (r instanceof Error) out[i] = errorOf(i, 'recording it failed', r);
      else if (r.status === 'claimed') {
        out[i] = { result: 'sent', outboxId: r.outboxId };
        deliveries.push(r.outboxId);
      } else if (r.status === 'exists') {
        out[i] = { result: 'already_sent' };
        if (r.pendingOutboxId) deliveries.push(r.pendingOutboxId);
      } else moved.push(i);
    });
    // Queued right after their commit: a later round failing does not strand the deliveries of this one.
    await queue(deliveries);
    todo = moved;
  }
  for (const i of todo) out[i] = new Error(`reminder ${reminderKeyString(keyOf(batch[i]!))}: its consultation kept changing; retried later`);
  return out as (RemindOutcome | Error)[];
}

/**
 * Gathers the reminders a worker is running at one instant into `processReminders` batches: a batch goes
 * when it holds `maxBatch` reminders (the worker's concurrency: every slot is waiting) or `lingerMs` after
 * its first one. Batches run concurrently; each job still completes or fails on its own outcome.
 */
export class RemindBatcher {
  private pending: { data: RemindJobData; resolve: (o: RemindOutcome) => void; reject: (e: Error) => void }[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly rt: JobsRuntime,
    private readonly maxBatch: number,
    private readonly lingerMs = 10,
  ) {}

  submit(data: RemindJobData): Promise<RemindOutcome> {
    return new Promise((resolve, reject) => {
      this.pending.push({ data, resolve, reject });
      if (this.pending.length >= this.maxBatch) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.lingerMs);
    });
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const items = this.pending.splice(0);
    if (items.length === 0) return;
    processReminders(
      this.rt,
      items.map((x) => x.data),
    ).then(
      (outcomes) => items.forEach((x, i) => (outcomes[i] instanceof Error ? x.reject(outcomes[i]) : x.resolve(outcomes[i] as RemindOutcome))),
      (err: unknown) => items.forEach((x) => x.reject(err instanceof Error ? err : new Error(String(err)))),
    );
  }
}

/** The BullMQ processor of the remind queue. Returns the outcome (the job's return value). */
export function remindProcessor(rt: JobsRuntime, batcher?: RemindBatcher): (job: Job) => Promise<RemindOutcome> {
  return async (job) => {
    const parsed = RemindJobSchema.safeParse(job.data);
    if (!parsed.success) {
      jobsTotal.inc({ job: 'remind', result: 'invalid' });
      throw new UnrecoverableError(`remind job ${job.id}: invalid payload: ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`);
    }
    try {
      const data = parsed.data as RemindJobData;
      const outcome = batcher ? await batcher.submit(data) : await processReminder(rt, data);
      jobsTotal.inc({ job: 'remind', result: outcome.result === 'stale' ? 'stale' : outcome.result === 'sent' ? 'ok' : 'duplicate' });
      if (outcome.result === 'stale') {
        rt.logger?.info({ jobId: job.id, consultationId: parsed.data.consultationId, reason: outcome.reason }, 'stale reminder: nothing sent');
      }
      return outcome;
    } catch (err) {
      jobsTotal.inc({ job: 'remind', result: 'failed' });
      throw err;
    }
  };
}

export function startRemindWorker(rt: JobsRuntime, opts: JobsWorkerOptions = {}): JobsWorker {
  // 64 slots by default: a remind job mostly waits for its batch, so slots are cheap and make batches of 16.
  const options = { concurrency: 64, maxStalledCount: 2, ...opts };
  // Batches of a quarter of the slots, so that up to four are in flight: while one waits on the database, the
  // worker keeps fetching the next jobs (a batch as big as the concurrency would hold every slot).
  return rt.jobs.worker(QUEUES.remind, remindProcessor(rt, new RemindBatcher(rt, Math.max(1, Math.ceil(options.concurrency / 4)))), options);
}
