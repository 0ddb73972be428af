/**
 * What every fuzz file shares: the seed and run counts, a log that remembers errors, and the checks that
 * hold for any input (no internal error reached anyone, nothing polluted the prototypes).
 *
 *   npx vitest run test/fuzz                     the suite's run: a fixed seed, so CI sees the same cases every time
 *   FUZZ_SEED=random npx vitest run test/fuzz    a fresh seed (exploring; the seed is printed on any failure)
 *   FUZZ_SEED=1234 npx vitest run test/fuzz      replay one run
 *   FUZZ_SCALE=10 npx vitest run test/fuzz       ten times the cases (default 1: the suite's budget)
 *
 * Each property stops after PROPERTY_BUDGET_MS on a slow machine (counted, not failed), inside the test's timeout.
 */
import fc from 'fast-check';
import { createLogger, type Logger } from '../../src/log.ts';

/** The suite's seed: the same cases on every run, so a failure in CI is a bug, never bad luck. */
const DEFAULT_SEED = 20261201;
const seedText = process.env['FUZZ_SEED']?.trim() ?? '';
const seedFromEnv = Number(seedText);
/** One seed per run of a file: FUZZ_SEED (a number, or `random`), else DEFAULT_SEED. */
export const SEED =
  seedText === 'random' ? Math.floor(Math.random() * 2 ** 31) : seedText !== '' && Number.isSafeInteger(seedFromEnv) ? seedFromEnv : DEFAULT_SEED;
/** Wall-clock budget of one property (the tests' timeout is 60 s). */
const PROPERTY_BUDGET_MS = 40_000;
const scaleFromEnv = Number(process.env['FUZZ_SCALE']);
export const SCALE = Number.isFinite(scaleFromEnv) && scaleFromEnv > 0 ? scaleFromEnv : 1;

/** `n` cases, times FUZZ_SCALE. */
export const runs = (n: number): number => Math.max(1, Math.round(n * SCALE));

/** Cases actually run, by property name (reported at the end of each file). */
export const counted = new Map<string, number>();

/**
 * fc.assert with the run's seed; a failure names the seed to replay it. `name` labels the count.
 * Shrinking is kept (a smaller failing input is worth the wait), but bounded in time.
 */
export async function check<T>(name: string, arb: fc.Arbitrary<T>, predicate: (value: T) => Promise<void> | void, numRuns: number): Promise<void> {
  let n = 0;
  const property = fc.asyncProperty(arb, async (value) => {
    n += 1;
    await predicate(value);
  });
  try {
    await fc.assert(property, { seed: SEED, numRuns, interruptAfterTimeLimit: PROPERTY_BUDGET_MS, markInterruptAsFailure: false });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    throw new Error(`[${name}] failed with FUZZ_SEED=${SEED} (replay: FUZZ_SEED=${SEED} npx vitest run test/fuzz)\n${message}`, { cause: e });
  } finally {
    counted.set(name, (counted.get(name) ?? 0) + n);
  }
}

/** How the cases ended, by property and outcome (so a run shows it reached the valid paths too). */
const outcomes = new Map<string, Map<string, number>>();
export function tally(name: string, outcome: string): void {
  const m = outcomes.get(name) ?? new Map<string, number>();
  m.set(outcome, (m.get(outcome) ?? 0) + 1);
  outcomes.set(name, m);
}

/** One line for the file's report: every property, how many cases it ran and how they ended. */
export function report(file: string): string {
  const total = [...counted.values()].reduce((a, b) => a + b, 0);
  const per = [...counted].map(([k, v]) => {
    const o = outcomes.get(k);
    return `${k} ${v}${o ? ` [${[...o].map(([x, n]) => `${x} ${n}`).join(', ')}]` : ''}`;
  });
  return `[fuzz] ${file}: ${total} cases (${per.join('; ')}), FUZZ_SEED=${SEED}`;
}

