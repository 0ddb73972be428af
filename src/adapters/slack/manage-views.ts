/**
 * The PPT's and the ST's forms on an existing consultation (an extension of interfaces.md "Slack"):
 *   - `revise`   (callback_id `revise`):   `proposal` (multiline, prefilled with the current text), `title`
 *                                           (optional, prefilled);
 *   - `extend`   (callback_id `extend`):   `days` (business days counted from circulation) OR `deadline`
 *                                           (datetimepicker), and `justification` (required);
 *   - `withdraw` (callback_id `withdraw`): a confirmation text and `reason` (optional).
 * Inputs have block_id = action_id. Each carries `private_metadata` naming the consultation (see
 * encodeManageMetadata), read back untrusted.
 */
import { z } from 'zod';
import type { Locale } from '../../directory/model.ts';
import { LIMITS } from '../../domain/types.ts';
import { t } from '../../i18n/index.ts';
import { escapeMrkdwn, SLACK_LIMITS, truncate, type KnownBlock } from './render.ts';
import type { ModalView, ParseResult, ViewErrors } from './views.ts';
import { MODAL_PROPOSAL_MAX } from './views.ts';

export const CALLBACK_REVISE = 'revise';
export const CALLBACK_EXTEND = 'extend';
export const CALLBACK_WITHDRAW = 'withdraw';
export type ManageCallback = typeof CALLBACK_REVISE | typeof CALLBACK_EXTEND | typeof CALLBACK_WITHDRAW;

const plain = (text: string, max = 2000) => ({ type: 'plain_text' as const, text: truncate(text, max), emoji: true });

export interface ManageContext {
  consultationId: string;
  reference: string;
  /** Where the command was typed, for the confirmation. */
  channelId?: string;
}

const manageSchema = z.object({ c: z.string().min(1).max(200), r: z.string().min(1).max(40), ch: z.string().max(50).optional() });

export function encodeManageMetadata(m: ManageContext): string {
  return JSON.stringify({ c: m.consultationId, r: m.reference, ...(m.channelId ? { ch: m.channelId } : {}) });
}

export function parseManageMetadata(value: unknown): ManageContext | undefined {
  if (typeof value !== 'string' || value.length > SLACK_LIMITS.privateMetadata) return undefined;
  try {
    const p = manageSchema.safeParse(JSON.parse(value));
    return p.success ? { consultationId: p.data.c, reference: p.data.r, ...(p.data.ch ? { channelId: p.data.ch } : {}) } : undefined;
  } catch {
    return undefined;
  }
}

function modal(locale: Locale, callbackId: ManageCallback, title: string, submit: string, metadata: string, blocks: KnownBlock[]): ModalView {
  return {
    type: 'modal',
    callback_id: callbackId,
    title: plain(title, SLACK_LIMITS.modalTitle),
    submit: plain(submit, SLACK_LIMITS.modalButton),
    close: plain(t(locale, 'form.cancel'), SLACK_LIMITS.modalButton),
    private_metadata: metadata,
    blocks,
  };
}

const intro = (text: string): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text: truncate(escapeMrkdwn(text), SLACK_LIMITS.sectionText) } });

export function reviseModal(locale: Locale, m: ManageContext, current: { title: string; text: string; version: number }): ModalView {
  const l = locale;
  return modal(l, CALLBACK_REVISE, t(l, 'form.revise.heading'), t(l, 'form.revise.submit'), encodeManageMetadata(m), [
    intro(t(l, 'form.revise.intro', { reference: m.reference, version: current.version })),
    {
      type: 'input',
      block_id: 'title',
      optional: true,
      label: plain(t(l, 'form.title.label')),
      hint: plain(t(l, 'form.revise.title_hint')),
      element: { type: 'plain_text_input', action_id: 'title', max_length: LIMITS.titleMax, initial_value: truncate(current.title, LIMITS.titleMax) },
    },
    {
      type: 'input',
      block_id: 'proposal',
      label: plain(t(l, 'form.proposal.label')),
      hint: plain(t(l, 'form.proposal.hint', { max: MODAL_PROPOSAL_MAX })),
      element: {
        type: 'plain_text_input',
        action_id: 'proposal',
        multiline: true,
        max_length: MODAL_PROPOSAL_MAX,
        focus_on_load: true,
        // A text longer than the modal allows cannot be prefilled whole: the person starts from its beginning.
        ...(current.text ? { initial_value: current.text.slice(0, MODAL_PROPOSAL_MAX) } : {}),
      },
    },
  ]);
}

