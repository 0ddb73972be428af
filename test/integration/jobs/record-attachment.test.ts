/**
 * The audit record shared in the ST channel after the digest, end to end: a consultation played through
 * the flows on PostgreSQL, its `record` outbox row (recordOutboxFor), the real deliver worker on Redis, the
 * real SlackNotifier rendering the PDF from the database at delivery time and sharing it through the local
 * fake Slack Web API (files.getUploadURLExternal, upload, files.completeUploadExternal). The PDF that
 * reached "Slack" is read back with pdf.js.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackWebClient, SlackNotifier } from '../../../src/adapters/slack/slack-notifier.ts';
import { enqueueDeliveries } from '../../../src/jobs/deliver.ts';
import { startJobs, type RunningJobs } from '../../../src/jobs/index.ts';
import { MultiNotifier } from '../../../src/jobs/notifier.ts';
import { silentLogger } from '../../../src/log.ts';
import { jobsTotal } from '../../../src/http/metrics.ts';
import { recordAttachments } from '../../../src/record/attachment.ts';
import { attachmentsByKind } from '../../../src/jobs/meeting-attachments.ts';
import { pictureAttachments } from '../../../src/pictures/attachment.ts';
import { recordFilename, recordOutboxFor } from '../../../src/record/outbox.ts';
import { startFakeSlackApi, type FakeSlackApi } from '../../helpers/fake-slack-api.ts';
import { pdfText } from '../../helpers/pdf-text.ts';
import { playRecordStory, type PlayedStory } from '../../helpers/record-story.ts';
import { NINE_CR, expectNoSideErrors, openTestApp, openTestJobs, until, type TestApp, type TestJobs } from './remind-harness.ts';

const ST_CHANNEL = 'C0ST0000001';
const RETRY = { attempts: 8, backoffMs: 150 };

let app: TestApp;
let jobs: TestJobs;
/** How many times a deliver job was put back to wait (crm_jobs_total{job="deliver",result="delayed"}). */
const delayedDeliveries = async () => (await jobsTotal.get()).values.filter((v) => v.labels.job === 'deliver' && v.labels.result === 'delayed').reduce((n, v) => n + v.value, 0);
let slack: FakeSlackApi;
let running: RunningJobs | undefined;

beforeAll(async () => {
  app = await openTestApp('postgres', 'record_attachment');
  app.clock.setVirtual(NINE_CR);
  jobs = await openTestJobs('redis', 'record_attachment');
  slack = await startFakeSlackApi();
});
afterAll(async () => {
  await running?.stop();
  await jobs?.dispose();
  await app?.dispose();
  await slack?.close();
});

async function startWorkers(): Promise<RunningJobs> {
  const { engine } = app;
  const notifier = new SlackNotifier({
    client: createSlackWebClient({ token: slack.token, apiUrl: slack.url }),
    logger: silentLogger(),
    attachments: attachmentsByKind({
      consultation_record: recordAttachments({ consultations: engine.consultations, outbox: engine.outbox, directory: () => engine.directory.current(), waitForDigestMs: 300 }),
      // The status picture shared next to the record (test/integration/jobs/picture-attachment.test.ts).
      consultation_picture: pictureAttachments({ consultations: engine.consultations, outbox: engine.outbox, directory: () => engine.directory.current(), reminders: async () => [], waitMs: 300 }),
    }),
  });
  return startJobs(engine, jobs.backend, new MultiNotifier({ slack: notifier }), {
    logger: app.logger,
    reconcileAtStart: false,
    deliver: { retry: RETRY },
  });
}

/** The `record` row of a played consultation: written by the flows with the close, as recordOutboxFor says. */
async function enqueueRecord(story: PlayedStory): Promise<string> {
  const expected = recordOutboxFor(story.state, app.engine.directory.current(), story.state.version);
  if (!expected) throw new Error('a closed consultation has a record row');
  const rows = await app.engine.db.prisma.outboxMessage.findMany({ where: { consultationId: story.id, kind: 'record' } });
  expect(rows.map((r) => r.dedupeKey)).toEqual([expected.dedupeKey]);
  // Enqueued again, it is the same row: the dedupe key keeps it once.
  expect(await app.engine.outbox.enqueue([expected], story.id)).toEqual([]);
  return rows[0]!.id;
}

