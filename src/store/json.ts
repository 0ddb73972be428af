import { Prisma } from '../generated/prisma/client.ts';

/**
 * Prisma's input type for a JSON column, from a value the caller promises is JSON-serialisable
 * (plain objects, arrays, strings, numbers, booleans, null; Dates become ISO strings). A top-level
 * null is stored as JSON `null`.
 */
export function toJson(value: unknown): Prisma.InputJsonValue | typeof Prisma.JsonNull {
  if (value === undefined) throw new TypeError('undefined is not a JSON value');
  if (value === null) return Prisma.JsonNull;
  return value as Prisma.InputJsonValue;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * A JSON value as a JSON column can hold it: PostgreSQL's jsonb refuses NUL characters and UTF-16
 * surrogates without their pair, in keys as in strings. NULs are dropped and lone surrogates become U+FFFD,
 * exactly as the domain's `storableText` treats a person's text, so a value read back leads to the same
 * decisions as the one received. Keys are copied as own properties (a `__proto__` key stays data).
 */
export function storableJson(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(/\u0000/g, '').replace(LONE_SURROGATE, '\uFFFD');
  if (Array.isArray(value)) return value.map(storableJson);
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined) continue;
      Object.defineProperty(out, storableJson(k) as string, { value: storableJson(v), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return value;
}

/**
 * `JSON.stringify(storableJson(value))`, without copying the value when it needs no change (nearly always):
 * JSON.stringify writes a NUL as `\u0000` and a lone surrogate as `\udXXX`, so text without either escape
 * is already storable. Text that has one (or a literal backslash before such letters) takes the slow path.
 */
export function storableJsonText(value: unknown): string {
  const text = JSON.stringify(value);
  if (text === undefined) throw new TypeError('not a JSON value');
  return /\\u(?:0000|d[89a-f])/i.test(text) ? JSON.stringify(storableJson(value)) : text;
}
