import { describe, expect, it } from 'vitest';
import { loadDirectoryFile, parseDirectory } from '../../../src/directory/load.ts';
import { fixture, parseEdited, problemsOf, warningsOf, type Raw } from './helpers.ts';

// Example indices: countries BZ0 CA1 CR2 SV3 US4 GT5 HN6 MX7 NI8 PA9 DO10 AR11 CO12 EC13 JM14 PE15;
// presidencies SV0 PA1 GT2 CR3 CA4 DO5 BZ6 HN7 MX8 PA9 SV10.

type Case = [name: string, edit: (d: Raw) => void, expected: string];

/** Each edit of the example must produce exactly this problem line (and may produce no other). */
const exact: Case[] = [
  ['malformed Slack user id', (d) => (d.countries[3].focalPoints[0].slack = 'u0sv0000001'), 'countries[3].focalPoints[0].slack: expected a Slack user id'],
  ['Slack user id given as a number', (d) => (d.countries[3].focalPoints[0].slack = 12345), 'countries[3].focalPoints[0].slack: expected a Slack user id'],
  ['channel id where a user id belongs', (d) => (d.secretariat.staff[0].slack = 'C0123'), 'secretariat.staff[0].slack: expected a Slack user id'],
  ['malformed Slack channel id', (d) => (d.secretariat.slack.channel = 'U0ST0000009'), 'secretariat.slack.channel: expected a Slack channel id'],
  ['malformed e-mail', (d) => (d.countries[2].focalPoints[0].email = 'luis.mora'), 'countries[2].focalPoints[0].email: expected an e-mail address'],
  ['malformed Teams id', (d) => (d.countries[1].focalPoints[1].teams = 'owen'), 'countries[1].focalPoints[1].teams: expected a Microsoft Entra object id (a GUID)'],
  ['unknown locale', (d) => (d.countries[2].focalPoints[0].locale = 'fr'), 'countries[2].focalPoints[0].locale: expected es or en, got "fr"'],
  ['unknown status', (d) => (d.countries[2].status = 'associate'), 'countries[2].status: expected member or observer, got "associate"'],
  ['unknown organisation kind', (d) => (d.organizations[0].kind = 'partner'), 'organizations[0].kind: expected observer, civil-society or invitee, got "partner"'],
  ['unknown holiday kind', (d) => (d.holidays[0].kind = 'half-day'), 'holidays[0].kind: expected holiday or working, got "half-day"'],
  ['unknown field', (d) => (d.countries[2].focalpoints = []), 'countries[2].focalpoints: unknown field'],
  ['unknown top-level field', (d) => (d.members = []), 'members: unknown field'],
  ['missing required field', (d) => delete d.countries[2].timezone, 'countries[2].timezone: required'],
  ['missing name translation', (d) => delete d.countries[2].name.en, 'countries[2].name.en: required'],
  ['empty name', (d) => (d.countries[2].focalPoints[0].name = '  '), 'countries[2].focalPoints[0].name: must not be empty'],
  ['countries not a list', (d) => (d.countries = 'CR'), 'countries: expected a list, got "CR"'],
  ['no presidency terms', (d) => (d.presidencies = []), 'presidencies: at least one presidency term is needed'],
  // country codes and membership
  ['not an ISO code', (d) => (d.countries[12].code = 'XX'), 'countries[12].code: unknown country code "XX" (not ISO 3166-1 alpha-2)'],
  ['reserved, not assigned, code', (d) => (d.countries[12].code = 'UK'), 'countries[12].code: unknown country code "UK" (not ISO 3166-1 alpha-2)'],
  ['lower-case code', (d) => (d.countries[12].code = 'co'), 'countries[12].code: expected an ISO 3166-1 alpha-2 country code (two capital letters), got "co"'],
  ['PPT held by a country not listed', (d) => (d.presidencies[10].country = 'BR'), 'presidencies[10].country: BR is not a Member Country; only a Member Country holds the PPT'],
  ['bad body code', (d) => (d.body = { code: 'C R M', name: { es: 'x', en: 'x' } }), 'body.code: expected a short code of letters, digits and "-" (at most 16), e.g. CRM'],
  ['body without its English name', (d) => (d.body = { code: 'CSM', name: { es: 'Conferencia Suramericana sobre Migraciones' } }), 'body.name.en: required'],
  ['duplicate country', (d) => d.countries.push({ ...d.countries[2], focalPoints: [], people: [] }), 'countries[16].code: duplicate country CR (already at countries[2])'],
  // identities
  ['focal point in two countries', (d) => d.countries[3].focalPoints.push({ name: 'Luis', email: 'LUIS.MORA@example.org' }),
    'countries[3].focalPoints[1].email: LUIS.MORA@example.org is already a focal point of CR (countries[2].focalPoints[0])'],
  ['focal point twice in one country', (d) => d.countries[2].focalPoints.push({ name: 'Luis', email: 'luis.mora@example.org', slack: 'U0CR0000009' }),
    'countries[2].focalPoints[2].email: luis.mora@example.org is listed twice for CR (countries[2].focalPoints[0])'],
  ['staff e-mail reused by a focal point', (d) => (d.countries[2].focalPoints[1].email = 'ana.rojas@example.org'),
    'countries[2].focalPoints[1].email: ana.rojas@example.org is already used by ST staff (secretariat.staff[0])'],
  ['Slack id of a staff member reused by a focal point', (d) => (d.countries[6].focalPoints[1].slack = 'U0ST0000002'),
    'countries[6].focalPoints[1].slack: Slack user id U0ST0000002 is already used by ST staff (secretariat.staff[1])'],
  ['Slack id used by two focal points', (d) => (d.countries[7].focalPoints[0].slack = 'U0CR0000001'),
    'countries[7].focalPoints[0].slack: Slack user id U0CR0000001 is already used by a focal point of CR (countries[2].focalPoints[0])'],
  ['Teams id used twice (any case)', (d) => (d.countries[4].focalPoints[0].teams = '0C0A0000-0000-4000-8000-000000000001'),
    'countries[4].focalPoints[0].teams: Teams id 0C0A0000-0000-4000-8000-000000000001 is already used by a focal point of CA (countries[1].focalPoints[1])'],
  // presidency roster
  ['overlapping terms', (d) => (d.presidencies[8].from = '2025-11-01'), 'presidencies[8]: overlaps presidencies[7] (HN 2024-11-15..2025-11-13)'],
  ['term ending before it starts', (d) => (d.presidencies[10].to = '2027-01-01'), 'presidencies[10].to: 2027-01-01 is before the term\'s start (2027-11-19)'],
  ['PPT held by a non-member', (d) => (d.presidencies[10].country = 'CO'), 'presidencies[10].country: CO is not a Member Country; only a Member Country holds the PPT'],
  ['bad term date', (d) => (d.presidencies[0].from = '2017-13-01'), 'presidencies[0].from: 2017-13-01 is not a calendar date'],
  ['term date not a date', (d) => (d.presidencies[0].from = 'November 2017'), 'presidencies[0].from: expected a date YYYY-MM-DD, got "November 2017"'],
  // zones and calendars
  ['unknown time zone', (d) => (d.countries[2].timezone = 'America/San_Jose'), 'countries[2].timezone: unknown time zone "America/San_Jose"'],
  ['wrongly-cased time zone', (d) => (d.countries[2].timezone = 'america/costa_rica'), 'countries[2].timezone: unknown time zone "america/costa_rica" (did you mean "America/Costa_Rica"?)'],
  ['UTC offset instead of a zone', (d) => (d.countries[2].focalPoints[0].timezone = '-06:00'),
    'countries[2].focalPoints[0].timezone: expected an IANA time zone name such as America/Costa_Rica, got "-06:00"'],
  ['unknown calendar country', (d) => (d.secretariat.calendar = 'QQ'), 'secretariat.calendar: unknown holiday calendar "QQ" (no country "QQ" in date-holidays)'],
  ['unknown calendar region', (d) => (d.countries[1].calendar = 'CA-XX'), 'countries[1].calendar: unknown holiday calendar "CA-XX" (CA has no region "XX" in date-holidays)'],
  ['malformed calendar id', (d) => (d.countries[1].calendar = 'CA--ON'), 'countries[1].calendar: expected a holiday calendar id such as CR, CA-ON or US-DC, got "CA--ON"'],
  // holiday overrides
  ['override on a non-date', (d) => (d.holidays[0].date = '2026-02-30'), 'holidays[0].date: 2026-02-30 is not a calendar date'],
  ['override on an unknown calendar', (d) => (d.holidays[0].calendar = 'ZZ'), 'holidays[0].calendar: unknown holiday calendar "ZZ" (no country "ZZ" in date-holidays)'],
  ['override given twice', (d) => d.holidays.push({ calendar: 'CR', date: '2026-12-24', name: 'Otra vez' }), 'holidays[1]: a second override for CR on 2026-12-24 (holidays[0])'],
  // organisations
  ['duplicate organisation', (d) => d.organizations.push({ code: 'oim', kind: 'invitee', name: { es: 'x', en: 'x' } }), 'organizations[12].code: duplicate organisation oim (already at organizations[3])'],
];

