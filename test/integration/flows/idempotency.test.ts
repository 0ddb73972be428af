/**
 * Idempotency by key and the audit of refusals, through the flows on a real database: a key seen before
 * returns the first answer and writes nothing; a refused command is in the command log and nothing else.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { recordPosition, startConsultation, type StartInput } from '../../../src/flows/consultation-flows.ts';
import { BACKENDS } from '../../helpers/db.ts';
import { DECEMBER_2026, expectLogMatchesSnapshot, openTestEngine, slackActor, type TestEngine } from '../../helpers/engine.ts';
import { expectOk, expectRefused, fp1, Keys, newKey, openMemberStage, SLACK } from './scenario.ts';

describe.each(BACKENDS)('idempotency and refusals through the flows on %s', (backend) => {
  let engine: TestEngine;
  let keys: Keys;
  beforeAll(async () => {
    engine = await openTestEngine(backend, import.meta.url);
  });
  afterAll(async () => {
    await engine?.dispose();
  });
  beforeEach(() => {
    engine.clock.set(DECEMBER_2026);
    keys = new Keys();
  });

  async function everything() {
    const p = engine.db.prisma;
    const [consultations, events, outbox, commands, counters] = await Promise.all([
      p.consultation.findMany({ orderBy: { id: 'asc' } }),
      p.consultationEvent.count(),
      p.outboxMessage.count(),
      p.commandLog.count(),
      p.$queryRawUnsafe<{ year: number; last: number }[]>('SELECT year, last FROM reference_counters ORDER BY year'),
    ]);
    return { consultations, events, outbox, commands, counters };
  }

  it('the same position key twice: the second is a duplicate and writes nothing', async () => {
    const s = await openMemberStage(engine, keys);
    const key = newKey('pos');
    const input = { key, actor: slackActor(engine, fp1('CR')), consultationId: s.id, position: 'support' as const, version: s.state.currentVersion };
    const first = await recordPosition(engine.deps, input);
    expectOk(first);
    expect(first.duplicate).toBe(false);
    expect(first.events.map((e) => e.type)).toEqual(['position_recorded']);
    const before = await everything();

    engine.clock.advance(60_000);
    const second = await recordPosition(engine.deps, input);
    expectOk(second);
    expect(second.duplicate).toBe(true);
    expect(second.events).toEqual([]);
    expect(second.state).toEqual(first.state);
    expect(await everything()).toEqual(before);
    expect(await engine.db.prisma.commandLog.count({ where: { key } })).toBe(1);

    // Even with a different position under the same key: the key decides, not the content.
    const third = await recordPosition(engine.deps, { ...input, position: 'object', reason: 'otra' });
    expect(third).toMatchObject({ ok: true, duplicate: true, events: [] });
    expect(await everything()).toEqual(before);
    await expectLogMatchesSnapshot(engine, s.id);
  });

  it('the same position key concurrently: one applies, the other is the duplicate', async () => {
    const s = await openMemberStage(engine, keys);
    const key = newKey('pos-race');
    const input = { key, actor: slackActor(engine, fp1('HN')), consultationId: s.id, position: 'abstain' as const, version: s.state.currentVersion };
    const results = await Promise.all([recordPosition(engine.deps, input), recordPosition(engine.deps, input), recordPosition(engine.deps, input)]);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    const { events } = await expectLogMatchesSnapshot(engine, s.id);
    expect(events.filter((e) => e.type === 'position_recorded')).toHaveLength(1);
    expect(await engine.db.prisma.commandLog.count({ where: { key } })).toBe(1);
  });

  it('the same start key twice: one consultation, one reference number, no second send', async () => {
    const key = newKey('start');
    const input: StartInput = {
      key,
      actor: slackActor(engine, SLACK.ppt),
      title: 'Idempotencia',
      text: 'Un solo inicio.',
      deadline: { kind: 'business_days', days: 5 },
    };
    const first = await startConsultation(engine.deps, input);
    expectOk(first);
    expect(first.state.stage).toBe('troika_review');
    const before = await everything();
    const second = await startConsultation(engine.deps, input);
    expectOk(second);
    expect(second.duplicate).toBe(true);
    expect(second.state.consultationId).toBe(first.state.consultationId);
    expect(second.state.reference).toBe(first.state.reference);
    expect(await everything()).toEqual(before);
  });

  it('a refused command is in the command log and changes nothing else; repeating it is a duplicate', async () => {
    const s = await openMemberStage(engine, keys);
    const before = await everything();
    const key = newKey('wrong-country');
    const actor = slackActor(engine, fp1('GT'));
    const input = { key, actor, consultationId: s.id, country: 'HN', position: 'support' as const, version: s.state.currentVersion };
    const refused = await recordPosition(engine.deps, input);
    expectRefused(refused, 'not_focal_point_of_country');
    expect(refused.duplicate).toBe(false);

    const after = await everything();
    expect(after.consultations).toEqual(before.consultations);
    expect({ ...after, commands: 0 }).toEqual({ ...before, commands: 0 });
    expect(after.commands).toBe(before.commands + 1);
    const row = await engine.db.prisma.commandLog.findUnique({ where: { key } });
    expect(row).toMatchObject({
      status: 'refused',
      type: 'recordPosition',
      consultationId: s.id,
      actorPersonId: actor.personId,
      actorPlatform: 'slack',
      result: { ok: false, code: 'not_focal_point_of_country', detail: { country: 'HN' } },
    });

    const again = await recordPosition(engine.deps, input);
    expect(again).toMatchObject({ ok: false, code: 'not_focal_point_of_country', duplicate: true });
    expect(await everything()).toEqual(after);
  });

  it('a refused start (not the PPT) spends no reference number and is logged without a consultation', async () => {
    const before = await everything();
    const key = newKey('start-mx');
    const r = await startConsultation(engine.deps, {
      key,
      actor: slackActor(engine, SLACK.mx),
      title: 'No soy la PPT',
      text: 'x',
      deadline: { kind: 'business_days', days: 5 },
    });
    expectRefused(r, 'not_authorized');
    const after = await everything();
    expect(after.counters).toEqual(before.counters);
    expect(after.consultations).toEqual(before.consultations);
    expect(after.commands).toBe(before.commands + 1);
    expect(await engine.db.prisma.commandLog.findUnique({ where: { key } })).toMatchObject({ status: 'refused', consultationId: null });
  });
});
