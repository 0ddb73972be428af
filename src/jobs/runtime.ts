/**
 * What the timed jobs (remind, close, reconcile, weekly digest) and the scheduler share: the jobs
 * backend, the flows' dependencies (store, live directory, clock, logger), the reminder record, the
 * policy, and how deliveries are queued. Built once by `startJobs` (./index.ts), or by hand in tests.
 */
import type { JobsOptions } from 'bullmq';
import type { FlowDeps, FlowLogger } from '../flows/ports.ts';
import type { LateDuties } from '../flows/messages/weekly-digest.ts';
import type { ConsultationSummary, NewOutboxMessage } from '../store/consultation-store.ts';
import type { JobsBackend } from './backend.ts';
import { resolvePolicy, type ReminderPolicy } from './plan.ts';
import type { ReminderStore } from './reminder-store.ts';

/** Queues delivery of outbox rows (./deliver.ts `enqueueDeliveries`). */
export type EnqueueDeliveries = (jobs: JobsBackend, outboxIds: readonly string[], options?: { first?: readonly string[] }) => Promise<void>;

export interface ConsultationLister {
  listConsultations(filter?: { stage?: string | readonly string[] }): Promise<ConsultationSummary[]>;
}

/** Outbox rows written outside a consultation's append (the weekly digest). */
export interface OutboxWriter {
  enqueue(messages: readonly NewOutboxMessage[], consultationId?: string | null): Promise<string[]>;
}

export interface JobsRuntime {
  jobs: JobsBackend;
  deps: FlowDeps;
  consultations: ConsultationLister;
  outbox: OutboxWriter;
  reminders: ReminderStore;
  policy: ReminderPolicy;
  enqueueDeliveries: EnqueueDeliveries;
  logger?: FlowLogger;
  /** The meetings' overdue duties, for the weekly digest (absent: the digest lists consultations only). */
  lateDuties?: () => Promise<LateDuties>;
}

export interface RuntimeInput {
  jobs: JobsBackend;
  deps: FlowDeps;
  consultations: ConsultationLister;
  outbox: OutboxWriter;
  reminders: ReminderStore;
  policy?: Partial<ReminderPolicy>;
  enqueueDeliveries: EnqueueDeliveries;
  logger?: FlowLogger;
  lateDuties?: () => Promise<LateDuties>;
}

export function createRuntime(input: RuntimeInput): JobsRuntime {
  const logger = input.logger ?? input.deps.logger;
  return {
    jobs: input.jobs,
    deps: input.deps,
    consultations: input.consultations,
    outbox: input.outbox,
    reminders: input.reminders,
    policy: resolvePolicy(input.policy),
    enqueueDeliveries: input.enqueueDeliveries,
    ...(logger ? { logger } : {}),
    ...(input.lateDuties ? { lateDuties: input.lateDuties } : {}),
  };
}

/**
 * Options of every remind and close job: retried with backoff when something throws (database down);
 * completed jobs kept two weeks (their ids then stay taken, so a re-plan of the same slot is a no-op),
 * failed ones a month (reconcile re-adds a failed job whose slot is still expected).
 */
export const TIMED_JOB_OPTIONS: Readonly<JobsOptions> = Object.freeze({
  attempts: 8,
  backoff: { type: 'exponential', delay: 5_000 },
  removeOnComplete: { age: 14 * 24 * 3_600, count: 100_000 },
  removeOnFail: { age: 30 * 24 * 3_600 },
});
