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

export type CommandName =
  | 'consult'
  | 'status'
  | 'list'
  | 'deadline'
  | 'help'
  | 'revise'
  | 'extend'
  | 'withdraw'
  | 'meeting'
  | 'meetings'
  | 'duties'
  | 'observers'
  | 'observer';

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
  // Observer applications (the chat twin of `crm observers`): the cases, and one step of a case.
  observers: ['observadores', 'observers'],
  observer: ['observador', 'observer'],
};

/** A step of an observer application typed in a chat (`observador OBS-2026-001 presentar MTG-2026-003`). */
export type ObserverStepCommand =
  | { type: 'apply'; applicant: { kind: 'country' | 'organization'; code: string; name: string } }
  | { type: 'present'; id: string; meeting: string }
  | { type: 'decide'; id: string; meeting: string; outcome: 'admitted' | 'rejected' }
  | { type: 'withdraw'; id: string };

/** The words of each step, Spanish first (matched without accents, any case). */
export const OBSERVER_STEP_WORDS = {
  apply: ['solicitud', 'apply', 'nueva', 'new'],
  present: ['presentar', 'present', 'presentada', 'presented'],
  decide: ['decidir', 'decide'],
  withdraw: ['retirar', 'withdraw', 'retirada', 'withdrawn'],
  admitted: ['admitida', 'admitido', 'admitir', 'admitted', 'admit'],
  rejected: ['rechazada', 'rechazado', 'rechazar', 'rejected', 'reject'],
} as const;

export const OBSERVER_CASE_PATTERN = /^OBS-\d{4}-\d{3,6}$/;
export const MEETING_REFERENCE_PATTERN = /^MTG-\d{4}-\d{3,6}$/;

/** Commands that need a consultation reference. */
const NEEDS_REFERENCE: ReadonlySet<CommandName> = new Set(['revise', 'extend', 'withdraw']);

export type CommandProblem =
  | { kind: 'unknown'; word: string }
  | { kind: 'missing_reference'; command: CommandName }
  | { kind: 'invalid_reference'; command: CommandName; given: string }
  | { kind: 'invalid_days'; given: string }
  | { kind: 'extra_arguments'; command: CommandName }
  /** `observador …` that is not one of its forms: the forms are shown. */
  | { kind: 'observer_usage' };

export type ParsedCommand =
  | { name: 'consult' }
  | { name: 'status'; reference?: string }
  | { name: 'list' }
  | { name: 'meeting' | 'meetings' | 'duties' | 'observers' }
  | { name: 'observer'; step: ObserverStepCommand }
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
    case 'observers':
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
    case 'observer': {
      const step = parseObserverStep(rest);
      return step ? { name: 'observer', step } : { name: 'help', problem: { kind: 'observer_usage' } };
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

const isWord = (word: string | undefined, words: readonly string[]): boolean => word !== undefined && words.includes(normalizeWord(word));

/**
 * `solicitud ISO2|CODE NAME…`, `OBS-… presentar MTG-…`, `OBS-… decidir MTG-… admitida|rechazada`,
 * `OBS-… retirar` (and the English words). Undefined when it is none of these.
 */
export function parseObserverStep(args: readonly string[]): ObserverStepCommand | undefined {
  const [first, second, third, fourth, ...more] = args;
  if (isWord(first, OBSERVER_STEP_WORDS.apply)) {
    const code = second ?? '';
    const name = head(args.slice(2).join(' '), 120).trim();
    if (!/^[A-Za-z][A-Za-z0-9-]{1,19}$/.test(code) || !name) return undefined;
    // Two letters name a country (ISO 3166-1 alpha-2); anything else an organisation's code.
    const kind = /^[A-Za-z]{2}$/.test(code) ? 'country' : 'organization';
    return { type: 'apply', applicant: { kind, code: code.toUpperCase(), name } };
  }
  const id = (first ?? '').toUpperCase();
  if (!OBSERVER_CASE_PATTERN.test(id)) return undefined;
  const meeting = (third ?? '').toUpperCase();
  if (isWord(second, OBSERVER_STEP_WORDS.withdraw) && third === undefined) return { type: 'withdraw', id };
  if (isWord(second, OBSERVER_STEP_WORDS.present) && MEETING_REFERENCE_PATTERN.test(meeting) && fourth === undefined) return { type: 'present', id, meeting };
  if (isWord(second, OBSERVER_STEP_WORDS.decide) && MEETING_REFERENCE_PATTERN.test(meeting) && more.length === 0) {
    if (isWord(fourth, OBSERVER_STEP_WORDS.admitted)) return { type: 'decide', id, meeting, outcome: 'admitted' };
    if (isWord(fourth, OBSERVER_STEP_WORDS.rejected)) return { type: 'decide', id, meeting, outcome: 'rejected' };
  }
  return undefined;
}
