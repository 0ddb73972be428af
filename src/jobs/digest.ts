/**
 * The weekly digest to the ST channel: the open consultations, then the meetings' overdue duties (when
 * there are any; the PPT's focal points get those in their own weekly message, ./duty-digest.ts).
 * The weekly digest of open consultations to the ST channel: a Job Scheduler with a cron pattern in the
 * ST's time zone (default Monday 09:00), one outbox row per ISO week and ST channel named (dedupe keys
 * `weekly-digest:<week>` for Slack and `weekly-digest:<week>:teams` for Teams, so a retried or duplicated
 * run writes nothing twice), delivered like every other message.
 *
 * Off switch: `enabled: false` removes the scheduler. (The env var we would read in src/config.ts:
 * CRM_WEEKLY_DIGEST=off|on, and optionally CRM_WEEKLY_DIGEST_CRON for the pattern.)
 */
import { localDate } from '../calendar/index.ts';
import type { ConsultationState } from '../domain/types.ts';
import { openConsultationsDigestOutbox } from '../flows/effects.ts';
import { jobsTotal } from '../http/metrics.ts';
import type { JobsWorker, JobsWorkerOptions } from './backend.ts';
import { QUEUES } from './names.ts';
import { OPEN_STAGES } from './plan.ts';
import type { JobsRuntime } from './runtime.ts';

export interface WeeklyDigestOptions {
  /** Default true. */
  enabled?: boolean;
  /** Cron pattern (5 fields), in `timeZone`. Default Monday 09:00: `0 9 * * 1`. */
  pattern?: string;
  /** IANA zone of the pattern. Default: the ST's zone from the live directory. */
  timeZone?: string;
}

export const WEEKLY_DIGEST_SCHEDULER_ID = 'weekly-digest';
export const DEFAULT_WEEKLY_DIGEST_PATTERN = '0 9 * * 1';

/** ISO-8601 week of the local date of `instant` in `timeZone`, e.g. `2026-W49`. */
export function isoWeek(instant: Date, timeZone: string): string {
  const [y, m, d] = localDate(instant, timeZone).split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  const weekday = date.getUTCDay() || 7; // Monday 1 … Sunday 7
  date.setUTCDate(date.getUTCDate() + 4 - weekday); // the Thursday of this week decides the year
  const year = date.getUTCFullYear();
  const week = Math.ceil(((date.getTime() - Date.UTC(year, 0, 1)) / 86_400_000 + 1) / 7);
  return `${year}-W${String(week).padStart(2, '0')}`;
}

export const weeklyDigestKey = (week: string): string => `weekly-digest:${week}`;

export interface WeeklyDigestResult {
  week: string;
  open: number;
  /** The meetings' duties overdue, listed in it. */
  lateDuties: number;
  /** The first outbox row written, or undefined when this week's digest existed already. */
  outboxId?: string;
  /** Every row written: one per ST channel named (Slack, Teams), none when they existed already. */
  outboxIds: string[];
}

/** Writes this week's digest (once per ISO week) and queues its delivery. */
export async function sendWeeklyDigest(rt: JobsRuntime): Promise<WeeklyDigestResult> {
  const directory = rt.deps.directory.current();
  const week = isoWeek(rt.deps.clock.now(), directory.secretariat.timezone);
  const summaries = await rt.consultations.listConsultations({ stage: OPEN_STAGES });
  const states: ConsultationState[] = [];
  for (const s of summaries) {
    const stored = await rt.deps.store.load(s.id);
    if (stored) states.push(stored.snapshot as ConsultationState);
  }
  states.sort((a, b) => (a.deadline ?? '9999').localeCompare(b.deadline ?? '9999') || a.reference.localeCompare(b.reference));
  const late = rt.lateDuties ? await rt.lateDuties() : undefined;
  // One row per ST channel named, each with its own dedupe key (a channel's row written already is skipped).
  const messages = openConsultationsDigestOutbox(states, directory, week, weeklyDigestKey(week), late);
  const outboxIds = await rt.outbox.enqueue(messages, null);
  const [outboxId] = outboxIds;
  if (outboxIds.length > 0) {
    try {
      await rt.enqueueDeliveries(rt.jobs, outboxIds);
    } catch (err) {
      rt.logger?.error({ err, outboxIds }, 'weekly digest written; queuing its delivery failed (reconcile will)');
    }
  }
  return { week, open: states.length, lateDuties: late?.duties.length ?? 0, outboxIds, ...(outboxId ? { outboxId } : {}) };
}

export function startDigestWorker(rt: JobsRuntime, opts: JobsWorkerOptions = {}): JobsWorker {
  return rt.jobs.worker(
    QUEUES.digest,
    async () => {
      try {
        const r = await sendWeeklyDigest(rt);
        jobsTotal.inc({ job: 'digest', result: r.outboxId ? 'ok' : 'duplicate' });
        rt.logger?.info({ ...r }, r.outboxId ? 'weekly digest written' : 'weekly digest of this week existed already');
        return r;
      } catch (err) {
        jobsTotal.inc({ job: 'digest', result: 'failed' });
        throw err;
      }
    },
    { concurrency: 1, ...opts },
  );
}

/**
 * Registers (or updates) the weekly digest's Job Scheduler in the ST's zone, or removes it when
 * disabled. Returns the pattern and zone in force, or undefined when off.
 */
export async function registerWeeklyDigest(
  rt: JobsRuntime,
  options: WeeklyDigestOptions = {},
): Promise<{ pattern: string; timeZone: string } | undefined> {
  const queue = rt.jobs.queue(QUEUES.digest);
  if (options.enabled === false) {
    await queue.removeJobScheduler(WEEKLY_DIGEST_SCHEDULER_ID);
    return undefined;
  }
  const pattern = options.pattern ?? DEFAULT_WEEKLY_DIGEST_PATTERN;
  const timeZone = options.timeZone ?? rt.deps.directory.current().secretariat.timezone;
  await queue.upsertJobScheduler(
    WEEKLY_DIGEST_SCHEDULER_ID,
    { pattern, tz: timeZone },
    {
      name: QUEUES.digest,
      data: {},
      opts: { attempts: 5, backoff: { type: 'exponential', delay: 30_000 }, removeOnComplete: { count: 20 }, removeOnFail: { count: 20 } },
    },
  );
  return { pattern, timeZone };
}
