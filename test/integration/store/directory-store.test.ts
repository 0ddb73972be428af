import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Directory } from '../../../src/directory/model.ts';
import { DirectoryStore } from '../../../src/store/directory-store.ts';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../../helpers/db.ts';

const ana = { id: 'ana@example.org', name: 'Ana Rojas', email: 'ana@example.org', slack: 'U0ST0000001', locale: 'es', timezone: 'America/Costa_Rica' } as const;
const luis = { id: 'luis@example.org', name: 'Luis Mora', email: 'Luis@example.org', slack: 'U0CR0000001', locale: 'es', timezone: 'America/Costa_Rica', country: 'CR' } as const;
const jane = { id: 'jane@example.org', name: 'Jane Roe', email: 'jane@example.org', teams: '00000000-0000-4000-8000-000000000001', locale: 'en', timezone: 'America/Toronto', country: 'CA' } as const;

const directory: Directory = {
  secretariat: { timezone: 'America/Costa_Rica', calendar: 'CR', locale: 'es', slack: { channel: 'C0123456789' }, staff: [ana] },
  presidencies: [
    { country: 'CR', from: '2025-11-14', to: '2026-11-19' },
    { country: 'CA', from: '2026-11-20' },
  ],
  countries: [
    { code: 'CR', status: 'member', name: { es: 'Costa Rica', en: 'Costa Rica' }, timezone: 'America/Costa_Rica', calendar: 'CR', focalPoints: [luis] },
    { code: 'CA', status: 'member', name: { es: 'Canadá', en: 'Canada' }, timezone: 'America/Toronto', calendar: 'CA-ON', focalPoints: [jane] },
  ],
  organizations: [{ code: 'OIM', kind: 'observer', name: { es: 'OIM', en: 'IOM' } }],
  holidays: [{ calendar: 'CR', date: '2026-12-24', name: 'Cierre de oficina' }],
};

describe.each(BACKENDS)('DirectoryStore on %s', (backend) => {
  let db: TestDatabase;
  let store: DirectoryStore;
  beforeAll(async () => {
    db = await openTestDatabase(backend, import.meta.url);
    store = new DirectoryStore(db.prisma);
  });
  afterAll(async () => {
    await db?.dispose();
  });

  it('imports the whole directory, then replaces it wholesale', async () => {
    expect(await store.latest()).toBeUndefined();
    const id = await store.importDirectory(directory, { sha256: 'a'.repeat(64), sourcePath: 'config/directory.yaml' });
    expect(await store.latest()).toMatchObject({ id, sha256: 'a'.repeat(64), sourcePath: 'config/directory.yaml', data: directory });

    expect(await db.prisma.person.findMany({ orderBy: { id: 'asc' } })).toEqual([
      { id: 'ana@example.org', name: 'Ana Rojas', email: 'ana@example.org', locale: 'es', timezone: 'America/Costa_Rica', slackId: 'U0ST0000001', teamsId: null },
      { id: 'jane@example.org', name: 'Jane Roe', email: 'jane@example.org', locale: 'en', timezone: 'America/Toronto', slackId: null, teamsId: '00000000-0000-4000-8000-000000000001' },
      { id: 'luis@example.org', name: 'Luis Mora', email: 'Luis@example.org', locale: 'es', timezone: 'America/Costa_Rica', slackId: 'U0CR0000001', teamsId: null },
    ]);
    expect(await db.prisma.focalPoint.findMany({ orderBy: { country: 'asc' } })).toEqual([
      { personId: 'jane@example.org', country: 'CA' },
      { personId: 'luis@example.org', country: 'CR' },
    ]);
    expect(await db.prisma.staff.findMany()).toEqual([{ personId: 'ana@example.org' }]);
    const terms = await db.prisma.presidencyTerm.findMany({ orderBy: { startsOn: 'asc' } });
    expect(terms.map((t) => [t.country, t.startsOn.toISOString().slice(0, 10), t.endsOn?.toISOString().slice(0, 10) ?? null])).toEqual([
      ['CR', '2025-11-14', '2026-11-19'],
      ['CA', '2026-11-20', null],
    ]);
    expect(await db.prisma.holidayOverride.count()).toBe(1);
    expect(await db.prisma.organization.findMany()).toEqual([{ code: 'OIM', kind: 'observer', nameEs: 'OIM', nameEn: 'IOM' }]);

    const smaller: Directory = { ...directory, countries: directory.countries.slice(0, 1), presidencies: directory.presidencies.slice(0, 1), holidays: [] };
    const second = await store.importDirectory(smaller, { sha256: 'b'.repeat(64), sourcePath: 'config/directory.yaml' });
    expect((await store.latest())?.id).toBe(second);
    expect(await db.prisma.directoryImport.count()).toBe(2);
    expect((await db.prisma.country.findMany()).map((c) => c.code)).toEqual(['CR']);
    expect(await db.prisma.person.count()).toBe(2);
    expect(await db.prisma.holidayOverride.count()).toBe(0);
  });

  it('changes nothing when an import fails half-way', async () => {
    const before = await store.latest();
    const clash: Directory = {
      ...directory,
      countries: [{ ...directory.countries[0]!, focalPoints: [{ ...luis, id: 'other@example.org', slack: ana.slack }] }],
    };
    await expect(store.importDirectory(clash, { sha256: 'c'.repeat(64), sourcePath: 'x.yaml' })).rejects.toThrow();
    expect((await store.latest())?.id).toBe(before?.id);
    expect(await db.prisma.person.count()).toBe(2);
  });
});
