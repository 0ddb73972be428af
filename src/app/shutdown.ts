/**
 * Signals → one graceful stop. The first SIGTERM or SIGINT starts `stop()` and exits 0 when it is done (1
 * when it failed). Every later signal is logged and ignored: a second SIGTERM during the drain (an impatient
 * orchestrator, a double Ctrl-C) must not kill the process in the middle of a write. Only a stop that
 * outlasts `forceAfterMs` (counted once the start is done) ends the process early (exit 1); what was in
 * flight then is still in the inbox.
 * SIGKILL remains the way to end it at once.
 */
import type { Logger } from '../log.ts';

export interface SignalSource {
  on(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
}

export interface StopOnSignalsOptions {
  logger: Logger;
  /** process.exit in production. */
  exit: (code: number) => void;
  signals?: readonly NodeJS.Signals[];
  /** Ends the process (exit 1) when the stop takes longer than this; none when unset. */
  forceAfterMs?: number;
  /**
   * The start, when signals are handled before it is done: `forceAfterMs` then counts from when it settles,
   * so a slow start is never cut short (the stop waits for it anyway).
   */
  ready?: Promise<unknown>;
}

export interface SignalHandling {
  /** Signals received so far, in order. */
  readonly received: NodeJS.Signals[];
  /** Resolves with the exit code once the stop has finished (never, before a signal). */
  readonly done: Promise<number>;
}

export function stopOnSignals(source: SignalSource, stop: () => Promise<void>, options: StopOnSignalsOptions): SignalHandling {
  const { logger, exit } = options;
  const received: NodeJS.Signals[] = [];
  let settle!: (code: number) => void;
  const done = new Promise<number>((resolve) => (settle = resolve));
  let stopping = false;

  const finish = (code: number, force?: NodeJS.Timeout) => {
    clearTimeout(force);
    settle(code);
    exit(code);
  };

  const onSignal = (signal: NodeJS.Signals) => {
    received.push(signal);
    if (stopping) {
      logger.warn({ signal, count: received.length }, 'signal received while shutting down: ignored, the drain goes on (SIGKILL ends the process at once)');
      return;
    }
    stopping = true;
    logger.info({ signal }, 'signal received: shutting down');
    let force: NodeJS.Timeout | undefined;
    let ended = false;
    const arm = () => {
      if (options.forceAfterMs === undefined || ended) return;
      force = setTimeout(() => {
        logger.error({ afterMs: options.forceAfterMs }, 'shutdown is taking too long: exiting now; unfinished requests stay in the inbox');
        finish(1);
      }, options.forceAfterMs);
      force.unref();
    };
    if (options.ready) void options.ready.then(arm, arm);
    else arm();
    stop().then(
      () => {
        ended = true;
        finish(0, force);
      },
      (err: unknown) => {
        ended = true;
        logger.error({ err }, 'shutdown failed');
        finish(1, force);
      },
    );
  };
  for (const s of options.signals ?? ['SIGTERM', 'SIGINT']) source.on(s, onSignal);
  return { received, done };
}
