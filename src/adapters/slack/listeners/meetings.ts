/**
 * Meetings' buttons on Slack (shared/interfaces.md "Meetings"): the invitation card's `meeting_attend` and
 * `meeting_decline`, and `/crm reuniones`' `meeting_delegation_open` (the `meeting_delegation` form).
 * Acknowledged at once; the value is untrusted (zod); the click becomes an intent and the interaction layer
 * decides (src/interaction/meetings.ts: only the person invited may answer, only a Member Country's focal
 * point registers its delegation, refusals say why and record nothing); the replies are presented
 * (../present.ts): the clicked invitation replaced in place with "Answer recorded …" (buttons kept), the
 * person told privately, in their language. The meeting commands and forms go through listeners/commands.ts
 * and listeners/views.ts like the consultation's.
 */
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { z } from 'zod';
import { SEGMENTS, type Segment } from '../../../domain/meetings/index.ts';
import type { MeetingDeps } from '../../../flows/meeting-flows.ts';
import type { Intent } from '../../../interaction/intent.ts';
import { inOrderFor } from '../../../interaction/pacing.ts';
import { ACTION_MEETING_DELEGATION } from '../../../messages/meeting-lists.ts';
import { ACTION_MEETING_ATTEND, ACTION_MEETING_DECLINE } from '../../../messages/meeting-invitation.ts';
import { SlackPresenter } from '../present.ts';
import { actionKey, guarded, isRepeat, isReplay, replyText, requestIdOf, triggerKey, type ReplyTarget, type SlackListenerContext } from './shared.ts';

const ButtonValue = z.object({ m: z.string().min(1).max(100), s: z.enum(SEGMENTS) });

export function parseInvitationButton(value: unknown): { meetingId: string; segment: Segment } | undefined {
  if (typeof value !== 'string' || value.length > 300) return undefined;
  try {
    const parsed = ButtonValue.safeParse(JSON.parse(value));
    return parsed.success ? { meetingId: parsed.data.m, segment: parsed.data.s } : undefined;
  } catch {
    return undefined;
  }
}

export function parseMeetingIdButton(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 300) return undefined;
  try {
    const p = z.object({ m: z.string().min(1).max(100) }).safeParse(JSON.parse(value));
    return p.success ? p.data.m : undefined;
  } catch {
    return undefined;
  }
}

export function registerMeetingActions(app: App, ctx: SlackListenerContext & { meetings: MeetingDeps }): void {
  const pattern = new RegExp(`^(${ACTION_MEETING_ATTEND}|${ACTION_MEETING_DECLINE})$`);
  app.action<BlockAction<ButtonAction>>(pattern, async ({ body, action, ack, respond, context }) => {
    await ack();
    const requestId = requestIdOf(context);
    const userId = body.user.id;
    const channelId = body.container?.channel_id ?? body.channel?.id;
    const to: ReplyTarget = { userId, ...(channelId ? { channelId } : {}), respond };
    let locale = ctx.interaction.localeOf(userId);
    // One person's clicks in the order they came: attend then decline must not overtake each other.
    await inOrderFor(userId, () =>
      guarded(ctx, { requestId, what: `action ${action.action_id}`, locale: () => locale, reply: (text) => replyText(ctx, to, text), context }, async () => {
        const target = parseInvitationButton(action.value);
        const isMessage = body.container?.type === 'message';
        const card = isMessage && body.container?.channel_id && body.container?.message_ts ? { channel: body.container.channel_id, ts: body.container.message_ts } : undefined;
        const intent: Intent = { kind: 'answer_invitation', response: action.action_id === ACTION_MEETING_ATTEND ? 'attend' : 'decline', ...(target ? { target } : {}), ...(card ? { card } : {}) };
        const key = actionKey({ userId, actionId: action.action_id, actionTs: action.action_ts, value: typeof action.value === 'string' ? action.value : '' });
        const slack = new SlackPresenter(ctx, { userId, to, clickedMessage: isMessage });
        await slack.run(intent, { key, repeat: isRepeat(context), replay: isReplay(context), requestId }, locale, (l) => (locale = l));
      }),
    );
  });

  // The button on `/crm reuniones` that opens a Member Country's delegation form (never stored: a replay opens none).
  app.action<BlockAction<ButtonAction>>(ACTION_MEETING_DELEGATION, async ({ body, action, ack, respond, context }) => {
    await ack();
    const requestId = requestIdOf(context);
    const userId = body.user.id;
    const channelId = body.container?.channel_id ?? body.channel?.id;
    const to: ReplyTarget = { userId, ...(channelId ? { channelId } : {}), respond };
    let locale = ctx.interaction.localeOf(userId);
    await guarded(ctx, { requestId, what: 'action meeting_delegation_open', locale: () => locale, reply: (text) => replyText(ctx, to, text), context }, async () => {
      const meetingId = parseMeetingIdButton(action.value);
      const intent: Intent = { kind: 'open_form', form: 'meeting_delegation', ...(meetingId ? { meetingId } : {}), ...(channelId && /^[CDG]/.test(channelId) ? { origin: channelId } : {}) };
      const slack = new SlackPresenter(ctx, { userId, to, triggerId: body.trigger_id });
      await slack.run(intent, { key: triggerKey(userId, body.trigger_id, 'delegation'), replay: isReplay(context), requestId }, locale, (l) => (locale = l));
    });
  });
}
