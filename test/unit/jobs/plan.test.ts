/**
 * The job plan (src/jobs/plan.ts): pure, so tested on domain states built with the domain's own fixtures
 * (T0 = Monday 2 March 2026, 09:00 in Costa Rica; every focal point in America/Costa_Rica; Troika HN, MX
 * (author), PA) and the example directory's calendars.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readDirectoryFile } from '../../../src/app/context.ts';
import { EXAMPLE_DIRECTORY } from '../../../src/config.ts';
import type { Directory } from '../../../src/directory/model.ts';
import type { ConsultationState } from '../../../src/domain/types.ts';
import { reminderOutbox } from '../../../src/flows/effects.ts';
import { jobIds } from '../../../src/jobs/names.ts';
import { staleReason } from '../../../src/jobs/remind.ts';
import { obsoleteJobIds, planJobs, reminderDedupeKey, type PlannedJob, type PlannedReminder } from '../../../src/jobs/plan.ts';
import { HOUR, ID, T0, apply, ctx, fp, inTroika, opened, personId, position, staff } from '../domain/fixtures.ts';

let directory: Directory;
beforeAll(async () => {
  directory = (await readDirectoryFile(EXAMPLE_DIRECTORY)).directory;
});

const MEMBERS = ['BZ', 'CA', 'CR', 'SV', 'US', 'GT', 'HN', 'MX', 'NI', 'PA', 'DO'];
const reminders = (jobs: PlannedJob[]): PlannedReminder[] => jobs.filter((j): j is PlannedReminder => j.queue === 'remind');
const iso = (s: string) => new Date(s).toISOString();
/** 09:00 in Costa Rica (UTC-6) on a March 2026 day. */
const nineCR = (day: number) => iso(`2026-03-${String(day).padStart(2, '0')}T15:00:00Z`);

