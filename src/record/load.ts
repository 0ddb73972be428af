/**
 * The audit record of one consultation, read from the database: its snapshot, its event log and its
 * refused attempts, with the live directory (country names). Used by the CLI and by the Slack
 * attachment, which renders it at delivery time so the outbox row stays small.
 */
import type { Directory } from '../directory/model.ts';
import type { ConsultationState } from '../domain/types.ts';
import type { StoredCommand, StoredConsultation, StoredEvent } from '../store/consultation-store.ts';
import { buildRecord, type AuditRecord } from './model.ts';

/** What the record needs of the consultation store (store/consultation-store.ts implements it). */
export interface RecordSource {
  load(id: string): Promise<StoredConsultation | undefined>;
  loadByReference(reference: string): Promise<StoredConsultation | undefined>;
  events(consultationId: string): Promise<StoredEvent[]>;
  refusals(consultationId: string): Promise<StoredCommand[]>;
}

export async function loadRecord(
  source: RecordSource,
  which: { reference: string } | { consultationId: string },
  directory: Directory,
  now: Date,
): Promise<AuditRecord | undefined> {
  const stored = 'reference' in which ? await source.loadByReference(which.reference) : await source.load(which.consultationId);
  if (!stored) return undefined;
  const [events, refusals] = await Promise.all([source.events(stored.id), source.refusals(stored.id)]);
  return buildRecord({ state: stored.snapshot as ConsultationState, events, refusals, directory, generatedAt: now });
}
