/**
 * Where the bot can reach people and channels in Microsoft Teams on its own (tables `teams_conversations`
 * and `teams_users`). Teams lets a bot message someone only after its app was installed for them, and only
 * with ids Teams gave it: every authenticated activity (an install, a message, a click, a member added to
 * the ST's team) is recorded here, after the SDK validated its token.
 *
 *   await store.recordActivity(activity)          // on every activity (src/adapters/teams/listeners.ts)
 *   await store.personalFor(aadObjectId)          // the person's personal chat, if the app is installed
 *   await store.userFor(aadObjectId)              // their `29:` id, to start a personal chat
 *   await store.conversation(id)                  // a channel's (or any) stored reference
 *   await store.beginSend(dedupeKey)               // before a post: an earlier attempt of the same row?
 *   await store.completeSend(dedupeKey, where)     // after it: the activity Teams answered with
 *
 * What is kept:
 *   - per conversation (`a:1…` personal, `19:…` channel or group chat): its type, tenant, service URL,
 *     team, the person of a personal chat (`29:` id and Entra object id), the conversation reference as
 *     received, and whether the app is still installed there (an `installationUpdate` `remove`, or the bot
 *     removed from the team's members, turns it off; any later activity turns it on again);
 *   - per person (Entra object id, lower case: the directory's `teams`): their `29:` id for this bot, tenant
 *     and service URL, from the latest activity they sent and from the team members Teams announced.
 * The last activity seen wins (updated_at is the instant it was recorded).
 */
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';
import { toJson } from './json.ts';

/** What the store reads of an activity (the Teams SDK's `Activity`, structurally). */
export interface ActivityLike {
  type?: unknown;
  action?: unknown;
  serviceUrl?: unknown;
  channelId?: unknown;
  locale?: unknown;
  from?: { id?: unknown; name?: unknown; aadObjectId?: unknown } | null;
  recipient?: { id?: unknown; name?: unknown } | null;
  conversation?: { id?: unknown; conversationType?: unknown; tenantId?: unknown; isGroup?: unknown } | null;
  channelData?: { tenant?: { id?: unknown } | null; team?: { id?: unknown } | null; eventType?: unknown } | null;
  membersAdded?: { id?: unknown; aadObjectId?: unknown }[] | null;
  membersRemoved?: { id?: unknown; aadObjectId?: unknown }[] | null;
}

/** An earlier attempt to post an outbox row (teams_sends): where it landed, when Teams answered. */
export interface TeamsSendRecord {
  startedAt: Date;
  activity?: { conversationId: string; activityId: string; serviceUrl: string };
}

export interface StoredTeamsConversation {
  id: string;
  conversationType: string;
  tenantId: string | null;
  serviceUrl: string;
  teamId: string | null;
  userId: string | null;
  aadObjectId: string | null;
  installed: boolean;
  updatedAt: Date;
}

export interface StoredTeamsUser {
  aadObjectId: string;
  userId: string;
  tenantId: string | null;
  serviceUrl: string;
  updatedAt: Date;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
/** A Teams user id for this bot. */
const isUserId = (v: string | undefined): v is string => v !== undefined && v.startsWith('29:');

/** Whether the activity says the app was removed from this conversation (personal chat or team). */
function removal(a: ActivityLike): boolean | undefined {
  const type = str(a.type);
  const action = str(a.action);
  if (type === 'installationUpdate') {
    if (action === 'remove' || action === 'remove-upgrade') return true;
    if (action === 'add' || action === 'add-upgrade') return false;
  }
  if (type === 'conversationUpdate') {
    const bot = str(a.recipient?.id);
    if (bot && (a.membersRemoved ?? []).some((m) => str(m?.id) === bot)) return true;
    if (bot && (a.membersAdded ?? []).some((m) => str(m?.id) === bot)) return false;
  }
  return undefined;
}

function conversationType(a: ActivityLike): string {
  const t = str(a.conversation?.conversationType);
  if (t) return t;
  return a.channelData?.team ? 'channel' : 'personal';
}

export class TeamsConversationStore {
  constructor(private readonly prisma: PrismaClient) {}

