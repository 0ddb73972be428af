import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConcurrencyConflict,
  ConsultationStore,
  DuplicateCommand,
  formatReference,
  type AppendInput,
} from '../../../src/store/consultation-store.ts';
import { InboxStore } from '../../../src/store/inbox-store.ts';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../../helpers/db.ts';

const AT = new Date('2026-11-27T15:00:00.000Z');

function creation(id: string, reference: string, over: Partial<AppendInput> = {}): AppendInput {
  return {
    consultationId: id,
    expectedVersion: 0,
    events: [{ type: 'consultation_created', payload: { title: 'Declaración' }, actorPersonId: 'ana@example.org', actorPlatform: 'slack', at: AT }],
    snapshot: { stage: 'troika_review', title: 'Declaración', votes: {} },
    stage: 'troika_review',
    title: 'Declaración',
    reference,
    deadline: null,
    deadlineVersion: 0,
    outbox: [
      { dedupeKey: `${id}:troika:HN`, platform: 'slack', recipient: { slackUserId: 'U0HN0000001' }, kind: 'troika_request', payload: { text: 'hola' } },
    ],
    command: { key: `cmd-${randomUUID()}`, type: 'consultation_new', actorPersonId: 'ana@example.org', actorPlatform: 'slack', result: { ok: true } },
    ...over,
  };
}

function step(id: string, expectedVersion: number, over: Partial<AppendInput> = {}): AppendInput {
  return {
    consultationId: id,
    expectedVersion,
    events: [{ type: 'position_recorded', payload: { country: 'CR', position: 'support' }, actorPersonId: 'luis@example.org', actorPlatform: 'teams', at: AT }],
    snapshot: { stage: 'circulating', v: expectedVersion + 1 },
    stage: 'circulating',
    title: 'Declaración',
    reference: 'ignored-on-update',
    deadline: new Date('2026-12-04T23:59:59.000-06:00'),
    deadlineVersion: 1,
    outbox: [],
    command: { key: `cmd-${randomUUID()}`, type: 'record_position', actorPersonId: 'luis@example.org', actorPlatform: 'teams', result: { ok: true } },
    ...over,
  };
}

async function settle<T>(p: Promise<T>): Promise<T | Error> {
  return p.catch((e: unknown) => e as Error);
}

