/**
 * Microsoft Teams configuration (interfaces.md "Microsoft Teams"): zod over the TEAMS_* variables, and the
 * one place that turns `TEAMS_CLOUD` plus the three overrides into endpoints. The lead wires
 * `loadTeamsConfig` into src/config.ts; nothing here reads process.env by itself.
 *
 *   TEAMS_APP_ID, TEAMS_APP_PASSWORD   both or neither (neither: Teams off)
 *   TEAMS_TENANT_ID                    single-tenant bot; unset: multi-tenant (the cloud's `botframework.com`)
 *   TEAMS_CLOUD                        Public | USGov | USGovDoD | China (default Public)
 *   TEAMS_SERVICE_URL                  Bot Connector base for conversations the bot starts
 *   TEAMS_LOGIN_URL                    Entra authority host for the bot's own tokens (HTTPS)
 *   TEAMS_OPENID_METADATA_URL          Bot Framework OpenID metadata; the SDK reads the keys at
 *                                      the same path with `/keys` instead of `/openidconfiguration`
 *
 * Endpoints per cloud are the SDK's own (`@microsoft/teams.api` PUBLIC, US_GOV, US_GOV_DOD, CHINA), so the
 * defaults cannot drift from what its JWT validator and token manager expect. The proactive service URL is
 * not in the SDK's table: Microsoft documents one for Public, GCC High and DoD; none for China (21Vianet),
 * where the bot replies on the `serviceUrl` of the person's stored conversation reference.
 */
import { createRequire } from 'node:module';
import type { CloudEnvironment } from '@microsoft/teams.api';
import { z } from 'zod';

// The SDK (~25 MB) is loaded only when Teams is configured: a bot without TEAMS_APP_ID never requires it.
const require = createRequire(import.meta.url);
const teamsApi = () => require('@microsoft/teams.api') as typeof import('@microsoft/teams.api');

export const TEAMS_CLOUDS = ['Public', 'USGov', 'USGovDoD', 'China'] as const;
export type TeamsCloudName = (typeof TEAMS_CLOUDS)[number];

function sdkCloud(name: TeamsCloudName): CloudEnvironment {
  const { PUBLIC, US_GOV, US_GOV_DOD, CHINA } = teamsApi();
  const clouds: Record<TeamsCloudName, CloudEnvironment> = { Public: PUBLIC, USGov: US_GOV, USGovDoD: US_GOV_DOD, China: CHINA };
  return clouds[name];
}

/** Where a bot starts conversations (proactive messages), per cloud. */
const DEFAULT_SERVICE_URLS: Record<TeamsCloudName, string | undefined> = {
  Public: 'https://smba.trafficmanager.net/teams',
  USGov: 'https://smba.infra.gov.teams.microsoft.us/teams',
  USGovDoD: 'https://smba.infra.dod.teams.microsoft.us/teams',
  China: undefined,
};

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TENANT_DOMAIN = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/i;

/** An empty value (`TEAMS_CLOUD=` in an env file) means unset. */
const blankAsUnset = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : typeof v === 'string' ? v.trim() : v);

const httpsUrl = (what: string) =>
  z
    .string()
    .refine((s) => URL.canParse(s) && new URL(s).protocol === 'https:', `expected an https:// URL (${what})`)
    .refine((s) => !new URL(s).search && !new URL(s).hash, 'must not carry a query or a fragment')
    .transform((s) => s.replace(/\/+$/, ''));

