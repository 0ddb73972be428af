/**
 * Domain throughput: decide + evolve per second for a realistic mix on an open consultation — focal
 * points recording and changing positions (some objections, a few stale versions and unauthorised
 * people that are refused), with a fresh consultation every 40 decisions. Runs ~2 s.
 * Standalone: `npx tsx bench/domain.bench.ts`; or through `npm run bench -- domain`.
 */
import { CRM_MEMBERS as MEMBER_COUNTRIES } from '../test/fixtures/crm-membership.ts';
import { pathToFileURL } from 'node:url';
import { decide, evolve, type BusinessCalendar, type Command, type CommandActor, type ConsultationState, type DecideContext, type Participants, type Position } from '../src/domain/index.ts';

const DAY = 86_400_000;
const CR = 6 * 3_600_000;

/** Weekdays only, America/Costa_Rica (UTC-6). */
const calendar: BusinessCalendar = {
  policy: 'secretariat',
  deadlineAfter(start, n) {
    const l = new Date(start.getTime() - CR);
    let day = Date.UTC(l.getUTCFullYear(), l.getUTCMonth(), l.getUTCDate());
    const counted: string[] = [];
    while (counted.length < n) {
      day += DAY;
      const wd = new Date(day).getUTCDay();
      if (wd !== 0 && wd !== 6) counted.push(new Date(day).toISOString().slice(0, 10));
    }
    return { deadline: new Date(day + DAY - 1000 + CR), timeZone: 'America/Costa_Rica', counted, skipped: [], unverifiedYears: [] };
  },
};

const fpId = (c: string, n: number) => `fp${n}.${c.toLowerCase()}@example.org`;
const fp = (c: string, n = 1): CommandActor => ({ personId: fpId(c, n), name: `FP ${c}`, platform: 'slack', isStaff: false, country: c });
const participants: Participants = {
  members: MEMBER_COUNTRIES.map((code) => ({
    code,
    focalPoints: [1, 2].map((n) => ({ personId: fpId(code, n), name: `FP ${code}`, locale: 'es' as const, timezone: 'America/Costa_Rica' })),
  })),
  presidencies: [
    { country: 'HN', from: '2024-11-15', to: '2025-11-13' },
    { country: 'MX', from: '2025-11-14', to: '2026-11-19' },
    { country: 'PA', from: '2026-11-20' },
  ],
  secretariatTimeZone: 'America/Costa_Rica',
};

const T0 = new Date('2026-03-02T15:00:00Z');

function step(state: ConsultationState | undefined, cmd: Command, ctx: DecideContext): ConsultationState | undefined {
  const d = decide(state, cmd, ctx);
  if (!d.ok) return state;
  let s = state;
  for (const e of d.events) s = evolve(s, e);
  return s;
}

function openConsultation(id: string): ConsultationState {
  const ctx = { now: T0, calendar };
  let s = step(undefined, {
    type: 'start', consultationId: id, actor: fp('MX'), reference: 'CRM-2026-001', title: 'Joint statement',
    text: 'The CRM proposes a concerted position on '.repeat(40), deadline: { kind: 'business_days', days: 5 },
    participants, closeEarly: false,
  }, ctx);
  s = step(s, { type: 'sendToTroika', consultationId: id, actor: fp('MX') }, ctx);
  for (const c of ['HN', 'PA']) {
    s = step(s, { type: 'reactTroika', consultationId: id, actor: fp(c), version: s!.currentVersion, reaction: 'approve' }, ctx);
  }
  if (s?.stage !== 'member_consultation') throw new Error('bench setup: consultation did not open');
  return s;
}

/** Small deterministic PRNG (mulberry32) so runs are comparable. */
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

export async function run(): Promise<void> {
  const rnd = prng(42);
  const positions: Position[] = ['support', 'support', 'support', 'abstain', 'object'];
  const budgetMs = 2_000;
  let decisions = 0;
  let accepted = 0;
  let consultations = 0;
  let state = openConsultation(`c-${consultations++}`);
  let sinceOpen = 0;
  const started = performance.now();
  let now = T0.getTime();
  while (performance.now() - started < budgetMs) {
    for (let i = 0; i < 256; i++) {
      if (sinceOpen >= 40) {
        state = openConsultation(`c-${consultations++}`);
        sinceOpen = 0;
        now = T0.getTime();
      }
      now += 60_000;
      const r = rnd();
      const country = MEMBER_COUNTRIES[Math.floor(rnd() * MEMBER_COUNTRIES.length)]!;
      const position = positions[Math.floor(rnd() * positions.length)]!;
      // 90 % legitimate, 5 % stale version, 5 % someone from another country
      const actor = r < 0.95 ? fp(country, r < 0.5 ? 1 : 2) : fp(country === 'CR' ? 'GT' : 'CR');
      const cmd: Command = {
        type: 'recordPosition', consultationId: state.consultationId, actor, country, position,
        version: r > 0.9 && r < 0.95 ? 'stale' : state.currentVersion,
        ...(position === 'object' ? { reason: 'Paragraph 3 goes beyond our mandate' } : {}),
      };
      const d = decide(state, cmd, { now: new Date(now), calendar });
      decisions++;
      sinceOpen++;
      if (d.ok) {
        accepted++;
        for (const e of d.events) state = evolve(state, e);
      }
    }
  }
  const elapsed = (performance.now() - started) / 1000;
  const rate = Math.round(decisions / elapsed);
  console.log(`domain decide+evolve: ${rate.toLocaleString('en-US')} decisions/s ` +
    `(${decisions} decisions in ${elapsed.toFixed(2)} s, ${accepted} accepted, ${consultations} consultations; ` +
    `${(1e6 / rate).toFixed(1)} µs per decision)`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await run();
}
