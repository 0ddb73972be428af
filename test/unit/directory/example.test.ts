import { describe, expect, it } from 'vitest';
import { loadDirectoryFile } from '../../../src/directory/load.ts';
import { CRM_MEMBERS, CRM_OBSERVERS } from '../../fixtures/crm-membership.ts';
import type { Directory } from '../../../src/directory/model.ts';
import { troikaAt } from '../../../src/directory/presidency.ts';
import { addDays } from '../../../src/directory/roster.ts';
import { EXAMPLE_PATH } from './helpers.ts';

async function example(): Promise<Directory> {
  const r = await loadDirectoryFile(EXAMPLE_PATH);
  if (!r.ok) throw new Error(r.problems.join('\n'));
  return r.directory;
}

describe('config/directory.example.yaml', () => {
  it('parses with zero problems and zero warnings', async () => {
    const r = await loadDirectoryFile(EXAMPLE_PATH);
    expect(r.ok ? r.warnings : r.problems).toEqual([]);
    expect(r.ok).toBe(true);
  });

  it('lists all 11 members and the 5 observer countries, with focal points for every member', async () => {
    const d = await example();
    const members = d.countries.filter((c) => c.status === 'member');
    expect(members.map((c) => c.code).sort()).toEqual([...CRM_MEMBERS].sort());
    expect(d.countries.filter((c) => c.status === 'observer').map((c) => c.code).sort()).toEqual([...CRM_OBSERVERS].sort());
    for (const c of members) expect(c.focalPoints.length, c.code).toBeGreaterThan(0);
    const zone = Object.fromEntries(d.countries.map((c) => [c.code, c.timezone]));
    expect(zone).toMatchObject({
      BZ: 'America/Belize', CA: 'America/Toronto', CR: 'America/Costa_Rica', SV: 'America/El_Salvador',
      US: 'America/New_York', GT: 'America/Guatemala', HN: 'America/Tegucigalpa', MX: 'America/Mexico_City',
      NI: 'America/Managua', PA: 'America/Panama', DO: 'America/Santo_Domingo',
    });
    expect(d.countries.find((c) => c.code === 'CA')?.calendar).toBe('CA-ON');
    expect(d.countries.find((c) => c.code === 'US')?.calendar).toBe('US-DC');
  });

  it('has the observer organisations and RROCM as civil society', async () => {
    const d = await example();
    const codes = d.organizations.map((o) => o.code);
    expect(codes).toEqual(expect.arrayContaining(['ACNUR', 'CEPAL-CELADE', 'CIDH', 'OIM', 'ACNUDH', 'SEGIB', 'SICA', 'UNFPA', 'CICR', 'UNICEF', 'OIT']));
    expect(d.organizations.find((o) => o.code === 'RROCM')?.kind).toBe('civil-society');
    expect(d.organizations.find((o) => o.code === 'OIM')?.name).toEqual({ es: 'OIM', en: 'IOM' });
  });

  it('keeps the documented HN, MX, PA terms', async () => {
    const d = await example();
    expect(d.presidencies).toEqual(
      expect.arrayContaining([
        { country: 'HN', from: '2024-11-15', to: '2025-11-13' },
        { country: 'MX', from: '2025-11-14', to: '2026-11-19' },
        expect.objectContaining({ country: 'PA', from: '2026-11-20' }),
      ]),
    );
  });

  it('gives a complete Troika on every day from 2019-01-01 to 2027-11-01', async () => {
    const d = await example();
    const missing: string[] = [];
    for (let day = '2019-01-01'; day <= '2027-11-01'; day = addDays(day, 1)) {
      const t = troikaAt(d.presidencies, day);
      if (!t || t.incomplete) missing.push(day);
    }
    expect(missing).toEqual([]);
    expect(troikaAt(d.presidencies, '2026-12-01')).toMatchObject({ previous: 'MX', current: 'PA', countries: ['MX', 'PA', 'SV'] });
    expect(troikaAt(d.presidencies, '2025-11-13')).toMatchObject({ previous: 'BZ', current: 'HN', next: 'MX' });
  });

  it('has the CR office-closure override and a secretariat in San José', async () => {
    const d = await example();
    expect(d.holidays).toContainEqual({ calendar: 'CR', date: '2026-12-24', name: 'Cierre de oficina' });
    expect(d.secretariat).toMatchObject({ timezone: 'America/Costa_Rica', calendar: 'CR', locale: 'es' });
    expect(d.secretariat.staff).toHaveLength(2);
  });
});
