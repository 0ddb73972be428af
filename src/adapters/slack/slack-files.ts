/**
 * Sharing a file in a Slack channel, the way Slack asks for it since files.upload was retired:
 *   1. files.getUploadURLExternal({ filename, length })        → { upload_url, file_id }
 *   2. POST the bytes to upload_url (a pre-signed URL: no token)
 *   3. files.completeUploadExternal({ files: [{ id, title }], channel_id, initial_comment })
 * Step 3 is the one that shares (and posts the message with the file); steps 1 and 2 may be repeated
 * freely. A retry after an ambiguous failure first looks for a message of the channel carrying a file of
 * the same name (`findSharedFile`). Needs the `files:write` scope (slack/manifest.yaml).
 */

/** One Web API call (the notifier's, which turns `ok: false` into a thrown error). */
export type SlackCall = (method: string, args: Record<string, unknown>) => Promise<Record<string, unknown>>;

export interface FileShare {
  channel: string;
  filename: string;
  title: string;
  mimeType: string;
  bytes: Uint8Array;
  /** The message that introduces the file (mrkdwn, already escaped). */
  comment: string;
}

/** The upload URL answered with an HTTP error: transient, like any Web API 5xx. */
export class SlackUploadError extends Error {
  constructor(readonly status: number) {
    super(`slack:upload_http_${status}`);
    this.name = 'SlackUploadError';
  }
}

export async function shareFile(call: SlackCall, share: FileShare, signal?: AbortSignal): Promise<{ fileId: string }> {
  const target = await call('files.getUploadURLExternal', { filename: share.filename, length: share.bytes.length });
  const uploadUrl = target['upload_url'];
  const fileId = target['file_id'];
  if (typeof uploadUrl !== 'string' || typeof fileId !== 'string') throw new SlackUploadError(0);
  const res = await fetch(uploadUrl, {
    method: 'POST',
    headers: { 'content-type': share.mimeType },
    body: share.bytes,
    ...(signal ? { signal } : {}),
  });
  await res.arrayBuffer().catch(() => undefined);
  if (!res.ok) throw new SlackUploadError(res.status);
  await call('files.completeUploadExternal', {
    files: JSON.stringify([{ id: fileId, title: share.title }]),
    channel_id: share.channel,
    initial_comment: share.comment,
  });
  return { fileId };
}

/** The id of a file named `filename` shared in one of `messages` (conversations.history), if any. */
export function findSharedFile(messages: unknown, filename: string): string | undefined {
  if (!Array.isArray(messages)) return undefined;
  for (const m of messages as { files?: unknown }[]) {
    if (!Array.isArray(m.files)) continue;
    const hit = (m.files as { id?: unknown; name?: unknown }[]).find((f) => f.name === filename && typeof f.id === 'string');
    if (hit) return hit.id as string;
  }
  return undefined;
}
