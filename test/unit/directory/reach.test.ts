/**
 * How to reach a person is per person (interfaces.md "Directory file"): `reach: slack | teams | email` when
 * they have more than one way; default the first of Slack, Teams, e-mail they have. The directory carries
 * it; flows/addressing.ts addresses every message by it.
 */
import { describe, expect, it } from 'vitest';
import type { Person } from '../../../src/directory/model.ts';
import { personAddress, reachOf } from '../../../src/flows/addressing.ts';
import { parseEdited, problemsOf, warningsOf, type Raw } from './helpers.ts';

const TEAMS = '11111111-2222-4333-8444-555555555555';
// Example indices: countries BZ0 CA1 CR2 SV3 US4 …; countries[2].focalPoints[0] is Luis Mora (CR), on Slack.
const luis = (d: Raw) => d.countries[2].focalPoints[0];

describe('the directory file', () => {
  it('a person with both ids may ask to be reached on Teams', () => {
    const r = parseEdited((d) => Object.assign(luis(d), { teams: TEAMS, reach: 'teams' }));
    expect(problemsOf(r)).toEqual([]);
    expect(warningsOf(r)).toEqual([]);
    const fp = r.ok ? r.directory.countries[2]!.focalPoints[0]! : undefined;
    expect(fp).toMatchObject({ slack: 'U0CR0000001', teams: TEAMS, reach: 'teams' });
  });

  it('reach is optional: without it the person carries none (the default is read when addressing)', () => {
    const r = parseEdited(() => undefined);
    expect(r.ok && r.directory.countries[2]!.focalPoints[0]!.reach).toBeUndefined();
  });

  it.each<[string, (d: Raw) => void, string]>([
    ['an unknown platform', (d) => (luis(d).reach = 'whatsapp'), 'countries[2].focalPoints[0].reach: expected slack, teams or email, got "whatsapp"'],
    ['teams without a teams id', (d) => (luis(d).reach = 'teams'), 'countries[2].focalPoints[0].reach: teams, but this person has no teams id to be reached on'],
    ['slack without a slack id', (d) => Object.assign(luis(d), { teams: TEAMS, reach: 'slack', slack: undefined }), 'countries[2].focalPoints[0].reach: slack, but this person has no slack id to be reached on'],
  ])('refuses %s, naming the field', (_what, edit, expected) => {
    const r = parseEdited((d) => {
      edit(d);
      if (luis(d).slack === undefined) delete luis(d).slack;
    });
    expect(problemsOf(r)).toEqual([expected]);
  });

  it('ST staff may carry it too', () => {
    const r = parseEdited((d) => Object.assign(d.secretariat.staff[0], { reach: 'email' }));
    expect(problemsOf(r)).toEqual([]);
    expect(r.ok && r.directory.secretariat.staff[0]!.reach).toBe('email');
  });
});

describe('reachOf and personAddress', () => {
  const base = { email: 'p@example.org' } as const;
  it.each<[string, Partial<Person>, string | undefined]>([
    ['Slack only', { slack: 'U1' }, 'slack'],
    ['Teams only', { teams: TEAMS }, 'teams'],
    ['both, no reach: Slack first', { slack: 'U1', teams: TEAMS }, 'slack'],
    ['both, reach teams', { slack: 'U1', teams: TEAMS, reach: 'teams' }, 'teams'],
    ['both, reach slack', { slack: 'U1', teams: TEAMS, reach: 'slack' }, 'slack'],
    ['both, reach email', { slack: 'U1', teams: TEAMS, reach: 'email' }, 'email'],
    ['reach teams but no teams id: the first they have', { slack: 'U1', reach: 'teams' }, 'slack'],
    ['e-mail only', {}, 'email'],
  ])('%s → %s', (_what, over, expected) => {
    expect(reachOf({ ...base, ...over })).toBe(expected);
  });

  it('a focal point frozen on a consultation is addressed where the live directory says, with both ids kept', () => {
    const person: Person = { id: 'p@example.org', name: 'P', email: 'p@example.org', slack: 'U1', teams: TEAMS, reach: 'teams', locale: 'en', timezone: 'America/Chicago' };
    const a = personAddress({ personId: person.id, name: 'P (frozen)', locale: 'es', timezone: 'America/Costa_Rica' } as never, new Map([[person.id, person]]));
    expect(a).toEqual({
      recipient: { kind: 'person', personId: person.id, name: 'P', slack: 'U1', teams: TEAMS },
      platform: 'teams',
      locale: 'en',
      timezone: 'America/Chicago',
      key: person.id,
    });
    const email = personAddress({ personId: person.id, name: 'P', locale: 'es', timezone: 'UTC' } as never, new Map([[person.id, { ...person, reach: 'email' as const }]]));
    expect(email).toMatchObject({ platform: 'email', recipient: { email: 'p@example.org' } });
  });
});
