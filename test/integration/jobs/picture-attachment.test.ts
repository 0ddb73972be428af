/**
 * The status picture shared in the ST channel next to the PDF record, end to end: a consultation played
 * through the flows on PostgreSQL writes its `status_picture` row (pictureOutboxFor) with the close; the real
 * deliver worker on Redis and the real SlackNotifier render the PNG from the database at delivery time and
 * share it through the local fake Slack Web API, after the digest and after the record. The PNG that
 * reached "Slack" is the picture of the consultation's final state (the unit tests show that picture's
 * text is drawn: test/unit/pictures).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackWebClient, SlackNotifier } from '../../../src/adapters/slack/slack-notifier.ts';
import { attachmentsByKind } from '../../../src/jobs/meeting-attachments.ts';
import { startJobs, type RunningJobs } from '../../../src/jobs/index.ts';
import { MultiNotifier } from '../../../src/jobs/notifier.ts';
import { silentLogger } from '../../../src/log.ts';
import { pictureAttachments } from '../../../src/pictures/attachment.ts';
import { consultationPictureSvg, pictureFilename, svgToPng } from '../../../src/pictures/index.ts';
import { recordAttachments } from '../../../src/record/attachment.ts';
import { recordFilename } from '../../../src/record/outbox.ts';
import { startFakeSlackApi, type FakeSlackApi } from '../../helpers/fake-slack-api.ts';
import { playRecordStory } from '../../helpers/record-story.ts';
import { NINE_CR, expectNoSideErrors, openTestApp, openTestJobs, until, type TestApp, type TestJobs } from './remind-harness.ts';

const ST_CHANNEL = 'C0ST0000001';
const RETRY = { attempts: 8, backoffMs: 150 };

let app: TestApp;
let jobs: TestJobs;
let slack: FakeSlackApi;
let running: RunningJobs | undefined;

beforeAll(async () => {
  app = await openTestApp('postgres', 'picture_attachment');
  app.clock.setVirtual(NINE_CR);
  jobs = await openTestJobs('redis', 'picture_attachment');
  slack = await startFakeSlackApi();
});
afterAll(async () => {
  await running?.stop();
  await jobs?.dispose();
  await app?.dispose();
  await slack?.close();
});

describe('the status picture attached next to the record in the ST channel', () => {
  it('is shared as a PNG after the digest and the PDF, once, and shows the final state', async () => {
    const { engine } = app;
    const story = await playRecordStory(engine);
    const rows = await engine.db.prisma.outboxMessage.findMany({ where: { consultationId: story.id, kind: 'status_picture' } });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.recipient).toEqual({ kind: 'secretariat_channel', slack: ST_CHANNEL });

    const notifier = new SlackNotifier({
      client: createSlackWebClient({ token: slack.token, apiUrl: slack.url }),
      logger: silentLogger(),
      attachments: attachmentsByKind({
        consultation_record: recordAttachments({ consultations: engine.consultations, outbox: engine.outbox, directory: () => engine.directory.current(), waitForDigestMs: 300 }),
        consultation_picture: pictureAttachments({
          consultations: engine.consultations,
          outbox: engine.outbox,
          directory: () => engine.directory.current(),
          reminders: async () => [],
          waitMs: 300,
        }),
      }),
    });
    running = await startJobs(engine, jobs.backend, new MultiNotifier({ slack: notifier }), { logger: app.logger, reconcileAtStart: false, deliver: { retry: RETRY } });
    await running.reconcileNow(); // queues every pending row: the digest, the record, the picture, the notices
    const row = () => engine.outbox.get(rows[0]!.id);
    await until(async () => (await row())?.status === 'sent', 60_000, 'the picture to be shared');
    expect((await row())?.receipt).toMatchObject({ channel: ST_CHANNEL, file: expect.stringMatching(/^F/) });

    const messages = slack.messages(ST_CHANNEL);
    const digestAt = messages.findIndex((m) => m.metadata?.event_type === 'crm_consultation_closed');
    const pdfAt = messages.findIndex((m) => m.files?.some((f) => f.name === recordFilename(story.reference)));
    const pngAt = messages.findIndex((m) => m.files?.some((f) => f.name === pictureFilename(story.reference)));
    expect(digestAt).toBeGreaterThanOrEqual(0);
    expect(pdfAt).toBeGreaterThan(digestAt);
    expect(pngAt).toBeGreaterThan(pdfAt);
    expect(messages[pngAt]!.text).toContain(`Estado y cronología de la consulta ${story.reference}, en imagen`);

    const shared = slack.files().filter((f) => f.filename === pictureFilename(story.reference));
    expect(shared).toHaveLength(1);
    expect(shared[0]).toMatchObject({ mimeType: 'image/png', title: `Estado de la consulta ${story.reference}`, channels: [ST_CHANNEL] });
    // The very picture of the final state, in the ST's language and zone.
    const stored = await engine.consultations.load(story.id);
    const directory = engine.directory.current();
    const expected = svgToPng(consultationPictureSvg(stored!.snapshot as never, directory, { locale: 'es', timezone: directory.secretariat.timezone, reminders: [] }));
    expect(Buffer.from(shared[0]!.bytes!).equals(Buffer.from(expected))).toBe(true);
    expectNoSideErrors(app.logger);
  });
});
