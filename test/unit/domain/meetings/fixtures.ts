/**
 * The example directory, plus two special invitees (kind `invitee`) with one delegate each, and helpers
 * to build meetings. Every e-mail below is in config/directory.example.yaml or added here.
 */
import { readFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { parseDirectory } from '../../../../src/directory/load.ts';
import type { Directory } from '../../../../src/directory/model.ts';
import { newMeeting } from '../../../../src/domain/meetings/meeting.ts';
import type { Meeting, MeetingKind } from '../../../../src/domain/meetings/types.ts';

function load(): Directory {
  const raw = parse(readFileSync('config/directory.example.yaml', 'utf8'));
  raw.organizations.push(
    { code: 'FUND-A', kind: 'invitee', name: { es: 'Fundación A', en: 'Foundation A' }, people: [{ name: 'Inés Invitada', email: 'ines@example.org' }] },
    { code: 'UNI-B', kind: 'invitee', name: { es: 'Universidad B', en: 'University B' }, people: [{ name: 'Bruno Becario', email: 'bruno@example.org', locale: 'en' }] },
  );
  // More Mexican candidates than the closed door seats, so the limit is exercised: a third senior
  // official and a second Vice-Minister.
  const mx = raw.countries.find((c: { code: string }) => c.code === 'MX');
  mx.people.push(
    { name: 'Tomás Tercero', email: 'tomas.tercero@example.org', roles: ['senior_official'] },
    { name: 'Victoria Segunda', email: 'victoria.segunda@example.org', roles: ['vice_minister'] },
  );
  const r = parseDirectory(stringify(raw));
  if (!r.ok) throw new Error(r.problems.join('\n'));
  return r.directory;
}

export const DIRECTORY: Directory = load();

/** People of the example by what they are, for the tables. */
export const P = {
  vmGT: 'ana.perez@example.org', // GT vice_minister
  soGT: 'juan.ruiz@example.org', // GT senior_official + grcm_delegate
  ltGT: 'lucia.estrada@example.org', // GT liaison_trafficking
  lcGT: 'marco.sandoval@example.org', // GT liaison_consular
  fpGT: 'analucia.perez@example.org', // GT focal point, no roles
  vmMX: 'patricia.garza@example.org',
  so1MX: 'jorge.salinas@example.org',
  so2MX: 'adriana.villarreal@example.org',
  so3MX: 'tomas.tercero@example.org', // a third MX senior official (fixture only)
  vm2MX: 'victoria.segunda@example.org', // a second MX vice_minister (fixture only)
  gdMX: 'raul.dominguez@example.org', // grcm_delegate only
  fpMX: 'fernanda.rios@example.org', // focal point with grcm_delegate
  fp2MX: 'miguel.torres@example.org', // focal point, no roles
  bothSV: 'claudia.henriquez@example.org', // SV liaison_trafficking + liaison_consular
  obsCO: 'valentina.ocampo@example.org', // observer country delegate
  obsJM: 'andre.campbell@example.org', // observer country focal point
  oim: 'laura.gomez@example.org', // observer organisation
  rrocm: 'teresa.alfaro@example.org', // civil society
  invA: 'ines@example.org', // special invitee FUND-A
  invB: 'bruno@example.org', // special invitee UNI-B
  coordinator: 'ana.rojas@example.org', // ST coordinator
  staff: 'daniel.brenes@example.org', // ST staff
  stranger: 'nobody@example.org',
} as const;

let n = 0;
/** A meeting through the domain's own constructor (host country and zone by default). */
export function meeting(kind: MeetingKind, start: string, end = start, extra: Partial<Parameters<typeof newMeeting>[0]> = {}): Meeting {
  n += 1;
  const d = newMeeting(
    { id: `m${n}`, reference: `MTG-${start.slice(0, 4)}-${String(n).padStart(3, '0')}`, kind, title: `${kind} ${start}`, start, end, now: '2026-01-01T00:00:00.000Z', ...extra },
    DIRECTORY,
  );
  if (!d.ok) throw new Error(`${d.code} ${d.field}`);
  return d.meeting;
}
