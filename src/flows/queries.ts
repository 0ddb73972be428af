/**
 * Read model for the chat adapters' questions (`/crm estado`, `/crm lista`, the Home tab): the snapshots of
 * open consultations, one consultation by reference, the latest ended ones. Read-only; no decision here.
 */
import type { ConsultationState, Stage } from '../domain/types.ts';
import type { ConsultationSummary, StoredConsultation } from '../store/consultation-store.ts';

export const OPEN_STAGES: readonly Stage[] = ['draft', 'troika_review', 'member_consultation'];
export const ENDED_STAGES: readonly Stage[] = ['closed', 'withdrawn', 'not_endorsed'];

/** What the queries need of the store (implemented by store/consultation-store.ts). */
export interface ConsultationReader {
  listConsultations(filter?: { stage?: string | readonly string[] }): Promise<ConsultationSummary[]>;
  load(id: string): Promise<StoredConsultation | undefined>;
  loadByReference(reference: string): Promise<StoredConsultation | undefined>;
}

async function states(reader: ConsultationReader, summaries: readonly ConsultationSummary[]): Promise<ConsultationState[]> {
  const loaded = await Promise.all(summaries.map((s) => reader.load(s.id)));
  return loaded.filter((c): c is StoredConsultation => c !== undefined).map((c) => c.snapshot as ConsultationState);
}

/** Every open consultation (draft, Troika review, member consultation), newest first. */
export async function openConsultations(reader: ConsultationReader): Promise<ConsultationState[]> {
  const list = await reader.listConsultations({ stage: OPEN_STAGES });
  return (await states(reader, list)).reverse();
}

/** The latest `limit` ended consultations (closed, withdrawn, not endorsed), newest first. */
export async function recentlyEnded(reader: ConsultationReader, limit = 10): Promise<ConsultationState[]> {
  const list = await reader.listConsultations({ stage: ENDED_STAGES });
  return (await states(reader, list.slice(-limit))).reverse();
}

export async function consultationByReference(reader: ConsultationReader, reference: string): Promise<ConsultationState | undefined> {
  const stored = await reader.loadByReference(reference);
  return stored ? (stored.snapshot as ConsultationState) : undefined;
}