  /**
   * Records what an authenticated activity says about where the bot can write. Activities without a
   * conversation or a service URL are ignored. Safe to call for every activity, concurrently.
   */
  async recordActivity(a: ActivityLike, now: Date = new Date()): Promise<void> {
    const id = str(a.conversation?.id);
    const serviceUrl = str(a.serviceUrl);
    if (!id || !serviceUrl) return;
    const type = conversationType(a);
    const tenantId = str(a.conversation?.tenantId) ?? str(a.channelData?.tenant?.id) ?? null;
    const teamId = str(a.channelData?.team?.id) ?? null;
    const fromId = str(a.from?.id);
    const fromAad = str(a.from?.aadObjectId)?.toLowerCase();
    const personal = type === 'personal';
    const removed = removal(a);
    const reference = {
      bot: { id: str(a.recipient?.id), name: str(a.recipient?.name) },
      ...(fromId ? { user: { id: fromId, name: str(a.from?.name), aadObjectId: fromAad } } : {}),
      conversation: { id, conversationType: type, tenantId },
      channelId: str(a.channelId) ?? 'msteams',
      serviceUrl,
      ...(str(a.locale) ? { locale: str(a.locale) } : {}),
    };
    const fields = {
      conversationType: type,
      tenantId,
      serviceUrl,
      teamId,
      ...(personal && isUserId(fromId) ? { userId: fromId, aadObjectId: fromAad ?? null } : {}),
      reference: toJson(reference) as Prisma.InputJsonValue,
      updatedAt: now,
    };
    await this.prisma.teamsConversation.upsert({
      where: { id },
      create: { id, ...fields, installed: removed !== true, createdAt: now },
      // Any activity other than a removal means the bot is (again) in the conversation.
      update: { ...fields, installed: removed !== true },
    });

    const people: { id?: string; aad?: string }[] = [];
    if (removed !== true) people.push({ id: fromId, aad: fromAad });
    for (const m of a.membersAdded ?? []) people.push({ id: str(m?.id), aad: str(m?.aadObjectId)?.toLowerCase() });
    for (const p of people) {
      if (!isUserId(p.id) || !p.aad) continue;
      await this.rememberUser({ aadObjectId: p.aad, userId: p.id, tenantId, serviceUrl }, now);
    }
  }

  /** A person's `29:` id for this bot (from an activity, or a personal chat the bot started). */
  async rememberUser(u: { aadObjectId: string; userId: string; tenantId: string | null; serviceUrl: string }, now: Date = new Date()): Promise<void> {
    const aadObjectId = u.aadObjectId.toLowerCase();
    const data = { userId: u.userId, tenantId: u.tenantId, serviceUrl: u.serviceUrl, updatedAt: now };
    await this.prisma.teamsUser.upsert({ where: { aadObjectId }, create: { aadObjectId, ...data }, update: data });
  }

  /** A personal chat the bot created itself (POST /v3/conversations), so the next message reuses it. */
  async rememberPersonal(
    c: { conversationId: string; userId: string; aadObjectId: string; tenantId: string | null; serviceUrl: string; botId: string },
    now: Date = new Date(),
  ): Promise<void> {
    await this.recordActivity(
      {
        type: 'message',
        serviceUrl: c.serviceUrl,
        from: { id: c.userId, aadObjectId: c.aadObjectId },
        recipient: { id: c.botId },
        conversation: { id: c.conversationId, conversationType: 'personal', ...(c.tenantId ? { tenantId: c.tenantId } : {}) },
      },
      now,
    );
  }

  /** The app was found not installed there (a 403 from the Bot Connector): the next send will not try it. */
  async markUninstalled(conversationId: string): Promise<void> {
    await this.prisma.teamsConversation.updateMany({ where: { id: conversationId }, data: { installed: false } });
  }

