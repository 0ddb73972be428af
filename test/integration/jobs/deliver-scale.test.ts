/**
 * Circulation to a body of 193 Member Countries and 600 focal points (issue 14 part 3), delivered by the
 * real deliver worker (BullMQ on Redis, the per-scope pacing on PostgreSQL) through the Slack and Teams
 * notifiers to a local fake Slack API and a local fake Bot Connector that enforce rate limits the way the
 * platforms do (429 with Retry-After): every focal point gets the request exactly once on the platform they
 * are reached on, nothing goes dead, and the 429s were met (so the limits were really in play).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startScaleWorld, type ScaleWorld } from '../../helpers/scale-world.ts';

describe('circulation to 600 focal points under the platforms\' rate limits', () => {
  let w: ScaleWorld;
  beforeAll(async () => {
    // Limits below the platforms' own, so that both fakes do answer 429 (the bot's pacing keeps under
    // Teams' real 30 a second per app): Slack 20 posts a second, Teams 5 calls a second for the app.
    w = await startScaleWorld({ label: import.meta.url, members: 193, focalPoints: 600, slackLimits: { perMethod: { 'chat.postMessage': 20 } }, teamsLimits: { perConversation: 7, perApp: 5 } });
  }, 180_000);
  afterAll(async () => {
    await w?.dispose();
  }, 60_000);

  it('all 600 requests delivered, none twice, none lost, with 429s honoured on both platforms', async () => {
    const state = await w.circulate();
    const done = await w.delivered(state.consultationId);
    expect(done.dead).toBe(0);
    const perPerson = w.requestsPerPerson(state.reference);
    expect(perPerson.size).toBe(600);
    const wrong = [...perPerson].filter(([, n]) => n !== 1);
    expect(wrong, 'focal points who did not get exactly one request').toEqual([]);
    const throttled = w.throttled();
    expect(throttled.slack, 'the fake Slack API refused some calls (its limit was reached)').toBeGreaterThan(0);
    expect(throttled.teams, 'the fake Bot Connector refused some calls (its limit was reached)').toBeGreaterThan(0);
  }, 900_000);
});
