/**
 * What every Slack listener shares: the context (flows, read model, Web API client, identity), answering a
 * person privately, idempotency keys from stable request data, time budgets, the generic error, and small
 * notice modals.
 */
import { createHash } from 'node:crypto';
import type { webApi } from '@slack/bolt';
import type { Locale } from '../../../directory/model.ts';
import type { FlowDeps } from '../../../flows/ports.ts';
import type { MeetingDeps } from '../../../flows/meeting-flows.ts';
import type { ConsultationReader } from '../../../flows/queries.ts';
import { t } from '../../../i18n/index.ts';
import type { Logger } from '../../../log.ts';
import { renderEphemeral, SLACK_LIMITS, truncate, escapeMrkdwn, type KnownBlock, type SlackMessage } from '../render.ts';
import type { ModalView } from '../views.ts';
import type { SlackIdentity } from '../identity.ts';
import type { Interaction } from '../../../interaction/interaction.ts';

export interface SlackListenerContext {
  deps: FlowDeps;
  reader: ConsultationReader;
  /** Our Web API client (config.slack.apiUrl, no retries of its own). */
  client: webApi.WebClient;
  identity: SlackIdentity;
  /** The platform-free interaction layer, on this identity. */
  interaction: Interaction;
  logger: Logger;
  /**
   * How long a view submission may wait for the database before it is acknowledged anyway (the result then
   * arrives as a message). Slack gives up at 3 s; default 2000 ms.
   */
  viewBudgetMs: number;
  /** How long a click waits for the access check before the reason form opens anyway. Default 1200 ms. */
  checkBudgetMs: number;
  /** Meetings (invitation answers, `/crm reuniones`, `/crm pendientes`); absent: those are off. */
  meetings?: MeetingDeps;
}

// ------------------------------------------------------------------------------------------ keys

export const sha = (s: string, n = 16) => createHash('sha256').update(s).digest('hex').slice(0, n);

/** A click: the same click delivered again (Slack retry) has the same key; another click does not. */
export const actionKey = (a: { userId: string; actionId: string; actionTs: string; value: string }) =>
  `slack:action:${a.userId}:${a.actionId}:${a.actionTs}:${sha(a.value)}`;

/** JSON with object keys sorted: the same value gives the same text however its keys were ordered. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/**
 * A view submission: the view and what was submitted (a corrected resubmission gets a new key). The values
 * are read in a canonical order: a submission replayed from the inbox (stored as PostgreSQL jsonb, which
 * reorders object keys) has the key it was first run under, so work committed before a crash is not done twice.
 */
export const viewKey = (a: { userId: string; viewId: string; values: unknown; privateMetadata?: string }) =>
  `slack:view:${a.userId}:${a.viewId}:${sha(canonicalJson(a.values ?? {}) + (a.privateMetadata ?? ''))}`;

/** A slash command or a button that opens a form: the trigger id is unique per invocation. */
export const triggerKey = (userId: string, triggerId: string, what: string) => `slack:${what}:${userId}:${sha(triggerId, 24)}`;

// ------------------------------------------------------------------------------------------ inbox

/** What a listener sees in `context.inbox` for a request stored in the inbox (../inbox.ts). */
export interface InboxTicket {
  readonly id: string;
  /** True when the request is replayed at start (its trigger_id has expired; nobody waits for the ack). */
  readonly replay: boolean;
  /** The first unexpected failure the listener reported (then the row is not marked processed). */
  failure?: unknown;
  fail(error: unknown): void;
  /** Set when the work marked the row processed itself, with its decision (nothing left to mark). */
  processedByWork?: boolean;
}

/** What a flow needs to mark a ticket's row processed with its decision (HandleOptions.inbox). */
export function inboxOption(context: Record<string, unknown>): { inbox?: { id: string; processed(): void } } {
  const t = ticketOf(context);
  return t ? { inbox: { id: t.id, processed: () => void (t.processedByWork = true) } } : {};
}

export const INBOX_CONTEXT_KEY = 'inbox';

export function ticketOf(context: Record<string, unknown> | undefined): InboxTicket | undefined {
  const t = context?.[INBOX_CONTEXT_KEY] as InboxTicket | undefined;
  return t && typeof t === 'object' && typeof t.fail === 'function' ? t : undefined;
}