describe('member stage', () => {
  it('at the opening: the close job at the deadline and D-2, D-0 at 09:00 local for every focal point', () => {
    const state = opened();
    expect(state.deadline).toBe('2026-03-10T05:59:59.000Z'); // Monday 9 March, 23:59:59 in Costa Rica
    const plan = planJobs({ state, directory, now: T0 });
    const close = plan.jobs.filter((j) => j.queue === 'close');
    expect(close).toEqual([
      { queue: 'close', id: jobIds.close(ID, 1), at: new Date(state.deadline!), data: { consultationId: ID, deadlineVersion: 1, deadline: state.deadline } },
    ]);
    const r = reminders(plan.jobs);
    expect(r).toHaveLength(MEMBERS.length * 2 * 2);
    expect(new Set(r.map((j) => j.id)).size).toBe(r.length);
    for (const j of r) {
      expect(j.timing).toBe('scheduled');
      // Belize: Monday 9 March 2026 is a public holiday there (National Heroes and Benefactors Day), so
      // its D-0 is Friday 6 and its D-2 Wednesday 4.
      const [d2, d0] = j.data.country === 'BZ' ? [4, 6] : [5, 9];
      expect(j.at.toISOString()).toBe(j.data.slot === 'D-2' ? nineCR(d2) : nineCR(d0));
      expect(j.id).toBe(jobIds.remind(ID, j.data.personId, j.data.slot, 1));
      expect(j.data).toMatchObject({ consultationId: ID, audience: 'member', deadlineVersion: 1, dueAt: j.at.toISOString() });
    }
    expect(plan.skipped).toEqual([]);
  });

  it('countries that answered get no reminders', () => {
    let state = opened();
    state = apply(state, position(state, 'CR', 'support'), ctx(new Date(T0.getTime() + HOUR))).state;
    state = apply(state, position(state, 'US', 'abstain'), ctx(new Date(T0.getTime() + HOUR))).state;
    const r = reminders(planJobs({ state, directory, now: new Date(T0.getTime() + 2 * HOUR) }).jobs);
    expect(new Set(r.map((j) => j.data.country))).toEqual(new Set(MEMBERS.filter((c) => c !== 'CR' && c !== 'US')));
  });

  it('a slot missed while still inside civil hours is caught up at once', () => {
    const now = new Date('2026-03-06T16:00:00Z'); // Friday 10:00 in Costa Rica: D-2 (Thursday) was missed
    const r = reminders(planJobs({ state: opened(), directory, now }).jobs).filter((j) => j.data.country !== 'BZ');
    const d2 = r.filter((j) => j.data.slot === 'D-2');
    expect(d2).toHaveLength((MEMBERS.length - 1) * 2);
    for (const j of d2) expect([j.timing, j.at.toISOString()]).toEqual(['catch-up', now.toISOString()]);
    for (const j of r.filter((x) => x.data.slot === 'D-0')) expect([j.timing, j.at.toISOString()]).toEqual(['scheduled', nineCR(9)]);
  });

  it('a slot missed outside civil hours moves to the next business morning, and merges with a slot planned then', () => {
    // Thursday 20:00: the next civil time is Friday 09:00, a day before D-0 (Monday): a separate catch-up.
    const thu = new Date('2026-03-06T02:00:00Z');
    const r1 = reminders(planJobs({ state: opened(), directory, now: thu }).jobs).filter((j) => j.data.slot === 'D-2' && j.data.country !== 'BZ');
    expect(r1).toHaveLength((MEMBERS.length - 1) * 2);
    expect(r1.every((j) => j.timing === 'catch-up' && j.at.toISOString() === nineCR(6))).toBe(true);
    // Saturday: the next civil time is Monday 09:00, which is D-0 itself: merged, one reminder.
    const sat = new Date('2026-03-07T18:00:00Z');
    const plan = planJobs({ state: opened(), directory, now: sat });
    const others = reminders(plan.jobs).filter((j) => j.data.country !== 'BZ');
    expect(others.map((j) => j.data.slot)).toEqual(Array((MEMBERS.length - 1) * 2).fill('D-0'));
    expect(plan.skipped.filter((s) => s.reason === 'merged')).toHaveLength((MEMBERS.length - 1) * 2);
    // Belize (D-0 was Friday, Monday is a holiday there): both its slots are past, and its next civil time
    // (Tuesday 09:00) is after the deadline (Monday 23:59 in Costa Rica): the latest slot goes at once
    // rather than never.
    const bz = reminders(plan.jobs).filter((j) => j.data.country === 'BZ');
    expect(bz.map((j) => [j.data.slot, j.timing, j.at.toISOString()])).toEqual([
      ['D-0', 'catch-up', sat.toISOString()],
      ['D-0', 'catch-up', sat.toISOString()],
    ]);
  });

  it('only the latest missed slot is caught up; when no civil time is left before the deadline it goes now', () => {
    const now = new Date('2026-03-10T01:00:00Z'); // Monday 19:00 in Costa Rica, deadline at 23:59:59
    const plan = planJobs({ state: opened(), directory, now });
    const r = reminders(plan.jobs);
    expect(r).toHaveLength(MEMBERS.length * 2);
    for (const j of r) expect([j.data.slot, j.timing, j.at.toISOString()]).toEqual(['D-0', 'catch-up', now.toISOString()]);
    expect(plan.skipped.filter((s) => s.reason === 'superseded').map((s) => s.slot)).toEqual(Array(MEMBERS.length * 2).fill('D-2'));
  });

  it('slots already past when the text circulated are not reminders (policy), unless remindBeforeNotice', () => {
    const opening = new Date('2026-03-05T17:00:00Z'); // Thursday 11:00: D-2 (Thursday 09:00) is before it
    const state = opened({ deadline: { kind: 'explicit', at: '2026-03-10T05:59:59.000Z' }, justification: 'Urgente' }, opening);
    const plan = planJobs({ state, directory, now: opening });
    expect(reminders(plan.jobs).map((j) => j.data.slot)).toEqual(Array(MEMBERS.length * 2).fill('D-0'));
    expect(plan.skipped.every((s) => s.reason === 'before_notice' && s.slot === 'D-2')).toBe(true);
    const eager = reminders(planJobs({ state, directory, now: opening, policy: { remindBeforeNotice: true } }).jobs);
    expect(eager.filter((j) => j.data.slot === 'D-2').every((j) => j.timing === 'catch-up' && +j.at === +opening)).toBe(true);
  });

  it('after the deadline only the close job remains', () => {
    const plan = planJobs({ state: opened(), directory, now: new Date('2026-03-10T07:00:00Z') });
    expect(plan.jobs.map((j) => j.queue)).toEqual(['close']);
  });

  it('policy: other days and hour', () => {
    const r = reminders(planJobs({ state: opened(), directory, now: T0, policy: { daysBefore: [3, 1], hour: 10 } }).jobs);
    expect(new Set(r.filter((j) => j.data.country !== 'BZ').map((j) => `${j.data.slot} ${j.at.toISOString()}`))).toEqual(
      new Set([`D-3 ${iso('2026-03-04T16:00:00Z')}`, `D-1 ${iso('2026-03-06T16:00:00Z')}`]),
    );
  });

  it("uses the person's zone from the live directory and the country's calendar", () => {
    const state = opened();
    const live = structuredClone(directory);
    const mx = live.countries.find((c) => c.code === 'MX')!;
    mx.focalPoints.push({ ...mx.focalPoints[0]!, id: personId('MX', 1), timezone: 'Asia/Tokyo' });
    const r = reminders(planJobs({ state, directory: live, now: T0 }).jobs).filter((j) => j.data.personId === personId('MX', 1));
    // The deadline (Monday 23:59:59 in Costa Rica) is Tuesday 14:59 in Tokyo: D-0 is Tuesday 10 and D-2
    // Friday 6 March, 09:00 in Tokyo (UTC+9).
    expect(r.map((j) => j.at.toISOString()).sort()).toEqual([iso('2026-03-06T00:00:00Z'), iso('2026-03-10T00:00:00Z')]);
  });

  it('the dedupe key names the same tuple as the record', () => {
    const j = reminders(planJobs({ state: opened(), directory, now: T0 }).jobs)[0]!;
    expect(reminderDedupeKey(j.data)).toBe(`reminder:${ID}:${j.data.country}:${j.data.personId}:${j.data.slot}:v1`);
  });
});

