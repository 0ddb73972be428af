/**
 * `/crm …`: acknowledged at once (empty body), then handed to the interaction layer as a command intent
 * (src/interaction/interaction.ts decides what to answer) and its replies presented (../present.ts):
 * privately, in the person's language. Forms open right after the ack, before any database work, because
 * the trigger id expires 3 s after the command: `consulta` opens the new-consultation modal at once;
 * `revisar|prorrogar|retirar REF` open a "loading" modal first and replace it (views.update) with the form,
 * or with the refusal, once the consultation is read and the person's authority checked.
 *
 * The meeting commands (`reunion` opens `meeting_new` the same way, `reuniones`, `pendientes`) are the
 * interaction layer's too (src/interaction/meetings.ts): delegates and observers' people may ask, not only
 * focal points.
 */
import type { App } from '@slack/bolt';
import type { Intent } from '../../../interaction/intent.ts';
import { SlackPresenter } from '../present.ts';
import { guarded, isReplay, replyText, requestIdOf, triggerKey, type ReplyTarget, type SlackListenerContext } from './shared.ts';

export function registerCommands(app: App, ctx: SlackListenerContext): void {
  app.command(/^\/.+/, async ({ command, ack, respond, context }) => {
    await ack();
    const requestId = requestIdOf(context);
    const userId = command.user_id;
    const to: ReplyTarget = { userId, channelId: command.channel_id, respond, preferRespond: true };
    let locale = ctx.interaction.localeOf(userId);
    await guarded(ctx, { requestId, what: 'command', locale: () => locale, reply: (text) => replyText(ctx, to, text), context }, async () => {
      const intent: Intent = { kind: 'command', text: command.text, slash: command.command || '/crm', ...(command.channel_id ? { origin: command.channel_id } : {}) };
      const slack = new SlackPresenter(ctx, { userId, to, triggerId: command.trigger_id });
      // Commands that only open a form are never stored (listeners/durable.ts); a replay opens none.
      await slack.run(intent, { key: triggerKey(userId, command.trigger_id, 'command'), replay: isReplay(context), requestId }, locale, (l) => (locale = l));
    });
  });
}
