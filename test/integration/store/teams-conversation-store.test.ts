/**
 * The Teams conversation references (src/store/teams-conversation-store.ts) and the delivery pacing table
 * (src/jobs/pacing.ts) on both databases the bot runs on: PostgreSQL and the embedded PGlite.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databasePacing, type DeliveryPacing } from '../../../src/jobs/pacing.ts';
import { TeamsConversationStore } from '../../../src/store/teams-conversation-store.ts';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../../helpers/db.ts';

const BOT = '28:00000000-0000-4000-8000-00000000b07a';
const TENANT = '11111111-1111-4111-8111-111111111111';
const SERVICE = 'https://smba.trafficmanager.net/teams';

describe.each(BACKENDS)('on %s', (backend) => {
  let db: TestDatabase;
  let store: TeamsConversationStore;
  let pacing: DeliveryPacing;

  beforeAll(async () => {
    db = await openTestDatabase(backend, import.meta.url);
    store = new TeamsConversationStore(db.prisma);
    pacing = databasePacing(db.prisma);
  }, 120_000);
  afterAll(async () => {
    await db?.dispose();
  }, 60_000);

  const someone = () => {
    const aad = randomUUID();
    return { aad, userId: `29:1${aad}`, conversationId: `a:1${aad}` };
  };
  const personal = (p: ReturnType<typeof someone>, extra: Record<string, unknown> = {}) => ({
    type: 'message',
    serviceUrl: SERVICE,
    channelId: 'msteams',
    locale: 'es-CR',
    from: { id: p.userId, aadObjectId: p.aad.toUpperCase(), name: 'Luis Mora' },
    recipient: { id: BOT, name: 'CRM' },
    conversation: { id: p.conversationId, conversationType: 'personal', tenantId: TENANT },
    ...extra,
  });

  it('stores a personal chat and the 29: id from an activity, found by Entra object id in any case', async () => {
    const p = someone();
    await store.recordActivity(personal(p));
    expect(await store.personalFor(p.aad.toUpperCase())).toMatchObject({
      id: p.conversationId,
      conversationType: 'personal',
      tenantId: TENANT,
      serviceUrl: SERVICE,
      userId: p.userId,
      aadObjectId: p.aad,
      installed: true,
    });
    expect(await store.userFor(p.aad)).toMatchObject({ userId: p.userId, tenantId: TENANT, serviceUrl: SERVICE });
    expect(await store.reference(p.conversationId)).toEqual({
      bot: { id: BOT, name: 'CRM' },
      user: { id: p.userId, name: 'Luis Mora', aadObjectId: p.aad },
      conversation: { id: p.conversationId, conversationType: 'personal', tenantId: TENANT },
      channelId: 'msteams',
      serviceUrl: SERVICE,
      locale: 'es-CR',
    });
  });

  it('the last activity wins: a new service URL replaces the old one', async () => {
    const p = someone();
    await store.recordActivity(personal(p));
    await store.recordActivity({ ...personal(p), serviceUrl: 'https://smba.infra.gcc.teams.microsoft.com/teams' });
    expect((await store.personalFor(p.aad))?.serviceUrl).toBe('https://smba.infra.gcc.teams.microsoft.com/teams');
    expect((await store.userFor(p.aad))?.serviceUrl).toBe('https://smba.infra.gcc.teams.microsoft.com/teams');
  });

  it('installationUpdate remove marks the chat uninstalled; add (or any later activity) installs it again', async () => {
    const p = someone();
    await store.recordActivity(personal(p, { type: 'installationUpdate', action: 'add' }));
    await store.recordActivity(personal(p, { type: 'installationUpdate', action: 'remove' }));
    expect((await store.personalFor(p.aad))?.installed).toBe(false);
    await store.recordActivity(personal(p, { type: 'installationUpdate', action: 'add' }));
    expect((await store.personalFor(p.aad))?.installed).toBe(true);
    await store.markUninstalled(p.conversationId);
    expect((await store.personalFor(p.aad))?.installed).toBe(false);
  });

  it('a team install stores the channel and every member Teams announces; a channel is found by its team too', async () => {
    const team = `19:${randomUUID()}@thread.tacv2`;
    const members = [someone(), someone()];
    await store.recordActivity({
      type: 'conversationUpdate',
      serviceUrl: SERVICE,
      from: { id: members[0]!.userId, aadObjectId: members[0]!.aad },
      recipient: { id: BOT },
      conversation: { id: team, conversationType: 'channel', tenantId: TENANT },
      channelData: { tenant: { id: TENANT }, team: { id: team }, eventType: 'teamMemberAdded' },
      membersAdded: [{ id: BOT }, ...members.map((m) => ({ id: m.userId, aadObjectId: m.aad }))],
    });
    expect(await store.conversation(team)).toMatchObject({ conversationType: 'channel', teamId: team, installed: true, userId: null });
    for (const m of members) expect((await store.userFor(m.aad))?.userId).toBe(m.userId);
    expect(await store.personalFor(members[1]!.aad)).toBeUndefined();
    // Another channel of that team (the ST's channel in the directory) and a thread of it.
    expect(await store.conversation(`${team};messageid=1712345`)).toMatchObject({ serviceUrl: SERVICE, tenantId: TENANT });
    // The bot removed from the team.
    await store.recordActivity({
      type: 'conversationUpdate',
      serviceUrl: SERVICE,
      from: { id: members[0]!.userId },
      recipient: { id: BOT },
      conversation: { id: team, conversationType: 'channel', tenantId: TENANT },
      channelData: { team: { id: team }, eventType: 'teamMemberRemoved' },
      membersRemoved: [{ id: BOT }],
    });
    expect((await store.conversation(team))?.installed).toBe(false);
  });

  it('ignores an activity without a conversation or a service URL', async () => {
    const p = someone();
    await store.recordActivity({ ...personal(p), serviceUrl: undefined });
    await store.recordActivity({ ...personal(p), conversation: null });
    expect(await store.personalFor(p.aad)).toBeUndefined();
  });

  it('pacing: evenly spaced slots per scope, the strictest scope decides, a block holds only its key', async () => {
    // Rates and blocks far apart from the time a step takes, so that no answer depends on how fast this
    // machine runs the steps (a slot of 1/7 s could pass between two takes on a loaded machine).
    const conv = `teams:conversation:${randomUUID()}`;
    const tenant = `teams:tenant:${randomUUID()}`;
    const scopes = [{ key: conv, perSecond: 0.01 }, { key: tenant, perSecond: 30 }];
    expect(await pacing.take(scopes)).toBe(0);
    // The next slot of the conversation is 100 s later (the strictest scope, not the tenant's 1/30 s);
    // nothing is taken while waiting.
    const wait = await pacing.take(scopes);
    expect(wait).toBeGreaterThan(50_000);
    expect(wait).toBeLessThanOrEqual(100_000);
    // Another conversation of the same tenant waits only for the tenant (1/30 s).
    const other = [{ key: `teams:conversation:${randomUUID()}`, perSecond: 7 }, { key: tenant, perSecond: 30 }];
    expect(await pacing.take(other)).toBeLessThanOrEqual(34);
    // A Retry-After on a conversation: it waits that long; Slack does not.
    const blocked = `teams:conversation:${randomUUID()}`;
    await pacing.block(blocked, 600_000);
    expect(await pacing.take([{ key: blocked, perSecond: 7 }])).toBeGreaterThan(500_000);
    expect(await pacing.take([{ key: 'slack' }])).toBe(0);
    expect(await pacing.take([{ key: 'slack' }])).toBe(0);
  });
});
