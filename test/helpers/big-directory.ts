/**
 * A directory of any size for scale tests and the scale bench (issue 14): `members` Member Countries
 * (every ISO 3166 country date-holidays knows, in code order, about 200 at most) with `focalPoints` focal points spread
 * over them (at least one each), a presidency roster whose PPT in office on `today` is the first
 * country (the previous the last, the next the second), and an ST with a Slack channel and a Teams
 * channel. Built as YAML and read by the real loader, so it passes every check the bot applies.
 *
 * Country names are as long as real ones ("República Federal del País AD"), so lists weigh what they would.
 * Focal points are on Slack, Teams or both, by turns (`platforms`), each with its own language (es / en
 * by turns) and its country's zone. Ids are unique and well formed: Slack `U9<CC><nnnnnn>`, Teams GUIDs
 * `00000000-0000-4000-8000-<12 digits>`, e-mails `fp<n>.<cc>@scale.example.org`.
 */
import Holidays from 'date-holidays';
import { stringify } from 'yaml';
import { isIso3166Alpha2 } from '../../src/directory/iso3166.ts';
import { parseDirectory } from '../../src/directory/load.ts';
import type { Directory } from '../../src/directory/model.ts';

export interface BigDirectoryOptions {
  members: number;
  focalPoints: number;
  /** YYYY-MM-DD on which the first country holds the PPT (default 2026-12-01). */
  today?: string;
  /** Which platforms the focal points are on, by turns (default: slack, teams, both). */
  platforms?: readonly ('slack' | 'teams' | 'both')[];
  body?: { code: string; name: { es: string; en: string } };
}

export interface BigDirectory {
  directory: Directory;
  yaml: string;
  /** Member codes in directory order; [0] is the PPT in office, [1] the next, [last] the previous. */
  members: string[];
}

function zoneOf(code: string): string {
  const h = new Holidays(code);
  for (const z of (h.getTimezones() as string[] | undefined) ?? []) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: z });
      return z;
    } catch {
      // not an IANA zone this Node knows
    }
  }
  return 'UTC';
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');

function shiftYear(ymd: string, years: number): string {
  const [y, m, d] = ymd.split('-');
  return `${Number(y) + years}-${m}-${d}`;
}

export function bigDirectory(o: BigDirectoryOptions): BigDirectory {
  const codes = Object.keys(new Holidays().getCountries()).filter((c) => /^[A-Z]{2}$/.test(c) && isIso3166Alpha2(c)).sort();
  if (o.members < 3 || o.members > codes.length) throw new RangeError(`members: 3..${codes.length}`);
  if (o.focalPoints < o.members) throw new RangeError('focalPoints: at least one per member');
  const members = codes.slice(0, o.members);
  const platforms = o.platforms ?? ['slack', 'teams', 'both'];
  const today = o.today ?? '2026-12-01';
  let n = 0;
  const countries = members.map((code, i) => {
    const count = Math.floor(o.focalPoints / o.members) + (i < o.focalPoints % o.members ? 1 : 0);
    const focalPoints = Array.from({ length: count }, (_, k) => {
      n++;
      const on = platforms[(n - 1) % platforms.length]!;
      return {
        name: `Focal ${code} ${k + 1}`,
        email: `fp${k + 1}.${code.toLowerCase()}@scale.example.org`,
        ...(on !== 'teams' ? { slack: `U9${code}${pad(n, 6)}` } : {}),
        ...(on !== 'slack' ? { teams: `00000000-0000-4000-8000-${pad(n, 12)}` } : {}),
        locale: n % 2 === 0 ? 'en' : 'es',
      };
    });
    return { code, status: 'member', name: { es: `República Federal del País ${code}`, en: `Federal Republic of Country ${code}` }, timezone: zoneOf(code), calendar: code, focalPoints };
  });
  const file = {
    ...(o.body ? { body: o.body } : {}),
    secretariat: {
      timezone: 'America/Costa_Rica',
      calendar: 'CR',
      locale: 'es',
      slack: { channel: 'C9ST0000001' },
      teams: { channel: '19:scale-st@thread.tacv2' },
      staff: [{ name: 'Staff One', email: 'staff1@scale.example.org', slack: 'U9ST0000001', teams: '00000000-0000-4000-9000-000000000001', locale: 'es' }],
    },
    presidencies: [
      { country: members[members.length - 1], from: shiftYear(today, -1), to: prevDay(today) },
      { country: members[0], from: today, to: prevDay(shiftYear(today, 1)) },
      { country: members[1], from: shiftYear(today, 1) },
    ],
    countries,
  };
  const yaml = stringify(file);
  const r = parseDirectory(yaml, 'big-directory.yaml');
  if (!r.ok) throw new Error(`bigDirectory: ${r.problems.slice(0, 5).join('; ')}`);
  return { directory: r.directory, yaml, members };
}

function prevDay(ymd: string): string {
  const d = new Date(`${ymd}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}
