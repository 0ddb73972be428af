/**
 * What one click costs the databases, counted (test/helpers/counting.ts: pg's query hook, ioredis'
 * sendCommand), so that it cannot grow back unnoticed (issue 12):
 *  - the decision (load, decide, events + snapshot + outbox + command record in one transaction): at most
 *    3 PostgreSQL round trips;
 *  - the after-commit step (queue the deliveries, re-plan the close and reminder jobs): at most 1 PostgreSQL
 *    round trip and a bounded number of Redis round trips and commands, whatever the number of planned jobs;
 *  - each delivery (the clicked card updated, the ST status replaced in place): at most 3 round trips;
 *  - the ST status's lookup of its previous receipt reads an index, not every outbox row ever sent.
 * A click on PostgreSQL + Redis, the production set-up.
 */
import { randomUUID } from 'node:crypto';
import type { Job } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsultationEvent, ConsultationState } from '../../../src/domain/types.ts';
import { recordPosition } from '../../../src/flows/consultation-flows.ts';
import { deliverProcessor, enqueueDeliveries } from '../../../src/jobs/deliver.ts';
import { RecordingNotifier } from '../../../src/jobs/notifier.ts';
import { ReminderStore } from '../../../src/jobs/reminder-store.ts';
import { createRuntime } from '../../../src/jobs/runtime.ts';
import { createAfterCommit } from '../../../src/jobs/schedule.ts';
import { QUEUES } from '../../../src/jobs/names.ts';
import { snapshotPatch, type AppendInput, type NewOutboxMessage } from '../../../src/store/consultation-store.ts';
import { outboxLookups } from '../../../src/store/outbox-store.ts';
import { startCounting, takeCounts, type Counts } from '../../helpers/counting.ts';
import { openTestEngine, slackActor, type TestEngine } from '../../helpers/engine.ts';
import { openTestJobs, type TestJobs } from '../jobs/remind-harness.ts';
import { expectOk, fp1, Keys, MEMBERS, openMemberStage } from './scenario.ts';

