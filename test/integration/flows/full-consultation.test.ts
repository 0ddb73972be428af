/**
 * A whole special consultation through the flows, on a real database, with the example directory:
 * PPT (PA) starts and sends → Troika (MX, SV) approves → the member stage opens with a deadline from the
 * real calendar → every Member Country answers (one changes its mind) → early close, consensus.
 * Then the stored record is checked: event log vs. snapshot, outbox rows, command log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsultationState } from '../../../src/domain/types.ts';
import { reactTroika, recordPosition, startConsultation } from '../../../src/flows/consultation-flows.ts';
import { identify } from '../../../src/flows/people.ts';
import { BACKENDS } from '../../helpers/db.ts';
import {
  commandLogOf,
  DECEMBER_2026,
  exampleDirectory,
  expectLogMatchesSnapshot,
  extraFocalPoint,
  focalPointIds,
  HOUR,
  importLive,
  openTestEngine,
  outboxOf,
  recipientsOf,
  slackActor,
  type TestEngine,
} from '../../helpers/engine.ts';
import { expectOk, expectRefused, fp1, Keys, MEMBERS, OBSERVERS, openMemberStage, SLACK, startByPpt } from './scenario.ts';

describe.each(BACKENDS)('a full consultation through the flows on %s', (backend) => {
  let engine: TestEngine;
  beforeAll(async () => {
    engine = await openTestEngine(backend, import.meta.url);
  });
  afterAll(async () => {
    await engine?.dispose();
  });

  it('PPT starts, Troika approves, members answer, closes early with consensus; the record is complete', async () => {
    const dir = engine.directory.current();
    const keys = new Keys();
    engine.clock.set(DECEMBER_2026);

    // 1. The PPT in office (PA) starts and sends to the Troika.
    const ppt = slackActor(engine, SLACK.ppt);
    expect(ppt).toMatchObject({ personId: 'itzel.castillo@example.org', country: 'PA', isStaff: false, platform: 'slack' });
    const s = await startByPpt(engine, keys);
    expect(s.state.stage).toBe('troika_review');
    expect(s.state.reference).toBe('CRM-2026-001');
    expect(s.state.troika).toEqual({
      previous: 'MX',
      current: 'PA',
      next: 'SV',
      countries: ['MX', 'PA', 'SV'],
      incomplete: false,
      authorCountry: 'PA',
      asOf: '2026-12-01',
    });
    // Participants: the eleven Member Countries only, frozen from the live directory.
    expect(s.state.participants.members.map((m) => m.code).sort()).toEqual([...MEMBERS].sort());

    // 2. The Troika approves: MX one hour later, SV the next day (the circulation day).
    engine.clock.set('2026-12-01T16:00:00.000Z');
    const circulatedAt = '2026-12-02T15:00:00.000Z';
    const mxOnly = await approveByTroikaAt(engine, keys, s, circulatedAt);

    // 3. The member stage: deadline = end of the 5th CR business day after 2 December (Thu 3 … Wed 9).
    expect(mxOnly.stage).toBe('member_consultation');
    expect(mxOnly.circulatedAt).toBe(circulatedAt);
    expect(mxOnly.deadline).toBe('2026-12-10T05:59:59.000Z');
    expect(mxOnly.deadlineTimeZone).toBe('America/Costa_Rica');
    expect(mxOnly.deadline).toBe(engine.directory.calendar('secretariat').deadlineAfter(new Date(circulatedAt), 5).deadline.toISOString());
    expect(mxOnly.deadlineVersion).toBe(1);

    // 4. Positions. MX objects first, then its second focal point changes it to support; HN abstains.
    let state: ConsultationState = mxOnly;
    engine.clock.set('2026-12-03T14:00:00.000Z');
    const answer = async (slack: string, position: 'support' | 'object' | 'abstain', reason?: string) => {
      engine.clock.advance(HOUR);
      const r = await recordPosition(engine.deps, {
        key: keys.next(`position:${slack}`),
        actor: slackActor(engine, slack),
        consultationId: s.id,
        position,
        version: state.currentVersion,
        ...(reason ? { reason } : {}),
      });
      expectOk(r);
      state = r.state;
      return r;
    };
    await answer(SLACK.mx, 'object', 'El párrafo 2 no refleja nuestra posición.');
    expect(state.positions['MX']?.position).toBe('object');
    await answer(SLACK.mx2, 'support');
    expect(state.positions['MX']).toMatchObject({ position: 'support', by: { personId: 'miguel.torres@example.org', country: 'MX' } });
    const rest = MEMBERS.filter((c) => c !== 'MX');
    for (const [i, c] of rest.entries()) {
      const last = i === rest.length - 1;
      const r = await answer(fp1(c), c === 'HN' ? 'abstain' : 'support');
      if (!last) expect(r.events.map((e) => e.type)).toEqual(['position_recorded']);
      else expect(r.events.map((e) => e.type)).toEqual(['position_recorded', 'consultation_closed']);
    }

    // 5. Closed early: everyone answered, nobody objected, the abstention does not block.
    expect(state.stage).toBe('closed');
    expect(state.closeReason).toBe('all_answered');
    expect(state.outcome).toBe('consensus');
    expect(state.positionHistory).toHaveLength(12);
    const finalPositions = Object.fromEntries(MEMBERS.map((c) => [c, c === 'HN' ? 'abstain' : 'support']));

    // The event log replays to the stored snapshot.
    const { events } = await expectLogMatchesSnapshot(engine, s.id);
    expect(events.map((e) => e.type)).toEqual([
      'consultation_started',
      'sent_to_troika',
      'troika_reacted',
      'troika_reacted',
      'member_consultation_opened',
      ...Array(12).fill('position_recorded'),
      'consultation_closed',
    ]);
    const closed = events.at(-1);
    expect(closed).toMatchObject({ type: 'consultation_closed', outcome: 'consensus', reason: 'all_answered', missing: [], positions: finalPositions });

    // The outbox.
    const rows = await outboxOf(engine, s.id);
    const memberFps = focalPointIds(dir);
    expect(memberFps).toHaveLength(17);
    // Troika requests: only the focal points of MX and SV, never the author country's.
    const troikaCards = rows.filter((r) => r.kind === 'troika_request');
    const asked = troikaCards.filter((r) => r.payload['updateOnly'] !== true);
    expect(recipientsOf(asked, 'troika_request')).toEqual(focalPointIds(dir, ['MX', 'SV']));
    expect(recipientsOf(troikaCards, 'troika_request').some((id) => focalPointIds(dir, ['PA']).includes(id))).toBe(false);
    // Updates in place only: Mexico's approval on both Mexican cards, then every Troika card closed at circulation.
    const troikaUpdates = troikaCards.filter((r) => r.payload['updateOnly'] === true);
    expect(recipientsOf(troikaUpdates, 'troika_request')).toEqual([...focalPointIds(dir, ['MX']), ...focalPointIds(dir, ['MX', 'SV'])].sort());
    expect(troikaUpdates.filter((r) => (r.payload['buttons'] as unknown[]).length === 0)).toHaveLength(3);
    // Member requests: every focal point of every Member Country, once each, in their own language.
    const cards = rows.filter((r) => r.kind === 'member_request');
    const opening = cards.filter((r) => r.payload['recorded'] === undefined && r.payload['updateOnly'] !== true);
    expect(recipientsOf(opening, 'member_request')).toEqual(memberFps);
    // Each answer updates, in place, the card of every focal point of that country (no chat adapter updated
    // a clicked card here): MX answered twice (2 focal points), every other country once (15 focal points).
    const updates = cards.filter((r) => r.payload['recorded'] !== undefined && r.payload['updateOnly'] !== true);
    // At the close every member card closes in place: no buttons, the outcome first.
    const closedCards = cards.filter((r) => r.payload['updateOnly'] === true);
    expect(recipientsOf(closedCards, 'member_request')).toEqual(memberFps);
    expect(closedCards.every((r) => (r.payload['buttons'] as unknown[]).length === 0 && String((r.payload['body'] as string[])[0]).match(/Consenso|Consensus/))).toBe(true);
    expect(updates).toHaveLength(2 * 2 + 15);
    for (const u of updates) {
      const personId = (u.recipient as { personId: string }).personId;
      expect(u.payload['replaceKey']).toBe(`member:${s.id}:${personId}`);
      expect(opening.find((o) => (o.recipient as { personId: string }).personId === personId)!.payload['replaceKey']).toBe(u.payload['replaceKey']);
    }
    const mxUpdates = updates.filter((u) => focalPointIds(dir, ['MX']).includes((u.recipient as { personId: string }).personId));
    expect(mxUpdates.map((u) => (u.payload['recorded'] as { what: string }).what)).toEqual([...Array(2).fill('Objeta; motivo: El párrafo 2 no refleja nuestra posición.'), 'Apoya', 'Apoya']);
    const people = new Map(dir.countries.flatMap((c) => c.focalPoints).map((p) => [p.id, p]));
    for (const r of rows.filter((x) => x.recipient.kind === 'person')) {
      const p = people.get((r.recipient as { personId: string }).personId)!;
      expect(r.payload.locale).toBe(p.locale);
      expect(r.platform).toBe('slack');
      expect(r.recipient).toMatchObject({ slack: p.slack });
    }
    // Nobody outside the Member Countries' focal points: no observer, no organisation, no staff DM.
    const observerFps = focalPointIds(dir, OBSERVERS);
    for (const r of rows) {
      if (r.recipient.kind === 'person') {
        expect(memberFps).toContain(r.recipient.personId);
        expect(observerFps).not.toContain(r.recipient.personId);
      } else {
        expect(r.recipient).toEqual({ kind: 'secretariat_channel', slack: SLACK.stChannel });
      }
    }
    // The digest to the ST channel, with machine-readable metadata.
    const digests = rows.filter((r) => r.kind === 'digest');
    expect(digests).toHaveLength(1);
    expect(digests[0]!.recipient).toEqual({ kind: 'secretariat_channel', slack: SLACK.stChannel });
    expect(digests[0]!.payload.metadata).toEqual({
      eventType: 'crm_consultation_closed',
      payload: { reference: 'CRM-2026-001', outcome: 'consensus', positions: finalPositions },
    });
    expect((digests[0]!.payload['table'] as { rows: unknown[] }).rows).toHaveLength(11);
    // A result notice per Member Country focal point.
    expect(recipientsOf(rows, 'result_notice')).toEqual(memberFps);
    // One live status update per applied command for the ST channel, and one for each focal point of the
    // PPT (PA, 2), each replaced in place under its own key; nothing else.
    const statuses = rows.filter((r) => r.kind === 'status');
    expect(statuses.filter((r) => r.recipient.kind === 'secretariat_channel')).toHaveLength(keys.all.length);
    expect(recipientsOf(statuses, 'status')).toEqual(focalPointIds(dir, ['PA']).flatMap((id) => Array(keys.all.length).fill(id)).sort());
    for (const r of statuses.filter((x) => x.recipient.kind === 'person')) {
      expect(r.payload['replaceKey']).toBe(`status:${s.id}:${(r.recipient as { personId: string }).personId}`);
    }
    expect(new Set(rows.map((r) => r.kind))).toEqual(new Set(['troika_request', 'member_request', 'digest', 'result_notice', 'status', 'record', 'status_picture']));
    expect(rows).toHaveLength(3 + 2 + 3 + 17 + 19 + 17 + 1 + 1 + 1 + 17 + 3 * keys.all.length);

    // The command log has every command, applied, with who and where.
    const log = await commandLogOf(engine, { consultationId: s.id });
    expect(log.map((l) => l.key).sort()).toEqual([...keys.all].sort());
    expect(log.every((l) => l.status === 'applied' && l.actorPlatform === 'slack')).toBe(true);
    expect(log.filter((l) => l.type === 'recordPosition')).toHaveLength(12);
    expect(log.filter((l) => l.type === 'reactTroika')).toHaveLength(2);
    expect(log.filter((l) => l.type === 'start' || l.type === 'sendToTroika')).toHaveLength(2);
  });

  it('observer countries: their focal points get nothing and cannot answer; attempts are logged', async () => {
    // A directory where two observer countries have focal points (the file format allows it).
    const base = await exampleDirectory();
    const withObservers = structuredClone(base);
    for (const c of withObservers.countries) {
      if (c.code === 'CO' || c.code === 'JM') c.focalPoints = [extraFocalPoint(c.code, 1, { timezone: c.timezone })];
    }
    await importLive(engine, withObservers, 'test://observers');
    const dir = engine.directory.current();
    const observerFps = focalPointIds(dir, OBSERVERS);
    expect(observerFps).toHaveLength(2);
    const observer = identify(dir, { platform: 'slack', userId: 'U1CO0000001' });
    // Known to the directory (a person, not a stranger), but a focal point of no Member Country.
    expect(observer).toMatchObject({ platform: 'slack', isStaff: false });
    expect(observer!.country).toBeUndefined();

    engine.clock.set(DECEMBER_2026);
    const keys = new Keys();
    // An observer cannot start a consultation.
    const notStarted = await startConsultation(engine.deps, {
      key: keys.next('observer-start'),
      actor: observer!,
      title: 'x',
      text: 'y',
      deadline: { kind: 'business_days', days: 5 },
    });
    expectRefused(notStarted, 'not_authorized');
    keys.all.pop();

    const s = await openMemberStage(engine, keys);
    expect(s.state.participants.members.map((m) => m.code)).not.toContain('CO');
    const attempts = [
      { key: keys.next('obs-own'), country: undefined, code: 'not_member_country' },
      { key: keys.next('obs-co'), country: 'CO', code: 'not_member_country' },
      { key: keys.next('obs-mx'), country: 'MX', code: 'not_focal_point_of_country' },
    ];
    for (const a of attempts) {
      const r = await recordPosition(engine.deps, {
        key: a.key,
        actor: observer!,
        consultationId: s.id,
        position: 'support',
        version: s.state.currentVersion,
        ...(a.country ? { country: a.country } : {}),
      });
      expectRefused(r, a.code);
    }
    // Every refused attempt is in the command log (who, what, why).
    const refused = await commandLogOf(engine, { keys: attempts.map((a) => a.key) });
    expect(refused.map((l) => [l.key, l.status, (l.result as { code: string }).code, l.actorPersonId]).sort()).toEqual(
      attempts.map((a) => [a.key, 'refused', a.code, observer!.personId]).sort(),
    );

    // Everyone answers; no message ever reaches an observer.
    let state = s.state;
    for (const c of MEMBERS) {
      const r = await recordPosition(engine.deps, {
        key: keys.next(`pos:${c}`),
        actor: slackActor(engine, fp1(c)),
        consultationId: s.id,
        position: 'support',
        version: state.currentVersion,
      });
      expectOk(r);
      state = r.state;
    }
    expect(state.outcome).toBe('consensus');
    const rows = await outboxOf(engine, s.id);
    const persons = rows.flatMap((r) => (r.recipient.kind === 'person' ? [r.recipient.personId] : []));
    expect(persons.length).toBeGreaterThan(0);
    expect(persons.filter((p) => observerFps.includes(p))).toEqual([]);
    expect(JSON.stringify(rows)).not.toContain('U1CO0000001');
    expect(JSON.stringify(rows)).not.toContain('U1JM0000001');
    await expectLogMatchesSnapshot(engine, s.id);
    await importLive(engine, base, 'test://example');
  });
});

/** MX approves at the current clock; SV approves at `secondAt`, which opens the member stage. */
async function approveByTroikaAt(engine: TestEngine, keys: Keys, s: { id: string; state: ConsultationState }, secondAt: string) {
  const mx = await reactTroika(engine.deps, {
    key: keys.next('troika:mx'),
    actor: slackActor(engine, SLACK.mx),
    consultationId: s.id,
    version: s.state.currentVersion,
    reaction: 'approve',
  });
  expectOk(mx);
  expect(mx.state.stage).toBe('troika_review');
  expect(mx.events.map((e) => e.type)).toEqual(['troika_reacted']);
  engine.clock.set(secondAt);
  const sv = await reactTroika(engine.deps, {
    key: keys.next('troika:sv'),
    actor: slackActor(engine, SLACK.sv),
    consultationId: s.id,
    version: mx.state.currentVersion,
    reaction: 'approve',
  });
  expectOk(sv);
  expect(sv.events.map((e) => e.type)).toEqual(['troika_reacted', 'member_consultation_opened']);
  return sv.state;
}
