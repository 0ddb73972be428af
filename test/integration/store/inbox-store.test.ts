/**
 * The inbox store on both databases: one row per key (a platform retry adds none), arrival order, processed
 * once, failures counted and kept for the next start, giving up, pruning old processed rows.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InboxStore } from '../../../src/store/inbox-store.ts';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../../helpers/db.ts';

const T0 = new Date('2026-12-01T15:00:00.000Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

describe.each(BACKENDS)('InboxStore on %s', (backend) => {
  let db: TestDatabase;
  let inbox: InboxStore;
  beforeAll(async () => {
    db = await openTestDatabase(backend, import.meta.url);
    inbox = new InboxStore(db.prisma);
  });
  afterAll(async () => {
    await db?.dispose();
  });
  const click = (key: string) => ({ platform: 'slack', kind: 'block_actions', key, payload: { type: 'block_actions', user: { id: 'U0CR0000001' }, n: key } });

  it('stores a key once: the same key again finds the first row, and says whether its work is done', async () => {
    const key = `k-${randomUUID()}`;
    const first = await inbox.receive(click(key), T0);
    expect(first).toEqual({ id: expect.stringMatching(/^\d+$/), fresh: true, processed: false });
    expect(await inbox.receive(click(key), at(1))).toEqual({ id: first.id, fresh: false, processed: false });
    expect(await inbox.markProcessed(first.id, at(2))).toBe(true);
    expect(await inbox.markProcessed(first.id, at(3))).toBe(false); // once
    expect(await inbox.receive(click(key), at(4))).toEqual({ id: first.id, fresh: false, processed: true });
    const row = await inbox.get(first.id);
    expect(row).toMatchObject({ key, platform: 'slack', kind: 'block_actions', receivedAt: T0, processedAt: at(2), attempts: 1, lastError: null });
    expect(row?.payload).toEqual(click(key).payload);
  });

  it('lists what is unprocessed in arrival order; a failure is counted and the row stays; giving up ends it', async () => {
    const keys = [0, 1, 2, 3].map((i) => `order-${i}-${randomUUID()}`);
    const ids: string[] = [];
    // The same instant for all: arrival order is the id, not the clock.
    for (const k of keys) ids.push((await inbox.receive(click(k), T0)).id);
    await inbox.markProcessed(ids[1]!, at(1));

    expect((await inbox.unprocessed()).filter((r) => keys.includes(r.key)).map((r) => r.key)).toEqual([keys[0], keys[2], keys[3]]);

    expect(await inbox.markFailed(ids[2]!, 'database went away')).toBe(1);
    expect(await inbox.markFailed(ids[2]!, 'x'.repeat(2000))).toBe(2);
    const failed = await inbox.get(ids[2]!);
    expect(failed).toMatchObject({ processedAt: null, attempts: 2 });
    expect(failed?.lastError).toHaveLength(500);
    expect(await inbox.markFailed(ids[1]!, 'late')).toBe(0); // processed rows are not touched

    expect(await inbox.giveUp(ids[3]!, 'given up after 5 attempts: boom', at(2))).toBe(true);
    expect(await inbox.giveUp(ids[3]!, 'again', at(3))).toBe(false);
    expect(await inbox.get(ids[3]!)).toMatchObject({ processedAt: at(2), lastError: 'given up after 5 attempts: boom' });

    expect((await inbox.unprocessed()).filter((r) => keys.includes(r.key)).map((r) => r.key)).toEqual([keys[0], keys[2]]);
    expect(await inbox.countUnprocessed()).toBeGreaterThanOrEqual(2);
  });

  it('prunes processed rows older than the cut-off, never unprocessed ones', async () => {
    const old = await inbox.receive(click(`old-${randomUUID()}`), at(-100));
    await inbox.markProcessed(old.id, at(-90));
    const pending = await inbox.receive(click(`pending-${randomUUID()}`), at(-100));
    const recent = await inbox.receive(click(`recent-${randomUUID()}`), at(-5));
    await inbox.markProcessed(recent.id, at(-4));

    expect(await inbox.prune(at(-10))).toBeGreaterThanOrEqual(1);
    expect(await inbox.get(old.id)).toBeUndefined();
    expect(await inbox.get(pending.id)).toBeDefined();
    expect(await inbox.get(recent.id)).toBeDefined();
  });

  it('stores a payload with NUL characters and broken surrogates (jsonb takes neither): dropped and U+FFFD, as the domain reads texts', async () => {
    const key = `odd-${randomUUID()}`;
    const payload = JSON.parse('{"type":"view_submission","text":"a\\u0000b\\ud800c","k\\u0000\\udfff":["\\u0000"],"__proto__":{"x":1},"ok":"🇨🇷"}') as unknown;
    const r = await inbox.receive({ platform: 'slack', kind: 'view_submission', key, payload }, T0);
    const stored = (await inbox.get(r.id))?.payload as Record<string, unknown>;
    expect(stored['text']).toBe('ab\uFFFDc');
    expect(stored['k\uFFFD']).toEqual(['']);
    expect(stored['ok']).toBe('🇨🇷');
    expect(stored['x']).toBeUndefined(); // a "__proto__" key never became the prototype
    expect(({} as Record<string, unknown>)['x']).toBeUndefined();
  });

  it('finds a processed later click of the same person naming the consultation, past any number of rows between', async () => {
    const user = `U${randomUUID().slice(0, 8).toUpperCase()}`;
    const clickOn = (c: string, n: number) => ({
      platform: 'slack',
      kind: 'block_actions',
      key: `sup-${user}-${n}-${randomUUID()}`,
      payload: { type: 'block_actions', user: { id: user }, actions: [{ action_id: 'position_support', action_ts: String(n), value: JSON.stringify({ c, v: 'h' }) }] },
    });
    const old = await inbox.receive(clickOn('cons-A', 0), T0);
    for (let i = 1; i <= 210; i++) await inbox.receive(clickOn('cons-A', i), T0); // unprocessed, in between
    expect(await inbox.processedLaterFromUser(old.id, 'block_actions', user, 'cons-A')).toBe(false);
    const other = await inbox.receive(clickOn('cons-B', 211), T0);
    await inbox.markProcessed(other.id, at(1));
    expect(await inbox.processedLaterFromUser(old.id, 'block_actions', user, 'cons-A')).toBe(false); // another consultation
    const later = await inbox.receive(clickOn('cons-A', 212), T0);
    await inbox.markProcessed(later.id, at(1));
    expect(await inbox.processedLaterFromUser(old.id, 'block_actions', user, 'cons-A')).toBe(true);
    expect(await inbox.processedLaterFromUser(later.id, 'block_actions', user, 'cons-A')).toBe(false);
    expect(await inbox.processedLaterFromUser(old.id, 'block_actions', 'U0SOMEONE', 'cons-A')).toBe(false);
  });

  it("with the person's user id, says in the same statement which of their rows are still unprocessed, oldest first", async () => {
    const user = `U0${randomUUID().slice(0, 8).toUpperCase()}`;
    const mine = (key: string) => ({ ...click(key), payload: { type: 'block_actions', user: { id: user } } });
    const first = await inbox.receive({ ...mine(`a-${randomUUID()}`), userId: user }, T0);
    expect(first).toEqual({ id: expect.any(String), fresh: true, processed: false, earlierUnprocessed: [] });
    const second = await inbox.receive({ ...mine(`b-${randomUUID()}`), userId: user }, at(1));
    expect(second.earlierUnprocessed).toEqual([first.id]);
    await inbox.receive(click(`other-${randomUUID()}`), at(1)); // someone else's row is not theirs
    const third = await inbox.receive({ ...mine(`c-${randomUUID()}`), userId: user }, at(2));
    expect(third.earlierUnprocessed).toEqual([first.id, second.id]);
    await inbox.markProcessed(first.id, at(3));
    await inbox.markFailed(second.id, 'database went away');
    const fourth = await inbox.receive({ ...mine(`d-${randomUUID()}`), userId: user }, at(4));
    expect(fourth.earlierUnprocessed).toEqual([second.id, third.id]);
    // Without a user id nothing is looked up; a key seen before says nothing of the rest.
    expect((await inbox.receive(mine(`e-${randomUUID()}`), at(5))).earlierUnprocessed).toBeUndefined();
    expect(await inbox.receive({ ...mine((await inbox.get(fourth.id))!.key), userId: user }, at(6))).toEqual({ id: fourth.id, fresh: false, processed: false });
  });

  it('refuses an id that is not one of its own', async () => {
    await expect(inbox.get('not-a-number')).rejects.toThrow(/bad id/);
  });
});
