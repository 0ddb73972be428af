import { readFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { parseDirectory, type DirectoryResult } from '../../../src/directory/load.ts';

export const EXAMPLE_PATH = 'config/directory.example.yaml';
export const EXAMPLE_TEXT = readFileSync(EXAMPLE_PATH, 'utf8');
export const fixture = (name: string) => `test/fixtures/directory/${name}`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Raw = any;

/** The example directory as plain data, changed by `edit`, serialised back and parsed. */
export function parseEdited(edit: (d: Raw) => void): DirectoryResult {
  const data: Raw = parse(EXAMPLE_TEXT);
  edit(data);
  return parseDirectory(stringify(data));
}

export function problemsOf(r: DirectoryResult): string[] {
  return r.ok ? [] : r.problems;
}

export function warningsOf(r: DirectoryResult): string[] {
  if (!r.ok) throw new Error(`expected ok, got problems:\n${r.problems.join('\n')}`);
  return r.warnings;
}

/** Index of the country with this code in the example (BZ 0, CA 1, CR 2, SV 3, US 4, ...). */
export function ci(d: Raw, code: string): number {
  return (d.countries as { code: string }[]).findIndex((c) => c.code === code);
}
