/**
 * Refusals in the person's words, and on which field of a form they belong. The flows answer with a code
 * (`{ ok: false, code, detail }`); every chat adapter says it the same way: privately, in the person's
 * language, on the form's field when the refusal names one (Slack: `response_action: errors`; Teams: the
 * card again with the error under the input).
 */
import type { Locale } from '../directory/model.ts';
import { inBothLanguages, refusalMessage, t } from '../i18n/index.ts';
import type { FormId } from '../messages/form-spec.ts';

/**
 * What someone not in the directory is told. The directory holds people's languages, so theirs is unknown:
 * the notice comes in both official languages, Spanish first.
 */
export const notInDirectoryText = (): string => inBothLanguages('refusal.not_in_directory');

/** A refusal from the flows, in the person's words; "not authorized" to manage says who may. */
export function refusalText(locale: Locale, code: string, detail?: Record<string, string | number>, manage = false): string {
  if (manage && code === 'not_authorized') return t(locale, 'slack.manage_only');
  // A not-endorsed consultation already resent: name the consultation that superseded it.
  if (code === 'already_exists' && detail?.supersedes !== undefined && detail.reference !== undefined) {
    return t(locale, 'resend.already_resent', { reference: String(detail.supersedes), by: String(detail.reference) });
  }
  return refusalMessage(locale, code, detail);
}

/** Domain refusals shown on a field of each form (field ids: interfaces.md, the Slack block ids). */
export const FIELD_OF: Record<FormId, Partial<Record<string, string>>> = {
  consultation_new: {
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
  reason: { reason_required: 'reason', reason_too_long: 'reason' },
  revise: { title_required: 'title', title_too_long: 'title', text_required: 'proposal', text_too_long: 'proposal', text_unchanged: 'proposal' },
  extend: {
    invalid_days: 'days',
    invalid_deadline: 'deadline',
    deadline_in_past: 'deadline',
    deadline_not_later: 'deadline',
    justification_required: 'justification',
    justification_too_long: 'justification',
  },
  withdraw: { reason_too_long: 'reason' },
  // The domain's refusals of a new meeting (domain/meetings newMeeting).
  meeting_new: {
    invalid_date: 'start',
    end_before_start: 'end',
    too_long: 'end',
    no_ppt_on_start: 'country',
    country_not_in_directory: 'country',
    title_required: 'title',
  },
  // A delegation's refusals go on the segment of each person refused (interaction/meetings.ts).
  meeting_delegation: {},
};

/** Where a domain refusal about a translation goes on a form (its detail says `field: 'translation'`). */
export function translationField(code: string): 'title_translation' | 'proposal_translation' | undefined {
  if (code === 'title_required' || code === 'title_too_long') return 'title_translation';
  if (code === 'text_required' || code === 'text_too_long') return 'proposal_translation';
  return undefined;
}

/**
 * The field of `form` a refusal goes on, or undefined (then the refusal replaces the form as a notice).
 * A refusal about the translation goes on the translation's inputs (forms that have them); a deadline
 * refusal on the extend form goes to the input the person filled (`deadlineField`).
 */
export function refusalField(
  form: FormId,
  refusal: { code: string; detail?: Record<string, string | number> },
  deadlineField?: 'days' | 'deadline',
): string | undefined {
  const onTranslation = refusal.detail?.field === 'translation' && (form === 'consultation_new' || form === 'revise');
  let field = onTranslation ? translationField(refusal.code) : FIELD_OF[form]?.[refusal.code];
  if (field && deadlineField && (field === 'days' || field === 'deadline')) field = deadlineField;
  return field;
}
