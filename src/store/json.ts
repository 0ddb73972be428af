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
