// Preloaded into the bot by bench/slack.bench.ts (`node --import ./bench/count-preload.mjs bin/start.mjs`):
// counts every PostgreSQL statement (pg.Client.prototype.query: one call, one round trip) and every Redis
// command and round trip (ioredis Redis.prototype.sendCommand; commands of one pipeline share its stream and
// count as one round trip) the bot makes, with its CPU time and RSS. On SIGUSR2 it prints one line
// `BENCH_COUNTS {json}` on stderr, which the bench reads before and after each load level.
import pg from 'pg';
import { Redis } from 'ioredis';

const counts = { pg: 0, redisCommands: 0, redisRoundTrips: 0 };
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function (...args) {
  counts.pg += 1;
  return query.apply(this, args);
};
let streams = new WeakSet();
const send = Redis.prototype.sendCommand;
Redis.prototype.sendCommand = function (command, stream) {
  counts.redisCommands += 1;
  if (!stream) counts.redisRoundTrips += 1;
  else if (!streams.has(stream)) {
    streams.add(stream);
    counts.redisRoundTrips += 1;
  }
  return send.call(this, command, stream);
};
process.on('SIGUSR2', () => {
  const cpu = process.cpuUsage();
  process.stderr.write(`BENCH_COUNTS ${JSON.stringify({ ...counts, cpuMs: (cpu.user + cpu.system) / 1000, rssMb: process.memoryUsage().rss / 2 ** 20 })}\n`);
});
