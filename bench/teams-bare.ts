/**
 * The floor of `npm run bench -- teams`: a bare Teams SDK app (`@microsoft/teams.apps` 2.0.16 on its own
 * HTTP server, `App.start`) that only answers an `adaptiveCard/action` invoke with a short message. The
 * same JWT validation as the bot: the cloud of TEAMS_* (the local Bot Framework key set), the app id as
 * audience, unauthenticated requests refused. It sends nothing, so its token option is never asked.
 * Prints `bare teams listening on <port>` (BARE_PORT).
 */
import { App } from '@microsoft/teams.apps';
import { loadTeamsConfig } from '../src/adapters/teams/config.ts';
import { sdkLogger } from '../src/adapters/teams/sdk-logger.ts';
import { createLogger } from '../src/log.ts';

const config = loadTeamsConfig(process.env);
if (!config) throw new Error('teams-bare: TEAMS_APP_ID and TEAMS_APP_PASSWORD are required');
const port = Number(process.env['BARE_PORT']);
const app = new App({
  clientId: config.appId,
  clientSecret: '',
  tenantId: config.tokenTenant,
  token: async () => 'the-bare-app-sends-nothing',
  cloud: config.cloud,
  serviceUrl: config.serviceUrl ?? '',
  dangerouslyAllowUnauthenticatedRequests: false,
  oauth: { fetchUserToken: false },
  logger: sdkLogger(createLogger('error')),
});
app.on('card.action', async () => ({ statusCode: 200, type: 'application/vnd.microsoft.activity.message' as const, value: 'ok' }));
await app.start(port);
process.stdout.write(`bare teams listening on ${port}\n`);
process.on('SIGTERM', () => void app.stop().then(() => process.exit(0)));
