/**
 * `crm duties [--open] [--json]`: every tracked duty (shared/interfaces.md "Meetings") with its owner, due
 * date and state, by due date; `--open` leaves out the done ones (open and late remain).
 * `crm duties done --duty NAME [--meeting REF] [--owner OWNER] [--json]`: records one duty as done (the
 * plenary agenda only once it holds the required items). `--owner` is needed where a meeting has one
 * such duty per owner (observer_reports); the vacancy notice has no meeting.
 */
import { DUTY_NAMES } from '../../domain/meetings/index.ts';
import { completeDuty, listDuties } from '../../flows/meeting-flows.ts';
import { agendaItemsText } from '../../messages/meeting-text.ts';
import { t } from '../../i18n/index.ts';
import type { CliIo } from '../io.ts';
import { UsageError, dutyJson, parseOptions, printJson, refuse, withMeetings, type MeetingCliDeps } from './meetings-shared.ts';

/** Input quoted back in a message, cut so one line stays short (a pasted paragraph is not echoed whole). */
const cut = (v: string | undefined): string => {
  // Control characters (a newline, a tab) shown escaped: the message stays on one line.
  const s = String(v ?? '').replace(/[\u0000-\u001f\u007f]/g, (c) => JSON.stringify(c).slice(1, -1));
  return [...s].length > 60 ? `${[...s].slice(0, 57).join('')}…` : s;
};

const USAGE = [
  'Usage:',
  '  crm duties [--open] [--json]',
  '  crm duties done --duty NAME [--meeting REF] [--owner ST|PPT|CODE] [--json]',
  `      NAME: ${DUTY_NAMES.join(' | ')}`,
].join('\n');

async function list(args: string[], io: CliIo, cli: MeetingCliDeps): Promise<number> {
  const { values, positionals } = parseOptions(args, { open: { type: 'boolean' }, json: { type: 'boolean' } });
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${cut(positionals[0])}"`);
  return withMeetings(cli, async ({ deps }) => {
    const duties = await listDuties(deps, { open: values.open === true });
    if (values.json) printJson(io, { duties: duties.map(dutyJson) });
    else if (duties.length === 0) io.out(values.open ? 'No open duties.' : 'No duties yet.');
    else {
      io.out(['due', 'state', 'duty', 'meeting', 'owner'].join('\t'));
      for (const d of duties) io.out([d.due, d.state, d.duty, d.meeting ?? '-', d.owner].join('\t'));
    }
    return 0;
  });
}

async function done(args: string[], io: CliIo, cli: MeetingCliDeps): Promise<number> {
  const { values, positionals } = parseOptions(args, {
    duty: { type: 'string' },
    meeting: { type: 'string' },
    owner: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (positionals.length > 0) throw new UsageError(`done: unexpected argument "${cut(positionals[0])}"`);
  if (values.duty === undefined) throw new UsageError('done: --duty: required');
  if (!(DUTY_NAMES as readonly string[]).includes(values.duty)) {
    throw new UsageError(`done: --duty: expected one of ${DUTY_NAMES.join(', ')}, got "${cut(values.duty)}"`);
  }
  const json = values.json === true;
  return withMeetings(cli, async ({ deps }) => {
    const key = {
      duty: values.duty!,
      ...(values.meeting !== undefined ? { meeting: values.meeting.toUpperCase() } : {}),
      ...(values.owner !== undefined ? { owner: values.owner } : {}),
    };
    const r = await completeDuty(deps, key, 'cli');
    if (!r.ok) {
      const message =
        r.code === 'agenda_incomplete'
          ? t('en', 'duty.refusal.agenda_incomplete', { missing: agendaItemsText((r.detail?.['missing'] ?? '').split(', '), 'en') })
          : t('en', `duty.refusal.${r.code}`);
      return refuse(io, 'crm duties done', json, r.code, message);
    }
    const d = r.duty!;
    if (json) printJson(io, { duty: dutyJson({ ...d, state: 'done' }) });
    else io.out(`done: ${d.duty} ${d.meeting ?? ''} ${d.owner}`.replace(/ +/g, ' '));
    return 0;
  });
}

export async function run(args: string[], io: CliIo, cli: Partial<MeetingCliDeps> = {}): Promise<number> {
  const deps: MeetingCliDeps = { env: cli.env ?? process.env, ...(cli.now ? { now: cli.now } : {}) };
  const [first, ...rest] = args;
  if (first === 'help' || first === '--help') {
    io.out(USAGE);
    return 0;
  }
  try {
    return first === 'done' ? await done(rest, io, deps) : await list(args, io, deps);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.err(`crm duties: ${e.message}`);
    io.err(USAGE);
    return 1;
  }
}
