/**
 * A body of 193 Member Countries on Slack, end to end (issue 14): the bot started as a user starts it with
 * a generated 193-country directory (CRM_DIRECTORY), 386 focal points on the local fake Slack API. The PPT
 * starts with `/crm consulta`, the Troika (previous, current, next presidency) approves with its buttons,
 * every focal point gets the request, every country answers with its card's buttons (some objecting
 * through the reason modal), the consultation closes early with no consensus, and the digest, the live
 * status and every result notice arrive within Slack's limits (the fake refuses any message over them).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bigDirectory } from '../../helpers/big-directory.ts';
import { startSlackWorld, type SlackWorld } from './harness.ts';
import { answer, expectEnded, expectMembersAsked, expectTroikaAsked, positionsOf, troikaApproves, type PositionValue } from './steps.ts';

const big = bigDirectory({ members: 193, focalPoints: 386, platforms: ['slack'], today: new Date().toISOString().slice(0, 10) });

let w: SlackWorld;
beforeAll(async () => {
  w = await startSlackWorld(import.meta.url, { directoryYaml: big.yaml });
}, 180_000);
afterAll(async () => {
  await w?.stop();
});

describe('Slack: a 193-member body end to end', () => {
  it('Troika of three, 386 requests, 193 answers, early close, digest and result notices within limits', { timeout: 1_200_000 }, async () => {
    expect(w.people.memberCodes).toHaveLength(193);
    const { ref } = await w.startConsultation(w.people.ppt, { title: 'Posición común de 193 países', proposal: 'Texto de la propuesta para todos los Países Miembros.', days: 5 });
    await expectTroikaAsked(w, ref);
    expect(w.people.troikaCountries).toHaveLength(2);
    await troikaApproves(w, ref);
    await expectMembersAsked(w, ref);

    const given: Record<string, PositionValue> = {};
    for (const [i, code] of w.people.memberCodes.entries()) {
      const position = i % 7 === 3 ? 'object' : i % 5 === 1 ? 'abstain' : 'support';
      await answer(w, w.people.firstOf[code]!, ref, position);
      given[code] = position;
    }
    await expectEnded(w, ref, 'no_consensus', positionsOf(w, given));
    expect(w.slack.calls.filter((c) => (c.response as { ok?: boolean; error?: string } | undefined)?.ok === false && c.method === 'chat.postMessage').map((c) => (c.response as { error?: string }).error)).toEqual([]);
  });
});
