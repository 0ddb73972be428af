/**
 * `revisar REF`, `prorrogar REF` and `retirar REF` in Teams: the PPT's and the ST's forms on an existing
 * consultation, as Adaptive Cards (forms.ts; submit verbs `revise`, `extend` and `withdraw`, data
 * `{ c, r }`), run through the same flows as Slack's modals (revise, extend, withdraw). Authority, stage and the consultation are checked before the
 * form shows (preview.ts checkAccess), and again by the domain on submission; a refusal naming a field comes
 * back under it. Not here yet: resending a text the Troika did not endorse, and the translation inputs
 * (Slack's revise form has them). Thin, like the rest: this
 * mapping moves onto the interaction layer with Slack's.
 */
import type { IAdaptiveCard } from '@microsoft/teams.cards';
import { parseDay } from '../../calendar/civil.ts';
import { zonedInstant } from '../../calendar/tz.ts';
import { LIMITS, type Command, type CommandActor, type ConsultationState, type DeadlineRequest } from '../../domain/types.ts';
import { currentTextVersion } from '../../domain/outcome.ts';
import { extend, revise, withdraw } from '../../flows/consultation-flows.ts';
import { deadlineText } from '../../flows/messages/common.ts';
import type { FlowResult } from '../../flows/execute.ts';
import type { FlowDeps } from '../../flows/ports.ts';
import { checkAccess } from '../../flows/preview.ts';
import { refusalMessage, t } from '../../i18n/index.ts';
import type { Locale } from '../../directory/model.ts';
import { renderForm } from './forms.ts';

export const MANAGE_VERBS = ['extend', 'withdraw', 'revise'] as const;
export type ManageVerb = (typeof MANAGE_VERBS)[number];
export const isManageVerb = (v: string): v is ManageVerb => (MANAGE_VERBS as readonly string[]).includes(v);

export interface Reader {
  locale: Locale;
  timezone: string;
}

export type ManageAnswer = { card: IAdaptiveCard } | { text: string };

/** A refusal in the person's words; "not authorized" to manage says who may. */
function refusalText(locale: Locale, code: string, detail?: Record<string, string | number>): string {
  return code === 'not_authorized' ? t(locale, 'slack.manage_only') : refusalMessage(locale, code, detail);
}

function probe(name: ManageVerb, state: ConsultationState, actor: CommandActor): Command {
  const base = { consultationId: state.consultationId, actor };
  if (name === 'revise') return { ...base, type: 'revise', text: `${state.text.slice(0, 100)} (preview)` };
  if (name === 'extend') return { ...base, type: 'extend', deadline: { kind: 'business_days', days: LIMITS.daysMax }, justification: 'preview' };
  return { ...base, type: 'withdraw' };
}

export function extendForm(r: Reader, state: ConsultationState, values: Record<string, string> = {}, errors: Record<string, string> = {}): IAdaptiveCard {
  const l = r.locale;
  return renderForm({
    id: 'extend',
    locale: l,
    title: t(l, 'form.extend.heading'),
    intro: [t(l, 'form.extend.intro', { reference: state.reference, deadline: deadlineText(state, r) })],
    fields: [
      { kind: 'number', id: 'days', label: t(l, 'form.extend.days_label'), min: LIMITS.daysMin, max: LIMITS.daysMax, ...(values.days && /^\d+$/.test(values.days) ? { value: Number(values.days) } : {}) },
      { kind: 'datetime', id: 'deadline', label: t(l, 'form.deadline.label'), timeLabel: t(l, 'teams.form.time') },
      { kind: 'multiline', id: 'justification', label: t(l, 'form.justification.label'), hint: t(l, 'form.extend.justification_hint'), required: true, maxLength: LIMITS.justificationMax, ...(values.justification ? { value: values.justification } : {}) },
    ],
    submitLabel: t(l, 'form.extend.submit'),
    requiredMessage: t(l, 'teams.form.required'),
    context: { c: state.consultationId, r: state.reference },
    errors,
  });
}

