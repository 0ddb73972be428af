#!/usr/bin/env node
// `npm run demo`: a scripted special consultation on the embedded defaults (see src/demo/demo.ts).
import { register } from 'tsx/esm/api';
register();
const { runDemo } = await import('../src/demo/demo.ts');
try {
  await runDemo();
} catch (e) {
  process.stderr.write(`demo failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
}
