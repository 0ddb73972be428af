/**
 * Just enough of the tar format (POSIX ustar) to read and filter the archive PGlite's `dumpDataDir`
 * writes: 512-byte headers, regular files ('0' or NUL) and directories ('5'), sizes in octal (or base-256),
 * data padded to 512 bytes, two zero blocks at the end. Anything else (links, pax or GNU long-name
 * headers, a truncated archive) is refused: a backup never holds them, so it is not one of ours.
 */

const BLOCK = 512;

export interface TarEntry {
  /** As stored, e.g. `/PG_VERSION`, `/base/1/112`. */
  name: string;
  type: 'file' | 'directory';
  /** The whole header and data blocks, to write back unchanged. */
  raw: Buffer;
  data: Buffer;
}

export class TarFormatError extends Error {
  override name = 'TarFormatError';
}

function text(b: Buffer, start: number, length: number): string {
  const field = b.subarray(start, start + length);
  const end = field.indexOf(0);
  return field.subarray(0, end < 0 ? length : end).toString('utf8');
}

function size(header: Buffer): number {
  const field = header.subarray(124, 136);
  if (field[0]! & 0x80) {
    // base-256: the remaining bytes, big-endian
    let n = 0;
    for (let i = 1; i < field.length; i++) n = n * 256 + field[i]!;
    return n;
  }
  const s = text(header, 124, 12).trim();
  if (!/^[0-7]*$/.test(s)) throw new TarFormatError('a header has an unreadable size');
  return s ? parseInt(s, 8) : 0;
}

function checksumOk(header: Buffer): boolean {
  const stored = text(header, 148, 8).trim();
  if (!/^[0-7]+$/.test(stored)) return false;
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : header[i]!;
  return sum === parseInt(stored, 8);
}

/** Every entry of an uncompressed tar archive, in order. Throws TarFormatError when it is not one. */
export function readTar(archive: Buffer): TarEntry[] {
  const entries: TarEntry[] = [];
  let at = 0;
  for (;;) {
    if (at + BLOCK > archive.length) throw new TarFormatError('the archive ends without its end marker');
    const header = archive.subarray(at, at + BLOCK);
    if (header.every((b) => b === 0)) return entries;
    if (!checksumOk(header)) throw new TarFormatError(`bad header checksum at byte ${at}`);
    const flag = String.fromCharCode(header[156]!);
    const type = flag === '0' || flag === '\0' ? 'file' : flag === '5' ? 'directory' : undefined;
    if (!type) throw new TarFormatError(`unexpected entry type "${flag}" at byte ${at}`);
    const prefix = text(header, 257, 6).startsWith('ustar') ? text(header, 345, 155) : '';
    const name = prefix ? `${prefix}/${text(header, 0, 100)}` : text(header, 0, 100);
    const length = size(header);
    const padded = Math.ceil(length / BLOCK) * BLOCK;
    const end = at + BLOCK + padded;
    if (end > archive.length) throw new TarFormatError(`"${name}" is cut short`);
    entries.push({ name, type, raw: archive.subarray(at, end), data: archive.subarray(at + BLOCK, at + BLOCK + length) });
    at = end;
  }
}

/** An archive of `entries` (their raw blocks, unchanged) with the end marker. */
export function writeTar(entries: readonly TarEntry[]): Buffer {
  return Buffer.concat([...entries.map((e) => e.raw), Buffer.alloc(2 * BLOCK)]);
}
