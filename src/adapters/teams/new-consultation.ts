/**
 * `consulta` in Teams: the new-consultation form as an Adaptive Card (forms.ts; inputs `title`, `proposal`,
 * `days`, `deadline` + `deadline_time` in the person's zone, `rule`, `justification`; submit verb
 * `consultation_new`), and its submission through the same flow as Slack's modal (startConsultation).
 * Field checks first (as Slack's parseNewConsultation), then the domain; a refusal that names a field comes
 * back on the form, under that field, in the invoke response. Thin: the form-values-to-command mapping
 * moves onto the platform-neutral interaction layer with Slack's.
 */
import { mayStartConsultation } from '../../domain/authority.ts';
import { FIELD_OF } from '../../interaction/refusals.ts';
import type { IAdaptiveCard } from '@microsoft/teams.cards';
import { parseDay } from '../../calendar/civil.ts';
import { zonedInstant } from '../../calendar/tz.ts';
import type { Locale } from '../../directory/model.ts';
import { LIMITS, type CommandActor, type DeadlineRequest } from '../../domain/types.ts';
import { startConsultation } from '../../flows/consultation-flows.ts';
import type { FlowDeps } from '../../flows/ports.ts';
import { refusalMessage, t } from '../../i18n/index.ts';
import type { FormField } from '../../messages/form-spec.ts';
import { renderForm } from './forms.ts';

export const NEW_CONSULTATION_VERB = 'consultation_new';

type Values = Partial<Record<'title' | 'proposal' | 'days' | 'deadline' | 'deadline_time' | 'rule' | 'justification', string>>;
type FieldId = 'title' | 'proposal' | 'days' | 'deadline' | 'rule' | 'justification';

/** May start a consultation: the domain's rule (ST staff, or a focal point of the PPT in office today). */
export function mayStart(actor: CommandActor, deps: FlowDeps): boolean {
  return mayStartConsultation(actor, deps.directory.current(), deps.clock.now());
}

export function newConsultationForm(locale: Locale, values: Values = {}, errors: Partial<Record<FieldId, string>> = {}, formError?: string): IAdaptiveCard {
  const l = locale;
  const days = values.days && /^\d+$/.test(values.days) ? Number(values.days) : LIMITS.defaultDays;
  const fields: FormField[] = [
    { kind: 'text', id: 'title', label: t(l, 'form.title.label'), required: true, maxLength: LIMITS.titleMax, ...(values.title ? { value: values.title } : {}) },
    { kind: 'multiline', id: 'proposal', label: t(l, 'form.proposal.label'), required: true, maxLength: LIMITS.textMax, ...(values.proposal ? { value: values.proposal } : {}) },
    { kind: 'number', id: 'days', label: t(l, 'form.days.label'), hint: t(l, 'form.days.hint'), value: days, min: LIMITS.daysMin, max: LIMITS.daysMax },
    {
      kind: 'datetime',
      id: 'deadline',
      label: t(l, 'form.deadline.label'),
      hint: t(l, 'form.deadline.hint'),
      timeLabel: t(l, 'teams.form.time'),
      ...(values.deadline ? { value: { date: values.deadline, ...(values.deadline_time ? { time: values.deadline_time } : {}) } } : {}),
    },
    {
      kind: 'select',
      id: 'rule',
      label: t(l, 'form.rule.label'),
      required: true,
      value: values.rule === 'silence' ? 'silence' : 'explicit',
      options: [
        { value: 'explicit', label: t(l, 'rule.explicit') },
        { value: 'silence', label: t(l, 'rule.silence') },
      ],
    },
    { kind: 'multiline', id: 'justification', label: t(l, 'form.justification.label'), hint: t(l, 'form.justification.hint'), maxLength: LIMITS.justificationMax, ...(values.justification ? { value: values.justification } : {}) },
  ];
  return renderForm({
    id: 'consultation_new',
    locale: l,
    title: t(l, 'form.consultation_new.heading'),
    fields,
    submitLabel: t(l, 'form.consultation_new.submit'),
    requiredMessage: t(l, 'teams.form.required'),
    context: {},
    errors,
    ...(formError ? { formError } : {}),
  });
}

