/**
 * The Teams notifier: the deliver job's Notifier (src/flows/notifier.ts) for `platform: 'teams'`, the twin
 * of adapters/slack/slack-notifier.ts.
 *
 *   const notifier = new TeamsNotifier({ connector, conversations, config, logger });
 *   await notifier.send(item)   // → { ok: true, receipt: { conversationId, activityId, serviceUrl } } | { ok: false, … }
 *
 * What a send does:
 *   - a person (recipient `teams` = their Entra object id, the directory's `teams`) → their personal chat
 *     with the bot, as stored from their last activity (src/store/teams-conversation-store.ts), then
 *     `POST …/activities` with the card; with no personal chat yet but their `29:` id known (they wrote in
 *     a team the bot is in, or were announced as a member of the ST's team) → `POST /v3/conversations`
 *     with the card as its first activity, and the new chat is stored; with neither, or with the app
 *     removed → permanent failure `teams:not_installed`, reason `not_installed`: the deliver job
 *     dead-letters it and the ST is told this person must install the app;
 *   - the ST channel (recipient `teams` = the channel's conversation id `19:…@thread.tacv2`) → a new post
 *     in that channel, on the service URL stored for it (or its team), else TEAMS_SERVICE_URL;
 *   - update in place: when the item carries a Teams receipt (a `card_update` row's `updates`: the clicked
 *     card `{ channel: conversation id, ts: activity id }` on its conversation's stored service URL; the row's
 *     own receipt) or the message has a `replaceKey` whose last receipt the deliver job found (the ST's live
 *     status, a person's member card) → `PUT …/activities/{id}`. A card that no longer exists (404) is
 *     posted anew. The receipt is `{ conversationId, activityId, serviceUrl }`;
 *   - a message naming a file (the audit record after the digest): sent as its card alone, its words saying
 *     that the file cannot be attached in Teams and naming the CLI command that writes it; Teams bots cannot
 *     share a file in a channel without Graph.
 *
 * Errors (connector-client.ts): 403 BotNotInConversationRoster → `not_installed` (the stored chat is marked
 * uninstalled); other 403, 404, 413, 400 → permanent; 429, 412, 500, 502, 503, 504 → retried by the deliver
 * job after Retry-After (`retryAfterMs`); 401, token and network failures → transient.
 *
 * Scopes (jobs/pacing.ts): a message is paced in its conversation (7 a second) and in its tenant (30 a
 * second, the app's limit per tenant), across every worker; a 429 holds back its conversation.
 *
 * Idempotency. The Bot Connector has no idempotency key: a POST of an activity always makes a new one,
 * ids are assigned by Teams (an `id` the bot sends is ignored), and a bot cannot list a conversation's
 * activities (only Microsoft Graph can, with chat-reading permissions the bot does not ask for). So what is
 * protected, and how (teams_sends, src/store/teams-conversation-store.ts):
 *   - every post of an outbox row is recorded (by its dedupe key) before the POST, and completed with the
 *     activity id Teams answered; a retry of a row whose earlier post was answered — the answer reached us
 *     but the row was not marked sent (a crash, the database down, the job's lease lost) — updates that
 *     activity (PUT, idempotent) instead of posting it again;
 *   - a failure that certainly posted nothing (Teams answered with an error; the connection was never made;
 *     no token) forgets the attempt: the retry posts normally;
 *   - a failure whose outcome is unknown (a timeout or a connection lost after the request went out) keeps
 *     it: the retry posts again — losing a request or a reminder is worse than showing it twice — and that
 *     post says on the card that a second copy may exist and that either may be answered; both carry the
 *     same consultation and text version, and the domain records a country's answer once
 *     (`already_recorded`). This window (an answer lost on the wire) is the only one left open.
 * Updates in place (PUT) are idempotent.
 */
import { z } from 'zod';
import { cardUpdateFields, neutralMessageSchema } from '../../messages/neutral-schema.ts';
import type { DeliveryItem, Notifier, RateScope, SendOptions, SendOutcome } from '../../flows/notifier.ts';
import type { Logger } from '../../log.ts';
import type { NeutralMessage } from '../../messages/neutral.ts';
import type { StoredTeamsConversation, StoredTeamsUser, TeamsSendRecord } from '../../store/teams-conversation-store.ts';
import { t } from '../../i18n/index.ts';
import type { TeamsConfig } from './config.ts';
import { ConnectorError, toSendOutcome, type Activity, type ConnectorClient } from './connector-client.ts';
import { renderActivity } from './render.ts';
import { BotTokenError } from './token-provider.ts';
import { recordCommand } from '../../record/outbox.ts';