  /** The latest personal chat with the person of this Entra object id (installed or not), if any. */
  async personalFor(aadObjectId: string): Promise<StoredTeamsConversation | undefined> {
    const row = await this.prisma.teamsConversation.findFirst({
      where: { aadObjectId: aadObjectId.toLowerCase(), conversationType: 'personal' },
      orderBy: [{ updatedAt: 'desc' }, { id: 'asc' }],
    });
    return row ? conversationOf(row) : undefined;
  }

  async userFor(aadObjectId: string): Promise<StoredTeamsUser | undefined> {
    const row = await this.prisma.teamsUser.findUnique({ where: { aadObjectId: aadObjectId.toLowerCase() } });
    return row ?? undefined;
  }

  /** A stored conversation by id; a channel id with a `;messageid=…` suffix is looked up without it. */
  async conversation(id: string): Promise<StoredTeamsConversation | undefined> {
    const row =
      (await this.prisma.teamsConversation.findUnique({ where: { id } })) ??
      (id.includes(';') ? await this.prisma.teamsConversation.findUnique({ where: { id: id.split(';')[0]! } }) : null);
    if (row) return conversationOf(row);
    // A channel of a team the bot was added to: the team's reference (same tenant and service URL).
    const team = await this.prisma.teamsConversation.findFirst({ where: { teamId: id.split(';')[0]! }, orderBy: { updatedAt: 'desc' } });
    return team ? { ...conversationOf(team), id } : undefined;
  }

  /**
   * Records that the post of outbox row `dedupeKey` starts now (teams_sends), unless an earlier attempt
   * did: then that attempt, with the activity id Teams answered when it completed.
   */
  async beginSend(dedupeKey: string, now: Date = new Date()): Promise<TeamsSendRecord | undefined> {
    const found = await this.prisma.teamsSend.findUnique({ where: { dedupeKey } });
    if (found) return sendOf(found);
    const created = await this.prisma.teamsSend.createMany({ data: [{ dedupeKey, startedAt: now }], skipDuplicates: true });
    if (created.count === 1) return undefined;
    // Another worker began it meanwhile.
    const other = await this.prisma.teamsSend.findUnique({ where: { dedupeKey } });
    return other ? sendOf(other) : undefined;
  }

  /** The post of `dedupeKey` was answered: where it is, so a retry of the row updates it. */
  async completeSend(dedupeKey: string, at: { conversationId: string; serviceUrl: string; activityId: string }): Promise<void> {
    await this.prisma.teamsSend.upsert({ where: { dedupeKey }, create: { dedupeKey, ...at }, update: at });
  }

  /** The post of `dedupeKey` certainly did not happen (Teams answered with an error): forget the attempt. */
  async abandonSend(dedupeKey: string): Promise<void> {
    await this.prisma.teamsSend.deleteMany({ where: { dedupeKey, activityId: null } });
  }

  /** The reference as received (for logs and tests). */
  async reference(id: string): Promise<unknown> {
    return (await this.prisma.teamsConversation.findUnique({ where: { id }, select: { reference: true } }))?.reference ?? undefined;
  }
}

function sendOf(row: Prisma.TeamsSendGetPayload<object>): TeamsSendRecord {
  return {
    startedAt: row.startedAt,
    ...(row.activityId && row.conversationId && row.serviceUrl ? { activity: { activityId: row.activityId, conversationId: row.conversationId, serviceUrl: row.serviceUrl } } : {}),
  };
}

function conversationOf(row: Prisma.TeamsConversationGetPayload<object>): StoredTeamsConversation {
  return {
    id: row.id,
    conversationType: row.conversationType,
    tenantId: row.tenantId,
    serviceUrl: row.serviceUrl,
    teamId: row.teamId,
    userId: row.userId,
    aadObjectId: row.aadObjectId,
    installed: row.installed,
    updatedAt: row.updatedAt,
  };
}
