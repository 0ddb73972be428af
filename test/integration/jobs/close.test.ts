/**
 * The deadline closes the consultation exactly once, with TWO close workers running: on Redis and
 * PostgreSQL, two processes' worth of everything (two engines on the same application database, two jobs
 * backends on the same namespace, each with its workers, plus a stray duplicate close job); on the embedded
 * backend (one PGlite per folder) two close workers in one process. A job for an older deadline version does
 * nothing; a job that fires early waits for the deadline. The consultation is opened half an hour before its
 * deadline (virtual time); then time jumps, for the clock and the queues together (`advanceTo`), to just
 * before it. "Once" is asserted after every close run finished and every delivery is done.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEngine, type Engine } from '../../../src/app/context.ts';
import type { CommandActor, ConsultationState } from '../../../src/domain/types.ts';
import { extend, reactTroika, startConsultation } from '../../../src/flows/consultation-flows.ts';
import { identify } from '../../../src/flows/people.ts';
import type { JobsBackend } from '../../../src/jobs/backend.ts';
import { processClose, startCloseWorker } from '../../../src/jobs/close.ts';
import { startJobs, type RunningJobs } from '../../../src/jobs/index.ts';
import { jobIds, QUEUES } from '../../../src/jobs/names.ts';
import {
  JOB_BACKENDS,
  SETUP_MS,
  RecordingLogger,
  RecordingNotifier,
  EVENT_WAIT_MS,
  advanceTo,
  expectNoSideErrors,
  finished,
  openTestApp,
  openTestJobs,
  settled,
  testConfig,
  until,
  type TestApp,
  type TestJobs,
} from './remind-harness.ts';

/** 10:00 in San José on Tuesday 1 December 2026: every 09:00 reminder slot of the day is behind us. */
const TEN_CR = '2026-12-01T16:00:00.000Z';
let n = 0;
const key = (label: string) => `${label}:${process.pid}:${++n}:${Math.random().toString(36).slice(2)}`;

