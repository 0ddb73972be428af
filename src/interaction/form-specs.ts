/**
 * Which form to show, as a platform-neutral FormSpec (src/messages/form-spec.ts): the fields, their labels
 * and hints in the person's language, the domain's limits, the prefilled values, and the context the form
 * carries back. Teams and the console render a FormSpec as an Adaptive Card (adapters/teams/forms.ts); the
 * Slack modals (adapters/slack/views.ts, manage-views.ts) have the same field ids, checked in
 * test/unit/interaction/form-specs.test.ts.
 *
 *   formSpec(request, { locale, timezone })   → the form for a `form` reply (./intent.ts FormRequest)
 *   formContext(request)                       → what the form carries (FormSpec.context), plain strings
 *   parseFormContext(form, data)               → back from a submission (untrusted) → SubmittedContext
 *
 * The Slack modal's proposal is capped at Slack's 3000-character input; a FormSpec takes the domain's limit.
 */
import { z } from 'zod';
import type { Locale } from '../directory/model.ts';
import { dateInZone } from '../domain/time.ts';
import { LIMITS, type PositionsVisibility } from '../domain/types.ts';
import { t } from '../i18n/index.ts';
import type { FormField, FormId, FormSpec } from '../messages/form-spec.ts';
import type { ReasonKind } from './decisions.ts';
import { otherLocale } from './forms.ts';
import type { FormRequest, SubmittedContext } from './intent.ts';
import { meetingFormContext, meetingFormSpec, parseMeetingFormContext } from './meeting-forms.ts';

/** The person the form is for: its language, and the zone its date and time inputs are in. */
export interface FormReader {
  locale: Locale;
  timezone: string;
  /** Today's date in the person's zone is the earliest a deadline may be (default: no minimum). */
  now?: Date;
}

const REASON_KINDS = ['changes', 'object', 'position_object'] as const satisfies readonly ReasonKind[];

function translationFields(l: Locale, original: Locale, initial?: { title: string; text: string }): FormField[] {
  const language = t(l, `form.translation.language.${otherLocale(original)}`);
  return [
    { kind: 'text', id: 'title_translation', label: t(l, 'form.title_translation.label', { language }), maxLength: LIMITS.titleMax, ...(initial?.title ? { value: initial.title } : {}) },
    {
      kind: 'multiline',
      id: 'proposal_translation',
      label: t(l, 'form.proposal_translation.label', { language }),
      hint: t(l, 'form.proposal_translation.hint', { language }),
      maxLength: LIMITS.textMax,
      ...(initial?.text ? { value: initial.text } : {}),
    },
  ];
}

function deadlineField(l: Locale, reader: FormReader, hint: boolean): FormField {
  return {
    kind: 'datetime',
    id: 'deadline',
    label: t(l, 'form.deadline.label'),
    ...(hint ? { hint: t(l, 'form.deadline.hint') } : {}),
    timeLabel: t(l, 'form.deadline.time_label'),
    ...(reader.now ? { minDate: dateInZone(reader.now, reader.timezone) } : {}),
  };
}

/**
 * What the form carries back when submitted (plain strings: Teams merges them with the inputs' values).
 * `locale`: the reader's, the language of a revised original that names none.
 */
export function formContext(request: FormRequest, locale?: Locale): Record<string, string> {
  switch (request.form) {
    case 'consultation_new':
      return request.origin ? { origin: request.origin } : {};
    case 'meeting_new':
    case 'meeting_delegation':
      return meetingFormContext(request);
    case 'reason': {
      const r = request.reason;
      return { kind: r.kind, consultation: r.consultationId, version: r.versionHash, ...(r.card ? { card_channel: r.card.channel, card_ts: r.card.ts } : {}) };
    }
    default: {
      const m = request.manage;
      const originalLocale = request.form === 'revise' ? (request.current.locale ?? locale ?? m.originalLocale) : m.originalLocale;
      const resend = request.form === 'revise' ? request.current.notEndorsed !== undefined || m.resend : m.resend;
      return {
        consultation: m.consultationId,
        reference: m.reference,
        ...(m.channelId ? { origin: m.channelId } : {}),
        ...(originalLocale ? { original_locale: originalLocale } : {}),
        ...(resend ? { resend: 'true' } : {}),
      };
    }
  }
}

const id = z.string().min(1).max(200);
const reasonData = z.object({ kind: z.enum(REASON_KINDS), consultation: id, version: id, card_channel: z.string().min(1).max(400).optional(), card_ts: z.string().min(1).max(200).optional() });
const manageData = z.object({ consultation: id, reference: z.string().min(1).max(40), origin: z.string().max(100).optional(), original_locale: z.enum(['es', 'en']).optional(), resend: z.literal('true').optional() });

/** The context of a submitted form, read back from `data` (untrusted); undefined when it is not the form's. */
export function parseFormContext(form: FormId, data: unknown): SubmittedContext | undefined {
  if (form === 'consultation_new') return { form };
  if (form === 'meeting_new' || form === 'meeting_delegation') return parseMeetingFormContext(form, data);
  if (form === 'reason') {
    const p = reasonData.safeParse(data);
    if (!p.success) return undefined;
    const card = p.data.card_channel && p.data.card_ts ? { card: { channel: p.data.card_channel, ts: p.data.card_ts } } : {};
    return { form, reason: { kind: p.data.kind, consultationId: p.data.consultation, versionHash: p.data.version, ...card } };
  }
  const p = manageData.safeParse(data);
  if (!p.success) return undefined;
  return {
    form,
    manage: {
      consultationId: p.data.consultation,
      reference: p.data.reference,
      ...(p.data.origin ? { channelId: p.data.origin } : {}),
      ...(p.data.original_locale ? { originalLocale: p.data.original_locale } : {}),
      ...(p.data.resend ? { resend: true } : {}),
    },
  };
}

