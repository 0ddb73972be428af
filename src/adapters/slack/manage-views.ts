/**
 * The PPT's and the ST's forms on an existing consultation (an extension of interfaces.md "Slack"):
 *   - `revise`   (callback_id `revise`):   `proposal` (multiline, prefilled with the current text), `title`
 *                                           (optional, prefilled), `title_translation` and
 *                                           `proposal_translation` (optional, prefilled with the current
 *                                           translation). On a consultation the Troika did not endorse the
 *                                           same form resends the text as a new consultation (metadata `rs`);
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
import { escapeMrkdwn, OPAQUE_ID, SLACK_LIMITS, truncate, type KnownBlock } from './render.ts';
import { parseExtendForm, parseReviseForm, parseWithdrawForm, type ExtendInput, type FormValues, type ParseResult, type ReviseField, type ReviseInput } from '../../interaction/forms.ts';
import type { ManageContext, ReviseCurrent } from '../../interaction/intent.ts';
import type { ModalView } from './views.ts';
import { formValuesOf, MODAL_PROPOSAL_MAX, translationInputs } from './views.ts';

export const CALLBACK_REVISE = 'revise';
export const CALLBACK_EXTEND = 'extend';
export const CALLBACK_WITHDRAW = 'withdraw';
export type ManageCallback = typeof CALLBACK_REVISE | typeof CALLBACK_EXTEND | typeof CALLBACK_WITHDRAW;

const plain = (text: string, max = 2000) => ({ type: 'plain_text' as const, text: truncate(text, max), emoji: true });

export type { ManageContext, ReviseCurrent };

const manageSchema = z.object({
  c: z.string().regex(OPAQUE_ID),
  r: z.string().regex(/^[A-Z0-9-]{1,40}$/),
  ch: z.string().regex(/^[CDG][A-Z0-9]{1,40}$/).optional(),
  lo: z.enum(['es', 'en']).optional(),
  rs: z.literal(1).optional(),
});

export function encodeManageMetadata(m: ManageContext): string {
  return JSON.stringify({
    c: m.consultationId,
    r: m.reference,
    ...(m.channelId ? { ch: m.channelId } : {}),
    ...(m.originalLocale ? { lo: m.originalLocale } : {}),
    ...(m.resend ? { rs: 1 } : {}),
  });
}

export function parseManageMetadata(value: unknown): ManageContext | undefined {
  if (typeof value !== 'string' || value.length > SLACK_LIMITS.privateMetadata) return undefined;
  try {
    const p = manageSchema.safeParse(JSON.parse(value));
    if (!p.success) return undefined;
    return {
      consultationId: p.data.c,
      reference: p.data.r,
      ...(p.data.ch ? { channelId: p.data.ch } : {}),
      ...(p.data.lo ? { originalLocale: p.data.lo } : {}),
      ...(p.data.rs ? { resend: true } : {}),
    };
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

/**
 * The revise form, in the reader's language `locale`: the original (title, proposal) and the text in the
 * other official language, prefilled with the current version. For a not-endorsed consultation it is the
 * resend form (heading, and an intro that says a new consultation will replace it).
 */
export function reviseModal(locale: Locale, m: ManageContext, current: ReviseCurrent): ModalView {
  const l = locale;
  const original = current.locale ?? l;
  const meta = encodeManageMetadata({ ...m, originalLocale: original, ...(current.notEndorsed ? { resend: true } : {}) });
  const heading = current.notEndorsed ? t(l, 'form.resend.heading') : t(l, 'form.revise.heading');
  const introText = current.notEndorsed
    ? t(l, 'form.resend.intro', { reference: m.reference, country: current.notEndorsed.country, reason: current.notEndorsed.reason })
    : t(l, 'form.revise.intro', { reference: m.reference, version: current.version });
  return modal(l, CALLBACK_REVISE, heading, t(l, 'form.revise.submit'), meta, [
    intro(introText),
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
    ...translationInputs(l, original, current.translation),
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

/** `circulated`: the Member Countries received the text (they are told of the withdrawal); else only the Troika. */
export function withdrawModal(locale: Locale, m: ManageContext, current: { title: string; circulated?: boolean }): ModalView {
  const l = locale;
  const confirm = current.circulated === false ? 'form.withdraw.confirm_troika' : 'form.withdraw.confirm';
  return modal(l, CALLBACK_WITHDRAW, t(l, 'form.withdraw.heading'), t(l, 'form.withdraw.submit'), encodeManageMetadata(m), [
    intro(t(l, confirm, { reference: m.reference, title: current.title })),
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

export type { ExtendInput, ReviseField, ReviseInput };

/** A revise, extend or withdraw submission's values as form values; undefined when their shape is not Slack's. */
export function manageFormValues(values: unknown): FormValues | undefined {
  const p = stateValues.safeParse(values ?? {});
  return p.success ? formValuesOf(p.data) : undefined;
}

/** Validates a revise submission; errors in `locale`. `original` is the original's language the form showed. */
export function parseRevise(values: unknown, locale: Locale, original: Locale = locale): ParseResult<ReviseInput, ReviseField> {
  const p = stateValues.safeParse(values);
  if (!p.success) return { ok: false, errors: { proposal: t(locale, 'refusal.invalid_input') } };
  return parseReviseForm(formValuesOf(p.data), locale, original);
}

export function parseExtend(values: unknown, now: Date, locale: Locale): ParseResult<ExtendInput, 'days' | 'deadline' | 'justification'> {
  const p = stateValues.safeParse(values);
  if (!p.success) return { ok: false, errors: { justification: t(locale, 'refusal.invalid_input') } };
  return parseExtendForm(formValuesOf(p.data), now, locale);
}

export function parseWithdraw(values: unknown, locale: Locale): ParseResult<{ reason?: string }, 'reason'> {
  const p = stateValues.safeParse(values ?? {});
  if (!p.success) return { ok: false, errors: { reason: t(locale, 'refusal.invalid_input') } };
  return parseWithdrawForm(formValuesOf(p.data), locale);
}
