/** Answer links: what a token names, that only our untouched tokens verify, expiry, and the secret's source. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { answerKey, LinkSigner, loadLinkSecret, LINK_SECRET_NAME, MAX_TOKEN_LENGTH, type SecretStore } from '../../../../src/adapters/email/links.ts';

const SECRET = 'test-secret-0123456789abcdef0123456789';
const signer = new LinkSigner(SECRET);
const NOW = new Date('2026-12-01T15:00:00Z');
const LATER = new Date('2026-12-31T15:00:00Z');
const HASH = 'a'.repeat(64);
const issue = (over: Partial<Parameters<LinkSigner['issue']>[0]> = {}) =>
  signer.issue({ consultationId: 'c-1', version: HASH, personId: 'luis.mora@example.org', purpose: 'member', expiresAt: LATER, ...over });

describe('LinkSigner', () => {
  it('a token it issued verifies, naming the consultation, version, person, purpose and expiry', () => {
    const check = signer.verify(issue(), NOW);
    expect(check).toEqual({
      ok: true,
      claims: { id: expect.stringMatching(/^[A-Za-z0-9_-]{16}$/), c: 'c-1', t: HASH, p: signer.personRef('luis.mora@example.org'), k: 'member', exp: LATER.getTime() / 1000 },
    });
  });

  it('never carries the e-mail address, in the token or in its decoded payload', () => {
    const token = issue();
    const payload = Buffer.from(token.split('.')[0]!, 'base64url').toString('utf8');
    expect(token).not.toContain('example.org');
    expect(payload).not.toContain('luis');
    expect(payload).not.toContain('@');
    expect(token.length).toBeLessThan(400);
  });

  it('gives every token its own id, and the person a stable reference', () => {
    const a = signer.verify(issue(), NOW);
    const b = signer.verify(issue(), NOW);
    if (!a.ok || !b.ok) throw new Error('not verified');
    expect(a.claims.id).not.toBe(b.claims.id);
    expect(a.claims.p).toBe(b.claims.p);
    expect(signer.personRef('someone.else@example.org')).not.toBe(a.claims.p);
    expect(new LinkSigner(`${SECRET}x`).personRef('luis.mora@example.org')).not.toBe(a.claims.p);
  });

  it('is expired at and after its expiry, and says whose it was', () => {
    const token = issue();
    expect(signer.verify(token, new Date(LATER.getTime() - 1_000)).ok).toBe(true);
    expect(signer.verify(token, LATER)).toMatchObject({ ok: false, code: 'expired', claims: { c: 'c-1' } });
  });

  it('refuses a token signed with another secret, cut short, or with another payload under the old signature', () => {
    const token = issue();
    const [payload, signature] = token.split('.') as [string, string];
    expect(new LinkSigner(`${SECRET}-other`).verify(token, NOW)).toEqual({ ok: false, code: 'tampered' });
    expect(signer.verify(token.slice(0, -1), NOW)).toEqual({ ok: false, code: 'tampered' });
    expect(signer.verify(payload, NOW)).toEqual({ ok: false, code: 'tampered' });
    expect(signer.verify('', NOW)).toEqual({ ok: false, code: 'tampered' });
    // Another person's reference, re-encoded, keeps the old signature: refused.
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, p: signer.personRef('gabriela.chaves@example.org') })).toString('base64url');
    expect(signer.verify(`${forged}.${signature}`, NOW)).toEqual({ ok: false, code: 'tampered' });
    // An expired token pushed forward: refused as tampered, never as expired.
    const old = signer.issue({ consultationId: 'c-1', version: HASH, personId: 'x@example.org', purpose: 'member', expiresAt: NOW });
    const [oldPayload, oldSig] = old.split('.') as [string, string];
    const oldClaims = JSON.parse(Buffer.from(oldPayload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const pushed = Buffer.from(JSON.stringify({ ...oldClaims, exp: 4_102_444_800 })).toString('base64url');
    expect(signer.verify(`${pushed}.${oldSig}`, NOW)).toEqual({ ok: false, code: 'tampered' });
    expect(signer.verify('a'.repeat(MAX_TOKEN_LENGTH + 1), NOW)).toEqual({ ok: false, code: 'tampered' });
  });

  it('any change of one character makes a token fail (property)', () => {
    const token = issue();
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.';
    fc.assert(
      fc.property(fc.nat({ max: token.length - 1 }), fc.constantFrom(...alphabet), (at, c) => {
        const changed = token.slice(0, at) + c + token.slice(at + 1);
        fc.pre(changed !== token);
        // Including the last character, whose 2 spare bits would decode alike: only the canonical spelling counts.
        expect(signer.verify(changed, NOW)).toEqual({ ok: false, code: 'tampered' });
      }),
      { numRuns: 300 },
    );
  });

  it('refuses a secret shorter than 32 bytes', () => {
    expect(() => new LinkSigner('short')).toThrow(RangeError);
  });

  it('keys one answer through one link', () => {
    expect(answerKey({ id: 'abc' }, 'position_support')).toBe('email:abc:position_support');
  });
});

describe('loadLinkSecret', () => {
  class Store implements SecretStore {
    readonly values = new Map<string, string>();
    async getOrCreate(name: string, value: string) {
      if (!this.values.has(name)) this.values.set(name, value);
      return this.values.get(name)!;
    }
  }
  it('uses CRM_LINK_SECRET when set, and stores nothing', async () => {
    const store = new Store();
    expect(await loadLinkSecret(SECRET, store)).toEqual({ secret: SECRET, source: 'CRM_LINK_SECRET' });
    expect(store.values.size).toBe(0);
  });
  it('otherwise generates one once and keeps it', async () => {
    const store = new Store();
    const first = await loadLinkSecret(undefined, store);
    const second = await loadLinkSecret(undefined, store);
    expect(first.source).toBe('database');
    expect(first.secret).toHaveLength(43);
    expect(second.secret).toBe(first.secret);
    expect([...store.values.keys()]).toEqual([LINK_SECRET_NAME]);
  });
});

describe('meeting links (purpose meeting)', () => {
  const mac = (payload: string) => {
    // Sign a payload as the signer would (same context string), to test what the claims schema accepts.
    const signed = new LinkSigner(SECRET) as unknown as { mac(p: string): Buffer };
    return `${payload}.${signed.mac(payload).toString('base64url')}`;
  };
  const encode = (claims: object) => Buffer.from(JSON.stringify(claims)).toString('base64url');

  it('names one person, one meeting and one segment, and no text version', () => {
    const token = signer.issueMeeting({ meetingId: 'm-1', segment: 'plenary', personId: 'carolina.quesada@example.org', expiresAt: LATER });
    expect(signer.verify(token, NOW)).toEqual({
      ok: true,
      claims: { id: expect.stringMatching(/^[A-Za-z0-9_-]{16}$/), c: 'm-1', s: 'plenary', p: signer.personRef('carolina.quesada@example.org'), k: 'meeting', exp: LATER.getTime() / 1000 },
    });
    expect(signer.verify(token, new Date(LATER.getTime() + 1000))).toMatchObject({ ok: false, code: 'expired' });
  });

  it('claims that mix the two kinds, or name an unknown segment, are not ours even when signed', () => {
    const base = { id: 'AAAAAAAAAAAAAAAA', c: 'x', p: signer.personRef('a@example.org'), exp: LATER.getTime() / 1000 };
    for (const claims of [
      { ...base, k: 'meeting', s: 'plenary', t: HASH },
      { ...base, k: 'member', t: HASH, s: 'plenary' },
      { ...base, k: 'meeting', s: 'backstage' },
      { ...base, k: 'meeting' },
      { ...base, k: 'troika' },
    ]) {
      expect(signer.verify(mac(encode(claims)), NOW)).toEqual({ ok: false, code: 'tampered' });
    }
    expect(signer.verify(mac(encode({ ...base, k: 'meeting', s: 'closed_door' })), NOW)).toMatchObject({ ok: true });
  });
});