const schema = z.object({
  TEAMS_APP_ID: z.preprocess(
    blankAsUnset,
    z.string().regex(GUID, 'expected the Microsoft Entra application (client) id, a GUID').optional(),
  ),
  TEAMS_APP_PASSWORD: z.preprocess(blankAsUnset, z.string().optional()),
  TEAMS_TENANT_ID: z.preprocess(
    blankAsUnset,
    z
      .string()
      .refine((s) => GUID.test(s) || TENANT_DOMAIN.test(s), 'expected a tenant id (a GUID) or a tenant domain name')
      .optional(),
  ),
  TEAMS_CLOUD: z.preprocess(
    blankAsUnset,
    z.enum(TEAMS_CLOUDS, { message: `expected one of ${TEAMS_CLOUDS.join(', ')}` }).default('Public'),
  ),
  TEAMS_SERVICE_URL: z.preprocess(blankAsUnset, httpsUrl('the Bot Connector base').optional()),
  TEAMS_LOGIN_URL: z.preprocess(
    blankAsUnset,
    httpsUrl('the Entra authority host')
      .refine((s) => new URL(s).pathname === '/', 'expected a bare host such as https://login.microsoftonline.com (the tenant is added)')
      .optional(),
  ),
  TEAMS_OPENID_METADATA_URL: z.preprocess(
    blankAsUnset,
    httpsUrl('the Bot Framework OpenID metadata')
      .refine(
        (s) => s.endsWith('/openidconfiguration'),
        'must end in /openidconfiguration (the SDK reads the signing keys from the same path ending in /keys)',
      )
      .optional(),
  ),
});

export interface TeamsConfig {
  appId: string;
  appPassword: string;
  /** Single-tenant bots; undefined for a multi-tenant bot. */
  tenantId?: string;
  cloudName: TeamsCloudName;
  /** The SDK's cloud with our overrides applied (login endpoint, OpenID metadata). */
  cloud: CloudEnvironment;
  /** The tenant the bot's tokens come from: `tenantId`, else the cloud's `loginTenant`. */
  tokenTenant: string;
  /** Entra authority host, no trailing slash: the authority is `${loginUrl}/${tokenTenant}`. */
  loginUrl: string;
  /** Scope of the bot's own tokens for the Bot Connector (`https://api.botframework.com/.default`). */
  botScope: string;
  /** Issuer of incoming Bot Framework tokens (`https://api.botframework.com`). */
  tokenIssuer: string;
  openIdMetadataUrl: string;
  /** Bot Connector base for conversations the bot starts; undefined (China) when none is published. */
  serviceUrl?: string;
}

export class TeamsConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid Teams configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'TeamsConfigError';
  }
}

/** Parses the TEAMS_* variables: undefined when Teams is off; throws TeamsConfigError naming each bad variable. */
export function loadTeamsConfig(env: NodeJS.ProcessEnv): TeamsConfig | undefined {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new TeamsConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  if (!e.TEAMS_APP_ID && !e.TEAMS_APP_PASSWORD) return undefined;
  const missing: string[] = [];
  if (!e.TEAMS_APP_ID) missing.push('TEAMS_APP_ID: required when TEAMS_APP_PASSWORD is set');
  if (!e.TEAMS_APP_PASSWORD) missing.push('TEAMS_APP_PASSWORD: required when TEAMS_APP_ID is set');
  if (missing.length > 0 || !e.TEAMS_APP_ID || !e.TEAMS_APP_PASSWORD) throw new TeamsConfigError(missing);

  const base = sdkCloud(e.TEAMS_CLOUD);
  const cloud = teamsApi().withOverrides(base, {
    ...(e.TEAMS_LOGIN_URL ? { loginEndpoint: e.TEAMS_LOGIN_URL } : {}),
    ...(e.TEAMS_OPENID_METADATA_URL ? { openIdMetadataUrl: e.TEAMS_OPENID_METADATA_URL } : {}),
  });
  const serviceUrl = e.TEAMS_SERVICE_URL ?? DEFAULT_SERVICE_URLS[e.TEAMS_CLOUD];
  return {
    appId: e.TEAMS_APP_ID,
    appPassword: e.TEAMS_APP_PASSWORD,
    ...(e.TEAMS_TENANT_ID ? { tenantId: e.TEAMS_TENANT_ID } : {}),
    cloudName: e.TEAMS_CLOUD,
    cloud,
    tokenTenant: e.TEAMS_TENANT_ID ?? cloud.loginTenant,
    loginUrl: cloud.loginEndpoint.replace(/\/+$/, ''),
    botScope: cloud.botScope,
    tokenIssuer: cloud.tokenIssuer,
    openIdMetadataUrl: cloud.openIdMetadataUrl,
    ...(serviceUrl ? { serviceUrl } : {}),
  };
}