const row = (id: string) => app.engine.outbox.get(id);

describe('the record attached to the digest in the ST channel', () => {
  let story: PlayedStory;
  let recordId: string;

  it('waits while the digest is undelivered: the job is put back (no attempt used), no file call', async () => {
    // Played before any worker runs: every message of the consultation, the digest included, is pending.
    story = await playRecordStory(app.engine);
    recordId = await enqueueRecord(story);
    running = await startWorkers();
    const before = await delayedDeliveries();
    await enqueueDeliveries(jobs.backend, [recordId], RETRY);
    // The deliver job looked at the record and delayed it twice: it keeps waiting for the digest.
    await until(async () => (await delayedDeliveries()) >= before + 2, 20_000, 'the record to be put back while the digest is pending');
    expect(await row(recordId)).toMatchObject({ status: 'pending', attempts: 0 });
    expect(slack.calls.filter((c) => c.method.startsWith('files.'))).toEqual([]);
  });

  it('once the digest is posted, shares the PDF in the ST channel, right after it', async () => {
    await running!.reconcileNow(); // queues every pending row: the digest, the notices, the live status
    await until(async () => (await row(recordId))?.status === 'sent', 30_000, 'the record to be shared');
    const sent = await row(recordId);
    expect(sent?.receipt).toMatchObject({ channel: ST_CHANNEL, file: expect.stringMatching(/^F/) });

    const messages = slack.messages(ST_CHANNEL);
    const digestAt = messages.findIndex((m) => m.metadata?.event_type === 'crm_consultation_closed');
    const fileAt = messages.findIndex((m) => m.files?.some((f) => f.name === recordFilename(story.reference)));
    expect(digestAt).toBeGreaterThanOrEqual(0);
    expect(fileAt).toBeGreaterThan(digestAt);
    // The message says what the file is, in the ST's language, and how to get it again.
    expect(messages[fileAt]!.text).toContain(`Registro de la consulta ${story.reference}`);
    expect(messages[fileAt]!.text).toContain(`npx crm consultations export ${story.reference} --format pdf`);

    const [file] = slack.files();
    expect(file).toMatchObject({
      filename: `${story.reference}-registro-record.pdf`,
      mimeType: 'application/pdf',
      title: `Registro de la consulta ${story.reference} / Record of consultation ${story.reference}`,
      channels: [ST_CHANNEL],
    });
    const text = (await pdfText(file!.bytes!)).text.replace(/\s+/g, ' ');
    expect(text).toContain('Cronología / Timeline');
    expect(text).toContain('Intentos rechazados / Refused attempts');
    expect(text).toContain(`Hash (SHA-256): ${story.state.currentVersion}`);
    expect(text).toContain('República Dominicana');
    expect(text).toContain('Andre Campbell');
    expect(text).toContain('The RCM proposes a concerted consular protection action.');
    expectNoSideErrors(app.logger);
  });

  it('shares once after an ambiguous failure (Slack shared it, then answered 500)', async () => {
    const second = await playRecordStory(app.engine, { title: 'Segunda consulta' });
    await until(async () => (await app.engine.outbox.pendingCount(second.id, ['digest'])) === 0, 30_000, 'the second digest');
    slack.failNext('files.completeUploadExternal', { status: 500, afterProcessing: true });
    const id = await enqueueRecord(second);
    await enqueueDeliveries(jobs.backend, [id], RETRY);
    await until(async () => (await row(id))?.status === 'sent', 30_000, 'the second record to be shared');
    const shares = slack.messages(ST_CHANNEL).filter((m) => m.files?.some((f) => f.name === recordFilename(second.reference)));
    expect(shares).toHaveLength(1);
    expect((await row(id))?.attempts).toBeGreaterThanOrEqual(1);
  });
});
