/**
 * The acceptance test for concurrent answers: 11 Member Countries × 3 focal points answer at the same
 * moment, some twice (different keys), some for the wrong country. Exactly one current position per
 * country (the latest event), every attempt in the record, no lost update, on PostgreSQL and PGlite.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsultationState, PositionRecordedEvent, Position } from '../../../src/domain/types.ts';
import type { Directory } from '../../../src/directory/model.ts';
import { recordPosition } from '../../../src/flows/consultation-flows.ts';
import { FlowConflictError, type FlowResult } from '../../../src/flows/execute.ts';
import type { FlowDeps } from '../../../src/flows/ports.ts';
import { ConcurrencyConflict } from '../../../src/store/errors.ts';
import { BACKENDS } from '../../helpers/db.ts';
import {
  commandLogOf,
  exampleDirectory,
  expectLogMatchesSnapshot,
  importLive,
  openTestEngine,
  slackActor,
  withFocalPoints,
  type TestEngine,
} from '../../helpers/engine.ts';
import { Keys, MEMBERS, newKey, openMemberStage } from './scenario.ts';

interface Attempt {
  key: string;
  slack: string;
  country: string;
  position: Position;
  /** Expected refusal, or undefined when it should apply. */
  refusal?: string;
}

/** Counts store appends and conflicts per command key (instrumentation only). */
function instrumented(deps: FlowDeps) {
  const appends = new Map<string, number>();
  let conflicts = 0;
  const store: FlowDeps['store'] = {
    load: (id) => deps.store.load(id),
    loadByReference: (r) => deps.store.loadByReference(r),
    recordRefusal: (c) => deps.store.recordRefusal(c),
    findCommand: (k) => deps.store.findCommand(k),
    nextReference: (y) => deps.store.nextReference(y),
    append: async (input) => {
      appends.set(input.command.key, (appends.get(input.command.key) ?? 0) + 1);
      try {
        return await deps.store.append(input);
      } catch (e) {
        if (e instanceof ConcurrencyConflict) conflicts++;
        throw e;
      }
    },
  };
  return { deps: { ...deps, store }, appends, conflicts: () => conflicts };
}

function attemptsFor(directory: Directory): Attempt[] {
  const out: Attempt[] = [];
  const members = directory.countries.filter((c) => c.status === 'member');
  members.forEach((c, ci) => {
    c.focalPoints.forEach((fp, i) => {
      const position: Position = (['support', 'abstain', 'object'] as const)[(ci + i) % 3]!;
      out.push({ key: newKey(`pos:${c.code}:${i}`), slack: fp.slack!, country: c.code, position });
      // Every first focal point answers twice (a second click, a new request id).
      if (i === 0) out.push({ key: newKey(`pos2:${c.code}`), slack: fp.slack!, country: c.code, position: 'support' });
      // Every other country's second focal point also tries to answer for the next country.
      if (i === 1 && ci % 2 === 0) {
        const other = members[(ci + 1) % members.length]!.code;
        out.push({ key: newKey(`wrong:${c.code}->${other}`), slack: fp.slack!, country: other, position: 'support', refusal: 'not_focal_point_of_country' });
      }
    });
  });
  return out;
}

