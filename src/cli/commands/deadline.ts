/**
 * `crm deadline --start ISO_INSTANT [--days N] [--calendar secretariat|all-members|ISO2]`
 *
 * Prints one JSON object: deadline (ISO-8601 with the calendar's offset), calendar, timeZone, counted,
 * skipped, and, when some year touched has unverified holiday data, unverifiedYears and a warning.
 * Every argument is validated first; a bad one gives a one-line error naming it, and exit code 1.
 */
import { createBusinessCalendar, formatInZone, isVerifiedYear, MAX_BUSINESS_DAYS } from '../../calendar/index.ts';
import type { CalendarSetup } from '../../calendar/index.ts';
import { loadConfig } from '../../config.ts';
import type { Directory } from '../../directory/model.ts';
import { shown } from '../io.ts';

export interface DeadlineIo {
  out(line: string): void;
  err(line: string): void;
}

type DirectoryResult = { ok: true; directory: Directory; warnings: string[] } | { ok: false; problems: string[] };

export interface DeadlineDeps {
  /** Returns the directory to use (default: the configured file, via src/directory/load.ts). */
  loadDirectory?: () => Promise<DirectoryResult & { path?: string }>;
}

const USAGE = 'usage: crm deadline --start ISO_INSTANT [--days N] [--calendar secretariat|all-members|ISO2]';

/** An instant with an explicit offset or Z, e.g. 2026-11-27T15:00:00-06:00 or 2026-11-27T21:00Z. */
const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

export function parseInstant(text: string): Date | undefined {
  const m = ISO_INSTANT.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, off] = m;
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > new Date(Date.UTC(Number(y), month, 0)).getUTCDate()) return undefined;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s ?? 0) > 59) return undefined;
  if (off && off !== 'Z' && (Number(off.slice(1, 3)) > 23 || Number(off.slice(4, 6)) > 59)) return undefined;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

interface Parsed {
  start: Date;
  days: number;
  calendar: string;
}

function parseArgs(args: string[]): { ok: true; value: Parsed } | { ok: false; error: string } {
  const flags = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('--')) return { ok: false, error: `unexpected argument ${shown(arg)}` };
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    if (!['start', 'days', 'calendar'].includes(name)) return { ok: false, error: `unknown option ${shown(`--${name}`)}` };
    if (flags.has(name)) return { ok: false, error: `--${name}: given more than once` };
    let value: string | undefined;
    if (eq >= 0) value = arg.slice(eq + 1);
    else {
      value = args[i + 1];
      if (value === undefined || value.startsWith('--')) return { ok: false, error: `--${name}: missing value` };
      i++;
    }
    flags.set(name, value);
  }
  const startText = flags.get('start');
  if (startText === undefined) return { ok: false, error: '--start: required (an ISO-8601 instant with offset, e.g. 2026-11-27T15:00:00-06:00)' };
  const start = parseInstant(startText);
  if (!start) {
    return { ok: false, error: `--start: ${shown(startText)} is not an ISO-8601 instant with an explicit offset or Z (e.g. 2026-11-27T15:00:00-06:00)` };
  }
  const daysText = flags.get('days') ?? '5';
  if (!/^\d+$/.test(daysText) || Number(daysText) < 1 || Number(daysText) > MAX_BUSINESS_DAYS) {
    return { ok: false, error: `--days: ${shown(daysText)} must be an integer from 1 to ${MAX_BUSINESS_DAYS}` };
  }
  const calendar = flags.get('calendar') ?? 'secretariat';
  if (calendar !== 'secretariat' && calendar !== 'all-members' && !/^[A-Za-z]{2}$/.test(calendar)) {
    return { ok: false, error: `--calendar: ${shown(calendar)} must be secretariat, all-members or an ISO2 country code` };
  }
  return { ok: true, value: { start, days: Number(daysText), calendar } };
}

async function defaultLoadDirectory(): Promise<DirectoryResult & { path?: string }> {
  const config = loadConfig();
  const { loadDirectoryFile } = await import('../../directory/load.ts');
  const result = await loadDirectoryFile(config.directoryPath);
  return { ...result, path: config.directoryPath };
}

export async function run(args: string[], io: DeadlineIo, deps: DeadlineDeps = {}): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.out(USAGE);
    return 0;
  }
  const parsed = parseArgs(args);
  if (!parsed.ok) {
    io.err(`crm deadline: ${parsed.error}`);
    return 1;
  }
  const { start, days, calendar } = parsed.value;

  let loaded: DirectoryResult & { path?: string };
  try {
    loaded = await (deps.loadDirectory ?? defaultLoadDirectory)();
  } catch (e) {
    io.err(`crm deadline: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
  if (!loaded.ok) {
    io.err(`crm deadline: the directory${loaded.path ? ` ${loaded.path}` : ''} is invalid:`);
    for (const p of loaded.problems) io.err(`  ${p}`);
    return 1;
  }
  const directory = loaded.directory;
  const setup: CalendarSetup = directory;

  if (/^[A-Za-z]{2}$/.test(calendar)) {
    const code = calendar.toUpperCase();
    if (!directory.countries.some((c) => c.code.toUpperCase() === code)) {
      io.err(`crm deadline: --calendar: ${shown(calendar)} is not a country in the directory (known: ${directory.countries.map((c) => c.code).join(', ')})`);
      return 1;
    }
  }

  let result;
  let cal;
  try {
    cal = createBusinessCalendar(calendar, setup);
    result = cal.deadlineAfter(start, days);
  } catch (e) {
    io.err(`crm deadline: --calendar: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }

  const output: Record<string, unknown> = {
    deadline: formatInZone(result.deadline, result.timeZone),
    calendar: cal.policy,
    timeZone: result.timeZone,
    counted: result.counted,
    skipped: result.skipped,
  };
  if (result.unverifiedYears.length > 0) {
    output.unverifiedYears = result.unverifiedYears;
    const which = cal.calendars.filter((c) => result.unverifiedYears.some((y) => !isVerifiedYear(c, y)));
    output.warning = `holiday data not verified for ${result.unverifiedYears.join(', ')} (${which.join(', ')}): check the deadline against the official calendars, or add missing days to the directory's holidays list`;
  }
  io.out(JSON.stringify(output, null, 2));
  return 0;
}
