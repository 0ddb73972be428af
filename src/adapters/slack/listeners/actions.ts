/**
 * Buttons. Every click is acknowledged at once; then:
 *   - the value is parsed as untrusted input (parseButtonValue); a malformed or forged one → "invalid
 *     button", nothing changed (the attempt is logged, and recorded for people in the directory);
 *   - someone not in the directory → refusal, a warning without personal data;
 *   - approve / support / abstain → the flow at once. Idempotency key: the click (user, action_ts, action,
 *     value), so a Slack retry records nothing new; a second click is decided in turn under the
 *     consultation's lock and the domain answers `already_recorded` when it repeats the country's current
 *     record — two clicks at the same instant record once, and the last click always wins. The clicked
 *     card is updated in place through the outbox;
 *   - request changes / object (Troika), object (member) → the reason modal (views.open right after the
 *     ack; the trigger expires in 3 s). Authority, stage and text version are checked first within
 *     `checkBudgetMs`: a refusal then comes as a private message instead of a form. If the check takes
 *     longer the form opens and, should the check refuse, turns into the refusal (views.update).
 *   - `home_new_consultation` (Home tab) → the new-consultation modal, as `/crm consulta`.
 * Refusals come from the flows (recorded in the command log) and are said privately in the person's language.
 */
import { mayStartConsultation } from '../../../domain/authority.ts';
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { CommandActor } from '../../../domain/types.ts';
import { checkAccess, recordRefusedAttempt } from '../../../flows/preview.ts';
import { t } from '../../../i18n/index.ts';
import { parseButtonValue } from '../render.ts';
import { ACTION_HOME_NEW_CONSULTATION, encodeReasonMetadata, newConsultationModal, reasonModal } from '../views.ts';
import { encodeOrigin } from './commands.ts';
import {
  decisionCommand,
  DECISION_ACTIONS,
  REASON_KIND,
  runDecision,
  whatText,
  type DecisionAction,
} from '../../../interaction/decisions.ts';
import { publishHome } from './home.ts';
import { notInDirectoryText, refusalText } from '../../../interaction/refusals.ts';
import { within } from '../../../interaction/pacing.ts';
import {
  actionKey,
  guarded,
  isRepeat,
  isReplay,
  noticeModal,
  replyText,
  requestIdOf,
  triggerKey,
  type ReplyTarget,
  type SlackListenerContext,
} from './shared.ts';

/** Runs `work` after every earlier piece of work queued under the same key (per-process FIFO). */
const queues = new Map<string, Promise<unknown>>();
function inOrderFor<T>(key: string, work: () => Promise<T>): Promise<T> {
  const previous = queues.get(key) ?? Promise.resolve();
  const run = previous.then(work, work);
  const tail = run.catch(() => undefined);
  queues.set(key, tail);
  void tail.then(() => {
    if (queues.get(key) === tail) queues.delete(key);
  });
  return run;
}

const DECISION_PATTERN = new RegExp(`^(${DECISION_ACTIONS.join('|')})$`);

