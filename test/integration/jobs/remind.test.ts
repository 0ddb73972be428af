/**
 * Reminders end to end, on each jobs backend: the flows plan them (AfterCommit), BullMQ delivers the time,
 * the remind worker re-checks the consultation and writes the reminder to the outbox, the real deliver
 * worker hands it to a recording notifier. The clock runs in real time from a virtual instant half an hour
 * before 09:00 in San José (a set-up no machine is too slow for); then time jumps, for the clock and the
 * queues together (`advanceTo`), to two seconds before 09:00, so the 09:00 slot comes due during the test.
 * What was sent is asserted once every job due by 09:00 has run and every delivery it caused is done
 * (`settled`); how late after 09:00 is measured in bench/jobs.bench.ts, not asserted here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandActor, ConsultationState } from '../../../src/domain/types.ts';
import { extend, reactTroika, recordPosition, startConsultation } from '../../../src/flows/consultation-flows.ts';
import { identify } from '../../../src/flows/people.ts';
import { startJobs, type RunningJobs } from '../../../src/jobs/index.ts';
import { jobIds, QUEUES } from '../../../src/jobs/names.ts';
import { reconcile } from '../../../src/jobs/reconcile.ts';
import { processReminder } from '../../../src/jobs/remind.ts';
import type { JobsRuntime } from '../../../src/jobs/runtime.ts';
import { createAfterCommit } from '../../../src/jobs/schedule.ts';
import {
  FIVE_PM_CR,
  JOB_BACKENDS,
  SETUP_MS,
  NINE_CR,
  RecordingNotifier,
  NINE_O_CLOCK_COUNTRIES,
  expectNoSideErrors,
  focalPointsOf,
  openTestApp,
  openTestJobs,
  runtimeFor,
  advanceTo,
  finished,
  settled,
  type TestApp,
  type TestJobs,
} from './remind-harness.ts';

/** Where each test's set-up happens: 08:30 in San José, half an hour before the slot it is about. */
const SET_UP_AT = new Date(new Date(NINE_CR).getTime() - 30 * 60_000);
/** Where time jumps to once the set-up is done: 08:59:58. */
const JUST_BEFORE_NINE = new Date(new Date(NINE_CR).getTime() - 2_000);
let n = 0;
const key = (label: string) => `${label}:${process.pid}:${++n}:${Math.random().toString(36).slice(2)}`;

