/**
 * deliverProcessor without a queue: a hand-made Job and an in-memory outbox, to pin down each branch
 * (the integration tests run the same code through BullMQ on every backend).
 */
import { randomUUID } from 'node:crypto';
import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import { describe, expect, it, vi } from 'vitest';
import {
  deadLetterMessage,
  deliverProcessor,
  recipientName,
  secretariatAddresses,
  type DeliverDeps,
  type DeliverOutbox,
  type SecretariatAddress,
} from '../../../src/jobs/deliver.ts';
import { MultiNotifier, NO_ADDRESS, RecordingNotifier, type Notifier } from '../../../src/jobs/notifier.ts';
import type { NewOutboxMessage } from '../../../src/store/consultation-store.ts';
import type { OutboxItem } from '../../../src/store/outbox-store.ts';
import { memoryLogger } from '../../fixtures/jobs/backends.ts';
import { directory as flowsDirectory } from '../flows/fixtures.ts';

class MemoryOutbox implements DeliverOutbox {
  readonly rows = new Map<string, OutboxItem>();
  async get(id: string) {
    const r = this.rows.get(id);
    return r && { ...r };
  }
  private update(id: string, f: (r: OutboxItem) => void): boolean {
    const r = this.rows.get(id);
    if (!r || r.status !== 'pending') return false;
    f(r);
    return true;
  }
  async markSent(id: string, receipt?: unknown, now = new Date()) {
    return this.update(id, (r) => Object.assign(r, { status: 'sent', sentAt: now, attempts: r.attempts + 1, lastError: null, receipt: receipt ?? null }));
  }
  async markFailed(id: string, error: string, nextAttemptAt: Date) {
    return this.update(id, (r) => Object.assign(r, { attempts: r.attempts + 1, lastError: error, nextAttemptAt }));
  }
  async markDead(id: string, error: string) {
    return this.update(id, (r) => Object.assign(r, { status: 'dead', attempts: r.attempts + 1, lastError: error }));
  }
  async enqueue(messages: readonly NewOutboxMessage[], consultationId: string | null = null) {
    const ids: string[] = [];
    for (const m of messages) {
      if ([...this.rows.values()].some((r) => r.dedupeKey === m.dedupeKey)) continue;
      const id = randomUUID();
      this.rows.set(id, {
        id,
        consultationId,
        dedupeKey: m.dedupeKey,
        platform: m.platform,
        recipient: m.recipient,
        kind: m.kind,
        payload: m.payload,
        status: 'pending',
        attempts: 0,
        nextAttemptAt: m.notBefore ?? new Date(),
        lastError: null,
        receipt: null,
        createdAt: new Date(),
        sentAt: null,
      });
      ids.push(id);
    }
    return ids;
  }
  byKey(key: string) {
    return [...this.rows.values()].find((r) => r.dedupeKey === key);
  }
  async sentAfter(replaceKey: string, platform: string, createdAt: Date) {
    const newer = [...this.rows.values()].filter(
      (r) => r.status === 'sent' && r.platform === platform && r.createdAt > createdAt && (r.payload as { replaceKey?: string }).replaceKey === replaceKey,
    );
    return newer.length ? (newer.at(-1)!.receipt ?? null) : undefined;
  }
  async pendingAfter(replaceKey: string, platform: string, createdAt: Date) {
    return [...this.rows.values()].some(
      (r) =>
        r.status === 'pending' &&
        r.attempts === 0 &&
        r.nextAttemptAt.getTime() <= Date.now() &&
        r.platform === platform &&
        r.createdAt > createdAt &&
        (r.payload as { replaceKey?: string }).replaceKey === replaceKey,
    );
  }
  async olderPending(replaceKey: string, platform: string, createdAt: Date) {
    return [...this.rows.values()].some((r) => r.status === 'pending' && r.platform === platform && r.createdAt < createdAt && (r.payload as { replaceKey?: string }).replaceKey === replaceKey);
  }
  async lastReceiptFor(replaceKey: string, platform: string) {
    const sent = [...this.rows.values()].filter((r) => r.status === 'sent' && r.platform === platform && (r.payload as { replaceKey?: string }).replaceKey === replaceKey);
    return sent.at(-1)?.receipt ?? undefined;
  }
}

