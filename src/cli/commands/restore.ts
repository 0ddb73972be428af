/** `crm restore FILE [--force]`: see ./backup.ts. */
import type { CliIo } from '../io.ts';
import { runVerb } from './backup.ts';

export const run = (args: string[], io: CliIo, env: NodeJS.ProcessEnv = process.env): Promise<number> => runVerb('restore', args, io, env);
