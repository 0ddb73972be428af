/**
 * A Teams send retried (the deliver job sends one outbox row again, with the same dedupe key) against the
 * fake Bot Connector over loopback HTTP, the sends recorded in PostgreSQL (teams_sends). The Bot Connector
 * has no idempotency key (src/adapters/teams/teams-notifier.ts "Idempotency"), so:
 *   - Teams answered the first post but the row was not marked sent (a crash, the database): the retry
 *     updates that activity in place; the chat shows one card;
 *   - the first post certainly did not happen (Teams answered 503; the connection was refused): the retry
 *     posts once, with nothing said about copies;
 *   - the first post's answer was lost on the wire (Teams took it): the retry posts again — the one case
 *     Teams gives no way to avoid — and that copy says on the card that two may have arrived and either
 *     may be answered (same buttons, same consultation and version);
 *   - a third attempt after the second was answered updates the second: never a third copy.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnectorClient } from '../../../src/adapters/teams/connector-client.ts';
import { TeamsNotifier } from '../../../src/adapters/teams/teams-notifier.ts';
import { startFakeBotConnector, type FakeBotConnector } from '../../../src/demo/teams/fake-bot-connector.ts';
import { t } from '../../../src/i18n/index.ts';
import type { DeliveryItem } from '../../../src/jobs/notifier.ts';
import { createLogger } from '../../../src/log.ts';
import { buttonValue, type NeutralMessage } from '../../../src/messages/neutral.ts';
import { TeamsConversationStore } from '../../../src/store/teams-conversation-store.ts';
import { cardProblems, cardTexts, executeActions } from '../../helpers/adaptive-cards.ts';
import { openTestDatabase, type TestDatabase } from '../../helpers/db.ts';

const APP_ID = '00000000-0000-4000-8000-00000000b07a';
const TENANT = '11111111-1111-4111-8111-111111111111';
const TOKEN = 'token-for-the-fake';

let db: TestDatabase;
let bc: FakeBotConnector;
let conversations: TeamsConversationStore;
let notifier: TeamsNotifier;
/** What the next POST of an activity meets on the wire (then back to normal). */
let wire: 'ok' | 'answer_lost' | 'refused' = 'ok';

/** The network between the bot and Teams: normal, an answer lost after Teams took the request, a refused connection. */
const network: typeof fetch = async (input, init) => {
  const posting = init?.method === 'POST' && String(input).includes('/activities');
  const now = posting ? wire : 'ok';
  if (posting) wire = 'ok';
  if (now === 'refused') throw new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
  const res = await fetch(input, init);
  if (now === 'answer_lost') {
    await res.text();
    throw new TypeError('fetch failed', { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) });
  }
  return res;
};

beforeAll(async () => {
  db = await openTestDatabase('postgres', import.meta.url);
  bc = await startFakeBotConnector({ authorize: (tk) => (tk === TOKEN ? { ok: true } : { ok: false, reason: 'wrong token' }) });
  conversations = new TeamsConversationStore(db.prisma);
  notifier = new TeamsNotifier({
    // The fake is plain HTTP on loopback; the service URL guard itself is tested in test/unit/adapters/teams.
    connector: createConnectorClient({ appId: APP_ID, getToken: async () => TOKEN, serviceUrls: { isTrusted: (url) => url.startsWith(bc.serviceUrl) }, fetch: network }),
    conversations,
    config: { appId: APP_ID, tenantId: TENANT, serviceUrl: bc.serviceUrl },
    logger: createLogger('silent'),
  });
}, 60_000);

afterAll(async () => {
  await bc?.close();
  await db?.dispose();
});

/** A person with the app installed in their personal chat (the conversation reference stored). */
async function person() {
  const aad = randomUUID();
  const userId = `29:1${aad.replace(/-/g, '')}`;
  bc.install(userId, { tenantId: TENANT, aadObjectId: aad });
  const conversationId = bc.conversationOf(userId);
  await conversations.recordActivity({
    type: 'installationUpdate',
    action: 'add',
    serviceUrl: bc.serviceUrl,
    channelId: 'msteams',
    from: { id: userId, aadObjectId: aad },
    recipient: { id: `28:${APP_ID}` },
    conversation: { id: conversationId, conversationType: 'personal', tenantId: TENANT },
    channelData: { tenant: { id: TENANT } },
  });
  return { aad, conversationId };
}

