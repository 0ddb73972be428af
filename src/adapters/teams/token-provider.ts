/**
 * The bot's own tokens for the Bot Connector: client credentials through @azure/msal-node, against
 * `${loginUrl}/${tenant}` (TEAMS_LOGIN_URL, default the cloud's Entra host).
 *
 * Why not the SDK's TokenManager: it builds its ConfidentialClientApplication without `knownAuthorities`,
 * so MSAL runs instance discovery against login.microsoftonline.com for any other authority host and fails
 * (a sovereign-cloud proxy, the local identity provider in the tests). Here the authority host is always a
 * known authority: MSAL trusts it, skips instance discovery and reads
 * `${authority}/v2.0/.well-known/openid-configuration` from it directly. The same provider is handed to
 * the SDK's App (`token` option) and to our connector client, so there is one token cache per process.
 *
 * MSAL caches the token in memory and renews it five minutes before it expires; concurrent calls share one
 * request per tenant and scope. The secret never reaches a log (MSAL's PII logging is off; its log lines go
 * to ours at debug, warnings and errors at their level).
 */
import { ConfidentialClientApplication, LogLevel } from '@azure/msal-node';
import type { Logger } from '../../log.ts';
import type { TeamsConfig } from './config.ts';

export interface BotTokenProvider {
  /** A bearer token for `scope` (default the cloud's Bot Framework scope) in `tenant` (default the bot's). */
  getToken(scope?: string, tenant?: string): Promise<string>;
  /** The SDK's `token` option: `(scope, tenantId) => token`. */
  readonly sdkToken: (scope: string | string[], tenantId?: string) => Promise<string>;
}

export class BotTokenError extends Error {
  constructor(
    message: string,
    /** MSAL's error code (`invalid_client`, `endpoints_resolution_error`, …), for the logs. */
    readonly code: string,
  ) {
    super(message);
    this.name = 'BotTokenError';
  }
}

type TokenConfig = Pick<TeamsConfig, 'appId' | 'appPassword' | 'loginUrl' | 'tokenTenant' | 'botScope'>;

export function createBotTokenProvider(config: TokenConfig, logger?: Logger): BotTokenProvider {
  const log = logger?.child({ component: 'teams-token' });
  const host = new URL(config.loginUrl).host;
  const clients = new Map<string, ConfidentialClientApplication>();

  const clientFor = (tenant: string): ConfidentialClientApplication => {
    let client = clients.get(tenant);
    if (!client) {
      client = new ConfidentialClientApplication({
        auth: {
          clientId: config.appId,
          clientSecret: config.appPassword,
          authority: `${config.loginUrl}/${encodeURIComponent(tenant)}`,
          knownAuthorities: [host],
        },
        system: {
          loggerOptions: {
            piiLoggingEnabled: false,
            logLevel: LogLevel.Warning,
            loggerCallback: (level, message) => {
              if (!log || message.endsWith('Warning - No client info in response')) return;
              if (level === LogLevel.Error) log.error({ msal: message }, 'msal');
              else if (level === LogLevel.Warning) log.warn({ msal: message }, 'msal');
              else log.debug({ msal: message }, 'msal');
            },
          },
        },
      });
      clients.set(tenant, client);
    }
    return client;
  };

  async function getToken(scope: string = config.botScope, tenant: string = config.tokenTenant): Promise<string> {
    try {
      const result = await clientFor(tenant).acquireTokenByClientCredential({ scopes: [scope] });
      if (!result?.accessToken) throw new BotTokenError('the identity provider returned no token', 'no_token');
      return result.accessToken;
    } catch (err) {
      if (err instanceof BotTokenError) throw err;
      const code = (err as { errorCode?: unknown }).errorCode;
      const text = typeof code === 'string' ? code : 'token_request_failed';
      throw new BotTokenError(`could not get the bot's token from ${host} (${text})`, text);
    }
  }

  return {
    getToken,
    sdkToken: (scope, tenantId) => getToken(Array.isArray(scope) ? scope[0] : scope, tenantId ?? config.tokenTenant),
  };
}
