/**
 * The import rule in .dependency-cruiser.cjs really fails on violations: run the same CLI `npm run lint`
 * runs, with the project's config and tsconfig, on a throw-away tree laid out like src/.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../../..');
const depcruise = join(root, 'node_modules/.bin/depcruise');
const dirs: string[] = [];

function fixture(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'crm-depcruise-'));
  dirs.push(dir);
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  for (const f of ['tsconfig.json', 'package.json', '.dependency-cruiser.cjs']) cpSync(join(root, f), join(dir, f));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

function lint(cwd: string): Promise<{ code: number; out: string }> {
  return new Promise((done) => {
    execFile(depcruise, ['src', '--config', '.dependency-cruiser.cjs', '--output-type', 'err'], { cwd }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      done({ code, out: stdout + stderr });
    });
  });
}

afterAll(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const allowed = {
  'src/directory/model.ts': 'export type Locale = "es" | "en";\n',
  'src/directory/presidency.ts': 'import type { Locale } from "./model.ts";\nexport const l: Locale = "es";\n',
  'src/domain/ids.ts': 'import { randomUUID } from "node:crypto";\nexport const id = (): string => randomUUID();\n',
  'src/domain/decide.ts': [
    'import type { Locale } from "../directory/model.ts";',
    'import { l } from "../directory/presidency.ts";',
    'import { id } from "./ids.ts";',
    'export const x = (loc: Locale): string => id() + l + loc;',
    '',
  ].join('\n'),
};

describe.concurrent('dependency-cruiser import rule', () => {
  it('passes a pure domain (its own files, directory model/presidency, node:crypto), resolving .ts imports', async () => {
    const { code, out } = await lint(fixture(allowed));
    expect(out).not.toMatch(/error/);
    expect(code).toBe(0);
  });

  it.each([
    ['an infrastructure package (pino)', 'import { pino } from "pino";\nexport const p = pino;\n', /domain-is-pure: src\/domain\/bad\.ts → .*node_modules\/pino\//],
    ['a type-only import of a platform package (bullmq)', 'import type { Queue } from "bullmq";\nexport type Q = Queue;\n', /domain-is-pure: src\/domain\/bad\.ts → .*node_modules\/bullmq\//],
    ['node:fs', 'import { readFileSync } from "node:fs";\nexport const r = readFileSync;\n', /domain-is-pure: src\/domain\/bad\.ts → (node:)?fs/],
    ['the store', 'import { s } from "../store/repo.ts";\nexport const x = s;\n', /domain-is-pure: src\/domain\/bad\.ts → src\/store\/repo\.ts/],
    ['the calendar', 'import { c } from "../calendar/days.ts";\nexport const x = c;\n', /domain-is-pure: src\/domain\/bad\.ts → src\/calendar\/days\.ts/],
  ])('fails when src/domain imports %s', async (_what, source, message) => {
    const dir = fixture({
      ...allowed,
      'src/store/repo.ts': 'export const s = 1;\n',
      'src/calendar/days.ts': 'export const c = 1;\n',
      'src/domain/bad.ts': source,
    });
    const { code, out } = await lint(dir);
    expect(code).not.toBe(0);
    expect(out).toMatch(message);
  });

  it('fails on a runtime import cycle', async () => {
    const dir = fixture({
      'src/flows/a.ts': 'import { b } from "./b.ts";\nexport const a = () => b;\n',
      'src/flows/b.ts': 'import { a } from "./a.ts";\nexport const b = () => a;\n',
    });
    const { code, out } = await lint(dir);
    expect(code).not.toBe(0);
    expect(out).toMatch(/no-circular/);
  });

  it('fails when src/calendar or src/directory imports the store, jobs, adapters or flows', async () => {
    const dir = fixture({
      'src/jobs/queue.ts': 'export const q = 1;\n',
      'src/calendar/days.ts': 'import { q } from "../jobs/queue.ts";\nexport const c = q;\n',
    });
    const { code, out } = await lint(dir);
    expect(code).not.toBe(0);
    expect(out).toMatch(/calendar-and-directory-below-the-shell: src\/calendar\/days\.ts → src\/jobs\/queue\.ts/);
  });

  it.each([
    ['the Slack adapter', 'import { r } from "../adapters/slack/render.ts";\nexport const x = r;\n', /interaction-is-platform-free: src\/interaction\/bad\.ts → src\/adapters\/slack\/render\.ts/],
    ['a type-only import of the Slack SDK', 'import type { App } from "@slack/bolt";\nexport type A = App;\n', /interaction-is-platform-free: src\/interaction\/bad\.ts → .*node_modules\/@slack\/bolt\//],
    ['the Teams SDK', 'import { App } from "@microsoft/teams.apps";\nexport const A = App;\n', /interaction-is-platform-free: src\/interaction\/bad\.ts → .*node_modules\/@microsoft\/teams\.apps\//],
  ])('fails when src/interaction imports %s', async (_what, source, message) => {
    const dir = fixture({
      'src/adapters/slack/render.ts': 'export const r = 1;\n',
      'src/flows/ok.ts': 'export const ok = 1;\n',
      'src/interaction/good.ts': 'import { ok } from "../flows/ok.ts";\nexport const g = ok;\n',
      'src/interaction/bad.ts': source,
    });
    const { code, out } = await lint(dir);
    expect(code).not.toBe(0);
    expect(out).toMatch(message);
    expect(out).not.toMatch(/src\/interaction\/good\.ts/);
  });

  it('fails on an import that does not resolve (a typo, a package not installed)', async () => {
    const dir = fixture({
      'src/flows/a.ts': 'import { b } from "./bb.ts";\nimport { z } from "no-such-package-crm";\nexport const a = [b, z];\n',
      'src/flows/b.ts': 'export const b = 1;\n',
    });
    const { code, out } = await lint(dir);
    expect(code).not.toBe(0);
    expect(out).toMatch(/no-unresolvable: src\/flows\/a\.ts → \.\/bb\.ts/);
    expect(out).toMatch(/no-unresolvable: src\/flows\/a\.ts → no-such-package-crm/);
  });
});
