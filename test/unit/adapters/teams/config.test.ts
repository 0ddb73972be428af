/**
 * adapters/teams/config.ts against interfaces.md "Microsoft Teams": off when unset, each cloud's
 * endpoints (the SDK's own), the three overrides, and a clear message naming the variable when a value is
 * wrong.
 */
import { CHINA, PUBLIC, US_GOV, US_GOV_DOD } from '@microsoft/teams.api';
import { describe, expect, it } from 'vitest';
import { loadTeamsConfig, TeamsConfigError } from '../../../../src/adapters/teams/config.ts';

const APP = { TEAMS_APP_ID: '00000000-0000-4000-8000-00000000b07a', TEAMS_APP_PASSWORD: 'secret' };
const TENANT = '11111111-1111-4111-8111-111111111111';

function problems(env: NodeJS.ProcessEnv): string[] {
  try {
    loadTeamsConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(TeamsConfigError);
    return (e as TeamsConfigError).problems;
  }
  return [];
}

describe('loadTeamsConfig', () => {
  it('Teams is off when neither the app id nor the password is set (blank counts as unset)', () => {
    expect(loadTeamsConfig({})).toBeUndefined();
    expect(loadTeamsConfig({ TEAMS_APP_ID: '', TEAMS_APP_PASSWORD: '  ', TEAMS_CLOUD: '' })).toBeUndefined();
  });

  it('defaults: Public cloud, multi-tenant, Microsoft endpoints', () => {
    expect(loadTeamsConfig(APP)).toEqual({
      appId: APP.TEAMS_APP_ID,
      appPassword: 'secret',
      cloudName: 'Public',
      cloud: PUBLIC,
      tokenTenant: 'botframework.com',
      loginUrl: 'https://login.microsoftonline.com',
      botScope: 'https://api.botframework.com/.default',
      tokenIssuer: 'https://api.botframework.com',
      openIdMetadataUrl: 'https://login.botframework.com/v1/.well-known/openidconfiguration',
      serviceUrl: 'https://smba.trafficmanager.net/teams',
    });
  });

  it.each([
    ['Public', PUBLIC, 'https://smba.trafficmanager.net/teams'],
    ['USGov', US_GOV, 'https://smba.infra.gov.teams.microsoft.us/teams'],
    ['USGovDoD', US_GOV_DOD, 'https://smba.infra.dod.teams.microsoft.us/teams'],
    ['China', CHINA, undefined],
  ] as const)('TEAMS_CLOUD=%s maps to the SDK cloud and its service URL', (name, sdk, serviceUrl) => {
    const c = loadTeamsConfig({ ...APP, TEAMS_CLOUD: name, TEAMS_TENANT_ID: TENANT });
    expect(c?.cloud).toEqual(sdk);
    expect(c?.loginUrl).toBe(sdk.loginEndpoint);
    expect(c?.botScope).toBe(sdk.botScope);
    expect(c?.tokenIssuer).toBe(sdk.tokenIssuer);
    expect(c?.openIdMetadataUrl).toBe(sdk.openIdMetadataUrl);
    expect(c?.serviceUrl).toBe(serviceUrl);
    expect(c?.tokenTenant).toBe(TENANT);
  });

  it('a multi-tenant bot in a government cloud gets its tokens from that cloud\u2019s services tenant', () => {
    expect(loadTeamsConfig({ ...APP, TEAMS_CLOUD: 'USGov' })?.tokenTenant).toBe('MicrosoftServices.onmicrosoft.us');
  });

  it('the three overrides replace the cloud\u2019s endpoints (trailing slashes dropped) and keep the rest', () => {
    const c = loadTeamsConfig({
      ...APP,
      TEAMS_TENANT_ID: 'contoso.onmicrosoft.com',
      TEAMS_CLOUD: 'USGov',
      TEAMS_SERVICE_URL: 'https://127.0.0.1:8443/teams/',
      TEAMS_LOGIN_URL: 'https://127.0.0.1:8444/',
      TEAMS_OPENID_METADATA_URL: 'https://127.0.0.1:8445/v1/.well-known/openidconfiguration',
    });
    expect(c).toMatchObject({
      tenantId: 'contoso.onmicrosoft.com',
      tokenTenant: 'contoso.onmicrosoft.com',
      serviceUrl: 'https://127.0.0.1:8443/teams',
      loginUrl: 'https://127.0.0.1:8444',
      openIdMetadataUrl: 'https://127.0.0.1:8445/v1/.well-known/openidconfiguration',
      botScope: US_GOV.botScope,
      tokenIssuer: US_GOV.tokenIssuer,
    });
    expect(c?.cloud.loginEndpoint).toBe('https://127.0.0.1:8444');
    expect(c?.cloud.openIdMetadataUrl).toBe('https://127.0.0.1:8445/v1/.well-known/openidconfiguration');
  });

  it.each([
    [{ TEAMS_APP_ID: APP.TEAMS_APP_ID }, 'TEAMS_APP_PASSWORD: required when TEAMS_APP_ID is set'],
    [{ TEAMS_APP_PASSWORD: 'x' }, 'TEAMS_APP_ID: required when TEAMS_APP_PASSWORD is set'],
    [{ ...APP, TEAMS_APP_ID: 'my-bot' }, 'TEAMS_APP_ID: expected the Microsoft Entra application (client) id, a GUID'],
    [{ ...APP, TEAMS_TENANT_ID: 'not a tenant' }, 'TEAMS_TENANT_ID: expected a tenant id (a GUID) or a tenant domain name'],
    [{ ...APP, TEAMS_CLOUD: 'GCCHigh' }, 'TEAMS_CLOUD: expected one of Public, USGov, USGovDoD, China'],
    [{ ...APP, TEAMS_SERVICE_URL: 'http://127.0.0.1/teams' }, 'TEAMS_SERVICE_URL: expected an https:// URL (the Bot Connector base)'],
    [{ ...APP, TEAMS_LOGIN_URL: 'https://login.example.org/tenant' }, 'TEAMS_LOGIN_URL: expected a bare host such as https://login.microsoftonline.com (the tenant is added)'],
    [
      { ...APP, TEAMS_OPENID_METADATA_URL: 'https://login.example.org/v1/.well-known/openid-configuration' },
      'TEAMS_OPENID_METADATA_URL: must end in /openidconfiguration (the SDK reads the signing keys from the same path ending in /keys)',
    ],
    [{ ...APP, TEAMS_LOGIN_URL: 'https://login.example.org/?x=1' }, 'TEAMS_LOGIN_URL: must not carry a query or a fragment'],
  ])('refuses %o with a message naming the variable', (env, message) => {
    expect(problems(env)).toContain(message);
  });

  it('reads nothing but what it is given (the SDK\u2019s own variables do not count)', () => {
    expect(loadTeamsConfig({ CLIENT_ID: APP.TEAMS_APP_ID, CLIENT_SECRET: 'x', TENANT_ID: TENANT, CLOUD: 'China' })).toBeUndefined();
  });
});
