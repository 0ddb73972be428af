/**
 * Reminders handled in batches (src/jobs/remind.ts `processReminders`, the remind worker's `RemindBatcher`),
 * on each jobs backend: every reminder of a batch is recorded once (reminders_sent is unique) and delivered
 * once; a batch that crashed after its commit but before queuing its deliveries, replayed (the jobs retried)
 * together with reminders it had not reached, sends each reminder exactly once; a country that answers while
 * a batch is between its re-check and its record gets no reminder (the record is guarded by the version the
 * re-check saw). "Done" is observed (every delivery recorded, the deliver queue idle), never slept for.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandActor, ConsultationState } from '../../../src/domain/types.ts';
import { reactTroika, recordPosition, startConsultation } from '../../../src/flows/consultation-flows.ts';
import { identify } from '../../../src/flows/people.ts';
import type { JobsWorker } from '../../../src/jobs/backend.ts';
import { enqueueDeliveries, secretariatAddress, startDeliverWorker } from '../../../src/jobs/deliver.ts';
import { QUEUES } from '../../../src/jobs/names.ts';
import type { RemindJobData } from '../../../src/jobs/plan.ts';
import { processReminders, type RemindOutcome } from '../../../src/jobs/remind.ts';
import { ReminderStore, type RecordEntry, type RecordResult } from '../../../src/jobs/reminder-store.ts';
import { createRuntime, type JobsRuntime } from '../../../src/jobs/runtime.ts';
import {
  EVENT_WAIT_MS,
  FIVE_PM_CR,
  JOB_BACKENDS,
  NINE_CR,
  RecordingNotifier,
  SETUP_MS,
  expectNoSideErrors,
  openTestApp,
  openTestJobs,
  queuesIdle,
  until,
  type TestApp,
  type TestJobs,
} from './remind-harness.ts';

let n = 0;
const key = (label: string) => `${label}:${process.pid}:${++n}:${Math.random().toString(36).slice(2)}`;

describe.each(JOB_BACKENDS)('reminders in batches on %s', (kind) => {
  let app: TestApp;
  let jobs: TestJobs;
  let notifier: RecordingNotifier;
  let deliver: JobsWorker;

  const actor = (slack: string): CommandActor => {
    const a = identify(app.engine.directory.current(), { platform: 'slack', userId: slack });
    if (!a) throw new Error(`unknown ${slack}`);
    return a;
  };

  /** A runtime on the test's engine and jobs; `enqueue` replaces how deliveries are queued, `reminders` the record. */
  const runtime = (opts: { enqueue?: JobsRuntime['enqueueDeliveries']; reminders?: ReminderStore } = {}): JobsRuntime =>
    createRuntime({
      jobs: jobs.backend,
      deps: app.engine.deps,
      consultations: app.engine.consultations,
      outbox: app.engine.outbox,
      reminders: opts.reminders ?? new ReminderStore(app.engine.db.prisma),
      enqueueDeliveries: opts.enqueue ?? ((j, ids) => enqueueDeliveries(j, ids, { attempts: 3, backoffMs: 200 })),
      logger: app.logger,
    });

  /** PA's PPT starts, MX and SV approve: the member stage is open (no jobs planned: no AfterCommit hook). */
  async function openConsultation(): Promise<ConsultationState> {
    const started = await startConsultation(app.engine.deps, {
      key: key('start'),
      actor: actor('U0PA0000001'),
      title: 'Lote de recordatorios',
      text: `Texto ${Math.random()}`,
      deadline: { kind: 'explicit', at: FIVE_PM_CR },
      justification: 'Urgente: la reunión es mañana',
    });
    if (!started.ok) throw new Error(`start refused: ${started.code}`);
    let state = started.state;
    for (const who of ['U0MX0000001', 'U0SV0000001']) {
      const r = await reactTroika(app.engine.deps, { key: key('troika'), actor: actor(who), consultationId: state.consultationId, version: state.currentVersion, reaction: 'approve' });
      if (!r.ok) throw new Error(`troika refused: ${r.code}`);
      state = r.state;
    }
    expect(state.stage).toBe('member_consultation');
    return state;
  }

  /** The D-0 reminder of every focal point of every Member Country, as remind jobs would carry it. */
  const batchOf = (state: ConsultationState): RemindJobData[] =>
    state.participants.members.flatMap((m) =>
      m.focalPoints.map((fp) => ({
        consultationId: state.consultationId,
        audience: 'member' as const,
        country: m.code,
        personId: fp.personId,
        slot: 'D-0',
        deadlineVersion: state.deadlineVersion,
        dueAt: NINE_CR,
      })),
    );

  const remindersOf = (consultationId: string) =>
    notifier.deliveries.filter((d) => d.item.kind === 'reminder' && d.item.dedupeKey.startsWith(`reminder:${consultationId}:`));
  const personOf = (d: { item: { recipient: unknown } }) => (d.item.recipient as { personId: string }).personId;
  const results = (outs: (RemindOutcome | Error)[]) => outs.map((o) => (o instanceof Error ? 'error' : o.result));

  beforeAll(async () => {
    app = await openTestApp(kind === 'postgres' ? 'postgres' : 'pglite', `remind_batch_${kind}`);
    jobs = await openTestJobs(kind, 'remind_batch');
    notifier = new RecordingNotifier();
    deliver = startDeliverWorker(jobs.backend, {
      outbox: app.engine.outbox,
      notifier,
      logger: app.logger,
      secretariat: () => secretariatAddress(app.engine.directory.current()),
    });
    await deliver.waitUntilReady();
  }, SETUP_MS);
  afterAll(async () => {
    await deliver?.close();
    await jobs?.dispose();
    await app?.dispose();
  }, SETUP_MS);

  it('a batch crashed after its commit, replayed with the reminders it had not reached, sends each reminder exactly once', async () => {
    app.clock.setVirtual(new Date(new Date(NINE_CR).getTime() + 60_000)); // 09:01: the D-0 slot is due
    const state = await openConsultation();
    const id = state.consultationId;
    const batch = batchOf(state);
    expect(batch.length).toBeGreaterThan(4);
    const half = batch.slice(0, Math.ceil(batch.length / 2));

    // First run: half the batch (and one of its reminders twice), then a crash between its commit and the
    // queuing of its deliveries.
    let crashed = 0;
    const crashing = runtime({
      enqueue: async () => {
        crashed++;
        throw new Error('process killed');
      },
    });
    const first = await processReminders(crashing, [...half, half[0]!]);
    expect(results(first)).toEqual([...half.map(() => 'sent'), 'already_sent']);
    expect(crashed).toBe(1);
    expect(await app.engine.db.prisma.reminderSent.count({ where: { consultationId: id } })).toBe(half.length);
    expect(await app.engine.db.prisma.outboxMessage.count({ where: { consultationId: id, kind: 'reminder', status: 'pending' } })).toBe(half.length);

    // The replay (the jobs retried, with the rest of the burst): the recorded ones are not recorded again
    // but their deliveries are queued; the others are recorded now.
    const rt = runtime();
    const replay = await processReminders(rt, batch);
    expect(results(replay)).toEqual(batch.map((_, i) => (i < half.length ? 'already_sent' : 'sent')));
    await until(() => remindersOf(id).length >= batch.length, EVENT_WAIT_MS, 'every reminder delivered');
    // Once more (a late duplicate of every job): nothing new.
    expect(results(await processReminders(rt, batch))).toEqual(batch.map(() => 'already_sent'));
    await queuesIdle(jobs.backend, [QUEUES.deliver]);

    const people = remindersOf(id).map(personOf).sort();
    expect(people).toEqual(batch.map((d) => d.personId).sort());
    expect(new Set(people).size).toBe(people.length);
    expect(await app.engine.db.prisma.reminderSent.count({ where: { consultationId: id } })).toBe(batch.length);
    expect(await app.engine.db.prisma.outboxMessage.count({ where: { consultationId: id, kind: 'reminder' } })).toBe(batch.length);
    expect(await app.engine.db.prisma.outboxMessage.count({ where: { consultationId: id, kind: 'reminder', status: { not: 'sent' } } })).toBe(0);
    expect(app.logger.errors.map((e) => e.msg)).toEqual(['reminders recorded; queuing their delivery failed (reconcile will)']);
    app.logger.errors.length = 0;
    expectNoSideErrors(app.logger);
  });

  it('a country that answers between the re-check and the record is not reminded; the others are, once', async () => {
    app.clock.setVirtual(new Date(new Date(NINE_CR).getTime() + 60_000));
    const state = await openConsultation();
    const id = state.consultationId;
    const batch = batchOf(state);
    const gt = state.participants.members.find((m) => m.code === 'GT')!;
    // The GT focal point answers just after the batch re-checked the consultation, before it records.
    let answered = false;
    class AnswersFirst extends ReminderStore {
      override async recordMany(entries: readonly RecordEntry[], now?: Date): Promise<RecordResult[]> {
        if (!answered) {
          answered = true;
          const r = await recordPosition(app.engine.deps, { key: key('pos'), actor: actor('U0GT0000001'), consultationId: id, position: 'support', version: state.currentVersion });
          if (!r.ok) throw new Error(`position refused: ${r.code}`);
        }
        return super.recordMany(entries, now);
      }
    }
    const rt = runtime({ reminders: new AnswersFirst(app.engine.db.prisma) });
    const outs = await processReminders(rt, batch);
    expect(answered).toBe(true);
    expect(outs).toEqual(batch.map((d) => (d.country === 'GT' ? { result: 'stale', reason: 'answered' } : { result: 'sent', outboxId: expect.any(String) })));
    const expected = batch.filter((d) => d.country !== 'GT').map((d) => d.personId).sort();
    await until(() => remindersOf(id).length >= expected.length, EVENT_WAIT_MS, 'every due reminder delivered');
    await queuesIdle(jobs.backend, [QUEUES.deliver]);
    expect(remindersOf(id).map(personOf).sort()).toEqual(expected);
    expect(gt.focalPoints.some((fp) => expected.includes(fp.personId))).toBe(false);
    expect(await app.engine.db.prisma.reminderSent.count({ where: { consultationId: id, country: 'GT' } })).toBe(0);
    expectNoSideErrors(app.logger);
  });

  it('a reminder whose consultation snapshot is malformed fails alone; the healthy ones are recorded and delivered once', async () => {
    app.clock.setVirtual(new Date(new Date(NINE_CR).getTime() + 60_000));
    const healthy = await openConsultation();
    const poisoned = await openConsultation();
    // The poisoned consultation's stored snapshot loses its participants (a TypeError in the re-check).
    await app.engine.db.prisma.consultation.update({
      where: { id: poisoned.consultationId },
      data: { snapshot: { ...(poisoned as unknown as Record<string, unknown>), participants: null } as never },
    });
    const good = batchOf(healthy);
    const bad = batchOf(poisoned)[0]!;
    const batch = [...good.slice(0, 3), bad, ...good.slice(3)];
    const rt = runtime();
    const outs = await processReminders(rt, batch);
    expect(results(outs)).toEqual(batch.map((d) => (d === bad ? 'error' : 'sent')));
    expect((outs[3] as Error).message).toContain(poisoned.consultationId);
    await until(() => remindersOf(healthy.consultationId).length >= good.length, EVENT_WAIT_MS, 'every healthy reminder delivered');
    // Replayed (the jobs retried): nothing sent twice, the bad one fails again on its own.
    expect(results(await processReminders(rt, batch))).toEqual(batch.map((d) => (d === bad ? 'error' : 'already_sent')));
    await queuesIdle(jobs.backend, [QUEUES.deliver]);
    const people = remindersOf(healthy.consultationId).map(personOf).sort();
    expect(people).toEqual(good.map((d) => d.personId).sort());
    expect(remindersOf(poisoned.consultationId)).toEqual([]);
    expect(await app.engine.db.prisma.reminderSent.count({ where: { consultationId: healthy.consultationId } })).toBe(good.length);
    expect(await app.engine.db.prisma.reminderSent.count({ where: { consultationId: poisoned.consultationId } })).toBe(0);
    expectNoSideErrors(app.logger);
  });

  it('a record statement that fails is retried one reminder at a time: only the entry that breaks it fails', async () => {
    app.clock.setVirtual(new Date(new Date(NINE_CR).getTime() + 60_000));
    const state = await openConsultation();
    const id = state.consultationId;
    const batch = batchOf(state);
    const victim = batch[1]!;
    let statements = 0;
    class BreaksOnOne extends ReminderStore {
      override async recordMany(entries: readonly RecordEntry[], now?: Date): Promise<RecordResult[]> {
        statements++;
        if (entries.some((e) => e.key.personId === victim.personId)) throw new Error('value too long for type');
        return super.recordMany(entries, now);
      }
    }
    const outs = await processReminders(runtime({ reminders: new BreaksOnOne(app.engine.db.prisma) }), batch);
    expect(results(outs)).toEqual(batch.map((d) => (d === victim ? 'error' : 'sent')));
    expect(statements).toBe(1 + batch.length);
    const expected = batch.filter((d) => d !== victim).map((d) => d.personId).sort();
    await until(() => remindersOf(id).length >= expected.length, EVENT_WAIT_MS, 'every other reminder delivered');
    await queuesIdle(jobs.backend, [QUEUES.deliver]);
    expect(remindersOf(id).map(personOf).sort()).toEqual(expected);
    expect(await app.engine.db.prisma.reminderSent.count({ where: { consultationId: id } })).toBe(expected.length);
    expectNoSideErrors(app.logger);
  });

  it('a later round that fails keeps the reminders claimed in the first round, delivered', async () => {
    app.clock.setVirtual(new Date(new Date(NINE_CR).getTime() + 60_000));
    const a = await openConsultation();
    const b = await openConsultation();
    const batch = [...batchOf(a), ...batchOf(b)];
    // Round 1: B changes between the re-check and the record (its reminders are "moved"); round 2's load fails.
    let loads = 0;
    class FailsSecondLoad extends ReminderStore {
      override async loadSnapshots(ids: readonly string[]) {
        if (++loads === 2) throw new Error('connection lost');
        return super.loadSnapshots(ids);
      }
      override async recordMany(entries: readonly RecordEntry[], now?: Date): Promise<RecordResult[]> {
        if (loads === 1) await app.engine.db.prisma.consultation.update({ where: { id: b.consultationId }, data: { version: { increment: 1 } } });
        return super.recordMany(entries, now);
      }
    }
    const outs = await processReminders(runtime({ reminders: new FailsSecondLoad(app.engine.db.prisma) }), batch);
    expect(loads).toBe(2);
    expect(results(outs)).toEqual(batch.map((d) => (d.consultationId === a.consultationId ? 'sent' : 'error')));
    await until(() => remindersOf(a.consultationId).length >= batchOf(a).length, EVENT_WAIT_MS, 'round 1 reminders delivered');
    await queuesIdle(jobs.backend, [QUEUES.deliver]);
    expect(remindersOf(b.consultationId)).toEqual([]);
    expectNoSideErrors(app.logger);
  });
});
