/**
 * `crm meetings <subcommand>` (shared/interfaces.md "Meetings"); every subcommand takes `--json` for one
 * JSON object on stdout.
 *
 *   crm meetings add --kind KIND --start YYYY-MM-DD --end YYYY-MM-DD [--city C] [--country ISO2] [--title T]
 *                    [--timezone ZONE] [--start-time HH:MM] [--end-time HH:MM] [--members CODE,CODE]
 *   crm meetings list
 *   crm meetings show REF
 *   crm meetings ics REF [--locale es|en | --email EMAIL] [--output FILE]
 *       an RFC 5545 calendar (CRLF, folded lines), in the ST's language, the given one or that person's
 *   crm meetings invite REF --segment SEGMENT --email EMAIL [--adviser]
 *       exit 1 with the reason when that person may not take part in that segment; nothing is recorded.
 *   crm meetings agenda REF ITEM...                             the plenary agenda's items
 *   crm meetings summary REF --as EMAIL (--file FILE | --text TEXT) [--days N] [--justification T]
 *       the end-of-meeting summary put to the Member Countries (a `meeting_summary` consultation)
 *
 * Exit codes: 0 done, 1 refused / invalid input / unknown meeting.
 */
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { identify } from '../../flows/people.ts';
import { refusalMessage } from '../../i18n/index.ts';
import { z } from 'zod';
import { timeZoneProblem } from '../../directory/validators.ts';
import {
  MEETING_KINDS,
  SEGMENTS,
  isCivilDate,
  isWallTime,
  missingAgendaItems,
  partyOf,
  type MeetingKind,
  type MeetingRefusalCode,
  type Segment,
} from '../../domain/meetings/index.ts';
import { addMeeting, inviteToMeeting, listMeetings, proposeMeetingSummary, setAgenda, showMeeting, type MeetingView } from '../../flows/meeting-flows.ts';
import { agendaItemsText, ineligibleText } from '../../messages/meeting-text.ts';
import { meetingIcs } from '../../messages/meeting-ics.ts';
import { inviteeAddress } from '../../messages/meeting-invitation.ts';
import type { CliIo } from '../io.ts';
import {
  UsageError,
  invitationJson,
  meetingJson,
  parseOptions,
  printJson,
  refuse,
  withMeetings,
  type MeetingCliDeps,
} from './meetings-shared.ts';

/** Input quoted back in a message, cut so one line stays short (a pasted paragraph is not echoed whole). */
const cut = (v: string | undefined): string => {
  // Control characters (a newline, a tab) shown escaped: the message stays on one line.
  const s = String(v ?? '').replace(/[\u0000-\u001f\u007f]/g, (c) => JSON.stringify(c).slice(1, -1));
  return [...s].length > 60 ? `${[...s].slice(0, 57).join('')}…` : s;
};

const USAGE = [
  'Usage:',
  '  crm meetings add --kind KIND --start YYYY-MM-DD --end YYYY-MM-DD [--city C] [--country ISO2] [--title T]',
  '                   [--timezone ZONE] [--start-time HH:MM] [--end-time HH:MM] [--members CODE,...] [--json]',
  `      KIND: ${MEETING_KINDS.join(' | ')}`,
  '  crm meetings list [--json]',
  '  crm meetings show REF [--json]',
  '  crm meetings ics REF [--locale es|en | --email EMAIL] [--output FILE] [--json]',
  '  crm meetings invite REF --segment SEGMENT --email EMAIL [--adviser] [--json]',
  `      SEGMENT: ${SEGMENTS.join(' | ')}`,
  '  crm meetings agenda REF ITEM... [--json]   (required: ppt_report, opening_statements, civil_society_dialogue)',
  '  crm meetings summary REF --as EMAIL (--file FILE | --text TEXT) [--days N] [--justification T] [--json]',
  '      the end-of-meeting summary, put to the Member Countries for adoption (no Troika stage)',
].join('\n');

const REFERENCE = /^MTG-\d{4}-\d{3,}$/;

const enumOf = <T extends string>(name: string, values: readonly T[]) =>
  z.string().refine((v): v is T => (values as readonly string[]).includes(v), { error: (iss) => `${name}: expected one of ${values.join(', ')}, got ${JSON.stringify(iss.input)}` });
