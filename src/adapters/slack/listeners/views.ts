/**
 * Modal submissions: the new consultation (`consultation_new`), the reason (`reason`), and the PPT's/ST's
 * forms on an existing consultation (`revise`, `extend`, `withdraw`).
 *
 * A submission is answered in the HTTP response (Slack's only way to show errors on a field), so the
 * database work is given `viewBudgetMs` (2 s): within it, field errors (`response_action: errors`, from the
 * form's own checks or from a domain refusal that names a field) or a notice in place of the form
 * (`response_action: update`); past it, the form closes and the outcome arrives as a private message.
 * Field checks that need no database (parseNewConsultation, parseReason, …) run before anything else.
 * Idempotency key: the view id and what was submitted (a Slack retry records once; a corrected
 * resubmission after an error is a new attempt). A submission replayed from the inbox at start (../inbox.ts)
 * has nobody waiting for its answer: its outcome, refusals on a field included, is said privately.
 */
import type { App, ViewSubmitAction } from '@slack/bolt';
import { currentTextVersion } from '../../../domain/outcome.ts';
import type { CommandActor, DeadlineRequest } from '../../../domain/types.ts';
import type { Locale } from '../../../directory/model.ts';
import { extend, resendConsultation, revise, startConsultation, withdraw } from '../../../flows/consultation-flows.ts';
import type { FlowResult } from '../../../flows/execute.ts';
import { recordRefusedAttempt } from '../../../flows/preview.ts';
import { deadlineText } from '../../../flows/messages/common.ts';
import { t } from '../../../i18n/index.ts';
import type { SlackPerson } from '../identity.ts';
import { CALLBACK_EXTEND, CALLBACK_REVISE, CALLBACK_WITHDRAW, parseExtend, parseManageMetadata, parseRevise, parseWithdraw } from '../manage-views.ts';
import { CALLBACK_NEW_CONSULTATION, CALLBACK_REASON, parseNewConsultation, parseReason, parseReasonMetadata, translationField, viewErrors } from '../views.ts';
import { parseOrigin } from './commands.ts';
import { ACTION_OF_REASON, runDecision } from './decisions.ts';
import { publishHome } from './home.ts';
import {
  guarded,
  isRepeat,
  isReplay,
  mayManage,
  notInDirectoryText,
  refusalText,
  replyText,
  requestIdOf,
  updateWithNotice,
  viewKey,
  within,
  type ReplyTarget,
  type SlackListenerContext,
} from './shared.ts';

type Ack = (response?: Record<string, unknown>) => Promise<void>;

/** Domain refusals shown on a field of each form. */
const FIELD_OF: Record<string, Partial<Record<string, string>>> = {
  [CALLBACK_NEW_CONSULTATION]: {
    title_required: 'title',
    title_too_long: 'title',
    text_required: 'proposal',
    text_too_long: 'proposal',
    invalid_days: 'days',
    invalid_deadline: 'deadline',
    deadline_in_past: 'deadline',
    justification_required: 'justification',
    justification_too_long: 'justification',
    invalid_calendar_policy: 'rule',
  },
  [CALLBACK_REASON]: { reason_required: 'reason', reason_too_long: 'reason' },
  [CALLBACK_REVISE]: { title_required: 'title', title_too_long: 'title', text_required: 'proposal', text_too_long: 'proposal', text_unchanged: 'proposal' },
  [CALLBACK_EXTEND]: {
    invalid_days: 'days',
    invalid_deadline: 'deadline',
    deadline_in_past: 'deadline',
    deadline_not_later: 'deadline',
    justification_required: 'justification',
    justification_too_long: 'justification',
  },
  [CALLBACK_WITHDRAW]: { reason_too_long: 'reason' },
};

interface Submission {
  callbackId: string;
  person: SlackPerson;
  actor: CommandActor;
  key: string;
  ack: Ack;
  to: ReplyTarget;
  /** A Slack retry or a replay: a duplicate result is not said again. */
  retry: boolean;
  /** Replayed from the inbox at start: nobody waits for the ack, so the outcome is said privately. */
  replay: boolean;
  /** The field a deadline refusal goes to (extend: the one the person filled). */
  deadlineField?: 'days' | 'deadline';
}

