/**
 * The Slack path an explicit deadline must outlast, measured on the e2e set-up (test/e2e/slack/harness.ts:
 * `node bin/start.mjs` as a child process on a fresh PostgreSQL database, BullMQ on it too, the fake Slack
 * Web API): from the new-consultation modal's submission to the Troika asked, to the member stage open
 * (both Troika countries approved), to every member asked, to three positions recorded.
 * test/e2e/slack/deadline.test.ts gives its explicit deadline a 35 s lead first (then 90 s, 240 s when a
 * machine is slower than that): "to three answers" is the figure that lead must exceed.
 *
 * `npx tsx bench/slack-lead.bench.ts` or `npm run bench -- slack-lead`. SLACK_LEAD_RUNS (default 3).
 */
import { pathToFileURL } from 'node:url';
import { findButton } from '../src/demo/slack-requests.ts';
import { startSlackWorld, waitFor, type SlackWorld } from '../test/e2e/slack/harness.ts';

async function once(w: SlackWorld, n: number): Promise<string> {
  const t0 = Date.now();
  const lap = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
  const { ref, id } = await w.startConsultation(w.people.ppt, { title: `Bench plazo ${n} ${Date.now()}`, proposal: 'Texto de prueba para medir el camino hasta el plazo.', days: 5 });
  const stored = lap();
  const cards = await Promise.all(w.people.troika.map((who) => w.cardFor(who, ref, 'troika_approve')));
  const asked = lap();
  for (const [i, who] of w.people.troika.entries()) await w.click(who, cards[i]!, 'troika_approve');
  await waitFor(async () => (await w.consultation(ref))?.stage === 'member_consultation', 'the member stage');
  const opened = lap();
  await Promise.all(w.people.members.map((fp) => waitFor(() => w.dmsOf(fp.slack, ref).some((m) => findButton(m.blocks, 'position_support')), `the member request to ${fp.name}`)));
  const membersAsked = lap();
  const given = { CR: 'position_support', MX: 'position_support', GT: 'position_abstain' } as const;
  for (const [code, action] of Object.entries(given)) {
    const who = w.people.firstOf[code]!;
    await w.click(who, await w.cardFor(who, ref, action), action);
    await waitFor(async () => (await w.events(id)).some((e) => e.type === 'position_recorded' && e.payload.country === code), `${code}'s position`);
  }
  return `run ${n}: stored ${stored}, Troika asked ${asked}, member stage open ${opened}, members asked ${membersAsked}, three answers recorded ${lap()}`;
}

export async function run(): Promise<void> {
  const runs = Number(process.env['SLACK_LEAD_RUNS'] || 3);
  console.log('slack-lead: from the submission of a consultation (seconds), on the e2e set-up; deadline.test.ts first tries a 35 s lead');
  const w = await startSlackWorld('bench-slack-lead');
  try {
    for (let n = 1; n <= runs; n++) console.log(await once(w, n));
  } finally {
    await w.stop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await run();
}
