/** The duty reminder plan: who, which slots, when (local civil time, business days), catch-ups and skips. */
import { describe, expect, it } from 'vitest';
import { deriveDuties, trackDuties, type Meeting, type TrackedDuty } from '../../../src/domain/meetings/index.ts';
import { dutyJobId, planDutyJobs } from '../../../src/jobs/duty-plan.ts';
import { DIRECTORY, meeting } from '../domain/meetings/fixtures.ts';

function tracked(meetings: Meeting[], today: string, done: string[] = []): TrackedDuty[] {
  return trackDuties(deriveDuties({ meetings, invitations: [], directory: DIRECTORY }), new Set(done), today);
}

/** A GRCM whose operational report (ST) is due Thursday 2026-12-10 (the GRCM starts 40 days later). */
const grcm = meeting('grcm', '2027-01-19', '2027-01-20', { now: '2026-11-02T12:00:00.000Z' });
const report = `${grcm.reference}/st_operational_financial_report/ST`;

describe('planDutyJobs', () => {
  it('the ST channel: 5 business days before, on the due date and the business day after, 09:00 in San José', () => {
    const duties = tracked([grcm], '2026-11-20');
    const plan = planDutyJobs({ duties, meetings: [grcm], directory: DIRECTORY, now: new Date('2026-11-20T12:00:00Z') });
    const mine = plan.jobs.filter((j) => j.data.dutyId === report);
    expect(mine.map((j) => [j.data.slot, j.at.toISOString(), j.data.recipient, j.timing])).toEqual([
      ['D-5', '2026-12-03T15:00:00.000Z', 'st-channel', 'scheduled'],
      ['D-0', '2026-12-10T15:00:00.000Z', 'st-channel', 'scheduled'],
      ['late', '2026-12-11T15:00:00.000Z', 'st-channel', 'scheduled'],
    ]);
    expect(mine[0]!.data).toEqual({ dutyId: report, recipient: 'st-channel', slot: 'D-5', due: '2026-12-10', dueAt: '2026-12-03T15:00:00.000Z' });
    expect(mine[0]!.id).toBe(dutyJobId(mine[0]!.data));
    expect(mine[0]!.id).toMatch(/^duty\.MTG-2027-\d{3}_st_operational_financial_report_ST\.D-5\.[0-9a-f]{20}$/);
    expect(new Set(plan.jobs.map((j) => j.id)).size).toBe(plan.jobs.length);
  });

  it('the PPT: its focal points, each at 09:00 in their own zone', () => {
    const duties = tracked([grcm], '2026-11-20');
    const plan = planDutyJobs({ duties, meetings: [grcm], directory: DIRECTORY, now: new Date('2026-11-20T12:00:00Z') });
    // The GRCM of January 2027 falls in Panama's PPT: the summary is owed by Panama's two focal points.
    const summary = plan.jobs.filter((j) => j.data.dutyId === `${grcm.reference}/meeting_summary/PPT` && j.data.slot === 'D-0');
    expect(summary.map((j) => [j.data.recipient, j.at.toISOString()])).toEqual([
      ['itzel.castillo@example.org', '2027-01-20T14:00:00.000Z'],
      ['ricardo.arosemena@example.org', '2027-01-20T14:00:00.000Z'],
    ]);
  });

  it('observers reachable by chat are reminded; delegates with e-mail only are counted as unreachable', () => {
    const vm = meeting('vice_ministerial', '2027-11-16', '2027-11-17', { now: '2027-01-01T00:00:00.000Z' });
    const plan = planDutyJobs({ duties: tracked([vm], '2027-06-01'), meetings: [vm], directory: DIRECTORY, now: new Date('2027-06-01T12:00:00Z') });
    const jm = plan.jobs.filter((j) => j.data.dutyId === `${vm.reference}/observer_reports/JM`);
    expect(jm.map((j) => j.data.recipient)).toEqual(['andre.campbell@example.org', 'andre.campbell@example.org', 'andre.campbell@example.org']);
    expect(plan.skipped).toContainEqual({ dutyId: `${vm.reference}/observer_reports/RROCM`, recipient: 'teresa.alfaro@example.org', slot: '*', reason: 'unreachable' });
    // Organisations without delegates, countries without people: nobody to remind, nothing planned.
    expect(plan.jobs.some((j) => j.data.dutyId.endsWith('/observer_reports/SEGIB'))).toBe(false);
  });

  it('a done duty and a reminder already sent are not planned', () => {
    const duties = tracked([grcm], '2026-11-20', [report]);
    const plan = planDutyJobs({ duties, meetings: [grcm], directory: DIRECTORY, now: new Date('2026-11-20T12:00:00Z') });
    expect(plan.jobs.some((j) => j.data.dutyId === report)).toBe(false);
    const sent = new Set([`${report}|st-channel|D-5|2026-12-10`]);
    const again = planDutyJobs({ duties: tracked([grcm], '2026-11-20'), meetings: [grcm], directory: DIRECTORY, now: new Date('2026-11-20T12:00:00Z'), sent });
    expect(again.jobs.filter((j) => j.data.dutyId === report).map((j) => j.data.slot)).toEqual(['D-0', 'late']);
    expect(again.skipped).toContainEqual({ dutyId: report, recipient: 'st-channel', slot: 'D-5', reason: 'already_sent' });
  });

  it('a slot missed while the bot was down is caught up at the next civil time; one already past when the meeting was recorded is not', () => {
    // Friday 2026-12-04 at 20:00 in San José: D-5 (Thursday 09:00) was missed; next civil time Monday 09:00.
    const now = new Date('2026-12-05T02:00:00Z');
    const plan = planDutyJobs({ duties: tracked([grcm], '2026-12-04'), meetings: [grcm], directory: DIRECTORY, now });
    expect(plan.jobs.filter((j) => j.data.dutyId === report).map((j) => [j.data.slot, j.at.toISOString(), j.timing])).toEqual([
      ['D-0', '2026-12-10T15:00:00.000Z', 'scheduled'],
      ['late', '2026-12-11T15:00:00.000Z', 'scheduled'],
      ['D-5', '2026-12-07T15:00:00.000Z', 'catch-up'],
    ]);
    const late = meeting('grcm', '2027-01-19', '2027-01-20', { now: '2026-12-04T12:00:00.000Z' });
    const lateRef = `${late.reference}/st_operational_financial_report/ST`;
    const p2 = planDutyJobs({ duties: tracked([late], '2026-12-04'), meetings: [late], directory: DIRECTORY, now });
    expect(p2.jobs.filter((j) => j.data.dutyId === lateRef).map((j) => j.data.slot)).toEqual(['D-0', 'late']);
    expect(p2.skipped).toContainEqual({ dutyId: lateRef, recipient: 'st-channel', slot: 'D-5', reason: 'before_notice' });
  });

  it('long down: only the latest missed slot comes back; a catch-up within the hour before the next slot merges into it', () => {
    const now = new Date('2026-12-14T12:00:00Z'); // Monday 06:00 in San José, after D-5, D-0 and late
    const plan = planDutyJobs({ duties: tracked([grcm], '2026-12-14'), meetings: [grcm], directory: DIRECTORY, now });
    expect(plan.jobs.filter((j) => j.data.dutyId === report).map((j) => [j.data.slot, j.at.toISOString(), j.timing])).toEqual([
      ['late', '2026-12-14T15:00:00.000Z', 'catch-up'],
    ]);
    expect(plan.skipped.filter((s) => s.dutyId === report).map((s) => [s.slot, s.reason])).toEqual([
      ['D-5', 'superseded'],
      ['D-0', 'superseded'],
    ]);
    // At 08:30 in San José on the due date, D-5 missed: its catch-up (next civil time 09:00) merges into D-0.
    const merging = planDutyJobs({ duties: tracked([grcm], '2026-12-10'), meetings: [grcm], directory: DIRECTORY, now: new Date('2026-12-10T14:30:00Z') });
    expect(merging.jobs.filter((j) => j.data.dutyId === report).map((j) => j.data.slot)).toEqual(['D-0', 'late']);
    expect(merging.skipped).toContainEqual({ dutyId: report, recipient: 'st-channel', slot: 'D-5', reason: 'merged' });
  });
});
