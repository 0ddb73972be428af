/**
 * The Teams notifier behind the real deliver job: BullMQ on Redis with two deliver workers (two replicas),
 * the outbox, the conversation references and the pacing table on a real PostgreSQL database, and the fake
 * Bot Connector over loopback HTTP. What a person and the ST channel receive, updates in place, who cannot
 * be reached (dead-lettered, the ST told who must install the app), retries honouring Retry-After, and
 * Teams' rate limits holding across both workers (a Slack 429 holds back Slack only).
 * The bot's real tokens (MSAL over HTTPS) are covered by test/e2e/teams/.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TeamsNotifier, parseTeamsReceipt } from '../../../src/adapters/teams/teams-notifier.ts';
import { createConnectorClient } from '../../../src/adapters/teams/connector-client.ts';
import { startFakeBotConnector, type FakeBotConnector } from '../../../src/demo/teams/fake-bot-connector.ts';
import { enqueueDeliveries, startDeliverWorker, type RetryPolicy, type SecretariatAddress } from '../../../src/jobs/deliver.ts';
import { MultiNotifier, RecordingNotifier } from '../../../src/jobs/notifier.ts';
import { databasePacing } from '../../../src/jobs/pacing.ts';
import { createLogger } from '../../../src/log.ts';
import { buttonValue, type NeutralMessage, type Recipient } from '../../../src/messages/neutral.ts';
import { OutboxStore } from '../../../src/store/outbox-store.ts';
import { TeamsConversationStore } from '../../../src/store/teams-conversation-store.ts';
import { cardProblems, cardTexts } from '../../helpers/adaptive-cards.ts';
import { openTestDatabase, type TestDatabase } from '../../helpers/db.ts';
import { EVENT_WAIT_MS, SETUP_MS, memoryLogger, openTestJobs, until, type TestJobs } from '../../fixtures/jobs/backends.ts';

const APP_ID = '00000000-0000-4000-8000-00000000b07a';
const TENANT = '11111111-1111-4111-8111-111111111111';
const TOKEN = 'token-for-the-fake';
const CHANNEL = '19:st-channel@thread.tacv2';
const ST: SecretariatAddress = { recipient: { kind: 'secretariat_channel', teams: CHANNEL }, platform: 'teams', locale: 'es' };
const FAST: RetryPolicy = { attempts: 4, backoffMs: 100 };

let db: TestDatabase;
let jobs: TestJobs;
let bc: FakeBotConnector;
let outbox: OutboxStore;
let conversations: TeamsConversationStore;
const slack = new RecordingNotifier();
const dead: { id: string; reason: string }[] = [];

beforeAll(async () => {
  db = await openTestDatabase('postgres', import.meta.url);
  jobs = await openTestJobs('redis', 'teams_notifier');
  bc = await startFakeBotConnector({ authorize: (t) => (t === TOKEN ? { ok: true } : { ok: false, reason: 'wrong token' }) });
  bc.addChannel(CHANNEL);
  outbox = new OutboxStore(db.prisma);
  conversations = new TeamsConversationStore(db.prisma);
  const teams = new TeamsNotifier({
    connector: createConnectorClient({ appId: APP_ID, getToken: async () => TOKEN, serviceUrls: { isTrusted: (url) => url.startsWith(bc.serviceUrl) } }), // the fake is plain HTTP on loopback; the guard itself is tested in test/unit/adapters/teams
    conversations,
    config: { appId: APP_ID, tenantId: TENANT, serviceUrl: bc.serviceUrl },
    logger: createLogger('silent'),
  });
  const pacing = databasePacing(db.prisma);
  for (let n = 0; n < 2; n++) {
    const worker = startDeliverWorker(
      jobs.backend,
      {
        outbox,
        notifier: new MultiNotifier({ teams, slack }),
        logger: memoryLogger(),
        secretariat: () => ST,
        pacing,
        sendTimeoutMs: 5_000,
        onDead: (item, info) => void dead.push({ id: item.id, reason: info.reason }),
      },
      { retry: FAST, worker: { concurrency: 4 } },
    );
    await worker.waitUntilReady();
  }
}, SETUP_MS);

afterAll(async () => {
  await jobs?.dispose();
  await bc?.close();
  await db?.dispose();
}, SETUP_MS);

/** A person of the directory on Teams: Entra object id, their `29:` id and the fake's personal chat. */
function person(name = 'Luis Mora') {
  const aad = randomUUID();
  const userId = `29:1${aad.replace(/-/g, '')}`;
  return { name, aad, userId, conversationId: bc.conversationOf(userId), recipient: { kind: 'person', personId: `${aad}@example.org`, name, teams: aad } as Recipient };
}