const request: NeutralMessage = {
  kind: 'member_request',
  locale: 'es',
  consultationId: 'c-1',
  reference: 'CRM-2026-009',
  heading: 'Solicitud de posición: CRM-2026-009',
  body: ['Indique la posición de su país antes de la fecha límite.'],
  fields: [],
  buttons: [
    { actionId: 'position_support', label: 'Apoyar', value: buttonValue('c-1', 'abc123'), style: 'primary' },
    { actionId: 'position_object', label: 'Objetar', value: buttonValue('c-1', 'abc123'), style: 'danger' },
  ],
};

/** One outbox row to `aad`, as the deliver job hands it over on its `attempts`-th try. */
const row = (aad: string, dedupeKey: string, attempts: number): DeliveryItem => ({
  id: randomUUID(),
  dedupeKey,
  platform: 'teams',
  recipient: { kind: 'person', personId: `${aad}@example.org`, teams: aad },
  kind: request.kind,
  payload: request,
  attempts,
});

const cardOf = (a: { activity: Record<string, unknown> }) => (a.activity.attachments as { content: unknown }[])[0]!.content;
const REPEAT = t('es', 'teams.maybe_repeat');

describe('a Teams send retried', () => {
  it('Teams answered, the row was not marked sent: the retry updates that card, one card in the chat', async () => {
    const p = await person();
    const key = `row.${randomUUID()}`;
    const first = await notifier.send(row(p.aad, key, 0));
    expect(first.ok).toBe(true);
    const again = await notifier.send(row(p.aad, key, 1));
    expect(again).toEqual(first);
    const chat = bc.activities(p.conversationId);
    expect(chat).toHaveLength(1);
    expect(chat[0]!.updates).toBe(1);
    expect(cardTexts(cardOf(chat[0]!))).not.toContain(REPEAT);
  });

  it('the first post certainly did not happen (503, a refused connection): the retry posts once, nothing said about copies', async () => {
    const p = await person();
    const key = `row.${randomUUID()}`;
    bc.failNext('sendActivity', { status: 503 });
    const refused = await notifier.send(row(p.aad, key, 0));
    expect(refused).toMatchObject({ ok: false, error: expect.stringContaining('503') });
    wire = 'refused';
    const unreachable = await notifier.send(row(p.aad, key, 1));
    expect(unreachable).toMatchObject({ ok: false, error: expect.stringContaining('network') });
    expect(bc.activities(p.conversationId)).toEqual([]);
    const sent = await notifier.send(row(p.aad, key, 2));
    expect(sent.ok).toBe(true);
    const chat = bc.activities(p.conversationId);
    expect(chat).toHaveLength(1);
    expect(cardTexts(cardOf(chat[0]!))).not.toContain(REPEAT);
  });

  it('the answer was lost after Teams took the post: the retry posts a copy that says so, with the same buttons; a third attempt updates it', async () => {
    const p = await person();
    const key = `row.${randomUUID()}`;
    wire = 'answer_lost';
    const lost = await notifier.send(row(p.aad, key, 0));
    expect(lost).toMatchObject({ ok: false, error: expect.stringContaining('network') });
    expect(lost.ok === false && lost.permanent).toBeFalsy();
    expect(bc.activities(p.conversationId)).toHaveLength(1); // Teams did post it

    const retried = await notifier.send(row(p.aad, key, 1));
    expect(retried.ok).toBe(true);
    const chat = bc.activities(p.conversationId);
    expect(chat).toHaveLength(2);
    const copy = cardOf(chat[1]!);
    expect(cardProblems(copy)).toEqual([]);
    expect(cardTexts(copy)).toContain(REPEAT);
    expect(executeActions(copy)).toEqual(executeActions(cardOf(chat[0]!)));

    // The copy's answer came back: a third attempt (its row not marked sent) updates it, no third card.
    const third = await notifier.send(row(p.aad, key, 2));
    expect(third).toEqual(retried);
    expect(bc.activities(p.conversationId)).toHaveLength(2);
    expect(bc.activities(p.conversationId)[1]!.updates).toBe(1);
  });
});
