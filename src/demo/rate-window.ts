/**
 * Rate limits as the platforms enforce them, for the local fakes (fake Slack API, fake Bot Connector):
 * at most `limit` calls per key in any sliding window of `windowMs` (default one second, so `limit` is
 * then "per second"); a call over it is refused with the whole seconds to wait before one fits again (the
 * 429's Retry-After). Refused calls do not count. A window longer than a second allows bursts: Slack's
 * Tier 3 (`chat.update`, "50+ a minute, sporadic bursts welcome") is `new RateWindow(50, Date.now, 60_000)`.
 *
 *   const w = new RateWindow(7);
 *   const wait = w.take('conversation:a:1');   // undefined: allowed; a number: seconds to wait
 */
export class RateWindow {
  private readonly seen = new Map<string, number[]>();
  constructor(
    readonly perSecond: number,
    private readonly now: () => number = Date.now,
    readonly windowMs = 1000,
  ) {
    if (!(perSecond > 0)) throw new RangeError('perSecond must be positive');
    if (!(windowMs > 0)) throw new RangeError('windowMs must be positive');
  }

  /** Counts a call for `key` and returns undefined, or refuses it and returns the Retry-After in seconds. */
  take(key: string): number | undefined {
    const t = this.now();
    const recent = (this.seen.get(key) ?? []).filter((at) => at > t - this.windowMs);
    if (recent.length >= this.perSecond) {
      this.seen.set(key, recent);
      return Math.max(1, Math.ceil((recent[0]! + this.windowMs - t) / 1000));
    }
    recent.push(t);
    this.seen.set(key, recent);
    return undefined;
  }
}
