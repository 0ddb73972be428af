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
import { RECONCILE_SCHEDULER_ID } from '../../../src/jobs/reconcile.ts';
import { openTestApp, openTestJobs, until, type TestApp, type TestJobs } from './remind-harness.ts';

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
    const reconcileQueue = jobs.backend.queue(QUEUES.reconcile);
    await until(async () => (await close.getJob(closeId)) !== undefined, 30_000, 'the close job planned');
    const reminders = async () => (await jobs.backend.queue(QUEUES.remind).getJobCounts('delayed')).delayed ?? 0;
    const planned = await reminders();
    expect(planned).toBeGreaterThan(0);
    expect(await reconcileQueue.getJobScheduler(RECONCILE_SCHEDULER_ID)).toBeDefined();

    await jobs.loseAllJobs();
    expect(await close.getJob(closeId)).toBeUndefined();

    await until(async () => (await close.getJob(closeId)) !== undefined, 60_000, 'the close job rebuilt');
    await until(async () => (await reminders()) === planned, 60_000, 'every reminder rebuilt');
    expect(await reconcileQueue.getJobScheduler(RECONCILE_SCHEDULER_ID)).toMatchObject({ every: 3_600_000 });
    expect(app.logger.warnings.some((w) => /lost its schedulers/.test(w.msg ?? ''))).toBe(true);
  });
});