/**
 * Runs `work` within the budget and answers: success → `done(state)` as a notice (or just closing the form),
 * refusal → on its field or as a notice; too slow → closes the form now and says the outcome privately later.
 */
async function settle(ctx: SlackListenerContext, s: Submission, work: Promise<FlowResult>, done: (r: Extract<FlowResult, { ok: true }>) => string | undefined): Promise<void> {
  const l = s.person.locale;
  const early = s.replay ? ({ done: false } as const) : await within(work, ctx.viewBudgetMs);
  if (!early.done) {
    await s.ack();
    const result = await work;
    if (result.duplicate && s.retry) return;
    const text = result.ok ? done(result) : t(l, s.callbackId === CALLBACK_NEW_CONSULTATION ? 'slack.consultation_not_started' : 'slack.not_done', { reason: refusalText(l, result.code, result.detail, true) });
    if (text) await replyText(ctx, s.to, text);
    return;
  }
  const result = early.value;
  if (result.ok) {
    const text = done(result);
    await s.ack(text ? updateWithNotice(l, text) : undefined);
    return;
  }
  // A refusal about the translation goes on the translation's inputs (forms that have them).
  const onTranslation = result.detail?.field === 'translation' && (s.callbackId === CALLBACK_NEW_CONSULTATION || s.callbackId === CALLBACK_REVISE);
  let field = onTranslation ? translationField(result.code) : FIELD_OF[s.callbackId]?.[result.code];
  if (field && s.deadlineField && (field === 'days' || field === 'deadline')) field = s.deadlineField;
  if (field) await s.ack(viewErrors({ [field]: refusalText(l, result.code, result.detail) }));
  else await s.ack(updateWithNotice(l, refusalText(l, result.code, result.detail, true)));
}