const civilDate = (name: string) => z.string().refine(isCivilDate, { error: (iss) => `${name}: expected a date YYYY-MM-DD, got ${JSON.stringify(iss.input)}` });
const wallTime = (name: string) => z.string().refine(isWallTime, { error: (iss) => `${name}: expected a time HH:MM (00:00 to 23:59), got ${JSON.stringify(iss.input)}` });
const text = (name: string, max: number) =>
  z.string().trim().min(1, { error: `${name}: must not be empty` }).max(max, { error: `${name}: at most ${max} characters` });

/** The `add` options at the edge: every field checked on its own, each message naming its option. */
const AddInput = z.object({
  kind: enumOf<MeetingKind>('--kind', MEETING_KINDS),
  start: civilDate('--start'),
  end: civilDate('--end'),
  city: text('--city', 120).optional(),
  country: z
    .string()
    .regex(/^[A-Z]{2}$/, { error: (iss) => `--country: expected an ISO 3166-1 alpha-2 code such as PA, got ${JSON.stringify(iss.input)}` })
    .optional(),
  title: text('--title', 200).optional(),
  timezone: z
    .string()
    .superRefine((v, ctx) => {
      const p = timeZoneProblem(v);
      if (p) ctx.addIssue({ code: 'custom', message: `--timezone: ${p}` });
    })
    .optional(),
  'start-time': wallTime('--start-time').optional(),
  'end-time': wallTime('--end-time').optional(),
  members: z
    .string()
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(z.string()).min(1, { error: '--members: expected a comma-separated list of country or organisation codes' }))
    .optional(),
});

const REQUIRED_ADD = ['kind', 'start', 'end'] as const;

function refusalOfNewMeeting(code: MeetingRefusalCode, field: string, detail: Record<string, string> = {}): string {
  const opt = `--${field}`;
  switch (code) {
    case 'invalid_date':
      return `${opt}: ${detail['value']} is not a calendar date`;
    case 'end_before_start':
      return `--end: ${detail['end']} is before --start ${detail['start']}`;
    case 'too_long':
      return `--end: a meeting lasts at most ${detail['max']} days (${detail['start']} to ${detail['end']})`;
    case 'invalid_time':
      return `${opt}: expected a time HH:MM, got "${cut(detail['value'])}"`;
    case 'ends_before_it_starts':
      return `--end-time: a one-day meeting must end after it starts (${detail['start']} to ${detail['end']})`;
    case 'title_required':
      return '--title: must not be empty';
    case 'no_ppt_on_start':
      return `--country: no PPT in office on ${detail['start']} to host by default; give --country`;
    case 'country_not_in_directory':
      return `--country: ${detail['country']} is not in the directory; give --timezone for the venue`;
    case 'members_only_for_ad_hoc':
      return '--members: only an ad-hoc group (--kind ad_hoc) has its own membership';
    case 'unknown_member':
      return `--members: ${detail['code']} is neither a country nor an organisation of the directory`;
  }
}

function textLines(v: MeetingView): string[] {
  const m = v.meeting;
  const where = [m.city, m.country].filter(Boolean).join(', ');
  const lines = [
    `${m.reference}\t${m.kind}\t${m.start}..${m.end}\t${where}\t${m.title}`,
    `  segments: ${m.segments.join(', ')}`,
  ];
  for (const i of v.invitations) lines.push(`  invited\t${i.segment}\t${i.name} <${i.email}>\t${i.country ?? i.organization ?? 'ST'}\t${i.basis}${i.response ? `\t${i.response}` : ''}`);
  for (const d of v.duties) lines.push(`  duty\t${d.due}\t${d.state}\t${d.duty}\t${d.owner}`);
  return lines;
}

