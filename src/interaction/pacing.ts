/**
 * Pacing the work a chat platform waits for: `within` (wait at most a budget, e.g. for Slack's 3-second ack
 * or a Teams invoke's answer) and `inOrderFor` (one person's interactions handled in the order they came).
 */

export type Within<T> = { done: true; value: T } | { done: false };

/** Waits for `work` at most `ms`. A rejection within the budget is thrown; later ones stay with `work`. */
export async function within<T>(work: Promise<T>, ms: number): Promise<Within<T>> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<Within<T>>((resolve) => {
    timer = setTimeout(() => resolve({ done: false }), ms);
  });
  try {
    return await Promise.race([work.then((value) => ({ done: true as const, value })), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs `work` after every earlier piece of work queued under the same key (per-process FIFO). */
const queues = new Map<string, Promise<unknown>>();
export function inOrderFor<T>(key: string, work: () => Promise<T>): Promise<T> {
  const previous = queues.get(key) ?? Promise.resolve();
  const run = previous.then(work, work);
  const tail = run.catch(() => undefined);
  queues.set(key, tail);
  void tail.then(() => {
    if (queues.get(key) === tail) queues.delete(key);
  });
  return run;
}