const ST: SecretariatAddress = { recipient: { kind: 'secretariat_channel', slack: 'C0ST' }, platform: 'slack' };

function fakeJob(data: unknown, o: { attemptsMade?: number; attempts?: number; attemptsStarted?: number } = {}) {
  const moveToDelayed = vi.fn(async () => undefined);
  const job = {
    id: 'deliver.x',
    data,
    opts: { attempts: o.attempts ?? 3, backoff: { type: 'exponential', delay: 1_000 } },
    attemptsMade: o.attemptsMade ?? 0,
    attemptsStarted: o.attemptsStarted ?? (o.attemptsMade ?? 0) + 1,
    moveToDelayed,
  };
  return { job: job as unknown as Job<unknown>, moveToDelayed };
}

async function setup(
  opts: { notifier?: Notifier; st?: SecretariatAddress | readonly SecretariatAddress[] | undefined; row?: Partial<NewOutboxMessage>; deps?: Partial<DeliverDeps> } = {},
) {
  const outbox = new MemoryOutbox();
  const notifier = new RecordingNotifier();
  const logger = memoryLogger();
  const enqueued: string[] = [];
  const [id] = await outbox.enqueue(
    [
      {
        dedupeKey: 'k1',
        platform: 'slack',
        recipient: { kind: 'person', personId: 'p-1', name: 'Ana Pérez', slack: 'U0ANA' },
        kind: 'troika_request',
        payload: { reference: 'CRM-2026-003', email: 'ana@example.org' },
        ...opts.row,
      },
    ],
    'c-3',
  );
  const process = deliverProcessor({
    outbox,
    notifier: opts.notifier ?? notifier,
    logger,
    secretariat: () => ('st' in opts ? opts.st : ST),
    enqueue: async (ids) => void enqueued.push(...ids),
    ...opts.deps,
  });
  return { outbox, notifier, logger, enqueued, id: id!, process };
}