export function withdrawForm(r: Reader, state: ConsultationState, errors: Record<string, string> = {}): IAdaptiveCard {
  const l = r.locale;
  const confirm = state.circulatedAt === undefined ? 'form.withdraw.confirm_troika' : 'form.withdraw.confirm';
  return renderForm({
    id: 'withdraw',
    locale: l,
    title: t(l, 'form.withdraw.heading'),
    intro: [t(l, confirm, { reference: state.reference, title: state.title })],
    fields: [{ kind: 'multiline', id: 'reason', label: t(l, 'form.withdraw.reason_label'), maxLength: LIMITS.reasonMax }],
    submitLabel: t(l, 'form.withdraw.submit'),
    requiredMessage: t(l, 'teams.form.required'),
    context: { c: state.consultationId, r: state.reference },
    errors,
  });
}

export function reviseForm(r: Reader, state: ConsultationState, values: { title?: string; proposal?: string } = {}, errors: Record<string, string> = {}): IAdaptiveCard {
  const l = r.locale;
  const v = currentTextVersion(state);
  return renderForm({
    id: 'revise',
    locale: l,
    title: t(l, 'form.revise.heading'),
    intro: [t(l, 'form.revise.intro', { reference: state.reference, version: v.number })],
    fields: [
      { kind: 'multiline', id: 'proposal', label: t(l, 'form.proposal.label'), required: true, maxLength: LIMITS.textMax, value: values.proposal ?? v.text },
      { kind: 'text', id: 'title', label: t(l, 'form.title.label'), hint: t(l, 'form.revise.title_hint'), maxLength: LIMITS.titleMax, value: values.title ?? v.title },
    ],
    submitLabel: t(l, 'form.revise.submit'),
    requiredMessage: t(l, 'teams.form.required'),
    context: { c: state.consultationId, r: state.reference },
    errors,
  });
}

/** The form for `name` on `state`, or the refusal when the person may not act on it now. */
export async function manageForm(deps: FlowDeps, name: ManageVerb, state: ConsultationState, actor: CommandActor, r: Reader, key: string): Promise<ManageAnswer> {
  const checked = await checkAccess(deps, probe(name, state, actor), { key });
  if (!checked.ok) return { text: refusalText(r.locale, checked.code, checked.detail) };
  if (name === 'revise') {
    // Resending a text the Troika did not endorse (a new consultation) is not in Teams yet; nor is a text
    // too long to fit a Teams card with the form.
    if (state.stage === 'not_endorsed') return { text: t(r.locale, 'teams.forms_not_yet') };
    try {
      return { card: reviseForm(r, state) };
    } catch {
      return { text: t(r.locale, 'teams.forms_not_yet') };
    }
  }
  return { card: name === 'extend' ? extendForm(r, state) : withdrawForm(r, state) };
}

const str = (data: Record<string, unknown>, k: string): string => {
  const v = data[k];
  return typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : '';
};

