/**
 * Queue names and deterministic job ids: the contract between the flows (which schedule), the
 * processors (which run) and reconcile (which recreates). BullMQ custom ids must not look like integers
 * and must not contain ':' — ids here are `<kind>.<parts joined by '.'>`, never numeric.
 */
export const QUEUES = {
  /** Sends one outbox message through a Notifier. */
  deliver: 'deliver',
  /** Sends one reminder slot (member or Troika) if it is still due. */
  remind: 'remind',
  /** Closes the member stage at its deadline (carries the deadline version). */
  close: 'close',
  /** Rebuilds every expected job from the database (Job Scheduler, and at start-up). */
  reconcile: 'reconcile',
  /** Weekly digest of open consultations to the ST channel (Job Scheduler in the ST's zone). */
  digest: 'digest',
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

const safe = (s: string | number): string => String(s).replace(/[^A-Za-z0-9_-]/g, '_');

export const jobIds = {
  deliver: (outboxId: string) => `deliver.${safe(outboxId)}`,
  close: (consultationId: string, deadlineVersion: number) => `close.${safe(consultationId)}.v${deadlineVersion}`,
  /** One reminder slot for one person: `slot` e.g. `D-2`, `D-0`, `troika-1`. */
  remind: (consultationId: string, personId: string, slot: string, deadlineVersion: number) =>
    `remind.${safe(consultationId)}.${safe(personId)}.${safe(slot)}.v${deadlineVersion}`,
};
