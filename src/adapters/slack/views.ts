/**
 * Slack views: the new-consultation modal, the reason modal, the Home tab, and the parsers of what comes
 * back from a modal (view_submission `view.state.values`, untrusted, validated with zod).
 *
 *   newConsultationModal(locale, { defaultDays, privateMetadata })  → views.open({ trigger_id, view })
 *   parseNewConsultation(view.state.values, now, locale)           → value | errors by block_id
 *   reasonModal(locale, privateMetadata, kind)                      → views.open
 *   parseReason(view.state.values, locale)                          → reason | errors
 *   encodeReasonMetadata / parseReasonMetadata                      → what a reason modal carries
 *   homeView(locale, sections, options)                             → views.publish({ user_id, view })
 *   viewErrors(errors)                                              → ack() body for response_action errors
 *
 * Ids are binding (interfaces.md "Slack"): callback_id `consultation_new` with inputs whose block_id equals
 * the action_id (`title`, `proposal`, `days`, `deadline`, `rule`, `justification`; and, an extension named
 * in the README, `title_translation`, `proposal_translation` — the text in the other official language —
 * and `visibility`); callback_id `reason` with input `reason`. Modal limits (docs.slack.dev "Modal views"): title, submit and close ≤ 24 chars,
 * private_metadata ≤ 3000, 100 blocks. plain_text_input max_length is at most 3000 (Slack), so a proposal
 * typed in the modal is capped at 3000 chars although the domain allows 20,000: longer texts need another
 * entry point (e.g. a file or the CLI) — noted in the adapter's README gaps.
 */
import type { types } from '@slack/bolt';
import { z } from 'zod';
import type { Locale } from '../../directory/model.ts';
import { LIMITS, type PositionsVisibility } from '../../domain/types.ts';
import { t } from '../../i18n/index.ts';
import type { ReasonKind } from '../../interaction/decisions.ts';
import type { ReasonContext } from '../../interaction/intent.ts';
import {
  NEW_CONSULTATION_INPUTS,
  otherLocale,
  parseNewConsultationForm,
  parseReasonForm,
  type FieldErrors,
  type FormValues,
  type NewConsultationInput,
  type NewConsultationInputId,
  type ParseResult,
} from '../../interaction/forms.ts';
import { ACTION_HOME_NEW_CONSULTATION, type HomeItem, type HomeOptions, type HomeSections } from '../../interaction/home.ts';
import type { MessageButton } from '../../messages/neutral.ts';
import { escapeFit, escapeMrkdwn, OPAQUE_ID, SLACK_LIMITS, SlackRenderError, truncate, type KnownBlock } from './render.ts';

export type ModalView = types.ModalView;
export type HomeView = types.HomeView;

export const CALLBACK_NEW_CONSULTATION = 'consultation_new';
export const CALLBACK_REASON = 'reason';
export { ACTION_HOME_NEW_CONSULTATION };

/** Input ids of the new-consultation modal; block_id = action_id. */
export { NEW_CONSULTATION_INPUTS, type NewConsultationInputId };

/** Largest proposal the modal accepts: Slack's plain_text_input limit, below the domain's 20,000. */
export const MODAL_PROPOSAL_MAX = Math.min(SLACK_LIMITS.plainTextInputMax, LIMITS.textMax);

const plain = (text: string, max = 2000) => ({ type: 'plain_text' as const, text: truncate(text, max), emoji: true });

function checkMetadata(privateMetadata: string | undefined): void {
  if (privateMetadata !== undefined && privateMetadata.length > SLACK_LIMITS.privateMetadata) {
    throw new SlackRenderError(`private_metadata longer than ${SLACK_LIMITS.privateMetadata} chars`);
  }
}

// ---------------------------------------------------------------------------------------------------
// The text in the other official language (new consultation and revise forms)
// ---------------------------------------------------------------------------------------------------


