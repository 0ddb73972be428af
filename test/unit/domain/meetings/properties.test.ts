/**
 * Property tests of the meetings domain: random invitation attempts by everyone in the directory (and
 * strangers) on every kind of meeting, random meeting calendars for the duties and warnings, checked
 * against the rules of shared/domain.md "Meetings".
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, daysBetween, monthOf } from '../../../../src/domain/meetings/dates.ts';
import { compareDuties, deriveDuties, dutyState, trackDuties } from '../../../../src/domain/meetings/duties.ts';
import { SEGMENTS_BY_KIND, decideInvitation, networkRoles } from '../../../../src/domain/meetings/eligibility.ts';
import { meetingWarnings } from '../../../../src/domain/meetings/meeting.ts';
import { partiesOf } from '../../../../src/domain/meetings/parties.ts';
import { MEETING_KINDS, SEGMENTS, type Invitation, type Meeting, type MeetingKind } from '../../../../src/domain/meetings/types.ts';
import { DIRECTORY, meeting } from './fixtures.ts';

const PARTIES = partiesOf(DIRECTORY);
const EMAILS = [...PARTIES.keys(), 'stranger@example.org', 'other@example.net'];

const attempt = fc.record({
  email: fc.constantFrom(...EMAILS),
  segment: fc.constantFrom(...SEGMENTS),
  adviser: fc.boolean(),
});

const KIND_MEETINGS: Record<MeetingKind, Meeting> = Object.fromEntries(
  MEETING_KINDS.map((k) => [k, meeting(k, '2026-11-10', '2026-11-11', k === 'ad_hoc' ? { members: ['CA', 'CR', 'SV', 'US', 'GT', 'MX', 'PA', 'DO'] } : {})]),
) as Record<MeetingKind, Meeting>;

/** Runs the attempts in order, recording what is accepted, as the store would. */
function run(m: Meeting, attempts: readonly { email: string; segment: (typeof SEGMENTS)[number]; adviser: boolean }[]): Invitation[] {
  const recorded: Invitation[] = [];
  for (const a of attempts) {
    const before = JSON.stringify(recorded);
    const d = decideInvitation({ directory: DIRECTORY, meeting: m, invitations: recorded, today: '2026-01-01' }, a);
    expect(JSON.stringify(recorded)).toBe(before); // deciding never changes what is recorded
    if (d.ok) recorded.push(d.invitation);
  }
  return recorded;
}

