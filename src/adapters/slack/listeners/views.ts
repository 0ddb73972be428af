/**
 * Modal submissions: the new consultation (`consultation_new`), the reason (`reason`), the PPT's/ST's
 * forms on an existing consultation (`revise`, `extend`, `withdraw`), and the meetings' (`meeting_new`,
 * `meeting_delegation`). The submission becomes a submit
 * intent (the values as form values, the private_metadata read back as the form's context, both untrusted)
 * and the interaction layer decides (src/interaction/interaction.ts).
 *
 * A submission is answered in the HTTP response (Slack's only way to show errors on a field), so the
 * database work is given `viewBudgetMs` (2 s): within it, field errors (`response_action: errors`) or a
 * notice in place of the form (`response_action: update`); past it, the form closes and the outcome arrives
 * as a private message. Idempotency key: the view id and what was submitted (a Slack retry records once; a
 * corrected resubmission after an error is a new attempt). A submission replayed from the inbox at start
 * (../inbox.ts) has nobody waiting for its answer: its outcome, refusals on a field included, is said privately.
 */
import type { App, ViewSubmitAction } from '@slack/bolt';
import type { Locale } from '../../../directory/model.ts';
import type { SubmittedContext } from '../../../interaction/intent.ts';
import type { FormId } from '../../../messages/form-spec.ts';
import { manageFormValues, parseManageMetadata } from '../manage-views.ts';
import { CALLBACK_MEETING_DELEGATION, CALLBACK_MEETING_NEW, meetingFormValues, parseDelegationMetadata } from '../meeting-views.ts';
import { parseOrigin, SlackPresenter, type Ack } from '../present.ts';
import { CALLBACK_NEW_CONSULTATION, CALLBACK_REASON, parseReasonMetadata, slackFormValues } from '../views.ts';
import { guarded, isRepeat, isReplay, replyText, requestIdOf, updateWithNotice, viewKey, type ReplyTarget, type SlackListenerContext } from './shared.ts';

/** The context a submitted modal carried in its private_metadata, or undefined when it is malformed. */
function submittedContext(form: FormId, privateMetadata: unknown): SubmittedContext | undefined {
  if (form === CALLBACK_NEW_CONSULTATION) return { form };
  if (form === CALLBACK_MEETING_NEW) {
    const origin = parseOrigin(privateMetadata);
    return { form, ...(origin ? { origin } : {}) };
  }
  if (form === CALLBACK_MEETING_DELEGATION) {
    const delegation = parseDelegationMetadata(privateMetadata);
    return delegation ? { form, delegation } : undefined;
  }
  if (form === CALLBACK_REASON) {
    const reason = parseReasonMetadata(privateMetadata);
    return reason ? { form, reason } : undefined;
  }
  const manage = parseManageMetadata(privateMetadata);
  return manage ? { form: form as 'revise' | 'extend' | 'withdraw', manage } : undefined;
}

export function registerViews(app: App, ctx: SlackListenerContext): void {
  app.view<ViewSubmitAction>(
    { type: 'view_submission', callback_id: /^(consultation_new|reason|revise|extend|withdraw|meeting_new|meeting_delegation)$/ },
    async ({ body, view, ack, context }) => {
      const requestId = requestIdOf(context);
      const userId = body.user.id;
      const form = view.callback_id as FormId;
      let acked = false;
      const once: Ack = async (response) => {
        if (acked) return;
        acked = true;
        await ack(response as never);
      };
      let locale: Locale = ctx.interaction.localeOf(userId);
      const origin =
        form === CALLBACK_NEW_CONSULTATION || form === CALLBACK_MEETING_NEW
          ? parseOrigin(view.private_metadata)
          : form === CALLBACK_MEETING_DELEGATION
            ? parseDelegationMetadata(view.private_metadata)?.channelId
            : parseManageMetadata(view.private_metadata)?.channelId;
      const to: ReplyTarget = { userId, ...(origin ? { channelId: origin } : {}) };
      await guarded(
        ctx,
        {
          requestId,
          what: `view ${form}`,
          locale: () => locale,
          reply: async (text) => {
            if (!acked && !isReplay(context)) await once(updateWithNotice(locale, text));
            else await replyText(ctx, to, text);
          },
          context,
        },
        async () => {
          const raw = view.state?.values ?? {};
          const values =
            form === CALLBACK_NEW_CONSULTATION || form === CALLBACK_REASON
              ? slackFormValues(raw)
              : form === CALLBACK_MEETING_NEW || form === CALLBACK_MEETING_DELEGATION
                ? meetingFormValues(raw)
                : manageFormValues(raw);
          const submitted = submittedContext(form, view.private_metadata);
          const key = viewKey({ userId, viewId: view.id, values: raw, privateMetadata: view.private_metadata });
          const slack = new SlackPresenter(ctx, { userId, to, ack: once });
          await slack.run(
            { kind: 'submit', form, ...(values ? { values } : {}), ...(submitted ? { context: submitted } : {}) },
            { key, budgetMs: ctx.viewBudgetMs, repeat: isRepeat(context), replay: isReplay(context), requestId },
            locale,
            (l) => (locale = l),
          );
        },
      );
      if (!acked) await once();
    },
  );
}