describe('Troika stage', () => {
  it('focal points of Troika countries that have not reacted, one business day after sending, 09:00 local', () => {
    const state = inTroika();
    const plan = planJobs({ state, directory, now: T0 });
    const r = reminders(plan.jobs);
    expect(plan.jobs.some((j) => j.queue === 'close')).toBe(false);
    expect(r.map((j) => j.data.personId).sort()).toEqual([personId('HN', 1), personId('HN', 2), personId('PA', 1), personId('PA', 2)].sort());
    for (const j of r) {
      expect(j.at.toISOString()).toBe(nineCR(3));
      expect(j.data).toMatchObject({ audience: 'troika', slot: 'troika-v1', deadlineVersion: 0, textVersion: state.currentVersion });
      expect(j.id).toBe(jobIds.remind(ID, j.data.personId, 'troika-v1', 0));
    }
  });

  it('a reaction removes that country; a revision re-plans from the revision on a new slot', () => {
    let state = inTroika();
    state = apply(state, { type: 'reactTroika', consultationId: ID, actor: fp('HN'), version: state.currentVersion, reaction: 'request_changes', reason: 'Ajustar' }, ctx(new Date(T0.getTime() + HOUR))).state;
    expect(reminders(planJobs({ state, directory, now: T0 }).jobs).map((j) => j.data.country)).toEqual(['PA', 'PA']);
    const wed = new Date('2026-03-04T16:00:00Z');
    const revised = apply(state, { type: 'revise', consultationId: ID, actor: fp('MX'), text: 'Texto revisado' }, ctx(wed));
    const r = reminders(planJobs({ state: revised.state, directory, now: wed }).jobs);
    expect(r).toHaveLength(4);
    for (const j of r) expect([j.data.slot, j.at.toISOString()]).toEqual(['troika-v2', nineCR(5)]);
    const obsolete = obsoleteJobIds(revised.state, revised.events, planJobs({ state: revised.state, directory, now: wed }));
    expect(obsolete).toEqual(expect.arrayContaining([jobIds.remind(ID, personId('PA', 1), 'troika-v1', 0)]));
    expect(obsolete.some((id) => id.includes('troika-v2'))).toBe(false);
  });

  it("the PPT's country approves as the author: its focal points are never reminded as Troika, nor sent Troika buttons", () => {
    const revised = apply(inTroika(), { type: 'revise', consultationId: ID, actor: fp('MX'), text: 'Texto revisado' }, ctx(new Date(T0.getTime() + HOUR))).state;
    for (const state of [inTroika(), revised]) {
      const r = reminders(planJobs({ state, directory, now: T0 }).jobs);
      expect(r.length).toBeGreaterThan(0);
      expect(r.some((j) => j.data.country === 'MX')).toBe(false);
    }
    // Even a state without the author's implicit approval (recorded before it existed) plans none for it.
    const { MX: _author, ...others } = revised.troikaReactions;
    const legacy = { ...revised, troikaReactions: others };
    expect(reminders(planJobs({ state: legacy, directory, now: T0 }).jobs).some((j) => j.data.country === 'MX')).toBe(false);
    // A job planned for it before this rule finds it stale, and no reminder row is built.
    const data = { consultationId: ID, audience: 'troika' as const, country: 'MX', personId: personId('MX'), slot: 'troika-v2', deadlineVersion: 0, textVersion: legacy.currentVersion, dueAt: T0.toISOString() };
    expect(staleReason(legacy, data, T0)).toBe('author_country');
    expect(reminderOutbox(legacy, directory, data, reminderDedupeKey(data))).toBeUndefined();
  });
});