export function registerActions(app: App, ctx: SlackListenerContext): void {
  app.action<BlockAction<ButtonAction>>(DECISION_PATTERN, async ({ body, action, ack, respond, context }) => {
    await ack();
    const requestId = requestIdOf(context);
    const userId = body.user.id;
    const to: ReplyTarget = { userId, ...(body.container?.channel_id ?? body.channel?.id ? { channelId: body.container?.channel_id ?? body.channel?.id } : {}), respond };
    let locale = ctx.identity.known(userId).known?.person.locale ?? 'es';
    // One person's clicks are handled in the order they arrived: a quick change of mind (support, then
    // abstain) must not overtake itself on the way to the consultation's lock.
    await inOrderFor(userId, () => guarded(ctx, { requestId, what: `action ${action.action_id}`, locale: () => locale, reply: (text) => replyText(ctx, to, text), context }, async () => {
      const actionId = action.action_id as DecisionAction;
      const key = actionKey({ userId, actionId, actionTs: action.action_ts, value: typeof action.value === 'string' ? action.value : '' });
      const target = parseButtonValue(action.value);
      const { actor } = ctx.identity.known(userId);
      const reasonKind = REASON_KIND[actionId];
      const isMessage = body.container?.type === 'message';
      const card = isMessage && body.container?.channel_id && body.container?.message_ts ? { channel: body.container.channel_id, ts: body.container.message_ts } : undefined;

      // The form first, while the trigger is fresh (only for people who could possibly act).
      if (target && actor && reasonKind) {
        if (isReplay(context)) return; // never stored (listeners/durable.ts); a replay cannot open a modal
        await askReason(ctx, { actor, actionId, target, key, triggerId: body.trigger_id, reasonKind, to, card, locale });
        return;
      }

      const person = await ctx.identity.who(userId);
      locale = person.locale;
      if (!person.actor) {
        ctx.identity.logStranger(userId, { action: actionId });
        await replyText(ctx, to, notInDirectoryText());
        return;
      }
      if (!target) {
        ctx.logger.warn({ requestId, action: actionId, reason: 'malformed button value' }, 'slack: invalid button');
        await recordRefusedAttempt(ctx.deps, { key, type: actionId.startsWith('troika') ? 'reactTroika' : 'recordPosition', actor: person.actor, code: 'invalid_command', detail: { field: 'value' } });
        await replyText(ctx, to, t(locale, 'slack.invalid_button'));
        return;
      }

      // One key per click (Slack's action_ts): a Slack retry of the same click is recognised by the flows;
      // a second click is decided in turn, under the consultation's lock, and the domain answers
      // `already_recorded` when it asks for what is already the country's record. Nothing is checked
      // here outside that lock, so the last click always wins.
      const decided = { action: actionId, consultationId: target.consultationId, version: target.versionHash, actor: person.actor };
      const result = await runDecision(ctx.deps, { ...decided, key, ...(card ? { card } : {}) });
      if (result.duplicate && isRepeat(context)) return; // a Slack retry, or a replay, of a click already answered
      if (!result.ok && result.code === 'already_recorded' && isRepeat(context)) return;
      if (!result.ok) {
        await replyText(ctx, to, refusalText(locale, result.code, result.detail));
        return;
      }
      if (!card) {
        // Clicked outside a message (the Home tab): show the new state there and say what was recorded.
        await publishHome(ctx, userId);
        const event = result.events.find((e) => e.type === 'troika_reacted' || e.type === 'position_recorded');
        if (event && (event.type === 'troika_reacted' || event.type === 'position_recorded')) {
          const what = whatText(locale, event.type === 'troika_reacted' ? { reaction: event.reaction } : { position: event.position });
          await replyText(ctx, to, t(locale, 'slack.decision_recorded', { what, reference: result.state.reference }));
        }
      }
    }));
  });

  app.action(ACTION_HOME_NEW_CONSULTATION, async ({ body, ack, context }) => {
    await ack();
    const userId = body.user.id;
    const requestId = requestIdOf(context);
    const to: ReplyTarget = { userId };
    const { actor, known } = ctx.identity.known(userId);
    const locale = known?.person.locale ?? 'es';
    await guarded(ctx, { requestId, what: 'home new consultation', locale: () => locale, reply: (text) => replyText(ctx, to, text) }, async () => {
      const triggerId = (body as { trigger_id?: string }).trigger_id ?? '';
      if (actor && mayStartConsultation(actor, ctx.deps.directory.current(), ctx.deps.clock.now())) {
        await ctx.client.views.open({ trigger_id: triggerId, view: newConsultationModal(locale, { privateMetadata: encodeOrigin(undefined) }) });
        return;
      }
      if (!actor) {
        ctx.identity.logStranger(userId, { action: ACTION_HOME_NEW_CONSULTATION });
        await replyText(ctx, to, notInDirectoryText());
        return;
      }
      await recordRefusedAttempt(ctx.deps, { key: triggerKey(userId, triggerId, 'home'), type: 'start', actor, code: 'not_authorized' });
      await replyText(ctx, to, t(locale, 'slack.manage_only'));
    });
  });
}

interface ReasonAsk {
  actor: CommandActor;
  actionId: DecisionAction;
  target: { consultationId: string; versionHash: string };
  key: string;
  triggerId: string;
  reasonKind: NonNullable<(typeof REASON_KIND)[DecisionAction]>;
  to: ReplyTarget;
  card: { channel: string; ts: string } | undefined;
  locale: 'es' | 'en';
}

/** Checks (within the budget) that the person may decide, then opens the reason modal. */
async function askReason(ctx: SlackListenerContext, a: ReasonAsk): Promise<void> {
  const probe = decisionCommand({ action: a.actionId, consultationId: a.target.consultationId, version: a.target.versionHash, actor: a.actor, reason: 'preview' });
  const check = checkAccess(ctx.deps, probe, { key: a.key });
  const early = await within(check, ctx.checkBudgetMs);
  if (early.done && !early.value.ok) {
    await replyText(ctx, a.to, refusalText(a.locale, early.value.code, early.value.detail));
    return;
  }
  const metadata = encodeReasonMetadata({ kind: a.reasonKind, consultationId: a.target.consultationId, versionHash: a.target.versionHash, ...(a.card ? { card: a.card } : {}) });
  const opened = await ctx.client.views.open({ trigger_id: a.triggerId, view: reasonModal(a.locale, metadata, a.reasonKind) });
  if (early.done) return;
  const late = await check;
  if (!late.ok && opened.view?.id) {
    const text = refusalText(a.locale, late.code, late.detail);
    await ctx.client.views.update({ view_id: opened.view.id, view: noticeModal(a.locale, text) });
  }
}
