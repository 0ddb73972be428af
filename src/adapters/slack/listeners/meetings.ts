/**
 * Meetings on Slack (shared/interfaces.md "Meetings"): the invitation card's `meeting_attend` and
 * `meeting_decline` buttons. Acknowledged at once; the value is untrusted (zod); the person is found by
 * their Slack id among everyone the directory lists for meetings (delegates, observers, organisations'
 * people, ST staff), and only the person invited may answer. The answer is decided and recorded under the
 * meetings' lock (flows/meeting-flows.ts); the card is updated in place with "Recorded …" and keeps its
 * buttons (the answer may change until the meeting ends); the person is told privately, in their language.
 * A refusal says why and records nothing.
 */
import { maySeeAnyConsultation, mayStartConsultation } from '../../../domain/authority.ts';
import { notInDirectoryText } from '../../../interaction/refusals.ts';
import type { App, BlockAction, ButtonAction, ViewSubmitAction } from '@slack/bolt';
import { z } from 'zod';
import type { Directory, Locale, Person } from '../../../directory/model.ts';
import { partiesOf, SEGMENTS, type InvitationResponse, type Segment } from '../../../domain/meetings/index.ts';
import { addMeeting, meetingsSnapshot, registerDelegation, respondToInvitation, upcomingMeetings, type MeetingDeps } from '../../../flows/meeting-flows.ts';
import { ACTION_MEETING_DELEGATION, dutiesMessage, upcomingMeetingsMessage } from '../../../messages/meeting-lists.ts';
import { ineligibleText, warningText } from '../../../messages/meeting-text.ts';
import {
  CALLBACK_MEETING_DELEGATION,
  CALLBACK_MEETING_NEW,
  delegationModal,
  encodeDelegationMetadata,
  parseDelegation,
  parseDelegationMetadata,
  parseMeetingNew,
} from '../meeting-views.ts';
import { viewErrors } from '../views.ts';
import { formatDate, formatInstant, t } from '../../../i18n/index.ts';
import { ACTION_MEETING_ATTEND, ACTION_MEETING_DECLINE, invitationCard } from '../../../messages/meeting-invitation.ts';
import { segmentName } from '../../../messages/meeting-text.ts';
import { renderMessage, renderRecordedCard } from '../render.ts';
import {
  guarded,
  isRepeat,
  isReplay,
  noticeModal,
  replyPrivately,
  replyText,
  requestIdOf,
  updateWithNotice,
  type ReplyTarget,
  type SlackListenerContext,
} from './shared.ts';

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
    case 'closed_door_seat_taken':
      return t(l, 'meeting.response.closed_door_seat_taken');
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

// ------------------------------------------------------------------------------------------ commands

/**
 * `/crm reunion` (reached here only when the person may not record one: the form opened before otherwise),
 * `/crm reuniones` (anyone the directory lists for meetings: the upcoming meetings and their own
 * invitations; a Member Country's focal point also gets a button per meeting to register the delegation)
 * and `/crm pendientes` (ST staff and Member Countries' focal points: the duties still owed).
 */
export async function answerMeetingCommand(
  ctx: SlackListenerContext,
  a: { name: 'meeting' | 'meetings' | 'duties'; userId: string; locale: Locale; to: ReplyTarget },
): Promise<void> {
  const l = a.locale;
  if (!ctx.meetings) {
    await replyText(ctx, a.to, t(l, 'meeting.refusal.meeting_not_found'));
    return;
  }
  const { actor, known } = ctx.identity.known(a.userId);
  if (a.name === 'meeting') {
    await replyText(ctx, a.to, t(l, 'meeting.manage_only'));
    return;
  }
  const directory = ctx.meetings.directory.current();
  if (a.name === 'duties') {
    if (!maySeeAnyConsultation(actor)) {
      await replyText(ctx, a.to, t(l, 'duty.no_access'));
      return;
    }
    const snap = await meetingsSnapshot(ctx.meetings);
    await replyPrivately(ctx, a.to, renderMessage(dutiesMessage(directory, snap.tracked, snap.meetings, l)));
    return;
  }
  const person = meetingPersonBySlack(directory, a.userId);
  if (!person) {
    await replyText(ctx, a.to, notInDirectoryText());
    return;
  }
  const upcoming = await upcomingMeetings(ctx.meetings);
  const message = upcomingMeetingsMessage(directory, upcoming, { personId: person.id, locale: l, ...(known?.country ? { delegationOf: known.country } : {}) });
  await replyPrivately(ctx, a.to, renderMessage(message));
}