export function extendModal(locale: Locale, m: ManageContext, current: { deadline: string }): ModalView {
  const l = locale;
  return modal(l, CALLBACK_EXTEND, t(l, 'form.extend.heading'), t(l, 'form.extend.submit'), encodeManageMetadata(m), [
    intro(t(l, 'form.extend.intro', { reference: m.reference, deadline: current.deadline })),
    {
      type: 'input',
      block_id: 'days',
      optional: true,
      label: plain(t(l, 'form.extend.days_label')),
      element: { type: 'number_input', action_id: 'days', is_decimal_allowed: false, min_value: String(LIMITS.daysMin), max_value: String(LIMITS.daysMax) },
    },
    {
      type: 'input',
      block_id: 'deadline',
      optional: true,
      label: plain(t(l, 'form.deadline.label')),
      element: { type: 'datetimepicker', action_id: 'deadline' },
    },
    {
      type: 'input',
      block_id: 'justification',
      label: plain(t(l, 'form.justification.label')),
      hint: plain(t(l, 'form.extend.justification_hint')),
      element: { type: 'plain_text_input', action_id: 'justification', multiline: true, max_length: LIMITS.justificationMax },
    },
  ]);
}

export function withdrawModal(locale: Locale, m: ManageContext, current: { title: string }): ModalView {
  const l = locale;
  return modal(l, CALLBACK_WITHDRAW, t(l, 'form.withdraw.heading'), t(l, 'form.withdraw.submit'), encodeManageMetadata(m), [
    intro(t(l, 'form.withdraw.confirm', { reference: m.reference, title: current.title })),
    {
      type: 'input',
      block_id: 'reason',
      optional: true,
      label: plain(t(l, 'form.withdraw.reason_label')),
      element: { type: 'plain_text_input', action_id: 'reason', multiline: true, max_length: LIMITS.reasonMax },
    },
  ]);
}

// ---------------------------------------------------------------------------------------------- parsing

const stateValue = z.object({
  type: z.string(),
  value: z.string().nullish(),
  selected_date_time: z.number().int().nullish(),
});
const stateValues = z.record(z.string(), z.record(z.string(), stateValue));
type Values = z.infer<typeof stateValues>;
const text = (v: Values, id: string) => (v[id]?.[id]?.value ?? '').trim();

export function parseRevise(values: unknown, locale: Locale): ParseResult<{ text: string; title?: string }, 'title' | 'proposal'> {
  const p = stateValues.safeParse(values);
  if (!p.success) return { ok: false, errors: { proposal: t(locale, 'refusal.invalid_input') } };
  const errors: ViewErrors<'title' | 'proposal'> = {};
  const title = text(p.data, 'title');
  const proposal = text(p.data, 'proposal');
  if (title.length > LIMITS.titleMax) errors.title = t(locale, 'refusal.title_too_long', { max: LIMITS.titleMax });
  if (!proposal) errors.proposal = t(locale, 'refusal.text_required');
  else if (proposal.length > LIMITS.textMax) errors.proposal = t(locale, 'refusal.text_too_long', { max: LIMITS.textMax });
  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, value: { text: proposal, ...(title ? { title } : {}) } };
}

export type ExtendInput = { days: number; justification: string } | { deadlineAt: Date; justification: string };

export function parseExtend(values: unknown, now: Date, locale: Locale): ParseResult<ExtendInput, 'days' | 'deadline' | 'justification'> {
  const l = locale;
  const p = stateValues.safeParse(values);
  if (!p.success) return { ok: false, errors: { justification: t(l, 'refusal.invalid_input') } };
  const errors: ViewErrors<'days' | 'deadline' | 'justification'> = {};
  const rawDays = text(p.data, 'days');
  const seconds = p.data.deadline?.deadline?.selected_date_time ?? undefined;
  const deadlineAt = seconds === undefined ? undefined : new Date(seconds * 1000);
  let days: number | undefined;
  if (rawDays) {
    if (/^\d+$/.test(rawDays) && Number(rawDays) >= LIMITS.daysMin && Number(rawDays) <= LIMITS.daysMax) days = Number(rawDays);
    else errors.days = t(l, 'refusal.invalid_days', { min: LIMITS.daysMin, max: LIMITS.daysMax });
  }
  if (!rawDays && !deadlineAt) errors.days = t(l, 'form.extend.choose');
  if (rawDays && deadlineAt) errors.deadline = t(l, 'form.extend.both');
  if (deadlineAt && deadlineAt.getTime() <= now.getTime()) errors.deadline = t(l, 'refusal.deadline_in_past');
  const justification = text(p.data, 'justification');
  if (!justification) errors.justification = t(l, 'refusal.justification_required');
  else if (justification.length > LIMITS.justificationMax) errors.justification = t(l, 'refusal.justification_too_long', { max: LIMITS.justificationMax });
  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, value: days !== undefined ? { days, justification } : { deadlineAt: deadlineAt!, justification } };
}

export function parseWithdraw(values: unknown, locale: Locale): ParseResult<{ reason?: string }, 'reason'> {
  const p = stateValues.safeParse(values ?? {});
  if (!p.success) return { ok: false, errors: { reason: t(locale, 'refusal.invalid_input') } };
  const reason = text(p.data, 'reason');
  if (reason.length > LIMITS.reasonMax) return { ok: false, errors: { reason: t(locale, 'refusal.reason_too_long', { max: LIMITS.reasonMax }) } };
  return { ok: true, value: reason ? { reason } : {} };
}
