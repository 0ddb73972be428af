/**
 * Just enough JWT for the local Microsoft stand-ins: RS256 signing keys with a `kid`, their JWKS, and
 * signing/verifying compact tokens with node:crypto. The bot itself never uses this: it validates incoming
 * tokens with the Teams SDK (jsonwebtoken + jwks-rsa) and gets its own through MSAL.
 */
import { generateKeyPairSync, randomUUID, sign, verify, type KeyObject } from 'node:crypto';

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export interface Jwk {
  kty: string;
  use: 'sig';
  kid: string;
  n: string;
  e: string;
  alg: 'RS256';
  /** Bot Framework keys list the channels they may sign for. */
  endorsements?: string[];
}

export function createSigningKey(kid: string = randomUUID()): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid, privateKey, publicKey };
}

export function toJwk(key: SigningKey, endorsements?: string[]): Jwk {
  const jwk = key.publicKey.export({ format: 'jwk' }) as { kty: string; n: string; e: string };
  return { kty: jwk.kty, use: 'sig', kid: key.kid, n: jwk.n, e: jwk.e, alg: 'RS256', ...(endorsements ? { endorsements } : {}) };
}

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

/** A compact RS256 JWS. `header` overrides go last (a test can set another `kid` or `alg`). */
export function signJwt(key: SigningKey, claims: Record<string, unknown>, header: Record<string, unknown> = {}): string {
  const head = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: key.kid, ...header }));
  const body = b64url(JSON.stringify(claims));
  const signature = sign('RSA-SHA256', Buffer.from(`${head}.${body}`), key.privateKey);
  return `${head}.${body}.${b64url(signature)}`;
}

export type VerifyResult = { ok: true; claims: Record<string, unknown> } | { ok: false; reason: string };

/** Verifies signature (RS256, key by `kid`), `exp`/`nbf` (no tolerance) and the expected claims, exactly. */
export function verifyJwt(token: string, keys: readonly SigningKey[], expect: Record<string, unknown>, nowSec = Math.floor(Date.now() / 1000)): VerifyResult {
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, reason: 'malformed' };
  const [h, p, s] = parts as [string, string, string];
  let header: { alg?: unknown; kid?: unknown };
  let claims: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as typeof header;
    claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (header.alg !== 'RS256') return { ok: false, reason: 'algorithm' };
  const key = keys.find((k) => k.kid === header.kid);
  if (!key) return { ok: false, reason: 'unknown key' };
  if (!verify('RSA-SHA256', Buffer.from(`${h}.${p}`), key.publicKey, Buffer.from(s, 'base64url'))) {
    return { ok: false, reason: 'signature' };
  }
  if (typeof claims.exp !== 'number' || claims.exp <= nowSec) return { ok: false, reason: 'expired' };
  if (typeof claims.nbf === 'number' && claims.nbf > nowSec) return { ok: false, reason: 'not yet valid' };
  for (const [name, value] of Object.entries(expect)) {
    if (claims[name] !== value) return { ok: false, reason: `claim ${name}` };
  }
  return { ok: true, claims };
}
