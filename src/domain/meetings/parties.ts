/**
 * Who a person is for meetings, from the directory: a Member Country's delegate (with their roles), an
 * observer country's, an organisation's (observer, civil society or special invitee), or ST staff (the
 * coordinator or not). Pure. The directory guarantees an e-mail belongs to one person only.
 */
import type { CountryCode, Directory, MeetingRole, OrganizationKind, Person } from '../../directory/model.ts';

export type Party =
  | { kind: 'member'; person: Person; country: CountryCode; roles: readonly MeetingRole[] }
  | { kind: 'observer_country'; person: Person; country: CountryCode }
  | { kind: 'organization'; person: Person; organization: string; organizationKind: OrganizationKind }
  | { kind: 'secretariat'; person: Person; coordinator: boolean };

/** Built once per directory object (a directory is never mutated: a new import is a new object). */
const cache = new WeakMap<Directory, ReadonlyMap<string, Party>>();

/** Every person of the directory who may take part in a meeting, by id (the e-mail, lower-cased). */
export function partiesOf(directory: Directory): ReadonlyMap<string, Party> {
  const hit = cache.get(directory);
  if (hit) return hit;
  const out = new Map<string, Party>();
  const add = (p: Party) => {
    if (!out.has(p.person.id)) out.set(p.person.id, p);
  };
  for (const s of directory.secretariat.staff) {
    add({ kind: 'secretariat', person: s, coordinator: s.roles?.includes('st_coordinator') ?? false });
  }
  for (const c of directory.countries) {
    for (const p of [...c.focalPoints, ...(c.people ?? [])]) {
      if (c.status === 'member') add({ kind: 'member', person: p, country: c.code, roles: p.roles ?? [] });
      else add({ kind: 'observer_country', person: p, country: c.code });
    }
  }
  for (const o of directory.organizations) {
    for (const p of o.people ?? []) add({ kind: 'organization', person: p, organization: o.code, organizationKind: o.kind });
  }
  cache.set(directory, out);
  return out;
}

/** The party with this e-mail (any case), if the directory lists them. */
export function partyOf(directory: Directory, email: string): Party | undefined {
  return partiesOf(directory).get(email.trim().toLowerCase());
}

/** The country or organisation a party represents, for invitations and duties. */
export function representing(p: Party): { country?: CountryCode; organization?: string } {
  if (p.kind === 'member' || p.kind === 'observer_country') return { country: p.country };
  if (p.kind === 'organization') return { organization: p.organization };
  return {};
}