describe('deliverProcessor', () => {
  it('refuses a job without an outbox id, for good', async () => {
    const { process } = await setup();
    await expect(process(fakeJob({ nope: 1 }).job)).rejects.toBeInstanceOf(UnrecoverableError);
  });

  it('does nothing for a missing, sent or dead row', async () => {
    const { process, outbox, notifier, id } = await setup();
    expect(await process(fakeJob({ outboxId: 'missing' }).job)).toBe('missing');
    await outbox.markSent(id, { ts: '1' });
    expect(await process(fakeJob({ outboxId: id }).job)).toBe('already_sent');
    expect(notifier.attempts).toHaveLength(0);
  });

  it('sends with the dedupe key as idempotency key and keeps the receipt', async () => {
    const { process, outbox, notifier, id } = await setup();
    expect(await process(fakeJob({ outboxId: id }).job)).toBe('sent');
    expect(notifier.attempts[0]!.item).toMatchObject({ id, dedupeKey: 'k1', platform: 'slack' });
    expect(await outbox.get(id)).toMatchObject({ status: 'sent', attempts: 1, receipt: { dedupeKey: 'k1' } });
  });

  it('a self-replacing message whose newer version was already sent is not sent (older content never overwrites newer)', async () => {
    const { process, outbox, notifier } = await setup();
    const status = (key: string, heading: string): NewOutboxMessage => ({
      dedupeKey: key,
      platform: 'slack',
      recipient: { kind: 'person', personId: 'p-2', name: 'Itzel Castillo', slack: 'U0PA' },
      kind: 'status',
      payload: { reference: 'CRM-2026-003', heading, replaceKey: 'status:c-3:p-2' },
    });
    const [older] = await outbox.enqueue([status('s1', 'old')], 'c-3');
    await new Promise((r) => setTimeout(r, 5));
    const [newer] = await outbox.enqueue([status('s2', 'new')], 'c-3');
    expect(await process(fakeJob({ outboxId: newer! }).job)).toBe('sent');
    expect(await process(fakeJob({ outboxId: older! }).job)).toBe('superseded');
    expect(notifier.deliveries.map((d) => (d.item.payload as { heading: string }).heading)).toEqual(['new']);
    expect((await outbox.get(older!))!).toMatchObject({ status: 'sent', receipt: (await outbox.get(newer!))!.receipt });
    // The older one sent before the newer one was written: the newer one then updates it.
    const [a] = await outbox.enqueue([status('s3', 'a')], 'c-3');
    expect(await process(fakeJob({ outboxId: a! }).job)).toBe('sent');
    await new Promise((r) => setTimeout(r, 5));
    const [b] = await outbox.enqueue([status('s4', 'b')], 'c-3');
    expect(await process(fakeJob({ outboxId: b! }).job)).toBe('sent');
    expect(notifier.deliveries.at(-1)!.item.receipt).toEqual((await outbox.get(a!))!.receipt);
  });

  it('a version that waited in-process for its slot is superseded when a newer one went out meanwhile; no extra read without a wait', async () => {
    const status = (key: string, heading: string): NewOutboxMessage => ({
      dedupeKey: key,
      platform: 'slack',
      recipient: { kind: 'secretariat_channel', slack: 'C0ST' },
      kind: 'status',
      payload: { reference: 'CRM-2026-003', heading, replaceKey: 'status:c-4' },
    });
    let onWait: (() => Promise<void>) | undefined;
    const takes: number[] = [];
    const pacing = {
      take: async () => {
        const first = onWait;
        onWait = undefined;
        if (first) await first();
        const w = first ? 20 : 0; // a short wait, slept in-process
        takes.push(w);
        return w;
      },
      block: async () => undefined,
    };
    const { process, outbox, notifier } = await setup({ deps: { pacing } });
    const sentAfter = vi.spyOn(outbox, 'sentAfter');
    const [older] = await outbox.enqueue([status('w1', 'old')], 'c-4');
    await new Promise((r) => setTimeout(r, 5));
    const [newer] = await outbox.enqueue([status('w2', 'new')], 'c-4');
    // While the older one waits for its slot, another worker sends the newer one.
    onWait = async () => void (await outbox.markSent(newer!, { channel: 'C0ST', ts: '9.9' }));
    expect(await process(fakeJob({ outboxId: older! }).job)).toBe('superseded');
    expect(takes).toEqual([20, 0]);
    expect(notifier.attempts).toHaveLength(0);
    expect(await outbox.get(older!)).toMatchObject({ status: 'sent', receipt: { channel: 'C0ST', ts: '9.9' } });
    // No wait: the one read before pacing only.
    const [latest] = await outbox.enqueue([status('w3', 'latest')], 'c-4');
    sentAfter.mockClear();
    expect(await process(fakeJob({ outboxId: latest! }).job)).toBe('sent');
    expect(sentAfter).toHaveBeenCalledTimes(1);
  });

  it('coalescing: a version whose newer one is still pending is not sent; the newest goes out once, updating the message on the platform', async () => {
    const { process, outbox, notifier } = await setup();
    const status = (key: string, heading: string): NewOutboxMessage => ({
      dedupeKey: key,
      platform: 'slack',
      recipient: { kind: 'secretariat_channel', slack: 'C0ST' },
      kind: 'status',
      payload: { reference: 'CRM-2026-003', heading, replaceKey: 'status:c-9' },
    });
    const [first] = await outbox.enqueue([status('c1', 'first')], 'c-9');
    expect(await process(fakeJob({ outboxId: first! }).job)).toBe('sent');
    const posted = (await outbox.get(first!))!.receipt;
    // A burst: three versions written before any is delivered, their jobs run oldest first.
    const burst: string[] = [];
    for (const h of ['b1', 'b2', 'b3']) {
      await new Promise((r) => setTimeout(r, 5));
      burst.push((await outbox.enqueue([status(`c-${h}`, h)], 'c-9'))[0]!);
    }
    expect(await process(fakeJob({ outboxId: burst[0]! }).job)).toBe('coalesced');
    expect(await process(fakeJob({ outboxId: burst[1]! }).job)).toBe('coalesced');
    expect(await process(fakeJob({ outboxId: burst[2]! }).job)).toBe('sent');
    // A retried or duplicated job of a coalesced row sends nothing either.
    expect(await process(fakeJob({ outboxId: burst[0]! }).job)).toBe('already_sent');
    expect(notifier.deliveries.map((d) => (d.item.payload as { heading: string }).heading)).toEqual(['first', 'b3']);
    // The newest updated the message first posted; the coalesced rows keep that receipt (the latest receipt stays right).
    expect(notifier.deliveries.at(-1)!.item.receipt).toEqual(posted);
    for (const id of burst.slice(0, 2)) expect(await outbox.get(id)).toMatchObject({ status: 'sent', receipt: posted });
  });

  it('an update-only card (closed or corrected in place) updates the card sent, and posts nothing when none was sent', async () => {
    const { process, outbox, notifier } = await setup();
    const card = (key: string, heading: string, replaceKey: string, updateOnly?: boolean): NewOutboxMessage => ({
      dedupeKey: key,
      platform: 'slack',
      recipient: { kind: 'person', personId: 'p-5', name: 'Luis Mora', slack: 'U0CR' },
      kind: 'member_request',
      payload: { reference: 'CRM-2026-005', heading, replaceKey, ...(updateOnly ? { updateOnly } : {}) },
    });
    // Never sent before: nothing goes out, and the row is done.
    const [orphan] = await outbox.enqueue([card('u1', 'closed', 'member:c-5:p-5', true)], 'c-5');
    expect(await process(fakeJob({ outboxId: orphan! }).job)).toBe('nothing_to_update');
    expect(notifier.attempts).toEqual([]);
    expect(await outbox.get(orphan!)).toMatchObject({ status: 'sent' });
    // Sent before: the update goes to the notifier with the earlier card's receipt.
    const [first] = await outbox.enqueue([card('u2', 'open', 'member:c-5:p-6')], 'c-5');
    expect(await process(fakeJob({ outboxId: first! }).job)).toBe('sent');
    await new Promise((r) => setTimeout(r, 5));
    const [update] = await outbox.enqueue([card('u3', 'closed', 'member:c-5:p-6', true)], 'c-5');
    expect(await process(fakeJob({ outboxId: update! }).job)).toBe('sent');
    expect(notifier.attempts.at(-1)!.item.receipt).toEqual((await outbox.get(first!))!.receipt);
  });

  it('an update-only card whose first version is still on its way waits for it (no attempt used), then updates it', async () => {
    const { process, outbox, notifier } = await setup();
    const card = (key: string, heading: string, updateOnly?: boolean): NewOutboxMessage => ({
      dedupeKey: key,
      platform: 'slack',
      recipient: { kind: 'person', personId: 'p-7', name: 'Ana Pérez', slack: 'U0GT' },
      kind: 'troika_request',
      payload: { reference: 'CRM-2026-007', heading, replaceKey: 'troika:c-7:p-7', ...(updateOnly ? { updateOnly } : {}) },
    });
    const [post] = await outbox.enqueue([card('w1', 'open')], 'c-7');
    await new Promise((r) => setTimeout(r, 5));
    const [update] = await outbox.enqueue([card('w2', 'closed', true)], 'c-7');
    // The update's job runs first (priorities, parallel workers): it must not be dropped as "never sent".
    const early = fakeJob({ outboxId: update! });
    await expect(process(early.job, 'token-7')).rejects.toBeInstanceOf(DelayedError);
    expect(early.moveToDelayed).toHaveBeenCalledTimes(1);
    expect(await outbox.get(update!)).toMatchObject({ status: 'pending', attempts: 0 });
    expect(notifier.attempts).toEqual([]);
    // The card is posted; the update then goes to it.
    expect(await process(fakeJob({ outboxId: post! }).job)).toBe('sent');
    expect(await process(fakeJob({ outboxId: update! }).job)).toBe('sent');
    expect(notifier.attempts.map((a) => (a.item.payload as { heading: string }).heading)).toEqual(['open', 'closed']);
    expect(notifier.attempts.at(-1)!.item.receipt).toEqual((await outbox.get(post!))!.receipt);
  });

  it('a transient failure: markFailed with the next backoff time, and throws for BullMQ to retry', async () => {
    const { process, outbox, notifier, id } = await setup();
    notifier.fail(1, { error: 'http 503' });
    // The clock stands still (only Date is faked): the next attempt's time is exact, whatever the machine's speed.
    // A minute after the row was written (never a fixed date: the row is due only after it was written).
    const t0 = Math.ceil(Date.now() / 1000) * 1000 + 60_000;
    vi.useFakeTimers({ toFake: ['Date'], now: t0 });
    try {
      await expect(process(fakeJob({ outboxId: id }, { attemptsMade: 1 }).job)).rejects.toThrow('http 503');
    } finally {
      vi.useRealTimers();
    }
    const row = await outbox.get(id);
    expect(row).toMatchObject({ status: 'pending', attempts: 1, lastError: 'http 503' });
    // exponential, base 1 s, second attempt failed → next in 2 s
    expect(row!.nextAttemptAt.getTime() - t0).toBe(2_000);
  });

  it('a notifier that throws counts as a transient failure', async () => {
    const { process, outbox, notifier, id } = await setup();
    notifier.script({ type: 'throw', error: 'socket hang up' });
    await expect(process(fakeJob({ outboxId: id }).job)).rejects.toThrow('socket hang up');
    expect(await outbox.get(id)).toMatchObject({ status: 'pending', lastError: 'socket hang up' });
  });

  it('the last attempt failing: dead, one dead letter queued, UnrecoverableError', async () => {
    const onDead = vi.fn();
    const { process, outbox, notifier, enqueued, id } = await setup({ deps: { onDead } });
    notifier.fail(1);
    const err = await process(fakeJob({ outboxId: id }, { attemptsMade: 2, attempts: 3 }).job).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnrecoverableError);
    expect(await outbox.get(id)).toMatchObject({ status: 'dead' });
    const letter = outbox.byKey(`dead_letter.${id}`)!;
    expect(letter).toMatchObject({ kind: 'dead_letter', platform: 'slack', consultationId: 'c-3', recipient: ST.recipient });
    expect(enqueued).toEqual([letter.id]);
    expect(onDead).toHaveBeenCalledWith(expect.objectContaining({ id }), { reason: 'retries_exhausted', error: 'platform unavailable', deadLetterId: letter.id, deadLetterIds: [letter.id] });
  });

  it('a 429 without a rate-limit hook delays this job only, no attempt used', async () => {
    const { process, outbox, notifier, id } = await setup();
    notifier.rateLimit(1_500);
    const { job, moveToDelayed } = fakeJob({ outboxId: id });
    const t0 = Date.now();
    await expect(process(job, 'token-1')).rejects.toBeInstanceOf(DelayedError);
    const [ts, token] = moveToDelayed.mock.calls[0] as unknown as [number, string];
    expect(ts - t0).toBeGreaterThanOrEqual(1_500);
    expect(token).toBe('token-1');
    expect(await outbox.get(id)).toMatchObject({ status: 'pending', attempts: 0 });
  });

  it('a 429 with the hook rate-limits the queue and throws the RateLimitError', async () => {
    const rateLimit = vi.fn(async () => undefined);
    const { process, notifier, id } = await setup({ deps: { rateLimit } });
    notifier.rateLimit(2_000);
    await expect(process(fakeJob({ outboxId: id }).job)).rejects.toThrow('bullmq:rateLimitExceeded');
    expect(rateLimit).toHaveBeenCalledWith(2_000);
  });

  it('a row rate-limited too many times is treated as a transient failure', async () => {
    const rateLimit = vi.fn(async () => undefined);
    const { process, outbox, notifier, id } = await setup({ deps: { rateLimit } });
    notifier.rateLimit(1_000);
    await expect(process(fakeJob({ outboxId: id }, { attemptsMade: 0, attemptsStarted: 102 }).job)).rejects.toThrow('rate_limited');
    expect(rateLimit).not.toHaveBeenCalled();
    expect(await outbox.get(id)).toMatchObject({ attempts: 1, lastError: 'rate_limited' });
  });

  it('a hanging notifier is given up on after the timeout', async () => {
    const { process, outbox, notifier, id } = await setup({ deps: { sendTimeoutMs: 50 } });
    notifier.hang();
    await expect(process(fakeJob({ outboxId: id }).job)).rejects.toThrow('no answer within 50 ms');
    expect(notifier.attempts[0]!.result).toBe('aborted');
    expect(await outbox.get(id)).toMatchObject({ status: 'pending', attempts: 1 });
  });

  it('a dead row whose dead letter was never written (crash in between) gets it on the next run', async () => {
    const { process, outbox, id } = await setup();
    await outbox.markDead(id, 'channel_not_found');
    expect(await process(fakeJob({ outboxId: id }).job)).toBe('already_dead');
    expect(outbox.byKey(`dead_letter.${id}`)).toBeDefined();
    expect(await process(fakeJob({ outboxId: id }).job)).toBe('already_dead');
    expect([...outbox.rows.values()].filter((r) => r.kind === 'dead_letter')).toHaveLength(1);
  });

  it('a message replaced in place whose versions all die: one dead letter for the message, not one per version', async () => {
    const { process, outbox, notifier } = await setup();
    notifier.permanent('no notifier configured for platform teams');
    const status = (key: string, heading: string): NewOutboxMessage => ({
      dedupeKey: key,
      platform: 'slack',
      recipient: { kind: 'person', personId: 'p-9', name: 'Rosa Díaz', slack: 'U0HN' },
      kind: 'member_request',
      payload: { reference: 'CRM-2026-009', heading, replaceKey: 'member:c-9:p-9' },
    });
    const ids = await outbox.enqueue([status('v1', 'one'), status('v2', 'two'), status('v3', 'three')], 'c-9');
    for (const id of ids) await expect(process(fakeJob({ outboxId: id }).job)).rejects.toBeInstanceOf(UnrecoverableError);
    for (const id of ids) expect(await outbox.get(id)).toMatchObject({ status: 'dead' });
    const letters = [...outbox.rows.values()].filter((r) => r.kind === 'dead_letter');
    expect(letters.map((r) => r.dedupeKey)).toEqual(['dead_letter.member:c-9:p-9:slack']);
  });

  it('without a secretariat address: dead, logged, no dead letter', async () => {
    const { process, outbox, notifier, logger, id } = await setup({ st: undefined });
    notifier.permanent();
    await expect(process(fakeJob({ outboxId: id }).job)).rejects.toBeInstanceOf(UnrecoverableError);
    expect(outbox.byKey(`dead_letter.${id}`)).toBeUndefined();
    expect(logger.lines.some((l) => l.level === 'error' && /no secretariat address/.test(l.msg ?? ''))).toBe(true);
  });

  describe('a directory naming both ST channels (Slack and Teams)', () => {
    const TEAMS_ST = '19:0f1e2d3c4b5a@thread.tacv2';
    const BOTH: SecretariatAddress[] = [
      { recipient: { kind: 'secretariat_channel', slack: 'C0ST' }, platform: 'slack', locale: 'es', key: 'st-channel' },
      { recipient: { kind: 'secretariat_channel', teams: TEAMS_ST }, platform: 'teams', locale: 'es', key: 'st-channel:teams' },
    ];
    const letters = (outbox: MemoryOutbox) => [...outbox.rows.values()].filter((r) => r.kind === 'dead_letter');

    it('the addresses come from the live directory: Slack first, each with its own channel and key', () => {
      const d = { ...flowsDirectory, secretariat: { ...flowsDirectory.secretariat, teams: { channel: TEAMS_ST } } };
      expect(secretariatAddresses(d)).toEqual([
        { recipient: { kind: 'secretariat_channel', slack: flowsDirectory.secretariat.slack!.channel }, platform: 'slack', locale: d.secretariat.locale, key: 'st-channel' },
        { recipient: { kind: 'secretariat_channel', teams: TEAMS_ST }, platform: 'teams', locale: d.secretariat.locale, key: 'st-channel:teams' },
      ]);
    });

    it('a dead message to a person: the same dead letter to each channel, the Slack one under the key it always had', async () => {
      const onDead = vi.fn();
      const { process, outbox, notifier, enqueued, id } = await setup({ st: BOTH, deps: { onDead } });
      notifier.permanent('user_not_found');
      await expect(process(fakeJob({ outboxId: id }).job)).rejects.toBeInstanceOf(UnrecoverableError);
      const slack = outbox.byKey(`dead_letter.${id}`)!;
      const teams = outbox.byKey(`dead_letter.${id}:teams`)!;
      expect([slack, teams].map((r) => [r.platform, r.recipient, r.consultationId])).toEqual([
        ['slack', BOTH[0]!.recipient, 'c-3'],
        ['teams', BOTH[1]!.recipient, 'c-3'],
      ]);
      expect(teams.payload).toEqual(slack.payload);
      expect(letters(outbox)).toHaveLength(2);
      expect(enqueued).toEqual([slack.id, teams.id]);
      expect(onDead).toHaveBeenCalledWith(expect.objectContaining({ id }), expect.objectContaining({ deadLetterId: slack.id, deadLetterIds: [slack.id, teams.id] }));
      // Run again (a crash after the write): nothing written twice.
      expect(await process(fakeJob({ outboxId: id }).job)).toBe('already_dead');
      expect(letters(outbox)).toHaveLength(2);
    });

    it('a message that could not reach the Teams ST channel: told on Slack only', async () => {
      const { process, outbox, notifier, id } = await setup({
        st: BOTH,
        row: { platform: 'teams', recipient: { kind: 'secretariat_channel', teams: TEAMS_ST }, kind: 'status', payload: { reference: 'CRM-2026-003' } },
      });
      notifier.permanent('teams:not_installed');
      await expect(process(fakeJob({ outboxId: id }).job)).rejects.toBeInstanceOf(UnrecoverableError);
      expect(letters(outbox).map((r) => [r.dedupeKey, r.platform, r.recipient])).toEqual([[`dead_letter.${id}`, 'slack', BOTH[0]!.recipient]]);
    });

    it('a message that could not reach the Slack ST channel: told on Teams only', async () => {
      const { process, outbox, notifier, id } = await setup({
        st: BOTH,
        row: { platform: 'slack', recipient: { kind: 'secretariat_channel', slack: 'C0ST' }, kind: 'digest', payload: { reference: 'CRM-2026-003' } },
      });
      notifier.permanent('channel_not_found');
      await expect(process(fakeJob({ outboxId: id }).job)).rejects.toBeInstanceOf(UnrecoverableError);
      expect(letters(outbox).map((r) => [r.dedupeKey, r.platform, r.recipient])).toEqual([[`dead_letter.${id}:teams`, 'teams', BOTH[1]!.recipient]]);
    });

    it('the Teams ST channel the only one named and unreachable: dead, logged, no dead letter to it', async () => {
      const { process, outbox, notifier, logger, id } = await setup({
        st: [BOTH[1]!],
        row: { platform: 'teams', recipient: { kind: 'secretariat_channel', teams: TEAMS_ST }, kind: 'status', payload: { reference: 'CRM-2026-003' } },
      });
      notifier.permanent('teams:not_installed');
      await expect(process(fakeJob({ outboxId: id }).job)).rejects.toBeInstanceOf(UnrecoverableError);
      expect(await outbox.get(id)).toMatchObject({ status: 'dead' });
      expect(letters(outbox)).toEqual([]);
      expect(logger.lines.some((l) => l.level === 'error' && /only ST channel/.test(l.msg ?? ''))).toBe(true);
    });
  });

  it('the ST locale decides the language of the dead letter', async () => {
    const { process, outbox, notifier, id } = await setup({ st: { ...ST, locale: 'en' } });
    notifier.permanent('user_not_found');
    await process(fakeJob({ outboxId: id }).job).catch(() => undefined);
    const msg = outbox.byKey(`dead_letter.${id}`)!.payload as { body: string[]; heading: string; locale: string };
    expect(msg.locale).toBe('en');
    expect(msg.heading).toBe('Message not delivered: CRM-2026-003');
    expect(msg.body[0]).toBe('We could not deliver the Troika request of consultation CRM-2026-003 to Ana Pérez.');
    expect(JSON.stringify(msg)).not.toMatch(/ana@example|U0ANA|p-1/);
  });
});

