/**
 * `crm observers`: observer applications as tracked cases (§7.2, §8). Every subcommand takes `--json`.
 *
 *   crm observers apply (--country ISO2 | --organization CODE) --name NAME [--received YYYY-MM-DD]
 *       the formal request the PPT received via the ST: opens case OBS-YYYY-NNN
 *   crm observers list                       every case, its stage and what it waits for (late when passed)
 *   crm observers present ID --meeting REF   presented by the PPT at that GRCM
 *   crm observers decide ID --meeting REF --outcome admitted|rejected
 *                                            decided by the Vice-Ministers at that Vice-Ministerial (closed door)
 *   crm observers withdraw ID
 *
 * Each step is recorded and announced to the ST channel and the PPT's focal points (delivered by the
 * running bot). A refusal (a member or observer already; not a GRCM; not presented yet; …) exits 1 with
 * the reason and records nothing.
 */
import { advanceObserverApplication, listObserverApplications, openObserverApplication, type ApplicationResult } from '../../flows/observer-application-flows.ts';
import type { ObserverApplication } from '../../domain/meetings/index.ts';
import { isCivilDate } from '../../domain/meetings/index.ts';
import type { CliIo } from '../io.ts';
import { UsageError, parseOptions, printJson, refuse, withMeetings, type MeetingCliDeps } from './meetings-shared.ts';

/** Input quoted back in a message, cut so one line stays short (a pasted paragraph is not echoed whole). */
const cut = (v: string | undefined): string => {
  // Control characters (a newline, a tab) shown escaped: the message stays on one line.
  const s = String(v ?? '').replace(/[\u0000-\u001f\u007f]/g, (c) => JSON.stringify(c).slice(1, -1));
  return [...s].length > 60 ? `${[...s].slice(0, 57).join('')}…` : s;
};

const USAGE = [
  'Usage:',
  '  crm observers apply (--country ISO2 | --organization CODE) --name NAME [--received YYYY-MM-DD] [--json]',
  '  crm observers list [--json]',
  '  crm observers present ID --meeting REF [--json]',
  '  crm observers decide ID --meeting REF --outcome admitted|rejected [--json]',
  '  crm observers withdraw ID [--json]',
].join('\n');

const REASONS: Record<string, string> = {
  already_member: 'the applicant is a Member Country already (no new Member Countries are admitted, §8)',
  already_observer: 'the applicant is an observer already',
  not_a_grcm: 'an application is presented at a GRCM meeting',
  not_a_vice_ministerial: 'an application is decided by the Vice-Ministers at a Vice-Ministerial Meeting',
  meeting_before_application: 'that meeting ended before the previous step of the case',
  not_presented: 'the application has not been presented at a GRCM yet',
  already_presented: 'the application was presented already',
  case_closed: 'the case is closed (admitted, rejected or withdrawn)',
  application_not_found: 'no such application',
  meeting_not_found: 'no such meeting',
};

const ID = /^OBS-\d{4}-\d{3,}$/;

function caseJson(a: ObserverApplication, next?: { step: string; meeting?: string; due?: string; late: boolean }) {
  return {
    id: a.id,
    applicant: a.applicant,
    stage: a.stage,
    receivedOn: a.receivedOn,
    presentedAt: a.presentedAt ?? null,
    decidedAt: a.decidedAt ?? null,
    ...(next ? { next: { step: next.step, meeting: next.meeting ?? null, due: next.due ?? null, late: next.late } } : {}),
  };
}

function answer(io: CliIo, what: string, json: boolean, r: ApplicationResult): number {
  if (!r.ok) return refuse(io, `crm observers ${what}`, json, r.code, REASONS[r.code] ?? r.code);
  if (json) printJson(io, { application: caseJson(r.application), announced: r.outboxIds.length });
  else io.out(`${r.application.id}\t${r.application.stage}\t${r.application.applicant.name} (announced to ${r.outboxIds.length} recipient(s))`);
  return 0;
}

function idOf(positionals: string[], sub: string): string {
  const [id, ...rest] = positionals;
  if (!id) throw new UsageError(`${sub}: expected an application ID (e.g. OBS-2027-001)`);
  if (rest.length) throw new UsageError(`${sub}: unexpected argument "${cut(rest[0])}"`);
  const upper = id.toUpperCase();
  if (!ID.test(upper)) throw new UsageError(`${sub}: expected an application ID such as OBS-2027-001, got "${cut(id)}"`);
  return upper;
}