/** The app installed in their personal chat: Teams installs it and sends the bot an installationUpdate. */
async function install(p: ReturnType<typeof person>) {
  bc.install(p.userId, { tenantId: TENANT, aadObjectId: p.aad });
  await conversations.recordActivity({
    type: 'installationUpdate',
    action: 'add',
    serviceUrl: bc.serviceUrl,
    channelId: 'msteams',
    from: { id: p.userId, aadObjectId: p.aad, name: p.name },
    recipient: { id: `28:${APP_ID}`, name: 'CRM' },
    conversation: { id: p.conversationId, conversationType: 'personal', tenantId: TENANT },
    channelData: { tenant: { id: TENANT } },
  });
}

function message(o: { heading?: string; replaceKey?: string; buttons?: boolean } = {}): NeutralMessage {
  return {
    kind: 'member_request',
    locale: 'es',
    consultationId: 'c-1',
    reference: 'CRM-2026-009',
    heading: o.heading ?? 'Solicitud de posición: CRM-2026-009',
    body: ['La Presidencia Pro Tempore circula la propuesta. Indique la posición de su país antes de la fecha límite.'],
    quote: 'Texto de la propuesta *tal cual* fue escrito.',
    fields: [{ label: 'Fecha límite', value: 'viernes 4 de diciembre de 2026, 23:59 (hora de Costa Rica)' }],
    buttons:
      o.buttons === false
        ? []
        : [
            { actionId: 'position_support', label: 'Apoyar', value: buttonValue('c-1', 'abc123'), style: 'primary' },
            { actionId: 'position_object', label: 'Objetar', value: buttonValue('c-1', 'abc123'), style: 'danger' },
            { actionId: 'position_abstain', label: 'Abstenerse', value: buttonValue('c-1', 'abc123') },
          ],
    ...(o.replaceKey ? { replaceKey: o.replaceKey } : {}),
  };
}

async function write(recipient: Recipient, payload: NeutralMessage = message(), platform = 'teams') {
  const [id] = await outbox.enqueue([{ dedupeKey: `test.${randomUUID()}`, platform, recipient, kind: payload.kind, payload }]);
  if (!id) throw new Error('not enqueued');
  return id;
}

async function deliver(ids: string[], policy: RetryPolicy = FAST) {
  await enqueueDeliveries(jobs.backend, ids, policy);
}

const settled = async (id: string) => {
  let row = await outbox.get(id);
  await until(async () => (row = await outbox.get(id))?.status !== 'pending', EVENT_WAIT_MS, `outbox row ${id} to settle`);
  return row!;
};

const cardOf = (a: { activity: Record<string, unknown> }) => (a.activity.attachments as { content: unknown }[])[0]!.content;

describe('proactive messages to a person', () => {
  it('posts the card in the personal chat stored at install; the receipt names the activity; the card passes the official parser', async () => {
    const p = person();
    await install(p);
    const id = await write(p.recipient);
    await deliver([id]);
    const row = await settled(id);
    expect(row.status).toBe('sent');
    const shown = bc.activities(p.conversationId);
    expect(shown).toHaveLength(1);
    expect(parseTeamsReceipt(row.receipt)).toEqual({ conversationId: p.conversationId, activityId: shown[0]!.id, serviceUrl: bc.serviceUrl });
    const card = cardOf(shown[0]!);
    expect(cardProblems(card)).toEqual([]);
    expect(cardTexts(card).join(' ')).toContain('Texto de la propuesta *tal cual* fue escrito.');
    expect(bc.callsOf('createConversation').filter((c) => JSON.stringify(c.body).includes(p.userId))).toEqual([]);
  });

  it('starts the personal chat (POST /v3/conversations) for someone known only as a member of the ST team, and stores it', async () => {
    const p = person('Ana Rojas');
    bc.install(p.userId, { tenantId: TENANT, aadObjectId: p.aad });
    // The bot was added to a team with this person in it: Teams announces the members.
    await conversations.recordActivity({
      type: 'conversationUpdate',
      serviceUrl: bc.serviceUrl,
      from: { id: '29:1someone-else', aadObjectId: randomUUID() },
      recipient: { id: `28:${APP_ID}` },
      conversation: { id: '19:team-general@thread.tacv2', conversationType: 'channel', tenantId: TENANT },
      channelData: { tenant: { id: TENANT }, team: { id: '19:team-general@thread.tacv2' }, eventType: 'teamMemberAdded' },
      membersAdded: [{ id: `28:${APP_ID}` }, { id: p.userId, aadObjectId: p.aad.toUpperCase() }],
    });
    const id = await write(p.recipient);
    await deliver([id]);
    expect((await settled(id)).status).toBe('sent');
    const created = bc.callsOf('createConversation').filter((c) => JSON.stringify(c.body).includes(p.userId));
    expect(created.map((c) => c.status)).toEqual([201]);
    expect(created[0]!.body).toMatchObject({ bot: { id: `28:${APP_ID}` }, members: [{ id: p.userId }], tenantId: TENANT });
    expect(bc.activities(p.conversationId)).toHaveLength(1);
    expect(await conversations.personalFor(p.aad)).toMatchObject({ id: p.conversationId, installed: true, userId: p.userId });
    // The next message goes to the stored chat: no second conversation.
    const again = await write(p.recipient, message({ heading: 'Recordatorio' }));
    await deliver([again]);
    expect((await settled(again)).status).toBe('sent');
    expect(bc.callsOf('createConversation').filter((c) => JSON.stringify(c.body).includes(p.userId))).toHaveLength(1);
    expect(bc.activities(p.conversationId)).toHaveLength(2);
  });

  it('updates the card in place (PUT of the stored activity) for a message that replaces the previous one', async () => {
    const p = person();
    await install(p);
    const key = `member-card.${randomUUID()}`;
    const first = await write(p.recipient, message({ replaceKey: key }));
    await deliver([first]);
    expect((await settled(first)).status).toBe('sent');
    const second = await write(p.recipient, message({ replaceKey: key, heading: 'Posición registrada: Apoya', buttons: false }));
    await deliver([second]);
    const row = await settled(second);
    expect(row.status).toBe('sent');
    const shown = bc.activities(p.conversationId);
    expect(shown).toHaveLength(1);
    expect(shown[0]!.updates).toBe(1);
    expect(cardTexts(cardOf(shown[0]!))).toContain('Posición registrada: Apoya');
    expect(cardProblems(cardOf(shown[0]!))).toEqual([]);
    expect(parseTeamsReceipt(row.receipt)?.activityId).toBe(shown[0]!.id);
  });
});

