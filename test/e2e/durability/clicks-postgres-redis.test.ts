/** Acknowledged clicks survive SIGTERM and SIGKILL on PostgreSQL (DATABASE_URL) with BullMQ on Redis (REDIS_URL). See ./harness.ts. */
import { afterEach, describe, it } from 'vitest';
import { durabilityScenario, type Scenario } from './harness.ts';

let scenario: Scenario | undefined;
afterEach(async () => {
  await scenario?.cleanup();
});

describe('PostgreSQL + Redis: every acknowledged click is recorded exactly once after a restart', () => {
  it('clicks, then SIGTERM (and a second SIGTERM during the drain)', { timeout: 300_000 }, async () => {
    scenario = await durabilityScenario(import.meta.url, 'postgres+redis');
    await scenario.run('SIGTERM');
  });

  it('clicks, then SIGKILL right after the acks', { timeout: 300_000 }, async () => {
    scenario = await durabilityScenario(import.meta.url, 'postgres+redis');
    await scenario.run('SIGKILL');
  });
});