describe.each(JOB_BACKENDS)('close at the deadline on %s', (kind) => {
  let app: TestApp;
  let jobs: TestJobs;
  let second: { engine: Engine; jobs: JobsBackend } | undefined;
  const notifier = new RecordingNotifier();
  const running: RunningJobs[] = [];
  const logger2 = new RecordingLogger();

  const actor = (slack: string): CommandActor => {
    const a = identify(app.engine.directory.current(), { platform: 'slack', userId: slack });
    if (!a) throw new Error(`unknown ${slack}`);
    return a;
  };

  async function openConsultation(deadline: Date): Promise<ConsultationState> {
    const started = await startConsultation(app.engine.deps, {
      key: key('start'),
      actor: actor('U0PA0000001'),
      title: 'Cierre en el plazo',
      text: `Texto ${Math.random()}`,
      deadline: { kind: 'explicit', at: deadline.toISOString() },
      justification: 'Plazo breve justificado',
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

  beforeAll(async () => {
    app = await openTestApp(kind === 'embedded' ? 'pglite' : 'postgres', `close_${kind}`);
    jobs = await openTestJobs(kind, 'close');
    const opts = { weeklyDigest: { enabled: false }, reconcileAtStart: false, deliver: { retry: { attempts: 3, backoffMs: 200 } } };
    running.push(await startJobs(app.engine, jobs.backend, notifier, { ...opts, logger: app.logger }));
    if (kind === 'embedded') {
      // One backend: a second close worker on it (closed with the backend).
      startCloseWorker(running[0]!.runtime);
    } else {
      // A second "process": its own engine on the same database and its own backend on the same namespace.
      const engine = await openEngine(testConfig(app.url), { clock: app.clock.now });
      engine.deps.logger = logger2;
      second = { engine, jobs: await jobs.open() };
      running.push(await startJobs(engine, second.jobs, notifier, { ...opts, logger: logger2 }));
    }
  }, SETUP_MS);
  afterAll(async () => {
    for (const r of running) await r.stop();
    await second?.engine.close();
    await jobs?.dispose();
    await app?.dispose();
  }, SETUP_MS);

  it('closes once: one closed event, one digest row, one delivery of each message', async () => {
    app.clock.setVirtual(TEN_CR);
    const deadline = new Date(new Date(TEN_CR).getTime() + 30 * 60_000);
    const state = await openConsultation(deadline);
    const id = state.consultationId;
    const closeId = jobIds.close(id, 1);
    expect(await (await jobs.backend.queue(QUEUES.close).getJob(closeId))?.getState()).toBe('delayed');
    // Both processes plan it (same id: one job) and a stray duplicate under another id races it.
    const strayId = `close.stray.${n}`;
    if (second) {
      const r = await running[1]!.reconcileNow();
      expect(r.failed).toBe(0);
    }
    await (second?.jobs ?? jobs.backend)
      .queue(QUEUES.close)
      .add(QUEUES.close, { consultationId: id, deadlineVersion: 1, deadline: state.deadline }, { jobId: strayId, delay: app.clock.realAt(deadline) - Date.now() });
    expect(await jobs.backend.queue(QUEUES.close).getJobState(strayId)).toBe('delayed');

    await advanceTo(app.clock, jobs.backend, id, new Date(deadline.getTime() - 2_000));
    // Both close runs finished, and every message the close wrote was delivered.
    const runs = await finished(jobs.backend, QUEUES.close, [closeId, strayId]);
    await settled(app, jobs.backend, id, deadline);
    const stored = await app.engine.consultations.load(id);
    const closed = stored!.snapshot as ConsultationState;
    expect(closed.closeReason).toBe('deadline');
    expect(closed.outcome).toBe('incomplete');
    expect(new Date(closed.closedAt!).getTime()).toBeGreaterThanOrEqual(deadline.getTime());
    const events = await app.engine.consultations.events(id);
    expect(events.filter((e) => e.type === 'consultation_closed')).toHaveLength(1);

    const rows = await app.engine.db.prisma.outboxMessage.findMany({ where: { consultationId: id } });
    expect(rows.filter((r) => r.kind === 'digest')).toHaveLength(1);
    const members = state.participants.members.flatMap((m) => m.focalPoints).length;
    expect(rows.filter((r) => r.kind === 'result_notice')).toHaveLength(members);
    const mine = notifier.deliveries.filter((d) => rows.some((r) => r.dedupeKey === d.item.dedupeKey));
    expect(mine.filter((d) => d.item.kind === 'digest')).toHaveLength(1);
    expect(new Set(mine.map((d) => d.item.dedupeKey)).size).toBe(mine.length); // nothing sent twice
    // Every row is done; each was delivered once, except a card update that a newer version of the same card
    // had already overtaken (superseded) or that had no card to update (update-only): those send nothing.
    expect(rows.every((r) => r.status === 'sent')).toBe(true);
    const replaceable = (r: (typeof rows)[number]) => typeof (r.payload as { replaceKey?: unknown }).replaceKey === 'string';
    const delivered = new Set(mine.map((d) => d.item.dedupeKey));
    expect(rows.filter((r) => !replaceable(r) && !delivered.has(r.dedupeKey)).map((r) => r.dedupeKey)).toEqual([]);
    for (const r of rows.filter((x) => replaceable(x) && !delivered.has(x.dedupeKey))) {
      const key = (r.payload as { replaceKey: string }).replaceKey;
      const newer = rows.some((o) => o !== r && (o.payload as { replaceKey?: string }).replaceKey === key && o.createdAt >= r.createdAt && delivered.has(o.dedupeKey));
      expect(newer || (r.payload as { updateOnly?: boolean }).updateOnly === true, `${r.dedupeKey}: neither delivered nor overtaken`).toBe(true);
    }

    // Exactly one of the close runs closed it; the others found it done.
    const outcomes = runs.map((j) => (j.returnvalue as { result: string }).result);
    expect(outcomes.filter((r) => r === 'closed')).toHaveLength(1);
    expect(await app.engine.db.prisma.commandLog.count({ where: { consultationId: id, type: 'close', status: 'applied' } })).toBe(1);
    expectNoSideErrors(app.logger);
    expectNoSideErrors(logger2);
  });

  it('an extension makes the old close job stale; a job that fires early waits for the deadline', async () => {
    app.clock.setVirtual(TEN_CR);
    const state = await openConsultation(new Date(new Date(TEN_CR).getTime() + 60 * 60_000));
    const id = state.consultationId;
    const r = await extend(app.engine.deps, {
      key: key('extend'),
      actor: actor('U0ST0000001'),
      consultationId: id,
      deadline: { kind: 'explicit', at: '2026-12-01T18:00:00.000Z' },
      justification: 'Prórroga',
    });
    expect(r.ok && r.state.deadlineVersion).toBe(2);
    const rt = running[0]!.runtime;
    expect(await processClose(rt, { consultationId: id, deadlineVersion: 1, deadline: state.deadline! })).toEqual({ result: 'stale', reason: 'deadline_version' });
    // Through the queue, at once: stale, the consultation stays open.
    const queue = jobs.backend.queue(QUEUES.close);
    await queue.add(QUEUES.close, { consultationId: id, deadlineVersion: 1, deadline: state.deadline }, { jobId: `close.old.${n}` });
    const [old] = await finished(jobs.backend, QUEUES.close, [`close.old.${n}`]);
    expect(old!.returnvalue).toEqual({ result: 'stale', reason: 'deadline_version' });
    expect((await app.engine.consultations.load(id))?.stage).toBe('member_consultation');
    // Early: the current version's job run now (deadline 2 h ahead) goes back to waiting, nothing closes.
    await queue.add(QUEUES.close, { consultationId: id, deadlineVersion: 2, deadline: '2026-12-01T18:00:00.000Z' }, { jobId: `close.early.${n}` });
    await until(async () => (await (await queue.getJob(`close.early.${n}`))?.getState()) === 'delayed', EVENT_WAIT_MS, 'the early job back in the delayed set');
    const early = await queue.getJob(`close.early.${n}`);
    expect(early!.attemptsMade).toBe(0);
    expect((await app.engine.consultations.load(id))?.stage).toBe('member_consultation');
    // Moving the clock to a few seconds before the deadline: it is picked up again and closes then.
    app.clock.setVirtual(new Date(new Date('2026-12-01T18:00:00.000Z').getTime() - 2_000));
    await early!.changeDelay(0);
    await until(async () => (await app.engine.consultations.load(id))?.stage === 'closed', EVENT_WAIT_MS, 'the close after waiting');
    const closed = (await app.engine.consultations.load(id))!.snapshot as ConsultationState;
    expect(new Date(closed.closedAt!).getTime()).toBeGreaterThanOrEqual(new Date('2026-12-01T18:00:00.000Z').getTime());
    expect((await app.engine.consultations.events(id)).filter((e) => e.type === 'consultation_closed')).toHaveLength(1);
  });
});
