#!/usr/bin/env node
// `npm run demo`: a scripted special consultation on the embedded defaults.
//   npm run demo                         a consultation mixing Slack and Microsoft Teams: the bot with a
//                                        local fake Slack API and a local fake Bot Connector (real JWTs
//                                        both ways), signed HTTP requests, a live close at the deadline
//                                        (src/demo/slack-demo.ts)
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
  if (mode === 'slack' && !process.env.CRM_DEMO_TLS_DIR) {
    // The local Microsoft stand-ins speak HTTPS with a throwaway CA that the bot must trust. Node reads
    // NODE_EXTRA_CA_CERTS only when a process starts: make the CA, then run the demo in a child that trusts
    // it (everything else, the bot and the fakes, runs in that one child).
    const { spawn } = await import('node:child_process');
    const { createLocalTls, saveLocalTls } = await import('../src/demo/teams/local-tls.ts');
    const tls = await createLocalTls();
    try {
      const dir = saveLocalTls(tls);
      const { fileURLToPath } = await import('node:url');
      const child = spawn(process.execPath, [fileURLToPath(import.meta.url), ...args], {
        stdio: 'inherit',
        env: { ...process.env, CRM_DEMO_TLS_DIR: dir, NODE_EXTRA_CA_CERTS: tls.caFile },
      });
      const forward = (signal) => child.kill(signal);
      process.on('SIGINT', forward);
      process.on('SIGTERM', forward);
      process.exitCode = await new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
    } finally {
      tls.dispose();
    }
  } else if (mode === 'slack') {
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
