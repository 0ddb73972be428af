/**
 * The end-of-meeting summary on the consultation engine (issue 11 part 4), on a real database: proposed
 * for a GRCM, it goes straight to the Member Countries (no Troika: no troika_request, every member's focal
 * points get the member request); their positions close it with the consultation's rules; adopted, the
 * meeting's `meeting_summary` duty is done; one summary at a time; only GRCMs and Vice-Ministerials.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordPosition } from '../../../src/flows/consultation-flows.ts';
import { addMeeting, listDuties, proposeMeetingSummary, type MeetingDeps } from '../../../src/flows/meeting-flows.ts';
import { MeetingStore } from '../../../src/store/meeting-store.ts';
import { BACKENDS } from '../../helpers/db.ts';
import { openTestEngine, outboxOf, slackActor, type TestEngine } from '../../helpers/engine.ts';
import { fp1, MEMBERS, SLACK } from './scenario.ts';

describe.each(BACKENDS)('the meeting summary consultation on %s', (backend) => {
  let engine: TestEngine;
  let deps: MeetingDeps;
  let grcm = '';
  let workshop = '';
  beforeAll(async () => {
    engine = await openTestEngine(backend, import.meta.url);
    deps = { meetings: new MeetingStore(engine.db.prisma), directory: engine.directory, clock: engine.deps.clock, newId: randomUUID };
    const g = await addMeeting(deps, { kind: 'grcm', start: '2026-11-24', end: '2026-11-25', city: 'Ciudad de Panamá' });
    const w = await addMeeting(deps, { kind: 'workshop', start: '2026-11-26', end: '2026-11-26' });
    if (!g.ok || !w.ok) throw new Error('meetings not added');
    grcm = g.view.meeting.reference;
    workshop = w.view.meeting.reference;
  });
  afterAll(async () => {
    await engine?.dispose();
  });

  const summaryDuty = async () => (await listDuties(deps)).find((d) => d.meeting === grcm && d.duty === 'meeting_summary')!;

  it('goes straight to the Member Countries, with no Troika stage', async () => {
    expect((await summaryDuty()).state).toBe('late'); // due on the GRCM's last day, 25 Nov; today is 1 Dec
    const r = await proposeMeetingSummary(engine.deps, deps, { key: 'summary-1', actor: slackActor(engine, SLACK.ppt), reference: grcm, text: 'Los Países Miembros acordaron…' });
    if (!r.ok) throw new Error(`refused: ${r.code}`);
    expect(r.state).toMatchObject({ stage: 'member_consultation', kind: 'meeting_summary', meetingReference: grcm });
    expect(r.state.title).toBe(`Resumen de resultados: Reunión del Grupo Regional de Consulta sobre Migración 2026 (${grcm})`);
    expect(r.state.troika).toBeUndefined();
    const kinds = new Set((await outboxOf(engine, r.state.consultationId)).map((o) => o.kind));
    expect(kinds.has('member_request')).toBe(true);
    expect(kinds.has('troika_request')).toBe(false);
  });

  it('one summary at a time per meeting; only a GRCM or a Vice-Ministerial has one; observers cannot present it', async () => {
    const again = await proposeMeetingSummary(engine.deps, deps, { key: 'summary-2', actor: slackActor(engine, SLACK.ppt), reference: grcm, text: 'Otro texto' });
    expect(again).toMatchObject({ ok: false, code: 'summary_exists' });
    const ws = await proposeMeetingSummary(engine.deps, deps, { key: 'summary-3', actor: slackActor(engine, SLACK.ppt), reference: workshop, text: 'Texto' });
    expect(ws).toMatchObject({ ok: false, code: 'no_summary_for_kind' });
    const later = await addMeeting(deps, { kind: 'grcm', start: '2027-06-08', end: '2027-06-09' });
    if (!later.ok) throw new Error('not added');
    const early = await proposeMeetingSummary(engine.deps, deps, { key: 'summary-5', actor: slackActor(engine, SLACK.ppt), reference: later.view.meeting.reference, text: 'Texto' });
    expect(early).toMatchObject({ ok: false, code: 'meeting_not_started', detail: { start: '2027-06-08' } });
    const byMember = await proposeMeetingSummary(engine.deps, deps, { key: 'summary-4', actor: slackActor(engine, fp1('CR')), reference: 'MTG-2026-099', text: 'Texto' });
    expect(byMember).toMatchObject({ ok: false, code: 'meeting_not_found' });
  });

  it('adopted by every Member Country (consensus), the meeting_summary duty is done', async () => {
    const [c] = await deps.meetings.summaryConsultations(grcm);
    const stored = (await engine.consultations.loadByReference(c!.reference))!;
    let version = (stored.snapshot as { currentVersion: string }).currentVersion;
    for (const country of MEMBERS) {
      const r = await recordPosition(engine.deps, { key: `pos-${country}`, actor: slackActor(engine, fp1(country)), consultationId: stored.id, position: 'support', version });
      if (!r.ok) throw new Error(`${country}: ${r.code}`);
      version = r.state.currentVersion;
    }
    const [closed] = await deps.meetings.summaryConsultations(grcm);
    expect(closed).toMatchObject({ stage: 'closed', outcome: 'consensus' });
    expect((await summaryDuty()).state).toBe('done');
  });
});