export interface CapturedLog {
  logger: Logger;
  /** Lines at level error or fatal (parsed), since the start or the last `reset()`. */
  errors(): Record<string, unknown>[];
  reset(): void;
}

/** A logger at `warn` that keeps its error lines: an error logged is an unexpected failure, a bug. */
export function capturedLog(): CapturedLog {
  let errors: Record<string, unknown>[] = [];
  const logger = createLogger('warn', {
    destination: {
      write(line: string) {
        try {
          const parsed = JSON.parse(line) as Record<string, unknown>;
          if (parsed.level === 'error' || parsed.level === 'fatal') errors.push(parsed);
        } catch {
          errors.push({ level: 'unparsable', line });
        }
      },
    },
  });
  return {
    logger,
    errors: () => errors,
    reset: () => {
      errors = [];
    },
  };
}

const baseline = new Map<object, string[]>(
  [Object.prototype, Array.prototype, Function.prototype, String.prototype].map((p) => [p, Reflect.ownKeys(p).map(String).sort()]),
);
const names = new Map<object, string>([[Object.prototype, 'Object'], [Array.prototype, 'Array'], [Function.prototype, 'Function'], [String.prototype, 'String']]);

/** Nothing any input did may leave a property on Object.prototype, Array.prototype, … (prototype pollution). */
export function prototypesClean(): string[] {
  const polluted: string[] = [];
  for (const [proto, keys] of baseline) {
    for (const key of Reflect.ownKeys(proto).map(String)) if (!keys.includes(key)) polluted.push(`${names.get(proto)}.prototype.${key}`);
  }
  return polluted;
}

// ----------------------------------------------------------------------------------------- generators

/** Strings that break things: empty, blank, control and invisible characters, markup, injections, huge. */
export const NASTY_STRINGS = [
  '',
  ' ',
  '\t\n\r',
  '\u0000',
  '\u00a0',
  '\u200b\u200d\ufeff',
  '\u202e‮reversed',
  'null',
  'undefined',
  'NaN',
  'Infinity',
  '-0',
  '1e999',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '{}',
  '[]',
  '{"__proto__":{"polluted":1}}',
  '{"constructor":{"prototype":{"polluted":1}}}',
  "'; DROP TABLE consultations; --",
  '<script>alert(1)</script>',
  '*negrita* _cursiva_ ~tachado~ `código` <!channel> <!here> <@U0ST0000001> <#C0ST000001>',
  '&amp; &lt; &gt;',
  '%00%0a%25',
  '../../etc/passwd',
  'Ñandú ÁÉÍÓÚ ü ¿¡',
  '👩🏽‍💻🇨🇷🇲🇽',
  'e\u0301\u0301\u0301',
  '\ud800',
  'x'.repeat(201),
  'y'.repeat(2001),
  'z'.repeat(3001),
];

export const nastyString = (): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
    { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
    { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 25_000 }).map((n) => 'a'.repeat(n)) },
  );

/** Any JSON value, including the prototype-pollution keys. */
export const jsonGarbage = (): fc.Arbitrary<unknown> =>
  fc.oneof(
    fc.jsonValue({ maxDepth: 3 }),
    fc.constantFrom<unknown>(null, [], {}, 0, -1, 1.5, true, '', 'x'),
    fc.dictionary(fc.constantFrom('__proto__', 'constructor', 'prototype', 'c', 'v', 'k', 'r'), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
  );

/** A JSON text with a prototype-pollution key, as an attacker would write it (JSON.stringify cannot). */
export const pollutionJson = (): fc.Arbitrary<string> =>
  fc.constantFrom(
    '{"__proto__":{"polluted":1,"c":"x","v":"y"}}',
    '{"c":"x","v":"y","__proto__":{"polluted":1}}',
    '{"constructor":{"prototype":{"polluted":1}}}',
    '{"k":"changes","c":"x","v":"y","__proto__":{"polluted":1}}',
    '{"c":"x","r":"CRM-2026-001","__proto__":{"isStaff":true}}',
    '[{"__proto__":{"polluted":1}}]',
  );
