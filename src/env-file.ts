/**
 * `.env` for `npm start` and `npx crm`: read from the current working directory by the bin entry points,
 * before the configuration is parsed (src/config.ts stays the only place that interprets variables).
 *
 * - No `.env`: nothing happens.
 * - A variable already set in the environment is never overridden, even when it is set to empty
 *   (`PORT= npm start` keeps the default even if `.env` names a port).
 * - The file is checked line by line first; a malformed line stops with one line naming the file and
 *   the line number (never its content, which may be a secret) and nothing is applied.
 *
 * Grammar (what Node's own `--env-file` reads, checked strictly): blank lines, `# comments`, and
 * `[export ]NAME=value` with NAME of letters, digits and `_`; a value in "double", 'single' or `back`
 * quotes may span lines and may be followed only by a comment; an unquoted value ends at ` #`.
 * The values themselves are parsed by Node's `util.parseEnv`, one entry at a time.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';

export interface DotEnvLoaded {
  path: string;
  /** Names set from the file. */
  applied: string[];
  /** Names in the file that the environment already set (kept as they were). */
  kept: string[];
}

export class DotEnvError extends Error {
  constructor(
    readonly path: string,
    readonly line: number,
    problem: string,
  ) {
    super(`${path} line ${line}: ${problem}`);
    this.name = 'DotEnvError';
  }
}

const ENTRY = /^(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_]*)[ \t]*=[ \t]*(.*)$/;
const QUOTES = new Set(['"', "'", '`']);

/** The file's entries, name → the raw `NAME=value` text (which may span lines); throws DotEnvError. */
export function splitDotEnv(text: string, path = '.env'): Map<string, string> {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const entries = new Map<string, string>();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = ENTRY.exec(line);
    if (!m) {
      const problem = /^[A-Za-z_][A-Za-z0-9_]*[ \t]*$/.test(line)
        ? 'expected NAME=value (a name without "=")'
        : /=/.test(line)
          ? 'expected NAME=value: a name is letters, digits and _ (and may follow "export ")'
          : 'expected NAME=value or a # comment';
      throw new DotEnvError(path, i + 1, problem);
    }
    const name = m[1]!;
    let value = m[2]!;
    const quote = value[0];
    if (quote && QUOTES.has(quote)) {
      const start = i;
      let rest = value.slice(1);
      let close = rest.indexOf(quote);
      while (close < 0 && i + 1 < lines.length) {
        i++;
        rest = lines[i]!.replace(/\r$/, '');
        value += `\n${rest}`;
        close = rest.indexOf(quote);
      }
      if (close < 0) throw new DotEnvError(path, start + 1, `the value of ${name} opens a ${quote} quote that is never closed`);
      const after = rest.slice(close + 1).trim();
      if (after !== '' && !after.startsWith('#')) {
        throw new DotEnvError(path, i + 1, `unexpected text after the closing ${quote} quote of ${name}`);
      }
    }
    entries.set(name, `${name}=${value}`);
  }
  return entries;
}

/** Name → value of a `.env` text; throws DotEnvError on the first malformed line. */
export function parseDotEnv(text: string, path = '.env'): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, raw] of splitDotEnv(text, path)) values[name] = parseEnv(raw)[name] ?? '';
  return values;
}

let last: DotEnvLoaded | undefined;

/** What the last `loadDotEnv` in this process applied, for the start-up log (names only, never values). */
export function loadedDotEnv(): DotEnvLoaded | undefined {
  return last;
}

/**
 * Reads `.env` in `cwd` into `env`, never overriding a variable `env` already has. Returns undefined
 * when there is no `.env`; throws DotEnvError (malformed) or an Error naming the file (unreadable).
 */
export function loadDotEnv(options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): DotEnvLoaded | undefined {
  const path = resolve(options.cwd ?? process.cwd(), '.env');
  const env = options.env ?? process.env;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw new Error(`${path}: cannot read the file (${code ?? 'error'})`, { cause: e });
  }
  const values = parseDotEnv(text, path);
  const applied: string[] = [];
  const kept: string[] = [];
  for (const [name, value] of Object.entries(values)) {
    if (env[name] !== undefined) {
      kept.push(name);
    } else {
      env[name] = value;
      applied.push(name);
    }
  }
  last = { path, applied, kept };
  return last;
}

/** For the bin entry points: load `.env`, or print one line and exit 1. */
export function loadDotEnvOrExit(prefix = 'crm'): void {
  try {
    loadDotEnv();
  } catch (e) {
    process.stderr.write(`${prefix}: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  }
}
