/**
 * From the live directory to the domain's vocabulary: who is acting (identify) and the participants
 * frozen on a new consultation. Observers, organisations and unknown people are never participants.
 */
import { bodyOf } from '../directory/membership.ts';
import type { CommandActor, Participants, Platform } from '../domain/types.ts';
import type { Directory, Person } from '../directory/model.ts';

export type PlatformIdentity =
  | { platform: 'slack'; userId: string }
  | { platform: 'teams'; userId: string }
  | { platform: 'cli' | 'console' | 'email'; personId: string };

export interface KnownPerson {
  person: Person;
  isStaff: boolean;
  /** The country the person is a focal point of (at most one: the directory refuses two). */
  country?: string;
}

export function findPerson(directory: Directory, who: PlatformIdentity): KnownPerson | undefined {
  const match = (p: Person): boolean => {
    switch (who.platform) {
      case 'slack':
        return p.slack === who.userId;
      case 'teams':
        return p.teams !== undefined && p.teams === who.userId.toLowerCase();
      default:
        return p.id === who.personId.toLowerCase();
    }
  };
  const staff = directory.secretariat.staff.find(match);
  for (const c of directory.countries) {
    const fp = c.focalPoints.find(match);
    if (fp) return { person: fp, isStaff: staff !== undefined, ...(c.status === 'member' ? { country: c.code } : {}) };
  }
  return staff ? { person: staff, isStaff: true } : undefined;
}

/** The command actor for a person; undefined for someone not in the directory. */
export function identify(directory: Directory, who: PlatformIdentity): CommandActor | undefined {
  const known = findPerson(directory, who);
  if (!known) return undefined;
  return {
    personId: known.person.id,
    name: known.person.name,
    platform: who.platform as Platform,
    isStaff: known.isStaff,
    ...(known.country ? { country: known.country } : {}),
  };
}

/** The system actor used by jobs (deadline close). */
export const SYSTEM_ACTOR: CommandActor = { personId: 'system', name: 'CRM bot', platform: 'system', isStaff: false };

/** Every Member Country with its focal points, the roster and the ST's zone, frozen on a consultation. */
export function participantsFrom(directory: Directory): Participants {
  return {
    members: directory.countries
      .filter((c) => c.status === 'member')
      .map((c) => ({
        code: c.code,
        focalPoints: c.focalPoints.map((f) => ({ personId: f.id, name: f.name, locale: f.locale, timezone: f.timezone })),
      })),
    presidencies: directory.presidencies.map((p) => ({ ...p })),
    secretariatTimeZone: directory.secretariat.timezone,
    body: structuredClone(bodyOf(directory)),
  };
}

/** Every person of the live directory by id, for addressing messages. */
export function peopleById(directory: Directory): Map<string, Person> {
  const map = new Map<string, Person>();
  for (const s of directory.secretariat.staff) map.set(s.id, s);
  for (const c of directory.countries) for (const f of c.focalPoints) map.set(f.id, f);
  return map;
}
