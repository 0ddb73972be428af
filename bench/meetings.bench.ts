/**
 * Meetings domain throughput (pure code, no I/O): eligibility decisions per second — random invitation
 * attempts by everyone in the example directory (and strangers) to random segments of a Vice-Ministerial,
 * a GRCM and a consular network meeting, the accepted ones recorded so the closed-door limit and "already
 * invited" are exercised, a fresh meeting every 200 attempts — and duty derivations per second: every duty
 * of a two-year calendar (4 GRCMs, 2 Vice-Ministerials, 6 network meetings, 4 workshops) derived from the
 * meetings, their invitations and the directory, then tracked on a date. Runs ~2 s each.
 * Standalone: `npx tsx bench/meetings.bench.ts`; or through `npm run bench -- meetings`.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseDirectory } from '../src/directory/load.ts';
import {
  SEGMENTS,
  decideInvitation,
  deriveDuties,
  newMeeting,
  partiesOf,
  trackDuties,
  type Invitation,
  type Meeting,
  type MeetingKind,
} from '../src/domain/meetings/index.ts';

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const parsed = parseDirectory(readFileSync(new URL('../config/directory.example.yaml', import.meta.url), 'utf8'));
if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
const directory = parsed.directory;

let n = 0;
function meeting(kind: MeetingKind, start: string, end = start): Meeting {
  const d = newMeeting({ id: `m${++n}`, reference: `MTG-${start.slice(0, 4)}-${String(n).padStart(3, '0')}`, kind, title: kind, start, end, now: '2026-01-01T00:00:00Z' }, directory);
  if (!d.ok) throw new Error(d.code);
  return d.meeting;
}

function eligibilityBench(budgetMs: number): void {
  const rnd = prng(7);
  const emails = [...partiesOf(directory).keys(), 'stranger@example.org'];
  const kinds: MeetingKind[] = ['vice_ministerial', 'grcm', 'network_consular'];
  let decisions = 0;
  let accepted = 0;
  let m = meeting('vice_ministerial', '2026-11-17', '2026-11-18');
  let invitations: Invitation[] = [];
  const started = performance.now();
  while (performance.now() - started < budgetMs) {
    for (let i = 0; i < 200; i++) {
      const email = emails[Math.floor(rnd() * emails.length)]!;
      const segment = SEGMENTS[Math.floor(rnd() * SEGMENTS.length)]!;
      const d = decideInvitation({ directory, meeting: m, invitations, today: '2026-06-01' }, { email, segment, adviser: rnd() < 0.1 });
      decisions++;
      if (d.ok) {
        accepted++;
        invitations.push(d.invitation);
      }
    }
    m = meeting(kinds[decisions % kinds.length]!, '2026-11-17', '2026-11-18');
    invitations = [];
  }
  const elapsed = (performance.now() - started) / 1000;
  const rate = Math.round(decisions / elapsed);
  console.log(
    `meetings eligibility: ${rate.toLocaleString('en-US')} decisions/s (${decisions} decisions in ${elapsed.toFixed(2)} s, ${accepted} accepted; ` +
      `${(1e6 / rate).toFixed(2)} µs per decision)`,
  );
}

function dutiesBench(budgetMs: number): void {
  const meetings: Meeting[] = [];
  for (const y of [2026, 2027]) {
    meetings.push(meeting('grcm', `${y}-06-10`, `${y}-06-11`), meeting('grcm', `${y}-11-12`, `${y}-11-13`));
    meetings.push(meeting('network_trafficking', `${y}-06-09`), meeting('network_consular', `${y}-06-09`), meeting('networks_joint', `${y}-11-11`));
    meetings.push(meeting('vice_ministerial', `${y}-11-17`, `${y}-11-18`), meeting('workshop', `${y}-03-03`), meeting('workshop', `${y}-08-04`));
  }
  const invitations: Invitation[] = [];
  for (const m of meetings) {
    for (const email of partiesOf(directory).keys()) {
      for (const segment of m.segments) {
        const d = decideInvitation({ directory, meeting: m, invitations: invitations.filter((i) => i.meetingId === m.id), today: '2026-01-01' }, { email, segment });
        if (d.ok) invitations.push(d.invitation);
      }
    }
  }
  let derivations = 0;
  let duties = 0;
  const started = performance.now();
  while (performance.now() - started < budgetMs) {
    for (let i = 0; i < 20; i++) {
      const derived = deriveDuties({ meetings, invitations, directory });
      const tracked = trackDuties(derived, new Set(), '2026-12-01');
      duties += tracked.length;
      derivations++;
    }
  }
  const elapsed = (performance.now() - started) / 1000;
  const rate = Math.round(derivations / elapsed);
  console.log(
    `meetings duties: ${rate.toLocaleString('en-US')} derivations/s of ${meetings.length} meetings and ${invitations.length} invitations ` +
      `(${duties / derivations} duties each; ${Math.round((rate * duties) / derivations).toLocaleString('en-US')} duties/s; ${(1e3 / rate).toFixed(3)} ms per derivation)`,
  );
}

export async function run(): Promise<void> {
  eligibilityBench(2_000);
  dutiesBench(2_000);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await run();
}
