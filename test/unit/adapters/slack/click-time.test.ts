import { describe, expect, it } from 'vitest';
import { clickTimeMs } from '../../../../src/adapters/slack/listeners/actions.ts';

describe('clickTimeMs (the click time carried with the response URL)', () => {
  const now = Date.UTC(2026, 0, 1, 12, 0, 0);

  it('is the action_ts of the click, not the time the listener ran (an inbox replay an hour later)', () => {
    const clicked = now - 60 * 60_000;
    expect(clickTimeMs(`${clicked / 1000}.000000`, now)).toBe(clicked);
    expect(clickTimeMs('1767265200.123456', now)).toBe(1767265200123);
  });

  it('falls back to now when action_ts is absent, malformed or in the future', () => {
    for (const bad of [undefined, '', 'abc', '12e5', '-1', '1.2.3', ' 1767268800', 1767268800, `${(now + 60_000) / 1000}`]) {
      expect(clickTimeMs(bad, now)).toBe(now);
    }
  });
});
