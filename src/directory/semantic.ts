/**
 * Checks that relate several fields of the directory file: membership, duplicates, the presidency roster.
 *
 * They run on the raw parsed YAML (not on the schema's output) so that they still report what they can when
 * other parts of the file are malformed: every value is looked at only when it has the right shape; a
 * malformed value is the schema's to report. Field-local checks (formats, zones, calendars) are in
 * ./schema.ts. Problems are errors; warnings do not stop the file from loading.
 */
import { isIso3166Alpha2 } from './iso3166.ts';
import { presidencyGaps } from './roster.ts';
import { dateProblem, ENTRA_OBJECT_ID, SLACK_USER_ID } from './validators.ts';

export interface CheckResult {
  problems: string[];
  warnings: string[];
}

type Rec = Record<string, unknown>;

function rec(x: unknown): Rec | undefined {
  return typeof x === 'object' && x !== null && !Array.isArray(x) ? (x as Rec) : undefined;
}
function list(x: unknown): unknown[] {
  return Array.isArray(x) ? x : [];
}
function str(x: unknown): string | undefined {
  return typeof x === 'string' ? x.trim() : undefined;
}
function isCode(x: string | undefined): x is string {
  return x !== undefined && /^[A-Z]{2}$/.test(x) && isIso3166Alpha2(x);
}
function isDate(x: string | undefined): x is string {
  return x !== undefined && dateProblem(x) === undefined;
}
function nameOf(country: Rec): string {
  const n = rec(country['name']);
  return str(n?.['en']) ?? str(n?.['es']) ?? '';
}

interface PersonAt {
  path: string;
  person: Rec;
  /** Country code for a focal point or a country's meeting person; undefined otherwise. */
  country?: string;
  /** Organisation code for an organisation's meeting person. */
  organization?: string;
  /** `focal`: a focal point; `people`: a `people:` entry (meetings); `staff`: ST staff. */
  kind: 'staff' | 'focal' | 'people';
}

function describe(p: PersonAt): string {
  if (p.kind === 'focal') return `a focal point of ${p.country} (${p.path})`;
  if (p.kind === 'people') return `a meeting delegate of ${p.country ?? p.organization} (${p.path})`;
  return `ST staff (${p.path})`;
}

