/**
 * Delivery lanes: the clicker's own card goes before the rest of the deliver queue (job priority, on every
 * jobs backend), a burst of versions of one message is coalesced on the real outbox (the newest goes out
 * once), and the database pacing's burst (a token bucket) and its blocks.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DELIVER_PRIORITY, enqueueDeliveries, startDeliverWorker, type SecretariatAddress } from '../../../src/jobs/deliver.ts';
import type { DeliveryItem, Notifier } from '../../../src/flows/notifier.ts';
import { RecordingNotifier } from '../../../src/jobs/notifier.ts';
import { QUEUES, jobIds } from '../../../src/jobs/names.ts';
import { databasePacing } from '../../../src/jobs/pacing.ts';
import { OutboxStore } from '../../../src/store/outbox-store.ts';
import { openTestDatabase, type TestDatabase } from '../../helpers/db.ts';
import { SETUP_MS, EVENT_WAIT_MS, JOBS_KINDS, memoryLogger, openTestJobs, until, type TestJobs } from '../../fixtures/jobs/backends.ts';

const ST: SecretariatAddress = { recipient: { kind: 'secretariat_channel', slack: 'C0STCHANNEL' }, platform: 'slack' };

let db: TestDatabase;
let outbox: OutboxStore;
beforeAll(async () => {
  db = await openTestDatabase('postgres', import.meta.url);
  outbox = new OutboxStore(db.prisma);
}, SETUP_MS);
afterAll(async () => {
  await db?.dispose();
}, SETUP_MS);

const row = (kind: string, payload: Record<string, unknown> = {}) => ({
  dedupeKey: `lanes.${randomUUID()}`,
  platform: 'slack',
  recipient: { kind: 'secretariat_channel', slack: 'C0STCHANNEL' },
  kind,
  payload: { kind, locale: 'es', consultationId: 'c1', reference: 'CRM-2026-007', heading: kind, body: [], fields: [], buttons: [], ...payload },
});

describe.each(JOBS_KINDS)('deliver queue on %s', (kind) => {
  let jobs: TestJobs;
  beforeAll(async () => {
    jobs = await openTestJobs(kind, `${import.meta.url}#${kind}`);
  }, SETUP_MS);
  afterAll(async () => {
    await jobs?.dispose();
  }, SETUP_MS);

  it('a card update queued after other rows is delivered before them (priority first)', async () => {
    const others = await outbox.enqueue([row('status'), row('reminder'), row('member_request'), row('status'), row('reminder')], null);
    const [card] = await outbox.enqueue([row('card_update')], null);
    await enqueueDeliveries(jobs.backend, others);
    await enqueueDeliveries(jobs.backend, [card!], {}, { first: [card!] });
    const job = await jobs.backend.queue(QUEUES.deliver).getJob(jobIds.deliver(card!));
    expect(job?.opts.priority).toBe(DELIVER_PRIORITY.first);
    expect((await jobs.backend.queue(QUEUES.deliver).getJob(jobIds.deliver(others[0]!)))?.opts.priority).toBe(DELIVER_PRIORITY.normal);
    // One worker, one job at a time, started once everything waits.
    const notifier = new RecordingNotifier();
    const worker = startDeliverWorker(jobs.backend, { outbox, notifier, logger: memoryLogger(), secretariat: () => ST }, { worker: { concurrency: 1 } });
    await worker.waitUntilReady();
    await until(() => notifier.deliveries.length === 6, EVENT_WAIT_MS, 'six deliveries');
    expect(notifier.deliveries[0]!.item.id).toBe(card);
    expect(new Set(notifier.deliveries.map((d) => d.item.id))).toEqual(new Set([card, ...others]));
    await worker.close();
  });
});

describe('coalescing on the outbox', () => {
  it('the newest of a burst is sent once, the older pending ones are not sent', async () => {
    const replaceKey = `status:${randomUUID()}`;
    const ids: string[] = [];
    for (const h of ['v1', 'v2', 'v3']) {
      ids.push((await outbox.enqueue([row('status', { heading: h, replaceKey })], null))[0]!);
      await new Promise((r) => setTimeout(r, 5));
    }
    expect((await outbox.getForDelivery(ids[0]!))!.newerPending).toBe(true);
    expect((await outbox.getForDelivery(ids[1]!))!.newerPending).toBe(true);
    expect((await outbox.getForDelivery(ids[2]!))!.newerPending).toBe(false);
    expect(await outbox.pendingAfter(replaceKey, 'slack', (await outbox.get(ids[1]!))!.createdAt)).toBe(true);
    const jobs = await openTestJobs('redis', `${import.meta.url}#coalesce`);
    try {
      const notifier = new RecordingNotifier();
      const worker = startDeliverWorker(jobs.backend, { outbox, notifier, logger: memoryLogger(), secretariat: () => ST, pacing: databasePacing(db.prisma) }, { worker: { concurrency: 1 } });
      await worker.waitUntilReady();
      await enqueueDeliveries(jobs.backend, ids);
      await until(async () => (await Promise.all(ids.map((id) => outbox.get(id)))).every((r) => r?.status === 'sent'), EVENT_WAIT_MS, 'all three done');
      // The first posts the message (nothing to update yet); of the rest only the newest goes, updating it.
      expect(notifier.deliveries.map((d) => (d.item.payload as { heading: string }).heading)).toEqual(['v1', 'v3']);
      expect(notifier.deliveries[1]!.item.receipt).toEqual((await outbox.get(ids[0]!))!.receipt);
      await worker.close();
    } finally {
      await jobs.dispose();
    }
  });
});

describe('coalescing only into a newer version that goes now', () => {
  it('a newer pending version that is backing off (a failed attempt) or not due yet does not take this one in: this one is sent', async () => {
    const replaceKey = `status:${randomUUID()}`;
    const [first] = await outbox.enqueue([row('status', { heading: 'v0', replaceKey })], null);
    await outbox.markSent(first!, { channel: 'C0STCHANNEL', ts: '1.1' });
    await new Promise((r) => setTimeout(r, 5));
    const [a] = await outbox.enqueue([row('status', { heading: 'a', replaceKey })], null);
    await new Promise((r) => setTimeout(r, 5));
    const [b] = await outbox.enqueue([row('status', { heading: 'b', replaceKey })], null);
    // b due now, no attempt: a is coalesced into it.
    expect((await outbox.getForDelivery(a!))!.newerPending).toBe(true);
    expect(await outbox.pendingAfter(replaceKey, 'slack', (await outbox.get(a!))!.createdAt)).toBe(true);
    // b failed once and backs off: a is not.
    await outbox.markFailed(b!, 'platform unavailable', new Date(Date.now() + 60_000));
    expect((await outbox.getForDelivery(a!))!.newerPending).toBe(false);
    expect(await outbox.pendingAfter(replaceKey, 'slack', (await outbox.get(a!))!.createdAt)).toBe(false);
    // A newer c scheduled for later (no attempt yet, not due): neither.
    await new Promise((r) => setTimeout(r, 5));
    const [c] = await outbox.enqueue([{ ...row('status', { heading: 'c', replaceKey }), notBefore: new Date(Date.now() + 60_000) }], null);
    expect((await outbox.getForDelivery(a!))!.newerPending).toBe(false);
    const jobs = await openTestJobs('redis', `${import.meta.url}#backing-off`);
    try {
      const notifier = new RecordingNotifier();
      const worker = startDeliverWorker(jobs.backend, { outbox, notifier, logger: memoryLogger(), secretariat: () => ST }, { worker: { concurrency: 1 } });
      await worker.waitUntilReady();
      await enqueueDeliveries(jobs.backend, [a!]);
      await until(async () => (await outbox.get(a!))?.status === 'sent', EVENT_WAIT_MS, 'a done');
      expect(notifier.deliveries.map((d) => (d.item.payload as { heading: string }).heading)).toEqual(['a']);
      expect((await outbox.get(c!))!.status).toBe('pending');
      await worker.close();
    } finally {
      await jobs.dispose();
    }
  });
});

describe('database pacing', () => {
  it('a burst of 3 at 1 a second: three go at once, the fourth waits at most one interval; a block holds whatever the burst', async () => {
    const pacing = databasePacing(db.prisma);
    const scope = { key: `test:${randomUUID()}`, perSecond: 1, burst: 3 };
    expect(await pacing.take([scope])).toBe(0);
    expect(await pacing.take([scope])).toBe(0);
    expect(await pacing.take([scope])).toBe(0);
    const wait = await pacing.take([scope]);
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(1000);
    const held = { key: `test:${randomUUID()}`, perSecond: 1, burst: 3 };
    await pacing.block(held, 60_000);
    expect(await pacing.take([held])).toBeGreaterThan(59_000);
    // A message replaced in place reserves its turn once: asking again (any version of it) waits for the
    // same slot and takes no other; when due, that slot is its own.
    const shared = { key: `test:${randomUUID()}`, perSecond: 4 };
    const msg = `slack:status:${randomUUID()}`;
    expect(await pacing.take([shared])).toBe(0);
    const first = await pacing.take([shared], { reserveFor: msg });
    expect(first).toBeGreaterThan(0);
    expect(await pacing.take([shared], { reserveFor: msg })).toBeLessThanOrEqual(first);
    // Someone else asking now finds the reserved slot taken: their turn is after it.
    expect(await pacing.take([shared])).toBeGreaterThan(first);
    await until(async () => (await pacing.take([shared], { reserveFor: msg })) === 0, EVENT_WAIT_MS, 'the reserved slot');
    // Its reservation is used up: asking again is a new turn.
    expect(await pacing.take([shared], { reserveFor: msg })).toBeGreaterThan(0);
    // Without a burst: evenly spaced, as before.
    const even = { key: `test:${randomUUID()}`, perSecond: 1 };
    expect(await pacing.take([even])).toBe(0);
    expect(await pacing.take([even])).toBeGreaterThan(0);
  });
});

describe('a click response URL that fails', () => {
  it('is dropped from the row; the card goes on the next run (no attempt used), paced as chat.update, once', async () => {
    const recording = new RecordingNotifier();
    const hasUrl = (item: DeliveryItem) => typeof (item.payload as { updates?: { responseUrl?: unknown } }).updates?.responseUrl === 'string';
    const scoped: string[] = [];
    const notifier: Notifier = {
      send: async (item, opts) => (hasUrl(item) ? { ok: false, error: 'response URL unusable', responseUrlUnusable: true } : recording.send(item, opts)),
      scopes: async (item) => {
        const key = hasUrl(item) ? 'slack:response_url' : `slack:chat.update:${randomUUID()}`;
        scoped.push(key.startsWith('slack:chat.update') ? 'slack:chat.update' : key);
        return [{ key }];
      },
    };
    const [id] = await outbox.enqueue([row('card_update', { updates: { channel: 'D0CLICKER', ts: '1.2', responseUrl: 'https://hooks.slack.com/actions/T/1/secret', at: Date.now() } })], null);
    const jobs = await openTestJobs('redis', `${import.meta.url}#response-url`);
    try {
      const worker = startDeliverWorker(jobs.backend, { outbox, notifier, logger: memoryLogger(), secretariat: () => ST, pacing: databasePacing(db.prisma) }, { worker: { concurrency: 1 } });
      await worker.waitUntilReady();
      await enqueueDeliveries(jobs.backend, [id!]);
      await until(async () => (await outbox.get(id!))?.status === 'sent', EVENT_WAIT_MS, 'the card sent');
      expect(scoped).toEqual(['slack:response_url', 'slack:chat.update']);
      expect(recording.deliveries).toHaveLength(1);
      const sent = (await outbox.get(id!))!;
      expect(JSON.stringify(sent.payload)).not.toContain('hooks.slack.com');
      expect((sent.payload as { updates: object }).updates).toEqual({ channel: 'D0CLICKER', ts: '1.2', at: expect.any(Number) as unknown });
      expect(sent.attempts).toBe(1);
      await worker.close();
    } finally {
      await jobs.dispose();
    }
  });
});

describe('every message keeps its place in the line', () => {
  it('a row without a replace key reserves its slot on a busy shared scope (hold outbox:<id>); later askers go after it', async () => {
    const shared = { key: `test:shared:${randomUUID()}`, perSecond: 2 };
    const recording = new RecordingNotifier();
    const notifier: Notifier = { send: (item, opts) => recording.send(item, opts), scopes: async () => [shared] };
    const pacing = databasePacing(db.prisma);
    expect(await pacing.take([shared])).toBe(0); // the scope is busy for one interval
    const [id] = await outbox.enqueue([row('card_update', { updates: { channel: 'D0CLICKER', ts: '1.3' } })], null);
    const hold = `hold:outbox:${id!}`;
    const jobs = await openTestJobs('redis', `${import.meta.url}#fcfs`);
    try {
      const worker = startDeliverWorker(jobs.backend, { outbox, notifier, logger: memoryLogger(), secretariat: () => ST, pacing }, { worker: { concurrency: 1 } });
      await worker.waitUntilReady();
      await enqueueDeliveries(jobs.backend, [id!]);
      const held = async () => (await db.prisma.$queryRaw<{ key: string }[]>`SELECT key FROM delivery_pacing WHERE key = ${hold}`).length === 1;
      // The scope frees only one interval (500 ms) after the first take: the row holds its slot until then.
      await until(held, EVENT_WAIT_MS, 'the row reserved its slot');
      // Someone else (a status, another person's card) asking now finds the slot taken: after it.
      expect(await pacing.take([shared], { reserveFor: `slack:status:${randomUUID()}` })).toBeGreaterThan(0);
      await until(async () => (await outbox.get(id!))?.status === 'sent', EVENT_WAIT_MS, 'the row sent');
      expect(recording.deliveries.map((d) => d.item.id)).toEqual([id]);
      expect(await held()).toBe(false); // its reservation used up
      await worker.close();
    } finally {
      await jobs.dispose();
    }
  });
});
