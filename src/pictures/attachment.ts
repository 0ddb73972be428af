/**
 * The digest's picture as a file for the notifiers (AttachmentSource): the status matrix and the timeline
 * rendered as a PNG from the database at delivery time (the snapshot and the reminders sent). It comes
 * after the digest and the PDF record: while a `digest` or `record` row of the consultation is pending it
 * waits a little, then answers "not yet" (transient: the deliver job retries), as the record does for the
 * digest. A row that went dead does not hold it.
 */
import type { Directory } from '../directory/model.ts';
import type { ConsultationState, IsoInstant } from '../domain/types.ts';
import { t } from '../i18n/index.ts';
import type { AttachmentFile, AttachmentSource } from '../flows/notifier.ts';
import type { MessageAttachment } from '../messages/neutral.ts';
import { consultationPictureSvg } from './index.ts';
import { svgToPng } from './png.ts';

export const WAITING_FOR_RECORD = 'picture: waiting for the digest and the record to be delivered first';

export interface PictureAttachmentDeps {
  consultations: { load(id: string): Promise<{ snapshot: unknown } | undefined> };
  /** Reminders sent for the consultation (the `reminders_sent` table). */
  reminders: (consultationId: string) => Promise<{ at: IsoInstant; country?: string }[]>;
  outbox: { pendingCount(consultationId: string, kinds: readonly string[]): Promise<number> };
  directory: () => Directory;
  /** How long to wait for the pending digest and record (default 10 s; polled every 250 ms). */
  waitMs?: number;
}

const POLL_MS = 250;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function pictureAttachments(deps: PictureAttachmentDeps): AttachmentSource {
  return {
    async load(attachment: MessageAttachment): Promise<AttachmentFile> {
      if (attachment.kind !== 'consultation_picture' || attachment.format !== 'png') {
        return { ok: false, permanent: true, error: `picture: unknown attachment ${attachment.kind}/${attachment.format}` };
      }
      const until = Date.now() + (deps.waitMs ?? 10_000);
      while ((await deps.outbox.pendingCount(attachment.consultationId, ['digest', 'record'])) > 0) {
        if (Date.now() >= until) return { ok: false, error: WAITING_FOR_RECORD };
        await sleep(POLL_MS);
      }
      const stored = await deps.consultations.load(attachment.consultationId);
      if (!stored) return { ok: false, permanent: true, error: 'picture: the consultation is not in the database' };
      const state = stored.snapshot as ConsultationState;
      const directory = deps.directory();
      const svg = consultationPictureSvg(state, directory, {
        locale: attachment.locale,
        timezone: directory.secretariat.timezone,
        reminders: await deps.reminders(attachment.consultationId),
      });
      return {
        ok: true,
        filename: attachment.filename,
        title: t(attachment.locale, 'picture.file_title', { reference: state.reference }),
        mimeType: 'image/png',
        bytes: svgToPng(svg),
      };
    },
  };
}
