/**
 * Observer applications as tracked cases (issue 11 part 5) on a real database: received via the ST →
 * presented at the next GRCM → decided by the Vice-Ministers at the next Vice-Ministerial; each step saved
 * with its announcement to the ST channel and the PPT's focal points (each in their language); refusals
 * save and announce nothing; the list says what each case waits for.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMeeting, type MeetingDeps } from '../../../src/flows/meeting-flows.ts';
import { advanceObserverApplication, listObserverApplications, openObserverApplication } from '../../../src/flows/observer-application-flows.ts';
import type { NeutralMessage } from '../../../src/messages/neutral.ts';
import { MeetingStore } from '../../../src/store/meeting-store.ts';
import { openTestEngine, type TestEngine } from '../../helpers/engine.ts';

describe('observer applications on postgres', () => {
  let engine: TestEngine;
  let deps: MeetingDeps;
  let grcm = '';
  let vm = '';
  const rows = () => engine.db.prisma.outboxMessage.findMany({ where: { kind: 'status' }, orderBy: [{ createdAt: 'asc' }, { dedupeKey: 'asc' }] });
  const saved = () => engine.db.prisma.observerApplication.findMany({ orderBy: { id: 'asc' } });

  beforeAll(async () => {
    engine = await openTestEngine('postgres', import.meta.url);
    deps = { meetings: new MeetingStore(engine.db.prisma), directory: engine.directory, clock: engine.deps.clock, newId: randomUUID };
    const g = await addMeeting(deps, { kind: 'grcm', start: '2027-06-08', end: '2027-06-09', city: 'Ciudad de Panamá' });
    const v = await addMeeting(deps, { kind: 'vice_ministerial', start: '2027-11-16', end: '2027-11-17' });
    if (!g.ok || !v.ok) throw new Error('meetings not added');
    grcm = g.view.meeting.reference;
    vm = v.view.meeting.reference;
  });
  afterAll(async () => {
    await engine?.dispose();
  });

  it('opens the case and announces it to the ST channel and the PPT, each in their language', async () => {
    const r = await openObserverApplication(deps, { applicant: { kind: 'organization', code: 'OIT-2', name: 'Organización Internacional del Trabajo' } });
    expect(r).toMatchObject({ ok: true, application: { id: 'OBS-2026-001', stage: 'received', receivedOn: '2026-12-01' } });
    const announced = await rows();
    const to = announced.map((m) => (m.recipient as { kind: string; personId?: string }).personId ?? (m.recipient as { kind: string }).kind);
    expect(to).toContain('secretariat_channel');
    expect(to).toContain('itzel.castillo@example.org');
    const st = announced.find((m) => (m.recipient as { kind: string }).kind === 'secretariat_channel')!.payload as unknown as NeutralMessage;
    expect(st.heading).toBe('Solicitud de observador OBS-2026-001: Organización Internacional del Trabajo');
    expect(st.body[1]).toBe('Siguiente paso: la PPT la presenta en la próxima reunión del GRCM.');
  });

  it('refusals save and announce nothing', async () => {
    const before = { rows: (await rows()).length, saved: await saved() };
    expect(await openObserverApplication(deps, { applicant: { kind: 'country', code: 'GT', name: 'Guatemala' } })).toEqual({ ok: false, code: 'already_member' });
    expect(await advanceObserverApplication(deps, 'OBS-2026-001', { type: 'decide', meeting: vm, outcome: 'admitted' })).toEqual({ ok: false, code: 'not_presented' });
    expect(await advanceObserverApplication(deps, 'OBS-2026-001', { type: 'present', meeting: vm })).toEqual({ ok: false, code: 'not_a_grcm' });
    expect(await advanceObserverApplication(deps, 'OBS-2026-009', { type: 'withdraw' })).toEqual({ ok: false, code: 'application_not_found' });
    expect((await rows()).length).toBe(before.rows);
    expect(await saved()).toEqual(before.saved);
  });

  it('waits for the next GRCM, then the next Vice-Ministerial; each step is recorded and announced', async () => {
    expect((await listObserverApplications(deps))[0]!.next).toEqual({ step: 'present_at_grcm', meeting: grcm, due: '2027-06-09', late: false });
    const presented = await advanceObserverApplication(deps, 'OBS-2026-001', { type: 'present', meeting: grcm });
    expect(presented).toMatchObject({ ok: true, application: { stage: 'presented', presentedAt: { meeting: grcm, on: '2027-06-08' } } });
    expect((await listObserverApplications(deps))[0]!.next).toEqual({ step: 'decide_at_vice_ministerial', meeting: vm, due: '2027-11-17', late: false });
    const decided = await advanceObserverApplication(deps, 'OBS-2026-001', { type: 'decide', meeting: vm, outcome: 'admitted' });
    expect(decided).toMatchObject({ ok: true, application: { stage: 'admitted', decidedAt: { meeting: vm } } });
    expect((await listObserverApplications(deps))[0]!.next).toBeUndefined();
    const stages = (await rows()).map((m) => m.dedupeKey.split(':')[2]);
    expect(new Set(stages)).toEqual(new Set(['received', 'presented', 'admitted']));
    const last = (await rows()).find((m) => m.dedupeKey.includes(':admitted:') && (m.recipient as { kind: string }).kind === 'secretariat_channel')!.payload as unknown as NeutralMessage;
    expect(last.body.join(' ')).toMatch(/admitieron a Organización Internacional del Trabajo como observador/);
    expect(await advanceObserverApplication(deps, 'OBS-2026-001', { type: 'withdraw' })).toEqual({ ok: false, code: 'case_closed' });
  });
});