describe.each(JOB_BACKENDS)('reminders on %s', (kind) => {
  let app: TestApp;
  let jobs: TestJobs;
  let notifier: RecordingNotifier;
  let running: RunningJobs;
  let rt: JobsRuntime;

  const actor = (slack: string): CommandActor => {
    const a = identify(app.engine.directory.current(), { platform: 'slack', userId: slack });
    if (!a) throw new Error(`unknown ${slack}`);
    return a;
  };

  /** PA's PPT starts with an explicit deadline, MX and SV approve: the member stage opens now. */
  async function openConsultation(deadline = FIVE_PM_CR): Promise<ConsultationState> {
    const started = await startConsultation(app.engine.deps, {
      key: key('start'),
      actor: actor('U0PA0000001'),
      title: 'Posición concertada sobre movilidad laboral',
      text: `Texto ${Math.random()}`,
      deadline: { kind: 'explicit', at: deadline },
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

  const remindersOf = (consultationId: string) =>
    notifier.deliveries.filter((d) => d.item.kind === 'reminder' && d.item.dedupeKey.startsWith(`reminder:${consultationId}:`));
  const jobState = async (id: string) => (await jobs.backend.queue(QUEUES.remind).getJob(id))?.getState();
  const personOf = (d: { item: { recipient: unknown } }) => (d.item.recipient as { personId: string }).personId;
  /** The remind jobs of `consultationId` that ran, with what each answered. */
  const ranFor = async (consultationId: string) =>
    (await jobs.backend.queue(QUEUES.remind).getJobs(['completed']))
      .filter((j) => (j.data as { consultationId: string }).consultationId === consultationId)
      .map((j) => ({ personId: (j.data as { personId: string }).personId, result: (j.returnvalue as { result: string }).result }))
      .sort((a, b) => a.personId.localeCompare(b.personId));

  beforeAll(async () => {
    app = await openTestApp(kind === 'postgres' ? 'postgres' : 'pglite', `remind_${kind}`);
    jobs = await openTestJobs(kind, 'remind');
    notifier = new RecordingNotifier();
    running = await startJobs(app.engine, jobs.backend, notifier, {
      logger: app.logger,
      weeklyDigest: { enabled: false },
      reconcileAtStart: false,
      deliver: { retry: { attempts: 3, backoffMs: 200 } },
    });
    rt = running.runtime;
  }, SETUP_MS);
  afterAll(async () => {
    await running?.stop();
    await jobs?.dispose();
    await app?.dispose();
  }, SETUP_MS);

  it('fires at 09:00 local and not before, to the focal points of countries that have not answered; an answer cancels its country’s reminders', async () => {
    app.clock.setVirtual(SET_UP_AT);
    const state = await openConsultation();
    const id = state.consultationId;
    // Honduras answers before 09:00: its two focal points' reminders are removed from the queue.
    const hn = focalPointsOf(state, ['HN']);
    expect(hn).toHaveLength(2);
    for (const p of hn) expect(await jobState(jobIds.remind(id, p, 'D-0', 1))).toBe('delayed');
    const answered = await recordPosition(app.engine.deps, { key: key('pos'), actor: actor('U0HN0000001'), consultationId: id, position: 'support', version: state.currentVersion });
    expect(answered.ok).toBe(true);
    for (const p of hn) expect(await jobState(jobIds.remind(id, p, 'D-0', 1))).toBeUndefined();

    const expected = focalPointsOf(state, NINE_O_CLOCK_COUNTRIES.filter((c) => c !== 'HN'));
    expect(remindersOf(id)).toEqual([]);
    await advanceTo(app.clock, jobs.backend, id, JUST_BEFORE_NINE);
    const due = app.clock.realAt(NINE_CR);
    await settled(app, jobs.backend, id, NINE_CR);
    // Every job due by 09:00 ran, and sent exactly to these people; their deliveries are done.
    expect(await ranFor(id)).toEqual(expected.map((personId) => ({ personId, result: 'sent' })));
    const got = remindersOf(id);
    expect(got.map(personOf).sort()).toEqual(expected);
    for (const d of got) {
      expect(d.at).toBeGreaterThanOrEqual(due);
      expect(d.item.dedupeKey).toMatch(/:D-0:v1$/);
    }
    const recorded = await rt.reminders.list(id);
    expect(recorded.map((r) => r.personId).sort()).toEqual(expected);
    expect(recorded.every((r) => r.slot === 'D-0' && r.deadlineVersion === 1 && r.dueAt.toISOString() === NINE_CR)).toBe(true);
    expectNoSideErrors(app.logger);
  });

  it('an extension re-plans: the old version’s jobs go, the new D-2 (today 09:00) fires once', async () => {
    app.clock.setVirtual(SET_UP_AT);
    const state = await openConsultation();
    const id = state.consultationId;
    const sv = focalPointsOf(state, ['SV'])[0]!;
    expect(await jobState(jobIds.remind(id, sv, 'D-0', 1))).toBe('delayed');
    const r = await extend(app.engine.deps, {
      key: key('extend'),
      actor: actor('U0ST0000001'),
      consultationId: id,
      deadline: { kind: 'explicit', at: '2026-12-03T23:00:00.000Z' },
      justification: 'Más tiempo para consultas internas',
    });
    expect(r.ok && r.state.deadlineVersion).toBe(2);
    expect(await jobState(jobIds.remind(id, sv, 'D-0', 1))).toBeUndefined();
    expect(await jobs.backend.queue(QUEUES.close).getJob(jobIds.close(id, 1))).toBeUndefined();
    expect(await (await jobs.backend.queue(QUEUES.close).getJob(jobIds.close(id, 2)))?.getState()).toBe('delayed');
    expect(await jobState(jobIds.remind(id, sv, 'D-2', 2))).toBe('delayed');
    expect(await jobState(jobIds.remind(id, sv, 'D-0', 2))).toBe('delayed');

    const expected = focalPointsOf(state, NINE_O_CLOCK_COUNTRIES);
    await advanceTo(app.clock, jobs.backend, id, JUST_BEFORE_NINE);
    await settled(app, jobs.backend, id, NINE_CR);
    expect(await ranFor(id)).toEqual(expected.map((personId) => ({ personId, result: 'sent' })));
    const got = remindersOf(id);
    expect(got.map(personOf).sort()).toEqual(expected);
    expect(got.map((d) => d.item.dedupeKey.replace(/^.*:(D-\d:v\d)$/, '$1'))).toEqual(expected.map(() => 'D-2:v2'));
    expectNoSideErrors(app.logger);
  });

  it('a stale job does nothing (old deadline version, country answered); a duplicate sends nothing twice', async () => {
    app.clock.setVirtual(new Date(new Date(NINE_CR).getTime() - 60 * 60_000)); // 08:00: nothing due during this test
    const state = await openConsultation();
    const id = state.consultationId;
    const [cr] = focalPointsOf(state, ['CR']);
    const [gt] = focalPointsOf(state, ['GT']);
    await recordPosition(app.engine.deps, { key: key('pos'), actor: actor('U0CR0000001'), consultationId: id, position: 'object', reason: 'No', version: state.currentVersion });
    const base = { consultationId: id, audience: 'member' as const, slot: 'D-0', dueAt: NINE_CR };
    expect(await processReminder(rt, { ...base, country: 'CR', personId: cr!, deadlineVersion: 1 })).toEqual({ result: 'stale', reason: 'answered' });
    expect(await processReminder(rt, { ...base, country: 'GT', personId: gt!, deadlineVersion: 7 })).toEqual({ result: 'stale', reason: 'deadline_version' });
    expect(await processReminder(rt, { ...base, country: 'GT', personId: 'someone@else.org', deadlineVersion: 1 })).toEqual({ result: 'stale', reason: 'not_participant' });
    expect(await processReminder(rt, { ...base, audience: 'troika', country: 'GT', personId: gt!, deadlineVersion: 0 })).toEqual({ result: 'stale', reason: 'stage' });

    // The same stale job through the queue: it completes and writes nothing.
    const queue = jobs.backend.queue(QUEUES.remind);
    const staleId = `remind.stale-test.${n}`;
    await queue.add(QUEUES.remind, { ...base, country: 'CR', personId: cr!, deadlineVersion: 1 }, { jobId: staleId });
    const [stale] = await finished(jobs.backend, QUEUES.remind, [staleId]);
    expect(await stale!.getState()).toBe('completed');
    expect(stale!.returnvalue).toEqual({ result: 'stale', reason: 'answered' });
    expect(await app.engine.db.prisma.outboxMessage.count({ where: { consultationId: id, kind: 'reminder' } })).toBe(0);

    // A due one, twice: one record, one outbox row, one delivery.
    const first = await processReminder(rt, { ...base, country: 'GT', personId: gt!, deadlineVersion: 1 });
    const second = await processReminder(rt, { ...base, country: 'GT', personId: gt!, deadlineVersion: 1 });
    expect(first.result).toBe('sent');
    expect(second).toEqual({ result: 'already_sent' });
    // Everything due now has run and been delivered (nothing of 09:00 is due yet).
    await settled(app, jobs.backend, id, app.clock.now());
    expect(remindersOf(id).map(personOf)).toEqual([gt]);
    expect(await app.engine.db.prisma.outboxMessage.count({ where: { consultationId: id, kind: 'reminder' } })).toBe(1);
    expect((await rt.reminders.list(id)).map((r) => [r.country, r.personId, r.slot, r.deadlineVersion])).toEqual([['GT', gt, 'D-0', 1]]);
    // Reconcile does not plan a recorded slot again: the job planned at the opening still waits …
    const r = await reconcile(rt);
    expect(r.failed).toBe(0);
    const gtJobId = jobIds.remind(id, gt!, 'D-0', 1);
    expect(await jobState(gtJobId)).toBe('delayed');
    // … and when it fires (made due now) it finds the record and sends nothing.
    await (await jobs.backend.queue(QUEUES.remind).getJob(gtJobId))!.promote();
    const [fired] = await finished(jobs.backend, QUEUES.remind, [gtJobId]);
    expect(fired!.returnvalue).toEqual({ result: 'already_sent' });
    await settled(app, jobs.backend, id, app.clock.now());
    expect(remindersOf(id)).toHaveLength(1);
  });

  it('Troika: a member that has not reacted is reminded one business day after the text was sent', async () => {
    // Sent on Monday 30 November at 10:00 in San José, without the jobs hook (as if planned long ago)…
    delete app.engine.deps.afterCommit;
    app.clock.setVirtual('2026-11-30T16:00:00.000Z');
    const started = await startConsultation(app.engine.deps, {
      key: key('start'),
      actor: actor('U0PA0000001'),
      title: 'Propuesta para la Troika',
      text: `Texto ${Math.random()}`,
      deadline: { kind: 'business_days', days: 5 },
    });
    if (!started.ok) throw new Error(started.code);
    const state = started.state;
    expect(state.stage).toBe('troika_review');
    // …then it is Tuesday, 08:30: reconcile plans the Troika reminders (09:00).
    app.clock.setVirtual(SET_UP_AT);
    app.engine.deps.afterCommit = createAfterCommit(jobs.backend, rt);
    await reconcile(rt);
    const [mx1, mx2] = focalPointsOf(state, ['MX']);
    const [sv] = focalPointsOf(state, ['SV']);
    for (const p of [mx1!, mx2!, sv!]) expect(await jobState(jobIds.remind(state.consultationId, p, 'troika-v1', 0))).toBe('delayed');
    // Mexico approves before 09:00: only El Salvador is reminded.
    const r = await reactTroika(app.engine.deps, { key: key('troika'), actor: actor('U0MX0000001'), consultationId: state.consultationId, version: state.currentVersion, reaction: 'approve' });
    expect(r.ok).toBe(true);
    expect(await jobState(jobIds.remind(state.consultationId, mx1!, 'troika-v1', 0))).toBeUndefined();
    await advanceTo(app.clock, jobs.backend, state.consultationId, JUST_BEFORE_NINE);
    const due = app.clock.realAt(NINE_CR);
    await settled(app, jobs.backend, state.consultationId, NINE_CR);
    expect(await ranFor(state.consultationId)).toEqual([{ personId: sv, result: 'sent' }]);
    const got = remindersOf(state.consultationId);
    expect(got.map(personOf)).toEqual([sv]);
    expect(got[0]!.at).toBeGreaterThanOrEqual(due);
    expect((got[0]!.item.payload as { buttons: { actionId: string }[] }).buttons.map((b) => b.actionId)).toEqual(['troika_approve', 'troika_changes', 'troika_object']);
    expectNoSideErrors(app.logger);
  });
});