describe('a person the bot cannot reach', () => {
  const deadLetterFor = async (id: string, name: string) => {
    await until(async () => (await outbox.get(id))?.status === 'dead', EVENT_WAIT_MS, `row ${id} dead`);
    let text = '';
    await until(
      () => {
        text = bc.activities(CHANNEL).map((a) => cardTexts(cardOf(a)).join(' ')).find((t) => t.includes(name) && t.includes('no tiene instalada')) ?? '';
        return text !== '';
      },
      EVENT_WAIT_MS,
      'the dead letter in the ST channel',
    );
    return text;
  };

  it('never seen by the bot: dead at once with not_installed, and the ST channel is told who must install the app', async () => {
    const before = bc.activities(CHANNEL).length;
    const p = person('Marta Quesada');
    const id = await write(p.recipient);
    await deliver([id]);
    await until(async () => (await outbox.get(id))?.status === 'dead', EVENT_WAIT_MS, 'the row to go dead');
    expect((await outbox.get(id))?.lastError).toMatch(/^teams:not_installed/);
    await until(() => dead.some((d) => d.id === id), EVENT_WAIT_MS, 'onDead');
    expect(dead.find((d) => d.id === id)?.reason).toBe('not_installed');
    await until(() => bc.activities(CHANNEL).length > before, EVENT_WAIT_MS, 'the dead letter in the ST channel');
    const letter = bc.activities(CHANNEL).slice(before).map((a) => cardOf(a));
    const text = cardTexts(letter[0]).join(' ');
    expect(text).toContain('Marta Quesada');
    expect(text).toContain('no tiene instalada la aplicación del bot en Microsoft Teams');
    expect(cardProblems(letter[0])).toEqual([]);
    expect(bc.callsOf('sendActivity').filter((c) => c.conversationId !== CHANNEL && JSON.stringify(c.body).includes('Marta'))).toEqual([]);
  });

  it('the app removed (403 BotNotInConversationRoster): dead with not_installed, the chat marked uninstalled', async () => {
    const p = person('Jorge Solís');
    await install(p);
    bc.uninstall(p.userId);
    const id = await write(p.recipient);
    await deliver([id]);
    const text = await deadLetterFor(id, 'Jorge Solís');
    expect(text).toContain('Jorge Solís');
    expect((await outbox.get(id))?.lastError).toContain('403');
    expect(await conversations.personalFor(p.aad)).toMatchObject({ installed: false });
    await until(() => dead.some((d) => d.id === id), EVENT_WAIT_MS, 'onDead');
    expect(dead.find((d) => d.id === id)?.reason).toBe('not_installed');
  });

  it('an installationUpdate remove stops sends; installing again brings them back', async () => {
    const p = person('Rosa Ureña');
    await install(p);
    await conversations.recordActivity({
      type: 'installationUpdate',
      action: 'remove',
      serviceUrl: bc.serviceUrl,
      from: { id: p.userId, aadObjectId: p.aad },
      recipient: { id: `28:${APP_ID}` },
      conversation: { id: p.conversationId, conversationType: 'personal', tenantId: TENANT },
    });
    expect(await conversations.personalFor(p.aad)).toMatchObject({ installed: false });
    const id = await write(p.recipient);
    await deliver([id]);
    await until(async () => (await outbox.get(id))?.status === 'dead', EVENT_WAIT_MS, 'the row to go dead');
    expect(bc.activities(p.conversationId)).toHaveLength(0);
    await install(p);
    const again = await write(p.recipient);
    await deliver([again]);
    expect((await settled(again)).status).toBe('sent');
    expect(bc.activities(p.conversationId)).toHaveLength(1);
  });
});

