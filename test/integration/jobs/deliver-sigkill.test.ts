/**
 * Crash test: a deliver worker in a child process is SIGKILLed while the platform holds its request
 * open; a new worker takes the job over (BullMQ's stalled-job detection) and the message ends up
 * delivered exactly once.
 *
 * What "exactly once" means here. The platform (a recording HTTP server run by this test) commits the
 * message the moment the request arrives and then never answers — the worst case: the message went out
 * but the worker never learned it. No sender can tell that case from "never arrived", so the new worker
 * must send again; it sends with the SAME idempotency key (the outbox row's dedupe key), and the platform
 * answers the repeat with the receipt of the first post instead of posting again. So: two requests, one
 * idempotency key, one message posted, and the outbox row marked sent once (attempts = 1) with that
 * receipt. Without the idempotency key the person would get the message twice; that dedupe is the
 * platform notifier's job (ours only guarantees the key is stable and the row is not sent again once
 * marked sent).
 *
 * Runs with BullMQ on Redis and on PostgreSQL; the app database is PostgreSQL (shared by both processes).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueDeliveries } from '../../../src/jobs/deliver.ts';
import { OutboxStore } from '../../../src/store/outbox-store.ts';
import { openDatabase, type Database } from '../../../src/store/database.ts';
import { createPostgresDatabase, type TestPostgres } from '../../helpers/db.ts';
import { SETUP_MS, EVENT_WAIT_MS, openTestJobs, until, type TestJobs } from '../../fixtures/jobs/backends.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const FIXTURE = 'test/fixtures/jobs/deliver-worker.ts';

/** The "platform": records every request; commits a message on its first request; can hold requests open. */
function recordingPlatform() {
  const requests: { key: string; pid: number; at: number }[] = [];
  const posted = new Map<string, { ts: string }>();
  const held: ServerResponse[] = [];
  let hold = true;
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const key = String(req.headers['idempotency-key'] ?? '');
      const { pid } = JSON.parse(body) as { pid: number };
      requests.push({ key, pid, at: Date.now() });
      let receipt = posted.get(key);
      if (!receipt) {
        receipt = { ts: `${Date.now()}.000100` };
        posted.set(key, receipt); // the message is out, whatever happens to the answer
      }
      if (hold) {
        held.push(res); // never answered: the worker is killed while waiting
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: true, receipt }));
    });
  });
  return {
    requests,
    posted,
    stopHolding: () => void (hold = false),
    listen: () => new Promise<string>((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/post`))),
    close: () =>
      new Promise<void>((resolve) => {
        for (const r of held) r.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function startWorker(env: Record<string, string>): Promise<{ child: ChildProcessWithoutNullStreams; output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker did not start within 30 s:\n${out}`)), 30_000);
    child.stdout.on('data', () => {
      if (out.includes('ready\n')) {
        clearTimeout(timer);
        resolve({ child, output: () => out });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`worker exited (${code}) before ready:\n${out}`));
    });
  });
}

const exited = (child: ChildProcessWithoutNullStreams) =>
  new Promise<NodeJS.Signals | number | null>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.signalCode ?? child.exitCode);
    else child.once('exit', (code, signal) => resolve(signal ?? code));
  });

describe.each(['redis', 'postgres'] as const)('deliver worker SIGKILLed mid-request (BullMQ on %s)', (kind) => {
  let pgdb: TestPostgres;
  let db: Database;
  let jobs: TestJobs;
  const platform = recordingPlatform();
  const children: ChildProcessWithoutNullStreams[] = [];

  beforeAll(async () => {
    pgdb = await createPostgresDatabase(import.meta.url);
    db = await openDatabase({ databaseUrl: pgdb.url, dataDir: 'unused' });
    jobs = await openTestJobs(kind, import.meta.url);
  }, SETUP_MS);
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await Promise.all(children.map(exited));
    await platform.close();
    await jobs?.dispose();
    await db?.close();
    await pgdb?.drop();
  }, SETUP_MS);

  it('delivers the message exactly once after the worker is killed and another takes over', async () => {
    const url = await platform.listen();
    const outbox = new OutboxStore(db.prisma);
    const dedupeKey = `sigkill.${randomUUID()}`;
    const [id] = await outbox.enqueue([
      { dedupeKey, platform: 'slack', recipient: { kind: 'person', personId: 'p1', name: 'Ana' }, kind: 'member_request', payload: { reference: 'CRM-2026-009' } },
    ]);
    const env = {
      APP_DATABASE_URL: pgdb.url,
      JOBS_PREFIX: jobs.prefix,
      NOTIFIER_URL: url,
      ...(jobs.config.redisUrl ? { JOBS_REDIS_URL: jobs.config.redisUrl } : { JOBS_DATABASE_URL: jobs.config.databaseUrl! }),
    };

    const first = await startWorker(env);
    children.push(first.child);
    await enqueueDeliveries(jobs.backend, [id!], { attempts: 3, backoffMs: 200 });
    await until(() => platform.requests.length === 1, EVENT_WAIT_MS, 'the first request to reach the platform');
    expect(platform.requests[0]!.pid).toBe(first.child.pid);

    first.child.kill('SIGKILL');
    expect(await exited(first.child)).toBe('SIGKILL');
    // The row is still pending: the worker died before it could mark it.
    expect(await outbox.get(id!)).toMatchObject({ status: 'pending', attempts: 0 });

    platform.stopHolding();
    const second = await startWorker(env);
    children.push(second.child);
    // How long the takeover takes (lock 1.5 s + stalled checks) is measured in bench/timings.bench.ts.
    await until(async () => (await outbox.get(id!))?.status === 'sent', EVENT_WAIT_MS, `the row to be sent by the second worker\n${second.output()}`);

    // Two requests (the killed one, the retry), one idempotency key, one message posted.
    expect(platform.requests.map((r) => r.key)).toEqual([dedupeKey, dedupeKey]);
    expect(platform.requests[1]!.pid).toBe(second.child.pid);
    expect(new Set(platform.requests.map((r) => r.key)).size).toBe(1);
    expect(platform.posted.size).toBe(1);
    // Marked sent once (a stalled run is not an attempt), with the receipt of the one post.
    const row = await outbox.get(id!);
    expect(row).toMatchObject({ status: 'sent', attempts: 1, lastError: null, receipt: platform.posted.get(dedupeKey) });

    second.child.kill('SIGTERM');
    expect(await exited(second.child)).toBe(0);
  });
});