export function checkDirectory(raw: unknown): CheckResult {
  const problems: string[] = [];
  const warnings: string[] = [];
  const root = rec(raw);
  if (!root) return { problems, warnings };

  const secretariat = rec(root['secretariat']);
  const countries = list(root['countries']);
  const presidencies = list(root['presidencies']);

  // --- countries: codes, membership --------------------------------------------------------------
  const firstByCode = new Map<string, number>();
  countries.forEach((c0, i) => {
    const c = rec(c0);
    if (!c) return;
    const code = str(c['code']);
    if (!isCode(code)) return;
    const first = firstByCode.get(code);
    if (first !== undefined) {
      problems.push(`countries[${i}].code: duplicate country ${code} (already at countries[${first}])`);
    } else firstByCode.set(code, i);
    const status = str(c['status']);
    const cal = str(c['calendar']);
    if (cal !== undefined && cal.split('-')[0] !== code) {
      warnings.push(`countries[${i}].calendar: "${cal}" is not a calendar of ${code}`);
    }
    if (status === 'member' && list(c['focalPoints']).length === 0) {
      warnings.push(`countries[${i}].focalPoints: member country ${code} has no focal points; consultations cannot reach it`);
    }
  });
  // Membership is the file's own (each country's status): the body decides it, not this program.
  const statusOf = new Map<string, string>();
  for (const c of countries) {
    const r = rec(c);
    const code = r ? str(r['code']) : undefined;
    const status = r ? str(r['status']) : undefined;
    if (isCode(code) && status !== undefined && !statusOf.has(code)) statusOf.set(code, status);
  }
  const memberCount = [...statusOf.values()].filter((st) => st === 'member').length;
  if (countries.length > 0 && memberCount === 0) {
    problems.push('countries: no country has status member; a consultation needs Member Countries');
  }

  // --- people: e-mail, Slack and Teams identities are unique across staff, focal points and delegates --
  const people: PersonAt[] = [];
  list(secretariat?.['staff']).forEach((p, k) => {
    const person = rec(p);
    if (person) people.push({ path: `secretariat.staff[${k}]`, person, kind: 'staff' });
  });
  countries.forEach((c0, i) => {
    const c = rec(c0);
    if (!c) return;
    const code = str(c['code']);
    list(c['focalPoints']).forEach((p, k) => {
      const person = rec(p);
      if (person) people.push({ path: `countries[${i}].focalPoints[${k}]`, person, country: code ?? '?', kind: 'focal' });
    });
    list(c['people']).forEach((p, k) => {
      const person = rec(p);
      if (person) people.push({ path: `countries[${i}].people[${k}]`, person, country: code ?? '?', kind: 'people' });
    });
  });
  list(root['organizations']).forEach((o0, i) => {
    const o = rec(o0);
    if (!o) return;
    const code = str(o['code']) ?? '?';
    list(o['people']).forEach((p, k) => {
      const person = rec(p);
      if (person) people.push({ path: `organizations[${i}].people[${k}]`, person, organization: code, kind: 'people' });
    });
  });
  const byEmail = new Map<string, PersonAt>();
  const bySlack = new Map<string, PersonAt>();
  const byTeams = new Map<string, PersonAt>();
  for (const p of people) {
    const email = str(p.person['email']);
    if (email !== undefined && email.includes('@')) {
      const key = email.toLowerCase();
      const first = byEmail.get(key);
      if (!first) byEmail.set(key, p);
      else if (first.kind === 'focal' && p.kind === 'focal' && first.country !== p.country) {
        problems.push(`${p.path}.email: ${email} is already a focal point of ${first.country} (${first.path})`);
      } else if (first.kind === 'focal' && p.kind === 'focal') {
        problems.push(`${p.path}.email: ${email} is listed twice for ${p.country} (${first.path})`);
      } else if (first.kind === 'focal' && p.kind === 'people' && first.country === p.country) {
        problems.push(`${p.path}.email: ${email} is already a focal point of ${p.country} (${first.path}); give the roles on that entry instead`);
      } else {
        problems.push(`${p.path}.email: ${email} is already used by ${describe(first)}`);
      }
    }
    const slack = str(p.person['slack']);
    if (slack !== undefined && SLACK_USER_ID.test(slack)) {
      const first = bySlack.get(slack);
      if (first) problems.push(`${p.path}.slack: Slack user id ${slack} is already used by ${describe(first)}`);
      else bySlack.set(slack, p);
    }
    const teams = str(p.person['teams']);
    if (teams !== undefined && ENTRA_OBJECT_ID.test(teams)) {
      const key = teams.toLowerCase();
      const first = byTeams.get(key);
      if (first) problems.push(`${p.path}.teams: Teams id ${teams} is already used by ${describe(first)}`);
      else byTeams.set(key, p);
    }
    const reach = str(p.person['reach']);
    if ((reach === 'slack' || reach === 'teams') && p.person[reach] === undefined) {
      problems.push(`${p.path}.reach: ${reach}, but this person has no ${reach} id to be reached on`);
    }
    // Meeting delegates are invited by e-mail (with a calendar file); only consultations need a chat account.
    if (p.kind !== 'people' && p.person['slack'] === undefined && p.person['teams'] === undefined) {
      warnings.push(`${p.path}: has neither slack nor teams; the bot cannot reach this person`);
    }
  }
  checkMeetingRoles(root, countries, problems, warnings);
  if (secretariat && list(secretariat['staff']).length === 0) {
    warnings.push('secretariat.staff: no ST staff listed; nobody may manage the directory from chat');
  }

  // --- presidency roster ---------------------------------------------------------------------------
  interface TermAt {
    i: number;
    country: string;
    from: string;
    to?: string;
  }
  const terms: TermAt[] = [];
  let openAt: number | undefined;
  let previousFrom: string | undefined;
  let outOfOrder = false;
  presidencies.forEach((t0, i) => {
    const t = rec(t0);
    if (!t) return;
    const country = str(t['country']);
    const from = str(t['from']);
    const to = t['to'] === undefined ? undefined : str(t['to']);
    const held = isCode(country) ? statusOf.get(country) : 'member';
    // Not listed, or listed as an observer (a malformed status is the schema's to report).
    if (statusOf.size > 0 && (held === undefined || held === 'observer')) {
      problems.push(`presidencies[${i}].country: ${country} is not a Member Country; only a Member Country holds the PPT`);
    }
    if (!isDate(from) || (t['to'] !== undefined && !isDate(to))) return;
    if (to !== undefined && to < from) {
      problems.push(`presidencies[${i}].to: ${to} is before the term's start (${from})`);
      return;
    }
    if (to === undefined) {
      if (openAt !== undefined) {
        problems.push(
          `presidencies[${i}]: a second open-ended term (presidencies[${openAt}] has no "to" either); only the latest term may be open-ended`,
        );
      } else openAt = i;
    }
    if (previousFrom !== undefined && from < previousFrom && !outOfOrder) {
      outOfOrder = true;
      warnings.push(`presidencies[${i}]: listed out of order (starts before the term above it); terms are read in date order`);
    }
    previousFrom = from;
    terms.push({ i, country: country ?? '?', from, ...(to !== undefined ? { to } : {}) });
  });
  let overlapping = false;
  for (let b = 0; b < terms.length; b++) {
    for (let a = 0; a < b; a++) {
      const x = terms[a]!;
      const y = terms[b]!;
      const xEnd = x.to ?? '9999-12-31';
      const yEnd = y.to ?? '9999-12-31';
      if (x.from <= yEnd && y.from <= xEnd) {
        overlapping = true;
        problems.push(`presidencies[${y.i}]: overlaps presidencies[${x.i}] (${x.country} ${x.from}..${x.to ?? 'open'})`);
      }
    }
  }
  if (!overlapping) {
    const index = new Map(terms.map((t) => [t, t.i]));
    for (const g of presidencyGaps(terms)) {
      warnings.push(
        `presidencies: no PPT from ${g.from} to ${g.to} (between presidencies[${index.get(g.after as TermAt)}] and presidencies[${index.get(g.before as TermAt)}])`,
      );
    }
  }

  // --- organisations -------------------------------------------------------------------------------
  const orgs = new Map<string, number>();
  list(root['organizations']).forEach((o0, i) => {
    const code = str(rec(o0)?.['code']);
    if (code === undefined || code === '') return;
    const first = orgs.get(code.toUpperCase());
    if (first !== undefined) problems.push(`organizations[${i}].code: duplicate organisation ${code} (already at organizations[${first}])`);
    else orgs.set(code.toUpperCase(), i);
  });

  // --- holiday overrides ---------------------------------------------------------------------------
  const calendarsInUse = new Set<string>();
  const secCal = str(secretariat?.['calendar']) ?? (secretariat && secretariat['calendar'] === undefined ? 'CR' : undefined);
  if (secCal) calendarsInUse.add(secCal);
  for (const c of countries) {
    const cal = str(rec(c)?.['calendar']);
    const code = str(rec(c)?.['code']);
    if (cal) calendarsInUse.add(cal);
    if (code) calendarsInUse.add(code);
  }
  const overrides = new Map<string, number>();
  list(root['holidays']).forEach((h0, i) => {
    const h = rec(h0);
    const cal = str(h?.['calendar']);
    const date = str(h?.['date']);
    if (cal === undefined || !isDate(date)) return;
    const key = `${cal} ${date}`;
    const first = overrides.get(key);
    if (first !== undefined) problems.push(`holidays[${i}]: a second override for ${cal} on ${date} (holidays[${first}])`);
    else overrides.set(key, i);
    if (!calendarsInUse.has(cal)) {
      warnings.push(`holidays[${i}].calendar: ${cal} is not the calendar of the secretariat or of any country; this override has no effect`);
    }
  });

  return { problems, warnings };
}