async function add(args: string[], io: CliIo, cli: MeetingCliDeps): Promise<number> {
  const { values, positionals } = parseOptions(args, {
    kind: { type: 'string' },
    start: { type: 'string' },
    end: { type: 'string' },
    city: { type: 'string' },
    country: { type: 'string' },
    title: { type: 'string' },
    timezone: { type: 'string' },
    'start-time': { type: 'string' },
    'end-time': { type: 'string' },
    members: { type: 'string' },
    json: { type: 'boolean' },
  });
  const json = values.json === true;
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${cut(positionals[0])}"`);
  const missing = REQUIRED_ADD.filter((k) => values[k] === undefined);
  if (missing.length > 0) throw new UsageError(missing.map((k) => `--${k}: required`).join('; '));
  const parsed = AddInput.safeParse(values);
  if (!parsed.success) return refuse(io, 'crm meetings add', json, 'invalid_input', parsed.error.issues.map((i) => i.message).join('; '));
  const p = parsed.data;
  return withMeetings(cli, async ({ deps, directory }) => {
    const r = await addMeeting(deps, {
      kind: p.kind,
      start: p.start,
      end: p.end,
      ...(p.city !== undefined ? { city: p.city } : {}),
      ...(p.country !== undefined ? { country: p.country } : {}),
      ...(p.title !== undefined ? { title: p.title } : {}),
      ...(p.timezone !== undefined ? { timezone: p.timezone } : {}),
      ...(p['start-time'] !== undefined ? { startTime: p['start-time'] } : {}),
      ...(p['end-time'] !== undefined ? { endTime: p['end-time'] } : {}),
      ...(p.members !== undefined ? { members: p.members } : {}),
    });
    if (!r.ok) return refuse(io, 'crm meetings add', json, r.code, refusalOfNewMeeting(r.code, r.field, r.detail), { field: r.field });
    if (json) printJson(io, meetingJson(r.view, directory));
    else {
      for (const l of textLines(r.view)) io.out(l);
      for (const w of meetingJson(r.view, directory).warnings) io.err(`warning: ${w.message}`);
    }
    return 0;
  });
}

function reference(positionals: string[], sub: string): string {
  const [ref, ...rest] = positionals;
  if (!ref) throw new UsageError(`${sub}: expected a meeting REF (e.g. MTG-2026-001)`);
  if (rest.length > 0) throw new UsageError(`${sub}: unexpected argument "${cut(rest[0])}"`);
  const upper = ref.toUpperCase();
  if (!REFERENCE.test(upper)) throw new UsageError(`${sub}: expected a meeting reference such as MTG-2026-001, got "${cut(ref)}"`);
  return upper;
}

async function list(args: string[], io: CliIo, cli: MeetingCliDeps): Promise<number> {
  const { values, positionals } = parseOptions(args, { json: { type: 'boolean' } });
  if (positionals.length > 0) throw new UsageError(`list: unexpected argument "${cut(positionals[0])}"`);
  return withMeetings(cli, async ({ deps, directory }) => {
    const views = await listMeetings(deps);
    if (values.json) printJson(io, { meetings: views.map((v) => meetingJson(v, directory)) });
    else if (views.length === 0) io.out('No meetings yet.');
    else for (const v of views) for (const l of textLines(v)) io.out(l);
    return 0;
  });
}

async function show(args: string[], io: CliIo, cli: MeetingCliDeps): Promise<number> {
  const { values, positionals } = parseOptions(args, { json: { type: 'boolean' } });
  const ref = reference(positionals, 'show');
  return withMeetings(cli, async ({ deps, directory }) => {
    const v = await showMeeting(deps, ref);
    if (!v) return refuse(io, 'crm meetings show', values.json === true, 'meeting_not_found', `no meeting ${ref}`);
    if (values.json) printJson(io, meetingJson(v, directory));
    else {
      for (const l of textLines(v)) io.out(l);
      for (const w of meetingJson(v, directory).warnings) io.out(`  warning\t${w.message}`);
    }
    return 0;
  });
}

async function ics(args: string[], io: CliIo, cli: MeetingCliDeps): Promise<number> {
  const { values, positionals } = parseOptions(args, {
    json: { type: 'boolean' },
    locale: { type: 'string' },
    email: { type: 'string' },
    output: { type: 'string' },
  });
  const ref = reference(positionals, 'ics');
  if (values.locale !== undefined && values.locale !== 'es' && values.locale !== 'en') {
    throw new UsageError(`--locale: expected es or en, got "${cut(values.locale)}"`);
  }
  if (values.locale !== undefined && values.email !== undefined) throw new UsageError('give --locale or --email (the person\'s language), not both');
  return withMeetings(cli, async ({ deps, directory }) => {
    const meeting = await deps.meetings.byReference(ref);
    const revision = await deps.meetings.revision(ref);
    if (!meeting || !revision) return refuse(io, 'crm meetings ics', values.json === true, 'meeting_not_found', `no meeting ${ref}`);
    let locale = (values.locale as 'es' | 'en' | undefined) ?? directory.secretariat.locale;
    if (values.email !== undefined) {
      // An invitee's calendar file, in their language (the times stay the venue's, with its zone).
      const party = partyOf(directory, values.email);
      if (!party) return refuse(io, 'crm meetings ics', values.json === true, 'not_in_directory', ineligibleText(directory, 'not_in_directory', undefined, 'en'));
      locale = party.person.locale;
    }
    const calendar = meetingIcs(meeting, { directory, locale, sequence: revision.sequence, stamp: revision.updatedAt });
    if (values.output !== undefined) await writeFile(values.output, calendar, 'utf8');
    if (values.json) printJson(io, { reference: ref, ...(values.output !== undefined ? { output: values.output } : {}), ics: calendar });
    else if (values.output !== undefined) io.out(`${ref}: calendar written to ${values.output}`);
    else if (io.write) await io.write(Buffer.from(calendar, 'utf8'));
    else io.out(calendar.replace(/\r\n$/, ''));
    return 0;
  });
}