/**
 * The two optional inputs `title_translation` and `proposal_translation` (block_id = action_id), labelled
 * in the reader's language `l` with the name of the translation's language (the other one than the
 * original's, `original`); prefilled with `initial` when given (the revise form).
 */
export function translationInputs(l: Locale, original: Locale, initial?: { title: string; text: string }): KnownBlock[] {
  const language = t(l, `form.translation.language.${otherLocale(original)}`);
  return [
    {
      type: 'input',
      block_id: 'title_translation',
      optional: true,
      label: plain(t(l, 'form.title_translation.label', { language })),
      element: {
        type: 'plain_text_input',
        action_id: 'title_translation',
        max_length: LIMITS.titleMax,
        ...(initial?.title ? { initial_value: truncate(initial.title, LIMITS.titleMax) } : {}),
      },
    },
    {
      type: 'input',
      block_id: 'proposal_translation',
      optional: true,
      label: plain(t(l, 'form.proposal_translation.label', { language })),
      hint: plain(t(l, 'form.proposal_translation.hint', { language })),
      element: {
        type: 'plain_text_input',
        action_id: 'proposal_translation',
        multiline: true,
        max_length: MODAL_PROPOSAL_MAX,
        ...(initial?.text ? { initial_value: initial.text.slice(0, MODAL_PROPOSAL_MAX) } : {}),
      },
    },
  ];
}

// ---------------------------------------------------------------------------------------------------
// New consultation
// ---------------------------------------------------------------------------------------------------

export interface NewConsultationModalOptions {
  /** Initial value of `days` (default LIMITS.defaultDays = 5). */
  defaultDays?: number;
  /** Carried back in the view_submission (≤ 3000 chars), e.g. the channel the command came from. */
  privateMetadata?: string;
}

/** The new-consultation modal (callback_id `consultation_new`), labels in `locale`. */
export function newConsultationModal(locale: Locale, options: NewConsultationModalOptions = {}): ModalView {
  checkMetadata(options.privateMetadata);
  const l = locale;
  const days = options.defaultDays ?? LIMITS.defaultDays;
  const ruleOption = (rule: 'explicit' | 'silence') => ({
    text: plain(t(l, `rule.${rule}`), SLACK_LIMITS.optionText),
    value: rule,
  });
  const visibilityOption = (v: PositionsVisibility) => ({
    text: plain(t(l, `form.visibility.${v}`), SLACK_LIMITS.optionText),
    value: v,
  });
  const blocks: KnownBlock[] = [
    {
      type: 'input',
      block_id: 'title',
      label: plain(t(l, 'form.title.label')),
      element: { type: 'plain_text_input', action_id: 'title', max_length: LIMITS.titleMax, focus_on_load: true },
    },
    {
      type: 'input',
      block_id: 'proposal',
      label: plain(t(l, 'form.proposal.label')),
      hint: plain(t(l, 'form.proposal.hint', { max: MODAL_PROPOSAL_MAX })),
      element: { type: 'plain_text_input', action_id: 'proposal', multiline: true, max_length: MODAL_PROPOSAL_MAX },
    },
    // The author writes in their own language; the translation is in the other official one.
    ...translationInputs(l, l),
    {
      type: 'input',
      block_id: 'days',
      optional: true,
      label: plain(t(l, 'form.days.label')),
      hint: plain(t(l, 'form.days.hint')),
      element: {
        type: 'number_input',
        action_id: 'days',
        is_decimal_allowed: false,
        initial_value: String(days),
        min_value: String(LIMITS.daysMin),
        max_value: String(LIMITS.daysMax),
      },
    },
    {
      type: 'input',
      block_id: 'deadline',
      optional: true,
      label: plain(t(l, 'form.deadline.label')),
      hint: plain(t(l, 'form.deadline.hint')),
      element: { type: 'datetimepicker', action_id: 'deadline' },
    },
    {
      type: 'input',
      block_id: 'rule',
      label: plain(t(l, 'form.rule.label')),
      element: {
        type: 'static_select',
        action_id: 'rule',
        options: [ruleOption('explicit'), ruleOption('silence')],
        initial_option: ruleOption('explicit'),
      },
    },
    {
      type: 'context',
      elements: [
        { type: 'mrkdwn', text: `*${escapeMrkdwn(t(l, 'rule.explicit'))}:* ${escapeMrkdwn(t(l, 'rule.explicit.explanation'))}` },
        { type: 'mrkdwn', text: `*${escapeMrkdwn(t(l, 'rule.silence'))}:* ${escapeMrkdwn(t(l, 'rule.silence.explanation'))}` },
      ],
    },
    {
      type: 'input',
      block_id: 'justification',
      optional: true,
      label: plain(t(l, 'form.justification.label')),
      hint: plain(t(l, 'form.justification.hint')),
      element: { type: 'plain_text_input', action_id: 'justification', multiline: true, max_length: LIMITS.justificationMax },
    },
    {
      type: 'input',
      block_id: 'visibility',
      label: plain(t(l, 'form.visibility.label')),
      hint: plain(t(l, 'form.visibility.hint')),
      element: {
        type: 'static_select',
        action_id: 'visibility',
        options: [visibilityOption('at_close'), visibilityOption('live')],
        initial_option: visibilityOption('at_close'),
      },
    },
  ];
  return {
    type: 'modal',
    callback_id: CALLBACK_NEW_CONSULTATION,
    title: plain(t(l, 'form.consultation_new.heading'), SLACK_LIMITS.modalTitle),
    submit: plain(t(l, 'form.consultation_new.submit'), SLACK_LIMITS.modalButton),
    close: plain(t(l, 'form.cancel'), SLACK_LIMITS.modalButton),
    ...(options.privateMetadata !== undefined ? { private_metadata: options.privateMetadata } : {}),
    blocks,
  };
}