describe('obsolete job ids', () => {
  it('an answer cancels the country’s reminders of the current deadline version', () => {
    const state = opened();
    const r = apply(state, position(state, 'CR', 'support'), ctx(new Date(T0.getTime() + HOUR)));
    const ids = obsoleteJobIds(r.state, r.events, planJobs({ state: r.state, directory, now: T0 }));
    expect(ids.sort()).toEqual(
      [1, 2].flatMap((n) => ['D-2', 'D-0'].map((s) => jobIds.remind(ID, personId('CR', n), s, 1))).sort(),
    );
  });

  it('an extension cancels every job of the previous version; the new plan has version 2', () => {
    const state = opened();
    const r = apply(
      state,
      { type: 'extend', consultationId: ID, actor: staff, deadline: { kind: 'business_days', days: 8 }, justification: 'Más tiempo' },
      ctx(new Date(T0.getTime() + HOUR)),
    );
    const plan = planJobs({ state: r.state, directory, now: new Date(T0.getTime() + HOUR) });
    const ids = obsoleteJobIds(r.state, r.events, plan);
    expect(ids).toContain(jobIds.close(ID, 1));
    expect(ids.filter((id) => id.endsWith('.v1'))).toHaveLength(ids.length);
    expect(ids).toHaveLength(1 + MEMBERS.length * 2 * 2);
    expect(plan.jobs.every((j) => j.id.endsWith('.v2'))).toBe(true);
  });

  it('closing at the deadline cancels every reminder but not the running close job', () => {
    const state = opened();
    const after = new Date(new Date(state.deadline!).getTime() + 1_000);
    const r = apply(state, { type: 'close', consultationId: ID, actor: { personId: 'system', name: 'CRM bot', platform: 'system', isStaff: false } }, ctx(after));
    const ids = obsoleteJobIds(r.state, r.events, planJobs({ state: r.state, directory, now: after }));
    expect(ids).not.toContain(jobIds.close(ID, 1));
    expect(ids).toHaveLength(MEMBERS.length * 2 * 2 + 6); // + the Troika slots of version 1 (HN, MX, PA × 2)
    expect(planJobs({ state: r.state, directory, now: after }).jobs).toEqual([]);
  });
});
