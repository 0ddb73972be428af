/**
 * What the duty jobs share (reminders, reconcile, the weekly list of overdue duties): the jobs backend,
 * the meetings store, the live directory, the clock, the reminder record, the outbox, the policies and
 * how deliveries are queued. Built by `startDutyJobs` (./duties.ts), or by hand in tests.
 */
import type { DutyPolicy } from '../domain/meetings/index.ts';
import type { Clock, DirectorySource, FlowLogger } from '../flows/ports.ts';
import type { MeetingStore } from '../store/meeting-store.ts';
import type { JobsBackend } from './backend.ts';
import { resolveDutyReminderPolicy, type DutyReminderPolicy } from './duty-plan.ts';
import type { DutyReminderStore } from './duty-reminder-store.ts';
import type { EnqueueDeliveries, OutboxWriter } from './runtime.ts';

/**
 * The duty jobs share one queue and one worker (a small load on the embedded backend, whose PGlite serves
 * one statement at a time), told apart by job name. Reminder ids: ./duty-plan.ts `dutyJobId`.
 */
export const DUTY_QUEUE = 'duties';

export const DUTY_JOBS = {
  /** Sends one duty reminder slot if the duty is still owed. */
  remind: 'duty-remind',
  /** Rebuilds every expected duty reminder job from the database (Job Scheduler, and at start-up). */
  reconcile: 'duty-reconcile',
  /** The week's overdue duties to the ST channel and the PPT (Job Scheduler in the ST's zone). */
  digest: 'duty-digest',
} as const;

export interface DutyRuntime {
  jobs: JobsBackend;
  meetings: MeetingStore;
  reminders: DutyReminderStore;
  outbox: OutboxWriter;
  directory: DirectorySource;
  clock: Clock;
  enqueueDeliveries: EnqueueDeliveries;
  policy: DutyReminderPolicy;
  dutyPolicy?: Partial<DutyPolicy>;
  logger?: FlowLogger;
}

export type DutyRuntimeInput = Omit<DutyRuntime, 'policy'> & { policy?: Partial<DutyReminderPolicy> };

export function createDutyRuntime(input: DutyRuntimeInput): DutyRuntime {
  return { ...input, policy: resolveDutyReminderPolicy(input.policy) };
}

/** The snapshot the duty jobs read: what meetings-flows computes for the CLI, from the same store. */
export function snapshotDeps(rt: DutyRuntime) {
  return { meetings: rt.meetings, directory: rt.directory, clock: rt.clock, ...(rt.dutyPolicy ? { dutyPolicy: rt.dutyPolicy } : {}) };
}
