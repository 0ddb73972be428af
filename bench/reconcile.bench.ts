/**
 * Redis lost: how long the reconcile job takes to rebuild every job from the database. N open
 * consultations in the member stage (one played through the flows, N−1 copies of its snapshot), every job
 * of theirs deleted (the queues obliterated, as after losing Redis), then one `reconcile()` timed. Prints,
 * per jobs backend: N, the jobs it added (a close and the reminders of each), and the time. With the
 * default period (5 minutes) and the run at start-up, this is how long after Redis comes back (or after
 * a restart) every reminder and deadline is planned again.
 *
 * `npx tsx bench/reconcile.bench.ts` or `npm run bench -- reconcile`. RECONCILE_BENCH_CONSULTATIONS=N
 * (default 500), RECONCILE_BENCH_BACKENDS=redis,postgres.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { openEngine } from '../src/app/context.ts';
import { EXAMPLE_DIRECTORY } from '../src/config.ts';
import type { ConsultationState } from '../src/domain/types.ts';
import { reactTroika, startConsultation } from '../src/flows/consultation-flows.ts';
import { identify } from '../src/flows/people.ts';
import { createJobsBackend, type JobsBackendKind } from '../src/jobs/backend.ts';
import { enqueueDeliveries } from '../src/jobs/deliver.ts';
import { QUEUES } from '../src/jobs/names.ts';
import { reconcile } from '../src/jobs/reconcile.ts';
import { ReminderStore } from '../src/jobs/reminder-store.ts';
import { createRuntime } from '../src/jobs/runtime.ts';

const N = Number(process.env['RECONCILE_BENCH_CONSULTATIONS'] || 500);
const BACKENDS = (process.env['RECONCILE_BENCH_BACKENDS'] || 'redis,postgres').split(',') as JobsBackendKind[];
const PG_USER = process.env['PGUSER'] || 'postgres';
const pgUrl = (db: string) => `postgresql://${PG_USER}@127.0.0.1:5432/${db}`;
const REDIS_URL = process.env['REDIS_URL'] || 'redis://127.0.0.1:6379';

async function admin(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: pgUrl('postgres') });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

async function one(kind: JobsBackendKind): Promise<void> {
  const name = `crm_bench_reconcile_${randomBytes(4).toString('hex')}`;
  await admin(`CREATE DATABASE "${name}"`);
  const prefix = `b_reconcile_${randomBytes(4).toString('hex')}`;
  const engine = await openEngine({ port: 0, directoryPath: EXAMPLE_DIRECTORY, directoryIsExample: true, dataDir: 'unused', databaseUrl: pgUrl(name), logLevel: 'silent' });
  const jobs = await createJobsBackend(kind === 'redis' ? { redisUrl: REDIS_URL, dataDir: 'unused', prefix } : { databaseUrl: pgUrl(name), dataDir: 'unused', prefix });
  try {
    const directory = engine.directory.current();
    const who = (country: string) => identify(directory, { platform: 'slack', userId: directory.countries.find((c) => c.code === country)!.focalPoints[0]!.slack! })!;
    const staff = identify(directory, { platform: 'slack', userId: directory.secretariat.staff[0]!.slack! })!;
    const started = await startConsultation(engine.deps, { key: 'bench:start', actor: staff, title: 'Bench', text: 'Texto', deadline: { kind: 'business_days', days: 5 } });
    if (!started.ok) throw new Error(`start refused: ${started.code}`);
    let state: ConsultationState = started.state;
    for (const c of state.troika!.countries.filter((x) => x !== state.troika!.authorCountry)) {
      const r = await reactTroika(engine.deps, { key: `bench:t:${c}`, actor: who(c), consultationId: state.consultationId, version: state.currentVersion, reaction: 'approve' });
      if (!r.ok) throw new Error(`troika refused: ${r.code}`);
      state = r.state;
    }
    for (let i = 1; i < N; i++) {
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
    }
    await engine.db.prisma.outboxMessage.updateMany({ where: { status: 'pending' }, data: { status: 'sent' } });
    for (const q of Object.values(QUEUES)) await jobs.queue(q).obliterate({ force: true });

    const rt = createRuntime({
      jobs,
      deps: engine.deps,
      consultations: engine.consultations,
      outbox: engine.outbox,
      reminders: new ReminderStore(engine.db.prisma),
      enqueueDeliveries: (j, ids) => enqueueDeliveries(j, ids),
    });
    const report = await reconcile(rt);
    const again = await reconcile(rt);
    console.log(`  ${kind}: ${report.open} open consultations, ${report.added} jobs rebuilt in ${report.ms} ms (${(report.ms / report.open).toFixed(1)} ms each); a second run adds ${again.added} in ${again.ms} ms`);
  } finally {
    for (const q of Object.values(QUEUES)) await jobs.queue(q).obliterate({ force: true }).catch(() => undefined);
    await jobs.close();
    await engine.close();
    await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  }
}

export async function run(): Promise<void> {
  for (const kind of BACKENDS) await one(kind);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
