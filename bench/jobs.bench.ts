/**
 * Reminders at scale, per jobs backend: N open consultations × 10 countries that have not answered
 * (one focal point each) = 10·N reminders all due at the same instant (N = 1,000 on Redis: 10,000; see COUNTS). Measures, against a recording
 * notifier behind the real deliver worker: how long after the due instant the last one was delivered,
 * the lateness of each delivery (p50 / p99 / max), duplicates (must be 0) and lost ones (must be 0).
 * In the same run, on the same backend: a bare BullMQ worker doing nothing with 10,000 jobs due together
 * (as bench/bullmq-bare.bench.ts), and the ratio of the two.
 *
 * A reminder's path: remind job fires → gathered with the jobs the worker holds at that instant (a batch of
 * a quarter of its slots, src/jobs/remind.ts `RemindBatcher`) → one query loads the batch's consultations →
 * re-check each → one statement records them all (reminders_sent + outbox rows, guarded by the consultation
 * version) → one addBulk of deliver jobs → each deliver job loads its row → notifier → mark sent.
 *
 * App database: a fresh PostgreSQL database for the redis and postgres backends, in-memory PGlite for the
 * embedded one (the all-embedded deployment). The deliver worker's production rate limit (20 messages/s,
 * for Slack) is lifted here: with it, 10,000 messages need 500 s by construction.
 *
 * First, per backend, the "idle" line: N = 1 (10 reminders due at once on an otherwise idle app), the
 * figure test/integration/jobs/remind.test.ts used to assert (each reminder delivered within 3 s of 09:00).
 *
 * `npx tsx bench/jobs.bench.ts` (standalone) or `npm run bench -- jobs`. JOBS_BENCH_CONSULTATIONS sets N for
 * every backend, JOBS_BENCH_BACKENDS=redis,postgres picks backends, JOBS_BENCH_DEBUG=1 adds the remind-phase split,
 * JOBS_BENCH_IDLE_ONLY=1 runs only the idle lines.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { randomBytes, randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { Redis } from 'ioredis';
import type { Job } from 'bullmq';
import { openEngine, type Engine } from '../src/app/context.ts';
import { EXAMPLE_DIRECTORY, type Config } from '../src/config.ts';
import type { ConsultationState } from '../src/domain/types.ts';
import type { Directory } from '../src/directory/model.ts';
import { reactTroika, recordPosition, startConsultation } from '../src/flows/consultation-flows.ts';
import { identify } from '../src/flows/people.ts';
import { createJobsBackend, type JobsBackend, type JobsBackendKind } from '../src/jobs/backend.ts';
import { enqueueDeliveries, secretariatAddress, startDeliverWorker } from '../src/jobs/deliver.ts';
import { jobIds, QUEUES } from '../src/jobs/names.ts';
import { RecordingNotifier } from '../src/jobs/notifier.ts';
import type { RemindJobData } from '../src/jobs/plan.ts';
import { startRemindWorker } from '../src/jobs/remind.ts';
import { ReminderStore } from '../src/jobs/reminder-store.ts';
import { createRuntime, TIMED_JOB_OPTIONS } from '../src/jobs/runtime.ts';

/**
 * Consultations per backend (× 10 reminders each). Redis takes the full 1,000; the PostgreSQL backends are
 * scaled so the whole run stays near 5 minutes (measured: 10,000 on `postgres` took 228 s to deliver, and
 * `embedded` delivers ~27 reminders/s). JOBS_BENCH_CONSULTATIONS overrides all three.
 */
const COUNTS: Record<JobsBackendKind, number> = { redis: 1_000, postgres: 200, embedded: 100 };
const consultationsFor = (kind: JobsBackendKind): number => Number(process.env['JOBS_BENCH_CONSULTATIONS'] || COUNTS[kind]);
const CONCURRENCY = 50;
const REDIS_URL = process.env['REDIS_URL'] || 'redis://127.0.0.1:6379';
const PG_USER = process.env['PGUSER'] || 'postgres';
const PG_ADMIN = `postgresql://${PG_USER}@127.0.0.1:5432/postgres`;
const pgUrl = (db: string) => `postgresql://${PG_USER}@127.0.0.1:5432/${db}`;

const quiet = { info: () => undefined, warn: () => undefined, error: (o: object, m?: string) => console.error('  error:', m, o) };

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

async function admin(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: PG_ADMIN });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

