/**
 * A local stand-in for the Bot Framework's signing side: the OpenID metadata and key set that sign the
 * requests Teams sends to the bot's `POST /api/messages`, served over HTTPS, and a signer for such tokens.
 *
 *   const bf = await startLocalBotFramework({ tls });     // bf.openIdMetadataUrl → TEAMS_OPENID_METADATA_URL
 *   const auth = `Bearer ${bf.tokenFor({ appId, serviceUrl })}`;
 *   bf.tokenFor({ appId, serviceUrl, claims: { aud: 'someone-else' } })        // wrong audience
 *   bf.tokenFor({ appId, serviceUrl, expiresInSec: -3600 })                     // long expired
 *   bf.forge({ appId, serviceUrl })                       // same kid, signed with a key nobody published
 *
 * Paths are Microsoft's (`/v1/.well-known/openidconfiguration` and `/v1/.well-known/keys`): the Teams SDK
 * does not read `jwks_uri` from the metadata, it derives the keys URL by replacing `/openidconfiguration`
 * with `/keys`, so both must sit side by side. Tokens carry what the real ones do: `iss`
 * https://api.botframework.com, `aud` the bot's app id, `serviceurl`, `nbf`, `exp` (five minutes).
 */
import { createSigningKey, signJwt, toJwk, type SigningKey } from './jwt.ts';
import { serve, type ServeTls } from './serve.ts';

export const BOT_FRAMEWORK_ISSUER = 'https://api.botframework.com';

export interface TokenRequest {
  appId: string;
  serviceUrl: string;
  /** Claims to add or override (`aud`, `iss`, `serviceurl`, …). */
  claims?: Record<string, unknown>;
  /** Default 300 s; negative for a token that expired that long ago. */
  expiresInSec?: number;
}

export interface LocalBotFramework {
  url: string;
  openIdMetadataUrl: string;
  keysUrl: string;
  key: SigningKey;
  /** How many times the key set was fetched (the SDK caches it). */
  keyFetches: number;
  tokenFor(req: TokenRequest): string;
  /** A token signed by an unpublished key that claims the published key's id. */
  forge(req: TokenRequest): string;
  close(): Promise<void>;
}

export async function startLocalBotFramework(opts: { tls: ServeTls }): Promise<LocalBotFramework> {
  const key = createSigningKey();
  const impostor = createSigningKey(key.kid);
  let keyFetches = 0;
  let origin = '';
  const served = await serve(opts.tls, (req) => {
    if (req.method !== 'GET') return { status: 405, body: { error: 'method_not_allowed' } };
    if (req.url.pathname === '/v1/.well-known/openidconfiguration') {
      return {
        status: 200,
        body: {
          issuer: BOT_FRAMEWORK_ISSUER,
          authorization_endpoint: 'https://invalid.botframework.com',
          jwks_uri: `${origin}/v1/.well-known/keys`,
          id_token_signing_alg_values_supported: ['RS256'],
          token_endpoint_auth_methods_supported: ['private_key_jwt'],
        },
      };
    }
    if (req.url.pathname === '/v1/.well-known/keys') {
      keyFetches += 1;
      return { status: 200, body: { keys: [toJwk(key, ['msteams'])] } };
    }
    return { status: 404, body: { error: 'not_found' } };
  });
  origin = served.origin;

  const claimsFor = (r: TokenRequest) => {
    const now = Math.floor(Date.now() / 1000);
    const exp = now + (r.expiresInSec ?? 300);
    return {
      serviceurl: r.serviceUrl,
      nbf: Math.min(now, exp) - 60,
      exp,
      iss: BOT_FRAMEWORK_ISSUER,
      aud: r.appId,
      ...r.claims,
    };
  };

  return {
    url: origin,
    openIdMetadataUrl: `${origin}/v1/.well-known/openidconfiguration`,
    keysUrl: `${origin}/v1/.well-known/keys`,
    key,
    get keyFetches() {
      return keyFetches;
    },
    tokenFor: (r) => signJwt(key, claimsFor(r)),
    forge: (r) => signJwt(impostor, claimsFor(r)),
    close: served.close,
  };
}
