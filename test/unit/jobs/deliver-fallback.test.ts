/**
 * The deliver job's fallback hook (jobs/deliver.ts `fallback`) with the e-mail fallback
 * (adapters/email/fallback.ts): a person's dead chat message is written again for e-mail, once, and the
 * ST's dead letter says it went by e-mail; nothing else falls back.
 */
import { randomUUID } from 'node:crypto';
import { UnrecoverableError, type Job } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { emailFallback, fallbackKey } from '../../../src/adapters/email/fallback.ts';
import type { Directory } from '../../../src/directory/model.ts';
import { deliverProcessor, type DeliverOutbox } from '../../../src/jobs/deliver.ts';
import { RecordingNotifier } from '../../../src/jobs/notifier.ts';
import type { NewOutboxMessage } from '../../../src/store/consultation-store.ts';
import type { OutboxItem } from '../../../src/store/outbox-store.ts';
import { memoryLogger } from '../../fixtures/jobs/backends.ts';

class MemoryOutbox implements DeliverOutbox {
  readonly rows: OutboxItem[] = [];
  async get(id: string) {
    return this.rows.find((r) => r.id === id);
  }
  private set(id: string, change: Partial<OutboxItem>): boolean {
    const r = this.rows.find((x) => x.id === id);
    if (!r || r.status !== 'pending') return false;
    Object.assign(r, change, { attempts: r.attempts + 1 });
    return true;
  }
  async markSent(id: string) {
    return this.set(id, { status: 'sent' });
  }
  async markFailed(id: string, lastError: string) {
    return this.set(id, { lastError });
  }
  async markDead(id: string, lastError: string) {
    return this.set(id, { status: 'dead', lastError });
  }
  async enqueue(messages: readonly NewOutboxMessage[], consultationId: string | null = null) {
    const ids: string[] = [];
    for (const m of messages) {
      if (this.rows.some((r) => r.dedupeKey === m.dedupeKey)) continue;
      const id = randomUUID();
      this.rows.push({ ...m, id, consultationId, status: 'pending', attempts: 0, nextAttemptAt: new Date(), lastError: null, receipt: null, createdAt: new Date(), sentAt: null });
      ids.push(id);
    }
    return ids;
  }
  byKey(key: string) {
    return this.rows.find((r) => r.dedupeKey === key);
  }
}

const directory = {
  secretariat: { timezone: 'America/Costa_Rica', calendar: 'CR', locale: 'en', staff: [] },
  presidencies: [],
  organizations: [],
  holidays: [],
  countries: [
    {
      code: 'CR', status: 'member', name: { es: 'Costa Rica', en: 'Costa Rica' }, timezone: 'America/Costa_Rica', calendar: 'CR',
      focalPoints: [{ id: 'luis@example.org', name: 'Luis Mora', email: 'luis@example.org', slack: 'U0CR1', locale: 'es', timezone: 'America/Costa_Rica', country: 'CR' }],
    },
  ],
} as unknown as Directory;

const job = (outboxId: string) =>
  ({ id: `deliver.${outboxId}`, data: { outboxId }, opts: { attempts: 3 }, attemptsMade: 0, attemptsStarted: 1, moveToDelayed: async () => undefined }) as unknown as Job<unknown>;

async function setup(row: Partial<NewOutboxMessage> = {}) {
  const outbox = new MemoryOutbox();
  const notifier = new RecordingNotifier().permanent('user_not_found');
  const enqueued: string[] = [];
  const [id] = await outbox.enqueue(
    [
      {
        dedupeKey: 'member_request.c-1.luis',
        platform: 'slack',
        recipient: { kind: 'person', personId: 'luis@example.org', name: 'Luis Mora', slack: 'U0CR1' },
        kind: 'member_request',
        payload: { kind: 'member_request', reference: 'CRM-2026-004', heading: 'Consulta' },
        ...row,
      },
    ],
    'c-1',
  );
  const logger = memoryLogger();
  const run = deliverProcessor({
    outbox,
    notifier,
    logger,
    secretariat: () => ({ recipient: { kind: 'secretariat_channel', slack: 'C0ST' }, platform: 'slack', locale: 'en' }),
    enqueue: async (ids) => void enqueued.push(...ids),
    fallback: emailFallback(() => directory),
  });
  return { outbox, enqueued, id: id!, run, logger };
}

describe('the e-mail fallback of a dead message', () => {
  it('writes the same message for e-mail once, queues it, and the dead letter says it went by e-mail', async () => {
    const { outbox, enqueued, id, run, logger } = await setup();
    await expect(run(job(id))).rejects.toBeInstanceOf(UnrecoverableError);
    const fallback = outbox.byKey(fallbackKey(id))!;
    expect(fallback).toMatchObject({
      platform: 'email',
      kind: 'member_request',
      consultationId: 'c-1',
      recipient: { kind: 'person', personId: 'luis@example.org', name: 'Luis Mora' },
      payload: { kind: 'member_request', reference: 'CRM-2026-004' },
    });
    const letter = outbox.byKey(`dead_letter.${id}`)!;
    expect((letter.payload as { body: string[] }).body).toEqual([
      'We could not deliver the request for a position of consultation CRM-2026-004 to Luis Mora.',
      'The platform refused it: the account does not exist or does not accept messages from the bot, so retrying will not help. Please check their Slack or Teams id in the directory.',
      'The message was sent to them by e-mail instead.',
    ]);
    expect(JSON.stringify(letter.payload)).not.toContain('@');
    expect(enqueued).toEqual([fallback.id, letter.id]);
    // A second run on the dead row writes nothing new.
    expect(await run(job(id))).toBe('already_dead');
    expect(outbox.rows).toHaveLength(3);
    expect(JSON.stringify(logger.lines)).not.toContain('@');
  });

  it('an e-mail that goes dead does not fall back again; the ST is asked to reach the person another way', async () => {
    const { outbox, id, run } = await setup({ platform: 'email', recipient: { kind: 'person', personId: 'luis@example.org', name: 'Luis Mora' } });
    await expect(run(job(id))).rejects.toBeInstanceOf(UnrecoverableError);
    expect(outbox.byKey(fallbackKey(id))).toBeUndefined();
    expect((outbox.byKey(`dead_letter.${id}`)!.payload as { body: string[] }).body.at(-1)).toBe('Please get the information to them another way.');
  });

  it('no fallback for the ST channel, a Slack card update, or a person no longer in the directory', async () => {
    for (const row of [
      { recipient: { kind: 'secretariat_channel', slack: 'C0ST' }, kind: 'digest' },
      { kind: 'card_update' },
      { recipient: { kind: 'person', personId: 'gone@example.org', name: 'Gone', slack: 'U0GONE' } },
    ]) {
      const { outbox, id, run } = await setup(row);
      await expect(run(job(id))).rejects.toBeInstanceOf(UnrecoverableError);
      expect(outbox.byKey(fallbackKey(id))).toBeUndefined();
    }
  });
});