describe('parseDirectory: one problem line per mistake, naming the field path', () => {
  it.each(exact)('%s', (_name, edit, expected) => {
    const r = parseEdited(edit);
    expect(problemsOf(r)).toEqual([expected]);
  });

  it('more than one open-ended term', () => {
    const r = parseEdited((d) => {
      delete d.presidencies[9].to;
    });
    expect(problemsOf(r)).toContain(
      'presidencies[10]: a second open-ended term (presidencies[9] has no "to" either); only the latest term may be open-ended',
    );
    // ... which also overlaps the next term
    expect(problemsOf(r)).toContain('presidencies[10]: overlaps presidencies[9] (PA 2026-11-20..open)');
  });

  it('collects every problem, not just the first', async () => {
    const r = await loadDirectoryFile(fixture('many-problems.yaml'));
    expect(r.ok).toBe(false);
    const problems = problemsOf(r);
    expect(problems).toEqual(
      expect.arrayContaining([
        'secretariat.timezone: unknown time zone "America/San_Jose"',
        'secretariat.locale: expected es or en, got "fr"',
        'secretariat.slack.channel: expected a Slack channel id',
        'countries[0].calendar: unknown holiday calendar "CR-XX" (CR has no region "XX" in date-holidays)',
        'countries[2].focalpoints: unknown field',
        'countries[1].code: duplicate country CR (already at countries[0])',
        'countries[0].focalPoints[0].slack: Slack user id U0ST0000001 is already used by ST staff (secretariat.staff[0])',
        'presidencies[1]: overlaps presidencies[0] (HN 2024-11-15..2025-11-13)',
        'presidencies[2].country: AR is not a Member Country; only a Member Country holds the PPT',
        'organizations[1].code: duplicate organisation OIM (already at organizations[0])',
        'holidays[0].date: 2026-02-30 is not a calendar date',
        'holidays[1].calendar: unknown holiday calendar "ZZ" (no country "ZZ" in date-holidays)',
      ]),
    );
    expect(problems.length).toBeGreaterThanOrEqual(15);
    for (const p of problems) {
      expect(p).not.toContain('\n');
      expect(p).toMatch(/^[a-z][A-Za-z]*(\[\d+\])?(\.[A-Za-z]+(\[\d+\])?)*: \S/);
    }
  });

  it('the fixture with a bad Slack id gives exactly the documented line', async () => {
    const r = await loadDirectoryFile(fixture('bad-slack.yaml'));
    expect(r).toEqual({ ok: false, problems: ['countries[3].focalPoints[0].slack: expected a Slack user id'] });
  });
});

