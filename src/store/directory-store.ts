/**
 * The directory in the database, as loaded by `crm directory import`: one directory_imports row
 * (the whole parsed Directory as JSON, with the file's SHA-256) plus normalized tables replaced
 * wholesale, all in one transaction. Running consultations never read these tables: each freezes
 * its participants in its snapshot when it starts.
 */
import type { PrismaClient } from '../generated/prisma/client.ts';
import type { Directory, Person } from '../directory/model.ts';
import { toJson } from './json.ts';

export interface DirectoryImportRecord {
  id: string;
  sha256: string;
  sourcePath: string;
  importedAt: Date;
  /** The Directory as imported. */
  data: unknown;
}

export interface DirectoryImportSource {
  /** SHA-256 (hex) of the file's bytes. */
  sha256: string;
  sourcePath: string;
}

const dateOnly = (d: string) => new Date(`${d}T00:00:00.000Z`);

export class DirectoryStore {
  constructor(private readonly prisma: PrismaClient) {}

  /** Replaces the directory. Returns the import's id. */
  async importDirectory(directory: Directory, source: DirectoryImportSource): Promise<string> {
    const people = new Map<string, Person>();
    for (const p of [...directory.secretariat.staff, ...directory.countries.flatMap((c) => c.focalPoints)]) {
      if (!people.has(p.id)) people.set(p.id, p);
    }
    return this.prisma.$transaction(
      async (tx) => {
        const record = await tx.directoryImport.create({
          data: { sha256: source.sha256, sourcePath: source.sourcePath, data: toJson(directory) },
          select: { id: true },
        });
        // Children first (foreign keys).
        await tx.focalPoint.deleteMany();
        await tx.staff.deleteMany();
        await tx.presidencyTerm.deleteMany();
        await tx.person.deleteMany();
        await tx.country.deleteMany();
        await tx.organization.deleteMany();
        await tx.holidayOverride.deleteMany();

        await tx.country.createMany({
          data: directory.countries.map((c) => ({
            code: c.code,
            status: c.status,
            nameEs: c.name.es,
            nameEn: c.name.en,
            timezone: c.timezone,
            calendar: c.calendar,
          })),
        });
        await tx.person.createMany({
          data: [...people.values()].map((p) => ({
            id: p.id,
            name: p.name,
            email: p.email,
            locale: p.locale,
            timezone: p.timezone,
            slackId: p.slack ?? null,
            teamsId: p.teams ?? null,
          })),
        });
        await tx.focalPoint.createMany({
          data: directory.countries.flatMap((c) => c.focalPoints.map((f) => ({ personId: f.id, country: c.code }))),
          skipDuplicates: true,
        });
        await tx.staff.createMany({ data: directory.secretariat.staff.map((s) => ({ personId: s.id })), skipDuplicates: true });
        await tx.presidencyTerm.createMany({
          data: directory.presidencies.map((t) => ({
            country: t.country,
            startsOn: dateOnly(t.from),
            endsOn: t.to ? dateOnly(t.to) : null,
          })),
        });
        await tx.organization.createMany({
          data: directory.organizations.map((o) => ({ code: o.code, kind: o.kind, nameEs: o.name.es, nameEn: o.name.en })),
        });
        await tx.holidayOverride.createMany({
          data: directory.holidays.map((h) => ({ calendar: h.calendar, date: dateOnly(h.date), name: h.name, kind: h.kind ?? 'holiday' })),
        });
        return record.id;
      },
      { maxWait: 10_000, timeout: 60_000 },
    );
  }

  /** The most recent import, if any. */
  async latest(): Promise<DirectoryImportRecord | undefined> {
    const row = await this.prisma.directoryImport.findFirst({ orderBy: [{ importedAt: 'desc' }, { id: 'desc' }] });
    return row ?? undefined;
  }
}
