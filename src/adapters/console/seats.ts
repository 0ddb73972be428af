/**
 * The console's person picker: who can be picked (the live directory's ST staff and every country's focal
 * points, each once, by name, grouped by the ST and by country) and the ST channel's own entry.
 */
import type { Directory, Locale, Person } from '../../directory/model.ts';
import { ST_CHANNEL_SEAT } from './store.ts';

export interface SeatGroup {
  /** The group's label in both languages ("Secretaría Técnica", a country's name). */
  label: { es: string; en: string };
  people: Person[];
}

export function seatGroups(directory: Directory): SeatGroup[] {
  const seen = new Set<string>();
  const once = (people: readonly Person[]) =>
    people.filter((p) => {
      if (seen.has(p.id)) return false;
      seen.add(p.id);
      return true;
    });
  const byName = (a: Person, b: Person) => a.name.localeCompare(b.name, 'es');
  const groups: SeatGroup[] = [{ label: { es: 'Secretaría Técnica', en: 'Technical Secretariat' }, people: once(directory.secretariat.staff).sort(byName) }];
  const countries = [...directory.countries].sort((a, b) => a.name.es.localeCompare(b.name.es, 'es'));
  for (const c of countries) {
    const people = once(c.focalPoints).sort(byName);
    if (people.length) groups.push({ label: { es: c.name.es, en: c.name.en }, people });
  }
  return groups.filter((g) => g.people.length > 0);
}

/** The person behind a seat id (a directory id), or undefined; the ST channel is not a person. */
export function seatPerson(directory: Directory, seat: string): Person | undefined {
  for (const g of seatGroups(directory)) for (const p of g.people) if (p.id === seat) return p;
  return undefined;
}

/** Whether `seat` may be shown: a person in the picker, or the ST channel. */
export const isSeat = (directory: Directory, seat: string): boolean => seat === ST_CHANNEL_SEAT || seatPerson(directory, seat) !== undefined;

/** The language and zone a seat reads in (the ST channel: the directory's `secretariat.locale`). */
export function seatReader(directory: Directory, seat: string): { locale: Locale; timezone: string } {
  const p = seatPerson(directory, seat);
  return p ? { locale: p.locale, timezone: p.timezone } : { locale: directory.secretariat.locale, timezone: directory.secretariat.timezone };
}
