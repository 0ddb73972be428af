/**
 * The `/crm` command catalogue, shared by Slack and (later) Teams: what a person may type after `/crm`,
 * Spanish first with an English alias, parsed into a platform-neutral command. Parsing never throws and
 * never touches the database: anything it does not understand becomes `help` (with the problem named when
 * there is one), so a typo always shows the person what they can do.
 *
 *   parseCommand('estado CRM-2026-003')   → { name: 'status', reference: 'CRM-2026-003' }
 *   parseCommand('deadline 3')            → { name: 'deadline', days: 3 }
 *   parseCommand('retirar')               → { name: 'help', problem: { kind: 'missing_reference', command: 'withdraw' } }
 *   parseCommand('hola')                  → { name: 'help', problem: { kind: 'unknown', word: 'hola' } }
 *
 * Words are matched case-insensitively and without accents (`prórroga`, `PLAZO` work); references are
 * upper-cased (`crm-2026-003` → `CRM-2026-003`).
 */
import { LIMITS } from '../domain/types.ts';

export type CommandName = 'consult' | 'status' | 'list' | 'deadline' | 'help' | 'revise' | 'extend' | 'withdraw' | 'meeting' | 'meetings' | 'duties';

/** Spanish word first, English alias second (interfaces.md "Slack"); extra accepted spellings after. */
export const COMMAND_WORDS: Readonly<Record<CommandName, readonly [es: string, en: string, ...more: string[]]>> = {
  consult: ['consulta', 'consult', 'nueva', 'new'],
  status: ['estado', 'status'],
  list: ['lista', 'list'],
  deadline: ['plazo', 'deadline'],
  help: ['ayuda', 'help', '?', '-h', '--help'],
  revise: ['revisar', 'revise'],
  extend: ['prorrogar', 'extend', 'prorroga'],
  withdraw: ['retirar', 'withdraw'],
  // Meetings (interfaces.md "Meetings"): the new-meeting form, the upcoming meetings, what is due.
  meeting: ['reunion', 'meeting'],
  meetings: ['reuniones', 'meetings'],
  duties: ['pendientes', 'duties'],
};

/** Commands that need a consultation reference. */
const NEEDS_REFERENCE: ReadonlySet<CommandName> = new Set(['revise', 'extend', 'withdraw']);

export type CommandProblem =
  | { kind: 'unknown'; word: string }
  | { kind: 'missing_reference'; command: CommandName }
  | { kind: 'invalid_reference'; command: CommandName; given: string }
  | { kind: 'invalid_days'; given: string }
  | { kind: 'extra_arguments'; command: CommandName };

export type ParsedCommand =
  | { name: 'consult' }
  | { name: 'status'; reference?: string }
  | { name: 'list' }
  | { name: 'meeting' | 'meetings' | 'duties' }
  | { name: 'deadline'; days?: number }
  | { name: 'revise' | 'extend' | 'withdraw'; reference: string }
  | { name: 'help'; problem?: CommandProblem };

/** CRM-2026-003 (the store's format); more digits allowed after the year for a busy year. */
export const REFERENCE_PATTERN = /^CRM-\d{4}-\d{3,6}$/;

/** Lower case, accents removed, for matching words. */
export function normalizeWord(word: string): string {
  return word.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

const byWord = new Map<string, CommandName>();
for (const [name, words] of Object.entries(COMMAND_WORDS) as [CommandName, readonly string[]][]) {
  for (const w of words) byWord.set(normalizeWord(w), name);
}

/** The command a word names, or undefined. */
export function commandOf(word: string): CommandName | undefined {
  return byWord.get(normalizeWord(word));
}

/** A consultation reference as typed (`crm-2026-3` is not accepted: the number has three digits at least). */
export function parseReference(text: string): string | undefined {
  const ref = text.trim().toUpperCase();
  return REFERENCE_PATTERN.test(ref) ? ref : undefined;
}

/** Longest text accepted after `/crm` before it is treated as nonsense (Slack allows far more). */
const MAX_INPUT = 500;

/** At most `n` characters (code points) of `s`: a character is never cut in two. */
const head = (s: string, n: number): string => [...s.slice(0, 2 * n)].slice(0, n).join('');

export function parseCommand(input: string): ParsedCommand {
  const text = head(typeof input === 'string' ? input : '', MAX_INPUT).trim();
  const [first, ...rest] = text.split(/\s+/).filter(Boolean);
  if (first === undefined) return { name: 'help' };
  const name = commandOf(first);
  if (!name) return { name: 'help', problem: { kind: 'unknown', word: head(first, 40) } };

  switch (name) {
    case 'consult':
    case 'list':
    case 'meeting':
    case 'meetings':
    case 'duties':
    case 'help':
      if (rest.length > 0 && name !== 'help') return { name: 'help', problem: { kind: 'extra_arguments', command: name } };
      return { name } as ParsedCommand;
    case 'status': {
      if (rest.length === 0) return { name: 'status' };
      if (rest.length > 1) return { name: 'help', problem: { kind: 'extra_arguments', command: name } };
      const reference = parseReference(rest[0]!);
      if (!reference) return { name: 'help', problem: { kind: 'invalid_reference', command: name, given: head(rest[0]!, 40) } };
      return { name: 'status', reference };
    }
    case 'deadline': {
      if (rest.length === 0) return { name: 'deadline' };
      if (rest.length > 1) return { name: 'help', problem: { kind: 'extra_arguments', command: name } };
      const given = rest[0]!;
      const days = /^\d{1,3}$/.test(given) ? Number(given) : NaN;
      if (!(days >= LIMITS.daysMin && days <= LIMITS.daysMax)) return { name: 'help', problem: { kind: 'invalid_days', given: head(given, 40) } };
      return { name: 'deadline', days };
    }
    default: {
      // revise, extend, withdraw
      if (!NEEDS_REFERENCE.has(name)) return { name: 'help' };
      if (rest.length === 0) return { name: 'help', problem: { kind: 'missing_reference', command: name } };
      if (rest.length > 1) return { name: 'help', problem: { kind: 'extra_arguments', command: name } };
      const reference = parseReference(rest[0]!);
      if (!reference) return { name: 'help', problem: { kind: 'invalid_reference', command: name, given: head(rest[0]!, 40) } };
      return { name: name as 'revise' | 'extend' | 'withdraw', reference };
    }
  }
}