/** Teams' limits for a bot: messages a second per conversation, and per app and tenant. */
export const TEAMS_PER_CONVERSATION_PER_SECOND = 7;
export const TEAMS_PER_TENANT_PER_SECOND = 30;

export const NOT_INSTALLED = 'teams:not_installed';

export interface TeamsReceipt {
  conversationId: string;
  activityId: string;
  serviceUrl: string;
}

const receiptSchema = z.object({ conversationId: z.string().min(1), activityId: z.string().min(1), serviceUrl: z.url() });

const cardRefSchema = z.object({ channel: z.string().min(1).max(400), ts: z.string().min(1).max(200) });

export function parseTeamsReceipt(receipt: unknown): TeamsReceipt | undefined {
  const p = receiptSchema.safeParse(receipt);
  return p.success ? p.data : undefined;
}

/** What the notifier needs of the conversation store (src/store/teams-conversation-store.ts). */
export interface TeamsConversations {
  personalFor(aadObjectId: string): Promise<StoredTeamsConversation | undefined>;
  userFor(aadObjectId: string): Promise<StoredTeamsUser | undefined>;
  conversation(id: string): Promise<StoredTeamsConversation | undefined>;
  rememberPersonal(c: { conversationId: string; userId: string; aadObjectId: string; tenantId: string | null; serviceUrl: string; botId: string }): Promise<void>;
  markUninstalled(conversationId: string): Promise<void>;
  /** The posts the notifier started, by outbox dedupe key (teams_sends); absent: no protection on retries. */
  beginSend?(dedupeKey: string): Promise<TeamsSendRecord | undefined>;
  completeSend?(dedupeKey: string, at: TeamsReceipt): Promise<void>;
  abandonSend?(dedupeKey: string): Promise<void>;
}

const ENTRA_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const recipientSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('person'), personId: z.string(), teams: z.string().regex(ENTRA_ID).optional() }),
  z.object({ kind: z.literal('secretariat_channel'), teams: z.string().min(1).optional() }),
]);

const neutralSchema = neutralMessageSchema.extend({
  ...cardUpdateFields,
  attachment: z.object({ kind: z.string(), reference: z.string() }).loose().optional(),
});

/** A message naming a file, as Teams shows it: the file is not attached, and the words say so (see the module comment). */
function withoutFile(m: NeutralMessage): NeutralMessage {
  if (m.attachment?.kind !== 'consultation_record') return m;
  const { attachment: _file, ...rest } = m;
  const reference = m.attachment.reference;
  return { ...rest, body: [t(m.locale, 'record.not_attached.body', { reference }), t(m.locale, 'record.not_attached.cli', { command: recordCommand(reference) })] };
}

export interface TeamsNotifierOptions {
  connector: ConnectorClient;
  conversations: TeamsConversations;
  config: Pick<TeamsConfig, 'appId' | 'serviceUrl' | 'tenantId'>;
  logger: Logger;
}

type Target = { serviceUrl: string; conversationId: string; tenantId: string | null } | { create: StoredTeamsUser } | { unreachable: string };

export class TeamsNotifier implements Notifier {
  private readonly log: Logger;
  /** replaceKey → last receipt, for a message whose caller did not pass the receipt. */
  private readonly lastByReplaceKey = new Map<string, TeamsReceipt>();

  constructor(private readonly options: TeamsNotifierOptions) {
    this.log = options.logger.child({ adapter: 'teams' });
  }

