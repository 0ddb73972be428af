/**
 * The deliver job on every BullMQ backend (Redis, PostgreSQL, embedded PGlite), with the outbox on an
 * in-memory PGlite and a RecordingNotifier behind a MultiNotifier. Each scenario's notifier script only
 * matches its own row (by dedupe key), so the scenarios share one worker per backend.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUES, jobIds } from '../../../src/jobs/names.ts';
import {
  DEAD_LETTER_KIND,
  enqueueDeliveries,
  startDeliverWorker,
  type RetryPolicy,
  type SecretariatAddress,
} from '../../../src/jobs/deliver.ts';
import { MultiNotifier, RecordingNotifier, type DeliveryItem } from '../../../src/jobs/notifier.ts';
import { outboxDeadTotal, outboxDeliveriesTotal } from '../../../src/http/metrics.ts';
import type { NeutralMessage, Recipient } from '../../../src/messages/neutral.ts';
import { OutboxStore } from '../../../src/store/outbox-store.ts';
import { openTestDatabase, type TestDatabase } from '../../helpers/db.ts';
import { SETUP_MS, EVENT_WAIT_MS, JOBS_KINDS, jobFinished, memoryLogger, openTestJobs, until, type TestJobs } from '../../fixtures/jobs/backends.ts';

const ST: SecretariatAddress = { recipient: { kind: 'secretariat_channel', slack: 'C0STCHANNEL' }, platform: 'slack' };
const TEAMS_ST = '19:0f1e2d3c4b5a@thread.tacv2';
/** A directory naming both ST channels: Slack first (the key it always had), then Teams. */
const BOTH: SecretariatAddress[] = [
  { ...ST, key: 'st-channel' },
  { recipient: { kind: 'secretariat_channel', teams: TEAMS_ST }, platform: 'teams', key: 'st-channel:teams' },
];
const FAST: RetryPolicy = { attempts: 4, backoffMs: 100 };

async function metric(counter: typeof outboxDeadTotal | typeof outboxDeliveriesTotal, labels: Record<string, string>): Promise<number> {
  const { values } = await counter.get();
  return values
    .filter((v) => Object.entries(labels).every(([k, want]) => (v.labels as Record<string, unknown>)[k] === want))
    .reduce((sum, v) => sum + v.value, 0);
}

