/**
 * A duty reminder end to end, on the embedded backend and on Redis: a meeting is added (as `crm meetings
 * add` does), the duty reconcile plans its reminders, BullMQ delivers the time, the duty-remind worker
 * re-checks the duty and writes the reminder to the outbox, the real deliver worker hands it to a
 * recording notifier. The set-up runs half an hour before 09:00 in San José on the due date of the ST's
 * operational and financial report; then the clock and the delayed reminders jump to two seconds before
 * it, so the D-0 slot comes due during the test. The test waits for the job's completion and its
 * delivery, then checks it fired once, not before its time.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMeeting, completeDuty, type MeetingDeps } from '../../../src/flows/meeting-flows.ts';
import { sendLateDutiesDigest } from '../../../src/jobs/duty-digest.ts';
import { sendWeeklyDigest } from '../../../src/jobs/digest.ts';
import { dutyJobId } from '../../../src/jobs/duty-plan.ts';
import { processDutyReminder, type DutyRemindOutcome } from '../../../src/jobs/duty-remind.ts';
import { DUTY_JOBS, DUTY_QUEUE } from '../../../src/jobs/duty-runtime.ts';
import { QUEUES, jobIds } from '../../../src/jobs/names.ts';
import { startJobs, type RunningJobs } from '../../../src/jobs/index.ts';
import type { NeutralMessage } from '../../../src/messages/neutral.ts';
import { MeetingStore } from '../../../src/store/meeting-store.ts';
import { RecordingNotifier, expectNoSideErrors, finished, openTestApp, openTestJobs, type TestApp, type TestJobs } from './remind-harness.ts';

/** 09:00 in San José on Thursday 10 December 2026: D-0 of the report for a GRCM starting 19 January 2027. */
const NINE_CR_DUE = '2026-12-10T15:00:00.000Z';