/** One value in view.state.values, as Slack sends it; unknown element keys are dropped. */
const stateValueSchema = z.object({
  type: z.string(),
  value: z.string().nullish(),
  selected_date_time: z.number().int().nullish(),
  selected_option: z.object({ value: z.string() }).nullish(),
});
const stateValuesSchema = z.record(z.string(), z.record(z.string(), stateValueSchema));

/** Where a view submission fails: block_id → message in the person's language. */
export type ViewErrors<K extends string = string> = FieldErrors<K>;
export type { NewConsultationInput, ParseResult };

/** Inputs read from `selected_option` (static selects) and from `selected_date_time` (datetimepickers). */
const SELECTS: ReadonlySet<string> = new Set(['rule', 'visibility']);
const DATETIMES: ReadonlySet<string> = new Set(['deadline']);

/** Latest instant a datetimepicker may name (the year 9999). */
const MAX_PICKED_SECONDS = Date.UTC(9999, 11, 31, 23, 59, 59) / 1000;

/**
 * A view's `state.values` (already checked with zod) as the interaction layer's form values: each input's
 * value under its block_id (= action_id); a datetimepicker's epoch seconds as an ISO instant.
 */
export function formValuesOf(values: Record<string, Record<string, { value?: string | null; selected_date_time?: number | null; selected_option?: { value: string } | null }>>): FormValues {
  const out: Record<string, string> = {};
  for (const [id, actions] of Object.entries(values)) {
    const v = actions[id];
    if (!v) continue;
    if (DATETIMES.has(id)) {
      if (typeof v.selected_date_time === 'number') {
        // Past the year 9999 (or before 1970) no date can be written: invalid, not a deadline (found by test/fuzz/forms.test.ts).
        const s = v.selected_date_time;
        out[id] = !Number.isSafeInteger(s) || s < 0 || s > MAX_PICKED_SECONDS ? 'invalid' : new Date(s * 1000).toISOString();
      }
    } else if (SELECTS.has(id)) {
      if (v.selected_option) out[id] = v.selected_option.value;
    } else if (typeof v.value === 'string') out[id] = v.value;
  }
  return out;
}

