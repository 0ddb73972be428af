/**
 * Redis for integration tests: the server at REDIS_URL (default redis://127.0.0.1:6379), a unique key
 * prefix per test file/run so files can run in parallel, and a loud connectivity check — Redis being
 * unreachable is a failure, never a reason to skip.
 */
import { randomBytes } from 'node:crypto';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';

export const TEST_REDIS_URL = process.env['REDIS_URL'] || 'redis://127.0.0.1:6379';

/**
 * A namespace unique to this run: `t_<label>_<8 hex>`, a valid Redis prefix and PostgreSQL schema name
 * (letters, digits, `_`; at most 63 characters). `label` may be a test file's `import.meta.url`.
 */
export function uniquePrefix(label: string): string {
  const name = label.startsWith('file:') ? basename(fileURLToPath(label)) : label;
  const slug = name
    .replace(/\.(test|bench)\.ts$/, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 40);
  return `t_${slug}_${randomBytes(4).toString('hex')}`;
}

/** Throws a clear error when Redis does not answer PING within 3 s. */
export async function assertRedisReachable(url: string = TEST_REDIS_URL): Promise<void> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 3_000,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const pong = await client.ping();
    if (pong !== 'PONG') throw new Error(`unexpected PING reply ${JSON.stringify(pong)}`);
  } catch (e) {
    throw new Error(
      `Integration tests need Redis at ${url} and could not reach it: ${(e as Error).message}. ` +
        'Start Redis (or set REDIS_URL); these tests never skip.',
      { cause: e },
    );
  } finally {
    client.disconnect();
  }
}

/** Deletes every key under `${prefix}:` (cleanup after a test file). */
export async function deleteRedisPrefix(prefix: string, url: string = TEST_REDIS_URL): Promise<number> {
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  client.on('error', () => undefined);
  let deleted = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length) deleted += await client.del(...keys);
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
  return deleted;
}

/**
 * Deletes every key under `${prefix}:` in one DEL (atomic in Redis): what a restart without persistence
 * does to a running bot, never a half-deleted store that a concurrent reader could see.
 */
export async function deleteRedisPrefixAtOnce(prefix: string, url: string = TEST_REDIS_URL): Promise<number> {
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  client.on('error', () => undefined);
  try {
    const keys = new Set<string>();
    let cursor = '0';
    do {
      const [next, batch] = await client.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      for (const k of batch) keys.add(k);
    } while (cursor !== '0');
    return keys.size ? await client.del(...keys) : 0;
  } finally {
    client.disconnect();
  }
}