describe('retries and rate limits', () => {
  it('429 with Retry-After 1 s: sent once, after the wait, without using an attempt', async () => {
    const p = person();
    await install(p);
    bc.failNext('sendActivity', { status: 429, retryAfter: 1 });
    const id = await write(p.recipient);
    const from = bc.calls.length;
    await deliver([id], { attempts: 1, backoffMs: 100 });
    expect((await settled(id)).status).toBe('sent');
    const mine = bc.calls.slice(from).filter((c) => c.op === 'sendActivity');
    expect(mine.map((c) => c.status)).toEqual([429, 201]);
    expect(mine[1]!.at.getTime() - mine[0]!.at.getTime()).toBeGreaterThanOrEqual(950);
    expect(bc.activities(p.conversationId)).toHaveLength(1);
  });

  it.each([412, 502, 504])('%i is retried and the message is sent once', async (status) => {
    const p = person();
    await install(p);
    bc.failNext('sendActivity', { status, retryAfter: 1 });
    const id = await write(p.recipient);
    await deliver([id]);
    const row = await settled(id);
    expect(row.status).toBe('sent');
    expect(bc.activities(p.conversationId)).toHaveLength(1);
  });

  it('a Slack 429 holds back Slack only: a Teams message goes meanwhile', async () => {
    const p = person();
    await install(p);
    const slackRow = await write({ kind: 'person', personId: 'ana@example.org', name: 'Ana', slack: 'U0ANA' }, message(), 'slack');
    const mine = (i: { id: string }) => i.id === slackRow;
    slack.rateLimit(20_000, { when: mine });
    await deliver([slackRow]);
    await until(() => slack.attempts.some((a) => a.item.id === slackRow), EVENT_WAIT_MS, 'the Slack 429');
    const teamsRow = await write(p.recipient);
    await deliver([teamsRow]);
    expect((await settled(teamsRow)).status).toBe('sent');
    expect((await outbox.get(slackRow))?.status).toBe('pending');
    expect(slack.attempts.filter((a) => a.item.id === slackRow).map((a) => a.result)).toEqual(['rate_limit']);
  });

  it('at most 7 messages a second reach one conversation, across both workers', async () => {
    const p = person();
    await install(p);
    const ids: string[] = [];
    for (let i = 0; i < 16; i++) ids.push(await write(p.recipient, message({ heading: `Mensaje ${i}` })));
    await deliver(ids);
    for (const id of ids) expect((await settled(id)).status).toBe('sent');
    const at = bc.callsOf('sendActivity').filter((c) => c.conversationId === p.conversationId && c.status === 201).map((c) => c.at.getTime()).sort((a, b) => a - b);
    expect(at).toHaveLength(16);
    // Evenly spaced (one every 143 ms): any 8 consecutive arrivals span a second, less loopback jitter.
    for (let i = 0; i + 7 < at.length; i++) expect(at[i + 7]! - at[i]!).toBeGreaterThanOrEqual(850);
  });

  it('at most 30 messages a second to one tenant, across conversations and workers', async () => {
    const people = await Promise.all(Array.from({ length: 40 }, async () => {
      const p = person();
      await install(p);
      return p;
    }));
    const from = bc.calls.length;
    const ids = await Promise.all(people.map((p) => write(p.recipient)));
    await deliver(ids);
    for (const id of ids) expect((await settled(id)).status).toBe('sent');
    const at = bc.calls.slice(from).filter((c) => c.op === 'sendActivity' && c.status === 201).map((c) => c.at.getTime()).sort((a, b) => a - b);
    expect(at).toHaveLength(40);
    for (let i = 0; i + 30 < at.length; i++) expect(at[i + 30]! - at[i]!).toBeGreaterThanOrEqual(850);
  });
});