describe.each(BACKENDS)('concurrent answers of 33 focal points on %s', (backend) => {
  let engine: TestEngine;
  let directory: Directory;
  beforeAll(async () => {
    // A pool larger than the number of simultaneous writers, so the test measures conflicts, not waiting.
    engine = await openTestEngine(backend, import.meta.url, { poolSize: 60 });
    directory = withFocalPoints(await exampleDirectory(), 3);
    await importLive(engine, directory, 'test://three-focal-points');
  });
  afterAll(async () => {
    await engine?.dispose();
  });

  /** `processes` > 1 spreads the writers over independent repositories, as several bot processes would be. */
  async function race(closeEarly: boolean, processes = 1) {
    const keys = new Keys();
    engine.clock.set('2026-12-01T15:00:00.000Z');
    const s = await openMemberStage(engine, keys, { closeEarly });
    expect(s.state.participants.members.every((m) => m.focalPoints.length === 3)).toBe(true);
    engine.clock.set('2026-12-02T15:00:00.000Z');

    const attempts = attemptsFor(directory);
    const probes = Array.from({ length: processes }, () => instrumented(engine.deps));
    const started = performance.now();
    const settled = await Promise.allSettled(
      attempts.map((a, i) =>
        recordPosition(probes[i % processes]!.deps, {
          key: a.key,
          actor: slackActor(engine, a.slack),
          consultationId: s.id,
          country: a.country,
          position: a.position,
          version: s.state.currentVersion,
          ...(a.position === 'object' ? { reason: `Objeción (${a.slack})` } : {}),
        }),
      ),
    );
    const ms = Math.round(performance.now() - started);
    const gaveUp = settled.filter((r) => r.status === 'rejected');
    const appendCounts = probes.flatMap((p) => [...p.appends.values()]);
    const figures = {
      backend,
      closeEarly,
      processes,
      attempts: attempts.length,
      gaveUp: gaveUp.length,
      conflicts: probes.reduce((n, p) => n + p.conflicts(), 0),
      appendCalls: appendCounts.reduce((a, b) => a + b, 0),
      maxAppendsForOneCommand: Math.max(...appendCounts),
      ms,
    };
    console.info(`[concurrency] ${JSON.stringify(figures)}`);
    for (const g of gaveUp) expect((g as PromiseRejectedResult).reason).toBeInstanceOf(FlowConflictError);
    expect(gaveUp, `${gaveUp.length} writers exhausted their retries (FlowConflictError)`).toEqual([]);
    const results = settled.map((r) => (r as PromiseFulfilledResult<FlowResult>).value);
    return { s, attempts, results, figures };
  }

  it.each([1, 3])('without early close (%i process(es)): every valid answer applied, the wrong ones refused and logged', async (processes) => {
    const { s, attempts, results, figures } = await race(false, processes);
    if (processes === 1) expect(figures.conflicts).toBe(0);
    const wrong = attempts.filter((a) => a.refusal);
    const valid = attempts.filter((a) => !a.refusal);
    expect(attempts).toHaveLength(33 + 11 + 6);
    // A valid answer is applied, or — when it repeats what its country's record already is at its turn —
    // refused as `already_recorded` (nothing to change). Which of the two depends on the order of arrival.
    results.forEach((r, i) => {
      const a = attempts[i]!;
      if (a.refusal) expect(r).toMatchObject({ ok: false, code: a.refusal, duplicate: false });
      else if (!r.ok) expect(r).toMatchObject({ ok: false, code: 'already_recorded', duplicate: false });
      else expect(r).toMatchObject({ ok: true, duplicate: false });
    });
    const applied = valid.filter((a) => results[attempts.indexOf(a)]!.ok);
    const repeated = valid.filter((a) => !results[attempts.indexOf(a)]!.ok);
    // Every country's first answer is applied (nothing recorded before it can make it a repeat).
    expect(new Set(applied.map((a) => a.country))).toEqual(new Set(MEMBERS));

    // No lost update: the log replays to the snapshot, one event per applied answer.
    const { state, events } = await expectLogMatchesSnapshot(engine, s.id);
    const recorded = events.filter((e): e is PositionRecordedEvent => e.type === 'position_recorded');
    expect(recorded).toHaveLength(applied.length);
    expect(state.version).toBe(s.state.version + applied.length);
    expect(state.positionHistory).toHaveLength(applied.length);
    // No record repeats the one before it for the same country: repeats were refused, not doubled.
    for (const c of MEMBERS) {
      const mine = recorded.filter((e) => e.country === c);
      mine.slice(1).forEach((e, i) => expect([e.position, e.reason]).not.toEqual([mine[i]!.position, mine[i]!.reason]));
    }
    // Exactly one current position per country: the latest event for that country.
    expect(Object.keys(state.positions).sort()).toEqual([...MEMBERS].sort());
    for (const c of MEMBERS) {
      const latest = recorded.filter((e) => e.country === c).at(-1)!;
      expect(state.positions[c]).toMatchObject({ position: latest.position, at: latest.at, by: latest.actor });
      expect(recorded.filter((e) => e.country === c)).toHaveLength(applied.filter((a) => a.country === c).length);
    }
    // Each actor acted for their own country.
    for (const e of recorded) expect(directory.countries.find((c) => c.code === e.country)!.focalPoints.map((f) => f.id)).toContain(e.actor.personId);

    // Every attempt is in the command log: applied ones with their events, refused ones with the code.
    const log = await commandLogOf(engine, { keys: attempts.map((a) => a.key) });
    expect(log).toHaveLength(attempts.length);
    const byKey = new Map(log.map((l) => [l.key, l]));
    for (const a of applied) expect(byKey.get(a.key)).toMatchObject({ status: 'applied', consultationId: s.id });
    for (const a of repeated) expect(byKey.get(a.key)).toMatchObject({ status: 'refused', consultationId: s.id, result: { code: 'already_recorded' } });
    for (const a of wrong) {
      expect(byKey.get(a.key)).toMatchObject({ status: 'refused', consultationId: s.id, result: { code: 'not_focal_point_of_country', detail: { country: a.country } } });
    }
    // One live status message per append, none lost or doubled.
    const status = await engine.db.prisma.outboxMessage.count({
      where: { consultationId: s.id, kind: 'status', recipient: { path: ['kind'], equals: 'secretariat_channel' } },
    });
    expect(status).toBe((await engine.consultations.load(s.id))!.version);
  });

  it('with early close: it closes exactly once, on a complete set of answers; later attempts are refused', async () => {
    const { s, attempts, results } = await race(true);
    const { state, events } = await expectLogMatchesSnapshot(engine, s.id);
    const closes = events.filter((e) => e.type === 'consultation_closed');
    expect(closes).toHaveLength(1);
    expect(events.at(-1)!.type).toBe('consultation_closed');
    expect(state.stage).toBe('closed');
    expect(state.closeReason).toBe('all_answered');
    const summary = Object.fromEntries(MEMBERS.map((c) => [c, (state as ConsultationState).positions[c]!.position]));
    expect(closes[0]).toMatchObject({ positions: summary, missing: [] });

    const applied = results.filter((r) => r.ok).length;
    expect(events.filter((e) => e.type === 'position_recorded')).toHaveLength(applied);
    const codes = results.flatMap((r) => (r.ok ? [] : [r.code]));
    for (const c of codes) expect(['not_focal_point_of_country', 'consultation_closed', 'already_recorded']).toContain(c);
    expect(codes).toContain('not_focal_point_of_country');
    // The wrong-country attempts are refused as such unless they came after the close.
    results.forEach((r, i) => {
      if (attempts[i]!.refusal) expect(['not_focal_point_of_country', 'consultation_closed']).toContain(r.ok ? 'applied' : r.code);
    });
    const log = await commandLogOf(engine, { keys: attempts.map((a) => a.key) });
    expect(log).toHaveLength(attempts.length);
    expect(log.filter((l) => l.status === 'applied')).toHaveLength(applied);
    expect(await engine.db.prisma.outboxMessage.count({ where: { consultationId: s.id, kind: 'digest' } })).toBe(1);
  });
});
