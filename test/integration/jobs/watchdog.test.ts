/**
 * The job store lost while the bot runs (every Redis key deleted; every queue obliterated on PostgreSQL):
 * the watchdog of startJobs finds the reconcile Job Scheduler gone, registers it again and reconciles, so
 * the consultation's deadline and reminder jobs come back without a restart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandActor, ConsultationState } from '../../../src/domain/types.ts';
import { troikaAt } from '../../../src/directory/presidency.ts';
import { dateInZone } from '../../../src/domain/time.ts';
import { reactTroika, startConsultation } from '../../../src/flows/consultation-flows.ts';
import { identify } from '../../../src/flows/people.ts';
import { startJobs, type RunningJobs } from '../../../src/jobs/index.ts';
import { jobIds, QUEUES } from '../../../src/jobs/names.ts';
import { RecordingNotifier } from '../../../src/jobs/notifier.ts';
import { planJobs } from '../../../src/jobs/plan.ts';
import { RECONCILE_SCHEDULER_ID } from '../../../src/jobs/reconcile.ts';
import { EVENT_WAIT_MS, openTestApp, openTestJobs, until, type TestApp, type TestJobs } from './remind-harness.ts';

describe.each(['redis', 'postgres'] as const)('job store lost while running (%s)', (kind) => {
  let app: TestApp;
  let jobs: TestJobs;
  let running: RunningJobs;

  beforeAll(async () => {
    app = await openTestApp('postgres', `watchdog_${kind}`);
    jobs = await openTestJobs(kind, 'watchdog');
    running = await startJobs(app.engine, jobs.backend, new RecordingNotifier(), {
      logger: app.logger,
      weeklyDigest: { enabled: false },
      reconcileEveryMs: 3_600_000, // the periodic reconcile would not come for an hour
      watchdogEveryMs: 200,
    });
  });
  afterAll(async () => {
    await running?.stop();
    await jobs?.dispose();
    await app?.dispose();
  });

  it('registers the schedulers again and rebuilds the deadline and reminder jobs', { timeout: 120_000 }, async () => {
    const directory = app.engine.directory.current();
    const troika = troikaAt(directory.presidencies, dateInZone(new Date(), directory.secretariat.timezone))!;
    const actor = (country: string): CommandActor => identify(directory, { platform: 'slack', userId: directory.countries.find((c) => c.code === country)!.focalPoints[0]!.slack! })!;
    const started = await startConsultation(app.engine.deps, { key: `w-start-${kind}`, actor: actor(troika.current), title: 'Vigilancia', text: 'Texto', deadline: { kind: 'business_days', days: 5 } });
    if (!started.ok) throw new Error(started.code);
    let state: ConsultationState = started.state;
    for (const c of troika.countries.filter((x) => x !== troika.current)) {
      const r = await reactTroika(app.engine.deps, { key: `w-${c}-${kind}`, actor: actor(c), consultationId: state.consultationId, version: state.currentVersion, reaction: 'approve' });
      if (!r.ok) throw new Error(r.code);
      state = r.state;
    }
    const closeId = jobIds.close(state.consultationId, state.deadlineVersion);
    const close = jobs.backend.queue(QUEUES.close);
    const remind = jobs.backend.queue(QUEUES.remind);
    const reconcileQueue = jobs.backend.queue(QUEUES.reconcile);
    // Every job the plan wants for this state, by id: the close job and each reminder slot. The scheduler
    // adds them queue by queue (the close job may be there before any reminder), so the test waits for
    // each one, never for "the close job, then whatever count the reminders have reached by then".
    const plan = planJobs({ state, directory, now: app.clock.now() });
    const reminderIds = plan.jobs.filter((j) => j.queue === 'remind').map((j) => j.id);
    expect(reminderIds.length).toBeGreaterThan(0);
    expect(plan.jobs.some((j) => j.id === closeId)).toBe(true);
    /** The planned jobs present in the store, added at or after `since` (ms since the epoch). */
    const presentSince = async (since: number) => {
      const found = await Promise.all([close.getJob(closeId), ...reminderIds.map((id) => remind.getJob(id))]);
      return found.every((j) => j !== undefined && j.timestamp >= since);
    };
    await until(() => presentSince(0), EVENT_WAIT_MS, 'the close job and every reminder planned');
    expect(await reconcileQueue.getJobScheduler(RECONCILE_SCHEDULER_ID)).toMatchObject({ every: 3_600_000 });
    const warnings = () => app.logger.warnings.filter((w) => /lost its schedulers/.test(w.msg ?? '')).length;
    expect(warnings()).toBe(0);

    // Everything lost at once (the reconcile scheduler last: the watchdog, which checks every 200 ms, must
    // not see it gone while other jobs still exist). The watchdog may act before the next line runs, so
    // "lost" is proven by what comes back: jobs added after the loss, and the watchdog's warning.
    const lostAt = Date.now();
    await jobs.loseAllJobs();

    await until(async () => warnings() >= 1, EVENT_WAIT_MS, "the watchdog's warning");
    await until(() => presentSince(lostAt), EVENT_WAIT_MS, 'the close job and every reminder rebuilt after the loss');
    expect((await remind.getJobCounts('delayed')).delayed).toBe(reminderIds.length);
    expect(await reconcileQueue.getJobScheduler(RECONCILE_SCHEDULER_ID)).toMatchObject({ every: 3_600_000 });
    expect(warnings()).toBe(1);
  });
});
