/**
 * What comes back from a form, checked before anything touches the database: the new consultation, a
 * reason, and the PPT's/ST's revise, extend and withdraw forms. Every adapter hands the submitted values
 * over as `FormValues` (field id → text, trimmed here), whatever its platform calls them:
 *   - text, multiline, number: the value as typed (trimmed here); select: the option's value, as is;
 *   - datetime (`deadline`): an ISO-8601 instant (Slack's datetimepicker gives epoch seconds; a Teams card
 *     a date and a time in the person's zone; the adapter turns either into the instant).
 * Errors are keyed by field id and written in the person's language: a Slack `response_action: errors`,
 * a Teams card shown again with the message under the input. The domain validates again when the command
 * runs; this gives the person field-level errors first.
 */
import type { Locale } from '../directory/model.ts';
import { codePointLength, normalizeText, normalizeTitle, storableText } from '../domain/text-version.ts';
import { LIMITS, type PositionsVisibility, type TextTranslation } from '../domain/types.ts';
import { t } from '../i18n/index.ts';

/** A submitted form: field id → value (absent or empty: not filled in). Untrusted. */
export type FormValues = Readonly<Record<string, string | undefined>>;

/** Where a submission fails: field id → message in the person's language. */
export type FieldErrors<K extends string = string> = Partial<Record<K, string>>;

export type ParseResult<T, K extends string> = { ok: true; value: T } | { ok: false; errors: FieldErrors<K> };

const text = (v: FormValues, id: string): string => (v[id] ?? '').trim();
/**
 * What the domain will keep of a field (found by test/fuzz/forms.test.ts): a title or text normalised as
 * the domain normalises it (storable characters, NFC, line ends, trimmed), a reason or justification
 * storable and trimmed; limits are then counted in code points, as the domain counts them.
 */
const kept = {
  title: (v: FormValues, id: string): string => normalizeTitle(v[id] ?? ''),
  text: (v: FormValues, id: string): string => normalizeText(v[id] ?? ''),
  note: (v: FormValues, id: string): string => storableText(v[id] ?? '').trim(),
};
const longerThan = (s: string, max: number): boolean => codePointLength(s) > max;

/** A datetime field's instant, `undefined` when empty, `null` when it is not an instant. */
function instant(v: FormValues, id: string): Date | null | undefined {
  const raw = text(v, id);
  if (!raw) return undefined;
  const at = new Date(raw);
  return Number.isNaN(at.getTime()) ? null : at;
}

/** The other official language: a translation's, when the original is in `locale`. */
export const otherLocale = (locale: Locale): Locale => (locale === 'es' ? 'en' : 'es');

/**
 * Reads `title_translation` and `proposal_translation`: both empty → no translation; both given → the
 * translation in the other language than `original`; one without the other → an error on the empty one.
 * Errors in the reader's language `l`.
 */
export function parseTranslation(
  values: FormValues,
  original: Locale,
  l: Locale,
): { translation?: TextTranslation; errors: FieldErrors<'title_translation' | 'proposal_translation'> } {
  const title = kept.title(values, 'title_translation');
  const body = kept.text(values, 'proposal_translation');
  const errors: FieldErrors<'title_translation' | 'proposal_translation'> = {};
  if (!title && !body) return { errors };
  const language = t(l, `form.translation.language.${otherLocale(original)}`);
  if (!title) errors.title_translation = t(l, 'form.translation.needs_both', { language });
  else if (longerThan(title, LIMITS.titleMax)) errors.title_translation = t(l, 'refusal.title_too_long', { max: LIMITS.titleMax });
  if (!body) errors.proposal_translation = t(l, 'form.translation.needs_both', { language });
  else if (longerThan(body, LIMITS.textMax)) errors.proposal_translation = t(l, 'refusal.text_too_long', { max: LIMITS.textMax });
  if (Object.keys(errors).length) return { errors };
  return { translation: { locale: otherLocale(original), title, text: body }, errors };
}

// ------------------------------------------------------------------------------------------ new consultation