/** The form a `form` reply asks for, for `reader`. */
export function formSpec(request: FormRequest, reader: FormReader): FormSpec {
  const l = reader.locale;
  const base = { id: request.form, locale: l, requiredMessage: t(l, 'form.required'), context: formContext(request, l) };
  switch (request.form) {
    case 'meeting_new':
    case 'meeting_delegation':
      return meetingFormSpec(request, l);
    case 'consultation_new': {
      const select = <V extends string>(values: readonly V[], label: (v: V) => string) => values.map((value) => ({ value, label: label(value) }));
      return {
        ...base,
        title: t(l, 'form.consultation_new.heading'),
        submitLabel: t(l, 'form.consultation_new.submit'),
        intro: [`${t(l, 'rule.explicit')}: ${t(l, 'rule.explicit.explanation')}`, `${t(l, 'rule.silence')}: ${t(l, 'rule.silence.explanation')}`],
        fields: [
          { kind: 'text', id: 'title', label: t(l, 'form.title.label'), required: true, maxLength: LIMITS.titleMax },
          { kind: 'multiline', id: 'proposal', label: t(l, 'form.proposal.label'), hint: t(l, 'form.proposal.hint', { max: LIMITS.textMax }), required: true, maxLength: LIMITS.textMax },
          // The author writes in their own language; the translation is in the other official one.
          ...translationFields(l, l),
          { kind: 'number', id: 'days', label: t(l, 'form.days.label'), hint: t(l, 'form.days.hint'), value: LIMITS.defaultDays, min: LIMITS.daysMin, max: LIMITS.daysMax },
          deadlineField(l, reader, true),
          { kind: 'select', id: 'rule', label: t(l, 'form.rule.label'), required: true, options: select(['explicit', 'silence'] as const, (v) => t(l, `rule.${v}`)), value: 'explicit' },
          { kind: 'multiline', id: 'justification', label: t(l, 'form.justification.label'), hint: t(l, 'form.justification.hint'), maxLength: LIMITS.justificationMax },
          {
            kind: 'select',
            id: 'visibility',
            label: t(l, 'form.visibility.label'),
            hint: t(l, 'form.visibility.hint'),
            required: true,
            options: select(['at_close', 'live'] as const satisfies readonly PositionsVisibility[], (v) => t(l, `form.visibility.${v}`)),
            value: 'at_close',
          },
        ],
      };
    }
    case 'reason': {
      const kind = request.reason.kind;
      return {
        ...base,
        title: t(l, `form.reason.heading.${kind}`),
        submitLabel: t(l, 'form.reason.submit'),
        intro: [t(l, `form.reason.prompt.${kind}`)],
        fields: [{ kind: 'multiline', id: 'reason', label: t(l, 'form.reason.label'), required: true, maxLength: LIMITS.reasonMax }],
      };
    }
    case 'revise': {
      const { manage: m, current } = request;
      const original = current.locale ?? l;
      return {
        ...base,
        title: current.notEndorsed ? t(l, 'form.resend.heading') : t(l, 'form.revise.heading'),
        submitLabel: t(l, 'form.revise.submit'),
        intro: [
          current.notEndorsed
            ? t(l, 'form.resend.intro', { reference: m.reference, country: current.notEndorsed.country, reason: current.notEndorsed.reason })
            : t(l, 'form.revise.intro', { reference: m.reference, version: current.version }),
        ],
        fields: [
          { kind: 'text', id: 'title', label: t(l, 'form.title.label'), hint: t(l, 'form.revise.title_hint'), maxLength: LIMITS.titleMax, value: current.title },
          { kind: 'multiline', id: 'proposal', label: t(l, 'form.proposal.label'), hint: t(l, 'form.proposal.hint', { max: LIMITS.textMax }), required: true, maxLength: LIMITS.textMax, value: current.text },
          ...translationFields(l, original, current.translation),
        ],
      };
    }
    case 'extend':
      return {
        ...base,
        title: t(l, 'form.extend.heading'),
        submitLabel: t(l, 'form.extend.submit'),
        intro: [t(l, 'form.extend.intro', { reference: request.manage.reference, deadline: request.current.deadline })],
        fields: [
          { kind: 'number', id: 'days', label: t(l, 'form.extend.days_label'), min: LIMITS.daysMin, max: LIMITS.daysMax },
          deadlineField(l, reader, false),
          { kind: 'multiline', id: 'justification', label: t(l, 'form.justification.label'), hint: t(l, 'form.extend.justification_hint'), required: true, maxLength: LIMITS.justificationMax },
        ],
      };
    case 'withdraw': {
      const confirm = request.current.circulated === false ? 'form.withdraw.confirm_troika' : 'form.withdraw.confirm';
      return {
        ...base,
        title: t(l, 'form.withdraw.heading'),
        submitLabel: t(l, 'form.withdraw.submit'),
        intro: [t(l, confirm, { reference: request.manage.reference, title: request.current.title })],
        fields: [{ kind: 'multiline', id: 'reason', label: t(l, 'form.withdraw.reason_label'), maxLength: LIMITS.reasonMax }],
      };
    }
  }
}