describe('parseDirectory: YAML and file level', () => {
  it('YAML syntax errors name line and column', () => {
    expect(parseDirectory('a: 1\na: 2\n')).toEqual({ ok: false, problems: ['line 2, column 1: Map keys must be unique'] });
    const r = parseDirectory('secretariat: [1, 2\ncountries: 3\n', 'dir.yaml');
    expect(problemsOf(r)).toHaveLength(1);
    expect(problemsOf(r)[0]).toMatch(/^dir\.yaml: line 2, column 1: .+/);
  });

  it('syntax-error fixture', async () => {
    const r = await loadDirectoryFile(fixture('syntax-error.yaml'));
    expect(problemsOf(r)).toEqual(['test/fixtures/directory/syntax-error.yaml: line 3, column 3: Map keys must be unique']);
  });

  it('a syntax error quoting a very long line is cut, still one readable line (found by the fuzzer)', () => {
    const r = parseDirectory(`|${'a'.repeat(5000)}`, 'd.yaml');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatch(/^d\.yaml: line 1, column 2: Block scalar header includes extra characters: \|a+\.\.\.$/);
    expect(r.problems[0]!.length).toBeLessThan(200);
  });

  it('an unresolved alias is a problem, not an exception', () => {
    expect(problemsOf(parseDirectory('secretariat: *nope\n'))).toHaveLength(1);
  });

  it('empty file and non-mapping document', () => {
    expect(parseDirectory('')).toEqual({ ok: false, problems: ['(document): the directory file is empty'] });
    expect(parseDirectory('- CR\n- PA\n')).toEqual({
      ok: false,
      problems: ['(document): expected a mapping with body, secretariat, presidencies, countries, organizations, holidays'],
    });
  });

  it('a missing file is a problem with the path', async () => {
    expect(await loadDirectoryFile('test/fixtures/directory/does-not-exist.yaml')).toEqual({
      ok: false,
      problems: ['test/fixtures/directory/does-not-exist.yaml: cannot read the directory file (no such file)'],
    });
    expect(await loadDirectoryFile('test/fixtures/directory')).toEqual({
      ok: false,
      problems: ['test/fixtures/directory: cannot read the directory file (is a directory, not a file)'],
    });
  });
});

