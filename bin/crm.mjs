#!/usr/bin/env node
// Operator CLI. Runs the TypeScript sources through tsx (a runtime dependency) so no build step is needed.
import { register } from 'tsx/esm/api';
register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
