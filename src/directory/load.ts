/**
 * Reading the directory file: YAML text -> `Directory`, with every problem found (not just the first).
 *
 * Problems are one line each, naming the field path, e.g.
 *   countries[3].focalPoints[0].slack: expected a Slack user id
 * YAML syntax errors name the line and column instead (prefixed with the source, when given):
 *   config/directory.yaml: line 4, column 3: Map keys must be unique
 */
import { readFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import type { Directory } from './model.ts';
import { directoryFileSchema, show, toDirectory } from './schema.ts';
import { checkDirectory } from './semantic.ts';

export type DirectoryResult =
  | { ok: true; directory: Directory; warnings: string[] }
  | { ok: false; problems: string[] };

/**
 * `a.b[3].c` from a zod issue path. A key that is not a plain name (spaces, punctuation, a line break, an
 * empty key) is quoted, `countries[2]["e-mail"]`, so the problem stays one line and shows the key.
 */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) out += out === '' ? key : `.${key}`;
    else out += `[${JSON.stringify(String(key).length > 60 ? `${String(key).slice(0, 57)}...` : String(key))}]`;
  }
  return out === '' ? '(document)' : out;
}

/** Default messages for issues whose schema did not word its own. */
function defaultMessage(iss: z.core.$ZodRawIssue): string {
  switch (iss.code) {
    case 'invalid_type':
      if (iss.input === undefined) return 'required';
      if (iss.expected === 'array') return `expected a list, got ${show(iss.input)}`;
      if (iss.expected === 'object') return `expected a mapping, got ${show(iss.input)}`;
      return `expected ${iss.expected}, got ${show(iss.input)}`;
    case 'too_small':
      return iss.origin === 'array' ? `expected at least ${String(iss.minimum)} entries` : 'must not be empty';
    case 'invalid_value':
      return `expected one of ${iss.values.map((v) => String(v)).join(', ')}, got ${show(iss.input)}`;
    default:
      return iss.message ?? 'invalid value';
  }
}

function zodProblems(error: z.ZodError): string[] {
  const lines: string[] = [];
  for (const iss of error.issues) {
    if (iss.code === 'unrecognized_keys') {
      for (const key of iss.keys) lines.push(`${formatPath([...iss.path, key])}: unknown field`);
    } else {
      lines.push(`${formatPath(iss.path)}: ${iss.message}`);
    }
  }
  return lines;
}

function yamlProblem(e: { message: string; linePos?: [{ line: number; col: number }, ...unknown[]] }, source?: string): string {
  const full = [...e.message.replace(/ at line \d+, column \d+:[\s\S]*$/, '').split('\n')[0]!.trim()];
  // The parser may quote the whole offending line: cut it so the problem stays readable.
  const text = full.length > 160 ? `${full.slice(0, 157).join('')}...` : full.join('');
  const pos = e.linePos?.[0];
  const where = pos ? `line ${pos.line}, column ${pos.col}: ` : '';
  return `${source ? `${source}: ` : ''}${where}${text}`;
}

function unique(lines: string[]): string[] {
  return [...new Set(lines)];
}

/** Parse and validate a directory file's text. Pure. `source` (a file name) only prefixes YAML syntax errors. */
export function parseDirectory(yamlText: string, source?: string): DirectoryResult {
  const at = source ? `${source}: ` : '';
  const doc = parseDocument(yamlText, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    // The parser gives up on nesting deeper than the call stack, at a place that depends on the stack.
    if (doc.errors.some((e) => /Maximum call stack size exceeded/.test(e.message))) {
      return { ok: false, problems: [`${at}(document): nested too deeply: a directory file has only a few levels`] };
    }
    return { ok: false, problems: unique(doc.errors.map((e) => yamlProblem(e, source))) };
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    const why = /alias count/i.test((e as Error).message) ? 'too many aliases (*name) to expand' : (e as Error).message.split('\n')[0];
    return { ok: false, problems: [`${at}(document): ${why}`] };
  }
  const yamlWarnings = doc.warnings.map((w) => yamlProblem(w, source));

  const parsed = directoryFileSchema.safeParse(raw, { reportInput: true, error: defaultMessage });
  const semantic = checkDirectory(raw);
  const problems = unique([...(parsed.success ? [] : zodProblems(parsed.error)), ...semantic.problems]);
  if (!parsed.success || problems.length > 0) return { ok: false, problems };
  return { ok: true, directory: toDirectory(parsed.data), warnings: unique([...yamlWarnings, ...semantic.warnings]) };
}

/** The one-line problem for a directory file that cannot be read. */
export function unreadableProblem(path: string, e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  const why =
    err.code === 'ENOENT'
      ? 'no such file'
      : err.code === 'EACCES'
        ? 'permission denied'
        : err.code === 'EISDIR'
          ? 'is a directory, not a file'
          : err.code === 'ENOTDIR'
            ? 'a part of the path is not a folder'
            : err.code === 'ENAMETOOLONG'
              ? 'the path is too long'
              : // Node's message repeats the path: keep its first words only.
                (err.code ?? err.message.split(',')[0] ?? 'unreadable');
  return `${path}: cannot read the directory file (${why})`;
}

/** Read and validate a directory file. A missing or unreadable file is a problem, not an exception. */
export async function loadDirectoryFile(path: string): Promise<DirectoryResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    return { ok: false, problems: [unreadableProblem(path, e)] };
  }
  return parseDirectory(text, path);
}
