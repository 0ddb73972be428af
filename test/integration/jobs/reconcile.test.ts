/**
 * Losing every job then reconciling: every pending job comes back and fires once. "Losing Redis's data"
 * is done as deleting every key under this test's prefix (not FLUSHALL: other test files share the
 * server); on the PostgreSQL backends every queue is obliterated. The consultation is opened with the jobs
 * hook on but no worker running, so its deliveries, reminders and close exist only in the queue when it
 * is wiped; `startJobs` then reconciles at start-up. The set-up runs half an hour before 09:00 (virtual);
 * then time jumps, for the clock and the queues together (`advanceTo`), to just before the 09:00 reminders
 * and the deadline four seconds later. "Each fires once" is asserted after every queue has run dry.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandActor, ConsultationState } from '../../../src/domain/types.ts';
import { reactTroika, startConsultation } from '../../../src/flows/consultation-flows.ts';
import { identify } from '../../../src/flows/people.ts';
import { registry } from '../../../src/http/metrics.ts';
import { startJobs, type RunningJobs } from '../../../src/jobs/index.ts';
import { jobIds, QUEUES } from '../../../src/jobs/names.ts';
import { reconcile } from '../../../src/jobs/reconcile.ts';
import {
  JOB_BACKENDS,
  SETUP_MS,
  NINE_CR,
  NINE_O_CLOCK_COUNTRIES,
  RecordingNotifier,
  expectNoSideErrors,
  focalPointsOf,
  openTestApp,
  openTestJobs,
  advanceTo,
  planOnCommit,
  queuesIdle,
  runtimeFor,
  settled,
  type TestApp,
  type TestJobs,
} from './remind-harness.ts';

const SET_UP_AT = new Date(new Date(NINE_CR).getTime() - 30 * 60_000);
const JUST_BEFORE_NINE = new Date(new Date(NINE_CR).getTime() - 2_000);
/** The queues that carry this app's work (the reconcile and digest schedulers' own queues aside). */
const WORK = [QUEUES.deliver, QUEUES.remind, QUEUES.close];
let n = 0;
const key = (label: string) => `${label}:${process.pid}:${++n}:${Math.random().toString(36).slice(2)}`;

