#!/usr/bin/env node
// `npm start`: the bot. Runs the TypeScript sources through tsx (a runtime dependency): no build step.
import { register } from 'tsx/esm/api';
register();
const { main } = await import('../src/main.ts');
await main();
