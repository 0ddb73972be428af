#!/usr/bin/env node
/**
 * Generates the Prisma client into src/generated/prisma (`npm run generate`, and `postinstall`).
 *
 * Why not plain `prisma generate`: the CLI insists on downloading its native schema engine first,
 * even though generating the client never runs it, and this project must install offline. Pointing
 * PRISMA_SCHEMA_ENGINE_BINARY at any existing file skips that download. We set it (and turn off the
 * update check and telemetry) for the child process only; nothing else in the program sees it.
 * Migrations never go through Prisma's engine: src/store/migrate.ts applies them.
 *
 * Quiet on success (one line), loud on failure (Prisma's whole output, non-zero exit).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const schema = join(root, 'prisma', 'schema.prisma');
const output = join(root, 'src', 'generated', 'prisma');

let cli;
try {
  cli = join(dirname(createRequire(join(root, 'package.json')).resolve('prisma/package.json')), 'build', 'index.js');
} catch {
  // An install without devDependencies (npm ci --omit=dev) has no Prisma CLI.
  if (existsSync(join(output, 'client.ts'))) {
    console.error('prisma-generate: the prisma CLI is not installed; keeping the existing src/generated/prisma');
    process.exit(0);
  }
  console.error(
    'prisma-generate: the prisma CLI (a devDependency) is not installed and src/generated/prisma is missing.\n' +
      'Install with devDependencies (npm ci) or generate the client before packaging.',
  );
  process.exit(1);
}

const existing = process.env.PRISMA_SCHEMA_ENGINE_BINARY;
const env = {
  ...process.env,
  // Any existing file will do: `prisma generate` only checks that it is there.
  PRISMA_SCHEMA_ENGINE_BINARY: existing && existsSync(existing) ? existing : process.execPath,
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
  CHECKPOINT_DISABLE: '1',
  PRISMA_GENERATE_SKIP_AUTOINSTALL: '1',
};

const result = spawnSync(process.execPath, [cli, 'generate', '--schema', schema, '--no-hints'], {
  cwd: root,
  env,
  encoding: 'utf8',
  timeout: 120_000,
});

if (result.error || result.status !== 0 || !existsSync(join(output, 'client.ts'))) {
  console.error('prisma-generate: `prisma generate` failed');
  if (result.error) console.error(result.error);
  if (result.stdout) console.error(result.stdout);
  if (result.stderr) console.error(result.stderr);
  process.exit(result.status || 1);
}
console.log('prisma-generate: Prisma client generated in src/generated/prisma');
