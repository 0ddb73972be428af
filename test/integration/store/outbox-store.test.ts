import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutboxStore } from '../../../src/store/outbox-store.ts';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../../helpers/db.ts';

const T0 = new Date('2026-11-27T12:00:00.000Z');
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);

describe.each(BACKENDS)('OutboxStore on %s', (backend) => {
  let db: TestDatabase;
  let outbox: OutboxStore;
  beforeAll(async () => {
    db = await openTestDatabase(backend, import.meta.url);
    outbox = new OutboxStore(db.prisma);
  });
  afterAll(async () => {
    await db?.dispose();
  });

  const msg = (key: string, notBefore = T0) => ({
    dedupeKey: key,
    platform: 'slack',
    recipient: { slackUserId: 'U0CR0000001' },
    kind: 'reminder',
    payload: { title: 'Recordatorio', fields: [] },
    notBefore,
  });

  it('delivers: pending → failed and retried → sent, or → dead; counts follow', async () => {
    const p = randomUUID();
    const [a, b, c] = await outbox.enqueue([msg(`${p}:a`), msg(`${p}:b`, minutes(1)), msg(`${p}:c`, minutes(10))]);
    expect(await outbox.enqueue([msg(`${p}:a`)])).toEqual([]);

    expect((await outbox.pending(10, T0)).map((m) => m.id)).toEqual([a]);
    expect((await outbox.pending(10, minutes(5))).map((m) => m.id)).toEqual([a, b]);
    expect((await outbox.pending(1, minutes(60))).map((m) => m.id)).toEqual([a]);

    expect(await outbox.markFailed(a!, 'rate_limited', minutes(30))).toBe(true);
    expect((await outbox.pending(10, minutes(5))).map((m) => m.id)).toEqual([b]);
    const failed = await outbox.get(a!);
    expect(failed).toMatchObject({ status: 'pending', attempts: 1, lastError: 'rate_limited', nextAttemptAt: minutes(30) });

    expect(await outbox.markSent(a!, { channel: 'D1', ts: '1764244800.000100' }, minutes(31))).toBe(true);
    expect(await outbox.markSent(a!)).toBe(false);
    expect(await outbox.get(a!)).toMatchObject({ status: 'sent', attempts: 2, lastError: null, sentAt: minutes(31), receipt: { channel: 'D1', ts: '1764244800.000100' } });

    expect(await outbox.markDead(b!, 'channel_not_found')).toBe(true);
    expect(await outbox.markFailed(b!, 'again', minutes(1))).toBe(false);
    expect(await outbox.get(b!)).toMatchObject({ status: 'dead', attempts: 1, lastError: 'channel_not_found' });

    expect((await outbox.pending(10, minutes(60))).map((m) => m.id)).toEqual([c]);
    expect(await outbox.counts()).toEqual({ pending: 1, sent: 1, dead: 1 });
    expect(await outbox.get(randomUUID())).toBeUndefined();
  });

  it('markSent / markDead drop the click response URL from the payload, in the same update; the rest stays', async () => {
    const p = randomUUID();
    const hook = 'https://hooks.slack.com/actions/T0/1/secret-hook';
    const card = (key: string) => ({ ...msg(key), kind: 'card_update', payload: { heading: 'Registrada', updates: { channel: 'D1', ts: '1.2', responseUrl: hook, at: 1 } } });
    const [a, b, c, d] = await outbox.enqueue([card(`${p}:a`), card(`${p}:b`), card(`${p}:c`), msg(`${p}:d`)]);
    expect(await outbox.markSent(a!, { channel: 'D1', ts: '1.2' }, minutes(1))).toBe(true);
    expect(await outbox.markDead(b!, 'channel_not_found')).toBe(true);
    expect(await outbox.markSent(c!, null, minutes(2))).toBe(true);
    expect(await outbox.markSent(d!, undefined, minutes(3))).toBe(true);
    expect(await outbox.get(a!)).toMatchObject({ status: 'sent', attempts: 1, sentAt: minutes(1), receipt: { channel: 'D1', ts: '1.2' }, payload: { heading: 'Registrada', updates: { channel: 'D1', ts: '1.2', at: 1 } } });
    expect(await outbox.get(b!)).toMatchObject({ status: 'dead', attempts: 1, lastError: 'channel_not_found', payload: { updates: { channel: 'D1', ts: '1.2', at: 1 } } });
    expect(await outbox.get(c!)).toMatchObject({ status: 'sent', receipt: null });
    expect(await outbox.get(d!)).toMatchObject({ status: 'sent', receipt: null, payload: { title: 'Recordatorio', fields: [] } });
    for (const id of [a, b, c]) expect(JSON.stringify((await outbox.get(id!))!.payload)).not.toContain('secret-hook');
    // Not pending any more: nothing changes.
    expect(await outbox.markSent(a!)).toBe(false);
    expect(await outbox.markDead(a!, 'x')).toBe(false);
  });

  it('claims each due message for one deliverer at a time, until the lease runs out', async () => {
    await db.prisma.outboxMessage.updateMany({ where: { status: 'pending' }, data: { status: 'dead' } }); // earlier tests' leftovers
    const p = randomUUID();
    const ids = await outbox.enqueue(Array.from({ length: 6 }, (_, i) => msg(`${p}:${i}`, minutes(100))));
    const now = minutes(100);
    const batches = await Promise.all([outbox.claim(4, now, 60_000), outbox.claim(4, now, 60_000), outbox.claim(4, now, 60_000)]);
    const claimed = batches.flat().map((m) => m.id);
    expect(claimed.sort()).toEqual([...ids].sort());
    expect(await outbox.claim(10, minutes(100.5))).toEqual([]);
    // The lease ran out without markSent: the messages are due again.
    expect((await outbox.claim(10, minutes(102))).map((m) => m.id).sort()).toEqual([...ids].sort());
  });
  it('lastReceiptFor: the receipt of the latest sent message with the same replaceKey on the same platform', async () => {
    const p = randomUUID();
    const status = (key: string, replaceKey: string, platform = 'slack') => ({
      dedupeKey: `${p}:${key}`,
      platform,
      recipient: { kind: 'secretariat_channel', slack: 'C0ST0000001' },
      kind: 'status',
      payload: { heading: 'x', replaceKey },
    });
    const [first, second, other, pending] = await outbox.enqueue([
      status('1', `status:${p}`),
      status('2', `status:${p}`),
      status('3', `status:other-${p}`),
      status('4', `status:${p}`),
    ]);
    expect(await outbox.lastReceiptFor(`status:${p}`, 'slack')).toBeUndefined();
    await outbox.markSent(first!, { channel: 'C0ST0000001', ts: '1.000001' }, minutes(1));
    await outbox.markSent(second!, { channel: 'C0ST0000001', ts: '2.000002' }, minutes(2));
    await outbox.markSent(other!, { channel: 'C0ST0000001', ts: '3.000003' }, minutes(3));
    // The newest row of the key is still pending: a receipt comes only from a row that was sent.
    expect(await outbox.get(pending!)).toMatchObject({ status: 'pending' });
    expect(await outbox.lastReceiptFor(`status:${p}`, 'slack')).toEqual({ channel: 'C0ST0000001', ts: '2.000002' });
    expect(await outbox.lastReceiptFor(`status:${p}`, 'teams')).toBeUndefined();
  });
  it('sentAfter: the receipt of a newer row with the same replaceKey already sent, else undefined', async () => {
    const p = randomUUID();
    const card = (key: string) => ({
      dedupeKey: `${p}:${key}`,
      platform: 'slack',
      recipient: { kind: 'person', personId: 'p-1', name: 'Luis Mora', slack: 'U0CR0000001' },
      kind: 'member_request',
      payload: { heading: 'x', replaceKey: `member:${p}:p-1` },
    });
    const [older] = await outbox.enqueue([card('1')]);
    await new Promise((r) => setTimeout(r, 5));
    const [newer] = await outbox.enqueue([card('2')]);
    const olderRow = (await outbox.get(older!))!;
    expect(await outbox.sentAfter(`member:${p}:p-1`, 'slack', olderRow.createdAt)).toBeUndefined();
    await outbox.markSent(newer!, { channel: 'D0CR', ts: '5.000005' });
    expect(await outbox.sentAfter(`member:${p}:p-1`, 'slack', olderRow.createdAt)).toEqual({ channel: 'D0CR', ts: '5.000005' });
    expect(await outbox.sentAfter(`member:${p}:p-1`, 'slack', (await outbox.get(newer!))!.createdAt)).toBeUndefined();
    expect(await outbox.sentAfter(`member:${p}:p-1`, 'teams', olderRow.createdAt)).toBeUndefined();
  });
});
