/**
 * `npm run bench -- scale` (issue 14): a body of 193 Member Countries and 600 focal points on Redis +
 * PostgreSQL, the real deliver worker and notifiers, against the local fake Slack API and fake Bot
 * Connector. Three runs in one process, each on a fresh database:
 *   - baseline: the fakes enforce no limit;
 *   - platform limits: Slack about one post a second per channel and 50 a second for the workspace,
 *     Teams 7 a second per conversation and 30 for the app (the bot's pacing should keep under them);
 *   - tight limits: Slack 20 posts a second, Teams 5 calls a second (429s certain).
 * For each: time from circulation to the last request delivered, 429s received, focal points reached
 * exactly once / twice or more / never, and the time to record the 193 positions (each through the flows,
 * one after another, with the deliveries they cause).
 * Needs PostgreSQL and Redis as the tests do (TEST_DATABASE_URL / TEST_REDIS_URL or the local defaults).
 */
import { pathToFileURL } from 'node:url';
import type { Position } from '../src/domain/types.ts';
import { startScaleWorld, type ScaleWorldOptions } from '../test/helpers/scale-world.ts';

interface Row {
  name: string;
  circulationMs: number;
  throttled: { slack: number; teams: number };
  once: number;
  twice: number;
  never: number;
  positionsMs: number;
  positionsDeliveredMs: number;
}

async function measure(name: string, limits: Pick<ScaleWorldOptions, 'slackLimits' | 'teamsLimits'>): Promise<Row> {
  const w = await startScaleWorld({ label: `bench-scale-${name}`, members: 193, focalPoints: 600, ...limits });
  try {
    const t0 = performance.now();
    const state = await w.circulate();
    const done = await w.delivered(state.consultationId, 1_800_000);
    const circulationMs = (done.lastSentAt ? done.lastSentAt.getTime() : Date.now()) - (t0 + performance.timeOrigin);
    const per = [...w.requestsPerPerson(state.reference).values()];
    const throttled = w.throttled();
    const positions: Position[] = ['support', 'support', 'abstain', 'support', 'object'];
    const p0 = performance.now();
    await w.answerAll(state, (i) => positions[i % positions.length]!);
    const positionsMs = performance.now() - p0;
    await w.delivered(state.consultationId, 1_800_000);
    const positionsDeliveredMs = performance.now() - p0;
    return {
      name,
      circulationMs: Math.max(0, circulationMs),
      throttled,
      once: per.filter((n) => n === 1).length,
      twice: per.filter((n) => n > 1).length,
      never: per.filter((n) => n === 0).length,
      positionsMs,
      positionsDeliveredMs,
    };
  } finally {
    await w.dispose();
  }
}

export async function run(): Promise<void> {
  const rows: Row[] = [];
  rows.push(await measure('baseline (no limits)', { slackLimits: {}, teamsLimits: {} }));
  rows.push(await measure('platform limits', { slackLimits: { perChannel: 1, perMethod: { 'chat.postMessage': 50 } }, teamsLimits: { perConversation: 7, perApp: 30 } }));
  rows.push(await measure('tight limits', { slackLimits: { perMethod: { 'chat.postMessage': 20 } }, teamsLimits: { perConversation: 7, perApp: 5 } }));
  const base = rows[0]!;
  console.log('193 Member Countries, 600 focal points (1/3 Slack, 1/3 Teams, 1/3 both: reached on Slack)');
  console.log('run                  | circulation s | × baseline | 429 Slack | 429 Teams | once | twice+ | never | 193 positions s | + delivered s');
  for (const r of rows) {
    console.log(
      [
        r.name.padEnd(20),
        (r.circulationMs / 1000).toFixed(1).padStart(13),
        (r.circulationMs / base.circulationMs).toFixed(2).padStart(10),
        String(r.throttled.slack).padStart(9),
        String(r.throttled.teams).padStart(9),
        String(r.once).padStart(4),
        String(r.twice).padStart(6),
        String(r.never).padStart(5),
        (r.positionsMs / 1000).toFixed(1).padStart(15),
        (r.positionsDeliveredMs / 1000).toFixed(1).padStart(13),
      ].join(' | '),
    );
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
