/**
 * The weekly digest of open consultations: the Job Scheduler (cron pattern in the ST's zone) on each
 * backend, the off switch, one outbox row per ISO week whatever the number of runs, and what it says.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandActor } from '../../../src/domain/types.ts';
import { reactTroika, recordPosition, startConsultation } from '../../../src/flows/consultation-flows.ts';
import { identify } from '../../../src/flows/people.ts';
import type { NeutralMessage } from '../../../src/messages/neutral.ts';
import { WEEKLY_DIGEST_SCHEDULER_ID, isoWeek, registerWeeklyDigest, sendWeeklyDigest, weeklyDigestKey, type WeeklyDigestResult } from '../../../src/jobs/digest.ts';
import { startJobs, type RunningJobs } from '../../../src/jobs/index.ts';
import { QUEUES, jobIds } from '../../../src/jobs/names.ts';
import {
  EVENT_WAIT_MS,
  JOB_BACKENDS,
  SETUP_MS,
  RecordingNotifier,
  expectNoSideErrors,
  finished,
  openTestApp,
  openTestJobs,
  queuesIdle,
  until,
  type TestApp,
  type TestJobs,
} from './remind-harness.ts';

let n = 0;
const key = (label: string) => `${label}:${process.pid}:${++n}`;

describe('isoWeek', () => {
  it.each([
    ['2026-12-07T15:00:00Z', 'America/Costa_Rica', '2026-W50'],
    ['2027-01-01T12:00:00Z', 'America/Costa_Rica', '2026-W53'], // Friday 1 January 2027 belongs to 2026's last week
    ['2026-12-28T03:00:00Z', 'America/Costa_Rica', '2026-W52'], // still Sunday 27th in San José
    ['2026-12-28T03:00:00Z', 'UTC', '2026-W53'],
    ['2025-12-29T15:00:00Z', 'UTC', '2026-W01'],
  ])('%s in %s is %s', (at, zone, week) => {
    expect(isoWeek(new Date(at), zone)).toBe(week);
  });
});

describe.each(JOB_BACKENDS)('weekly digest on %s', (kind) => {
  let app: TestApp;
  let jobs: TestJobs;
  let running: RunningJobs;
  const notifier = new RecordingNotifier();

  beforeAll(async () => {
    app = await openTestApp('pglite', `digest_${kind}`);
    jobs = await openTestJobs(kind, 'digest');
    running = await startJobs(app.engine, jobs.backend, notifier, {
      logger: app.logger,
      reconcileAtStart: false,
      deliver: { retry: { attempts: 3, backoffMs: 200 } },
    });
  }, SETUP_MS);
  afterAll(async () => {
    await running?.stop();
    await jobs?.dispose();
    await app?.dispose();
  }, SETUP_MS);

  it('is registered by default for Monday 09:00 in the ST’s zone, and removed when turned off', async () => {
    const queue = jobs.backend.queue(QUEUES.digest);
    const scheduler = await queue.getJobScheduler(WEEKLY_DIGEST_SCHEDULER_ID);
    expect(scheduler).toMatchObject({ pattern: '0 9 * * 1', tz: 'America/Costa_Rica' });
    // The next run is a Monday at 09:00 in San José (15:00 UTC).
    const next = new Date(scheduler!.next!);
    expect([next.getUTCDay(), next.getUTCHours(), next.getUTCMinutes()]).toEqual([1, 15, 0]);
    expect(await registerWeeklyDigest(running.runtime, { enabled: false })).toBeUndefined();
    expect(await queue.getJobScheduler(WEEKLY_DIGEST_SCHEDULER_ID)).toBeUndefined();
  });

  it('lists each open consultation (stage, deadline, answers x/11, missing countries), once per ISO week', async () => {
    const actor = (slack: string): CommandActor => identify(app.engine.directory.current(), { platform: 'slack', userId: slack })!;
    app.clock.setVirtual('2026-12-01T16:00:00.000Z');
    const a = await startConsultation(app.engine.deps, { key: key('a'), actor: actor('U0PA0000001'), title: 'En la Troika', text: 'A', deadline: { kind: 'business_days', days: 5 } });
    const b = await startConsultation(app.engine.deps, { key: key('b'), actor: actor('U0PA0000001'), title: 'Con los Países Miembros', text: 'B', deadline: { kind: 'business_days', days: 5 } });
    if (!a.ok || !b.ok) throw new Error('start refused');
    let state = b.state;
    for (const who of ['U0MX0000001', 'U0SV0000001']) {
      const r = await reactTroika(app.engine.deps, { key: key('t'), actor: actor(who), consultationId: state.consultationId, version: state.currentVersion, reaction: 'approve' });
      if (!r.ok) throw new Error(r.code);
      state = r.state;
    }
    for (const who of ['U0CR0000001', 'U0GT0000001']) {
      const r = await recordPosition(app.engine.deps, { key: key('p'), actor: actor(who), consultationId: state.consultationId, position: 'support', version: state.currentVersion });
      if (!r.ok) throw new Error(r.code);
    }

    app.clock.setVirtual('2026-12-07T15:00:00.000Z'); // Monday 7 December, 09:00 in San José
    const first = await sendWeeklyDigest(running.runtime);
    const again = await sendWeeklyDigest(running.runtime);
    expect(first).toMatchObject({ week: '2026-W50', open: 2 });
    expect(again).toEqual({ week: '2026-W50', open: 2, lateDuties: 0, outboxIds: [] });
    const rows = await app.engine.db.prisma.outboxMessage.findMany({ where: { kind: 'weekly_digest' } });
    expect(rows.map((r) => r.dedupeKey)).toEqual([weeklyDigestKey('2026-W50')]);
    expect(first.outboxId).toBe(rows[0]!.id);
    expect(rows[0]!.recipient).toEqual({ kind: 'secretariat_channel', slack: 'C0ST0000001' });
    const message = rows[0]!.payload as unknown as NeutralMessage;
    expect(message.heading).toBe('Consultas abiertas, semana del lunes 7 de diciembre de 2026');
    expect(message.body).toEqual(['Hay 2 consultas abiertas.']);
    const byTitle = Object.fromEntries(message.table!.rows.map((r) => [r[1], r]));
    expect(byTitle['Con los Países Miembros']!.slice(2, 3)).toEqual(['Abierta a posiciones de los Países Miembros']);
    expect(byTitle['Con los Países Miembros']![4]).toBe('2/11');
    expect(byTitle['Con los Países Miembros']![5]).toContain('Belice');
    expect(byTitle['Con los Países Miembros']![5]).not.toContain('Costa Rica');
    expect(byTitle['En la Troika']![2]).toBe('En revisión de la Troika');
    expect(byTitle['En la Troika']![4]).toBe('Troika: 1/3 decisiones');
    await until(() => notifier.deliveriesOf(weeklyDigestKey('2026-W50')) === 1, EVENT_WAIT_MS, 'the digest delivery');
    // The next week gets its own.
    app.clock.setVirtual('2026-12-14T15:00:00.000Z');
    expect((await sendWeeklyDigest(running.runtime)).week).toBe('2026-W51');
    await until(() => notifier.deliveriesOf(weeklyDigestKey('2026-W51')) === 1, EVENT_WAIT_MS, 'the next digest delivery');
    expect(notifier.deliveriesOf(weeklyDigestKey('2026-W50'))).toBe(1);
  });

  it('the scheduler’s job runs the digest through the worker', async () => {
    app.clock.setVirtual('2026-12-21T15:00:00.000Z'); // week 52
    const queue = jobs.backend.queue(QUEUES.digest);
    const runsOfWeek52 = async () =>
      (await queue.getJobs(['completed'])).map((j) => j.returnvalue as WeeklyDigestResult | undefined).filter((r) => r?.week === '2026-W52') as WeeklyDigestResult[];
    // Every second, so that it runs several times in the same ISO week during the test; then off again.
    await registerWeeklyDigest(running.runtime, { pattern: '* * * * * *', timeZone: 'America/Costa_Rica' });
    await until(async () => (await runsOfWeek52()).length >= 3, EVENT_WAIT_MS, 'three runs of the scheduler in week 52', 100);
    await registerWeeklyDigest(running.runtime, { enabled: false });
    // Off: no digest job is left to run, and the one row's delivery has finished.
    await queuesIdle(jobs.backend, [QUEUES.digest]);
    const runs = await runsOfWeek52();
    const written = runs.filter((r) => r.outboxId !== undefined);
    expect(written).toHaveLength(1); // the first run wrote the row; every later one found it
    await finished(jobs.backend, QUEUES.deliver, [jobIds.deliver(written[0]!.outboxId!)]);
    expect(notifier.deliveriesOf(weeklyDigestKey('2026-W52'))).toBe(1);
    expect(await app.engine.db.prisma.outboxMessage.count({ where: { dedupeKey: weeklyDigestKey('2026-W52') } })).toBe(1);
    expectNoSideErrors(app.logger);
  });
});