async function invite(args: string[], io: CliIo, cli: MeetingCliDeps): Promise<number> {
  const { values, positionals } = parseOptions(args, {
    segment: { type: 'string' },
    email: { type: 'string' },
    adviser: { type: 'boolean' },
    json: { type: 'boolean' },
  });
  const ref = reference(positionals, 'invite');
  const json = values.json === true;
  const problems: string[] = [];
  if (values.segment === undefined) problems.push('--segment: required');
  else if (!(SEGMENTS as readonly string[]).includes(values.segment)) problems.push(`--segment: expected one of ${SEGMENTS.join(', ')}, got "${cut(values.segment)}"`);
  if (values.email === undefined) problems.push('--email: required');
  else if (!z.email().safeParse(values.email.trim()).success) problems.push(`--email: expected an e-mail address, got "${cut(values.email)}"`);
  if (problems.length > 0) return refuse(io, 'crm meetings invite', json, 'invalid_input', problems.join('; '));
  return withMeetings(cli, async ({ deps, directory }) => {
    const d = await inviteToMeeting(deps, ref, { email: values.email!, segment: values.segment as Segment, adviser: values.adviser === true });
    if (!d.ok) {
      const detail = 'detail' in d ? d.detail : undefined;
      return refuse(io, 'crm meetings invite', json, d.code, ineligibleText(directory, d.code, detail, 'en'));
    }
    const i = d.invitation;
    // Who is reachable by chat gets the card and the calendar file (queued now, sent by the bot's deliver job).
    const platform = inviteeAddress(directory, i)?.platform;
    const delivery = !d.outboxIds?.length ? 'none' : platform === 'slack' || platform === 'teams' ? platform : 'email';
    if (json) printJson(io, { reference: ref, invitation: { ...invitationJson(i), basis: i.basis }, delivery });
    else {
      io.out(`${ref}: invited ${i.name} <${i.email}> to ${i.segment} (${i.basis})`);
      io.out(
        delivery === 'none'
          ? `  no chat account: send the invitation yourself; calendar file: crm meetings ics ${ref} --email ${i.email}`
          : delivery === 'email'
            ? '  invitation with its calendar file queued by e-mail'
            : `  invitation card and calendar file queued on ${delivery === 'slack' ? 'Slack' : 'Teams'}`,
      );
    }
    return 0;
  });
}

async function agenda(args: string[], io: CliIo, cli: MeetingCliDeps): Promise<number> {
  const { values, positionals } = parseOptions(args, { json: { type: 'boolean' } });
  const [first, ...items] = positionals;
  const ref = reference(first ? [first] : [], 'agenda');
  const cleaned = items.map((s) => s.trim()).filter(Boolean);
  if (cleaned.length === 0) throw new UsageError('agenda: expected the agenda ITEMs after REF');
  return withMeetings(cli, async ({ deps }) => {
    const m = await setAgenda(deps, ref, cleaned);
    if (!m) return refuse(io, 'crm meetings agenda', values.json === true, 'meeting_not_found', `no meeting ${ref}`);
    const missing = missingAgendaItems(m.agenda);
    if (values.json) printJson(io, { reference: ref, agenda: m.agenda, missing });
    else {
      io.out(`${ref}: agenda recorded (${cleaned.length} items)`);
      if (missing.length > 0) io.err(`warning: the plenary agenda does not yet include ${agendaItemsText(missing, 'en')} (${missing.join(', ')})`);
    }
    return 0;
  });
}

