import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';

/** SHA-256 (hex) of a directory file's bytes: the identity of an import. */
export function directoryHash(bytes: string | Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** `CRM_DIRECTORY` names a file that cannot be read: the bot does not start. */
export class DirectoryFileMissingError extends Error {
  constructor(
    readonly path: string,
    readonly code: string,
  ) {
    super(
      code === 'ENOENT'
        ? `CRM_DIRECTORY names ${path}, which does not exist (${resolve(path)}). Set CRM_DIRECTORY to your directory file, or unset it to try the bot with the example.`
        : `CRM_DIRECTORY names ${path}, which cannot be read (${code}).`,
    );
    this.name = 'DirectoryFileMissingError';
  }
}

/** The SHA-256 of the file at `path`; throws DirectoryFileMissingError when it cannot be read. */
export async function hashDirectoryFile(path: string): Promise<string> {
  try {
    return directoryHash(await readFile(path));
  } catch (e) {
    throw new DirectoryFileMissingError(path, (e as NodeJS.ErrnoException).code ?? 'error');
  }
}

/** A path as the operator types it after `npx crm directory import`. */
export function shellWord(path: string): string {
  return /^[\w@%+=:,./-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}

/**
 * The start-up warning when the configured file is not the live directory (the database's latest
 * import), or undefined when they are the same or the file is not the one to compare.
 *
 * Compared: a file named by CRM_DIRECTORY, or the example when the live directory came from it. The
 * example is never suggested over a directory imported from another file.
 */
export function directoryDriftWarning(
  configured: { path: string; sha256: string; isExample: boolean },
  live: { path: string; sha256: string; importedAt?: Date },
): string | undefined {
  if (configured.sha256 === live.sha256) return undefined;
  if (configured.isExample && live.path !== configured.path) return undefined;
  const when = live.importedAt ? ` on ${live.importedAt.toISOString().slice(0, 10)}` : '';
  return (
    `directory: ${configured.path} differs from the live directory (the database's, imported from ${live.path}${when}); ` +
    `the bot uses the database's. To use the file: npx crm directory import ${shellWord(configured.path)}`
  );
}