describe.each(JOB_BACKENDS)('reconcile on %s', (kind) => {
  let app: TestApp;
  let jobs: TestJobs;
  let running: RunningJobs | undefined;
  const notifier = new RecordingNotifier();

  beforeAll(async () => {
    app = await openTestApp('pglite', `reconcile_${kind}`);
    jobs = await openTestJobs(kind, 'reconcile');
  }, SETUP_MS);
  afterAll(async () => {
    await running?.stop();
    await jobs?.dispose();
    await app?.dispose();
  }, SETUP_MS);

  /** Each row delivered once, except older versions of a replaced message that a newer one overtook. */
  const expectDeliveredOnce = (rows: { dedupeKey: string; platform: string; payload: unknown; createdAt: Date }[]) => {
    const newest = new Map<string, { dedupeKey: string; createdAt: Date }>();
    for (const r of rows) {
      const key = (r.payload as { replaceKey?: string } | null)?.replaceKey;
      if (!key) continue;
      const k = `${key}|${r.platform}`;
      const n = newest.get(k);
      if (!n || r.createdAt > n.createdAt || (r.createdAt.getTime() === n.createdAt.getTime() && r.dedupeKey > n.dedupeKey)) newest.set(k, r);
    }
    const latest = new Set([...newest.values()].map((r) => r.dedupeKey));
    for (const r of rows) {
      const replaced = Boolean((r.payload as { replaceKey?: string } | null)?.replaceKey) && !latest.has(r.dedupeKey);
      const n = notifier.deliveriesOf(r.dedupeKey);
      if (replaced) expect(n, r.dedupeKey).toBeLessThanOrEqual(1);
      else expect(n, r.dedupeKey).toBe(1);
    }
  };

  it('after every job is lost, reconcile brings back the deliveries, the reminders and the close; each fires once', async () => {
    const actor = (slack: string): CommandActor => identify(app.engine.directory.current(), { platform: 'slack', userId: slack })!;
    const rt = runtimeFor(app.engine, jobs.backend, app.logger);
    planOnCommit(app.engine, rt);
    app.clock.setVirtual(SET_UP_AT);
    const deadline = new Date(new Date(NINE_CR).getTime() + 4_000);
    const started = await startConsultation(app.engine.deps, {
      key: key('start'),
      actor: actor('U0PA0000001'),
      title: 'Reconstrucción',
      text: 'Texto',
      deadline: { kind: 'explicit', at: deadline.toISOString() },
      justification: 'Plazo breve',
    });
    if (!started.ok) throw new Error(started.code);
    let state: ConsultationState = started.state;
    for (const who of ['U0MX0000001', 'U0SV0000001']) {
      const r = await reactTroika(app.engine.deps, { key: key('t'), actor: actor(who), consultationId: state.consultationId, version: state.currentVersion, reaction: 'approve' });
      if (!r.ok) throw new Error(r.code);
      state = r.state;
    }
    const id = state.consultationId;
    const reminded = focalPointsOf(state, NINE_O_CLOCK_COUNTRIES);
    const [someone] = reminded;
    const remindId = jobIds.remind(id, someone!, 'D-0', 1);
    const outboxBefore = await app.engine.db.prisma.outboxMessage.findMany({ where: { status: 'pending' }, select: { id: true } });
    expect(outboxBefore.length).toBeGreaterThan(20);
    expect(await jobs.backend.queue(QUEUES.close).getJobState(jobIds.close(id, 1))).toBe('delayed');
    expect(await jobs.backend.queue(QUEUES.remind).getJobState(remindId)).toBe('delayed');
    expect(await jobs.backend.queue(QUEUES.deliver).getJobState(jobIds.deliver(outboxBefore[0]!.id))).toMatch(/^(waiting|prioritized)$/); // no worker yet (deliveries carry a priority: BullMQ calls those queued 'prioritized')

    await jobs.loseAllJobs();
    expect(await jobs.backend.queue(QUEUES.close).getJob(jobIds.close(id, 1))).toBeUndefined();
    expect(await jobs.backend.queue(QUEUES.remind).getJob(remindId)).toBeUndefined();
    expect(await jobs.backend.queue(QUEUES.deliver).getJob(jobIds.deliver(outboxBefore[0]!.id))).toBeUndefined();

    running = await startJobs(app.engine, jobs.backend, notifier, {
      logger: app.logger,
      weeklyDigest: { enabled: false },
      deliver: { retry: { attempts: 3, backoffMs: 200 } },
    });
    const first = running.initialReconcile!;
    expect(first.open).toBe(1);
    expect(first.failed).toBe(0);
    expect(first.added).toBe(reminded.length + 1);
    expect(first.pendingOutbox).toBeGreaterThanOrEqual(outboxBefore.length - 5); // a few may be sent already
    expect(await registry.getSingleMetricAsString('crm_open_consultations')).toMatch(/crm_open_consultations\{app="crm-bot"\} 1/);

    // Reconciling again (a second process, the periodic job) adds nothing.
    expect((await reconcile(running.runtime)).added).toBe(0);

    await advanceTo(app.clock, jobs.backend, id, JUST_BEFORE_NINE);
    await settled(app, jobs.backend, id, deadline);
    expect((await app.engine.consultations.load(id))?.stage).toBe('closed');
    // The close cancelled the later slots: every queue has run dry, so what was delivered is all there is.
    await queuesIdle(jobs.backend, WORK);
    expect(await app.engine.db.prisma.outboxMessage.count({ where: { status: 'pending' } })).toBe(0);
    const rows = await app.engine.db.prisma.outboxMessage.findMany({ where: { consultationId: id } });
    expect(rows.every((r) => r.status === 'sent')).toBe(true);
    // Every row once; a message replaced in place (the live status) may be skipped when a newer version of
    // it went out first (the deliver job marks it superseded), but the newest of each is delivered once.
    expectDeliveredOnce(rows);
    const reminders = rows.filter((r) => r.kind === 'reminder');
    expect(reminders.map((r) => (r.recipient as { personId: string }).personId).sort()).toEqual(reminded);
    expect(rows.filter((r) => r.kind === 'digest')).toHaveLength(1);
    expect((await app.engine.consultations.events(id)).filter((e) => e.type === 'consultation_closed')).toHaveLength(1);

    // Lost again after everything ran: reconcile finds nothing open and nothing pending; nothing is resent.
    await jobs.loseAllJobs();
    const again = await reconcile(running.runtime);
    expect(again).toMatchObject({ open: 0, added: 0, pendingOutbox: 0, failed: 0 });
    // Nothing was queued again (every queue is empty), so nothing can be sent again.
    await queuesIdle(jobs.backend, WORK);
    expectDeliveredOnce(rows);
    expectNoSideErrors(app.logger);
  });
});
