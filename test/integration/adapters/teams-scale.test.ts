/**
 * A body of 193 Member Countries on Teams (issue 14): the Teams adapter over real loopback HTTP with the
 * Teams SDK's own JWT validation (test/helpers/teams-adapter-world.ts), a generated directory of 193
 * countries and 386 focal points all on Teams. The PPT types `consulta` and submits the form card, the two
 * other Troika countries approve with `Action.Execute`, every country answers with its verb (objections
 * through the reason card), and the consultation closes early. Every card the bot answers with is valid
 * for the official Adaptive Cards parser and under Teams' 28 KB.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsultationState } from '../../../src/domain/types.ts';
import { troikaAt } from '../../../src/directory/presidency.ts';
import { cardProblems, executeActions, inputIds } from '../../helpers/adaptive-cards.ts';
import { bigDirectory } from '../../helpers/big-directory.ts';
import { startTeamsAdapterWorld, type TeamsAdapterWorld } from '../../helpers/teams-adapter-world.ts';

const today = new Date().toISOString().slice(0, 10);
const big = bigDirectory({ members: 193, focalPoints: 386, platforms: ['teams'], today });
const aadOf = (code: string) => big.directory.countries.find((c) => c.code === code)!.focalPoints[0]!.teams!;

let w: TeamsAdapterWorld;
beforeAll(async () => {
  w = await startTeamsAdapterWorld(import.meta.url, { directory: big.directory });
}, 180_000);
afterAll(async () => {
  await w?.close();
});

interface CardAnswer {
  type: string;
  value: unknown;
}

const answers: unknown[] = [];
async function invoke(aad: string, verb: string, data: Record<string, unknown>): Promise<CardAnswer> {
  const res = await w.post(w.invoke(aad, verb, data));
  expect(res.status).toBe(200);
  const body = res.body as CardAnswer;
  answers.push(body.value);
  return body;
}

const state = async (): Promise<ConsultationState> => (await w.engine.db.prisma.consultation.findFirstOrThrow({ orderBy: { createdAt: 'desc' } })).snapshot as unknown as ConsultationState;

describe('Teams: a 193-member body', () => {
  it('consulta, a Troika of three, 193 answers by Action.Execute, an early close; every answer card valid and under 28 KB', { timeout: 900_000 }, async () => {
    const ppt = troikaAt(big.directory.presidencies, today)!.current;
    // The form card, typed for in the personal chat.
    const before = w.posted(aadOf(ppt)).length;
    expect((await w.post(w.message(aadOf(ppt), 'consulta'))).status).toBe(200);
    expect(await w.listeners.drain(10_000)).toBe(0);
    const form = (w.posted(aadOf(ppt), before)[0]!.activity.attachments as { content: unknown }[])[0]!.content;
    expect(inputIds(form)).toContain('proposal');
    const submit = executeActions(form)[0]!;
    await invoke(aadOf(ppt), String(submit.verb), { ...(submit.data as object), title: 'Posición común de 193 países', proposal: 'Texto de la propuesta para todos los Países Miembros.', days: '5' });
    let s = await state();
    expect(s.stage).toBe('troika_review');
    expect(s.participants.members).toHaveLength(193);
    expect(s.troika?.countries).toHaveLength(3);

    for (const code of s.troika!.countries.filter((c) => c !== ppt)) await invoke(aadOf(code), 'troika_approve', { c: s.consultationId, v: s.currentVersion });
    s = await state();
    expect(s.stage).toBe('member_consultation');

    for (const [i, m] of s.participants.members.entries()) {
      const data = { c: s.consultationId, v: s.currentVersion };
      if (i % 7 === 3) {
        const asked = await invoke(aadOf(m.code), 'position_object', data);
        expect(inputIds(asked.value)).toContain('reason');
        const send = executeActions(asked.value).find((a) => a.verb === 'reason')!;
        await invoke(aadOf(m.code), 'reason', { ...(send.data as object), reason: `Objeción de ${m.code}: el párrafo 2 no refleja nuestra posición.` });
      } else {
        await invoke(aadOf(m.code), i % 5 === 1 ? 'position_abstain' : 'position_support', data);
      }
    }
    s = await state();
    expect(s.stage).toBe('closed');
    expect(s.outcome).toBe('no_consensus');
    expect(Object.keys(s.positions)).toHaveLength(193);
    const events = await w.engine.db.prisma.consultationEvent.findMany({ where: { consultationId: s.consultationId, type: 'position_recorded' } });
    expect(events).toHaveLength(193);
    expect(new Set(events.map((e) => e.actorPlatform))).toEqual(new Set(['teams']));

    const bad = answers.flatMap((card, i) => {
      const size = Buffer.byteLength(JSON.stringify(card));
      return [...cardProblems(card).map((p) => `answer ${i}: ${p}`), ...(size > 28_000 ? [`answer ${i}: ${size} bytes`] : [])];
    });
    expect(bad).toEqual([]);
  });
});
