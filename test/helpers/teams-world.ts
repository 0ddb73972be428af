/**
 * The local Microsoft world for Teams tests: a throwaway CA, the identity provider (the bot's tokens),
 * the Bot Framework key set (incoming tokens) and the fake Bot Connector checking the bot's tokens, all
 * over HTTPS; plus a bot process (test/helpers/teams-bot-harness.ts) configured to use them.
 *
 *   const world = await startTeamsWorld();
 *   const bot = await world.startBot({ EXTRA: 'env' });
 *   await bot.post(activity, { token: world.bf.tokenFor({ appId: APP_ID, serviceUrl }) });
 *   await bot.stop(); await world.close();
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { startFakeBotConnector, type FakeBotConnector } from '../../src/demo/teams/fake-bot-connector.ts';
import { startLocalBotFramework, type LocalBotFramework } from '../../src/demo/teams/local-bot-framework.ts';
import { startLocalIdentityProvider, type LocalIdentityProvider } from '../../src/demo/teams/local-identity-provider.ts';
import { createLocalTls, type LocalTls } from '../../src/demo/teams/local-tls.ts';
import { ROOT } from './run-bin.ts';

export const APP_ID = '00000000-0000-4000-8000-00000000b07a';
export const APP_PASSWORD = 'local-secret-not-real';
export const TENANT_ID = '11111111-1111-4111-8111-111111111111';

export interface TeamsWorld {
  tls: LocalTls;
  idp: LocalIdentityProvider;
  bf: LocalBotFramework;
  connector: FakeBotConnector;
  /** The TEAMS_* variables pointing at the stand-ins. */
  env: Record<string, string>;
  startBot(extraEnv?: Record<string, string>): Promise<BotProcess>;
  close(): Promise<void>;
}

export interface BotProcess {
  url: string;
  post(activity: unknown, opts?: { authorization?: string; token?: string }): Promise<{ status: number; body: unknown }>;
  received(): Promise<{ type: string; id?: string; text?: string; from?: string }[]>;
  proactive(req: { tenantId: string; userId: string; text: string; serviceUrl?: string }): Promise<Record<string, unknown>>;
  /** What the process wrote (its logs go to stdout, errors to stderr). */
  output(): string;
  stop(): Promise<void>;
}

export async function startTeamsWorld(): Promise<TeamsWorld> {
  const tls = await createLocalTls();
  const idp = await startLocalIdentityProvider({ tls });
  idp.addClient({ clientId: APP_ID, secret: APP_PASSWORD, tenant: TENANT_ID });
  const bf = await startLocalBotFramework({ tls });
  const connector = await startFakeBotConnector({ tls, authorize: (t) => idp.verifyBotToken(t, APP_ID) });
  const env = {
    TEAMS_APP_ID: APP_ID,
    TEAMS_APP_PASSWORD: APP_PASSWORD,
    TEAMS_TENANT_ID: TENANT_ID,
    TEAMS_CLOUD: 'Public',
    TEAMS_SERVICE_URL: connector.serviceUrl,
    TEAMS_LOGIN_URL: idp.url,
    TEAMS_OPENID_METADATA_URL: bf.openIdMetadataUrl,
  };
  const bots: BotProcess[] = [];
  return {
    tls,
    idp,
    bf,
    connector,
    env,
    async startBot(extraEnv = {}) {
      const bot = await spawnBot({ ...env, NODE_EXTRA_CA_CERTS: tls.caFile, ...extraEnv });
      bots.push(bot);
      return bot;
    },
    async close() {
      await Promise.all(bots.map((b) => b.stop()));
      await Promise.all([idp.close(), bf.close(), connector.close()]);
      tls.dispose();
    },
  };
}

async function spawnBot(env: Record<string, string>): Promise<BotProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/teams-bot-harness.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`bot harness did not start\n${stderr}`)), 60_000);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      stderr += d.toString();
      const m = /READY (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`bot harness exited with ${code}\n${stderr}`));
    });
  });
  const url = `http://127.0.0.1:${port}`;
  const json = async (res: Response) => {
    const text = await res.text();
    return text ? (JSON.parse(text) as unknown) : undefined;
  };
  let stopped: Promise<void> | undefined;
  return {
    url,
    async post(activity, opts = {}) {
      const authorization = opts.authorization ?? (opts.token ? `Bearer ${opts.token}` : undefined);
      const res = await fetch(`${url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
        body: JSON.stringify(activity),
      });
      return { status: res.status, body: await json(res) };
    },
    async received() {
      return (await json(await fetch(`${url}/test/received`))) as Awaited<ReturnType<BotProcess['received']>>;
    },
    async proactive(req) {
      const res = await fetch(`${url}/test/proactive`, { method: 'POST', body: JSON.stringify(req) });
      return (await json(res)) as Record<string, unknown>;
    },
    output: () => stderr,
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
      return stopped;
    },
  };
}

/** A personal-chat message activity as Teams sends it. */
export function messageActivity(o: { serviceUrl: string; userId: string; aadObjectId?: string; conversationId: string; text: string }): Record<string, unknown> {
  return {
    type: 'message',
    id: `1${Date.now()}${Math.floor(Math.random() * 1000)}`,
    timestamp: new Date().toISOString(),
    localTimestamp: new Date().toISOString(),
    serviceUrl: o.serviceUrl,
    channelId: 'msteams',
    from: { id: o.userId, name: 'Luis Mora', aadObjectId: o.aadObjectId ?? randomUUID() },
    conversation: { conversationType: 'personal', tenantId: TENANT_ID, id: o.conversationId },
    recipient: { id: `28:${APP_ID}`, name: 'CRM' },
    textFormat: 'plain',
    locale: 'es-CR',
    text: o.text,
    entities: [{ type: 'clientInfo', locale: 'es-CR', country: 'CR', platform: 'Web', timezone: 'America/Costa_Rica' }],
    channelData: { tenant: { id: TENANT_ID } },
  };
}
