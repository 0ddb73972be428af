/**
 * Rate limits as the platforms enforce them, for the local fakes (fake Slack API, fake Bot Connector):
 * at most `perSecond` calls per key in any sliding second; a call over it is refused with the whole seconds
 * to wait before one fits again (the 429's Retry-After). Refused calls do not count.
 *
 *   const w = new RateWindow(7);
 *   const wait = w.take('conversation:a:1');   // undefined: allowed; a number: seconds to wait
 */
export class RateWindow {
  private readonly seen = new Map<string, number[]>();
  constructor(
    readonly perSecond: number,
    private readonly now: () => number = Date.now,
  ) {
    if (!(perSecond > 0)) throw new RangeError('perSecond must be positive');
  }

  /** Counts a call for `key` and returns undefined, or refuses it and returns the Retry-After in seconds. */
  take(key: string): number | undefined {
    const t = this.now();
    const recent = (this.seen.get(key) ?? []).filter((at) => at > t - 1000);
    if (recent.length >= this.perSecond) {
      this.seen.set(key, recent);
      return Math.max(1, Math.ceil((recent[0]! + 1000 - t) / 1000));
    }
    recent.push(t);
    this.seen.set(key, recent);
    return undefined;
  }
}
