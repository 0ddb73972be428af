/** Test fixtures for the domain: a fake business calendar, a frozen directory snapshot, actors. */
import { CRM_MEMBERS as MEMBER_COUNTRIES } from '../../fixtures/crm-membership.ts';
import type { BusinessCalendar, DeadlineResult } from '../../../src/domain/calendar-port.ts';
import { decide } from '../../../src/domain/decide.ts';
import { evolve } from '../../../src/domain/evolve.ts';
import type {
  Command,
  CommandActor,
  ConsultationEvent,
  ConsultationState,
  DecideContext,
  Participants,
  RecordPositionCommand,
  StartCommand,
} from '../../../src/domain/types.ts';

const DAY = 86_400_000;
const CR_OFFSET = 6 * 3_600_000; // America/Costa_Rica is UTC-6 all year

/**
 * Weekdays only, in America/Costa_Rica (no holidays). Deadline: 23:59:59 of the Nth weekday after the
 * start day. Years listed in `unverified` are reported as unverified.
 */
export function fakeCalendar(policy = 'secretariat', unverified: number[] = []): BusinessCalendar {
  return {
    policy,
    deadlineAfter(start: Date, n: number): DeadlineResult {
      const local = new Date(start.getTime() - CR_OFFSET);
      let day = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate());
      const counted: string[] = [];
      const skipped: DeadlineResult['skipped'] = [];
      while (counted.length < n) {
        day += DAY;
        const d = new Date(day);
        const iso = d.toISOString().slice(0, 10);
        if (d.getUTCDay() === 0 || d.getUTCDay() === 6) skipped.push({ date: iso, reason: 'weekend' });
        else counted.push(iso);
      }
      const years = new Set([local.getUTCFullYear(), new Date(day).getUTCFullYear()]);
      return {
        deadline: new Date(day + 23 * 3_600_000 + 59 * 60_000 + 59_000 + CR_OFFSET),
        timeZone: 'America/Costa_Rica',
        counted,
        skipped,
        unverifiedYears: [...years].filter((y) => unverified.includes(y)).sort(),
      };
    },
  };
}

export const personId = (country: string, n = 1) => `fp${n}.${country.toLowerCase()}@example.org`;

export function participants(opts: { presidencies?: Participants['presidencies'] } = {}): Participants {
  return {
    members: MEMBER_COUNTRIES.map((code) => ({
      code,
      focalPoints: [1, 2].map((n) => ({
        personId: personId(code, n),
        name: `Focal ${n} ${code}`,
        locale: code === 'CA' || code === 'US' || code === 'BZ' ? ('en' as const) : ('es' as const),
        timezone: 'America/Costa_Rica',
      })),
    })),
    presidencies: opts.presidencies ?? [
      { country: 'HN', from: '2024-11-15', to: '2025-11-13' },
      { country: 'MX', from: '2025-11-14', to: '2026-11-19' },
      { country: 'PA', from: '2026-11-20' },
    ],
    secretariatTimeZone: 'America/Costa_Rica',
  };
}

export const staff: CommandActor = { personId: 'ana@example.org', name: 'Ana Rojas', platform: 'slack', isStaff: true };
export const system: CommandActor = { personId: 'system', name: 'CRM bot', platform: 'system', isStaff: false };
export const unknown: CommandActor = { personId: 'who@example.org', name: 'Who', platform: 'slack', isStaff: false };
/** A focal point of an observer country (Argentina): never a participant. */
export const observer: CommandActor = { personId: personId('AR'), name: 'Focal AR', platform: 'teams', isStaff: false, country: 'AR' };
export const fp = (country: string, n = 1): CommandActor => ({
  personId: personId(country, n),
  name: `Focal ${n} ${country}`,
  platform: 'slack',
  isStaff: false,
  country,
});

/** Monday 2 March 2026, 09:00 in Costa Rica. PPT: MX; Troika: HN, MX, PA. */
export const T0 = new Date('2026-03-02T15:00:00.000Z');
export const at = (ms: number) => new Date(T0.getTime() + ms);
export const HOUR = 3_600_000;
export { DAY };

export const ctx = (now: Date = T0, calendar = fakeCalendar()): DecideContext => ({ now, calendar });

export const ID = 'c-1';

export function startCommand(over: Partial<StartCommand> = {}): StartCommand {
  return {
    type: 'start',
    consultationId: ID,
    actor: fp('MX'),
    reference: 'CRM-2026-003',
    title: 'Joint statement on displacement',
    text: 'The CRM expresses its concern and proposes…',
    deadline: { kind: 'business_days', days: 5 },
    rule: 'explicit',
    participants: participants(),
    ...over,
  };
}

/** Decide and apply; fails the test when refused. Returns the new state and the events. */
export function apply(
  state: ConsultationState | undefined,
  command: Command,
  c: DecideContext = ctx(),
): { state: ConsultationState; events: ConsultationEvent[] } {
  const d = decide(state, command, c);
  if (!d.ok) throw new Error(`refused ${command.type}: ${d.code} ${JSON.stringify(d.detail ?? {})}`);
  let s = state;
  for (const e of d.events) s = evolve(s, e);
  return { state: s as ConsultationState, events: d.events };
}

export function drafted(over: Partial<StartCommand> = {}, now = T0): ConsultationState {
  return apply(undefined, startCommand(over), ctx(now)).state;
}

export function inTroika(over: Partial<StartCommand> = {}, now = T0): ConsultationState {
  return apply(drafted(over, now), { type: 'sendToTroika', consultationId: ID, actor: fp('MX') }, ctx(now)).state;
}

/** Member stage open at `now` (HN and PA approve). */
export function opened(over: Partial<StartCommand> = {}, now = T0): ConsultationState {
  let s = inTroika(over, now);
  for (const c of ['HN', 'PA']) {
    s = apply(s, { type: 'reactTroika', consultationId: ID, actor: fp(c), version: s.currentVersion, reaction: 'approve' }, ctx(now)).state;
  }
  return s;
}

export const position = (
  s: ConsultationState,
  country: string,
  pos: 'support' | 'object' | 'abstain',
  reason?: string,
): RecordPositionCommand => ({
  type: 'recordPosition',
  consultationId: ID,
  actor: fp(country),
  country,
  position: pos,
  version: s.currentVersion,
  ...(reason !== undefined ? { reason } : {}),
});
