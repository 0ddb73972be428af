/**
 * Meetings on Slack (shared/interfaces.md "Meetings"): the invitation card's `meeting_attend` and
 * `meeting_decline` buttons. Acknowledged at once; the value is untrusted (zod); the person is found by
 * their Slack id among everyone the directory lists for meetings (delegates, observers, organisations'
 * people, ST staff), and only the person invited may answer. The answer is decided and recorded under the
 * meetings' lock (flows/meeting-flows.ts); the card is updated in place with "Recorded …" and keeps its
 * buttons (the answer may change until the meeting ends); the person is told privately, in their language.
 * A refusal says why and records nothing.
 */
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { z } from 'zod';
import type { Directory, Locale, Person } from '../../../directory/model.ts';
import { partiesOf, SEGMENTS, type InvitationResponse, type Segment } from '../../../domain/meetings/index.ts';
import { respondToInvitation, type MeetingDeps } from '../../../flows/meeting-flows.ts';
import { formatDate, formatInstant, t } from '../../../i18n/index.ts';
import { ACTION_MEETING_ATTEND, ACTION_MEETING_DECLINE, invitationCard } from '../../../messages/meeting-invitation.ts';
import { segmentName } from '../../../messages/meeting-text.ts';
import { renderRecordedCard } from '../render.ts';
import { guarded, isRepeat, notInDirectoryText, replyText, requestIdOf, type ReplyTarget, type SlackListenerContext } from './shared.ts';

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

/** Anyone the directory lists for meetings, by Slack id. */
export function meetingPersonBySlack(directory: Directory, userId: string): Person | undefined {
  for (const party of partiesOf(directory).values()) if (party.person.slack === userId) return party.person;
  return undefined;
}

function refusal(l: Locale, code: string, detail: Record<string, string> | undefined): string {
  switch (code) {
    case 'not_invited':
      return t(l, 'meeting.response.not_invited');
    case 'meeting_over':
      return t(l, 'meeting.response.meeting_over', { end: formatDate(detail?.['end'] ?? '1970-01-01', l) });
    case 'already_recorded':
      return detail?.['response'] === 'decline' ? t(l, 'meeting.response.already_decline') : t(l, 'meeting.response.already_attend');
    default:
      return t(l, 'meeting.refusal.meeting_not_found');
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
    const directory = ctx.meetings.directory.current();
    const person = meetingPersonBySlack(directory, userId);
    const l: Locale = person?.locale ?? 'es';
    await guarded(ctx, { requestId, what: `action ${action.action_id}`, locale: () => l, reply: (text) => replyText(ctx, to, text), context }, async () => {
      if (!person) {
        ctx.identity.logStranger(userId, { action: action.action_id });
        await replyText(ctx, to, notInDirectoryText());
        return;
      }
      const target = parseInvitationButton(action.value);
      if (!target) {
        ctx.logger.warn({ requestId, action: action.action_id, reason: 'malformed button value' }, 'slack: invalid meeting button');
        await replyText(ctx, to, t(l, 'meeting.response.invalid_button'));
        return;
      }
      const response: InvitationResponse = action.action_id === ACTION_MEETING_ATTEND ? 'attend' : 'decline';
      const decision = await respondToInvitation(ctx.meetings, { ...target, personId: person.id, response });
      if (!decision.ok) {
        // A Slack retry of a click already answered says nothing twice.
        if (decision.code === 'already_recorded' && isRepeat(context)) return;
        ctx.logger.info({ requestId, action: action.action_id, code: decision.code }, 'meeting answer refused: nothing recorded');
        await replyText(ctx, to, refusal(l, decision.code, decision.detail));
        return;
      }
      const meeting = decision.meeting!;
      ctx.logger.info({ requestId, meeting: meeting.reference, segment: target.segment, response }, 'meeting answer recorded');
      // The card in place: the same invitation, "Recorded …", buttons kept (the answer may change).
      const card = invitationCard(directory, meeting, decision.invitation, l);
      const rendered = renderRecordedCard(
        card,
        {
          who: person.name,
          what: t(l, response === 'attend' ? 'meeting.response.recorded_attend' : 'meeting.response.recorded_decline'),
          when: formatInstant(ctx.meetings.clock.now(), { locale: l, timeZone: person.timezone }),
        },
        { keepButtons: true },
      );
      if (body.container?.type === 'message') {
        await respond({ replace_original: true, text: rendered.text, blocks: rendered.blocks }).catch((err: unknown) =>
          ctx.logger.warn({ requestId, error: err instanceof Error ? err.message : String(err) }, 'slack: invitation card not updated'),
        );
      }
      const words = { title: meeting.title, segment: segmentName(target.segment, l) };
      await replyText(ctx, to, t(l, response === 'attend' ? 'meeting.response.attend' : 'meeting.response.decline', words));
    });
  });
}