/** A new-consultation or reason submission's values as form values; undefined when their shape is not Slack's. */
export function slackFormValues(values: unknown): FormValues | undefined {
  const parsed = stateValuesSchema.safeParse(values);
  return parsed.success ? formValuesOf(parsed.data) : undefined;
}

/**
 * Validates a new-consultation submission (src/interaction/forms.ts parseNewConsultationForm). Errors are
 * keyed by block_id and written in `locale`, ready for `ack(viewErrors(result.errors))`.
 */
export function parseNewConsultation(
  values: unknown,
  now: Date,
  locale: Locale,
  options: { defaultDays?: number } = {},
): ParseResult<NewConsultationInput, NewConsultationInputId> {
  const parsed = stateValuesSchema.safeParse(values);
  if (!parsed.success) return { ok: false, errors: { title: t(locale, 'refusal.invalid_input') } };
  return parseNewConsultationForm(formValuesOf(parsed.data), now, locale, options);
}

/** The body to `ack()` a view_submission with field errors (Bolt: `ack(viewErrors(errors))`). */
export function viewErrors(errors: ViewErrors): { response_action: 'errors'; errors: Record<string, string> } {
  const out: Record<string, string> = {};
  for (const [k, m] of Object.entries(errors)) if (m) out[k] = m;
  return { response_action: 'errors', errors: out };
}

// ---------------------------------------------------------------------------------------------------
// Reason
// ---------------------------------------------------------------------------------------------------

export type { ReasonKind };

/**
 * The reason modal (callback_id `reason`, input `reason`, ≤ 2000 chars): Troika "request changes" or
 * "object", or a member's objection. `privateMetadata` (≤ 3000) carries what the submission needs; see
 * encodeReasonMetadata.
 */
export function reasonModal(locale: Locale, privateMetadata: string, kind: ReasonKind): ModalView {
  checkMetadata(privateMetadata);
  const l = locale;
  return {
    type: 'modal',
    callback_id: CALLBACK_REASON,
    title: plain(t(l, `form.reason.heading.${kind}`), SLACK_LIMITS.modalTitle),
    submit: plain(t(l, 'form.reason.submit'), SLACK_LIMITS.modalButton),
    close: plain(t(l, 'form.cancel'), SLACK_LIMITS.modalButton),
    private_metadata: privateMetadata,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: escapeMrkdwn(t(l, `form.reason.prompt.${kind}`)) } },
      {
        type: 'input',
        block_id: 'reason',
        label: plain(t(l, 'form.reason.label')),
        element: { type: 'plain_text_input', action_id: 'reason', multiline: true, max_length: LIMITS.reasonMax, focus_on_load: true },
      },
    ],
  };
}

/** Validates a reason submission: required, ≤ 2000 characters (code points). */
export function parseReason(values: unknown, locale: Locale): ParseResult<string, 'reason'> {
  const parsed = stateValuesSchema.safeParse(values);
  if (!parsed.success) return { ok: false, errors: { reason: t(locale, 'refusal.invalid_input') } };
  return parseReasonForm(formValuesOf(parsed.data), locale);
}

export type { ReasonContext };

const reasonContextSchema = z.object({
  k: z.enum(['changes', 'object', 'position_object']),
  c: z.string().regex(OPAQUE_ID),
  v: z.string().regex(OPAQUE_ID),
  ch: z.string().regex(/^[CDG][A-Z0-9]{1,40}$/).optional(),
  ts: z.string().regex(/^\d{1,12}\.\d{1,9}$/).optional(),
});

export function encodeReasonMetadata(ctx: ReasonContext): string {
  return JSON.stringify({
    k: ctx.kind,
    c: ctx.consultationId,
    v: ctx.versionHash,
    ...(ctx.card ? { ch: ctx.card.channel, ts: ctx.card.ts } : {}),
  });
}

