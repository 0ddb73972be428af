/**
 * MeetingStore on PostgreSQL and PGlite: references per start year, invitations decided under the lock
 * (concurrent invitations cannot pass the closed-door limit), duty completions once, observer cases.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideDutyDone, decideInvitation, deriveDuties, openApplication, decideApplication, type Meeting } from '../../../src/domain/meetings/index.ts';
import { MeetingStore } from '../../../src/store/meeting-store.ts';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../../helpers/db.ts';
import { DIRECTORY, P, meeting } from '../../unit/domain/meetings/fixtures.ts';

const unnumbered = (m: Meeting) => {
  const { reference: _r, ...rest } = m;
  return { ...rest, id: randomUUID() };
};

describe.each(BACKENDS)('MeetingStore on %s', (backend) => {
  let db: TestDatabase;
  let store: MeetingStore;
  beforeAll(async () => {
    db = await openTestDatabase(backend, import.meta.url);
    store = new MeetingStore(db.prisma);
  });
  afterAll(async () => {
    await db?.dispose();
  });

  it('numbers meetings per year of their start, and reads them back as recorded', async () => {
    const a = await store.create(unnumbered(meeting('grcm', '2026-06-10', '2026-06-11')));
    const b = await store.create(unnumbered(meeting('workshop', '2027-02-02')));
    const c = await store.create(unnumbered(meeting('vice_ministerial', '2026-11-17', '2026-11-18')));
    expect([a.reference, b.reference, c.reference]).toEqual(['MTG-2026-001', 'MTG-2027-001', 'MTG-2026-002']);
    expect(await store.byReference('MTG-2026-002')).toEqual(c);
    expect((await store.list()).map((m) => m.reference)).toEqual(['MTG-2026-001', 'MTG-2026-002', 'MTG-2027-001']);
    expect(await store.revision('MTG-2026-002')).toMatchObject({ sequence: 0 });
    await store.setAgenda('MTG-2026-002', ['ppt_report']);
    expect(await store.revision('MTG-2026-002')).toMatchObject({ sequence: 1 });
    expect((await store.byReference('MTG-2026-002'))?.agenda).toEqual(['ppt_report']);
  });

  it('concurrent invitations to the closed door: one Vice-Minister and two senior officials recorded, the rest refused', async () => {
    const vm = await store.create(unnumbered(meeting('vice_ministerial', '2026-11-24', '2026-11-25')));
    const people = [P.vmMX, P.vm2MX, P.so1MX, P.so2MX, P.so3MX, P.vmMX];
    const results = await Promise.all(
      people.map((email) =>
        store.invite(vm.reference, (view) =>
          decideInvitation({ directory: DIRECTORY, meeting: view.meeting, invitations: view.invitations, inviteeEngagements: view.inviteeEngagements, today: '2026-06-01' }, { email, segment: 'closed_door' }),
        ),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(3);
    const recorded = await store.invitations(vm.id);
    expect(recorded.map((i) => i.basis).sort()).toEqual(['senior_official', 'senior_official', 'vice_minister']);
    const refused = results.filter((r) => !r.ok).map((r) => (r.ok ? '' : r.code)).sort();
    expect(refused).toEqual(['already_invited', 'closed_door_delegation_full', 'closed_door_vice_minister_present']);
    expect(await store.invite('MTG-2099-001', () => ({ ok: false as const }))).toEqual({ ok: false, code: 'meeting_not_found' });
  });

  it('a special invitee\'s engagements elsewhere are seen by the decision', async () => {
    const w = await store.create(unnumbered(meeting('workshop', '2026-12-02')));
    const vm = await store.create(unnumbered(meeting('vice_ministerial', '2026-11-30', '2026-12-01')));
    const decide = (ref: string) =>
      store.invite(ref, (view) =>
        decideInvitation({ directory: DIRECTORY, meeting: view.meeting, invitations: view.invitations, inviteeEngagements: view.inviteeEngagements, today: '2026-06-01' }, { email: P.invA, segment: view.meeting.segments[0]! }),
      );
    expect(await decide(w.reference)).toMatchObject({ ok: true });
    expect(await decide(vm.reference)).toEqual({ ok: false, code: 'invitee_other_event', detail: { reference: w.reference } });
  });

  it('a duty is recorded done once, even when two operators do it at once', async () => {
    const g = await store.byReference('MTG-2026-001');
    const duty = deriveDuties({ meetings: [g!], invitations: [], directory: DIRECTORY }).find((d) => d.duty === 'meeting_summary')!;
    const results = await Promise.all([1, 2, 3].map(() => store.completeDuty(duty, 'cli', (done) => decideDutyDone(duty, done, g))));
    expect(results.map((r) => (r.ok ? 'ok' : r.code)).sort()).toEqual(['already_done', 'already_done', 'ok']);
    expect([...(await store.completedDutyIds())]).toEqual([duty.id]);
  });

  it('keeps observer applications as cases', async () => {
    const opened = openApplication(DIRECTORY, { id: randomUUID(), applicant: { kind: 'country', code: 'BR', name: 'Brasil' }, receivedOn: '2026-02-01' });
    if (!opened.ok) throw new Error(opened.code);
    await store.saveApplication(opened.application);
    const presented = decideApplication(opened.application, { type: 'present', meeting: (await store.byReference('MTG-2026-001'))! });
    if (!presented.ok) throw new Error(presented.code);
    await store.saveApplication(presented.application);
    expect(await store.applications()).toEqual([presented.application]);
  });
});
