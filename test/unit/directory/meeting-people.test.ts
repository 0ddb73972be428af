/**
 * The directory's meetings data (shared/interfaces.md "Directory file", people and roles): `people:` per
 * country and organisation, `roles` on focal points and people, `st_coordinator` and `contract` on ST
 * staff. Each mistake is one problem line naming the field path; directories without these fields read
 * exactly as before.
 */
import { describe, expect, it } from 'vitest';
import { loadDirectoryFile } from '../../../src/directory/load.ts';
import { participantsFrom } from '../../../src/flows/people.ts';
import { ci, fixture, parseEdited, problemsOf, warningsOf, EXAMPLE_PATH, type Raw } from './helpers.ts';

type Case = [name: string, edit: (d: Raw) => void, expected: string];

const GT = 5;
const CO = 12;
const OIM = 3;

const exact: Case[] = [
  ['unknown role', (d) => (d.countries[GT].people[1].roles = ['senior_official', 'minister']),
    'countries[5].people[1].roles[1]: unknown role "minister" (expected vice_minister, senior_official, grcm_delegate, liaison_trafficking or liaison_consular)'],
  ['roles not a list', (d) => (d.countries[GT].people[0].roles = 'vice_minister'), 'countries[5].people[0].roles: expected a list of roles, got "vice_minister"'],
  ['st_coordinator on a country delegate', (d) => (d.countries[GT].people[0].roles = ['st_coordinator']),
    'countries[5].people[0].roles[0]: st_coordinator is a role of ST staff only (secretariat.staff)'],
  ['st_coordinator on a focal point', (d) => (d.countries[GT].focalPoints[0].roles = ['st_coordinator']),
    'countries[5].focalPoints[0].roles[0]: st_coordinator is a role of ST staff only (secretariat.staff)'],
  ['a delegation role on ST staff', (d) => (d.secretariat.staff[1].roles = ['vice_minister']),
    'secretariat.staff[1].roles[0]: vice_minister is a role of a country\'s delegation, not of ST staff (ST staff may carry st_coordinator)'],
  ['unknown field on a delegate', (d) => (d.countries[GT].people[0].role = ['vice_minister']), 'countries[5].people[0].role: unknown field'],
  ['delegate without e-mail', (d) => delete d.countries[GT].people[0].email, 'countries[5].people[0].email: required'],
  ['delegate with a malformed e-mail', (d) => (d.organizations[OIM].people[0].email = 'laura'), 'organizations[3].people[0].email: expected an e-mail address'],
  ['a delegate who is also a focal point of the country', (d) => d.countries[GT].people.push({ name: 'X', email: 'AnaLucia.Perez@example.org' }),
    'countries[5].people[4].email: AnaLucia.Perez@example.org is already a focal point of GT (countries[5].focalPoints[0]); give the roles on that entry instead'],
  ['a delegate listed for two countries', (d) => d.countries[ci(d, 'HN')].people.push({ name: 'X', email: 'ana.perez@example.org' }),
    'countries[6].people[4].email: ana.perez@example.org is already used by a meeting delegate of GT (countries[5].people[0])'],
  ['an organisation delegate reusing a staff e-mail', (d) => (d.organizations[OIM].people[0].email = 'daniel.brenes@example.org'),
    'organizations[3].people[0].email: daniel.brenes@example.org is already used by ST staff (secretariat.staff[1])'],
  ['a delegate reusing a Slack id', (d) => (d.countries[GT].people[0].slack = 'U0GT0000001'),
    'countries[5].people[0].slack: Slack user id U0GT0000001 is already used by a focal point of GT (countries[5].focalPoints[0])'],
  ['roles on an observer country\'s delegate', (d) => (d.countries[CO].people[0].roles = ['grcm_delegate']),
    'countries[12].people[0].roles: CO is an observer country; delegation roles (grcm_delegate) belong to Member Countries'],
  ['roles on an observer country\'s focal point', (d) => (d.countries[ci(d, 'JM')].focalPoints[0].roles = ['liaison_consular']),
    'countries[14].focalPoints[0].roles: JM is an observer country; delegation roles (liaison_consular) belong to Member Countries'],
  ['roles on an organisation\'s delegate', (d) => (d.organizations[OIM].people[0].roles = ['senior_official']),
    'organizations[3].people[0].roles: OIM takes part as an organisation; delegation roles belong to Member Countries'],
  ['two ST coordinators', (d) => (d.secretariat.staff[1].roles = ['st_coordinator']),
    'secretariat.staff[1].roles: a second ST coordinator (secretariat.staff[0] is one already); the ST has one coordinator'],
  ['a contract on staff who is not the coordinator', (d) => (d.secretariat.staff[1].contract = { from: '2025-01-01', extensions: 0 }),
    'secretariat.staff[1].contract: only the ST coordinator (roles: [st_coordinator]) has a contract recorded here'],
  ['three extensions', (d) => (d.secretariat.staff[0].contract.extensions = 3),
    'secretariat.staff[0].contract.extensions: at most two extensions: the contract is for one year, extensible to a maximum of two more'],
  ['a fractional extension', (d) => (d.secretariat.staff[0].contract.extensions = 1.5), 'secretariat.staff[0].contract.extensions: expected 0, 1 or 2 (a whole number)'],
  ['a contract date that is not a date', (d) => (d.secretariat.staff[0].contract.from = '2025-02-30'), 'secretariat.staff[0].contract.from: 2025-02-30 is not a calendar date'],
  ['a contract without its start', (d) => delete d.secretariat.staff[0].contract.from, 'secretariat.staff[0].contract.from: required'],
  ['an unknown contract field', (d) => (d.secretariat.staff[0].contract.to = '2026-01-01'), 'secretariat.staff[0].contract.to: unknown field'],
];