// ------------------------------------------------------------------------------------------ forms

type Ack = (response?: Record<string, unknown>) => Promise<void>;

const NEW_MEETING_FIELD: Record<string, string> = {
  invalid_date: 'start',
  end_before_start: 'end',
  too_long: 'end',
  no_ppt_on_start: 'country',
  country_not_in_directory: 'country',
  title_required: 'title',
};

function newMeetingRefusal(l: Locale, code: string, detail: Record<string, string> = {}): string {
  switch (code) {
    case 'invalid_date':
    case 'end_before_start':
    case 'no_ppt_on_start':
    case 'country_not_in_directory':
      return t(l, `meeting.form.refusal.${code}`);
    case 'too_long':
      return t(l, 'meeting.form.refusal.too_long', { max: detail['max'] ?? '' });
    default:
      return t(l, 'meeting.form.refusal.other');
  }
}

/** The button on `/crm reuniones` that opens a Member Country's delegation form. */
export function registerMeetingForms(app: App, ctx: SlackListenerContext & { meetings: MeetingDeps }): void {
  app.action<BlockAction<ButtonAction>>(ACTION_MEETING_DELEGATION, async ({ body, action, ack, respond, context }) => {
    await ack();
    const requestId = requestIdOf(context);
    const userId = body.user.id;
    const channelId = body.container?.channel_id ?? body.channel?.id;
    const to: ReplyTarget = { userId, ...(channelId ? { channelId } : {}), respond };
    const { known } = ctx.identity.known(userId);
    const l: Locale = known?.person.locale ?? 'es';
    await guarded(ctx, { requestId, what: 'action meeting_delegation_open', locale: () => l, reply: (text) => replyText(ctx, to, text), context }, async () => {
      if (isReplay(context)) return; // a replay cannot open a form
      if (!known) {
        await replyText(ctx, to, notInDirectoryText());
        return;
      }
      if (!known.country) {
        await replyText(ctx, to, t(l, 'meeting.delegation.focal_points_only'));
        return;
      }
      const meetingId = parseMeetingIdButton(action.value);
      const opened = await ctx.client.views.open({ trigger_id: body.trigger_id, view: noticeModal(l, t(l, 'slack.loading')) });
      const viewId = opened.view?.id;
      const meeting = meetingId ? await ctx.meetings.meetings.byId(meetingId) : undefined;
      const show = async (view: Parameters<typeof ctx.client.views.update>[0] extends infer A ? (A extends { view: infer V } ? V : never) : never) => {
        if (viewId) await ctx.client.views.update({ view_id: viewId, view });
      };
      if (!meeting) return show(noticeModal(l, t(l, 'meeting.refusal.meeting_not_found')));
      const invitations = await ctx.meetings.meetings.invitations(meeting.id);
      await show(
        delegationModal(l, {
          directory: ctx.meetings.directory.current(),
          meeting,
          country: known.country,
          invitations,
          privateMetadata: encodeDelegationMetadata(meeting.id, known.country, channelId),
        }),
      );
    });
  });

  app.view<ViewSubmitAction>({ type: 'view_submission', callback_id: new RegExp(`^(${CALLBACK_MEETING_NEW}|${CALLBACK_MEETING_DELEGATION})$`) }, async ({ body, view, ack, context }) => {
    const requestId = requestIdOf(context);
    const userId = body.user.id;
    let acked = false;
    const once: Ack = async (response) => {
      if (acked) return;
      acked = true;
      await ack(response as never);
    };
    const { actor, known } = ctx.identity.known(userId);
    const l: Locale = known?.person.locale ?? 'es';
    const to: ReplyTarget = { userId };
    await guarded(
      ctx,
      {
        requestId,
        what: `view ${view.callback_id}`,
        locale: () => l,
        reply: async (text) => {
          if (!acked && !isReplay(context)) await once(updateWithNotice(l, text));
          else await replyText(ctx, to, text);
        },
        context,
      },
      async () => {
        if (!actor || !known) {
          await once(updateWithNotice(l, notInDirectoryText()));
          return;
        }
        const values = view.state?.values ?? {};
        // Nobody waits for a replayed submission's answer: field errors become a private message.
        const answer = async (response: { response_action: 'errors'; errors: Record<string, string> } | ReturnType<typeof updateWithNotice>) => {
          if (!isReplay(context)) return once(response);
          const text = response.response_action === 'errors' ? Object.values(response.errors).join('\n') : noticeText(response);
          await replyText(ctx, to, text);
        };
        if (view.callback_id === CALLBACK_MEETING_NEW) {
          const parsed = parseMeetingNew(values, l);
          if (!parsed.ok) return answer(viewErrors(parsed.errors));
          if (!mayStartConsultation(actor, ctx.identity.current(), ctx.deps.clock.now())) return answer(updateWithNotice(l, t(l, 'meeting.manage_only')));
          const r = await addMeeting(ctx.meetings, parsed.value);
          if (!r.ok) {
            const field = NEW_MEETING_FIELD[r.code];
            const text = newMeetingRefusal(l, r.code, r.detail as Record<string, string> | undefined);
            return answer(field ? viewErrors({ [field]: text }) : updateWithNotice(l, t(l, 'meeting.form.not_recorded', { reason: text })));
          }
          const m = r.view.meeting;
          ctx.logger.info({ requestId, meeting: m.reference }, 'meeting recorded from Slack');
          const lines = [t(l, 'meeting.form.recorded', { reference: m.reference, title: m.title }), ...r.view.warnings.map((w) => warningText(ctx.meetings.directory.current(), w, l))];
          return answer(updateWithNotice(l, lines.join('\n')));
        }
        // meeting_delegation
        const meta = parseDelegationMetadata(view.private_metadata);
        if (!meta || meta.country !== known.country) return answer(updateWithNotice(l, t(l, 'meeting.delegation.focal_points_only')));
        const meeting = await ctx.meetings.meetings.byId(meta.meetingId);
        if (!meeting) return answer(updateWithNotice(l, t(l, 'meeting.refusal.meeting_not_found')));
        const people = parseDelegation(values, meeting.segments);
        if (people.length === 0) return answer(updateWithNotice(l, t(l, 'meeting.delegation.empty')));
        const d = await registerDelegation(ctx.meetings, { meetingId: meeting.id, country: meta.country, people });
        const directory = ctx.meetings.directory.current();
        if (!d.ok) {
          if (!('refusals' in d)) return answer(updateWithNotice(l, t(l, 'meeting.refusal.meeting_not_found')));
          // Each refusal on its segment's field, naming the person and why; nothing was recorded.
          const errors: Record<string, string> = {};
          for (const r of d.refusals) {
            const name = partiesOf(directory).get(r.email.toLowerCase())?.person.name ?? r.email;
            const line = t(l, 'meeting.delegation.refused_person', { name, reason: ineligibleText(directory, r.code, r.detail, l) });
            errors[r.segment] = errors[r.segment] ? `${errors[r.segment]}\n${line}` : line;
          }
          ctx.logger.info({ requestId, meeting: meeting.reference, refused: d.refusals.map((r) => r.code) }, 'delegation refused: nothing recorded');
          return answer(viewErrors(errors));
        }
        ctx.logger.info({ requestId, meeting: meeting.reference, country: meta.country, invited: d.invitations.length }, 'delegation recorded');
        return answer(updateWithNotice(l, t(l, 'meeting.delegation.recorded', { count: d.invitations.length, title: meeting.title })));
      },
    );
    if (!acked) await once();
  });
}

function parseMeetingIdButton(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 300) return undefined;
  try {
    const p = z.object({ m: z.string().min(1).max(100) }).safeParse(JSON.parse(value));
    return p.success ? p.data.m : undefined;
  } catch {
    return undefined;
  }
}

function noticeText(response: ReturnType<typeof updateWithNotice>): string {
  const block = response.view.blocks[0] as { text?: { text?: string } } | undefined;
  return block?.text?.text ?? '';
}
