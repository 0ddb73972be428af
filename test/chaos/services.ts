/**
 * A PostgreSQL server and a Redis server of the chaos tests' own, on free loopback ports, in temporary
 * folders: they can be stopped, killed and started again without touching the shared services on 5432 and
 * 6379 that every other test (and every other agent on the machine) uses.
 *
 *   const pg = await startPrivatePostgres();     // initdb + pg_ctl start; pg.url for DATABASE_URL
 *   await pg.stop('immediate');                  // a crash: no checkpoint, connections cut
 *   await pg.start();                            // the same data, the same port
 *   const redis = await startPrivateRedis();     // no persistence at all (--save '' --appendonly no)
 *   await redis.kill(); await redis.start();     // everything in it is gone, as after a restart without AOF
 *
 * The binaries are the ones the machine has (PATH, else /usr/lib/postgresql/<newest>/bin). As root (CI
 * containers), PostgreSQL runs as the `postgres` user (initdb refuses root). Never skipped: a missing
 * binary is a failure, like a missing shared service.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, chmodSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A port nobody listens on right now (the kernel's choice). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function pgBin(name: string): string {
  const inPath = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim();
  if (inPath) return inPath;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  for (const v of versions) if (existsSync(join(root, v, 'bin', name))) return join(root, v, 'bin', name);
  throw new Error(`chaos: PostgreSQL's ${name} not found (PATH or /usr/lib/postgresql/*/bin)`);
}

const asRoot = process.getuid?.() === 0;

/** Runs a PostgreSQL tool, as `postgres` when we are root; throws with its output when it fails. */
function runPg(name: string, args: string[], timeoutMs = 120_000): string {
  const bin = pgBin(name);
  const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  const r = spawnSync(cmd, argv, { encoding: 'utf8', timeout: timeoutMs });
  if (r.status !== 0) throw new Error(`chaos: ${name} ${args.join(' ')} failed (${r.status ?? r.signal}): ${r.stderr || r.stdout}`);
  return r.stdout;
}

export interface PrivatePostgres {
  /** postgresql://postgres@127.0.0.1:PORT/crm */
  url: string;
  port: number;
  /** `fast`: a clean shutdown; `immediate`: a crash (recovery at the next start). */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  start(): Promise<void>;
  dispose(): Promise<void>;
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'crm-chaos-pg-'));
  const data = join(dir, 'data');
  if (asRoot) {
    chmodSync(dir, 0o755);
    chownSync(dir, pgUid(), pgGid());
  }
  runPg('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
  const port = await freePort();
  // fsync off: a crash of PostgreSQL (not of the machine) keeps every commit, its WAL being in the OS's
  // page cache. synchronous_commit stays on: off, a crash would lose commits already acknowledged.
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60`;
  let running = false;
  const start = async () => {
    runPg('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'log'), '-w', '-t', '60', 'start']);
    running = true;
  };
  const stop = async (mode: 'fast' | 'immediate' = 'fast') => {
    if (!running) return;
    runPg('pg_ctl', ['-D', data, '-m', mode, '-w', '-t', '60', 'stop']);
    running = false;
  };
  await start();
  runPg('createdb', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', 'crm']);
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/crm`,
    port,
    stop,
    start,
    async dispose() {
      await stop('immediate').catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function pgUid(): number {
  return Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim());
}
function pgGid(): number {
  return Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim());
}

export interface PrivateRedis {
  /** redis://127.0.0.1:PORT */
  url: string;
  port: number;
  /** SIGKILL: with no persistence, every key is gone. */
  kill(): Promise<void>;
  start(): Promise<void>;
  dispose(): Promise<void>;
}

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'crm-chaos-redis-'));
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    const c = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--maxmemory-policy', 'noeviction'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = c;
    await new Promise<void>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`chaos: redis-server did not start:\n${out}`)), 30_000);
      c.once('error', (e) => {
        clearTimeout(timer);
        reject(new Error(`chaos: redis-server could not be run: ${e.message}`));
      });
      c.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (/Ready to accept connections/.test(out)) {
          clearTimeout(timer);
          resolve();
        }
      });
      c.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`chaos: redis-server exited (${code}):\n${out}`));
      });
    });
    c.stdout!.resume();
    c.stderr!.resume();
  };
  const kill = async () => {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGKILL');
    await exited;
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    kill,
    start,
    async dispose() {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
