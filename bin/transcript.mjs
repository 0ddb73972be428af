#!/usr/bin/env node
// `npm run transcript`: plays several consultations on the real bot (embedded defaults, a fresh data
// folder, a local fake Slack API, signed requests) and writes docs/demo-transcript.md from what people saw.
//   npm run transcript                          writes docs/demo-transcript.md
//   npm run transcript -- --out FILE [--json FILE]   elsewhere; --json also writes the kinds recorded
import { register } from 'tsx/esm/api';
register();
const args = process.argv.slice(2);
const usage = 'usage: npm run transcript [-- [--out FILE] [--json FILE]]';
const options = { out: 'docs/demo-transcript.md' };
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if ((a === '--out' || a === '--json') && args[i + 1] && !args[i + 1].startsWith('--')) options[a.slice(2)] = args[++i];
  else {
    process.stderr.write(`${a === '--out' || a === '--json' ? `${a}: expected a file name` : `unknown argument "${a}"`}\n${usage}\n`);
    process.exit(1);
  }
}
try {
  const { writeTranscript } = await import('../src/demo/transcript/index.ts');
  const r = await writeTranscript({ ...options, logLevel: process.env.LOG_LEVEL || 'warn' });
  process.stdout.write(`${options.out}: ${r.steps.length} steps, ${r.outputs.length} messages, ${r.seconds} s\n`);
} catch (e) {
  process.stderr.write(`transcript failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
}