  async send(item: DeliveryItem, opts: SendOptions = {}): Promise<SendOutcome> {
    const log = this.log.child({ outboxId: item.id, kind: item.kind });
    if (item.platform !== 'teams') return { ok: false, permanent: true, error: `not a Teams delivery (${item.platform})` };
    const recipient = recipientSchema.safeParse(item.recipient);
    if (!recipient.success || !recipient.data.teams) return { ok: false, permanent: true, error: 'no Teams address for this recipient' };
    const parsed = neutralSchema.safeParse(item.payload);
    if (!parsed.success) return { ok: false, permanent: true, error: 'payload is not a neutral message' };
    const message = withoutFile(parsed.data as NeutralMessage) as NeutralMessage & { updates?: unknown };
    let activity: Activity;
    // (re-rendered below when an earlier attempt may have been posted)
    try {
      activity = renderActivity(message) as unknown as Activity;
    } catch (e) {
      log.error({ err: e }, 'teams: message cannot be rendered');
      return { ok: false, permanent: true, error: `render: ${e instanceof Error ? e.message : 'failed'}` };
    }
    const { connector } = this.options;
    let conversationId: string | undefined;
    let began = false;
    try {
      if (opts.signal?.aborted) return { ok: false, error: 'aborted' };
      const previous =
        parseTeamsReceipt(item.receipt) ??
        parseTeamsReceipt(message.updates) ??
        (await this.clickedCard(message.updates)) ??
        (message.replaceKey ? this.lastByReplaceKey.get(message.replaceKey) : undefined);
      if (previous) {
        conversationId = previous.conversationId;
        try {
          await connector.updateActivity(previous.serviceUrl, previous.conversationId, previous.activityId, activity, opts.signal);
          return this.sent(message, previous, log, 'updated');
        } catch (e) {
          if (!(e instanceof ConnectorError && e.status === 404)) throw e;
          // Only an update (a card closed or corrected in place): the card is gone, nothing new is posted.
          if (message.updateOnly) {
            log.info({ code: e.code }, 'teams: the card to update is gone; nothing posted');
            return { ok: true, receipt: previous };
          }
          log.info({ code: e.code }, 'teams: previous card is gone; posting a new one');
        }
      }
      const target = recipient.data.kind === 'person' ? await this.personTarget(recipient.data.teams) : await this.channelTarget(recipient.data.teams);
      if ('unreachable' in target) {
        log.warn({ why: target.unreachable }, 'teams: this person cannot be reached: the app is not installed for them');
        return { ok: false, permanent: true, error: `${NOT_INSTALLED} (${target.unreachable})`, reason: 'not_installed' };
      }
      if (opts.signal?.aborted) return { ok: false, error: 'aborted' };

      // A post, which Teams cannot deduplicate: record the attempt first; an earlier attempt of this row that
      // Teams answered is updated instead; one whose answer never came may have been posted (said on it).
      const { conversations } = this.options;
      const earlier = conversations.beginSend ? await conversations.beginSend(item.dedupeKey) : undefined;
      began = conversations.beginSend !== undefined;
      if (earlier?.activity) {
        const at = earlier.activity;
        conversationId = at.conversationId;
        try {
          await connector.updateActivity(at.serviceUrl, at.conversationId, at.activityId, activity, opts.signal);
          return this.sent(message, at, log, 'updated: an earlier attempt of this row had posted it');
        } catch (e) {
          if (!(e instanceof ConnectorError && e.status === 404)) throw e;
          log.info({ code: e.code }, 'teams: the card an earlier attempt posted is gone; posting a new one');
        }
      } else if (earlier) {
        log.warn({ startedAt: earlier.startedAt.toISOString() }, 'teams: an earlier attempt of this row got no answer and may have been posted; posting again, said on the card');
        activity = renderActivity({ ...message, body: [...message.body, t(message.locale, 'teams.maybe_repeat')] }) as unknown as Activity;
      }
      const posted = async (receipt: TeamsReceipt, how: string): Promise<SendOutcome> => {
        await conversations.completeSend?.(item.dedupeKey, receipt).catch((err: unknown) => log.warn({ err }, 'teams: posted, but the post could not be recorded'));
        return this.sent(message, receipt, log, how);
      };

      if ('create' in target) {
        const u = target.create;
        const tenantId = u.tenantId ?? this.options.config.tenantId;
        if (!tenantId) return { ok: false, permanent: true, error: `${NOT_INSTALLED} (no tenant known for this person)`, reason: 'not_installed' };
        const conv = await connector.createConversation({ serviceUrl: u.serviceUrl, tenantId, userId: u.userId, activity }, opts.signal);
        conversationId = conv.id;
        await this.options.conversations.rememberPersonal({
          conversationId: conv.id,
          userId: u.userId,
          aadObjectId: u.aadObjectId,
          tenantId,
          serviceUrl: u.serviceUrl,
          botId: `28:${this.options.config.appId}`,
        });
        // Teams answers with the first activity's id; without one, the card is posted to the new chat.
        const activityId = conv.activityId ?? (await connector.sendActivity(u.serviceUrl, conv.id, activity, opts.signal)).id;
        return posted({ conversationId: conv.id, activityId, serviceUrl: u.serviceUrl }, 'posted in a new personal chat');
      }
      conversationId = target.conversationId;
      const sent = await connector.sendActivity(target.serviceUrl, target.conversationId, activity, opts.signal);
      return posted({ conversationId: target.conversationId, activityId: sent.id, serviceUrl: target.serviceUrl }, 'posted');
    } catch (e) {
      const outcome = toSendOutcome(e);
      // Teams answered with an error, or the connection was never made: nothing was posted.
      const unposted = e instanceof ConnectorError ? !e.ambiguous : e instanceof BotTokenError;
      if (began && unposted) await this.options.conversations.abandonSend?.(item.dedupeKey).catch(() => undefined);
      if (e instanceof ConnectorError && e.reason === 'not_installed') {
        if (conversationId) await this.options.conversations.markUninstalled(conversationId).catch(() => undefined);
        log.warn({ error: outcome.ok ? '' : outcome.error }, 'teams: the app is not installed for this recipient');
        return { ...(outcome as Extract<SendOutcome, { ok: false }>), error: `${NOT_INSTALLED} (403 BotNotInConversationRoster)`, reason: 'not_installed' };
      }
      const fields = outcome.ok ? {} : { error: outcome.error, permanent: outcome.permanent ?? false, retryAfterMs: outcome.retryAfterMs };
      if (e instanceof ConnectorError || !(e instanceof Error)) log.warn(fields, 'teams: send failed');
      else log.error({ ...fields, err: e }, 'teams: send failed');
      return outcome;
    }
  }