/** A submitted extend or withdraw form (data untrusted): the result, or the form again with its errors. */
export async function submitManage(
  deps: FlowDeps,
  name: ManageVerb,
  input: { key: string; actor: CommandActor; reader: Reader; data: Record<string, unknown>; state: ConsultationState },
): Promise<ManageAnswer> {
  const l = input.reader.locale;
  const { state, data } = input;
  const common = { key: input.key, actor: input.actor, consultationId: state.consultationId };
  let result: FlowResult;
  if (name === 'revise') {
    const proposal = str(data, 'proposal');
    const title = str(data, 'title');
    const errors: Record<string, string> = {};
    if (!proposal) errors.proposal = t(l, 'refusal.text_required');
    else if (proposal.length > LIMITS.textMax) errors.proposal = t(l, 'refusal.text_too_long', { max: LIMITS.textMax });
    if (title.length > LIMITS.titleMax) errors.title = t(l, 'refusal.title_too_long', { max: LIMITS.titleMax });
    const values = { proposal: proposal.slice(0, LIMITS.textMax), title: title.slice(0, LIMITS.titleMax) };
    if (Object.keys(errors).length) return { card: reviseForm(input.reader, state, values, errors) };
    result = await revise(deps, { ...common, text: proposal, ...(title ? { title } : {}) });
    if (result.ok) return { text: t(l, 'slack.revised', { reference: result.state.reference, version: currentTextVersion(result.state).number }) };
    const field = ({ title_required: 'title', title_too_long: 'title', text_required: 'proposal', text_too_long: 'proposal', text_unchanged: 'proposal' } as Record<string, string>)[result.code];
    if (field) return { card: reviseForm(input.reader, state, values, { [field]: refusalText(l, result.code, result.detail) }) };
    return { text: t(l, 'slack.not_done', { reason: refusalText(l, result.code, result.detail) }) };
  }
  if (name === 'withdraw') {
    const reason = str(data, 'reason');
    if (reason.length > LIMITS.reasonMax) return { card: withdrawForm(input.reader, state, { reason: t(l, 'refusal.reason_too_long', { max: LIMITS.reasonMax }) }) };
    result = await withdraw(deps, { ...common, ...(reason ? { reason } : {}) });
    if (result.ok) {
      const s = result.state;
      return { text: t(l, s.circulatedAt ? 'slack.withdrawn' : s.sentToTroikaAt ? 'slack.withdrawn_troika' : 'slack.withdrawn_draft', { reference: s.reference }) };
    }
    if (result.code === 'reason_too_long') return { card: withdrawForm(input.reader, state, { reason: refusalText(l, result.code, result.detail) }) };
    return { text: t(l, 'slack.not_done', { reason: refusalText(l, result.code, result.detail) }) };
  }

  const values = { days: str(data, 'days'), justification: str(data, 'justification') };
  const errors: Record<string, string> = {};
  const date = str(data, 'deadline');
  let deadline: DeadlineRequest | undefined;
  if (values.days && date) errors.deadline = t(l, 'form.extend.both');
  else if (values.days) {
    if (/^\d+$/.test(values.days) && Number(values.days) >= LIMITS.daysMin && Number(values.days) <= LIMITS.daysMax) deadline = { kind: 'business_days', days: Number(values.days) };
    else errors.days = t(l, 'refusal.invalid_days', { min: LIMITS.daysMin, max: LIMITS.daysMax });
  } else if (date) {
    const time = /^(\d{2}):(\d{2})/.exec(str(data, 'deadline_time') || '23:59');
    let at: Date | undefined;
    try {
      at = /^\d{4}-\d{2}-\d{2}$/.test(date) && time ? zonedInstant(parseDay(date), input.reader.timezone, Number(time[1]), Number(time[2])) : undefined;
    } catch {
      at = undefined;
    }
    if (!at || Number.isNaN(at.getTime())) errors.deadline = t(l, 'refusal.invalid_deadline');
    else if (at.getTime() <= deps.clock.now().getTime()) errors.deadline = t(l, 'refusal.deadline_in_past');
    else deadline = { kind: 'explicit', at: at.toISOString() };
  } else errors.days = t(l, 'form.extend.choose');
  if (!values.justification) errors.justification = t(l, 'refusal.justification_required');
  else if (values.justification.length > LIMITS.justificationMax) errors.justification = t(l, 'refusal.justification_too_long', { max: LIMITS.justificationMax });
  if (Object.keys(errors).length || !deadline) return { card: extendForm(input.reader, state, values, errors) };

  result = await extend(deps, { ...common, deadline, justification: values.justification });
  if (result.ok) return { text: t(l, 'slack.extended', { reference: result.state.reference, deadline: deadlineText(result.state, input.reader) }) };
  const field = ({ invalid_days: 'days', invalid_deadline: 'deadline', deadline_in_past: 'deadline', deadline_not_later: 'deadline', justification_required: 'justification', justification_too_long: 'justification' } as Record<string, string>)[result.code];
  if (field) {
    const target = field === 'deadline' && deadline.kind === 'business_days' ? 'days' : field;
    return { card: extendForm(input.reader, state, values, { [target]: refusalText(l, result.code, result.detail) }) };
  }
  return { text: t(l, 'slack.not_done', { reason: refusalText(l, result.code, result.detail) }) };
}