describe('eligibility properties', () => {
  it('the closed-door session only ever holds Vice-Ministers (one per country), at most two senior officials per country, and the coordinator as adviser', () => {
    fc.assert(
      fc.property(fc.array(attempt, { maxLength: 120 }), (attempts) => {
        const recorded = run(KIND_MEETINGS.vice_ministerial, attempts);
        const closed = recorded.filter((i) => i.segment === 'closed_door');
        for (const i of closed) {
          const p = PARTIES.get(i.personId)!;
          if (i.basis === 'coordinator_adviser') expect(p.kind === 'secretariat' && p.coordinator).toBe(true);
          else {
            expect(p.kind).toBe('member');
            expect(['vice_minister', 'senior_official']).toContain(i.basis);
            if (p.kind === 'member') expect(p.roles).toContain(i.basis);
          }
        }
        const byCountry = new Map<string, Invitation[]>();
        for (const i of closed) if (i.country) byCountry.set(i.country, [...(byCountry.get(i.country) ?? []), i]);
        for (const list of byCountry.values()) {
          expect(list.filter((i) => i.basis === 'vice_minister').length).toBeLessThanOrEqual(1);
          expect(list.filter((i) => i.basis === 'senior_official').length).toBeLessThanOrEqual(2);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a network\'s deliberation only ever holds that network\'s member liaison officers; its hearing adds only civil society', () => {
    fc.assert(
      fc.property(fc.constantFrom<MeetingKind>('network_trafficking', 'network_consular', 'networks_joint'), fc.array(attempt, { maxLength: 80 }), (kind, attempts) => {
        const recorded = run(KIND_MEETINGS[kind], attempts);
        for (const i of recorded) {
          const p = PARTIES.get(i.personId)!;
          const liaison = p.kind === 'member' && networkRoles(kind).some((r) => p.roles.includes(r));
          if (i.segment === 'deliberation') expect(liaison).toBe(true);
          else {
            expect(i.segment).toBe('hearing');
            expect(liaison || (p.kind === 'organization' && p.organizationKind === 'civil-society')).toBe(true);
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('on every kind: segments are the kind\'s, nobody twice in a segment, strangers never, observers and invitees never where members decide in private', () => {
    fc.assert(
      fc.property(fc.constantFrom(...MEETING_KINDS), fc.array(attempt, { maxLength: 80 }), (kind, attempts) => {
        const recorded = run(KIND_MEETINGS[kind], attempts);
        const keys = recorded.map((i) => `${i.segment} ${i.personId}`);
        expect(new Set(keys).size).toBe(keys.length);
        for (const i of recorded) {
          expect(SEGMENTS_BY_KIND[kind]).toContain(i.segment);
          const p = PARTIES.get(i.personId);
          expect(p).toBeDefined();
          if (i.segment === 'closed_door' || i.segment === 'deliberation') {
            expect(['observer_country', 'organization']).not.toContain(p!.kind);
          }
          if (p!.kind === 'organization' && p!.organizationKind === 'invitee') expect(i.basis).toBe('special_invitee');
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a decision depends on the person, not on how their e-mail is written', () => {
    fc.assert(
      fc.property(fc.constantFrom(...MEETING_KINDS), attempt, (kind, a) => {
        const ctx = { directory: DIRECTORY, meeting: KIND_MEETINGS[kind], invitations: [], today: '2026-01-01' };
        expect(decideInvitation(ctx, { ...a, email: `  ${a.email.toUpperCase()} ` })).toEqual(decideInvitation(ctx, a));
      }),
    );
  });
});

// ─── Duties and warnings over random calendars ───────────────────────────────────────────────────────

const day = fc.integer({ min: 0, max: 3 * 365 }).map((n) => addDays('2025-01-01', n));
const meetingArb = fc
  .record({ kind: fc.constantFrom(...MEETING_KINDS), start: day, length: fc.integer({ min: 0, max: 4 }) })
  .map(({ kind, start, length }) => meeting(kind, start, addDays(start, length)));

describe('duty properties', () => {
  it('ids unique, sorted, independent of the meetings\' order; each GRCM its report 40 days before and each Vice-Ministerial its draft 30 days before', () => {
    fc.assert(
      fc.property(fc.array(meetingArb, { maxLength: 12 }), fc.integer(), (meetings, seed) => {
        const duties = deriveDuties({ meetings, invitations: [], directory: DIRECTORY });
        expect(new Set(duties.map((d) => d.id)).size).toBe(duties.length);
        for (let i = 1; i < duties.length; i++) expect(compareDuties(duties[i - 1]!, duties[i]!)).toBeLessThanOrEqual(0);
        const shuffled = fc.sample(fc.shuffledSubarray(meetings, { minLength: meetings.length, maxLength: meetings.length }), { numRuns: 1, seed })[0]!;
        expect(deriveDuties({ meetings: shuffled, invitations: [], directory: DIRECTORY })).toEqual(duties);
        for (const m of meetings) {
          const mine = duties.filter((d) => d.meeting === m.reference);
          for (const d of mine) expect(d.due <= m.end).toBe(true);
          if (m.kind === 'grcm') {
            const r = mine.filter((d) => d.duty === 'st_operational_financial_report');
            expect(r).toHaveLength(1);
            expect(daysBetween(r[0]!.due, m.start)).toBe(40);
            expect(r[0]!.owner).toBe('ST');
          }
          if (m.kind === 'vice_ministerial') {
            expect(daysBetween(mine.find((d) => d.duty === 'draft_declaration_action_plan')!.due, m.start)).toBe(30);
            expect(mine.find((d) => d.duty === 'coordinator_evaluation')!.due).toBe(m.end);
          }
          if (m.kind === 'grcm' || m.kind === 'vice_ministerial') {
            expect(mine.find((d) => d.duty === 'meeting_summary')?.due).toBe(m.end);
          } else expect(mine).toEqual([]);
          for (const d of mine.filter((x) => x.owner === 'PPT')) expect(d.pptCountry).toBeDefined();
        }
      }),
      { numRuns: 200 },
    );
  });

  it('a duty is late exactly when it is not done and its due date has passed', () => {
    fc.assert(
      fc.property(fc.array(meetingArb, { maxLength: 6 }), day, fc.double({ min: 0, max: 1, noNaN: true }), (meetings, today, share) => {
        const duties = deriveDuties({ meetings, invitations: [], directory: DIRECTORY });
        const done = new Set(duties.filter((_d, i) => i < duties.length * share).map((d) => d.id));
        for (const t of trackDuties(duties, done, today)) {
          expect(t.state).toBe(done.has(t.id) ? 'done' : today > t.due ? 'late' : 'open');
          expect(dutyState(t, done.has(t.id), today)).toBe(t.state);
        }
      }),
    );
  });
});

describe('warning properties', () => {
  it('a Vice-Ministerial warns about November exactly when a day of it falls outside November', () => {
    fc.assert(
      fc.property(day, fc.integer({ min: 0, max: 3 }), (start, length) => {
        const m = meeting('vice_ministerial', start, addDays(start, length));
        const codes = meetingWarnings(m, [m], DIRECTORY).map((w) => w.code);
        expect(codes.includes('vice_ministerial_not_in_november')).toBe(monthOf(m.start) !== 11 || monthOf(m.end) !== 11);
        // Hosted by default in the PPT's country: never that warning.
        expect(codes).not.toContain('vice_ministerial_not_in_ppt_country');
      }),
    );
  });

  it('a network warns exactly when no GRCM starts on its last day or the day after', () => {
    fc.assert(
      fc.property(fc.constantFrom<MeetingKind>('network_trafficking', 'network_consular', 'networks_joint'), day, fc.array(fc.integer({ min: -5, max: 5 }), { maxLength: 4 }), (kind, end, gaps) => {
        const n = meeting(kind, end);
        const grcms = gaps.map((g) => meeting('grcm', addDays(end, g), addDays(end, g + 1)));
        const warned = meetingWarnings(n, [n, ...grcms], DIRECTORY).some((w) => w.code === 'network_not_before_grcm');
        expect(warned).toBe(!gaps.some((g) => g === 0 || g === 1));
      }),
    );
  });
});
