/** Runs one of the project's bin scripts as a user would (a child process), capturing its output. */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseDotEnv } from '../../src/env-file.ts';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * A child's environment: every variable of `.env.example` set to empty (that is, unset for the
 * configuration) unless `env` gives it, so a developer's own `.env` in the checkout, which the bin
 * scripts read, never reaches a test: a variable already set is never taken from `.env`.
 */
export function isolatedEnv(env: Record<string, string>): Record<string, string> {
  const names = Object.keys(parseDotEnv(readFileSync(new URL('../../.env.example', import.meta.url), 'utf8')));
  return { ...Object.fromEntries(names.map((n) => [n, ''])), PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env };
}

export interface BinResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runBin(
  script: 'crm' | 'demo' | 'start' | 'transcript',
  args: string[],
  env: Record<string, string>,
  timeoutMs = 120_000,
  /** `dotenv`: a test of `.env` itself; only PATH, HOME and `env` are set, so the `.env` in `cwd` counts. */
  options: { cwd?: string; dotenv?: boolean } = {},
): Promise<BinResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [`${ROOT}bin/${script}.mjs`, ...args], {
      cwd: options.cwd ?? ROOT,
      env: options.dotenv ? { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env } : isolatedEnv({ LOG_LEVEL: 'warn', ...env }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`bin/${script}.mjs ${args.join(' ')} timed out\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
