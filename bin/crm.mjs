#!/usr/bin/env node
// Operator CLI. Runs the TypeScript sources through tsx (a runtime dependency) so no build step is needed.
import { register } from 'tsx/esm/api';
register();
// .env in the current directory, before the configuration is read (never over a variable already set).
const { loadDotEnvOrExit } = await import('../src/env-file.ts');
loadDotEnvOrExit('crm');
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
