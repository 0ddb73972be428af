/**
 * A body of any size at work (issue 14 part 3): the real engine on PostgreSQL, the real jobs (BullMQ on
 * Redis: circulation is delivered by the deliver worker as in production, with the per-scope pacing), the
 * Slack and Teams notifiers against a local fake Slack Web API and a local fake Bot Connector that enforce
 * rate limits like the platforms (429 with Retry-After). Used by test/integration/jobs/deliver-scale.test.ts
 * and `npm run bench -- scale`.
 *
 *   const w = await startScaleWorld({ label: import.meta.url, members: 193, focalPoints: 600 });
 *   const c = await w.circulate();           // PPT starts, the Troika approves: the text goes out
 *   await w.delivered(c.consultationId);     // every outbox row sent (or dead)
 *   w.requestsPerPerson(c.consultationId)    // how many requests each focal point got, on their platform
 *   await w.dispose();
 */
import { TeamsNotifier } from '../../src/adapters/teams/teams-notifier.ts';
import { createConnectorClient } from '../../src/adapters/teams/connector-client.ts';
import { createSlackWebClient, SlackNotifier } from '../../src/adapters/slack/slack-notifier.ts';
import { startFakeBotConnector, type FakeBotConnector } from '../../src/demo/teams/fake-bot-connector.ts';
import { startFakeSlackApi, type FakeSlackApi, type FakeSlackApiOptions } from '../../src/demo/fake-slack-api.ts';
import type { ConsultationState, Position } from '../../src/domain/types.ts';
import type { Directory, Person } from '../../src/directory/model.ts';
import { troikaAt } from '../../src/directory/presidency.ts';
import { reactTroika, recordPosition, startConsultation } from '../../src/flows/consultation-flows.ts';
import type { FlowResult } from '../../src/flows/execute.ts';
import { identify } from '../../src/flows/people.ts';
import { startJobs, type RunningJobs } from '../../src/jobs/index.ts';
import { MultiNotifier } from '../../src/jobs/notifier.ts';
import { createLogger } from '../../src/log.ts';
import { TeamsConversationStore } from '../../src/store/teams-conversation-store.ts';
import { openTestJobs, type TestJobs } from '../fixtures/jobs/backends.ts';
import { bigDirectory } from './big-directory.ts';
import { openTestEngine, type TestEngine } from './engine.ts';

const APP_ID = '00000000-0000-4000-8000-00000000b07a';
const TENANT = '11111111-1111-4111-8111-111111111111';
const TOKEN = 'token-for-the-fake';

export interface ScaleWorldOptions {
  label: string;
  members: number;
  focalPoints: number;
  /** Slack's limits as the fake enforces them (default: 20 chat.postMessage a second, workspace-wide). */
  slackLimits?: FakeSlackApiOptions['rateLimits'];
  /** Teams' limits as the fake enforces them (default: Teams' 7 a second per conversation, 15 for the app). */
  teamsLimits?: { perConversation?: number; perApp?: number };
  /** Deliver worker concurrency (default 8). */
  concurrency?: number;
}

export interface ScaleWorld {
  engine: TestEngine;
  jobs: TestJobs;
  running: RunningJobs;
  slack: FakeSlackApi;
  bc: FakeBotConnector;
  directory: Directory;
  members: string[];
  /** The PPT starts and sends; the other two Troika countries approve: the text circulates. */
  circulate(): Promise<ConsultationState>;
  /** Every country's first focal point answers `answer(i)`, one after the other. */
  answerAll(state: ConsultationState, answer: (i: number) => Position): Promise<ConsultationState>;
  /** Resolves when no outbox row of the consultation is pending; the rows' statuses. */
  delivered(consultationId: string, timeoutMs?: number): Promise<{ sent: number; dead: number; lastSentAt?: Date }>;
  /** For each focal point, how many member requests reached them on the platform they are reached on. */
  requestsPerPerson(reference: string): Map<string, number>;
  /** 429 answers each fake gave. */
  throttled(): { slack: number; teams: number };
  dispose(): Promise<void>;
}

const actorOf = (directory: Directory, p: Person) => {
  const a = identify(directory, p.slack ? { platform: 'slack', userId: p.slack } : { platform: 'teams', userId: p.teams! });
  if (!a) throw new Error(`unknown ${p.id}`);
  return a;
};

function ok(r: FlowResult): ConsultationState {
  if (!r.ok) throw new Error(`refused: ${r.code} ${JSON.stringify(r.detail ?? {})}`);
  return r.state;
}

