import { describe, expect, it } from 'vitest';
import { RateWindow } from '../../../src/demo/rate-window.ts';

describe('RateWindow (the fakes\' rate limits)', () => {
  it('allows perSecond calls per key in any sliding second, then answers the seconds to wait; refusals do not count', () => {
    let now = 10_000;
    const w = new RateWindow(3, () => now);
    expect([w.take('a'), w.take('a'), w.take('a')]).toEqual([undefined, undefined, undefined]);
    expect(w.take('a')).toBe(1);
    expect(w.take('b'), 'another key has its own window').toBeUndefined();
    now += 999;
    expect(w.take('a')).toBe(1);
    now += 1; // the first three are now a second old
    expect([w.take('a'), w.take('a'), w.take('a')]).toEqual([undefined, undefined, undefined]);
    expect(w.take('a')).toBe(1);
  });

  it('refuses a limit that is not positive', () => {
    expect(() => new RateWindow(0)).toThrow(RangeError);
  });
});