describe('accepted variants', () => {
  it.each<[string, (d: Raw) => void]>([
    ['UTC', (d) => (d.countries[2].focalPoints[0].timezone = 'UTC')],
    ['a legacy alias zone', (d) => (d.countries[11].timezone = 'America/Buenos_Aires')],
    ['a numeric region calendar (GT-1)', (d) => (d.countries[5].calendar = 'GT-1')],
    ['a focal point with Teams only', (d) => ((d.countries[4].focalPoints[0].teams = '11111111-2222-4333-8444-555555555555'), delete d.countries[4].focalPoints[0].slack)],
    ['a working-day override', (d) => d.holidays.push({ calendar: 'US-DC', date: '2026-07-03', name: 'Office open', kind: 'working' })],
    ['a W… Slack user id (Enterprise Grid)', (d) => (d.countries[2].focalPoints[0].slack = 'W0CR0000001')],
    ['a G… channel id', (d) => (d.secretariat.slack.channel = 'G0ST0000001')],
    ['empty optional lists written as `key:` (YAML null)', (d) => ((d.holidays = null), (d.organizations = null), (d.countries[11].focalPoints = null))],
    ['secretariat Teams channel', (d) => (d.secretariat.teams = { channel: '19:abc@thread.tacv2' })],
  ])('%s', (_name, edit) => {
    expect(warningsOf(parseEdited(edit))).toEqual([]);
  });
});