/**
 * `crm meetings summary REF --as EMAIL (--file FILE | --text TEXT) [--days N] [--justification T]`: the
 * end-of-meeting summary put to the Member Countries for adoption (a `meeting_summary` consultation: no
 * Troika stage). `--as` is the PPT focal point or ST staff member presenting it (the domain checks).
 */
async function summary(args: string[], io: CliIo, cli: MeetingCliDeps): Promise<number> {
  const { values, positionals } = parseOptions(args, {
    as: { type: 'string' },
    file: { type: 'string' },
    text: { type: 'string' },
    days: { type: 'string' },
    justification: { type: 'string' },
    json: { type: 'boolean' },
  });
  const ref = reference(positionals, 'summary');
  const json = values.json === true;
  if (values.as === undefined) throw new UsageError('--as: required (the e-mail of the PPT focal point or ST staff member presenting the summary)');
  if ((values.file === undefined) === (values.text === undefined)) throw new UsageError('give the summary with --file FILE or --text TEXT (one of them)');
  if (values.days !== undefined && !/^\d{1,2}$/.test(values.days)) throw new UsageError(`--days: expected a number of business days, got "${cut(values.days)}"`);
  const text = values.file !== undefined ? await readFile(values.file, 'utf8') : values.text!;
  return withMeetings(cli, async ({ engine, deps, directory }) => {
    const actor = identify(directory, { platform: 'cli', personId: values.as! });
    if (!actor) return refuse(io, 'crm meetings summary', json, 'not_in_directory', `${values.as} is not a focal point or ST staff member in the directory`);
    const r = await proposeMeetingSummary(engine.deps, deps, {
      key: `cli:summary:${ref}:${createHash('sha256').update(text).digest('hex').slice(0, 16)}`,
      actor,
      reference: ref,
      text,
      ...(values.days !== undefined ? { days: Number(values.days) } : {}),
      ...(values.justification !== undefined ? { justification: values.justification } : {}),
    });
    if (!r.ok) {
      const message =
        r.code === 'meeting_not_found'
          ? `no meeting ${ref}`
          : r.code === 'no_summary_for_kind'
            ? `only a GRCM or a Vice-Ministerial has an end-of-meeting summary (${ref} is ${r.detail?.['kind'] ?? '?'})`
            : r.code === 'meeting_not_started'
              ? `${ref} starts on ${r.detail?.['start'] ?? '?'}: its summary comes at its end`
              : r.code === 'summary_exists'
              ? `the summary of ${ref} is already ${r.detail?.['reference'] ?? ''} (open or adopted)`
              : refusalMessage('en', r.code, r.detail);
      return refuse(io, 'crm meetings summary', json, r.code, message);
    }
    const c = r.state;
    const out = { meeting: ref, consultation: c.reference, kind: 'meeting_summary', stage: c.stage, deadline: c.deadline ?? null, title: c.title };
    if (json) printJson(io, out);
    else io.out(`${ref}: summary circulated to the Member Countries as ${c.reference} (${c.stage}), deadline ${c.deadline ?? '-'}`);
    return 0;
  });
}

const SUBCOMMANDS: Record<string, (args: string[], io: CliIo, cli: MeetingCliDeps) => Promise<number>> = { add, list, show, ics, invite, agenda, summary };

export async function run(args: string[], io: CliIo, cli: Partial<MeetingCliDeps> = {}): Promise<number> {
  const deps: MeetingCliDeps = { env: cli.env ?? process.env, ...(cli.now ? { now: cli.now } : {}) };
  const [sub, ...rest] = args;
  if (sub === 'help' || sub === '--help') {
    io.out(USAGE);
    return 0;
  }
  if (!sub) {
    // No subcommand: an error, said on stderr with what may follow.
    io.err('crm meetings: which one? Give a subcommand (below).');
    io.err(USAGE);
    return 1;
  }
  const handler = SUBCOMMANDS[sub];
  if (!handler) {
    io.err(`crm meetings: unknown subcommand "${cut(sub)}"`);
    io.err(USAGE);
    return 1;
  }
  try {
    return await handler(rest, io, deps);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.err(`crm meetings ${sub}: ${e.message}`);
    io.err(USAGE);
    return 1;
  }
}