describe.each(BACKENDS)('ConsultationStore on %s', (backend) => {
  let db: TestDatabase;
  let store: ConsultationStore;
  beforeAll(async () => {
    db = await openTestDatabase(backend, import.meta.url);
    store = new ConsultationStore(db.prisma);
  });
  afterAll(async () => {
    await db?.dispose();
  });

  async function rowCounts(id: string) {
    const [events, outbox] = await Promise.all([
      db.prisma.consultationEvent.count({ where: { consultationId: id } }),
      db.prisma.outboxMessage.count({ where: { consultationId: id } }),
    ]);
    return { events, outbox };
  }

  it('creates, loads by id and reference, appends and lists events in order', async () => {
    const id = randomUUID();
    const ref = await store.nextReference(2031);
    expect(ref).toBe('CRM-2031-001');
    const created = await store.append(creation(id, ref));
    expect(created.version).toBe(1);
    expect(created.seqs).toEqual([1]);
    expect(created.outboxIds).toHaveLength(1);

    const loaded = await store.load(id);
    expect(loaded).toMatchObject({ id, reference: ref, version: 1, stage: 'troika_review', deadline: null, outcome: null });
    expect(loaded!.snapshot).toEqual({ stage: 'troika_review', title: 'Declaración', votes: {} });
    expect((await store.loadByReference(ref))?.id).toBe(id);
    expect(await store.load(randomUUID())).toBeUndefined();

    const two = step(id, 1, {
      events: [
        { type: 'a', payload: [1, 2], actorPlatform: 'system', at: AT },
        { type: 'b', payload: null, actorPlatform: 'system', at: AT },
      ],
    });
    expect(await store.append(two)).toEqual({ version: 2, seqs: [2, 3], outboxIds: [] });
    const after = await store.load(id);
    expect(after).toMatchObject({ version: 2, stage: 'circulating', reference: ref, deadlineVersion: 1 });
    expect(after!.deadline?.toISOString()).toBe('2026-12-05T05:59:59.000Z');

    const events = await store.events(id);
    expect(events.map((e) => [e.seq, e.type, e.payload])).toEqual([
      [1, 'consultation_created', { title: 'Declaración' }],
      [2, 'a', [1, 2]],
      [3, 'b', null],
    ]);
    expect(events[0]).toMatchObject({ consultationId: id, actorPersonId: 'ana@example.org', actorPlatform: 'slack', at: AT });
    expect(events[0]!.recordedAt).toBeInstanceOf(Date);

    const cmd = await store.findCommand(two.command.key);
    expect(cmd).toMatchObject({ key: two.command.key, status: 'applied', consultationId: id, type: 'record_position', result: { ok: true } });
  });

  it('refuses a stale expectedVersion and writes nothing (no events, no outbox, no command)', async () => {
    const id = randomUUID();
    await store.append(creation(id, await store.nextReference(2032)));
    await store.append(step(id, 1));
    const before = await rowCounts(id);

    const stale = step(id, 1, {
      outbox: [{ dedupeKey: `${id}:stale`, platform: 'slack', recipient: {}, kind: 'x', payload: {} }],
    });
    const e = await settle(store.append(stale));
    expect(e).toBeInstanceOf(ConcurrencyConflict);
    expect(e).toMatchObject({ code: 'concurrency_conflict', consultationId: id, expectedVersion: 1, actualVersion: 2 });
    expect(await rowCounts(id)).toEqual(before);
    expect(await db.prisma.outboxMessage.count({ where: { dedupeKey: `${id}:stale` } })).toBe(0);
    expect(await store.findCommand(stale.command.key)).toBeUndefined();
    expect((await store.load(id))!.version).toBe(2);

    // A version from the future, and a consultation that does not exist.
    expect(await settle(store.append(step(id, 7)))).toBeInstanceOf(ConcurrencyConflict);
    const ghost = await settle(store.append(step(randomUUID(), 1)));
    expect(ghost).toMatchObject({ code: 'concurrency_conflict', actualVersion: undefined });
    // Creating an id that exists is a conflict too.
    expect(await settle(store.append(creation(id, await store.nextReference(2032))))).toBeInstanceOf(ConcurrencyConflict);
    expect(await rowCounts(id)).toEqual(before);
  });

  it('lets exactly one of two concurrent appends on the same version win', async () => {
    const id = randomUUID();
    await store.append(creation(id, await store.nextReference(2033)));
    const attempts = Array.from({ length: 5 }, (_, i) =>
      step(id, 1, {
        snapshot: { winner: i },
        outbox: [{ dedupeKey: `${id}:race:${i}`, platform: 'teams', recipient: {}, kind: 'x', payload: { i } }],
      }),
    );
    const results = await Promise.all(attempts.map((a) => settle(store.append(a))));
    const winners = results.filter((r) => !(r instanceof Error));
    const losers = results.filter((r) => r instanceof Error);
    expect(winners).toHaveLength(1);
    expect(losers.every((l) => l instanceof ConcurrencyConflict)).toBe(true);

    const winner = results.findIndex((r) => !(r instanceof Error));
    expect((await store.load(id))!).toMatchObject({ version: 2, snapshot: { winner } });
    expect(await rowCounts(id)).toEqual({ events: 2, outbox: 2 });
    const outbox = await db.prisma.outboxMessage.findMany({ where: { consultationId: id, kind: 'x' } });
    expect(outbox.map((o) => o.dedupeKey)).toEqual([`${id}:race:${winner}`]);
  });

  it('decides a command once: the same key twice (even concurrently, even for a new consultation) is refused', async () => {
    const key = `cmd-${randomUUID()}`;
    const a = creation(randomUUID(), await store.nextReference(2034), { command: { key, type: 'consultation_new', result: { ok: true, n: 1 } } });
    const b = creation(randomUUID(), await store.nextReference(2034), { command: { key, type: 'consultation_new', result: { ok: true, n: 2 } } });
    const results = await Promise.all([settle(store.append(a)), settle(store.append(b))]);
    expect(results.filter((r) => r instanceof DuplicateCommand)).toHaveLength(1);
    const created = await db.prisma.consultation.count({ where: { id: { in: [a.consultationId, b.consultationId] } } });
    expect(created).toBe(1);
    const cmd = await store.findCommand(key);
    const winner = results[0] instanceof Error ? b : a;
    expect(cmd).toMatchObject({ status: 'applied', consultationId: winner.consultationId, result: winner.command.result });
  });

  it('an append under a key recorded meanwhile is a DuplicateCommand and writes nothing (one-statement append)', async () => {
    const id = randomUUID();
    await store.append(creation(id, await store.nextReference(2035)));
    const key = `cmd-${randomUUID()}`;
    expect(await store.recordRefusal({ key, type: 'record_position', result: { ok: false, code: 'wrong_stage' } })).toBe(true);
    const err = await settle(store.append(step(id, 1, { command: { key, type: 'record_position', result: { ok: true } }, outbox: [{ dedupeKey: `${id}:dup`, platform: 'slack', recipient: {}, kind: 'status', payload: {} }] })));
    expect(err).toBeInstanceOf(DuplicateCommand);
    expect((await store.load(id))!.version).toBe(1);
    expect(await store.events(id)).toHaveLength(1);
    expect(await db.prisma.outboxMessage.count({ where: { dedupeKey: `${id}:dup` } })).toBe(0);
    expect(await store.findCommand(key)).toMatchObject({ status: 'refused' });
  });

  it("marks the request's inbox row processed in the decision's own statement; a conflict or a duplicate marks nothing", async () => {
    const inbox = new InboxStore(db.prisma);
    const id = randomUUID();
    await store.append(creation(id, await store.nextReference(2033)));
    const row = await inbox.receive({ platform: 'slack', kind: 'block_actions', key: `k-${randomUUID()}`, payload: {} }, AT);
    const stale = await settle(store.append(step(id, 5, { inboxProcessed: row.id })));
    expect(stale).toBeInstanceOf(ConcurrencyConflict);
    expect(await inbox.get(row.id)).toMatchObject({ processedAt: null, attempts: 0 });
    const first = step(id, 1, { inboxProcessed: row.id });
    expect(await store.append(first)).toMatchObject({ version: 2, inboxMarked: true });
    expect(await inbox.get(row.id)).toMatchObject({ processedAt: expect.any(Date), attempts: 1, lastError: null });
    const again = await settle(store.append(step(id, 2, { command: first.command })));
    expect(again).toBeInstanceOf(DuplicateCommand);
    // Already processed: left as it is, and said so.
    expect(await store.append(step(id, 2, { inboxProcessed: row.id }))).toMatchObject({ version: 3, inboxMarked: false });
    expect(await inbox.get(row.id)).toMatchObject({ attempts: 1 });
    // Without one, nothing is said of the inbox.
    expect(await store.append(step(id, 3))).not.toHaveProperty('inboxMarked');
  });

  it('with the previous snapshot, sends only what changed: keys set, removed, arrays appended to', async () => {
    const id = randomUUID();
    const history = [{ n: 1 }];
    const v1 = { stage: 'circulating', title: 'T', big: { text: 'x'.repeat(5_000) }, history, gone: 'soon', votes: { CR: 'support' } };
    await store.append(creation(id, await store.nextReference(2036), { snapshot: v1 }));
    const v2 = { ...v1, history: [...history, { n: 2 }], votes: { ...v1.votes, HN: 'abstain' }, gone: undefined, added: true };
    const r = await store.append(step(id, 1, { snapshot: v2, previousSnapshot: v1, events: [step(id, 1).events[0]!, step(id, 1).events[0]!] }));
    expect(r).toMatchObject({ version: 2, seqs: [2, 3] });
    expect((await store.load(id))!.snapshot).toEqual(JSON.parse(JSON.stringify(v2)));
    // The patch path with a stale previous snapshot can never apply: the version guard refuses it.
    await expect(store.append(step(id, 1, { snapshot: v2, previousSnapshot: v1 }))).rejects.toBeInstanceOf(ConcurrencyConflict);
    expect((await store.events(id)).map((e) => e.seq)).toEqual([1, 2, 3]);
  });

  it('never enqueues a second message with the same dedupe key', async () => {
    const id = randomUUID();
    await store.append(creation(id, await store.nextReference(2035)));
    const dedupeKey = `${id}:reminder:1`;
    const msg = { dedupeKey, platform: 'slack', recipient: { channel: 'C1' }, kind: 'reminder', payload: { n: 1 } };
    const first = await store.append(step(id, 1, { outbox: [msg] }));
    const second = await store.append(step(id, 2, { outbox: [msg, { ...msg, dedupeKey: `${id}:other` }] }));
    expect(first.outboxIds).toHaveLength(1);
    expect(second.outboxIds).toHaveLength(1);
    expect(second.outboxIds[0]).not.toBe(first.outboxIds[0]);
    const rows = await db.prisma.outboxMessage.findMany({ where: { dedupeKey } });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.id).toBe(first.outboxIds[0]);
  });

  it('records refused attempts in command_log only', async () => {
    const key = `cmd-${randomUUID()}`;
    const ghost = randomUUID();
    const refusal = { key, type: 'record_position', consultationId: ghost, actorPersonId: 'x@example.org', actorPlatform: 'slack', result: { ok: false, code: 'not_focal_point_of_country' } };
    expect(await store.recordRefusal(refusal)).toBe(true);
    expect(await store.recordRefusal(refusal)).toBe(false);
    expect(await store.findCommand(key)).toMatchObject({ status: 'refused', consultationId: ghost, result: { ok: false, code: 'not_focal_point_of_country' } });
    expect(await store.findCommand('nope')).toBeUndefined();
    expect(await rowCounts(ghost)).toEqual({ events: 0, outbox: 0 });
  });

  it('lists consultations by stage, without snapshots', async () => {
    const id = randomUUID();
    await store.append(creation(id, await store.nextReference(2036), { stage: 'only_here' }));
    const list = await store.listConsultations({ stage: 'only_here' });
    expect(list.map((c) => c.id)).toEqual([id]);
    expect(list[0]).not.toHaveProperty('snapshot');
    expect((await store.listConsultations({ stage: ['only_here', 'nowhere'] })).map((c) => c.id)).toEqual([id]);
    expect((await store.listConsultations()).length).toBeGreaterThan(1);
  });

  it('gives out references without gaps or duplicates under concurrency', async () => {
    const refs = await Promise.all(Array.from({ length: 25 }, () => store.nextReference(2040)));
    expect([...refs].sort()).toEqual(Array.from({ length: 25 }, (_, i) => formatReference(2040, i + 1)));
    expect(await store.nextReference(2041)).toBe('CRM-2041-001');
    expect(formatReference(2040, 1234)).toBe('CRM-2040-1234');
  });
});
