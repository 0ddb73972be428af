/** within and inOrderFor (src/interaction/pacing.ts). */
import { describe, expect, it } from 'vitest';
import { inOrderFor, within } from '../../../src/interaction/pacing.ts';

describe('within', () => {
  it('gives the value when the work is done in time, and says so when it is not', async () => {
    expect(await within(Promise.resolve(7), 1_000)).toEqual({ done: true, value: 7 });
    let release!: (v: number) => void;
    const slow = new Promise<number>((r) => (release = r));
    expect(await within(slow, 5)).toEqual({ done: false });
    release(1);
    expect(await slow).toBe(1);
  });

  it('throws a rejection that comes within the budget', async () => {
    await expect(within(Promise.reject(new Error('boom')), 1_000)).rejects.toThrow('boom');
  });
});

describe('inOrderFor', () => {
  it('runs one key\'s work in arrival order, even when an earlier piece is slower or fails', async () => {
    const order: string[] = [];
    let releaseFirst!: () => void;
    const first = inOrderFor('U1', () => new Promise<void>((r) => (releaseFirst = () => { order.push('first'); r(); })));
    const second = inOrderFor('U1', async () => {
      order.push('second');
      throw new Error('second fails');
    });
    const third = inOrderFor('U1', async () => order.push('third'));
    const other = inOrderFor('U2', async () => order.push('other key'));
    await other;
    expect(order).toEqual(['other key']);
    releaseFirst();
    await first;
    await expect(second).rejects.toThrow('second fails');
    await third;
    expect(order).toEqual(['other key', 'first', 'second', 'third']);
  });
});
