/** Who a Teams activity comes from, in the directory (by Entra object id), and the language to answer in. */
import type { Directory, Locale, Person } from '../../directory/model.ts';

/** The directory person with this Entra object id (focal points and staff), if any. */
export function personByTeamsId(directory: Directory, aadObjectId: string | undefined): Person | undefined {
  if (!aadObjectId) return undefined;
  const id = aadObjectId.toLowerCase();
  const everyone = [...directory.secretariat.staff, ...directory.countries.flatMap((c) => c.focalPoints)];
  return everyone.find((p) => p.teams?.toLowerCase() === id);
}

/** The language to answer an activity in: the person's in the directory, else the client's, else Spanish. */
export function localeFor(directory: Directory, activity: { from?: { aadObjectId?: unknown }; locale?: unknown }): Locale {
  const aad = typeof activity.from?.aadObjectId === 'string' ? activity.from.aadObjectId : undefined;
  const person = personByTeamsId(directory, aad);
  if (person) return person.locale;
  return typeof activity.locale === 'string' && activity.locale.toLowerCase().startsWith('en') ? 'en' : 'es';
}

