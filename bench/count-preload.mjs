// Preloaded into the bot by bench/slack.bench.ts (`node --import ./bench/count-preload.mjs bin/start.mjs`):
// counts every PostgreSQL statement (pg.Client.prototype.query: one call, one round trip) and every Redis
// command and round trip (ioredis Redis.prototype.sendCommand; commands of one pipeline share its stream and
// count as one round trip) the bot makes, with its CPU time and RSS. On SIGUSR2 it prints one line
// `BENCH_COUNTS {json}` on stderr, which the bench reads before and after each load level.
// With BENCH_PROFILE_DIR set, each SIGUSR2 also ends the CPU profile begun at the previous one (written as
// <dir>/bot-<n>.cpuprofile, open it in Chrome DevTools or speedscope) and begins the next: one per level.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import pg from 'pg';
import { Redis } from 'ioredis';

const counts = { pg: 0, redisCommands: 0, redisRoundTrips: 0 };
// BENCH_STATEMENTS=1: also how many of each statement (its first 70 characters) and Redis command, in the line.
const byStatement = process.env['BENCH_STATEMENTS'] === '1' ? { pg: {}, redis: {} } : undefined;
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function (...args) {
  counts.pg += 1;
  if (byStatement) {
    const text = String(typeof args[0] === 'string' ? args[0] : (args[0]?.text ?? '?')).replace(/\s+/g, ' ').trim().slice(0, 70);
    byStatement.pg[text] = (byStatement.pg[text] ?? 0) + 1;
  }
  return query.apply(this, args);
};
let streams = new WeakSet();
const send = Redis.prototype.sendCommand;
Redis.prototype.sendCommand = function (command, stream) {
  counts.redisCommands += 1;
  if (byStatement) byStatement.redis[command.name] = (byStatement.redis[command.name] ?? 0) + 1;
  if (!stream) counts.redisRoundTrips += 1;
  else if (!streams.has(stream)) {
    streams.add(stream);
    counts.redisRoundTrips += 1;
  }
  return send.call(this, command, stream);
};

const profileDir = process.env['BENCH_PROFILE_DIR'];
let session;
let profiles = 0;
let profiling = false;
function nextProfile() {
  if (!profileDir) return;
  if (!session) {
    session = new Session();
    session.connect();
    session.post('Profiler.enable');
    session.post('Profiler.setSamplingInterval', { interval: 200 });
  }
  const begin = () => session.post('Profiler.start', () => (profiling = true));
  if (!profiling) return begin();
  session.post('Profiler.stop', (err, r) => {
    profiling = false;
    if (!err) writeFileSync(`${profileDir}/bot-${++profiles}.cpuprofile`, JSON.stringify(r.profile));
    begin();
  });
}

process.on('SIGUSR2', () => {
  const cpu = process.cpuUsage();
  process.stderr.write(`BENCH_COUNTS ${JSON.stringify({ ...counts, cpuMs: (cpu.user + cpu.system) / 1000, rssMb: process.memoryUsage().rss / 2 ** 20, ...(byStatement ? { statements: byStatement } : {}) })}\n`);
  nextProfile();
});
