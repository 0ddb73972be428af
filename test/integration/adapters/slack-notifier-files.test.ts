/**
 * SlackNotifier sharing a file a message names (the audit record), with the real WebClient against the
 * fake Slack Web API over loopback HTTP: the three calls, the bytes that arrive, a file not ready yet,
 * rate limits, upload failures, and the text-only fallback when no attachment source is configured.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSlackWebClient, SlackNotifier, type SlackDeliveryItem } from '../../../src/adapters/slack/slack-notifier.ts';
import type { AttachmentFile, AttachmentSource } from '../../../src/jobs/notifier.ts';
import { silentLogger } from '../../../src/log.ts';
import type { MessageAttachment, NeutralMessage } from '../../../src/messages/neutral.ts';
import { startFakeSlackApi, type FakeSlackApi } from '../../helpers/fake-slack-api.ts';

const ST = 'C0ST0000001';
const attachment: MessageAttachment = { kind: 'consultation_record', consultationId: 'c-1', reference: 'CRM-2026-001', format: 'pdf', filename: 'CRM-2026-001-registro-record.pdf' };
const message: NeutralMessage = {
  kind: 'record',
  locale: 'es',
  consultationId: 'c-1',
  reference: 'CRM-2026-001',
  heading: 'Registro de la consulta CRM-2026-001',
  body: ['Se adjunta el registro completo <en PDF>.', 'También: npx crm consultations export CRM-2026-001 --format pdf'],
  fields: [],
  buttons: [],
  attachment,
};
const item = (over: Partial<SlackDeliveryItem> = {}): SlackDeliveryItem => ({
  id: 'o-9',
  dedupeKey: 'c-1:18:record:st-channel',
  platform: 'slack',
  recipient: { kind: 'secretariat_channel', slack: ST },
  kind: 'record',
  payload: message,
  ...over,
});
const PDF = Buffer.from('%PDF-1.7\n% a tiny stand-in for the record\n');

class Files implements AttachmentSource {
  next: AttachmentFile = { ok: true, filename: attachment.filename, title: 'Registro / Record', mimeType: 'application/pdf', bytes: PDF };
  loads = 0;
  async load(): Promise<AttachmentFile> {
    this.loads += 1;
    return this.next;
  }
}

let slack: FakeSlackApi;
let files: Files;
let notifier: SlackNotifier;

beforeEach(async () => {
  slack = await startFakeSlackApi();
  files = new Files();
  notifier = new SlackNotifier({ client: createSlackWebClient({ token: slack.token, apiUrl: slack.url }), logger: silentLogger(), attachments: files });
});
afterEach(async () => {
  await slack.close();
});

describe('SlackNotifier: a message with a file', () => {
  it('gets an upload URL, uploads the bytes, shares the file in the channel with the message as comment', async () => {
    const out = await notifier.send(item());
    expect(out).toEqual({ ok: true, receipt: { channel: ST, file: 'F0FAKE00001' } });
    expect(slack.calls.map((c) => c.method)).toEqual(['files.getUploadURLExternal', 'files.completeUploadExternal']);
    expect(slack.callsOf('files.getUploadURLExternal')[0]!.args).toMatchObject({ filename: attachment.filename, length: String(PDF.length) });
    const [file] = slack.files();
    expect(file).toMatchObject({ filename: attachment.filename, title: 'Registro / Record', mimeType: 'application/pdf', channels: [ST] });
    expect(file!.bytes).toEqual(PDF);
    const [posted] = slack.messages(ST);
    expect(posted!.files).toEqual([{ id: 'F0FAKE00001', name: attachment.filename, title: 'Registro / Record' }]);
    // Our words, escaped for mrkdwn; the heading in bold.
    expect(posted!.text).toBe('*Registro de la consulta CRM-2026-001*\nSe adjunta el registro completo &lt;en PDF&gt;.\nTambién: npx crm consultations export CRM-2026-001 --format pdf');
  });

  it('a file not ready yet is a transient failure, and nothing reaches Slack', async () => {
    files.next = { ok: false, error: 'record: waiting for the digest to be delivered first' };
    expect(await notifier.send(item())).toEqual({ ok: false, error: 'record: waiting for the digest to be delivered first' });
    files.next = { ok: false, permanent: true, error: 'record: the consultation is not in the database' };
    expect(await notifier.send(item())).toMatchObject({ ok: false, permanent: true });
    expect(slack.calls).toEqual([]);
  });

  it('a rate limit comes back with its Retry-After; an upload error is transient', async () => {
    slack.failNext('files.getUploadURLExternal', { status: 429, retryAfter: 4 });
    expect(await notifier.send(item())).toMatchObject({ ok: false, retryAfterMs: 4000 });
    slack.failNext('files.completeUploadExternal', { error: 'file_not_found' });
    const failed = await notifier.send(item());
    expect(failed).toMatchObject({ ok: false, error: 'slack:file_not_found' });
    expect(failed).not.toHaveProperty('permanent');
    expect(slack.messages(ST)).toEqual([]);
  });

  it('a retry finds the file already shared and does not share it twice', async () => {
    expect((await notifier.send(item())).ok).toBe(true);
    const again = await notifier.send(item({ attempts: 1 }));
    expect(again).toEqual({ ok: true, receipt: { channel: ST, file: 'F0FAKE00001' } });
    expect(slack.callsOf('files.completeUploadExternal')).toHaveLength(1);
    expect(files.loads).toBe(1);
  });

  it('without an attachment source, the message is posted as text alone', async () => {
    const plain = new SlackNotifier({ client: createSlackWebClient({ token: slack.token, apiUrl: slack.url }), logger: silentLogger() });
    expect((await plain.send(item())).ok).toBe(true);
    expect(slack.callsOf('chat.postMessage')).toHaveLength(1);
    expect(slack.messages(ST)[0]!.text).toContain('Registro de la consulta CRM-2026-001');
    expect(slack.files()).toEqual([]);
  });
});