export function registerViews(app: App, ctx: SlackListenerContext): void {
  app.view<ViewSubmitAction>(
    { type: 'view_submission', callback_id: /^(consultation_new|reason|revise|extend|withdraw)$/ },
    async ({ body, view, ack, context }) => {
      const requestId = requestIdOf(context);
      const userId = body.user.id;
      const callbackId = view.callback_id;
      let acked = false;
      const once: Ack = async (response) => {
        if (acked) return;
        acked = true;
        await ack(response as never);
      };
      let locale: Locale = ctx.identity.known(userId).known?.person.locale ?? 'es';
      const origin = callbackId === CALLBACK_NEW_CONSULTATION ? parseOrigin(view.private_metadata) : parseManageMetadata(view.private_metadata)?.channelId;
      const to: ReplyTarget = { userId, ...(origin ? { channelId: origin } : {}) };
      await guarded(
        ctx,
        {
          requestId,
          what: `view ${callbackId}`,
          locale: () => locale,
          reply: async (text) => {
            if (!acked && !isReplay(context)) await once(updateWithNotice(locale, text));
            else await replyText(ctx, to, text);
          },
          context,
        },
        async () => {
          const { actor, known } = ctx.identity.known(userId);
          if (!actor || !known) {
            ctx.identity.logStranger(userId, { view: callbackId });
            locale = (await ctx.identity.who(userId)).locale;
            await once(updateWithNotice(locale, notInDirectoryText()));
            return;
          }
          const person: SlackPerson = { userId, actor, known, locale, timezone: known.person.timezone };
          const values = view.state?.values ?? {};
          const key = viewKey({ userId, viewId: view.id, values, privateMetadata: view.private_metadata });
          const s: Submission = { callbackId, person, actor, key, ack: once, to, retry: isRepeat(context), replay: isReplay(context) };
          const now = ctx.deps.clock.now();

          switch (callbackId) {
            case CALLBACK_NEW_CONSULTATION: {
              const parsed = parseNewConsultation(values, now, locale);
              if (!parsed.ok) return once(viewErrors(parsed.errors));
              if (!mayManage(actor, ctx.deps)) {
                await recordRefusedAttempt(ctx.deps, { key, type: 'start', actor, code: 'not_authorized' });
                return once(updateWithNotice(locale, t(locale, 'slack.manage_only')));
              }
              const v = parsed.value;
              const deadline: DeadlineRequest = v.deadlineAt ? { kind: 'explicit', at: v.deadlineAt.toISOString() } : { kind: 'business_days', days: v.days ?? 5 };
              const work = startConsultation(ctx.deps, {
                key,
                actor,
                title: v.title,
                text: v.text,
                deadline,
                rule: v.rule,
                ...(v.justification ? { justification: v.justification } : {}),
                locale: v.locale,
                ...(v.translation ? { translation: v.translation } : {}),
                positionsVisibility: v.positionsVisibility,
              });
              return settle(ctx, s, work, (r) => t(locale, 'slack.consultation_started', { reference: r.state.reference, title: r.state.title }));
            }
            case CALLBACK_REASON: {
              const meta = parseReasonMetadata(view.private_metadata);
              if (!meta) {
                ctx.logger.warn({ requestId, reason: 'malformed private_metadata' }, 'slack: invalid reason form');
                return once(updateWithNotice(locale, t(locale, 'slack.invalid_button')));
              }
              const reason = parseReason(values, locale);
              if (!reason.ok) return once(viewErrors(reason.errors));
              const decided = { action: ACTION_OF_REASON[meta.kind], consultationId: meta.consultationId, version: meta.versionHash, actor, reason: reason.value };
              const work = runDecision(ctx, { ...decided, key, ...(meta.card ? { card: meta.card } : {}) });
              return settle(ctx, s, work, () => {
                // The card shows the decision (updated through the outbox); from the Home tab, refresh it.
                if (!meta.card) void publishHome(ctx, userId).catch((err: unknown) => ctx.logger.warn({ err }, 'slack: home refresh failed'));
                return undefined;
              });
            }
            case CALLBACK_REVISE:
            case CALLBACK_EXTEND:
            case CALLBACK_WITHDRAW: {
              const meta = parseManageMetadata(view.private_metadata);
              if (!meta) return once(updateWithNotice(locale, t(locale, 'slack.invalid_button')));
              const common = { key, actor, consultationId: meta.consultationId };
              if (callbackId === CALLBACK_REVISE) {
                const p = parseRevise(values, locale, meta.originalLocale ?? locale);
                if (!p.ok) return once(viewErrors(p.errors));
                const text = { text: p.value.text, ...(p.value.title ? { title: p.value.title } : {}), locale: p.value.locale, ...(p.value.translation ? { translation: p.value.translation } : {}) };
                if (meta.resend) {
                  // Not endorsed: the revised text goes to the Troika as a new consultation that supersedes it.
                  const work = resendConsultation(ctx.deps, { key, actor, reference: meta.reference, ...text });
                  return settle(ctx, s, work, (r) => t(locale, 'slack.resent', { reference: r.state.reference, previous: meta.reference }));
                }
                const work = revise(ctx.deps, { ...common, ...text });
                return settle(ctx, s, work, (r) =>
                  t(locale, 'slack.revised', { reference: r.state.reference, version: currentTextVersion(r.state).number }),
                );
              }
              if (callbackId === CALLBACK_EXTEND) {
                const p = parseExtend(values, now, locale);
                if (!p.ok) return once(viewErrors(p.errors));
                const request: DeadlineRequest = 'days' in p.value ? { kind: 'business_days', days: p.value.days } : { kind: 'explicit', at: p.value.deadlineAt.toISOString() };
                const work = extend(ctx.deps, { ...common, deadline: request, justification: p.value.justification });
                return settle(ctx, { ...s, deadlineField: 'days' in p.value ? 'days' : 'deadline' }, work, (r) =>
                  t(locale, 'slack.extended', {
                    reference: r.state.reference,
                    deadline: deadlineText(r.state, { locale, timezone: person.timezone }),
                  }),
                );
              }
              const p = parseWithdraw(values, locale);
              if (!p.ok) return once(viewErrors(p.errors));
              const work = withdraw(ctx.deps, { ...common, ...(p.value.reason ? { reason: p.value.reason } : {}) });
              return settle(ctx, s, work, (r) =>
                t(locale, r.state.circulatedAt ? 'slack.withdrawn' : r.state.sentToTroikaAt ? 'slack.withdrawn_troika' : 'slack.withdrawn_draft', { reference: r.state.reference }),
              );
            }
            default:
              return once();
          }
        },
      );
      if (!acked) await once();
    },
  );
}