/** The request is a replay from the inbox: open no modal, expect no ack, answer privately. */
export const isReplay = (context: Record<string, unknown> | undefined): boolean => ticketOf(context)?.replay === true;

/** A repeat of something already answered (a Slack retry, or a replay): say nothing again. */
export const isRepeat = (context: Record<string, unknown>): boolean => Boolean(context.retryNum) || isReplay(context);

// ------------------------------------------------------------------------------------------ answering

export interface ReplyTarget {
  userId: string;
  /** Where the person acted (a channel or DM): chat.postEphemeral goes there. */
  channelId?: string;
  /** Bolt's respond() (the request's response_url), when there is one. */
  respond?: (message: Record<string, unknown>) => Promise<unknown>;
  /** Prefer response_url (slash commands) over chat.postEphemeral. */
  preferRespond?: boolean;
}

/**
 * Tells one person something privately: chat.postEphemeral where they acted, or the request's response_url,
 * whichever works (the bot may not be in the channel a command was typed in); as a last resort a direct
 * message. Never throws: a failure is logged.
 */
export async function replyPrivately(ctx: SlackListenerContext, to: ReplyTarget, message: { text: string; blocks: KnownBlock[] }): Promise<void> {
  const viaRespond = async () => {
    if (!to.respond) return false;
    await to.respond({ response_type: 'ephemeral', replace_original: false, text: message.text, blocks: message.blocks });
    return true;
  };
  const viaEphemeral = async () => {
    if (!to.channelId) return false;
    await ctx.client.chat.postEphemeral({ channel: to.channelId, user: to.userId, text: message.text, blocks: message.blocks });
    return true;
  };
  const order = to.preferRespond ? [viaRespond, viaEphemeral] : [viaEphemeral, viaRespond];
  for (const attempt of order) {
    try {
      if (await attempt()) return;
    } catch (err) {
      ctx.logger.debug({ error: err instanceof Error ? err.message : String(err) }, 'slack: private reply failed; trying another way');
    }
  }
  try {
    await ctx.client.chat.postMessage({ channel: to.userId, text: message.text, blocks: message.blocks });
  } catch (err) {
    ctx.logger.warn({ error: err instanceof Error ? err.message : String(err) }, 'slack: could not answer the person');
  }
}

export const replyText = (ctx: SlackListenerContext, to: ReplyTarget, text: string) => replyPrivately(ctx, to, renderEphemeral(text));

/**
 * Runs a listener's work; an unexpected error is logged once (with the request id and what was being done),
 * reported to the request's inbox ticket (when `context` carries one) and the person gets the generic
 * message with that id. Never throws.
 */
export async function guarded(
  ctx: SlackListenerContext,
  info: { requestId: string; what: string; locale: () => Locale; reply: (text: string) => Promise<void>; context?: Record<string, unknown> },
  work: () => Promise<void>,
): Promise<void> {
  try {
    await work();
  } catch (err) {
    // A stored request stays in the inbox and is tried again at the next start.
    ticketOf(info.context)?.fail(err);
    ctx.logger.error({ err, requestId: info.requestId, what: info.what }, 'slack: request failed');
    try {
      await info.reply(t(info.locale(), 'error.internal', { requestId: info.requestId }));
    } catch {
      /* already logged */
    }
  }
}

export const requestIdOf = (context: Record<string, unknown>): string =>
  typeof context.requestId === 'string' ? context.requestId : `slack-${Date.now().toString(36)}`;

// ------------------------------------------------------------------------------------------ modals

const plain = (text: string, max = 2000) => ({ type: 'plain_text' as const, text: truncate(text, max), emoji: true });

/** A modal that only says something (a result, a refusal, "loading…"); closes with "Close". */
export function noticeModal(locale: Locale, text: string, options: { callbackId?: string; title?: string } = {}): ModalView {
  return {
    type: 'modal',
    ...(options.callbackId ? { callback_id: options.callbackId } : {}),
    title: plain(options.title ?? t(locale, 'slack.modal_title'), SLACK_LIMITS.modalTitle),
    close: plain(t(locale, 'slack.close'), SLACK_LIMITS.modalButton),
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: truncate(escapeMrkdwn(text), SLACK_LIMITS.sectionText) } }],
  };
}

/** The ack body that replaces a submitted modal with a notice. */
export const updateWithNotice = (locale: Locale, text: string) => ({ response_action: 'update' as const, view: noticeModal(locale, text) });

export type { SlackMessage };
