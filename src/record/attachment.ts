/**
 * The audit record as a file for the notifiers (AttachmentSource): rendered as a PDF from the database at
 * delivery time. It waits for the consultation's digest: while a `digest` row of the consultation is still
 * pending, the answer is "not yet" (a transient failure: the deliver job retries), so in the ST channel the
 * file always comes after the digest. A digest that went dead does not hold the record back.
 */
import type { Directory } from '../directory/model.ts';
import type { AttachmentFile, AttachmentSource } from '../jobs/notifier.ts';
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
}

export function recordAttachments(deps: RecordAttachmentDeps): AttachmentSource {
  return {
    async load(attachment: MessageAttachment): Promise<AttachmentFile> {
      if (attachment.kind !== 'consultation_record' || attachment.format !== 'pdf') {
        return { ok: false, permanent: true, error: `record: unknown attachment ${attachment.kind}/${attachment.format}` };
      }
      if ((await deps.outbox.pendingCount(attachment.consultationId, ['digest'])) > 0) return { ok: false, error: WAITING_FOR_DIGEST };
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
