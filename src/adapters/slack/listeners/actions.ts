/**
 * Buttons. Every click is acknowledged at once, its payload turned into an intent and handed to the
 * interaction layer (src/interaction/interaction.ts: what is recorded, refused or asked), and the replies
 * presented (../present.ts):
 *   - the value is parsed as untrusted input (parseButtonValue); a malformed or forged one becomes a decide
 *     intent without a target ("invalid button", nothing changed);
 *   - the clicked message (`{ channel, ts }`) is the card the outbox updates in place after the decision,
 *     through the click's response URL (carried with it) while fresh, else chat.update;
 *   - the idempotency key is the click (user, action_ts, action, value), so a Slack retry records nothing new;
 *   - request changes / object open the reason modal right after the ack (the trigger expires in 3 s),
 *     after an access check of at most `checkBudgetMs`;
 *   - `home_new_consultation` (Home tab) → the new-consultation modal, as `/crm consulta`.
 * One person's clicks are handled in the order they arrived (inOrderFor).
 */
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { DECISION_ACTIONS, type DecisionAction } from '../../../interaction/decisions.ts';
import { ACTION_HOME_NEW_CONSULTATION } from '../../../interaction/home.ts';
import type { Intent } from '../../../interaction/intent.ts';
import { inOrderFor } from '../../../interaction/pacing.ts';
import { SlackPresenter } from '../present.ts';
import { parseButtonValue } from '../render.ts';
import { actionKey, guarded, inboxOption, isRepeat, isReplay, replyText, requestIdOf, triggerKey, type ReplyTarget, type SlackListenerContext } from './shared.ts';

/**
 * The time of the click, from Slack's `action_ts` ("1700000000.123456", seconds with decimals), so a replay
 * of the click from the inbox long after it happened does not pass the response URL's freshness check as if
 * it were new. A missing or malformed value, or one in the future (clock skew), falls back to `now`.
 */
export function clickTimeMs(actionTs: unknown, now: number): number {
  if (typeof actionTs !== 'string' || !/^\d{1,12}(\.\d{1,9})?$/.test(actionTs)) return now;
  const ms = Math.floor(Number(actionTs) * 1000);
  if (!Number.isFinite(ms) || ms <= 0 || ms > now) return now;
  return ms;
}

const DECISION_PATTERN = new RegExp(`^(${DECISION_ACTIONS.join('|')})$`);

export function registerActions(app: App, ctx: SlackListenerContext): void {
  app.action<BlockAction<ButtonAction>>(DECISION_PATTERN, async ({ body, action, ack, respond, context }) => {
    await ack();
    const requestId = requestIdOf(context);
    const userId = body.user.id;
    const to: ReplyTarget = { userId, ...(body.container?.channel_id ?? body.channel?.id ? { channelId: body.container?.channel_id ?? body.channel?.id } : {}), respond };
    let locale = ctx.interaction.localeOf(userId);
    // One person's clicks are handled in the order they arrived: a quick change of mind (support, then
    // abstain) must not overtake itself on the way to the consultation's lock.
    await inOrderFor(userId, () =>
      guarded(ctx, { requestId, what: `action ${action.action_id}`, locale: () => locale, reply: (text) => replyText(ctx, to, text), context }, async () => {
        const actionId = action.action_id as DecisionAction;
        const key = actionKey({ userId, actionId, actionTs: action.action_ts, value: typeof action.value === 'string' ? action.value : '' });
        const target = parseButtonValue(action.value);
        const isMessage = body.container?.type === 'message';
        // The click's response URL rides with the card: the clicker's card is then updated through it, first.
        const hook = typeof body.response_url === 'string' && body.response_url ? { responseUrl: body.response_url, at: clickTimeMs(action.action_ts, Date.now()) } : {};
        const card = isMessage && body.container?.channel_id && body.container?.message_ts ? { channel: body.container.channel_id, ts: body.container.message_ts, ...hook } : undefined;
        const intent: Intent = { kind: 'decide', action: actionId, ...(target ? { target } : {}), ...(card ? { card } : {}) };
        const slack = new SlackPresenter(ctx, { userId, to, triggerId: body.trigger_id });
        await slack.run(intent, { key, budgetMs: ctx.checkBudgetMs, repeat: isRepeat(context), replay: isReplay(context), requestId, ...inboxOption(context) }, locale, (l) => (locale = l));
      }),
    );
  });

  app.action(ACTION_HOME_NEW_CONSULTATION, async ({ body, ack, context }) => {
    await ack();
    const userId = body.user.id;
    const requestId = requestIdOf(context);
    const to: ReplyTarget = { userId };
    const locale = ctx.interaction.localeOf(userId);
    await guarded(ctx, { requestId, what: 'home new consultation', locale: () => locale, reply: (text) => replyText(ctx, to, text) }, async () => {
      const triggerId = (body as { trigger_id?: string }).trigger_id ?? '';
      const slack = new SlackPresenter(ctx, { userId, to, triggerId });
      await slack.run({ kind: 'open_form', form: 'consultation_new' }, { key: triggerKey(userId, triggerId, 'home'), requestId }, locale);
    });
  });
}
