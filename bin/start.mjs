#!/usr/bin/env node
// `npm start`: the bot. Runs the TypeScript sources through tsx (a runtime dependency): no build step.
import { register } from 'tsx/esm/api';
register();
// .env in the current directory, before the configuration is read (never over a variable already set).
const { loadDotEnvOrExit } = await import('../src/env-file.ts');
loadDotEnvOrExit('crm: could not start');
const { main } = await import('../src/main.ts');
await main();
