/**
 * The Teams SDK's App, configured only from our TeamsConfig and mounted on our HTTP server.
 *
 * The SDK also reads its settings from the environment when an option is missing (CLIENT_ID,
 * CLIENT_SECRET, TENANT_ID, CLOUD, SERVICE_URL, OAUTH_URL, MANAGED_IDENTITY_CLIENT_ID,
 * DANGEROUSLY_ALLOW_UNAUTHENTICATED_REQUESTS; PORT in App.start). Every one is passed here explicitly, so
 * none of those variables changes what the bot does:
 *   - clientSecret is '' (not undefined, which would fall back to CLIENT_SECRET): with a client id and no
 *     secret the SDK uses the `token` option, our MSAL provider (token-provider.ts), for every token;
 *   - tenantId is the tenant the bot's tokens come from (the bot's, else the cloud's `botframework.com`);
 *   - cloud is the SDK's cloud for TEAMS_CLOUD with our login and OpenID metadata overrides: incoming
 *     requests are validated by the SDK's own ServiceTokenValidator (RS256, issuer = the cloud's
 *     tokenIssuer, audience = the app id, `serviceurl` claim = the activity's serviceUrl, keys from
 *     `openIdMetadataUrl` with `/keys` in place of `/openidconfiguration`, five minutes of clock skew);
 *   - dangerouslyAllowUnauthenticatedRequests is false, always;
 *   - serviceUrl is the proactive base ('' in China, where none is published: App.api is unused there);
 *   - oauth.fetchUserToken is false: the bot has no user sign-in, no token-service call per activity.
 * App.start() is never called; `initialize()` registers `POST /api/messages` on our server.
 */
import { App } from '@microsoft/teams.apps';
import type { HttpServer } from '../../http/server.ts';
import type { Logger } from '../../log.ts';
import type { TeamsConfig } from './config.ts';
import { CrmHttpAdapter } from './http-adapter.ts';
import { TrustedServiceUrls } from './service-urls.ts';
import { sdkLogger } from './sdk-logger.ts';
import { createBotTokenProvider, type BotTokenProvider } from './token-provider.ts';

export const TEAMS_MESSAGING_PATH = '/api/messages';

export interface TeamsAppDeps {
  config: TeamsConfig;
  server: Pick<HttpServer, 'addRoute'>;
  logger: Logger;
  /** Default: a new MSAL provider for `config`. Pass one to share it with the connector client. */
  tokens?: BotTokenProvider;
  /** Default: trusting `config.serviceUrl`. Pass one to share it with the connector client. */
  serviceUrls?: TrustedServiceUrls;
}

export interface TeamsApp {
  app: App;
  tokens: BotTokenProvider;
  /** The service URLs the bot's token may go to: the configured one and those of authenticated activities. */
  serviceUrls: TrustedServiceUrls;
}

export async function createTeamsApp(deps: TeamsAppDeps): Promise<TeamsApp> {
  const { config } = deps;
  const tokens = deps.tokens ?? createBotTokenProvider(config, deps.logger);
  const app = new App({
    clientId: config.appId,
    clientSecret: '',
    tenantId: config.tokenTenant,
    token: tokens.sdkToken,
    cloud: config.cloud,
    serviceUrl: config.serviceUrl ?? '',
    apiClientSettings: { oauthUrl: config.cloud.tokenServiceUrl },
    httpServerAdapter: new CrmHttpAdapter(deps.server),
    messagingEndpoint: TEAMS_MESSAGING_PATH,
    dangerouslyAllowUnauthenticatedRequests: false,
    oauth: { fetchUserToken: false },
    logger: sdkLogger(deps.logger),
  });
  // Runs only for activities whose JWT the SDK validated (serviceurl claim = activity.serviceUrl): the
  // SDK answers 401 before any middleware otherwise. Registered first, so it runs before every listener.
  const serviceUrls = deps.serviceUrls ?? new TrustedServiceUrls([config.serviceUrl]);
  app.use(async ({ activity, next }) => {
    serviceUrls.trustFromAuthenticatedActivity(activity.serviceUrl);
    return next();
  });
  await app.initialize();
  return { app, tokens, serviceUrls };
}
