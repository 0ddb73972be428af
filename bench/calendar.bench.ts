/**
 * Deadline computations per second for each calendar policy (secretariat, all-members, MX), ~2 s each.
 * Run standalone: `npx tsx bench/calendar.bench.ts`, or import and call `run()`.
 */
import { pathToFileURL } from 'node:url';
import { createBusinessCalendar, type CalendarSetup } from '../src/calendar/index.ts';

const MEMBERS: [string, string, string][] = [
  ['BZ', 'America/Belize', 'BZ'],
  ['CA', 'America/Toronto', 'CA-ON'],
  ['CR', 'America/Costa_Rica', 'CR'],
  ['SV', 'America/El_Salvador', 'SV'],
  ['US', 'America/New_York', 'US-DC'],
  ['GT', 'America/Guatemala', 'GT'],
  ['HN', 'America/Tegucigalpa', 'HN'],
  ['MX', 'America/Mexico_City', 'MX'],
  ['NI', 'America/Managua', 'NI'],
  ['PA', 'America/Panama', 'PA'],
  ['DO', 'America/Santo_Domingo', 'DO'],
];

const SETUP: CalendarSetup = {
  secretariat: { timezone: 'America/Costa_Rica', calendar: 'CR' },
  countries: MEMBERS.map(([code, timezone, calendar]) => ({ code, status: 'member' as const, timezone, calendar })),
  holidays: [{ calendar: 'CR', date: '2026-12-24', name: 'Cierre de oficina' }],
};

const DURATION_MS = 2000;

function measure(policy: string): { ops: number; perSecond: number } {
  const cal = createBusinessCalendar(policy, SETUP);
  // starts spread over 2026–2027, one every ~7 hours, N from 1 to 20
  const base = Date.UTC(2026, 0, 1);
  const step = 7 * 3_600_000 + 12_345;
  const span = 2 * 365 * 86_400_000;
  let ops = 0;
  let sink = 0;
  const t0 = performance.now();
  let now = t0;
  while (now - t0 < DURATION_MS) {
    for (let i = 0; i < 200; i++) {
      const start = new Date(base + ((ops * step) % span));
      sink += cal.deadlineAfter(start, 1 + (ops % 20)).counted.length;
      ops++;
    }
    now = performance.now();
  }
  if (sink < 0) console.log(sink);
  return { ops, perSecond: Math.round((ops * 1000) / (now - t0)) };
}

export async function run(): Promise<void> {
  for (const policy of ['secretariat', 'all-members', 'MX']) {
    measure(policy); // warm the holiday caches
    const { ops, perSecond } = measure(policy);
    console.log(`calendar deadlineAfter [${policy}]: ${perSecond.toLocaleString('en-US')} deadlines/s (${ops} in ~${DURATION_MS / 1000}s)`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await run();
}