/** Field ids of the new-consultation form. */
export const NEW_CONSULTATION_INPUTS = [
  'title',
  'proposal',
  'title_translation',
  'proposal_translation',
  'days',
  'deadline',
  'rule',
  'justification',
  'visibility',
] as const;
export type NewConsultationInputId = (typeof NEW_CONSULTATION_INPUTS)[number];

export interface NewConsultationInput {
  title: string;
  text: string;
  /** Business days; absent when an explicit deadline was set. */
  days?: number;
  deadlineAt?: Date;
  rule: 'explicit' | 'silence';
  justification?: string;
  /** Language of title and text: the author's (the form's) language. */
  locale: Locale;
  /** The text in the other official language, when given. */
  translation?: TextTranslation;
  positionsVisibility: PositionsVisibility;
}

/**
 * Validates a new-consultation submission. Checks: title (required, ≤ 200), proposal (required, ≤ the
 * domain's 20,000), days (whole number 1..60; empty means the default 5), deadline (in the future),
 * justification (required when days < 5 or a deadline is set; ≤ 2000), rule (explicit | silence; default
 * explicit), the translation (title and text both or neither; same limits), visibility (at_close | live;
 * default at_close). The original is in `locale`, the person's language; the translation in the other one.
 */
export function parseNewConsultationForm(
  v: FormValues,
  now: Date,
  locale: Locale,
  options: { defaultDays?: number } = {},
): ParseResult<NewConsultationInput, NewConsultationInputId> {
  const l = locale;
  const errors: FieldErrors<NewConsultationInputId> = {};

  const title = kept.title(v, 'title');
  if (!title) errors.title = t(l, 'refusal.title_required');
  else if (longerThan(title, LIMITS.titleMax)) errors.title = t(l, 'refusal.title_too_long', { max: LIMITS.titleMax });

  const proposal = kept.text(v, 'proposal');
  if (!proposal) errors.proposal = t(l, 'refusal.text_required');
  else if (longerThan(proposal, LIMITS.textMax)) errors.proposal = t(l, 'refusal.text_too_long', { max: LIMITS.textMax });

  const at = instant(v, 'deadline');
  if (at === null) errors.deadline = t(l, 'refusal.invalid_deadline');
  const deadlineAt = at ?? undefined;
  if (deadlineAt && deadlineAt.getTime() <= now.getTime()) errors.deadline = t(l, 'refusal.deadline_in_past');

  let days: number | undefined;
  if (!deadlineAt) {
    const raw = text(v, 'days');
    if (!raw) days = options.defaultDays ?? LIMITS.defaultDays;
    else if (/^\d+$/.test(raw) && Number(raw) >= LIMITS.daysMin && Number(raw) <= LIMITS.daysMax) days = Number(raw);
    else errors.days = t(l, 'refusal.invalid_days', { min: LIMITS.daysMin, max: LIMITS.daysMax });
  }

  const justification = kept.note(v, 'justification');
  const needsJustification = deadlineAt !== undefined || (days !== undefined && days < LIMITS.daysWithoutJustification);
  if (longerThan(justification, LIMITS.justificationMax)) {
    errors.justification = t(l, 'refusal.justification_too_long', { max: LIMITS.justificationMax });
  } else if (needsJustification && !justification) errors.justification = t(l, 'refusal.justification_required');

  const ruleValue = v['rule'] ?? 'explicit';
  if (ruleValue !== 'explicit' && ruleValue !== 'silence') errors.rule = t(l, 'refusal.invalid_input');

  const visibility = v['visibility'] ?? 'at_close';
  if (visibility !== 'at_close' && visibility !== 'live') errors.visibility = t(l, 'refusal.invalid_input');

  const tr = parseTranslation(v, l, l);
  Object.assign(errors, tr.errors);

  if (Object.keys(errors).length) return { ok: false, errors };
  return {
    ok: true,
    value: {
      title,
      text: proposal,
      ...(days !== undefined ? { days } : {}),
      ...(deadlineAt ? { deadlineAt } : {}),
      rule: ruleValue as 'explicit' | 'silence',
      ...(justification ? { justification } : {}),
      locale: l,
      ...(tr.translation ? { translation: tr.translation } : {}),
      positionsVisibility: visibility as PositionsVisibility,
    },
  };
}