  /** Paced per conversation (7/s) and per tenant (30/s); a 429 holds back the conversation. */
  async scopes(item: DeliveryItem): Promise<readonly RateScope[]> {
    const r = recipientSchema.safeParse(item.recipient);
    const fallbackTenant = this.options.config.tenantId ?? 'default';
    if (!r.success || !r.data.teams) return [{ key: 'teams' }];
    const receipt = parseTeamsReceipt(item.receipt);
    let conversation: string;
    let tenant: string = fallbackTenant;
    if (r.data.kind === 'person') {
      const personal = receipt ? undefined : await this.options.conversations.personalFor(r.data.teams);
      conversation = receipt?.conversationId ?? personal?.id ?? `person:${r.data.teams.toLowerCase()}`;
      tenant = personal?.tenantId ?? tenant;
    } else {
      conversation = receipt?.conversationId ?? r.data.teams;
      tenant = (await this.options.conversations.conversation(conversation))?.tenantId ?? tenant;
    }
    return [
      { key: `teams:conversation:${conversation.split(';')[0]}`, perSecond: TEAMS_PER_CONVERSATION_PER_SECOND },
      { key: `teams:tenant:${tenant}`, perSecond: TEAMS_PER_TENANT_PER_SECOND },
    ];
  }

  /**
   * The card a person clicked, as the interaction layer names it (`{ channel: conversation id, ts: activity
   * id }`, src/interaction/decisions.ts CardRef), on the service URL stored for that conversation.
   */
  private async clickedCard(updates: unknown): Promise<TeamsReceipt | undefined> {
    const ref = cardRefSchema.safeParse(updates);
    if (!ref.success) return undefined;
    const stored = await this.options.conversations.conversation(ref.data.channel);
    const serviceUrl = stored?.serviceUrl ?? this.options.config.serviceUrl;
    return serviceUrl ? { conversationId: ref.data.channel, activityId: ref.data.ts, serviceUrl } : undefined;
  }

  private async personTarget(aadObjectId: string): Promise<Target> {
    const { conversations } = this.options;
    const personal = await conversations.personalFor(aadObjectId);
    if (personal?.installed) return { serviceUrl: personal.serviceUrl, conversationId: personal.id, tenantId: personal.tenantId };
    if (personal && !personal.installed) return { unreachable: 'the app was removed from their personal chat' };
    const user = await conversations.userFor(aadObjectId);
    if (user) return { create: user };
    return { unreachable: 'no conversation with this person yet' };
  }

  private async channelTarget(conversationId: string): Promise<Target> {
    const stored = await this.options.conversations.conversation(conversationId);
    if (stored && !stored.installed) return { unreachable: 'the app was removed from this team' };
    const serviceUrl = stored?.serviceUrl ?? this.options.config.serviceUrl;
    if (!serviceUrl) return { unreachable: 'no service URL known for this channel' };
    return { serviceUrl, conversationId, tenantId: stored?.tenantId ?? this.options.config.tenantId ?? null };
  }

  private sent(message: NeutralMessage, receipt: TeamsReceipt, log: Logger, how: string): SendOutcome {
    if (message.replaceKey) this.lastByReplaceKey.set(message.replaceKey, receipt);
    log.debug({ conversationId: receipt.conversationId, activityId: receipt.activityId }, `teams: ${how}`);
    return { ok: true, receipt };
  }
}