function config(databaseUrl?: string): Config {
  return {
    port: 0,
    directoryPath: EXAMPLE_DIRECTORY,
    directoryIsExample: true,
    dataDir: databaseUrl ? 'unused' : 'memory://',
    ...(databaseUrl ? { databaseUrl } : {}),
    logLevel: 'silent',
  };
}

/** The example directory with one focal point per Member Country (so 10 unanswered countries = 10 people). */
function onePerCountry(d: Directory): Directory {
  const copy = structuredClone(d);
  for (const c of copy.countries) if (c.status === 'member') c.focalPoints = c.focalPoints.slice(0, 1);
  return copy;
}

/** One consultation through the flows (member stage open, one country answered), then N−1 copies of it. */
async function seed(engine: Engine, count: number): Promise<ConsultationState[]> {
  const directory = onePerCountry(engine.directory.current());
  await engine.directories.importDirectory(directory, { sha256: 'bench', sourcePath: 'bench://one-per-country' });
  engine.directory.replace(directory, { sha256: 'bench', path: 'bench://one-per-country' });
  const who = (slack: string) => identify(directory, { platform: 'slack', userId: slack })!;
  const started = await startConsultation(engine.deps, {
    key: 'bench:start',
    actor: who('U0ST0000001'),
    title: 'Bench',
    text: 'Texto',
    deadline: { kind: 'business_days', days: 5 },
  });
  if (!started.ok) throw new Error(`start refused: ${started.code}`);
  let state = started.state;
  const troika = state.troika!;
  for (const c of troika.countries.filter((x) => x !== troika.authorCountry)) {
    const fp = directory.countries.find((x) => x.code === c)!.focalPoints[0]!;
    const r = await reactTroika(engine.deps, { key: `bench:t:${c}`, actor: who(fp.slack!), consultationId: state.consultationId, version: state.currentVersion, reaction: 'approve' });
    if (!r.ok) throw new Error(`troika refused: ${r.code}`);
    state = r.state;
  }
  const answering = state.participants.members[0]!.code;
  const fp = directory.countries.find((x) => x.code === answering)!.focalPoints[0]!;
  const r = await recordPosition(engine.deps, { key: 'bench:p', actor: who(fp.slack!), consultationId: state.consultationId, position: 'support', version: state.currentVersion });
  if (!r.ok) throw new Error(`position refused: ${r.code}`);
  state = r.state;

  const states = [state];
  for (let i = 1; i < count; i++) {
    const id = randomUUID();
    const copy: ConsultationState = { ...structuredClone(state), consultationId: id, reference: `CRM-B-${String(i).padStart(5, '0')}` };
    await engine.consultations.append({
      consultationId: id,
      expectedVersion: 0,
      events: [],
      snapshot: copy,
      stage: copy.stage,
      title: copy.title,
      reference: copy.reference,
      deadline: new Date(copy.deadline!),
      deadlineVersion: copy.deadlineVersion,
      command: { key: `bench:seed:${id}`, type: 'seed', result: { ok: true } },
    });
    states.push(copy);
  }
  // The seeding's own messages are not part of the measure.
  await engine.db.prisma.outboxMessage.updateMany({ where: { status: 'pending' }, data: { status: 'sent' } });
  return states;
}

interface Figures {
  add: number;
  doneAfterDue: number;
  p50: number;
  p99: number;
  max: number;
}

