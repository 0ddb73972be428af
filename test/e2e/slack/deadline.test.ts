/**
 * Slack e2e, the bot as a user starts it (see ./harness.ts), with explicit deadlines seconds ahead so the
 * close job fires during the test: incomplete at the deadline; and an extension (`/crm prorrogar`) that
 * moves the deadline, tells every member, and makes the first close job stale. The two run at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t } from '../../../src/i18n/index.ts';
import { headerOf, startSlackWorld, waitFor, type SlackWorld } from './harness.ts';
import { answer, commandModal, expectEnded, expectMembersAsked, expectTroikaAsked, positionsOf, positionStored, stateValue, troikaApproves } from './steps.ts';

let w: SlackWorld;
beforeAll(async () => {
  w = await startSlackWorld(import.meta.url);
}, 180_000);
afterAll(async () => {
  await w?.stop();
});

const PROPOSAL = 'La CRM respalda la realización de un taller regional sobre identificación de personas con necesidades de protección.';
/** Seconds from the submission to the explicit deadline: the Troika must approve before it (else 5 business days apply). */
const LEAD_S = 35;

async function circulatedWithDeadline(title: string) {
  const deadline = new Date(Date.now() + LEAD_S * 1000);
  const { ref, id } = await w.startConsultation(w.people.ppt, { title, proposal: PROPOSAL, deadline, justification: 'Urgencia: la reunión técnica es la próxima semana.' });
  await expectTroikaAsked(w, ref);
  await troikaApproves(w, ref);
  await expectMembersAsked(w, ref);
  const snap = (await w.consultation(ref))!.snapshot;
  expect(snap.deadlineFallback ?? false, `the Troika approved after the explicit deadline (${deadline.toISOString()}): the test machine is too slow for LEAD_S=${LEAD_S}`).toBe(false);
  expect(new Date(snap.deadline).getTime()).toBe(Math.floor(deadline.getTime() / 1000) * 1000);
  return { ref, id, deadline: new Date(snap.deadline as string) };
}

describe.concurrent('Slack: deadlines', () => {
  it('incomplete: some countries answer, the close job fires at the explicit deadline', { timeout: 600_000 }, async () => {
    const { ref, id, deadline } = await circulatedWithDeadline('E2E incompleta · taller regional');
    const given = { CR: 'support', MX: 'support', GT: 'abstain' } as const;
    for (const [code, p] of Object.entries(given)) await answer(w, w.people.firstOf[code]!, ref, p);
    await positionStored(w, id, 'GT', 'abstain');
    expect(Date.now()).toBeLessThan(deadline.getTime());
    await expectEnded(w, ref, 'incomplete', positionsOf(w, given));
    const closed = (await w.events(id)).find((e) => e.type === 'consultation_closed');
    expect(closed?.payload.reason).toBe('deadline');
    expect(new Date(w.digest(ref)!.at).getTime()).toBeGreaterThanOrEqual(deadline.getTime());
  });

  it('extended: /crm prorrogar moves the deadline, every member is told in their language, the old deadline closes nothing', { timeout: 600_000 }, async () => {
    const { ref, id, deadline } = await circulatedWithDeadline('E2E prórroga · taller regional');
    const later = new Date(deadline.getTime() + 120_000);
    await commandModal(w, w.people.ppt, `prorrogar ${ref}`, 'extend', {
      deadline: stateValue.datetime(later),
      justification: stateValue.text('Dos países pidieron más tiempo para consultar a sus capitales.'),
    });
    await waitFor(async () => (await w.events(id)).some((e) => e.type === 'deadline_extended'), 'the extension recorded');
    for (const fp of w.people.members) {
      const heading = t(fp.locale, 'extension.heading', { reference: ref });
      await waitFor(() => w.dmsOf(fp.slack, ref).some((m) => headerOf(m) === heading), `the extension notice of ${ref} to ${fp.name} (${fp.locale})`);
    }
    // Past the first deadline (plus the close job's slack): still open, and positions are still taken.
    await waitFor(() => Date.now() > deadline.getTime() + 8_000 && true, 'the first deadline to pass', 60_000, 500);
    expect((await w.consultation(ref))!.stage).toBe('member_consultation');
    expect(w.digest(ref)).toBeUndefined();
    for (const code of w.people.memberCodes) await answer(w, w.people.firstOf[code]!, ref, 'support');
    await expectEnded(w, ref, 'consensus', positionsOf(w, Object.fromEntries(w.people.memberCodes.map((c) => [c, 'support']))));
    expect(Date.now()).toBeLessThan(later.getTime() + 60_000);
  });
});
