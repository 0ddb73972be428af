/**
 * Slack e2e, the bot as a user starts it (see ./harness.ts): a consultation to consensus, and one where the
 * Troika asks for changes, the PPT revises with `/crm revisar`, and the revised version is approved.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t } from '../../../src/i18n/index.ts';
import { refusalMessage } from '../../../src/i18n/index.ts';
import { headerOf, startSlackWorld, waitFor, type SlackWorld } from './harness.ts';
import { findButton } from '../../helpers/slack-requests.ts';
import { answer, blocksOf, commandModal, expectEnded, expectMembersAsked, expectTroikaAsked, positionsOf, positionStored, stateValue, troikaApproves } from './steps.ts';

let w: SlackWorld;
beforeAll(async () => {
  w = await startSlackWorld(import.meta.url);
}, 180_000);
afterAll(async () => {
  await w?.stop();
});

const PROPOSAL =
  'La CRM expresa su preocupación por el aumento de los flujos migratorios extrarregionales en tránsito por la región y ' +
  'encarga a la Secretaría Técnica un informe de situación para la próxima reunión del GRCM.';

describe('Slack: a special consultation end to end over HTTP', () => {
  it('consensus: Troika approves, every Member Country answers (one abstains), early close, digest and result notices', { timeout: 600_000 }, async () => {
    const { ref, id } = await w.startConsultation(w.people.ppt, { title: 'E2E consenso · flujos extrarregionales', proposal: PROPOSAL, days: 5 });
    await expectTroikaAsked(w, ref);
    await troikaApproves(w, ref);
    await expectMembersAsked(w, ref);

    const given: Record<string, 'support' | 'abstain'> = {};
    for (const code of w.people.memberCodes) {
      const position = code === 'BZ' ? 'abstain' : 'support';
      await answer(w, w.people.firstOf[code]!, ref, position);
      given[code] = position;
    }
    await expectEnded(w, ref, 'consensus', positionsOf(w, given));
    expect((await w.consultation(ref))!.stage).toBe('closed');
    const types = (await w.events(id)).map((e) => e.type);
    expect(types.filter((x) => x === 'position_recorded')).toHaveLength(11);
    expect(types.at(-1)).toBe('consultation_closed');
  });

  it('changes requested, then /crm revisar: the revised version goes back to the Troika, an old button is refused, the new one approved', { timeout: 600_000 }, async () => {
    const { ref, id } = await w.startConsultation(w.people.ppt, { title: 'E2E cambios · niñez no acompañada', proposal: PROPOSAL, days: 5 });
    await expectTroikaAsked(w, ref);
    const [first, second] = w.people.troika;
    const firstCard = await w.cardFor(first!, ref, 'troika_changes');
    const res = await w.clickWithReason(first!, firstCard, 'troika_changes', 'Sugerimos mencionar expresamente a la niñez no acompañada.');
    expect(res.status).toBe(200);
    await waitFor(async () => (await w.events(id)).some((e) => e.type === 'troika_reacted' && e.payload.reaction === 'request_changes'), 'the request for changes recorded');
    // The PPT's focal points and the ST channel are told at once, with the reason.
    for (const fp of w.people.focalPointsOf[w.people.pptCountry]!) {
      const heading = t(fp.locale, 'troika_feedback.heading', { reference: ref });
      const notice = await waitFor(() => w.dmsOf(fp.slack, ref).find((m) => headerOf(m) === heading), `the request for changes to ${fp.name}`);
      expect(blocksOf(notice)).toContain('Sugerimos mencionar expresamente a la niñez no acompañada.');
    }
    await waitFor(() => w.slack.messages(w.people.stChannel).find((m) => headerOf(m) === t(w.people.directory.secretariat.locale, 'troika_feedback.heading', { reference: ref })), 'the request for changes in the ST channel');

    // The second Troika country's card of version 1, as their Slack client shows it before any update.
    const troikaCards = () => w.dmsOf(second!.slack, ref).filter((m) => headerOf(m) === t(second!.locale, 'troika_request.heading', { reference: ref }));
    const v1Copy = structuredClone(troikaCards()[0]!);
    await commandModal(w, w.people.ppt, `revisar ${ref}`, 'revise', {
      proposal: stateValue.text(`${PROPOSAL} Se presta especial atención a la niñez no acompañada.`),
    });
    await waitFor(async () => (await w.events(id)).some((e) => e.type === 'text_revised'), 'the revision recorded');
    await expectTroikaAsked(w, ref, { revised: true });

    // The second Troika country clicks the button of the first version: refused, in their language, nothing recorded.
    const old = await w.cardFor(second!, ref, 'troika_approve');
    // The version-1 card was closed in place: no buttons, and it says where to answer.
    const closedV1 = await waitFor(() => troikaCards().find((m) => m.ts === v1Copy.ts && !findButton(m.blocks, 'troika_approve')), 'the version-1 card closed in place');
    expect(blocksOf(closedV1)).toMatch(second!.locale === 'en' ? /replaced by version 2/ : /sustituida por la versión 2/);
    // A click on a copy still showing the old buttons (a client not yet refreshed) is refused.
    const oldest = v1Copy;
    const before = (await w.events(id)).length;
    const { res: staleRes } = await w.click(second!, { channel: old.channel, ts: oldest.ts, message: oldest }, 'troika_approve');
    expect(staleRes.status).toBe(200);
    const expected = refusalMessage(second!.locale, 'stale_version', {}).slice(0, 40);
    await waitFor(() => w.ephemeralTexts(second!).some((x) => x.includes(expected.slice(0, 25))), `a stale_version refusal for ${second!.name}`);
    expect((await w.events(id)).length).toBe(before);

    await troikaApproves(w, ref, { after: oldest.ts });
    await expectMembersAsked(w, ref);
    for (const code of w.people.memberCodes) await answer(w, w.people.firstOf[code]!, ref, 'support');
    await positionStored(w, id, 'DO', 'support');
    await expectEnded(w, ref, 'consensus', positionsOf(w, Object.fromEntries(w.people.memberCodes.map((c) => [c, 'support']))));
    const snap = (await w.consultation(ref))!.snapshot;
    expect(snap.versions).toHaveLength(2);
  });
});
