/**
 * Signals → one graceful stop: the first signal starts it, every later one (a second SIGTERM from an
 * impatient orchestrator, a double Ctrl-C) is logged and ignored so the drain is never cut mid-write; the
 * process exits 0 only once the stop has finished, 1 when it failed or outlasted its limit.
 */
import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { stopOnSignals } from '../../../src/app/shutdown.ts';
import { createLogger } from '../../../src/log.ts';

function world(stopImpl?: () => Promise<void>) {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const l of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(l) as Record<string, unknown>);
      cb();
    },
  });
  const logger = createLogger('info', { destination });
  const source = new EventEmitter();
  const exits: number[] = [];
  let calls = 0;
  let finishStop!: () => void;
  let failStop!: (e: Error) => void;
  const stop = () => {
    calls++;
    return stopImpl ? stopImpl() : new Promise<void>((resolve, reject) => ((finishStop = resolve), (failStop = reject)));
  };
  return {
    lines,
    source,
    exits,
    stop,
    calls: () => calls,
    finish: () => finishStop(),
    fail: (e: Error) => failStop(e),
    logger,
    emit: (s: NodeJS.Signals) => source.emit(s, s),
  };
}

describe('stopOnSignals', () => {
  it('a second and third signal during the stop are logged and ignored; it exits 0 once, when the stop is done', async () => {
    const w = world();
    const handling = stopOnSignals(w.source, w.stop, { logger: w.logger, exit: (c) => w.exits.push(c) });
    w.emit('SIGTERM');
    w.emit('SIGTERM');
    w.emit('SIGINT');
    expect(w.calls()).toBe(1);
    expect(w.exits).toEqual([]); // the stop is still running: nothing may end the process
    expect(handling.received).toEqual(['SIGTERM', 'SIGTERM', 'SIGINT']);
    const ignored = w.lines.filter((l) => String(l.msg).includes('ignored'));
    expect(ignored.map((l) => l.signal)).toEqual(['SIGTERM', 'SIGINT']);
    expect(ignored[0]).toMatchObject({ level: 'warn' });

    w.finish();
    expect(await handling.done).toBe(0);
    expect(w.exits).toEqual([0]);
    w.emit('SIGTERM'); // after the stop: still nothing new
    expect(w.calls()).toBe(1);
    expect(w.exits).toEqual([0]);
  });

  it('exits 1 when the stop fails, and logs why', async () => {
    const w = world();
    const handling = stopOnSignals(w.source, w.stop, { logger: w.logger, exit: (c) => w.exits.push(c) });
    w.emit('SIGINT');
    w.fail(new Error('database close failed'));
    expect(await handling.done).toBe(1);
    expect(w.exits).toEqual([1]);
    expect(w.lines.some((l) => l.msg === 'shutdown failed' && l.level === 'error')).toBe(true);
  });

  it('exits 1 when the stop outlasts its limit', async () => {
    const w = world(() => new Promise<void>(() => undefined)); // never ends
    const handling = stopOnSignals(w.source, w.stop, { logger: w.logger, exit: (c) => w.exits.push(c), forceAfterMs: 50 });
    w.emit('SIGTERM');
    expect(await handling.done).toBe(1);
    expect(w.exits).toEqual([1]);
    expect(w.lines.some((l) => String(l.msg).startsWith('shutdown is taking too long'))).toBe(true);
  });

  it('counts the limit from the end of the start, when a signal comes while starting', async () => {
    vi.useFakeTimers();
    try {
      let started!: () => void;
      const ready = new Promise<void>((r) => (started = r));
      const w = world(() => new Promise<void>(() => undefined)); // a stop that never ends
      const handling = stopOnSignals(w.source, w.stop, { logger: w.logger, exit: (c) => w.exits.push(c), forceAfterMs: 1_000, ready });
      w.emit('SIGTERM');
      await vi.advanceTimersByTimeAsync(10_000); // a slow start: no limit runs yet
      expect(w.exits).toEqual([]);
      started();
      await vi.advanceTimersByTimeAsync(999);
      expect(w.exits).toEqual([]);
      await vi.advanceTimersByTimeAsync(1);
      expect(await handling.done).toBe(1);
      expect(w.exits).toEqual([1]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('listens to the signals it is given only', () => {
    const w = world(() => Promise.resolve());
    stopOnSignals(w.source, w.stop, { logger: w.logger, exit: (c) => w.exits.push(c), signals: ['SIGTERM'] });
    w.emit('SIGINT');
    expect(w.calls()).toBe(0);
  });
});