async function ours(kind: JobsBackendKind, jobs: JobsBackend, engine: Engine, states: ConsultationState[], leadMs: number) {
  const notifier = new RecordingNotifier();
  const rt = createRuntime({
    jobs,
    deps: engine.deps,
    consultations: engine.consultations,
    outbox: engine.outbox,
    reminders: new ReminderStore(engine.db.prisma),
    enqueueDeliveries: (j, ids) => enqueueDeliveries(j, ids),
    logger: quiet,
  });
  const remind = startRemindWorker(rt, { concurrency: CONCURRENCY });
  const deliver = startDeliverWorker(
    jobs,
    { outbox: engine.outbox, notifier, logger: quiet, secretariat: () => secretariatAddress(engine.directory.current()) },
    { worker: { concurrency: CONCURRENCY, limiter: process.env['JOBS_BENCH_NO_LIMITER'] ? undefined : { max: 1_000_000, duration: 1_000 } } },
  );
  await Promise.all([remind.waitUntilReady(), deliver.waitUntilReady()]);

  const planned: { data: RemindJobData; id: string }[] = [];
  const start = Date.now();
  const due = start + leadMs;
  for (const s of states) {
    for (const m of s.participants.members) {
      if (s.positions[m.code]) continue;
      for (const fp of m.focalPoints) {
        const data: RemindJobData = {
          consultationId: s.consultationId,
          audience: 'member',
          country: m.code,
          personId: fp.personId,
          slot: 'D-0',
          deadlineVersion: s.deadlineVersion,
          dueAt: new Date(due).toISOString(),
        };
        planned.push({ data, id: jobIds.remind(s.consultationId, fp.personId, 'D-0', s.deadlineVersion) });
      }
    }
  }
  const queue = jobs.queue<RemindJobData>(QUEUES.remind);
  for (let i = 0; i < planned.length; i += 500) {
    const now = Date.now();
    await queue.addBulk(
      planned.slice(i, i + 500).map((p) => ({ name: QUEUES.remind, data: p.data, opts: { ...TIMED_JOB_OPTIONS, jobId: p.id, delay: Math.max(0, due - now) } })),
    );
  }
  const addMs = Date.now() - start;
  const expected = planned.length;
  const deadline = Date.now() + 240_000;
  while (notifier.distinctDelivered() < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  await new Promise((r) => setTimeout(r, 1_000)); // late duplicates, if any
  await remind.close();
  await deliver.close();
  const at = notifier.deliveries.map((d) => d.at - due).sort((a, b) => a - b);
  const distinct = notifier.distinctDelivered();
  const figures: Figures = { add: addMs, doneAfterDue: at.at(-1) ?? NaN, p50: quantile(at, 0.5), p99: quantile(at, 0.99), max: at.at(-1) ?? NaN };
  const recorded = await engine.db.prisma.reminderSent.count();
  if (process.env['JOBS_BENCH_DEBUG']) {
    const sent = (await engine.db.prisma.reminderSent.findMany({ select: { sentAt: true } })).map((r) => r.sentAt.getTime() - due).sort((a, b) => a - b);
    console.log(`  recorded (remind job done) after due: p50 ${quantile(sent, 0.5)} ms, p99 ${quantile(sent, 0.99)} ms, max ${sent.at(-1)} ms`);
  }
  return { figures, expected, distinct, duplicates: notifier.deliveries.length - distinct, lost: expected - distinct, recorded, kind };
}

async function bare(jobs: JobsBackend, n: number, leadMs: number): Promise<Figures> {
  const name = 'bare-bench';
  const queue = jobs.queue(name);
  const lateness: number[] = [];
  let resolveAll!: () => void;
  const all = new Promise<void>((r) => (resolveAll = r));
  const worker = jobs.worker(
    name,
    async (job: Job) => {
      lateness.push(Date.now() - (job.timestamp + (job.opts.delay ?? 0)));
      if (lateness.length === n) resolveAll();
    },
    { concurrency: CONCURRENCY },
  );
  await worker.waitUntilReady();
  const start = Date.now();
  const due = start + leadMs;
  for (let i = 0; i < n; i += 500) {
    const now = Date.now();
    await queue.addBulk(Array.from({ length: Math.min(500, n - i) }, (_, k) => ({ name: 'noop', data: { i: i + k }, opts: { delay: Math.max(0, due - now), jobId: `bare-${i + k}` } })));
  }
  const addMs = Date.now() - start;
  const timer = setTimeout(() => resolveAll(), 240_000);
  await all;
  clearTimeout(timer);
  await worker.close();
  lateness.sort((a, b) => a - b);
  return { add: addMs, doneAfterDue: lateness.at(-1) ?? NaN, p50: quantile(lateness, 0.5), p99: quantile(lateness, 0.99), max: lateness.at(-1) ?? NaN };
}

async function once(kind: JobsBackendKind, count = consultationsFor(kind), idle = false): Promise<void> {
  const prefix = `bench_jobs_${randomBytes(4).toString('hex')}`;
  const dataDir = await mkdtemp(join(tmpdir(), 'crm-bench-jobs-'));
  const appDb = kind === 'embedded' ? undefined : `crm_bench_jobs_${randomBytes(4).toString('hex')}`;
  const queueDb = kind === 'postgres' ? `crm_bench_queue_${randomBytes(4).toString('hex')}` : undefined;
  if (appDb) await admin(`CREATE DATABASE "${appDb}"`);
  if (queueDb) await admin(`CREATE DATABASE "${queueDb}"`);
  let engine: Engine | undefined;
  let jobs: JobsBackend | undefined;
  try {
    engine = await openEngine(config(appDb ? pgUrl(appDb) : undefined));
    const t0 = Date.now();
    const states = await seed(engine, count);
    const seedMs = Date.now() - t0;
    jobs = await createJobsBackend({
      dataDir,
      prefix,
      onError: () => undefined,
      ...(kind === 'redis' ? { redisUrl: REDIS_URL } : kind === 'postgres' ? { databaseUrl: pgUrl(queueDb!) } : {}),
    });
    const leadMs = kind === 'embedded' ? 10_000 : 5_000;
    const r = await ours(kind, jobs, engine, states, leadMs);
    const f = r.figures;
    if (idle) {
      console.log(
        `${kind.padEnd(8)} idle      | ${r.expected} reminders due at once on an idle app: delivered ${r.distinct}/${r.expected}, the last ${f.doneAfterDue} ms after due, lateness p50 ${f.p50} ms | duplicates ${r.duplicates} | lost ${r.lost}`,
      );
      return;
    }
    const b = await bare(jobs, r.expected, leadMs);
    console.log(
      [
        `${kind.padEnd(8)} reminders`,
        `app db ${appDb ? 'postgres' : 'pglite'}, seeded ${states.length} in ${seedMs} ms`,
        `add ${r.expected} in ${f.add} ms${f.add > leadMs ? ' (slower than the lead!)' : ''}`,
        `delivered ${r.distinct}/${r.expected} (recorded ${r.recorded})`,
        `all delivered ${f.doneAfterDue} ms after due`,
        `lateness p50 ${f.p50} ms, p99 ${f.p99} ms`,
        `duplicates ${r.duplicates}`,
        `lost ${r.lost}`,
      ].join(' | '),
    );
    console.log(
      [
        `${kind.padEnd(8)} bare     `,
        `add ${r.expected} in ${b.add} ms`,
        `all done ${b.doneAfterDue} ms after due`,
        `lateness p50 ${b.p50} ms, p99 ${b.p99} ms`,
        `ratio (ours/bare): all-done ×${(f.doneAfterDue / Math.max(1, b.doneAfterDue)).toFixed(1)}, p50 ×${(f.p50 / Math.max(1, b.p50)).toFixed(1)}`,
      ].join(' | '),
    );
  } finally {
    await jobs?.close().catch(() => undefined);
    await engine?.close().catch(() => undefined);
    if (kind === 'redis') {
      const redis = new Redis(REDIS_URL);
      try {
        let cursor = '0';
        do {
          const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
          cursor = next;
          if (keys.length) await redis.del(...keys);
        } while (cursor !== '0');
      } finally {
        redis.disconnect();
      }
    }
    if (appDb) await admin(`DROP DATABASE IF EXISTS "${appDb}" WITH (FORCE)`).catch(() => undefined);
    if (queueDb) await admin(`DROP DATABASE IF EXISTS "${queueDb}" WITH (FORCE)`).catch(() => undefined);
    await rm(dataDir, { recursive: true, force: true });
  }
}

export async function run(): Promise<void> {
  console.log(
    `jobs: N consultations × 10 unanswered countries = 10·N reminders due at one instant (N: ${Object.keys(COUNTS)
      .map((k) => `${k} ${consultationsFor(k as JobsBackendKind)}`)
      .join(', ')}); remind and deliver workers at concurrency ${CONCURRENCY} (deliver rate limit lifted); ` +
      `bare no-op worker, same count and concurrency. "lost" = not delivered within 240 s.`,
  );
  const kinds = (process.env['JOBS_BENCH_BACKENDS']?.split(',') ?? ['redis', 'postgres', 'embedded']) as JobsBackendKind[];
  for (const kind of kinds) {
    try {
      await once(kind, 1, true);
    } catch (e) {
      console.log(`${kind.padEnd(8)} idle | not measured: ${(e as Error).message}`);
    }
  }
  if (process.env['JOBS_BENCH_IDLE_ONLY']) return;
  for (const kind of kinds) {
    const t = Date.now();
    try {
      await once(kind);
    } catch (e) {
      console.log(`${kind.padEnd(8)} | not measured: ${(e as Error).stack ?? (e as Error).message}`);
    }
    console.log(`${kind.padEnd(8)} (${Math.round((Date.now() - t) / 1000)} s for this backend)`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await run();
}