const str = (data: Record<string, unknown>, k: keyof Values): string | undefined => {
  const v = data[k];
  return typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : undefined;
};

/** The submitted values (untrusted), kept to show the form again with its errors. */
export function valuesOf(data: Record<string, unknown>): Values {
  const out: Values = {};
  for (const k of ['title', 'proposal', 'days', 'deadline', 'deadline_time', 'rule', 'justification'] as const) {
    const v = str(data, k);
    if (v) out[k] = v.slice(0, k === 'proposal' ? LIMITS.textMax + 1 : 3000);
  }
  return out;
}

export type NewConsultationAnswer = { card: IAdaptiveCard } | { text: string };

export async function submitNewConsultation(
  deps: FlowDeps,
  input: { key: string; actor: CommandActor; locale: Locale; timezone: string; data: Record<string, unknown> },
): Promise<NewConsultationAnswer> {
  const l = input.locale;
  const v = valuesOf(input.data);
  const errors: Partial<Record<FieldId, string>> = {};
  if (!v.title) errors.title = t(l, 'refusal.title_required');
  else if (v.title.length > LIMITS.titleMax) errors.title = t(l, 'refusal.title_too_long', { max: LIMITS.titleMax });
  if (!v.proposal) errors.proposal = t(l, 'refusal.text_required');
  else if (v.proposal.length > LIMITS.textMax) errors.proposal = t(l, 'refusal.text_too_long', { max: LIMITS.textMax });
  let deadline: DeadlineRequest | undefined;
  if (v.deadline) {
    const time = /^(\d{2}):(\d{2})/.exec(v.deadline_time ?? '23:59');
    let at: Date | undefined;
    try {
      at = /^\d{4}-\d{2}-\d{2}$/.test(v.deadline) && time ? zonedInstant(parseDay(v.deadline), input.timezone, Number(time[1]), Number(time[2])) : undefined;
    } catch {
      at = undefined;
    }
    if (!at || Number.isNaN(at.getTime())) errors.deadline = t(l, 'refusal.invalid_deadline');
    else if (at.getTime() <= deps.clock.now().getTime()) errors.deadline = t(l, 'refusal.deadline_in_past');
    else deadline = { kind: 'explicit', at: at.toISOString() };
  } else {
    const raw = v.days ?? String(LIMITS.defaultDays);
    if (/^\d+$/.test(raw) && Number(raw) >= LIMITS.daysMin && Number(raw) <= LIMITS.daysMax) deadline = { kind: 'business_days', days: Number(raw) };
    else errors.days = t(l, 'refusal.invalid_days', { min: LIMITS.daysMin, max: LIMITS.daysMax });
  }
  const justification = v.justification ?? '';
  const needs = deadline?.kind === 'explicit' || (deadline?.kind === 'business_days' && deadline.days < LIMITS.daysWithoutJustification);
  if (justification.length > LIMITS.justificationMax) errors.justification = t(l, 'refusal.justification_too_long', { max: LIMITS.justificationMax });
  else if (needs && !justification) errors.justification = t(l, 'refusal.justification_required');
  const rule = v.rule ?? 'explicit';
  if (rule !== 'explicit' && rule !== 'silence') errors.rule = t(l, 'refusal.invalid_input');
  if (Object.keys(errors).length || !deadline || (rule !== 'explicit' && rule !== 'silence')) return { card: newConsultationForm(l, v, errors) };

  const result = await startConsultation(deps, {
    key: input.key,
    actor: input.actor,
    title: v.title!,
    text: v.proposal!,
    locale: l,
    deadline,
    ...(justification ? { justification } : {}),
    rule,
  });
  if (result.ok) return { text: t(l, 'slack.consultation_started', { reference: result.state.reference, title: result.state.title }) };
  const field = FIELD_OF.consultation_new[result.code] as FieldId | undefined;
  const reason = refusalMessage(l, result.code, result.detail);
  if (field) return { card: newConsultationForm(l, v, { [field]: reason }) };
  return { card: newConsultationForm(l, v, {}, t(l, 'slack.consultation_not_started', { reason })) };
}
