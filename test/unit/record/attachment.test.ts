import { describe, expect, it } from 'vitest';
import { recordAttachments, WAITING_FOR_DIGEST } from '../../../src/record/attachment.ts';
import type { RecordSource } from '../../../src/record/load.ts';
import { recordFilename } from '../../../src/record/outbox.ts';
import { ID } from '../domain/fixtures.ts';
import { directory, fullStory } from './scenario.ts';

const story = fullStory();
const source: RecordSource = {
  load: async (id) =>
    id === ID
      ? { id, reference: story.s.reference, stage: story.s.stage, title: story.s.title, version: 12, snapshot: story.s, deadline: null, deadlineVersion: 0, outcome: null, createdAt: new Date(), updatedAt: new Date() }
      : undefined,
  loadByReference: async () => undefined,
  events: async () => story.events.map((e, i) => ({ consultationId: ID, seq: i + 1, type: e.type, payload: e, actorPersonId: null, actorPlatform: 'slack', at: new Date(e.at), recordedAt: new Date(e.at) })),
  refusals: async () => [],
};
const attachment = { kind: 'consultation_record' as const, consultationId: ID, reference: story.s.reference, format: 'pdf' as const, filename: recordFilename(story.s.reference) };

/** An outbox whose digest is pending for the first `polls` questions. */
const outbox = (polls: number) => {
  let asked = 0;
  return { asked: () => asked, pendingCount: async () => (asked++ < polls ? 1 : 0) };
};

describe('recordAttachments', () => {
  it('renders the PDF at once when the digest is out', async () => {
    const o = outbox(0);
    const file = await recordAttachments({ consultations: source, outbox: o, directory: () => directory }).load(attachment);
    expect(file).toMatchObject({ ok: true, filename: 'CRM-2026-003-registro-record.pdf', mimeType: 'application/pdf', title: 'Registro de la consulta CRM-2026-003 / Record of consultation CRM-2026-003' });
    if (file.ok) expect(Buffer.from(file.bytes).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });

  it('waits a little while the digest is pending, then renders', async () => {
    const o = outbox(2);
    const file = await recordAttachments({ consultations: source, outbox: o, directory: () => directory, waitForDigestMs: 5_000 }).load(attachment);
    expect(file.ok).toBe(true);
    expect(o.asked()).toBe(3);
  });

  it('answers "not yet" when the digest stays pending, "never" when the consultation is gone', async () => {
    const waiting = await recordAttachments({ consultations: source, outbox: outbox(Infinity), directory: () => directory, waitForDigestMs: 300 }).load(attachment);
    expect(waiting).toEqual({ ok: false, error: WAITING_FOR_DIGEST });
    const gone = await recordAttachments({ consultations: source, outbox: outbox(0), directory: () => directory }).load({ ...attachment, consultationId: 'nope' });
    expect(gone).toMatchObject({ ok: false, permanent: true });
  });
});