// ------------------------------------------------------------------------------------------ reason

/** Validates a reason submission: required, ≤ 2000 chars. */
export function parseReasonForm(v: FormValues, locale: Locale): ParseResult<string, 'reason'> {
  const reason = kept.note(v, 'reason');
  if (!reason) return { ok: false, errors: { reason: t(locale, 'refusal.reason_required') } };
  if (longerThan(reason, LIMITS.reasonMax)) return { ok: false, errors: { reason: t(locale, 'refusal.reason_too_long', { max: LIMITS.reasonMax }) } };
  return { ok: true, value: reason };
}

// ------------------------------------------------------------------------------------------ revise, extend, withdraw

export type ReviseField = 'title' | 'proposal' | 'title_translation' | 'proposal_translation';
export interface ReviseInput {
  text: string;
  title?: string;
  /** The original's language, as the form showed it. */
  locale: Locale;
  translation?: TextTranslation;
}

/** Validates a revise submission; errors in `locale`. `original` is the original's language the form showed. */
export function parseReviseForm(v: FormValues, locale: Locale, original: Locale = locale): ParseResult<ReviseInput, ReviseField> {
  const errors: FieldErrors<ReviseField> = {};
  const title = kept.title(v, 'title');
  const proposal = kept.text(v, 'proposal');
  if (longerThan(title, LIMITS.titleMax)) errors.title = t(locale, 'refusal.title_too_long', { max: LIMITS.titleMax });
  if (!proposal) errors.proposal = t(locale, 'refusal.text_required');
  else if (longerThan(proposal, LIMITS.textMax)) errors.proposal = t(locale, 'refusal.text_too_long', { max: LIMITS.textMax });
  const tr = parseTranslation(v, original, locale);
  Object.assign(errors, tr.errors);
  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, value: { text: proposal, ...(title ? { title } : {}), locale: original, ...(tr.translation ? { translation: tr.translation } : {}) } };
}

export type ExtendInput = { days: number; justification: string } | { deadlineAt: Date; justification: string };

/** Validates an extension: business days (counted from circulation) or an explicit deadline, and a justification. */
export function parseExtendForm(v: FormValues, now: Date, locale: Locale): ParseResult<ExtendInput, 'days' | 'deadline' | 'justification'> {
  const l = locale;
  const errors: FieldErrors<'days' | 'deadline' | 'justification'> = {};
  const rawDays = text(v, 'days');
  const at = instant(v, 'deadline');
  const deadlineAt = at ?? undefined;
  let days: number | undefined;
  if (rawDays) {
    if (/^\d+$/.test(rawDays) && Number(rawDays) >= LIMITS.daysMin && Number(rawDays) <= LIMITS.daysMax) days = Number(rawDays);
    else errors.days = t(l, 'refusal.invalid_days', { min: LIMITS.daysMin, max: LIMITS.daysMax });
  }
  if (!rawDays && at === undefined) errors.days = t(l, 'form.extend.choose');
  if (rawDays && at !== undefined) errors.deadline = t(l, 'form.extend.both');
  if (at === null) errors.deadline = t(l, 'refusal.invalid_deadline');
  if (deadlineAt && deadlineAt.getTime() <= now.getTime()) errors.deadline = t(l, 'refusal.deadline_in_past');
  const justification = kept.note(v, 'justification');
  if (!justification) errors.justification = t(l, 'refusal.justification_required');
  else if (longerThan(justification, LIMITS.justificationMax)) errors.justification = t(l, 'refusal.justification_too_long', { max: LIMITS.justificationMax });
  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, value: days !== undefined ? { days, justification } : { deadlineAt: deadlineAt!, justification } };
}

/** Validates a withdrawal: an optional reason, ≤ 2000 chars. */
export function parseWithdrawForm(v: FormValues, locale: Locale): ParseResult<{ reason?: string }, 'reason'> {
  const reason = kept.note(v, 'reason');
  if (longerThan(reason, LIMITS.reasonMax)) return { ok: false, errors: { reason: t(locale, 'refusal.reason_too_long', { max: LIMITS.reasonMax }) } };
  return { ok: true, value: reason ? { reason } : {} };
}