export async function startScaleWorld(o: ScaleWorldOptions): Promise<ScaleWorld> {
  const big = bigDirectory({ members: o.members, focalPoints: o.focalPoints });
  const directory = big.directory;
  const engine = await openTestEngine('postgres', o.label, { directory, now: new Date() });
  const jobs = await openTestJobs('redis', 'scale');
  const slack = await startFakeSlackApi({ rateLimits: o.slackLimits ?? { perMethod: { 'chat.postMessage': 20 } } });
  const bc = await startFakeBotConnector({
    authorize: (t) => (t === TOKEN ? { ok: true } : { ok: false, reason: 'wrong token' }),
    rateLimits: o.teamsLimits ?? { perConversation: 7, perApp: 15 },
  });
  const stTeams = directory.secretariat.teams!.channel!;
  bc.addChannel(stTeams);
  const conversations = new TeamsConversationStore(engine.db.prisma);
  // The app installed for every focal point with a Teams id (Teams sends the bot an installationUpdate).
  const teamsUser = (aad: string) => `29:1${aad.replace(/-/g, '')}`;
  for (const c of directory.countries) {
    for (const f of c.focalPoints) {
      if (!f.teams) continue;
      const userId = teamsUser(f.teams);
      bc.install(userId, { tenantId: TENANT, aadObjectId: f.teams });
      await conversations.recordActivity({
        type: 'installationUpdate',
        action: 'add',
        serviceUrl: bc.serviceUrl,
        channelId: 'msteams',
        from: { id: userId, aadObjectId: f.teams, name: f.name },
        recipient: { id: `28:${APP_ID}`, name: 'CRM' },
        conversation: { id: bc.conversationOf(userId), conversationType: 'personal', tenantId: TENANT },
        channelData: { tenant: { id: TENANT } },
      });
    }
  }
  const logger = createLogger('silent');
  const notifier = new MultiNotifier({
    slack: new SlackNotifier({ client: createSlackWebClient({ token: slack.token, apiUrl: slack.url }), logger }),
    teams: new TeamsNotifier({
      connector: createConnectorClient({ appId: APP_ID, getToken: async () => TOKEN, serviceUrls: { isTrusted: (url) => url.startsWith(bc.serviceUrl) } }),
      conversations,
      config: { appId: APP_ID, tenantId: TENANT, serviceUrl: bc.serviceUrl },
      logger,
    }),
  });
  const running = await startJobs(engine, jobs.backend, notifier, {
    logger,
    reconcileAtStart: false,
    concurrency: { deliver: o.concurrency ?? 8 },
    deliver: { retry: { attempts: 12, backoffMs: 200 } },
  });

  const firstFp = (code: string) => directory.countries.find((c) => c.code === code)!.focalPoints[0]!;

  return {
    engine,
    jobs,
    running,
    slack,
    bc,
    directory,
    members: big.members,
    async circulate() {
      const ppt = troikaAt(directory.presidencies, new Date().toISOString().slice(0, 10))?.current ?? big.members[0]!;
      let state = ok(
        await startConsultation(engine.deps, {
          key: `start:${Date.now()}:${Math.random()}`,
          actor: actorOf(directory, firstFp(ppt)),
          title: 'Posición común',
          text: 'Texto de la propuesta.',
          deadline: { kind: 'business_days', days: 5 },
        }),
      );
      for (const code of state.troika!.countries.filter((c) => c !== ppt)) {
        state = ok(
          await reactTroika(engine.deps, {
            key: `troika:${state.consultationId}:${code}`,
            actor: actorOf(directory, firstFp(code)),
            consultationId: state.consultationId,
            version: state.currentVersion,
            reaction: 'approve',
          }),
        );
      }
      if (state.stage !== 'member_consultation') throw new Error(`not circulated: ${state.stage}`);
      return state;
    },
    async answerAll(state, answer) {
      let s = state;
      for (const [i, m] of state.participants.members.entries()) {
        const position = answer(i);
        s = ok(
          await recordPosition(engine.deps, {
            key: `position:${state.consultationId}:${m.code}`,
            actor: actorOf(directory, firstFp(m.code)),
            consultationId: state.consultationId,
            version: state.currentVersion,
            position,
            ...(position === 'object' ? { reason: `Objeción de ${m.code}.` } : {}),
          }),
        );
      }
      return s;
    },
    async delivered(consultationId, timeoutMs = 600_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const pending = await engine.db.prisma.outboxMessage.count({ where: { consultationId, status: 'pending' } });
        if (pending === 0) break;
        if (Date.now() > until) throw new Error(`${pending} outbox rows still pending after ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 200));
      }
      const [sent, dead, last] = await Promise.all([
        engine.db.prisma.outboxMessage.count({ where: { consultationId, status: 'sent' } }),
        engine.db.prisma.outboxMessage.count({ where: { consultationId, status: 'dead' } }),
        engine.db.prisma.outboxMessage.aggregate({ where: { consultationId, status: 'sent' }, _max: { sentAt: true } }),
      ]);
      return { sent, dead, ...(last._max.sentAt ? { lastSentAt: last._max.sentAt } : {}) };
    },
    requestsPerPerson(reference) {
      // Accepted sends (not the 429s), of the request for this consultation, per destination.
      const isRequest = (text: string) => text.includes(reference) && /se solicita su posición|your position is requested/.test(text);
      const perChannel = new Map<string, number>();
      for (const c of slack.callsOf('chat.postMessage')) {
        if ((c.response as { ok?: boolean } | undefined)?.ok !== true || !isRequest(String(c.args.text ?? ''))) continue;
        const ch = String(c.args.channel);
        const key = /^[UW]/.test(ch) ? slack.dmChannelOf(ch) : ch;
        perChannel.set(key, (perChannel.get(key) ?? 0) + 1);
      }
      const perConversation = new Map<string, number>();
      for (const c of bc.calls) {
        if (c.op !== 'sendActivity' || c.status !== 201 || !c.conversationId || !isRequest(JSON.stringify(c.body))) continue;
        perConversation.set(c.conversationId, (perConversation.get(c.conversationId) ?? 0) + 1);
      }
      const counts = new Map<string, number>();
      for (const c of directory.countries) {
        for (const f of c.focalPoints) {
          const n = (f.slack ? (perChannel.get(slack.dmChannelOf(f.slack)) ?? 0) : 0) + (f.teams ? (perConversation.get(bc.conversationOf(teamsUser(f.teams))) ?? 0) : 0);
          counts.set(f.id, n);
        }
      }
      return counts;
    },
    throttled: () => ({ slack: slack.calls.filter((c) => (c.response as { error?: string } | undefined)?.error === 'ratelimited').length, teams: bc.calls.filter((c) => c.status === 429).length }),
    async dispose() {
      await running.stop().catch(() => undefined);
      await jobs.dispose().catch(() => undefined);
      await slack.close().catch(() => undefined);
      await bc.close().catch(() => undefined);
      await engine.dispose().catch(() => undefined);
    },
  };
}
