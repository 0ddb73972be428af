/**
 * The help of `/crm`, in the person's language: one line per command, the person's language's word first
 * and the other language's alias in parentheses (`/crm estado [REF] (status)`), and, when the help answers
 * a mistake, what was wrong first.
 */
import type { Locale } from '../directory/model.ts';
import { LIMITS } from '../domain/types.ts';
import { t } from '../i18n/index.ts';
import { COMMAND_WORDS, type CommandName, type CommandProblem } from './catalogue.ts';

const ARGS: Partial<Record<CommandName, string>> = {
  status: '[REF]',
  deadline: '[N]',
  revise: 'REF',
  extend: 'REF',
  withdraw: 'REF',
};

export const HELP_ORDER: readonly CommandName[] = ['consult', 'status', 'list', 'deadline', 'revise', 'extend', 'withdraw', 'meeting', 'meetings', 'duties', 'observers', 'observer', 'help'];

/** `/crm estado [REF]` in Spanish, `/crm status [REF]` in English. */
export function usage(name: CommandName, locale: Locale, slash = '/crm'): string {
  const [es, en] = COMMAND_WORDS[name];
  const args = ARGS[name];
  return `${slash} ${locale === 'en' ? en : es}${args ? ` ${args}` : ''}`;
}

/** The usage with the other language's word as an alias: `/crm estado [REF] (status)`. */
function usageWithAlias(name: CommandName, locale: Locale, slash: string): string {
  const [es, en] = COMMAND_WORDS[name];
  return `${usage(name, locale, slash)} (${locale === 'en' ? es : en})`;
}

export function problemText(problem: CommandProblem, locale: Locale, slash = '/crm'): string {
  switch (problem.kind) {
    case 'unknown':
      return t(locale, 'help.problem.unknown', { word: problem.word });
    case 'missing_reference':
      return t(locale, 'help.problem.missing_reference', { usage: usage(problem.command, locale, slash) });
    case 'invalid_reference':
      return t(locale, 'help.problem.invalid_reference', { given: problem.given, usage: usage(problem.command, locale, slash) });
    case 'invalid_days':
      return t(locale, 'help.problem.invalid_days', { given: problem.given, min: LIMITS.daysMin, max: LIMITS.daysMax });
    case 'extra_arguments':
      return t(locale, 'help.problem.extra_arguments', { usage: usage(problem.command, locale, slash) });
    case 'observer_usage':
      return t(locale, 'help.problem.observer_usage', { cmd: `${slash} ${COMMAND_WORDS.observer[locale === 'en' ? 1 : 0]}` });
  }
}

/** The help as paragraphs: the problem (if any), the heading, one line per command, the note on buttons. */
export function helpParagraphs(locale: Locale, options: { problem?: CommandProblem; slash?: string } = {}): { heading: string; lines: string[] } {
  const slash = options.slash ?? '/crm';
  const lines = HELP_ORDER.map((name) => t(locale, `help.${name}`, { cmd: usageWithAlias(name, locale, slash) }));
  return {
    heading: t(locale, 'help.heading'),
    lines: [...(options.problem ? [problemText(options.problem, locale, slash)] : []), ...lines, t(locale, 'help.buttons')],
  };
}
