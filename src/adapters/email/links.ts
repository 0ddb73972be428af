/**
 * Answer links: signed, expiring tokens for `GET|POST /answer/<token>` (interfaces.md "E-mail").
 *
 * A token names one person, one consultation, the text version the e-mail showed, what it answers (the
 * Troika request or the Member Countries' request) and when it expires; or, for a meeting invitation, one
 * person, one meeting and the segment (purpose `meeting`):
 *
 *   <payload>.<signature>     payload   = base64url(JSON claims)
 *                             signature = base64url(HMAC-SHA256(secret, "crm-answer-link/1." + payload))
 *
 * - The person is named by `p`, a keyed hash of their person id (never the e-mail address itself: a URL
 *   ends up in mail logs, proxies and browser histories). The page finds them among the consultation's
 *   frozen participants (answerers are always frozen focal points).
 * - Verification recomputes the HMAC and compares in constant time (`timingSafeEqual`), before anything in
 *   the payload is read; the claims are then parsed with zod. A signature that does not match is
 *   `tampered`, whatever the payload says; only a genuine token can be `expired`.
 * - "Once per answer": the token's `id` with the answer is the flows' idempotency key (`answerKey`), so a
 *   replayed POST records nothing new; the close is checked by the page and by the domain.
 *
 * The secret: `CRM_LINK_SECRET` when set, else a random one generated once and kept in the database
 * (table `app_secrets`, see `loadLinkSecret`), so links survive restarts and work on every replica.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { SEGMENTS, type Segment } from '../../domain/meetings/index.ts';

/**
 * What a link answers: the Troika request (approve, changes, object), a member request (positions), or a
 * meeting invitation (attend, decline: `c` is then the meeting id and `s` the segment, no text version).
 */
export type LinkPurpose = 'troika' | 'member' | 'meeting';

interface ClaimsBase {
  /** Token id: random, 96 bits. */
  id: string;
  /** Consultation id, or meeting id (`k: meeting`). */
  c: string;
  /** Keyed hash of the person id (`LinkSigner.personRef`). */
  p: string;
  /** Expiry, epoch seconds. */
  exp: number;
}

export interface ConsultationLinkClaims extends ClaimsBase {
  k: 'troika' | 'member';
  /** Text version hash the e-mail showed. */
  t: string;
}

export interface MeetingLinkClaims extends ClaimsBase {
  k: 'meeting';
  /** The segment the invitation is for. */
  s: Segment;
}

export type LinkClaims = ConsultationLinkClaims | MeetingLinkClaims;

const base = {
  id: z.string().regex(/^[A-Za-z0-9_-]{16}$/),
  c: z.string().min(1).max(100),
  p: z.string().regex(/^[A-Za-z0-9_-]{22}$/),
  exp: z.number().int().positive(),
};
const Claims = z.union([
  z.strictObject({ ...base, k: z.enum(['troika', 'member']), t: z.string().regex(/^[0-9a-f]{16,128}$/) }),
  z.strictObject({ ...base, k: z.literal('meeting'), s: z.enum(SEGMENTS) }),
]);

export type LinkCheck =
  | { ok: true; claims: LinkClaims }
  /** `tampered`: not a token we signed (cut short, edited, signed with another secret). */
  | { ok: false; code: 'tampered' }
  /** A token we signed, past its expiry: the claims say whose it was (to answer in their language). */
  | { ok: false; code: 'expired'; claims: LinkClaims };

/** Longest token we even look at; ours are about 260 characters. */
export const MAX_TOKEN_LENGTH = 1_024;
/** Minimum length of CRM_LINK_SECRET. */
export const MIN_SECRET_LENGTH = 32;

const CONTEXT = 'crm-answer-link/1.';
const b64 = (b: Buffer): string => b.toString('base64url');

export class LinkSigner {
  private readonly key: Buffer;

