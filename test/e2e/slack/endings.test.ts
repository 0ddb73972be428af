/**
 * Slack e2e, the bot as a user starts it (see ./harness.ts): no consensus (an objection with its reason
 * modal), not endorsed (a Troika objection), and withdrawn (`/crm retirar` during the member stage).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t } from '../../../src/i18n/index.ts';
import { headerOf, startSlackWorld, type SlackWorld } from './harness.ts';
import { answer, blocksOf, commandModal, expectEnded, expectMembersAsked, expectTroikaAsked, positionsOf, positionStored, stateValue, troikaApproves } from './steps.ts';

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

  it('not endorsed: a Troika country objects (reason modal); only the Troika and the ST are told, nothing circulated', { timeout: 600_000 }, async () => {
    const { ref, id } = await w.startConsultation(w.people.ppt, { title: 'E2E no respaldada · retorno asistido', proposal: PROPOSAL, days: 5 });
    await expectTroikaAsked(w, ref);
    const who = w.people.troika[0]!;
    const card = await w.cardFor(who, ref, 'troika_object');
    const res = await w.clickWithReason(who, card, 'troika_object', 'No es el momento de circular este texto.');
    expect(res.status).toBe(200);
    await expectEnded(w, ref, 'not_endorsed', positionsOf(w, {}));
    // The PPT's focal points read the reason and how to revise and resend it; the other Troika country the reason.
    for (const fp of [...w.people.focalPointsOf[w.people.pptCountry]!, ...w.people.troika]) {
      const notice = w.dmsOf(fp.slack, ref).find((m) => headerOf(m) === t(fp.locale, 'result.heading', { reference: ref }))!;
      expect(blocksOf(notice)).toContain('No es el momento de circular este texto.');
      expect(blocksOf(notice).includes(`revisar ${ref}`) || blocksOf(notice).includes(`revise ${ref}`), `resend hint for ${fp.name}`).toBe(fp.country === w.people.pptCountry);
    }
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
    // Credited to the PPT's country (not the Secretariat), with its reason, in each person's language.
    const ppt = w.people.directory.countries.find((c) => c.code === w.people.pptCountry)!;
    for (const fp of w.people.members) {
      const notice = w.dmsOf(fp.slack, ref).find((m) => headerOf(m) === t(fp.locale, 'result.heading', { reference: ref }))!;
      expect(blocksOf(notice)).toContain(t(fp.locale, 'withdrawn.by_ppt', { country: ppt.name[fp.locale] }));
      expect(blocksOf(notice)).toContain('La PPT retira la propuesta para reformularla.');
    }
  });
});
