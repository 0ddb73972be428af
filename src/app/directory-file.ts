import { createHash } from 'node:crypto';

/** SHA-256 (hex) of a directory file's bytes: the identity of an import. */
export function directoryHash(bytes: string | Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
