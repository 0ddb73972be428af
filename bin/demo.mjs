#!/usr/bin/env node
// `npm run demo`: a scripted special consultation on the embedded defaults.
//   npm run demo                         through Slack: the bot with a local fake Slack API, signed HTTP
//                                        requests, a live close at the deadline (src/demo/slack-demo.ts)
//   npm run demo -- --deadline-seconds 30   the same, closing sooner (default: about a minute)
//   npm run demo -- --engine             the engine-level transcript, no Slack (src/demo/demo.ts)
//   npm run demo -- --meetings           a GRCM with its network meetings, duties, invitations (src/demo/meetings-demo.ts)
//   npm run demo -- --console            the engine-level consultation, then the bot with the local console
//                                        (http://127.0.0.1:PORT/console) until Ctrl-C (src/demo/console-demo.ts)
import { register } from 'tsx/esm/api';
register();
const args = process.argv.slice(2);
const usage = 'usage: npm run demo [-- [--slack] [--deadline-seconds N] | --engine | --meetings | --console]';
let mode = 'slack';
let deadlineSeconds;
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '--engine') mode = 'engine';
  else if (a === '--meetings') mode = 'meetings';
  else if (a === '--console') mode = 'console';
  else if (a === '--slack') mode = 'slack';
  else if (a === '--deadline-seconds') {
    deadlineSeconds = Number(args[++i]);
    if (!Number.isInteger(deadlineSeconds) || deadlineSeconds < 10 || deadlineSeconds > 3600) {
      process.stderr.write(`--deadline-seconds: expected a whole number from 10 to 3600\n${usage}\n`);
      process.exit(1);
    }
  } else {
    process.stderr.write(`unknown argument "${a}"\n${usage}\n`);
    process.exit(1);
  }
}
try {
  if (mode === 'slack') {
    const { runSlackDemo } = await import('../src/demo/slack-demo.ts');
    await runSlackDemo(deadlineSeconds ? { deadlineSeconds } : {});
  } else if (mode === 'console') {
    const { runConsoleDemo } = await import('../src/demo/console-demo.ts');
    await runConsoleDemo();
  } else if (mode === 'meetings') {
    const { runMeetingsDemo } = await import('../src/demo/meetings-demo.ts');
    await runMeetingsDemo();
  } else {
    const { runDemo } = await import('../src/demo/demo.ts');
    await runDemo();
  }
} catch (e) {
  process.stderr.write(`demo failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
}