async function apply(args: string[], io: CliIo, cli: MeetingCliDeps): Promise<number> {
  const { values, positionals } = parseOptions(args, {
    country: { type: 'string' },
    organization: { type: 'string' },
    name: { type: 'string' },
    received: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (positionals.length) throw new UsageError(`apply: unexpected argument "${cut(positionals[0])}"`);
  if ((values.country === undefined) === (values.organization === undefined)) throw new UsageError('apply: give --country ISO2 or --organization CODE (one of them)');
  if (values.country !== undefined && !/^[A-Z]{2}$/.test(values.country)) throw new UsageError(`--country: expected an ISO 3166-1 alpha-2 code, got "${cut(values.country)}"`);
  if (values.organization !== undefined && !/^[\w-]{2,30}$/.test(values.organization)) throw new UsageError(`--organization: expected a short code, got "${cut(values.organization)}"`);
  const name = values.name?.trim();
  if (!name || name.length > 200) throw new UsageError('--name: required, at most 200 characters');
  if (values.received !== undefined && !isCivilDate(values.received)) throw new UsageError(`--received: expected a date YYYY-MM-DD, got "${cut(values.received)}"`);
  const applicant = values.country !== undefined ? { kind: 'country' as const, code: values.country, name } : { kind: 'organization' as const, code: values.organization!, name };
  return withMeetings(cli, async ({ deps }) =>
    answer(io, 'apply', values.json === true, await openObserverApplication(deps, { applicant, ...(values.received ? { receivedOn: values.received } : {}) })),
  );
}

async function list(args: string[], io: CliIo, cli: MeetingCliDeps): Promise<number> {
  const { values, positionals } = parseOptions(args, { json: { type: 'boolean' } });
  if (positionals.length) throw new UsageError(`list: unexpected argument "${cut(positionals[0])}"`);
  return withMeetings(cli, async ({ deps }) => {
    const cases = await listObserverApplications(deps);
    if (values.json) printJson(io, { applications: cases.map((c) => caseJson(c.application, c.next)) });
    else if (cases.length === 0) io.out('No observer applications.');
    else
      for (const c of cases) {
        const next = c.next ? `${c.next.step}${c.next.meeting ? ` at ${c.next.meeting} (${c.next.due})` : ': no meeting scheduled yet'}${c.next.late ? ' LATE' : ''}` : '-';
        io.out([c.application.id, c.application.stage, c.application.applicant.name, next].join('\t'));
      }
    return 0;
  });
}

async function step(sub: 'present' | 'decide' | 'withdraw', args: string[], io: CliIo, cli: MeetingCliDeps): Promise<number> {
  const { values, positionals } = parseOptions(args, { meeting: { type: 'string' }, outcome: { type: 'string' }, json: { type: 'boolean' } });
  const id = idOf(positionals, sub);
  if (sub !== 'withdraw' && !values.meeting) throw new UsageError('--meeting: required (the meeting reference, e.g. MTG-2027-003)');
  if (sub === 'decide' && values.outcome !== 'admitted' && values.outcome !== 'rejected') throw new UsageError('--outcome: expected admitted or rejected');
  const meeting = values.meeting?.toUpperCase() ?? '';
  return withMeetings(cli, async ({ deps }) => {
    const r = await advanceObserverApplication(
      deps,
      id,
      sub === 'withdraw' ? { type: 'withdraw' } : sub === 'present' ? { type: 'present', meeting } : { type: 'decide', meeting, outcome: values.outcome as 'admitted' | 'rejected' },
    );
    return answer(io, sub, values.json === true, r);
  });
}

const SUBCOMMANDS: Record<string, (args: string[], io: CliIo, cli: MeetingCliDeps) => Promise<number>> = {
  apply,
  list,
  present: (a, io, c) => step('present', a, io, c),
  decide: (a, io, c) => step('decide', a, io, c),
  withdraw: (a, io, c) => step('withdraw', a, io, c),
};

export async function run(args: string[], io: CliIo, cli: Partial<MeetingCliDeps> = {}): Promise<number> {
  const deps: MeetingCliDeps = { env: cli.env ?? process.env, ...(cli.now ? { now: cli.now } : {}) };
  const [sub, ...rest] = args;
  if (sub === 'help' || sub === '--help') {
    io.out(USAGE);
    return 0;
  }
  if (!sub) {
    // No subcommand: an error, said on stderr with what may follow.
    io.err('crm observers: which one? Give a subcommand (below).');
    io.err(USAGE);
    return 1;
  }
  const handler = SUBCOMMANDS[sub];
  if (!handler) {
    io.err(`crm observers: unknown subcommand "${cut(sub)}"`);
    io.err(USAGE);
    return 1;
  }
  try {
    return await handler(rest, io, deps);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.err(`crm observers ${sub}: ${e.message}`);
    io.err(USAGE);
    return 1;
  }
}