/** The bounds this test holds the code to (the README's performance section quotes them). */
export const BOUNDS = {
  decisionRoundTrips: 3,
  afterCommitPgRoundTrips: 1,
  /** One pipeline for the answering country's reminder removals, one MULTI for the deliveries. */
  afterCommitRedisRoundTrips: 2,
  /** Per click: one `removeJob` per reminder slot of the country's focal points, one `addJob` per message. */
  afterCommitRedisCommands: (focalPoints: number, slots: number, messages: number) => focalPoints * slots + messages,
  deliveryRoundTrips: 3,
} as const;

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe('the cost of one click on PostgreSQL + Redis', () => {
  let engine: TestEngine;
  let jobs: TestJobs;
  const notifier = new RecordingNotifier();
  let phase: 'decision' | 'after' = 'decision';
  let appended: AppendInput | undefined;
  const seen = { decision: [] as string[], afterPg: [] as string[], afterRedis: [] as string[], afterRedisTrips: 0, statements: [] as Counts['statements'] };

  beforeAll(async () => {
    engine = await openTestEngine('postgres', import.meta.url);
    jobs = await openTestJobs('redis', 'round_trips');
    const rt = createRuntime({
      jobs: jobs.backend,
      deps: engine.deps,
      consultations: engine.consultations,
      outbox: engine.outbox,
      reminders: new ReminderStore(engine.db.prisma),
      enqueueDeliveries: (j, ids) => enqueueDeliveries(j, ids),
    });
    const after = createAfterCommit(jobs.backend, rt);
    engine.deps.afterCommit = async (state, info) => {
      const decided = takeCounts();
      phase = 'after';
      seen.decision = decided.pg;
      seen.statements = decided.statements;
      try {
        await after(state, info);
      } finally {
        const c = takeCounts();
        seen.afterPg = c.pg;
        seen.afterRedis = c.redisCommands;
        seen.afterRedisTrips = c.redisRoundTrips;
      }
    };
    const append = engine.deps.store.append.bind(engine.deps.store);
    engine.deps.store.append = (input) => {
      appended = input;
      return append(input);
    };
    startCounting();
  });
  afterAll(async () => {
    await jobs?.dispose();
    await engine?.dispose();
  });

  const cardUpdate = (personId: string) => (after: ConsultationState, _events: readonly ConsultationEvent[]): NewOutboxMessage[] => [
    {
      dedupeKey: `card:${randomUUID()}`,
      platform: 'slack',
      recipient: { personId, slackUserId: 'U0CR0000001' },
      kind: 'card_update',
      payload: { heading: after.title, fields: [], updates: { channel: 'D0CR', ts: '1764590400.000100' } },
    },
  ];

  async function click(id: string, state: ConsultationState, country: string, position: 'support' | 'abstain') {
    const actor = slackActor(engine, fp1(country));
    takeCounts();
    phase = 'decision';
    const r = await recordPosition(engine.deps, { key: randomUUID(), actor, consultationId: id, position, version: state.currentVersion, extraOutbox: cardUpdate(actor.personId) });
    expectOk(r);
    return r;
  }

  const deliveryStatements: Counts['statements'] = [];
  async function deliverAll(): Promise<string[][]> {
    const ids = (await engine.db.prisma.outboxMessage.findMany({ where: { status: 'pending' }, orderBy: { createdAt: 'asc' }, select: { id: true } })).map((r) => r.id);
    const run = deliverProcessor({ outbox: engine.outbox, notifier, logger: silent, secretariat: () => undefined });
    const perDelivery: string[][] = [];
    for (const outboxId of ids) {
      takeCounts();
      const job = { id: `deliver.${outboxId}`, data: { outboxId }, opts: { attempts: 8 }, attemptsStarted: 1, attemptsMade: 0 } as unknown as Job<unknown>;
      expect(await run(job)).toMatch(/^(sent|superseded|coalesced)$/);
      const c = takeCounts();
      perDelivery.push(c.pg);
      deliveryStatements.push(...c.statements);
    }
    return perDelivery;
  }

  it('a position: ≤ 3 round trips to decide, 1 after commit, bounded Redis, ≤ 3 per delivery', async () => {
    const keys = new Keys();
    const s = await openMemberStage(engine, keys);
    await deliverAll();
    // Every country but one answers once (history), then the measured clicks change answers.
    let state = s.state;
    for (const country of MEMBERS.slice(0, 5)) state = (await click(s.id, state, country, 'support')).state;
    await deliverAll();
    const before = await jobs.backend.queue(QUEUES.remind).getJobCounts('delayed');

    const remind = jobs.backend.queue<{ country?: string }>(QUEUES.remind);
    for (const [i, country] of MEMBERS.slice(5, 8).entries()) {
      const mine = async () => (await remind.getDelayed()).filter((j) => j.data.country === country).length;
      expect(await mine()).toBeGreaterThan(0);
      const r = await click(s.id, state, country, i % 2 ? 'abstain' : 'support');
      state = r.state;
      // What the decision sends of the snapshot: what changed, not the whole state; and the row is that state.
      expect(appended?.previousSnapshot).toBeDefined();
      const sent = JSON.stringify(snapshotPatch(appended!.previousSnapshot, appended!.snapshot)).length;
      const whole = JSON.stringify(state).length;
      console.log(`snapshot ${whole} bytes, sent ${sent} bytes`);
      expect(sent).toBeLessThan(whole / 4);
      expect((await engine.consultations.load(s.id))!.snapshot).toEqual(JSON.parse(JSON.stringify(state)));
      expect(await mine()).toBe(0);
      const focalPoints = state.participants.members.find((m) => m.code === country)!.focalPoints.length;
      const messages = await engine.db.prisma.outboxMessage.count({ where: { status: 'pending' } });
      expect(phase).toBe('after');
      const deliveries = await deliverAll();
      const report = {
        decision: seen.decision.length,
        afterCommitPg: seen.afterPg.length,
        afterCommitRedisRoundTrips: seen.afterRedisTrips,
        afterCommitRedisCommands: seen.afterRedis.length,
        deliveries: deliveries.map((d) => d.length),
      };
      console.log(`click ${country}: ${JSON.stringify(report)}\n  decision: ${seen.decision.join('\n            ')}\n  redis: ${seen.afterRedis.join(' ')}`);
      expect(seen.decision.length, seen.decision.join('\n')).toBeLessThanOrEqual(BOUNDS.decisionRoundTrips);
      expect(seen.afterPg.length, seen.afterPg.join('\n')).toBeLessThanOrEqual(BOUNDS.afterCommitPgRoundTrips);
      expect(seen.afterRedisTrips, seen.afterRedis.join(' ')).toBeLessThanOrEqual(BOUNDS.afterCommitRedisRoundTrips);
      expect(seen.afterRedis.length, seen.afterRedis.join(' ')).toBeLessThanOrEqual(BOUNDS.afterCommitRedisCommands(focalPoints, 2, messages));
      expect(deliveries.length).toBeGreaterThanOrEqual(2); // the card and the ST status at least
      for (const d of deliveries) expect(d.length, d.join('\n')).toBeLessThanOrEqual(BOUNDS.deliveryRoundTrips);
    }
    // Every statement of a click can use an index: with sequential scans priced out, none is planned.
    const statements = [...seen.statements, ...deliveryStatements].filter((x) => /^\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\b/i.test(x.text));
    expect(statements.length).toBeGreaterThan(3);
    await engine.db.sql.transaction(async (tx) => {
      await tx.query('SET LOCAL enable_seqscan = off');
      for (const st of statements) {
        const r = await tx.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (FORMAT JSON) ${st.text}`, st.values);
        const found: string[] = [];
        const walk = (n: Record<string, unknown>) => {
          if (n['Node Type'] === 'Seq Scan') found.push(String(n['Relation Name']));
          for (const c of (n['Plans'] as Record<string, unknown>[] | undefined) ?? []) walk(c);
        };
        walk((r.rows[0]!['QUERY PLAN'] as { Plan: Record<string, unknown> }[])[0]!.Plan);
        expect(found, `sequential scan of ${found.join(', ')} in: ${st.text.slice(0, 300)}`).toEqual([]);
      }
    });
    takeCounts();

    // The answering countries' reminders are gone; the others' stay.
    const afterCounts = await jobs.backend.queue(QUEUES.remind).getJobCounts('delayed');
    expect(afterCounts['delayed']).toBeLessThan(before['delayed']!);
  });

  it("the ST status's previous receipt is found through an index, reading a handful of rows", async () => {
    const replaceKey = `status:${randomUUID()}`;
    // Many sent rows of other keys (history) and a few of this key.
    await engine.db.sql.query(
      `INSERT INTO outbox (id, dedupe_key, platform, recipient, kind, payload, replace_key, status, sent_at, receipt)
       SELECT gen_random_uuid()::text, 'hist:' || g || ':' || $1, 'slack', '{}'::jsonb, 'status',
              jsonb_build_object('replaceKey', 'status:other-' || (g % 50)), 'status:other-' || (g % 50), 'sent', now(), '{"ts":"1"}'::jsonb
       FROM generate_series(1, 20000) g`,
      [replaceKey],
    );
    const ids = await engine.outbox.enqueue(
      Array.from({ length: 3 }, (_, i) => ({ dedupeKey: `${replaceKey}:${i}`, platform: 'slack', recipient: {}, kind: 'status', payload: { heading: 'x', replaceKey } })),
    );
    for (const [i, id] of ids.entries()) await engine.outbox.markSent(id, { channel: 'C0ST', ts: `17645904${i}0.000100` }, new Date(Date.UTC(2026, 11, 1, 12, i)));
    await engine.db.sql.query('ANALYZE outbox');
    expect(await engine.outbox.lastReceiptFor(replaceKey, 'slack')).toEqual({ channel: 'C0ST', ts: '1764590420.000100' });

    const plan = async (sql: string, params: unknown[]) => {
      const r = await engine.db.sql.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`, params);
      const root = (r.rows[0]!['QUERY PLAN'] as { Plan: Record<string, unknown> }[])[0]!.Plan;
      const nodes: Record<string, unknown>[] = [];
      const walk = (n: Record<string, unknown>) => {
        nodes.push(n);
        for (const c of (n['Plans'] as Record<string, unknown>[] | undefined) ?? []) walk(c);
      };
      walk(root);
      return nodes;
    };
    for (const [sql, params] of Object.values(outboxLookups(replaceKey, 'slack', new Date(Date.UTC(2026, 11, 1))))) {
      const nodes = await plan(sql, params);
      expect(nodes.some((n) => n['Node Type'] === 'Seq Scan'), `${sql}: ${JSON.stringify(nodes.map((n) => n['Node Type']))}`).toBe(false);
      const read = nodes.reduce((sum, n) => sum + Number(n['Actual Rows'] ?? 0) + Number(n['Rows Removed by Filter'] ?? 0), 0);
      expect(read, sql).toBeLessThan(20);
    }
  });
});