describe('meetings data in the directory: one problem line per mistake, naming the field path', () => {
  it.each(exact)('%s', (_name, edit, expected) => {
    expect(problemsOf(parseEdited(edit))).toEqual([expected]);
  });
});

describe('meetings data: what loads, and how', () => {
  it('the example lists people with roles for every Member Country, an ST coordinator with a contract', async () => {
    const r = await loadDirectoryFile(EXAMPLE_PATH);
    if (!r.ok) throw new Error(r.problems.join('\n'));
    const d = r.directory;
    for (const c of d.countries.filter((x) => x.status === 'member')) {
      const roles = new Set([...(c.people ?? []), ...c.focalPoints].flatMap((p) => p.roles ?? []));
      expect([...roles].sort(), c.code).toEqual(['grcm_delegate', 'liaison_consular', 'liaison_trafficking', 'senior_official', 'vice_minister']);
    }
    const coordinator = d.secretariat.staff.filter((s) => s.roles?.includes('st_coordinator'));
    expect(coordinator).toHaveLength(1);
    expect(coordinator[0]!.contract).toEqual({ from: '2025-03-01', extensions: 1 });
    const gt = d.countries.find((c) => c.code === 'GT')!;
    expect(gt.people?.[0]).toEqual({
      id: 'ana.perez@example.org',
      name: 'Ana Pérez Monzón',
      email: 'ana.perez@example.org',
      locale: 'es',
      timezone: 'America/Guatemala',
      roles: ['vice_minister'],
    });
    expect(d.organizations.find((o) => o.code === 'RROCM')?.people?.map((p) => [p.name, p.locale, p.timezone])).toEqual([
      ['Teresa Alfaro', 'es', 'America/Costa_Rica'],
      ['Samuel Price', 'en', 'America/Costa_Rica'],
    ]);
    expect(d.countries.find((c) => c.code === 'MX')?.focalPoints[0]?.roles).toEqual(['grcm_delegate']);
  });

  it('meeting delegates never become consultation participants: consultations reach focal points only', async () => {
    const r = await loadDirectoryFile(EXAMPLE_PATH);
    if (!r.ok) throw new Error(r.problems.join('\n'));
    const frozen = new Set(participantsFrom(r.directory).members.flatMap((m) => m.focalPoints.map((f) => f.personId)));
    const delegates = r.directory.countries.flatMap((c) => c.people ?? []).map((p) => p.id);
    expect(delegates.length).toBeGreaterThan(40);
    for (const d of delegates) expect(frozen.has(d), d).toBe(false);
    expect(frozen.has('fernanda.rios@example.org')).toBe(true); // a focal point with a meeting role stays one
  });

  it('delegates default like focal points: the country zone, English for English-speaking countries', () => {
    const r = parseEdited((d) => d.countries[ci(d, 'BZ')].people.push({ name: 'New', email: 'new@example.org' }));
    if (!r.ok) throw new Error(r.problems.join('\n'));
    const p = r.directory.countries.find((c) => c.code === 'BZ')!.people!.at(-1)!;
    expect([p.locale, p.timezone, p.roles]).toEqual(['en', 'America/Belize', undefined]);
  });

  it('delegates need no chat account, and repeated roles count once', () => {
    const r = parseEdited((d) => (d.countries[GT].people[1].roles = ['senior_official', 'senior_official', 'grcm_delegate']));
    expect(warningsOf(r)).toEqual([]);
    if (!r.ok) throw new Error('not ok');
    expect(r.directory.countries[GT]!.people![1]!.roles).toEqual(['senior_official', 'grcm_delegate']);
  });

  it('a coordinator without contract dates is a warning (the vacancy notice cannot be planned)', () => {
    expect(warningsOf(parseEdited((d) => delete d.secretariat.staff[0].contract))).toEqual([
      'secretariat.staff[0]: the ST coordinator has no contract dates; the vacancy notice cannot be planned',
    ]);
  });

  it('a directory without people, roles or contract reads exactly as before (no empty fields added)', async () => {
    const r = await loadDirectoryFile(fixture('valid-small.yaml'));
    if (!r.ok) throw new Error(r.problems.join('\n'));
    const json = JSON.stringify(r.directory);
    expect(json).not.toContain('"people"');
    expect(json).not.toContain('"roles"');
    expect(json).not.toContain('"contract"');
    const empty = parseEdited((d) => ((d.countries[GT].people = []), (d.countries[GT].focalPoints[0].roles = [])));
    if (!empty.ok) throw new Error(empty.problems.join('\n'));
    expect(empty.directory.countries[GT]).not.toHaveProperty('people');
    expect(empty.directory.countries[GT]!.focalPoints[0]).not.toHaveProperty('roles');
  });
});
