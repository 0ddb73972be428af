import { describe, expect, it } from 'vitest';
import { parseDirectory } from '../../../src/directory/load.ts';
import { defaultLocaleFor } from '../../../src/directory/membership.ts';
import type { Directory } from '../../../src/directory/model.ts';
import { directorySchema } from '../../../src/directory/schema.ts';

const minimal = `
secretariat:
  staff:
    - { name: Ana, email: ANA@Example.org, slack: U0ST0000001 }
presidencies:
  - { country: CR, from: 2025-01-01 }
countries:
  - code: US
    status: member
    name: { es: Estados Unidos, en: United States }
    timezone: America/New_York
    calendar: US-DC
    focalPoints:
      - { name: Jane, email: Jane@Example.org, slack: U0US0000001 }
      - { name: Carlos, email: carlos@example.org, slack: U0US0000002, locale: es, timezone: America/Chicago }
      - { name: Owen, email: owen@example.org, teams: 0C0A0000-0000-4000-8000-0000000000AA }
  - code: CR
    status: member
    name: { es: Costa Rica, en: Costa Rica }
    timezone: America/Costa_Rica
    calendar: CR
    focalPoints:
      - { name: Luis, email: luis@example.org, slack: U0CR0000001 }
`;

function load(text: string): Directory {
  const r = parseDirectory(text);
  if (!r.ok) throw new Error(r.problems.join('\n'));
  return r.directory;
}

describe('transformation to Directory (defaults)', () => {
  const d = load(minimal);
  const us = d.countries[0]!;

  it('Person.id is the e-mail lower-cased; the e-mail itself is kept as written', () => {
    expect(us.focalPoints[0]).toMatchObject({ id: 'jane@example.org', email: 'Jane@Example.org', country: 'US' });
    expect(d.secretariat.staff[0]).toMatchObject({ id: 'ana@example.org', email: 'ANA@Example.org' });
  });

  it('focal point timezone defaults to the country; locale to the country language', () => {
    expect(us.focalPoints[0]).toMatchObject({ timezone: 'America/New_York', locale: 'en' });
    expect(us.focalPoints[1]).toMatchObject({ timezone: 'America/Chicago', locale: 'es' });
    expect(d.countries[1]!.focalPoints[0]).toMatchObject({ timezone: 'America/Costa_Rica', locale: 'es' });
  });

  it('Teams ids are normalised to lower case; absent optional fields stay absent', () => {
    expect(us.focalPoints[2]!.teams).toBe('0c0a0000-0000-4000-8000-0000000000aa');
    expect('slack' in us.focalPoints[2]!).toBe(false);
    expect('teams' in us.focalPoints[0]!).toBe(false);
    expect('to' in d.presidencies[0]!).toBe(false);
  });

  it('secretariat defaults: Costa Rica, es; staff inherit them', () => {
    expect(d.secretariat).toMatchObject({ timezone: 'America/Costa_Rica', calendar: 'CR', locale: 'es' });
    expect(d.secretariat.staff[0]).toMatchObject({ locale: 'es', timezone: 'America/Costa_Rica' });
    expect(d.organizations).toEqual([]);
    expect(d.holidays).toEqual([]);
  });

  it('directorySchema alone gives the same Directory from plain data', async () => {
    const { parse } = await import('yaml');
    expect(directorySchema.parse(parse(minimal))).toEqual(d);
  });

  it('defaultLocaleFor', () => {
    expect(['BZ', 'CA', 'US', 'JM'].map(defaultLocaleFor)).toEqual(['en', 'en', 'en', 'en']);
    expect(['CR', 'SV', 'GT', 'HN', 'MX', 'NI', 'PA', 'DO', 'AR', 'CO', 'EC', 'PE'].every((c) => defaultLocaleFor(c) === 'es')).toBe(true);
  });
});