describe.each(JOBS_KINDS)('deliver job on %s', (kind) => {
  let db: TestDatabase;
  let jobs: TestJobs;
  let outbox: OutboxStore;
  const slack = new RecordingNotifier();
  const teams = new RecordingNotifier();
  /** The ST channels the workers read when a row dies (the last scenarios name both). */
  let sts: SecretariatAddress | SecretariatAddress[] = ST;
  const logger = memoryLogger();
  const dead: { id: string; reason: string; deadLetterId?: string }[] = [];

  beforeAll(async () => {
    db = await openTestDatabase('pglite', import.meta.url);
    jobs = await openTestJobs(kind, import.meta.url);
    outbox = new OutboxStore(db.prisma);
    // Two workers, as two replicas of the bot would run: a rate limit must hold for both (BullMQ only
    // honours a manual rate limit across workers when a `limiter` is configured).
    for (let n = 0; n < 2; n++) {
      const worker = startDeliverWorker(
        jobs.backend,
        {
          outbox,
          notifier: new MultiNotifier({ slack, teams }),
          logger,
          secretariat: () => sts,
          sendTimeoutMs: 1_000,
          onDead: (item, info) => void dead.push({ id: item.id, ...info }),
        },
        { retry: FAST, worker: { concurrency: 2 } },
      );
      await worker.waitUntilReady();
    }
  }, SETUP_MS);
  afterAll(async () => {
    await jobs?.dispose();
    await db?.dispose();
  }, SETUP_MS);

  const person = (name = 'Ana Pérez'): Recipient => ({ kind: 'person', personId: `p-${randomUUID()}`, name, slack: 'U0ANA' });

  /** Writes one outbox row and returns it with a `mine` predicate for notifier scripts. */
  async function write(opts: { kind?: string; platform?: string; recipient?: Recipient; notBefore?: Date } = {}) {
    const dedupeKey = `test.${randomUUID()}`;
    const payload: Partial<NeutralMessage> = { kind: 'reminder', locale: 'es', consultationId: 'c1', reference: 'CRM-2026-007', heading: 'Recordatorio' };
    const [id] = await outbox.enqueue([
      {
        dedupeKey,
        platform: opts.platform ?? 'slack',
        recipient: opts.recipient ?? person(),
        kind: opts.kind ?? 'reminder',
        payload,
        ...(opts.notBefore ? { notBefore: opts.notBefore } : {}),
      },
    ]);
    if (!id) throw new Error('not enqueued');
    return { id, dedupeKey, mine: (i: DeliveryItem) => i.dedupeKey === dedupeKey };
  }

  const status = async (id: string) => (await outbox.get(id))?.status;
  const attemptsOf = (key: string) => slack.attempts.filter((a) => a.item.dedupeKey === key);

  it('delivers a row once and marks it sent with the receipt', async () => {
    const sentBefore = await metric(outboxDeliveriesTotal, { platform: 'slack', result: 'sent' });
    const row = await write();
    await enqueueDeliveries(jobs.backend, [row.id], FAST);
    // The job's end, not the row's status: the metric is counted after the row is marked.
    expect((await jobFinished(jobs.backend, QUEUES.deliver, jobIds.deliver(row.id))).state).toBe('completed');
    const stored = await outbox.get(row.id);
    expect(stored).toMatchObject({ status: 'sent', attempts: 1, lastError: null });
    expect(stored?.sentAt).toBeInstanceOf(Date);
    expect(stored?.receipt).toMatchObject({ dedupeKey: row.dedupeKey });
    expect(slack.deliveriesOf(row.dedupeKey)).toBe(1);
    expect(await metric(outboxDeliveriesTotal, { platform: 'slack', result: 'sent' })).toBe(sentBefore + 1);
  });

  it('a second job for the same row sends nothing', async () => {
    const row = await write();
    await enqueueDeliveries(jobs.backend, [row.id, row.id], FAST); // the same id twice: one job
    const queue = jobs.backend.queue(QUEUES.deliver);
    const { state, job: done } = await jobFinished(jobs.backend, QUEUES.deliver, jobIds.deliver(row.id));
    expect(state).toBe('completed');
    expect(done?.returnvalue).toBe('sent');
    // Again under the deterministic id: the kept completed job makes this a no-op (not run again) …
    await enqueueDeliveries(jobs.backend, [row.id], FAST);
    const kept = await queue.getJob(jobIds.deliver(row.id));
    expect(await kept?.getState()).toBe('completed');
    expect(kept?.finishedOn).toBe(done?.finishedOn);
    // … and under another id, as a stale duplicate would be: it runs, finds the row sent, sends nothing.
    const other = await queue.add(QUEUES.deliver, { outboxId: row.id }, { jobId: `deliver.again-${randomUUID()}` });
    const again = await jobFinished(jobs.backend, QUEUES.deliver, other.id!);
    expect(again.state).toBe('completed');
    expect(again.job?.returnvalue).toBe('already_sent');
    expect(slack.deliveriesOf(row.dedupeKey)).toBe(1);
    expect(attemptsOf(row.dedupeKey)).toHaveLength(1);
  });

  it('on a 429 with Retry-After 1 s, waits and delivers once without using an attempt', async () => {
    const row = await write();
    slack.rateLimit(1_000, { when: row.mine });
    // One attempt only: if the 429 used it up, the row would be dead instead of sent.
    await enqueueDeliveries(jobs.backend, [row.id], { attempts: 1, backoffMs: 100 });
    await until(async () => (await status(row.id)) === 'sent', EVENT_WAIT_MS, 'the rate-limited row to be sent');
    const tries = attemptsOf(row.dedupeKey);
    expect(tries.map((a) => a.result)).toEqual(['rate_limit', 'sent']);
    // Not before Retry-After (how long after it is measured in bench/timings.bench.ts).
    expect(tries[1]!.at - tries[0]!.at).toBeGreaterThanOrEqual(950);
    expect(slack.deliveriesOf(row.dedupeKey)).toBe(1);
    expect(await outbox.get(row.id)).toMatchObject({ status: 'sent', attempts: 1 });
    const job = await jobs.backend.queue(QUEUES.deliver).getJob(jobIds.deliver(row.id));
    expect(job?.attemptsMade).toBeLessThanOrEqual(1);
  });

  it('retries transient failures with backoff, then delivers once', async () => {
    const row = await write();
    slack.fail(2, { when: row.mine, error: 'slack_unavailable' });
    await enqueueDeliveries(jobs.backend, [row.id], FAST);
    await until(async () => (await status(row.id)) === 'sent', EVENT_WAIT_MS, 'the row to be sent after retries');
    const tries = attemptsOf(row.dedupeKey);
    expect(tries.map((a) => a.result)).toEqual(['fail', 'fail', 'sent']);
    expect(tries[1]!.at - tries[0]!.at).toBeGreaterThanOrEqual(90); // 100 ms
    expect(tries[2]!.at - tries[1]!.at).toBeGreaterThanOrEqual(190); // 200 ms
    expect(slack.deliveriesOf(row.dedupeKey)).toBe(1);
    expect(await outbox.get(row.id)).toMatchObject({ status: 'sent', attempts: 3, lastError: null });
  });

  it('a permanent failure: dead at once, the ST is told (one dead letter, delivered), metric counted', async () => {
    const deadBefore = await metric(outboxDeadTotal, { platform: 'slack' });
    const row = await write({ kind: 'member_request', recipient: person('Luis Gómez') });
    slack.permanent('channel_not_found', { when: row.mine });
    await enqueueDeliveries(jobs.backend, [row.id], FAST);
    await until(() => slack.deliveries.some((d) => d.item.dedupeKey === `dead_letter.${row.id}`), EVENT_WAIT_MS, 'the dead letter');
    expect(await outbox.get(row.id)).toMatchObject({ status: 'dead', attempts: 1, lastError: 'channel_not_found' });
    expect(attemptsOf(row.dedupeKey)).toHaveLength(1); // not retried
    expect(await metric(outboxDeadTotal, { platform: 'slack' })).toBe(deadBefore + 1);

    const letter = slack.deliveries.find((d) => d.item.dedupeKey === `dead_letter.${row.id}`)!;
    expect(letter.item).toMatchObject({ kind: DEAD_LETTER_KIND, platform: 'slack', recipient: ST.recipient });
    const msg = letter.item.payload as NeutralMessage;
    expect(msg).toMatchObject({ kind: 'dead_letter', locale: 'es', reference: 'CRM-2026-007' });
    expect(msg.body[0]).toBe('No se pudo entregar la solicitud de posición de la consulta CRM-2026-007 a Luis Gómez.');
    expect(JSON.stringify(msg)).not.toMatch(/@|U0ANA|p-/);
    expect(dead.find((d) => d.id === row.id)).toMatchObject({ reason: 'rejected' });
    await until(async () => (await status(dead.find((d) => d.id === row.id)!.deadLetterId!)) === 'sent', EVENT_WAIT_MS, 'dead letter row sent');
  });

  it('nobody reachable (platform unreachable): dead at once, the ST is told why', async () => {
    const row = await write({ platform: 'unreachable', recipient: { kind: 'person', personId: 'p-x', name: 'Marta Ríos' } });
    await enqueueDeliveries(jobs.backend, [row.id], FAST);
    await until(() => slack.deliveriesOf(`dead_letter.${row.id}`) === 1, EVENT_WAIT_MS, 'the dead letter');
    expect(await outbox.get(row.id)).toMatchObject({ status: 'dead', lastError: 'no address for this person on any platform' });
    const msg = slack.deliveries.find((d) => d.item.dedupeKey === `dead_letter.${row.id}`)!.item.payload as NeutralMessage;
    expect(msg.body).toContain('Esta persona no tiene dirección de Slack ni de Teams en el directorio.');
    expect(msg.body[0]).toContain('Marta Ríos');
  });

  it('retries exhausted: dead after the last attempt, ST told once', async () => {
    const row = await write();
    slack.fail(Infinity, { when: row.mine });
    await enqueueDeliveries(jobs.backend, [row.id], { attempts: 3, backoffMs: 50 });
    await until(() => slack.deliveriesOf(`dead_letter.${row.id}`) === 1, EVENT_WAIT_MS, 'the dead letter');
    expect(attemptsOf(row.dedupeKey)).toHaveLength(3);
    expect(await outbox.get(row.id)).toMatchObject({ status: 'dead', attempts: 3, lastError: 'platform unavailable' });
    expect(dead.filter((d) => d.id === row.id)).toEqual([expect.objectContaining({ reason: 'retries_exhausted' })]);
  });

  it('a dead letter that cannot be delivered dies quietly (no dead letter about a dead letter)', async () => {
    const row = await write({ kind: DEAD_LETTER_KIND, recipient: { kind: 'secretariat_channel', slack: 'C0GONE' } });
    slack.permanent('channel_not_found', { when: row.mine });
    await enqueueDeliveries(jobs.backend, [row.id], FAST);
    // onDead is called once the dead-letter decision is made (after a dead letter would be written).
    await until(() => dead.some((d) => d.id === row.id), EVENT_WAIT_MS, 'the row to die');
    expect(await status(row.id)).toBe('dead');
    const letters = await db.prisma.outboxMessage.count({ where: { dedupeKey: `dead_letter.${row.id}` } });
    expect(letters).toBe(0);
    expect(dead.find((d) => d.id === row.id)).toMatchObject({ reason: 'rejected' });
    expect(dead.find((d) => d.id === row.id)?.deadLetterId).toBeUndefined();
  });

  it('a hanging platform times out (transient) and the retry delivers once', async () => {
    const row = await write();
    slack.hang({ when: row.mine });
    await enqueueDeliveries(jobs.backend, [row.id], FAST);
    await until(async () => (await status(row.id)) === 'sent', EVENT_WAIT_MS, 'the row to be sent');
    expect(attemptsOf(row.dedupeKey).map((a) => a.result)).toEqual(['aborted', 'sent']);
    expect(await outbox.get(row.id)).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('a row written with notBefore waits for it (delayed in BullMQ, no attempt used)', async () => {
    const notBefore = new Date(Date.now() + 1_500);
    const row = await write({ notBefore });
    await enqueueDeliveries(jobs.backend, [row.id], { attempts: 1, backoffMs: 100 });
    await until(async () => (await status(row.id)) === 'sent', EVENT_WAIT_MS, 'the row to be sent');
    const [only] = attemptsOf(row.dedupeKey);
    expect(only!.at).toBeGreaterThanOrEqual(notBefore.getTime() - 5);
    expect(slack.deliveriesOf(row.dedupeKey)).toBe(1);
  });

  describe('both ST channels named', () => {
    beforeAll(() => {
      sts = BOTH;
    });
    afterAll(() => {
      sts = ST;
    });

    it('a dead message: the same dead letter delivered on Slack (its usual key) and on Teams', async () => {
      const row = await write({ kind: 'member_request', recipient: person('Luis Gómez') });
      slack.permanent('channel_not_found', { when: row.mine });
      await enqueueDeliveries(jobs.backend, [row.id], FAST);
      await until(() => slack.deliveriesOf(`dead_letter.${row.id}`) === 1 && teams.deliveriesOf(`dead_letter.${row.id}:teams`) === 1, EVENT_WAIT_MS, 'both dead letters');
      const onSlack = slack.deliveries.find((d) => d.item.dedupeKey === `dead_letter.${row.id}`)!.item;
      const onTeams = teams.deliveries.find((d) => d.item.dedupeKey === `dead_letter.${row.id}:teams`)!.item;
      expect([onSlack.platform, onSlack.recipient, onTeams.platform, onTeams.recipient]).toEqual(['slack', ST.recipient, 'teams', BOTH[1]!.recipient]);
      expect(onTeams.payload).toEqual(onSlack.payload);
      expect(await db.prisma.outboxMessage.count({ where: { kind: DEAD_LETTER_KIND, dedupeKey: { startsWith: `dead_letter.${row.id}` } } })).toBe(2);
    });

    it('a message that could not reach the Teams ST channel: the dead letter goes to Slack only', async () => {
      const row = await write({ kind: 'status', platform: 'teams', recipient: { kind: 'secretariat_channel', teams: TEAMS_ST } });
      teams.permanent('teams:not_installed', { when: row.mine });
      await enqueueDeliveries(jobs.backend, [row.id], FAST);
      await until(() => slack.deliveriesOf(`dead_letter.${row.id}`) === 1, EVENT_WAIT_MS, 'the dead letter on Slack');
      expect(await status(row.id)).toBe('dead');
      const letters = await db.prisma.outboxMessage.findMany({ where: { kind: DEAD_LETTER_KIND, dedupeKey: { startsWith: `dead_letter.${row.id}` } } });
      expect(letters.map((l) => [l.dedupeKey, l.platform])).toEqual([[`dead_letter.${row.id}`, 'slack']]);
    });
  });

  it('reported no backend errors', () => {
    expect(jobs.errors.map((e) => e.message)).toEqual([]);
  });
});
