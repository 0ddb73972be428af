/**
 * The audit record as a file for the notifiers (AttachmentSource): rendered as a PDF from the database at
 * delivery time. It comes after the consultation's digest: the digest and the record are written together
 * and delivered by parallel jobs, so while a `digest` row of the consultation is still pending the source
 * waits a little (the digest is normally posted within a second), then answers "not yet" — a transient
 * failure the deliver job retries with its backoff (a Slack outage on the digest holds the record too). In
 * the ST channel the file therefore always follows the digest. A digest that went dead does not hold it.
 */
import type { Directory } from '../directory/model.ts';
import type { AttachmentFile, AttachmentSource } from '../flows/notifier.ts';
import type { MessageAttachment } from '../messages/neutral.ts';
import { loadRecord, type RecordSource } from './load.ts';
import { renderPdf } from './pdf.ts';
import { both } from './words.ts';
import { t } from '../i18n/index.ts';

export const WAITING_FOR_DIGEST = 'record: waiting for the digest to be delivered first';

export interface RecordAttachmentDeps {
  consultations: RecordSource;
  outbox: { pendingCount(consultationId: string, kinds: readonly string[]): Promise<number> };
  /** The live directory (country names). */
  directory: () => Directory;
  now?: () => Date;
  /** How long to wait for a pending digest before answering "not yet" (default 10 s; polled every 250 ms). */
  waitForDigestMs?: number;
}

const POLL_MS = 250;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function recordAttachments(deps: RecordAttachmentDeps): AttachmentSource {
  return {
    async load(attachment: MessageAttachment): Promise<AttachmentFile> {
      if (attachment.kind !== 'consultation_record' || attachment.format !== 'pdf') {
        return { ok: false, permanent: true, error: `record: unknown attachment ${attachment.kind}/${attachment.format}` };
      }
      const until = Date.now() + (deps.waitForDigestMs ?? 10_000);
      while ((await deps.outbox.pendingCount(attachment.consultationId, ['digest'])) > 0) {
        if (Date.now() >= until) return { ok: false, error: WAITING_FOR_DIGEST };
        await sleep(POLL_MS);
      }
      const record = await loadRecord(deps.consultations, { consultationId: attachment.consultationId }, deps.directory(), deps.now?.() ?? new Date());
      if (!record) return { ok: false, permanent: true, error: 'record: the consultation is not in the database' };
      return {
        ok: true,
        filename: attachment.filename,
        title: both((l) => t(l, 'record.title', { reference: record.reference })),
        mimeType: 'application/pdf',
        bytes: await renderPdf(record),
      };
    },
  };
}
