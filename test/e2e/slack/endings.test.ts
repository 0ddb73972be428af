/**
 * Slack e2e, the bot as a user starts it (see ./harness.ts): no consensus (an objection with its reason
 * modal), not endorsed (a Troika objection), and withdrawn (`/crm retirar` during the member stage).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSlackWorld, type SlackWorld } from './harness.ts';
import { answer, commandModal, expectEnded, expectMembersAsked, expectTroikaAsked, positionsOf, positionStored, stateValue, troikaApproves } from './steps.ts';

let w: SlackWorld;
beforeAll(async () => {
  w = await startSlackWorld(import.meta.url);
}, 180_000);
afterAll(async () => {
  await w?.stop();
});

const PROPOSAL = 'La CRM adopta una posición común sobre la protección consular de personas migrantes en situación de vulnerabilidad.';

describe('Slack: consultations that end without consensus', () => {
  it('no consensus: one Member Country objects (reason modal), the others support', { timeout: 600_000 }, async () => {
    const { ref, id } = await w.startConsultation(w.people.ppt, { title: 'E2E sin consenso · protección consular', proposal: PROPOSAL, days: 5 });
    await expectTroikaAsked(w, ref);
    await troikaApproves(w, ref);
    await expectMembersAsked(w, ref);
    const given: Record<string, 'support' | 'object'> = {};
    for (const code of w.people.memberCodes) {
      const position = code === 'US' ? 'object' : 'support';
      await answer(w, w.people.firstOf[code]!, ref, position, 'The text does not reflect our current policy.');
      given[code] = position;
    }
    await expectEnded(w, ref, 'no_consensus', positionsOf(w, given));
    const objection = (await w.events(id)).find((e) => e.type === 'position_recorded' && e.payload.country === 'US');
    expect(objection?.payload.reason).toBe('The text does not reflect our current policy.');
  });

  it('not endorsed: a Troika country objects (reason modal); members are told, nothing circulated', { timeout: 600_000 }, async () => {
    const { ref, id } = await w.startConsultation(w.people.ppt, { title: 'E2E no respaldada · retorno asistido', proposal: PROPOSAL, days: 5 });
    await expectTroikaAsked(w, ref);
    const who = w.people.troika[0]!;
    const card = await w.cardFor(who, ref, 'troika_object');
    const res = await w.clickWithReason(who, card, 'troika_object', 'No es el momento de circular este texto.');
    expect(res.status).toBe(200);
    await expectEnded(w, ref, 'not_endorsed', positionsOf(w, {}));
    const types = (await w.events(id)).map((e) => e.type);
    expect(types).toContain('consultation_not_endorsed');
    expect(types).not.toContain('member_consultation_opened');
  });

  it('withdrawn: /crm retirar during the member stage, with a reason; positions so far are in the digest', { timeout: 600_000 }, async () => {
    const { ref, id } = await w.startConsultation(w.people.ppt, { title: 'E2E retirada · mesa técnica', proposal: PROPOSAL, days: 5 });
    await expectTroikaAsked(w, ref);
    await troikaApproves(w, ref);
    await expectMembersAsked(w, ref);
    await answer(w, w.people.firstOf['CR']!, ref, 'support');
    await answer(w, w.people.firstOf['CA']!, ref, 'abstain');
    await positionStored(w, id, 'CA', 'abstain');
    await commandModal(w, w.people.ppt, `retirar ${ref}`, 'withdraw', { reason: stateValue.text('La PPT retira la propuesta para reformularla.') });
    await expectEnded(w, ref, 'withdrawn', positionsOf(w, { CR: 'support', CA: 'abstain' }));
    expect((await w.consultation(ref))!.stage).toBe('withdrawn');
  });
});