describe('warnings (the file still loads)', () => {
  it.each<[string, (d: Raw) => void, string]>([
    ['member without focal points', (d) => (d.countries[8].focalPoints = []), 'countries[8].focalPoints: member country NI has no focal points; consultations cannot reach it'],
    ['gap in the roster', (d) => (d.presidencies[9].from = '2026-12-01'), 'presidencies: no PPT from 2026-11-20 to 2026-11-30 (between presidencies[8] and presidencies[9])'],
    ['roster out of order', (d) => d.presidencies.reverse(), 'presidencies[1]: listed out of order (starts before the term above it); terms are read in date order'],
    ['person nobody can reach', (d) => delete d.countries[2].focalPoints[1].slack, 'countries[2].focalPoints[1]: has neither slack nor teams; the bot cannot reach this person'],
    ['override on an unused calendar', (d) => d.holidays.push({ calendar: 'DE', date: '2026-10-03', name: 'x' }), 'holidays[1].calendar: DE is not the calendar of the secretariat or of any country; this override has no effect'],
    ['country with another country\'s calendar', (d) => (d.countries[1].calendar = 'US-DC'), 'countries[1].calendar: "US-DC" is not a calendar of CA'],
    ['no ST staff', (d) => (d.secretariat.staff = []), 'secretariat.staff: no ST staff listed; nobody may manage the directory from chat'],
  ])('%s', (_name, edit, expected) => {
    expect(warningsOf(parseEdited(edit))).toEqual([expected]);
  });

  it('valid-small fixture: ok; a directory of three countries is not "missing" any (membership is its own)', async () => {
    const r = await loadDirectoryFile(fixture('valid-small.yaml'));
    const w = warningsOf(r);
    expect(w).toContain('countries[1].focalPoints: member country PA has no focal points; consultations cannot reach it');
    expect(w).toContain('presidencies: no PPT from 2025-07-01 to 2025-07-31 (between presidencies[0] and presidencies[1])');
    expect(w.filter((x) => x.includes('missing'))).toEqual([]);
  });
});

describe('membership and the body are the directory\'s data', () => {
  it('a country admitted as a member, and a new observer, load with no problem and no warning about it', () => {
    const r = parseEdited((d) => {
      d.countries[12].code = 'BR';
      d.countries[12].calendar = 'BR';
      d.countries[12].name = { es: 'Brasil', en: 'Brazil' };
      d.countries[12].status = 'member';
      d.countries[12].focalPoints = [{ name: 'X', email: 'x@example.org', slack: 'U0BR0000001' }];
      d.countries[11].status = 'member';
      d.countries[11].focalPoints = [{ name: 'Y', email: 'y@example.org', slack: 'U0AR0000001' }];
      d.countries[8].status = 'observer';
      d.countries[8].focalPoints = [];
      delete d.countries[8].people;
    });
    expect(problemsOf(r)).toEqual([]);
    expect(warningsOf(r)).toEqual([]);
    if (!r.ok) throw new Error('expected ok');
    const members = r.directory.countries.filter((c) => c.status === 'member').map((c) => c.code);
    expect(members).toContain('BR');
    expect(members).toContain('AR');
    expect(members).not.toContain('NI');
  });

  it('a directory with no member country is refused, saying so', () => {
    const r = parseEdited((d) => d.countries.forEach((c: { status: string }) => (c.status = 'observer')));
    expect(problemsOf(r)).toContain('countries: no country has status member; a consultation needs Member Countries');
  });

  it('body: absent means the CRM; given, it is kept', () => {
    const crm = parseEdited((d) => delete d.body);
    if (!crm.ok) throw new Error('expected ok');
    expect(crm.directory.body).toBeUndefined();
    const example = parseEdited(() => {});
    if (!example.ok) throw new Error('expected ok');
    expect(example.directory.body?.code).toBe('CRM');
    const csm = parseEdited((d) => (d.body = { code: 'CSM', name: { es: 'Conferencia Suramericana sobre Migraciones', en: 'South American Conference on Migration' } }));
    if (!csm.ok) throw new Error(problemsOf(csm).join('\n'));
    expect(csm.directory.body).toEqual({ code: 'CSM', name: { es: 'Conferencia Suramericana sobre Migraciones', en: 'South American Conference on Migration' } });
  });
});