describe.each(['embedded', 'redis'] as const)('duty reminders on %s', (kind) => {
  let app: TestApp;
  let jobs: TestJobs;
  let notifier: RecordingNotifier;
  let running: RunningJobs;
  let deps: MeetingDeps;

  beforeAll(async () => {
    app = await openTestApp('pglite', `duty_${kind}`);
    jobs = await openTestJobs(kind, 'duty');
    notifier = new RecordingNotifier();
    running = await startJobs(app.engine, jobs.backend, notifier, {
      logger: app.logger,
      weeklyDigest: { enabled: false },
      reconcileAtStart: false,
      deliver: { retry: { attempts: 3, backoffMs: 200 } },
      duties: { policy: { daysBefore: [0] } },
    });
    deps = { meetings: new MeetingStore(app.engine.db.prisma), directory: app.engine.directory, clock: { now: app.clock.now }, newId: randomUUID };
  }, 180_000); // the embedded queue database starts slowly on a busy machine
  afterAll(async () => {
    await running?.stop();
    await jobs?.dispose();
    await app?.dispose();
  });

  /**
   * Jumps the clock to `to` and brings the delayed duty reminders forward by the same amount (as the
   * harness's `advanceTo` does for a consultation's jobs), so each still fires at its virtual instant.
   */
  async function advanceDutiesTo(to: string): Promise<void> {
    // One real instant for both the jump and the new offset (as the harness's advanceTo): read apart, they
    // let a reminder fire before the real time at which the clock reads its due instant.
    const realNow = Date.now();
    const jump = new Date(to).getTime() - app.clock.virtualAt(realNow);
    const delayed = (await jobs.backend.queue(DUTY_QUEUE).getJobs(['delayed'])).filter((j) => j.name === DUTY_JOBS.remind);
    app.clock.setVirtual(to, realNow);
    for (const job of delayed) await job.changeDelay(Math.max(1, job.timestamp + job.delay - jump - Date.now()));
  }

  it('fires once, at 09:00 in San José on the due date, to the ST channel, in Spanish', async () => {
    // Set-up half an hour ahead (a lead no machine misses), then 09:00 two seconds away.
    app.clock.setVirtual(new Date(new Date(NINE_CR_DUE).getTime() - 30 * 60_000));
    const added = await addMeeting(deps, { kind: 'grcm', start: '2027-01-19', end: '2027-01-20', city: 'Ciudad de Panamá' });
    if (!added.ok) throw new Error(added.code);
    const ref = added.view.meeting.reference;
    const dutyId = `${ref}/st_operational_financial_report/ST`;
    const data = { dutyId, recipient: 'st-channel', slot: 'D-0' as const, due: '2026-12-10', dueAt: NINE_CR_DUE };
    const id = dutyJobId(data);

    const plan = await running.duties!.reconcileNow();
    expect(plan.added).toContain(id);
    const queue = jobs.backend.queue(DUTY_QUEUE);
    expect(await (await queue.getJob(id))?.getState()).toBe('delayed');
    await advanceDutiesTo(new Date(new Date(NINE_CR_DUE).getTime() - 2_000).toISOString());
    const due = app.clock.realAt(NINE_CR_DUE);

    const [job] = await finished(jobs.backend, DUTY_QUEUE, [id]);
    expect(job!.returnvalue).toMatchObject({ result: 'sent' });
    expect(job!.finishedOn).toBeGreaterThanOrEqual(due); // not before its time (lateness: bench)
    const outboxId = (job!.returnvalue as { outboxId: string }).outboxId;
    await finished(jobs.backend, QUEUES.deliver, [jobIds.deliver(outboxId)]);

    const sentTo = () => notifier.deliveries.filter((d) => d.item.kind === 'duty_reminder');
    const [delivery] = sentTo();
    expect(delivery!.item.recipient).toEqual({ kind: 'secretariat_channel', slack: 'C0ST0000001' });
    expect(delivery!.item.dedupeKey).toBe(`duty-reminder:${dutyId}:st-channel:D-0:2026-12-10`);
    const message = delivery!.item.payload as NeutralMessage;
    expect(message.heading).toBe('Tarea pendiente: Informe operativo y financiero de la Secretaría Técnica');
    expect(message.body).toEqual([
      `Le recordamos que la tarea «Informe operativo y financiero de la Secretaría Técnica», para la reunión «Reunión del Grupo Regional de Consulta sobre Migración 2027», vence el jueves 10 de diciembre de 2026.`,
    ]);
    expect(message.fields.map((f) => f.label)).toEqual(['Tarea', 'Reunión', 'Responsable', 'Fecha límite']);

    // Once: a later reconcile does not plan it again, and a duplicate run of the job sends nothing.
    const again = await running.duties!.reconcileNow();
    expect(again.added).not.toContain(id);
    expect(await processDutyReminder(running.duties!.runtime, data)).toEqual({ result: 'already_sent' });
    const rows = await app.engine.db.prisma.outboxMessage.findMany({ where: { kind: 'duty_reminder', dedupeKey: { contains: dutyId } } });
    expect(rows.map((r) => r.status)).toEqual(['sent']);
    expect(await running.duties!.runtime.reminders.list()).toEqual([
      { dutyId, recipient: 'st-channel', slot: 'D-0', due: '2026-12-10', dueAt: new Date(NINE_CR_DUE), outboxId: rows[0]!.id },
    ]);
    expect(sentTo()).toHaveLength(1);

    // Once done, the overdue reminder is stale, and reconcile removes its waiting job.
    const late = { ...data, slot: 'late' as const, dueAt: '2026-12-11T15:00:00.000Z' };
    expect(await (await queue.getJob(dutyJobId(late)))?.getState()).toBe('delayed');
    const recorded = await completeDuty(deps, { meeting: ref, duty: 'st_operational_financial_report' }, 'test');
    expect(recorded.ok).toBe(true);
    expect(await processDutyReminder(running.duties!.runtime, late)).toEqual({ result: 'stale', reason: 'done' });
    const after = await running.duties!.reconcileNow();
    expect(after.removed).toContain(dutyJobId(late));
    expect(await queue.getJob(dutyJobId(late))).toBeUndefined();
    expectNoSideErrors(app.logger);
  });

  it('overdue duties: once a week inside the ST channel\'s weekly digest, and to the PPT\'s focal points, each in their language', async () => {
    // A week after the due date of the remaining duties of the GRCM above: the summary (2027-01-20) is late.
    app.clock.setVirtual('2027-01-25T15:00:00.000Z');
    const first = await sendLateDutiesDigest(running.duties!.runtime);
    expect(first.week).toBe('2027-W04');
    expect(first.late).toBeGreaterThanOrEqual(1);
    expect(first.outboxIds).toHaveLength(2); // Panama's two focal points (PA holds the PPT); the ST reads them in its digest
    expect((await sendLateDutiesDigest(running.duties!.runtime)).outboxIds).toEqual([]); // once per week
    const digests = () => notifier.deliveries.filter((d) => d.item.kind === 'duty_digest');
    await finished(jobs.backend, QUEUES.deliver, first.outboxIds.map((o) => jobIds.deliver(o)));
    expect(digests().map((d) => d.item.dedupeKey).sort()).toEqual([
      'duty-digest:2027-W04:itzel.castillo@example.org',
      'duty-digest:2027-W04:ricardo.arosemena@example.org',
    ]);
    const ppt = digests().find((d) => d.item.dedupeKey.endsWith(':itzel.castillo@example.org'))!.item.payload as NeutralMessage;
    expect(ppt.heading).toBe('Tareas atrasadas, semana 2027-W04');
    expect(ppt.table!.rows.map((r) => r[0])).toContain('Resumen de los resultados de la reunión');

    // The ST channel's weekly digest: the open consultations, then the overdue duties, one line each.
    const weekly = await sendWeeklyDigest(running.runtime);
    expect(weekly).toMatchObject({ week: '2027-W04', lateDuties: first.late });
    await finished(jobs.backend, QUEUES.deliver, [jobIds.deliver(weekly.outboxId!)]);
    const digest = notifier.deliveries.find((d) => d.item.kind === 'weekly_digest')!;
    expect(digest.item.recipient).toEqual({ kind: 'secretariat_channel', slack: 'C0ST0000001' });
    const body = (digest.item.payload as NeutralMessage).body;
    expect(body).toContain(first.late === 1 ? 'Hay 1 tarea de las reuniones atrasada:' : `Hay ${first.late} tareas de las reuniones atrasadas:`);
    expect(body.filter((line) => line.startsWith('• '))).toHaveLength(first.late);
    expect(body.some((line) => line.startsWith('• Resumen de los resultados de la reunión') && /MTG-\d{4}-\d{3}/.test(line))).toBe(true);
    expectNoSideErrors(app.logger);
  });
});