  constructor(secret: string | Buffer) {
    this.key = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : Buffer.from(secret);
    if (this.key.length < MIN_SECRET_LENGTH) throw new RangeError(`the link secret must have at least ${MIN_SECRET_LENGTH} bytes`);
  }

  /** The person as a link names them: 128 bits of HMAC over the person id (stable, not reversible). */
  personRef(personId: string): string {
    return b64(createHmac('sha256', this.key).update(`crm-person/1.${personId}`).digest().subarray(0, 16));
  }

  issue(i: { consultationId: string; version: string; personId: string; purpose: 'troika' | 'member'; expiresAt: Date }): string {
    return this.sign({
      id: b64(randomBytes(12)),
      c: i.consultationId,
      t: i.version,
      p: this.personRef(i.personId),
      k: i.purpose,
      exp: Math.floor(i.expiresAt.getTime() / 1000),
    });
  }

  /** A link that answers one meeting invitation (one person, one meeting, one segment). */
  issueMeeting(i: { meetingId: string; segment: Segment; personId: string; expiresAt: Date }): string {
    return this.sign({
      id: b64(randomBytes(12)),
      c: i.meetingId,
      s: i.segment,
      p: this.personRef(i.personId),
      k: 'meeting',
      exp: Math.floor(i.expiresAt.getTime() / 1000),
    });
  }

  private sign(claims: LinkClaims): string {
    const payload = b64(Buffer.from(JSON.stringify(claims), 'utf8'));
    return `${payload}.${b64(this.mac(payload))}`;
  }

  verify(token: string, now: Date): LinkCheck {
    if (token.length > MAX_TOKEN_LENGTH) return { ok: false, code: 'tampered' };
    const m = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{43})$/.exec(token);
    if (!m) return { ok: false, code: 'tampered' };
    const [, payload, signature] = m as unknown as [string, string, string];
    const given = Buffer.from(signature, 'base64url');
    // Canonical form only: the last character of 43 carries 2 spare bits, so 4 spellings decode alike.
    if (b64(given) !== signature) return { ok: false, code: 'tampered' };
    const expected = this.mac(payload);
    // Both 32 bytes (the pattern fixes the length); timingSafeEqual throws on unequal lengths anyway.
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, code: 'tampered' };
    let json: unknown;
    try {
      json = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      return { ok: false, code: 'tampered' };
    }
    const parsed = Claims.safeParse(json);
    if (!parsed.success) return { ok: false, code: 'tampered' };
    const claims: LinkClaims = parsed.data;
    if (claims.exp * 1000 <= now.getTime()) return { ok: false, code: 'expired', claims };
    return { ok: true, claims };
  }

  private mac(payload: string): Buffer {
    return createHmac('sha256', this.key).update(CONTEXT + payload).digest();
  }
}

/** The flows' idempotency key of one answer through one link: the same POST again records nothing new. */
export const answerKey = (claims: Pick<LinkClaims, 'id'>, choice: string): string => `email:${claims.id}:${choice}`;

/** Where the generated secret is kept (what `loadLinkSecret` needs of the database). */
export interface SecretStore {
  /** Inserts `value` under `name` unless a value is there already; returns the value stored. */
  getOrCreate(name: string, value: string): Promise<string>;
}

export const LINK_SECRET_NAME = 'answer_link_secret';

/**
 * The secret links are signed with: `configured` (CRM_LINK_SECRET) when given, else the one stored in
 * the database, generated (32 random bytes) by the first process that needs it. Two processes starting
 * at once agree: the insert keeps the first value and both read it back.
 */
export async function loadLinkSecret(configured: string | undefined, store: SecretStore): Promise<{ secret: string; source: 'CRM_LINK_SECRET' | 'database' }> {
  if (configured !== undefined) return { secret: configured, source: 'CRM_LINK_SECRET' };
  const secret = await store.getOrCreate(LINK_SECRET_NAME, randomBytes(32).toString('base64url'));
  return { secret, source: 'database' };
}
