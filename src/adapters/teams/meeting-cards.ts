/**
 * Meetings on Microsoft Teams (interfaces.md "Meetings" and "Microsoft Teams"): what the meeting verbs of
 * the cards are as interaction-layer intents. Everything else is the Teams adapter's as for consultations,
 * and the interaction layer decides (src/interaction/meetings.ts):
 *
 *   reunion | meeting, reuniones | meetings, pendientes | duties, observadores | observers,
 *   observador | observer           typed in the personal chat: commands (intents.ts), answered as cards
 *                                   (present.ts): the `meeting_new` form card, the upcoming meetings (with an
 *                                   Action.Execute `meeting_delegation_open` per meeting for a Member
 *                                   Country's focal point), the duties and the observer cases (a Table)
 *   meeting_new, meeting_delegation the forms' submit verbs (= the Slack callback ids); input ids = the Slack
 *                                   block ids: `kind` (Input.ChoiceSet), `start`, `end` (Input.Date), `city`,
 *                                   `country`, `title`; one multi-select Input.ChoiceSet per segment (id = the
 *                                   segment) whose values come back joined by commas
 *   meeting_attend, meeting_decline the invitation card's verbs, `data` `{ m, s }` (meeting and segment,
 *                                   untrusted): answered with the same invitation, "Answer recorded …", its
 *                                   buttons kept (a `card` reply), and the thanks as a message
 *   meeting_delegation_open         `data` `{ m }`: the `meeting_delegation` form card
 */
import { z } from 'zod';
import { SEGMENTS } from '../../domain/meetings/index.ts';
import type { Intent } from '../../interaction/intent.ts';
import { ACTION_MEETING_DELEGATION } from '../../messages/meeting-lists.ts';
import { ACTION_MEETING_ATTEND, ACTION_MEETING_DECLINE } from '../../messages/meeting-invitation.ts';

/** The invitation and delegation buttons' verbs (the form submits are FormIds, read as submissions). */
export const MEETING_BUTTON_VERBS: ReadonlySet<string> = new Set([ACTION_MEETING_ATTEND, ACTION_MEETING_DECLINE, ACTION_MEETING_DELEGATION]);

const InvitationData = z.object({ m: z.string().min(1).max(100), s: z.enum(SEGMENTS) });
const DelegationButtonData = z.object({ m: z.string().min(1).max(100) });

/** What is read of an `adaptiveCard/action` invoke. */
export interface MeetingActivity {
  replyToId?: string;
  conversation?: { id?: string };
  value?: { action?: { verb?: unknown; data?: unknown } };
}

/** The intent of a meeting button's invoke, or undefined when the verb is not one. */
export function meetingIntent(activity: MeetingActivity): Intent | undefined {
  const verb = activity.value?.action?.verb;
  if (typeof verb !== 'string' || !MEETING_BUTTON_VERBS.has(verb)) return undefined;
  const data = activity.value?.action?.data;
  const conversation = typeof activity.conversation?.id === 'string' && activity.conversation.id.length <= 400 ? activity.conversation.id : undefined;
  if (verb === ACTION_MEETING_DELEGATION) {
    const button = DelegationButtonData.safeParse(data);
    return { kind: 'open_form', form: 'meeting_delegation', ...(button.success ? { meetingId: button.data.m } : {}), ...(conversation ? { origin: conversation } : {}) };
  }
  const target = InvitationData.safeParse(data);
  const clicked = typeof activity.replyToId === 'string' && activity.replyToId.length <= 200 ? activity.replyToId : undefined;
  return {
    kind: 'answer_invitation',
    response: verb === ACTION_MEETING_ATTEND ? 'attend' : 'decline',
    ...(target.success ? { target: { meetingId: target.data.m, segment: target.data.s } } : {}),
    ...(conversation && clicked ? { card: { channel: conversation, ts: clicked } } : {}),
  };
}