/** Reads private_metadata back (untrusted: the modal round-trips through the client). Never throws. */
export function parseReasonMetadata(privateMetadata: unknown): ReasonContext | undefined {
  if (typeof privateMetadata !== 'string' || privateMetadata.length > SLACK_LIMITS.privateMetadata) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(privateMetadata);
  } catch {
    return undefined;
  }
  const p = reasonContextSchema.safeParse(json);
  if (!p.success) return undefined;
  return {
    kind: p.data.k,
    consultationId: p.data.c,
    versionHash: p.data.v,
    ...(p.data.ch && p.data.ts ? { card: { channel: p.data.ch, ts: p.data.ts } } : {}),
  };
}

// ---------------------------------------------------------------------------------------------------
// Home tab
// ---------------------------------------------------------------------------------------------------

export type { HomeItem, HomeOptions, HomeSections };

const button = (b: MessageButton) => ({
  type: 'button' as const,
  action_id: b.actionId,
  text: plain(b.label, SLACK_LIMITS.buttonText),
  value: b.value,
  ...(b.style ? { style: b.style } : {}),
});

function homeItemBlocks(item: HomeItem): KnownBlock[] {
  const line = `*${escapeMrkdwn(item.reference)}* · ${escapeFit(item.title, 500)}${item.detail ? `\n${escapeFit(item.detail, 2000)}` : ''}`;
  const buttons = item.buttons ?? [];
  const [only] = buttons;
  if (buttons.length === 1 && only) return [{ type: 'section', text: { type: 'mrkdwn', text: line }, accessory: button(only) }];
  return [
    { type: 'section', text: { type: 'mrkdwn', text: line } },
    ...(buttons.length ? [{ type: 'actions' as const, elements: buttons.slice(0, SLACK_LIMITS.actionsElements).map(button) }] : []),
  ];
}

/**
 * The Home tab (type `home`, ≤ 100 blocks): what awaits the reader's country, all open consultations,
 * and the reader's country's answers. A section too long for its share of blocks ends with
 * "… and N more. Use /crm list".
 */
export function homeView(locale: Locale, sections: HomeSections, options: HomeOptions = {}): HomeView {
  const l = locale;
  const blocks: KnownBlock[] = [{ type: 'header', text: plain(t(l, 'home.heading'), SLACK_LIMITS.headerText) }];
  if (options.canCreate) {
    blocks.push({
      type: 'actions',
      elements: [
        { type: 'button', action_id: ACTION_HOME_NEW_CONSULTATION, text: plain(t(l, 'home.new_consultation'), 75), style: 'primary', value: 'new' },
      ],
    });
  }
  const parts = (
    [
      [t(l, 'home.awaiting_my_country'), sections.awaitingMyCountry],
      [t(l, 'home.open'), sections.open],
      [t(l, 'home.my_country_answers'), sections.myCountryAnswers],
    ] as [string, HomeItem[] | undefined][]
  ).filter((p): p is [string, HomeItem[]] => p[1] !== undefined);
  // Each part: divider + header + items (+ "more"); share what the header and footer leave of 100 blocks.
  const share = Math.floor((SLACK_LIMITS.blocksPerView - blocks.length - (options.footer ? 1 : 0)) / parts.length) - 2;
  for (const [title, items] of parts) {
    blocks.push({ type: 'divider' }, { type: 'header', text: plain(title, SLACK_LIMITS.headerText) });
    if (!items.length) {
      blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: escapeMrkdwn(t(l, 'home.none')) }] });
      continue;
    }
    let used = 0;
    let shown = 0;
    for (const item of items) {
      const b = homeItemBlocks(item);
      const remaining = items.length - shown - 1;
      if (used + b.length + (remaining > 0 ? 1 : 0) > share) break;
      blocks.push(...b);
      used += b.length;
      shown += 1;
    }
    if (shown < items.length) {
      blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: escapeMrkdwn(t(l, 'home.more', { count: items.length - shown })) }] });
    }
  }
  if (options.footer) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: escapeFit(options.footer, 2000) }] });
  return { type: 'home', blocks };
}
