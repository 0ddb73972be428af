/**
 * Slack e2e, the bot as a user starts it (see ./harness.ts), with explicit deadlines seconds ahead so the
 * close job fires during the test: incomplete at the deadline; and an extension (`/crm prorrogar`) that
 * moves the deadline, tells every member, and makes the first close job stale. The two run at once.
 *
 * The bot runs on the real clock, so what must happen before an explicit deadline (the Troika's approvals,
 * the answers, the extension) races it. A machine too slow for the lead is not a failure and never a pass:
 * the attempt is seen to be late (the member stage opened on the 5-business-day fallback, or the deadline
 * closed the consultation first) and the scenario starts again on a new consultation with a longer lead.
 * How long that path takes is measured in bench/timings.bench.ts. The old close job is read from the bot's
 * own queue (BullMQ on its PostgreSQL database) before "the old deadline closed nothing" is asserted.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t } from '../../../src/i18n/index.ts';
import { createJobsBackend, type JobsBackend } from '../../../src/jobs/backend.ts';
import { jobIds, QUEUES } from '../../../src/jobs/names.ts';
import { headerOf, startSlackWorld, waitFor, type Actor, type SlackWorld } from './harness.ts';
import { expectEnded, expectMembersAsked, expectTroikaAsked, positionsOf, stateValue, troikaApproves, type PositionValue } from './steps.ts';

let w: SlackWorld;
/** The bot's own queues (same database, BullMQ's default schema), to read its close jobs. */
let botJobs: JobsBackend;
let dataDir = '';
beforeAll(async () => {
  w = await startSlackWorld(import.meta.url);
  dataDir = await mkdtemp(join(tmpdir(), 'crm-e2e-queue-'));
  botJobs = await createJobsBackend({ databaseUrl: w.pg.url, dataDir, onError: () => undefined });
}, 180_000);
afterAll(async () => {
  await botJobs?.close();
  await w?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

const PROPOSAL = 'La CRM respalda la realización de un taller regional sobre identificación de personas con necesidades de protección.';
/** Seconds from the submission to the explicit deadline, tried in turn until one is long enough for this machine. */
const LEADS_S = [35, 90, 240] as const;
const LATE = Symbol('late');
type Late = typeof LATE;

/** Runs `attempt` with each lead until one is not late. */
async function withLead<T>(what: string, attempt: (leadS: number, n: number) => Promise<T | Late>): Promise<T> {
  for (const [n, lead] of LEADS_S.entries()) {
    const r = await attempt(lead, n);
    if (r !== LATE) return r;
  }
  throw new Error(`${what}: late even with a ${LEADS_S.at(-1)} s lead`);
}

const isClosed = async (ref: string) => (await w.consultation(ref))?.stage === 'closed';
/** What a request refused for being late is refused with; any other refusal is a failure, not lateness. */
const LATE_CODES = ['deadline_passed', 'consultation_closed', 'wrong_stage'];
async function lateOrFail(id: string): Promise<Late> {
  const r = await w.db.query<{ type: string; code: string }>(`SELECT type, result->>'code' AS code FROM command_log WHERE consultation_id = $1 AND status = 'refused'`, [id]);
  const other = r.rows.find((x) => !LATE_CODES.includes(x.code));
  if (other) throw new Error(`${other.type} refused with ${other.code}: not lateness`);
  return LATE;
}

/** Submitted with an explicit deadline `leadS` ahead; the Troika approves; every member is asked. LATE when the Troika approved after the deadline. */
async function circulatedWithDeadline(title: string, leadS: number) {
  const deadline = new Date(Date.now() + leadS * 1000);
  const { ref, id } = await w.startConsultation(w.people.ppt, { title, proposal: PROPOSAL, deadline, justification: 'Urgencia: la reunión técnica es la próxima semana.' });
  await expectTroikaAsked(w, ref);
  await troikaApproves(w, ref);
  await expectMembersAsked(w, ref);
  const snap = (await w.consultation(ref))!.snapshot;
  if (snap.deadlineFallback) return LATE; // the member stage opened on the 5 business days instead
  expect(new Date(snap.deadline).getTime()).toBe(Math.floor(deadline.getTime() / 1000) * 1000);
  return { ref, id, deadline: new Date(snap.deadline as string) };
}

const ACTION = { support: 'position_support', abstain: 'position_abstain' } as const;

/** `who` clicks `position`; resolves once it is recorded, or LATE once the deadline closed the consultation first. */
async function answerBeforeDeadline(who: Actor, ref: string, id: string, position: keyof typeof ACTION): Promise<true | Late> {
  const card = await w.cardFor(who, ref, ACTION[position]);
  const { res } = await w.click(who, card, ACTION[position]);
  expect(res.status).toBe(200);
  return waitFor(async () => {
    if ((await w.events(id)).some((e) => e.type === 'position_recorded' && e.payload.country === who.country && e.payload.position === position)) return true;
    return (await isClosed(ref)) ? lateOrFail(id) : undefined;
  }, `${who.country}'s ${position} recorded, or the consultation closed first`);
}

describe.concurrent('Slack: deadlines', () => {
  it('incomplete: some countries answer, the close job fires at the explicit deadline', { timeout: 900_000 }, async () => {
    const given = { CR: 'support', MX: 'support', GT: 'abstain' } as const;
    const { ref, id, deadline } = await withLead('three answers before the deadline', async (lead, n) => {
      const c = await circulatedWithDeadline(`E2E incompleta · taller regional${n ? ` (${lead} s)` : ''}`, lead);
      if (c === LATE) return LATE;
      for (const [code, p] of Object.entries(given)) if ((await answerBeforeDeadline(w.people.firstOf[code]!, c.ref, c.id, p)) === LATE) return LATE;
      return c;
    });
    await expectEnded(w, ref, 'incomplete', positionsOf(w, given as Record<string, PositionValue>));
    const closed = (await w.events(id)).find((e) => e.type === 'consultation_closed');
    expect(closed?.payload.reason).toBe('deadline');
    expect(new Date(closed!.payload.at).getTime()).toBeGreaterThanOrEqual(deadline.getTime());
    expect(new Date(w.digest(ref)!.at).getTime()).toBeGreaterThanOrEqual(deadline.getTime());
  });

  it('extended: /crm prorrogar moves the deadline, every member is told in their language, the old deadline closes nothing', { timeout: 900_000 }, async () => {
    const { ref, id, deadline } = await withLead('an extension before the deadline', async (lead, n) => {
      const c = await circulatedWithDeadline(`E2E prórroga · taller regional${n ? ` (${lead} s)` : ''}`, lead);
      if (c === LATE) return LATE;
      // An hour later: closing early (every member answers) ends it, not a race with a second deadline.
      const later = new Date(c.deadline.getTime() + 60 * 60_000);
      const { res, triggerId } = await w.command(w.people.ppt, `prorrogar ${c.ref}`);
      expect(res.status).toBe(200);
      const view = await w.openedView(triggerId, 'extend');
      const sub = await w.submit(w.people.ppt, view, {
        deadline: stateValue.datetime(later),
        justification: stateValue.text('Dos países pidieron más tiempo para consultar a sus capitales.'),
      });
      expect(sub.status).toBe(200);
      const outcome = await waitFor(async () => {
        if ((await w.events(c.id)).some((e) => e.type === 'deadline_extended')) return 'extended';
        return (await isClosed(c.ref)) ? 'closed' : undefined;
      }, 'the extension recorded, or the consultation closed first');
      if (outcome === 'closed') return lateOrFail(c.id);
      expect(sub.body, 'the extend modal was refused').not.toContain('"errors"');
      return c;
    });
    for (const fp of w.people.members) {
      const heading = t(fp.locale, 'extension.heading', { reference: ref });
      await waitFor(() => w.dmsOf(fp.slack, ref).some((m) => headerOf(m) === heading), `the extension notice of ${ref} to ${fp.name} (${fp.locale})`);
    }
    // The first deadline passes. Its close job was removed when the deadline moved (or, had it stayed, it
    // has run and found itself stale); the new deadline's job waits.
    const close = botJobs.queue(QUEUES.close);
    expect(await close.getJobState(jobIds.close(id, 2))).toBe('delayed');
    await waitFor(() => Date.now() > deadline.getTime(), 'the first deadline to pass', 600_000, 250);
    const old = await waitFor(async () => {
      const state = await close.getJobState(jobIds.close(id, 1));
      return state === 'unknown' || state === 'completed' || state === 'failed' ? { state, job: await close.getJob(jobIds.close(id, 1)) } : undefined;
    }, 'the first close job gone or run');
    if (old.state !== 'unknown') expect(old.job?.returnvalue).toEqual({ result: 'stale', reason: 'deadline_version' });
    expect((await w.consultation(ref))!.stage).toBe('member_consultation');
    expect(w.digest(ref)).toBeUndefined();
    // Positions are still taken after the first deadline; when every member has answered, it closes early.
    for (const code of w.people.memberCodes) expect(await answerBeforeDeadline(w.people.firstOf[code]!, ref, id, 'support')).toBe(true);
    await expectEnded(w, ref, 'consensus', positionsOf(w, Object.fromEntries(w.people.memberCodes.map((c) => [c, 'support']))));
  });
});