describe('dead letter text', () => {
  const item = (over: Partial<OutboxItem>): OutboxItem => ({
    id: 'o1',
    consultationId: null,
    dedupeKey: 'k',
    platform: 'teams',
    recipient: { kind: 'person', personId: 'p', name: 'Jean Dupont', teams: '29:abc' },
    kind: 'reminder',
    payload: {},
    status: 'pending',
    attempts: 0,
    nextAttemptAt: new Date(),
    lastError: null,
    receipt: null,
    createdAt: new Date(),
    sentAt: null,
    ...over,
  });

  it('names the consultation, the kind and the person, in Spanish by default', () => {
    const m = deadLetterMessage(item({ payload: { reference: 'CRM-2026-011', consultationId: 'c11' } }), 'es', 'unreachable');
    expect(m).toMatchObject({ kind: 'dead_letter', consultationId: 'c11', reference: 'CRM-2026-011', heading: 'Mensaje no entregado: CRM-2026-011' });
    expect(m.body).toEqual([
      'No se pudo entregar el recordatorio de la consulta CRM-2026-011 a Jean Dupont.',
      'Esta persona no tiene dirección de Slack ni de Teams en el directorio.',
      'Por favor, hágale llegar la información por otro medio.',
    ]);
    expect(m.fields.map((f) => f.value)).toEqual(['CRM-2026-011', 'el recordatorio', 'Jean Dupont']);
  });

  it('copes with a row without reference or a known kind', () => {
    const m = deadLetterMessage(item({ kind: 'custom_thing', recipient: { kind: 'secretariat_channel' } }), 'en', 'rejected');
    expect(m.body[0]).toBe('We could not deliver a message to the Technical Secretariat channel.');
    const es = deadLetterMessage(item({ kind: 'weekly_digest', payload: { reference: '2026-W49', consultationId: '' }, recipient: { kind: 'secretariat_channel' } }), 'es', 'rejected');
    expect(es.heading).toBe('Mensaje no entregado');
    expect(es.body[0]).toBe('No se pudo entregar el resumen semanal al canal de la Secretaría Técnica.');
  });

  it('recipientName never shows ids or addresses', () => {
    expect(recipientName({ kind: 'person', personId: 'p', name: '  Ana ', slack: 'U1' })).toBe('Ana');
    expect(recipientName({ slackUserId: 'U1', email: 'x@y.z' }, 'en')).toBe('a recipient without a name');
    expect(recipientName(null)).toBe('un destinatario sin nombre');
  });
});

describe('MultiNotifier', () => {
  it('routes by platform; unreachable and unconfigured platforms are permanent failures', async () => {
    const slack = new RecordingNotifier();
    const multi = new MultiNotifier({ slack });
    const base = { id: 'o', dedupeKey: 'k', recipient: {}, kind: 'reminder', payload: {} };
    expect(await multi.send({ ...base, platform: 'slack' })).toMatchObject({ ok: true });
    expect(slack.deliveries).toHaveLength(1);
    expect(await multi.send({ ...base, platform: 'unreachable' })).toEqual({ ok: false, permanent: true, error: NO_ADDRESS });
    expect(await multi.send({ ...base, platform: 'teams' })).toMatchObject({ ok: false, permanent: true });
  });
});
