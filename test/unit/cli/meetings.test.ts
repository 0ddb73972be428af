/**
 * `crm meetings add/list/show/ics/invite/agenda` and `crm duties [--open] / done` with `--json`, against a
 * real database: a fresh PostgreSQL database and an embedded PGlite data folder, each with the example
 * directory plus a third Mexican senior official (to reach the closed-door limit). The clock is fixed at
 * 2026-06-01 12:00 in San José.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { run as duties } from '../../../src/cli/commands/duties.ts';
import { run as meetings } from '../../../src/cli/commands/meetings.ts';
import { run as observers } from '../../../src/cli/commands/observers.ts';
import { openDatabase, type Database } from '../../../src/store/database.ts';
import { createPostgresDatabase, type TestPostgres } from '../../helpers/db.ts';

const NOW = new Date('2026-06-01T18:00:00.000Z');

interface Call {
  code: number;
  out: string[];
  err: string[];
  raw: string;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

async function directoryFile(dir: string): Promise<string> {
  const raw = parse(await readFile('config/directory.example.yaml', 'utf8'));
  raw.countries.find((c: { code: string }) => c.code === 'MX').people.push({ name: 'Tomás Tercero', email: 'tomas.tercero@example.org', roles: ['senior_official'] });
  const path = join(dir, 'directory.yaml');
  await writeFile(path, stringify(raw));
  return path;
}

describe.each(['postgres', 'pglite'] as const)('crm meetings and crm duties on %s', (backend) => {
  let tmp: string;
  let pgdb: TestPostgres | undefined;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'crm-meetings-cli-'));
    const directory = await directoryFile(tmp);
    if (backend === 'postgres') {
      pgdb = await createPostgresDatabase(import.meta.url);
      env = { DATABASE_URL: pgdb.url, CRM_DIRECTORY: directory };
    } else env = { CRM_DATA_DIR: join(tmp, 'data'), CRM_DIRECTORY: directory };
  });
  afterAll(async () => {
    await pgdb?.drop();
    await rm(tmp, { recursive: true, force: true });
  });

  async function cli(command: typeof meetings, args: string[], now: Date = NOW): Promise<Call> {
    const out: string[] = [];
    const err: string[] = [];
    const chunks: Uint8Array[] = [];
    const write = async (bytes: Uint8Array) => void chunks.push(bytes);
    const code = await command(args, { out: (l) => out.push(l), err: (l) => err.push(l), write }, { env, now: () => now });
    const raw = Buffer.concat(chunks).toString('utf8');
    let json: unknown;
    if (args.includes('--json') && out.length) json = JSON.parse(out.join('\n'));
    return { code, out, err, raw, json };
  }

  /** What the database holds, read directly (to prove a refusal wrote nothing). */
  async function counts(): Promise<{ meetings: number; invitations: number; completions: number; outbox: number }> {
    const db: Database = await openDatabase(backend === 'postgres' ? { databaseUrl: pgdb!.url, dataDir: 'unused' } : { dataDir: env['CRM_DATA_DIR']! }, { migrate: false });
    try {
      return {
        meetings: await db.prisma.meeting.count(),
        invitations: await db.prisma.meetingInvitation.count(),
        completions: await db.prisma.dutyCompletion.count(),
        outbox: await db.prisma.outboxMessage.count(),
      };
    } finally {
      await db.close();
    }
  }

  it('add --json: the meeting with its reference, segments, duties and warnings', async () => {
    const r = await cli(meetings, ['add', '--kind', 'vice_ministerial', '--start', '2026-11-17', '--end', '2026-11-18', '--city', 'Ciudad de México', '--json']);
    expect(r.err).toEqual([]);
    expect(r.code).toBe(0);
    expect(Object.keys(r.json)).toEqual(['reference', 'kind', 'title', 'start', 'end', 'city', 'country', 'segments', 'invitees', 'duties', 'warnings']);
    expect(r.json).toMatchObject({
      reference: 'MTG-2026-001',
      kind: 'vice_ministerial',
      title: 'Reunión Viceministerial 2026',
      start: '2026-11-17',
      end: '2026-11-18',
      city: 'Ciudad de México',
      country: 'MX',
      segments: ['plenary', 'closed_door'],
      invitees: [],
      warnings: [],
    });
    const duties = r.json.duties as { duty: string; meeting: string; owner: string; due: string; state: string }[];
    expect(duties[0]).toEqual({ duty: 'draft_declaration_action_plan', meeting: 'MTG-2026-001', owner: 'PPT', due: '2026-10-18', state: 'open' });
    expect(duties.map((d) => d.duty)).toEqual(expect.arrayContaining(['st_budget_report', 'observer_reports', 'plenary_agenda', 'meeting_summary', 'coordinator_evaluation']));
    for (const d of duties) expect(d.due).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('add: warnings with their code and an English sentence; the meeting is recorded anyway', async () => {
    const r = await cli(meetings, ['add', '--kind', 'vice_ministerial', '--start', '2027-06-15', '--end', '2027-06-16', '--country', 'GT', '--title', 'Extraordinaria', '--json']);
    expect(r.code).toBe(0);
    expect(r.json.reference).toBe('MTG-2027-001');
    expect(r.json.warnings).toEqual([
      {
        code: 'vice_ministerial_not_in_november',
        message: 'The Vice-Ministerial Meeting is held every year in November; this one runs from Tuesday, June 15, 2027 to Wednesday, June 16, 2027.',
      },
      {
        code: 'vice_ministerial_not_in_ppt_country',
        message: 'The Vice-Ministerial Meeting is held in the country holding the Presidency Pro Tempore: Panama. This one would be held in Guatemala.',
      },
    ]);
    const net = await cli(meetings, ['add', '--kind', 'network_consular', '--start', '2026-11-09', '--end', '2026-11-10', '--json']);
    expect(net.json.warnings.map((w: { code: string }) => w.code)).toEqual(['network_not_before_grcm']);
    const grcm = await cli(meetings, ['add', '--kind', 'grcm', '--start', '2026-11-11', '--end', '2026-11-12', '--city', 'Monterrey', '--json']);
    expect(grcm.json).toMatchObject({ reference: 'MTG-2026-003', segments: ['main'], warnings: [] });
    expect(grcm.json.duties[0]).toEqual({ duty: 'st_operational_financial_report', meeting: 'MTG-2026-003', owner: 'ST', due: '2026-10-02', state: 'open' });
    // Now that the GRCM exists, the network meeting before it no longer warns.
    const shown = await cli(meetings, ['show', net.json.reference, '--json']);
    expect(shown.json.warnings).toEqual([]);
    // Text output names the warning on stderr, exit 0.
    const text = await cli(meetings, ['add', '--kind', 'network_trafficking', '--start', '2027-03-01', '--end', '2027-03-01']);
    expect(text.code).toBe(0);
    expect(text.out[0]).toMatch(/^MTG-2027-002\tnetwork_trafficking\t2027-03-01\.\.2027-03-01\tPA\t/);
    expect(text.err).toEqual([expect.stringMatching(/^warning: The Networks of Liaison Officers meet immediately before/)]);
  });

  it('add: bad input names the option, exit 1, and records nothing', async () => {
    const before = await counts();
    const cases: [string[], RegExp][] = [
      [['--kind', 'summit', '--start', '2026-11-17', '--end', '2026-11-18'], /--kind: expected one of vice_ministerial, grcm, /],
      [['--kind', 'grcm', '--start', '2026-02-30', '--end', '2026-03-01'], /--start: expected a date YYYY-MM-DD, got "2026-02-30"/],
      [['--kind', 'grcm', '--start', '2026-11-17', '--end', '2026-11-16'], /--end: 2026-11-16 is before --start 2026-11-17/],
      [['--kind', 'grcm', '--start', '2026-11-17'], /--end: required/],
      [['--kind', 'grcm', '--start', '2026-11-17', '--end', '2026-11-17', '--country', 'BR'], /--country: BR is not in the directory/],
      [['--kind', 'grcm', '--start', '2026-11-17', '--end', '2026-11-17', '--timezone', 'Mars/Olympus'], /--timezone: unknown time zone "Mars\/Olympus"/],
      [['--kind', 'grcm', '--start', '2026-11-17', '--end', '2026-11-17', '--venue', 'x'], /unknown option --venue/],
    ];
    for (const [args, message] of cases) {
      const r = await cli(meetings, ['add', ...args, '--json']);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.err[0], args.join(' ')).toMatch(message);
    }
    expect(await counts()).toEqual(before);
  });

  it('invite: the invitation with the rule that admits it; show and list carry the invitee', async () => {
    const r = await cli(meetings, ['invite', 'MTG-2026-001', '--segment', 'closed_door', '--email', 'Patricia.Garza@example.org', '--json']);
    expect(r.code).toBe(0);
    expect(r.json).toEqual({
      reference: 'MTG-2026-001',
      invitation: { email: 'patricia.garza@example.org', name: 'Patricia Garza Leal', segment: 'closed_door', country: 'MX', basis: 'vice_minister' },
      delivery: 'none',
    });
    const rrocm = await cli(meetings, ['invite', 'mtg-2026-001', '--segment', 'plenary', '--email', 'teresa.alfaro@example.org']);
    expect(rrocm).toMatchObject({
      code: 0,
      out: [
        'MTG-2026-001: invited Teresa Alfaro <teresa.alfaro@example.org> to plenary (civil_society)',
        '  no chat account: send the invitation yourself; calendar file: crm meetings ics MTG-2026-001 --email teresa.alfaro@example.org',
      ],
    });
    const shown = await cli(meetings, ['show', 'MTG-2026-001', '--json']);
    expect(shown.json.invitees).toEqual([
      { email: 'patricia.garza@example.org', name: 'Patricia Garza Leal', segment: 'closed_door', country: 'MX' },
      { email: 'teresa.alfaro@example.org', name: 'Teresa Alfaro', segment: 'plenary', organization: 'RROCM' },
    ]);
    const listed = await cli(meetings, ['list', '--json']);
    expect(listed.json.meetings.map((m: { reference: string }) => m.reference)).toEqual(['MTG-2026-002', 'MTG-2026-003', 'MTG-2026-001', 'MTG-2027-002', 'MTG-2027-001']);
    expect(listed.json.meetings[2].invitees).toHaveLength(2);
  });

  it('invite someone on Slack: the card and the calendar file are queued in their language', async () => {
    const before = await counts();
    const r = await cli(meetings, ['invite', 'MTG-2026-001', '--segment', 'plenary', '--email', 'jennifer.walsh@example.org', '--json']);
    expect(r).toMatchObject({ code: 0, json: { delivery: 'slack', invitation: { country: 'US', basis: 'member_delegation' } } });
    expect(await counts()).toEqual({ ...before, invitations: before.invitations + 1, outbox: before.outbox + 2 });
    const db: Database = await openDatabase(backend === 'postgres' ? { databaseUrl: pgdb!.url, dataDir: 'unused' } : { dataDir: env['CRM_DATA_DIR']! }, { migrate: false });
    try {
      const rows = await db.prisma.outboxMessage.findMany({ where: { kind: { in: ['meeting_invitation', 'meeting_calendar'] } }, orderBy: { kind: 'desc' } });
      expect(rows.map((x) => [x.kind, x.platform, (x.recipient as { slack?: string }).slack, x.status])).toEqual([
        ['meeting_invitation', 'slack', 'U0US0000001', 'pending'],
        ['meeting_calendar', 'slack', 'U0US0000001', 'pending'],
      ]);
      const card = rows[0]!.payload as { locale: string; heading: string; buttons: { actionId: string }[] };
      expect(card.locale).toBe('en');
      expect(card.buttons.map((b) => b.actionId)).toEqual(['meeting_attend', 'meeting_decline']);
      expect((rows[1]!.payload as { attachment: unknown }).attachment).toMatchObject({ kind: 'meeting_calendar', format: 'ics', locale: 'en', filename: 'MTG-2026-001.ics' });
    } finally {
      await db.close();
    }
  });

  it('invite refused: exit 1, the reason, and nothing recorded', async () => {
    const before = await counts();
    const observer = await cli(meetings, ['invite', 'MTG-2026-001', '--segment', 'closed_door', '--email', 'laura.gomez@example.org', '--json']);
    expect(observer.code).toBe(1);
    expect(observer.err).toEqual([
      'crm meetings invite: The closed-door session is only for the Vice-Ministers of the Member Countries and up to two senior officials per country. Observers, organisations, civil society and special invitees do not take part, and the Coordinator of the Technical Secretariat only as adviser when the Presidency Pro Tempore asks.',
    ]);
    expect(observer.json).toEqual({ error: { code: 'closed_door_members_only', message: observer.err[0]!.replace('crm meetings invite: ', '') } });
    const rrocm = await cli(meetings, ['invite', 'MTG-2026-002', '--segment', 'deliberation', '--email', 'teresa.alfaro@example.org']);
    expect(rrocm.code).toBe(1);
    expect(rrocm.err[0]).toBe(
      "crm meetings invite: The network's deliberations are confidential: only that network's Liaison Officers designated by the Member Countries take part.",
    );
    const segment = await cli(meetings, ['invite', 'MTG-2026-003', '--segment', 'closed_door', '--email', 'juan.ruiz@example.org']);
    expect(segment.err[0]).toBe('crm meetings invite: This meeting has no such segment. Its segments are: Working session.');
    const stranger = await cli(meetings, ['invite', 'MTG-2026-003', '--segment', 'main', '--email', 'nobody@example.org']);
    expect(stranger.err[0]).toMatch(/not in the RCM directory/);
    const unknown = await cli(meetings, ['invite', 'MTG-2026-099', '--segment', 'main', '--email', 'juan.ruiz@example.org', '--json']);
    expect(unknown).toMatchObject({ code: 1, json: { error: { code: 'meeting_not_found' } } });
    const twice = await cli(meetings, ['invite', 'MTG-2026-001', '--segment', 'closed_door', '--email', 'patricia.garza@example.org']);
    expect(twice.err[0]).toBe('crm meetings invite: This person is already invited to that segment.');
    const bad = await cli(meetings, ['invite', 'MTG-2026-001', '--segment', 'lunch', '--email', 'not-an-email']);
    expect(bad.err[0]).toBe('crm meetings invite: --segment: expected one of plenary, closed_door, deliberation, hearing, main, got "lunch"; --email: expected an e-mail address, got "not-an-email"');
    expect(await counts()).toEqual(before);
  });

  it('the closed-door limit: a Vice-Minister and two senior officials, then a refusal naming the country', async () => {
    for (const email of ['jorge.salinas@example.org', 'adriana.villarreal@example.org']) {
      expect((await cli(meetings, ['invite', 'MTG-2026-001', '--segment', 'closed_door', '--email', email])).code).toBe(0);
    }
    const before = await counts();
    const third = await cli(meetings, ['invite', 'MTG-2026-001', '--segment', 'closed_door', '--email', 'tomas.tercero@example.org', '--json']);
    expect(third.code).toBe(1);
    expect(third.json.error).toEqual({
      code: 'closed_door_delegation_full',
      message: 'The delegation of Mexico to the closed-door session already has 2 senior officials, the most that may accompany each Vice-Minister.',
    });
    expect(await counts()).toEqual(before);
    // The coordinator: only as adviser, when the PPT asks.
    const coordinator = await cli(meetings, ['invite', 'MTG-2026-001', '--segment', 'closed_door', '--email', 'ana.rojas@example.org']);
    expect(coordinator.code).toBe(1);
    const adviser = await cli(meetings, ['invite', 'MTG-2026-001', '--segment', 'closed_door', '--email', 'ana.rojas@example.org', '--adviser', '--json']);
    expect(adviser).toMatchObject({ code: 0, json: { invitation: { basis: 'coordinator_adviser' } } });
  });

  it('observers: a case opened with --json, listed with its next step; a Member Country cannot apply', async () => {
    const r = await cli(observers, ['apply', '--organization', 'OIT-2', '--name', 'OIT', '--received', '2026-05-20', '--json']);
    expect(r).toMatchObject({ code: 0, json: { application: { id: 'OBS-2026-001', stage: 'received', receivedOn: '2026-05-20' } } });
    const listed = await cli(observers, ['list', '--json']);
    expect(listed.json.applications[0]).toMatchObject({ id: 'OBS-2026-001', next: { step: 'present_at_grcm' } });
    const gt = await cli(observers, ['apply', '--country', 'GT', '--name', 'Guatemala', '--json']);
    expect(gt).toMatchObject({ code: 1, json: { error: { code: 'already_member' } } });
    const bad = await cli(observers, ['decide', 'OBS-2026-001', '--meeting', 'MTG-2026-001', '--outcome', 'maybe']);
    expect(bad.err[0]).toBe('crm observers decide: --outcome: expected admitted or rejected');
  });

  it('summary: the end-of-meeting summary circulated to the Member Countries, no Troika; refusals say why', async () => {
    const early = await cli(meetings, ['summary', 'MTG-2026-001', '--as', 'ana.rojas@example.org', '--text', 'Los Países Miembros acordaron…', '--json']);
    expect(early).toMatchObject({ code: 1, json: { error: { code: 'meeting_not_started', message: 'MTG-2026-001 starts on 2026-11-17: its summary comes at its end' } } });
    const LAST_DAY = new Date('2026-11-18T20:00:00.000Z');
    const r = await cli(meetings, ['summary', 'MTG-2026-001', '--as', 'ana.rojas@example.org', '--text', 'Los Países Miembros acordaron…', '--json'], LAST_DAY);
    expect(r).toMatchObject({ code: 0, json: { meeting: 'MTG-2026-001', kind: 'meeting_summary', stage: 'member_consultation', consultation: expect.stringMatching(/^CRM-2026-\d{3}$/) } });
    const again = await cli(meetings, ['summary', 'MTG-2026-001', '--as', 'ana.rojas@example.org', '--text', 'Otro', '--json'], LAST_DAY);
    expect(again).toMatchObject({ code: 1, json: { error: { code: 'summary_exists' } } });
    const stranger = await cli(meetings, ['summary', 'MTG-2026-001', '--as', 'nobody@example.org', '--text', 'x'], LAST_DAY);
    expect(stranger.code).toBe(1);
    expect(stranger.err[0]).toMatch(/not a focal point or ST staff member/);
    const usage = await cli(meetings, ['summary', 'MTG-2026-001', '--as', 'ana.rojas@example.org']);
    expect(usage.err[0]).toBe('crm meetings summary: give the summary with --file FILE or --text TEXT (one of them)');
  });

  it('ics: an RFC 5545 calendar on stdout, byte for byte (CRLF), in the venue\'s zone', async () => {
    const r = await cli(meetings, ['ics', 'MTG-2026-001']);
    expect(r.code).toBe(0);
    expect(r.out).toEqual([]);
    expect(r.raw.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n')).toBe(true);
    expect(r.raw.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(r.raw.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(r.raw).toContain('\r\nDTSTART;TZID=America/Mexico_City:20261117T090000\r\n');
    expect(r.raw).toContain('\r\nSUMMARY:Reunión Viceministerial 2026\r\n');
    const en = await cli(meetings, ['ics', 'MTG-2026-001', '--locale', 'en', '--json']);
    expect(en.json.reference).toBe('MTG-2026-001');
    expect(en.json.ics).toContain('PRODID:-//CRM//crm-consulta-bot//EN\r\n');
    const forInvitee = await cli(meetings, ['ics', 'MTG-2026-001', '--email', 'robert.hastings@example.org']);
    expect(forInvitee.raw).toContain('\r\nPRODID:-//CRM//crm-consulta-bot//EN\r\n');
    expect((await cli(meetings, ['ics', 'MTG-2026-001', '--email', 'nobody@example.org'])).code).toBe(1);
    const file = join(tmp, 'vm.ics');
    const written = await cli(meetings, ['ics', 'MTG-2026-001', '--output', file]);
    expect(written.out).toEqual([`MTG-2026-001: calendar written to ${file}`]);
    expect(await readFile(file, 'utf8')).toBe(r.raw);
    expect((await cli(meetings, ['ics', 'MTG-2026-404'])).code).toBe(1);
  });

  it('duties: every tracked duty with owner, due date and state; --open; done, with the agenda checked', async () => {
    const all = await cli(duties, ['--json']);
    expect(all.code).toBe(0);
    const list = all.json.duties as { duty: string; meeting: string | null; owner: string; due: string; state: string }[];
    expect(Object.keys(list[0]!)).toEqual(['duty', 'meeting', 'owner', 'due', 'state']);
    // The ST coordinator's contract (2025-03-01) gives the vacancy notice, with no meeting.
    expect(list).toContainEqual({ duty: 'coordinator_vacancy_notice', meeting: null, owner: 'PPT', due: '2027-03-01', state: 'open' });
    expect(list.filter((d) => d.meeting === 'MTG-2026-003').map((d) => d.duty)).toEqual(['st_operational_financial_report', 'meeting_summary']);
    const sorted = [...list].sort((a, b) => a.due.localeCompare(b.due));
    expect(list.map((d) => d.due)).toEqual(sorted.map((d) => d.due));

    const early = await cli(duties, ['done', '--meeting', 'MTG-2026-001', '--duty', 'plenary_agenda', '--json']);
    expect(early.code).toBe(1);
    expect(early.json.error.code).toBe('agenda_incomplete');
    expect(early.err[0]).toBe(
      "crm duties done: The agenda of the plenary session does not yet include the report of the Presidency Pro Tempore, the opening statements of the Member Countries' delegations and the dialogue with civil society, represented by the RROCM.",
    );
    const partial = await cli(meetings, ['agenda', 'MTG-2026-001', 'ppt_report', 'Panel: migración y clima']);
    expect(partial.code).toBe(0);
    expect(partial.err[0]).toMatch(/^warning: the plenary agenda does not yet include the opening statements/);
    const full = await cli(meetings, ['agenda', 'MTG-2026-001', 'ppt_report', 'opening_statements', 'civil_society_dialogue', 'Panel: migración y clima', '--json']);
    expect(full.json).toEqual({
      reference: 'MTG-2026-001',
      agenda: ['ppt_report', 'opening_statements', 'civil_society_dialogue', 'Panel: migración y clima'],
      missing: [],
    });
    const ok = await cli(duties, ['done', '--meeting', 'MTG-2026-001', '--duty', 'plenary_agenda', '--json']);
    expect(ok).toMatchObject({ code: 0, json: { duty: { duty: 'plenary_agenda', meeting: 'MTG-2026-001', owner: 'PPT', due: '2026-11-02', state: 'done' } } });
    expect((await cli(duties, ['done', '--meeting', 'MTG-2026-001', '--duty', 'plenary_agenda'])).err[0]).toBe(
      'crm duties done: That task is already recorded as done.',
    );
    // Several owners for the same duty: the owner is needed.
    expect((await cli(duties, ['done', '--meeting', 'MTG-2026-001', '--duty', 'observer_reports', '--json'])).json.error.code).toBe('unknown_duty');
    expect((await cli(duties, ['done', '--meeting', 'MTG-2026-001', '--duty', 'observer_reports', '--owner', 'OIM'])).code).toBe(0);
    expect((await cli(duties, ['done', '--duty', 'coordinator_vacancy_notice'])).code).toBe(0);
    expect((await counts()).completions).toBe(3);

    const open = await cli(duties, ['--open', '--json']);
    const openList = open.json.duties as typeof list;
    expect(openList.length).toBe(list.length - 3);
    expect(openList.every((d) => d.state !== 'done')).toBe(true);
    const again = await cli(duties, ['--json']);
    expect(again.json.duties.filter((d: { state: string }) => d.state === 'done')).toHaveLength(3);
    // The ICS's SEQUENCE went up with the agenda changes.
    expect((await cli(meetings, ['ics', 'MTG-2026-001'])).raw).toContain('\r\nSEQUENCE:2\r\n');
  });

  it('duties: text output, and late once the due date has passed', async () => {
    const out: string[] = [];
    const code = await duties(['--open'], { out: (l) => out.push(l), err: () => undefined }, { env, now: () => new Date('2026-10-20T18:00:00Z') });
    expect(code).toBe(0);
    expect(out[0]).toBe('due\tstate\tduty\tmeeting\towner');
    expect(out).toContain('2026-10-18\tlate\tdraft_declaration_action_plan\tMTG-2026-001\tPPT');
    expect(out).toContain('2026-11-02\topen\tst_budget_report\tMTG-2026-001\tST');
  });
});