/**
 * Meeting roles and the ST coordinator's contract: the delegation roles belong to Member Countries'
 * people (observers and organisations keep their status, domain.md "People for meetings"); at most one
 * ST coordinator; a contract only on the ST coordinator's entry.
 */
function checkMeetingRoles(root: Rec, countries: unknown[], problems: string[], warnings: string[]): void {
  countries.forEach((c0, i) => {
    const c = rec(c0);
    if (!c) return;
    const code = str(c['code']);
    if (str(c['status']) !== 'observer') return;
    for (const field of ['focalPoints', 'people'] as const) {
      list(c[field]).forEach((p, k) => {
        const roles = list(rec(p)?.['roles']);
        if (roles.length > 0) {
          problems.push(
            `countries[${i}].${field}[${k}].roles: ${code} is an observer country; delegation roles (${roles.map(String).join(', ')}) belong to Member Countries`,
          );
        }
      });
    }
  });
  list(root['organizations']).forEach((o0, i) => {
    const o = rec(o0);
    list(o?.['people']).forEach((p, k) => {
      const roles = list(rec(p)?.['roles']);
      if (roles.length > 0) {
        problems.push(
          `organizations[${i}].people[${k}].roles: ${str(o?.['code']) ?? 'an organisation'} takes part as an organisation; delegation roles belong to Member Countries`,
        );
      }
    });
  });
  const staff = list(rec(root['secretariat'])?.['staff']);
  let coordinatorAt: number | undefined;
  staff.forEach((p0, k) => {
    const p = rec(p0);
    if (!p) return;
    const isCoordinator = list(p['roles']).includes('st_coordinator');
    if (isCoordinator) {
      if (coordinatorAt !== undefined) {
        problems.push(`secretariat.staff[${k}].roles: a second ST coordinator (secretariat.staff[${coordinatorAt}] is one already); the ST has one coordinator`);
      } else coordinatorAt = k;
    }
    if (p['contract'] !== undefined && !isCoordinator) {
      problems.push(`secretariat.staff[${k}].contract: only the ST coordinator (roles: [st_coordinator]) has a contract recorded here`);
    }
    if (isCoordinator && p['contract'] === undefined) {
      warnings.push(`secretariat.staff[${k}]: the ST coordinator has no contract dates; the vacancy notice cannot be planned`);
    }
  });
}
