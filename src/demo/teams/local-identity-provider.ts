/**
 * A local stand-in for Microsoft Entra ID, over HTTPS, for the bot's own tokens (client credentials), so
 * the real @azure/msal-node ConfidentialClientApplication talks to it through `TEAMS_LOGIN_URL`.
 *
 *   const idp = await startLocalIdentityProvider({ tls });            // idp.url → TEAMS_LOGIN_URL
 *   idp.addClient({ clientId: APP_ID, secret: 'pw', tenant: TENANT });
 *   idp.verifyBotToken(bearer, APP_ID)                                 // what the fake connector checks
 *   idp.issued                                                         // every token handed out
 *
 * Endpoints, as Entra's (what MSAL uses with `knownAuthorities`, where it skips instance discovery):
 *   GET  /{tenant}/v2.0/.well-known/openid-configuration
 *   POST /{tenant}/oauth2/v2.0/token       grant_type=client_credentials, client_id, client_secret, scope
 *   GET  /{tenant}/discovery/v2.0/keys
 * A wrong secret gets `invalid_client` (AADSTS7000215), an unknown tenant `invalid_request`, a scope other
 * than `<resource>/.default` `invalid_scope`. Tokens are RS256, `aud` = the resource (the scope without
 * `/.default`), `appid`/`azp` = the client, `tid` = the tenant, one hour.
 */
import { createSigningKey, signJwt, toJwk, verifyJwt, type SigningKey, type VerifyResult } from './jwt.ts';
import { bearer, serve, type Answer, type Incoming, type ServeTls } from './serve.ts';

export interface IdpClient {
  clientId: string;
  secret: string;
  /** Tenant id or name the client may ask tokens of (`botframework.com` for a multi-tenant bot). */
  tenant: string;
}

export interface IssuedToken {
  clientId: string;
  tenant: string;
  scope: string;
  at: Date;
}

export interface LocalIdentityProvider {
  /** The authority host, for TEAMS_LOGIN_URL (no trailing slash). */
  url: string;
  key: SigningKey;
  issued: IssuedToken[];
  /** Token requests refused (wrong secret, tenant, scope), with the error code given. */
  refused: { clientId: string; error: string }[];
  addClient(client: IdpClient): void;
  issuerFor(tenant: string): string;
  /** Checks a bearer token: signed by this IdP, unexpired, for the Bot Framework, issued to `appId`. */
  verifyBotToken(token: string | undefined, appId: string, resource?: string): VerifyResult;
  close(): Promise<void>;
}

export const BOT_FRAMEWORK_RESOURCE = 'https://api.botframework.com';

export async function startLocalIdentityProvider(opts: { tls: ServeTls; tokenLifetimeSec?: number }): Promise<LocalIdentityProvider> {
  const key = createSigningKey();
  const clients: IdpClient[] = [];
  const issued: IssuedToken[] = [];
  const refused: { clientId: string; error: string }[] = [];
  const lifetime = opts.tokenLifetimeSec ?? 3600;
  let origin = '';

  const issuerFor = (tenant: string) => `${origin}/${tenant}/v2.0`;
  const knownTenant = (tenant: string) => clients.some((c) => c.tenant === tenant);

  const oauthError = (clientId: string, status: number, error: string, description: string): Answer => {
    refused.push({ clientId, error });
    return { status, body: { error, error_description: description, error_codes: [], timestamp: new Date().toISOString() } };
  };

  function token(tenant: string, req: Incoming): Answer {
    const form = new URLSearchParams(req.body.toString('utf8'));
    const clientId = form.get('client_id') ?? '';
    if (form.get('grant_type') !== 'client_credentials') {
      return oauthError(clientId, 400, 'unsupported_grant_type', 'AADSTS70003: only client_credentials here.');
    }
    const client = clients.find((c) => c.clientId === clientId && c.tenant === tenant);
    if (!client || form.get('client_secret') !== client.secret) {
      return oauthError(clientId, 401, 'invalid_client', 'AADSTS7000215: Invalid client secret provided.');
    }
    const scope = form.get('scope') ?? '';
    const resource = scope.split(' ').find((s) => s.endsWith('/.default'))?.replace(/\/\.default$/, '');
    if (!resource) return oauthError(clientId, 400, 'invalid_scope', 'AADSTS1002012: expected <resource>/.default.');
    const now = Math.floor(Date.now() / 1000);
    const access = signJwt(key, {
      aud: resource,
      iss: issuerFor(tenant),
      iat: now,
      nbf: now - 1,
      exp: now + lifetime,
      appid: clientId,
      azp: clientId,
      tid: tenant,
      ver: '2.0',
    });
    issued.push({ clientId, tenant, scope, at: new Date() });
    return { status: 200, body: { token_type: 'Bearer', expires_in: lifetime, ext_expires_in: lifetime, access_token: access } };
  }

  const served = await serve(opts.tls, (req) => {
    const m = /^\/([^/]+)\/(v2\.0\/\.well-known\/openid-configuration|oauth2\/v2\.0\/token|discovery\/v2\.0\/keys)$/.exec(req.url.pathname);
    if (!m) return { status: 404, body: { error: 'not_found' } };
    const tenant = decodeURIComponent(m[1] ?? '');
    if (!knownTenant(tenant)) {
      return oauthError('', 400, 'invalid_request', `AADSTS90002: Tenant '${tenant}' not found.`);
    }
    const base = `${origin}/${tenant}`;
    switch (m[2]) {
      case 'v2.0/.well-known/openid-configuration':
        return {
          status: 200,
          body: {
            issuer: issuerFor(tenant),
            authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
            token_endpoint: `${base}/oauth2/v2.0/token`,
            jwks_uri: `${base}/discovery/v2.0/keys`,
            end_session_endpoint: `${base}/oauth2/v2.0/logout`,
            response_types_supported: ['code', 'id_token', 'token'],
            subject_types_supported: ['pairwise'],
            id_token_signing_alg_values_supported: ['RS256'],
            token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
            tenant_region_scope: 'NA',
          },
        };
      case 'discovery/v2.0/keys':
        return { status: 200, body: { keys: [toJwk(key)] } };
      default:
        return req.method === 'POST' ? token(tenant, req) : { status: 405, body: { error: 'method_not_allowed' } };
    }
  });
  origin = served.origin;

  return {
    url: origin,
    key,
    issued,
    refused,
    addClient: (c) => void clients.push(c),
    issuerFor,
    verifyBotToken(tokenText, appId, resource = BOT_FRAMEWORK_RESOURCE) {
      if (!tokenText) return { ok: false, reason: 'no token' };
      const result = verifyJwt(tokenText, [key], { aud: resource, appid: appId });
      if (!result.ok) return result;
      const tid = result.claims.tid;
      return typeof tid === 'string' && result.claims.iss === issuerFor(tid) ? result : { ok: false, reason: 'claim iss' };
    },
    close: served.close,
  };
}

export { bearer };
