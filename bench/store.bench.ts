/**
 * Recording a position through the flows (load, decide, save events + snapshot + outbox in one
 * transaction): p50/p99 latency on PostgreSQL and PGlite, sequential and 11-way concurrent on one
 * consultation; and positions recorded per second across 100 consultations at once on PostgreSQL.
 * Run: npx tsx bench/store.bench.ts   (or npm run bench -- store)
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEngine, type Engine } from '../src/app/context.ts';
import { loadConfig } from '../src/config.ts';
import type { CommandActor, Position } from '../src/domain/types.ts';
import { consultationFlows } from '../src/flows/index.ts';
import { identify } from '../src/flows/people.ts';
import { createPostgresDatabase } from '../test/helpers/db.ts';

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};
const fmt = (ms: number) => `${ms.toFixed(1)} ms`;

async function openMemberStage(engine: Engine): Promise<{ id: string; version: string; actors: Map<string, CommandActor> }> {
  const d = engine.directory.current();
  const actor = (code: string) => {
    const fp = d.countries.find((c) => c.code === code)!.focalPoints[0]!;
    return identify(d, { platform: 'slack', userId: fp.slack! })!;
  };
  const staff = identify(d, { platform: 'slack', userId: d.secretariat.staff[0]!.slack! })!;
  const deps = engine.deps;
  const r = await consultationFlows.startConsultation(deps, {
    key: randomUUID(),
    actor: staff,
    title: 'Bench',
    text: 'Texto de prueba para medir.',
    deadline: { kind: 'business_days', days: 5 },
    closeEarly: false,
  });
  if (!r.ok) throw new Error(`start refused: ${r.code}`);
  let state = r.state;
  for (const c of state.troika!.countries.filter((c) => c !== state.troika!.authorCountry)) {
    const x = await consultationFlows.reactTroika(deps, { key: randomUUID(), actor: actor(c), consultationId: state.consultationId, version: state.currentVersion, reaction: 'approve' });
    if (!x.ok) throw new Error(`approve refused: ${x.code}`);
    state = x.state;
  }
  if (state.stage !== 'member_consultation') throw new Error(`not open: ${state.stage}`);
  const actors = new Map(state.participants.members.map((m) => [m.code, actor(m.code)]));
  return { id: state.consultationId, version: state.currentVersion, actors };
}

const POSITIONS: Position[] = ['support', 'abstain'];

/** Each call changes the country's position (support ↔ abstain): repeating it would be `already_recorded`. */
const lastPosition = new Map<string, number>();

async function record(engine: Engine, c: { id: string; version: string }, actor: CommandActor, _i: number): Promise<number> {
  const slot = `${c.id}:${actor.country}`;
  const next = ((lastPosition.get(slot) ?? 1) + 1) % 2;
  lastPosition.set(slot, next);
  const t0 = performance.now();
  const r = await consultationFlows.recordPosition(engine.deps, { key: randomUUID(), actor, consultationId: c.id, position: POSITIONS[next]!, version: c.version });
  if (!r.ok) throw new Error(`position refused: ${r.code}`);
  return performance.now() - t0;
}

async function latency(label: string, engine: Engine): Promise<void> {
  const c = await openMemberStage(engine);
  const actors = [...c.actors.values()];
  for (let i = 0; i < 20; i++) await record(engine, c, actors[i % actors.length]!, i); // warm-up
  const seq: number[] = [];
  for (let i = 0; i < 300; i++) seq.push(await record(engine, c, actors[i % actors.length]!, i));
  const conc: number[] = [];
  for (let round = 0; round < 30; round++) {
    conc.push(...(await Promise.all(actors.map((a, i) => record(engine, c, a, round + i)))));
  }
  console.log(`${label.padEnd(10)} sequential      p50 ${fmt(pct(seq, 50))}  p99 ${fmt(pct(seq, 99))}  (${seq.length} positions)`);
  console.log(`${label.padEnd(10)} 11 concurrent   p50 ${fmt(pct(conc, 50))}  p99 ${fmt(pct(conc, 99))}  (${conc.length} positions, same consultation)`);
}

async function throughput(engine: Engine): Promise<void> {
  const consultations = [];
  for (let i = 0; i < 100; i++) consultations.push(await openMemberStage(engine));
  const t0 = performance.now();
  let n = 0;
  await Promise.all(
    consultations.map(async (c) => {
      let i = 0;
      for (const a of c.actors.values()) {
        await record(engine, c, a, i++);
        n++;
      }
    }),
  );
  const s = (performance.now() - t0) / 1000;
  console.log(`postgres   100 consultations at once: ${n} positions in ${s.toFixed(2)} s = ${(n / s).toFixed(0)} positions/s`);
}

export async function run(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'crm-bench-store-'));
  const pg = await createPostgresDatabase('bench_store');
  try {
    const pgEngine = await openEngine({ ...loadConfig({}), databaseUrl: pg.url, dataDir: dir });
    try {
      await latency('postgres', pgEngine);
      await throughput(pgEngine);
    } finally {
      await pgEngine.close();
    }
    const lite = await openEngine({ ...loadConfig({}), dataDir: 'memory://' });
    try {
      await latency('pglite', lite);
    } finally {
      await lite.close();
    }
  } finally {
    await pg.drop();
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
