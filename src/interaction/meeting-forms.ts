/**
 * The meeting forms (interfaces.md "Meetings"), platform-neutral: what they show (FormSpec, rendered by
 * Teams and the console as Adaptive Cards; the Slack modals in adapters/slack/meeting-views.ts have the same
 * field ids), what they carry, and what comes back from them, checked before anything touches the database.
 *
 *   meeting_new          kind (select), start, end (dates, YYYY-MM-DD), city, country (ISO2), title
 *   meeting_delegation   one multiselect per segment of the meeting (id = the segment), whose options are
 *                        the country's people for meetings (value = the person's id, their e-mail); the
 *                        chosen values come back joined by commas (Adaptive Cards' way; Slack's are joined
 *                        the same way by its adapter)
 *
 * The new-meeting form's errors use the same sentences as the domain's refusals; the domain decides again
 * when the meeting is recorded (dates that exist, end after start, a host country).
 */
import { z } from 'zod';
import type { Directory, Locale, MeetingPerson } from '../directory/model.ts';
import { codePointLength, normalizeTitle } from '../domain/text-version.ts';
import { MEETING_KINDS, SEGMENTS, type Invitation, type Meeting, type MeetingKind, type Segment } from '../domain/meetings/index.ts';
import { t } from '../i18n/index.ts';
import type { FormField, FormSpec } from '../messages/form-spec.ts';
import { kindName, segmentName } from '../messages/meeting-text.ts';
import type { FieldErrors, FormValues, ParseResult } from './forms.ts';
import type { DelegationContext, DelegationCurrent, FormRequest, SubmittedContext } from './intent.ts';

export const MEETING_FORM_LIMITS = { cityMax: 120, titleMax: 200, optionsMax: 100, peopleMax: 100 } as const;

/** The new-meeting form's fields, in the reader's language (the Slack modal has the same, in this order). */
export function meetingNewFields(l: Locale): FormField[] {
  return [
    { kind: 'select', id: 'kind', label: t(l, 'meeting.form.kind'), required: true, options: MEETING_KINDS.map((k) => ({ value: k, label: kindName(k, l) })) },
    { kind: 'date', id: 'start', label: t(l, 'meeting.form.start'), required: true },
    { kind: 'date', id: 'end', label: t(l, 'meeting.form.end'), required: true },
    { kind: 'text', id: 'city', label: t(l, 'meeting.form.city'), maxLength: MEETING_FORM_LIMITS.cityMax },
    { kind: 'text', id: 'country', label: t(l, 'meeting.form.country'), hint: t(l, 'meeting.form.country_hint'), maxLength: 2 },
    { kind: 'text', id: 'title', label: t(l, 'form.title.label'), hint: t(l, 'meeting.form.title_hint'), maxLength: MEETING_FORM_LIMITS.titleMax },
  ];
}

/** A person as the delegation form lists them: the name, and their roles in the reader's language. */
export function personLabel(p: MeetingPerson, l: Locale): string {
  const roles = (p.roles ?? []).map((r) => t(l, `meeting.role.${r}`));
  return roles.length ? `${p.name} (${roles.join(', ')})` : p.name;
}

/**
 * What the delegation form shows a focal point of `country`: for each segment of the meeting, the country's
 * people not yet invited to it, and the names of those who are.
 */
export function delegationCurrent(directory: Directory, meeting: Meeting, country: string, invitations: readonly Invitation[], l: Locale): DelegationCurrent {
  const c = directory.countries.find((x) => x.code === country);
  const people: MeetingPerson[] = c ? [...c.focalPoints, ...(c.people ?? [])].filter((p, i, all) => all.findIndex((q) => q.id === p.id) === i) : [];
  return {
    title: meeting.title,
    reference: meeting.reference,
    countryName: c?.name[l] ?? country,
    segments: meeting.segments.map((segment) => {
      const invited = invitations.filter((i) => i.segment === segment && i.country === country);
      return {
        segment,
        label: segmentName(segment, l),
        offered: people
          .filter((p) => !invited.some((i) => i.personId === p.id))
          .slice(0, MEETING_FORM_LIMITS.optionsMax)
          .map((p) => ({ value: p.id, label: personLabel(p, l) })),
        invited: invited.map((i) => i.name),
      };
    }),
  };
}

type MeetingRequest = Extract<FormRequest, { form: 'meeting_new' | 'meeting_delegation' }>;

/** What a meeting form carries back when submitted (plain strings). */
export function meetingFormContext(request: MeetingRequest): Record<string, string> {
  if (request.form === 'meeting_new') return request.origin ? { origin: request.origin } : {};
  const d = request.delegation;
  return { meeting: d.meetingId, country: d.country, ...(d.channelId ? { origin: d.channelId } : {}) };
}

// `origin`: a Slack channel id, or a Teams conversation id (which can run to a few hundred characters).
const origin = z.string().min(1).max(400);
const delegationData = z.object({ meeting: z.string().min(1).max(100), country: z.string().regex(/^[A-Z]{2}$/), origin: origin.optional() });
const originData = z.object({ origin: origin.optional() });

/** The context of a submitted meeting form, read back (untrusted); undefined when it is not the form's. */
export function parseMeetingFormContext(form: 'meeting_new' | 'meeting_delegation', data: unknown): SubmittedContext | undefined {
  if (form === 'meeting_new') {
    const p = originData.safeParse(data ?? {});
    return { form, ...(p.success && p.data.origin ? { origin: p.data.origin } : {}) };
  }
  const p = delegationData.safeParse(data);
  if (!p.success) {
    // A where-it-was-shown the form cannot keep is not a reason to refuse the delegation.
    const without = delegationData.safeParse({ ...(data && typeof data === 'object' ? data : {}), origin: undefined });
    return without.success ? { form, delegation: { meetingId: without.data.meeting, country: without.data.country } } : undefined;
  }
  const delegation: DelegationContext = { meetingId: p.data.meeting, country: p.data.country, ...(p.data.origin ? { channelId: p.data.origin } : {}) };
  return { form, delegation };
}

/** The meeting form a `form` reply asks for, in `l`. */
export function meetingFormSpec(request: MeetingRequest, l: Locale): FormSpec {
  const base = { id: request.form, locale: l, requiredMessage: t(l, 'form.required'), context: meetingFormContext(request) };
  if (request.form === 'meeting_new') {
    return { ...base, title: t(l, 'meeting.form.heading'), submitLabel: t(l, 'meeting.form.submit'), fields: meetingNewFields(l) };
  }
  const c = request.current;
  const intro = [t(l, 'meeting.delegation.intro', { title: c.title, country: c.countryName })];
  const fields: FormField[] = [];
  for (const s of c.segments) {
    if (s.invited.length) intro.push(t(l, 'meeting.delegation.already', { segment: s.label, names: s.invited.join(', ') }));
    if (s.offered.length === 0) continue;
    fields.push({
      kind: 'multiselect',
      id: s.segment,
      label: s.label,
      options: s.offered,
      ...(s.segment === 'closed_door' ? { hint: t(l, 'meeting.delegation.closed_door_hint') } : {}),
    });
  }
  return { ...base, title: t(l, 'meeting.delegation.heading'), submitLabel: t(l, 'meeting.delegation.submit'), intro, fields };
}

// ------------------------------------------------------------------------------------------ parsing

export interface MeetingNewValues {
  kind: MeetingKind;
  start: string;
  end: string;
  city?: string;
  country?: string;
  title?: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The new-meeting form's values (untrusted), with errors on their fields in `l`. */
export function parseMeetingNewForm(values: FormValues, l: Locale): ParseResult<MeetingNewValues, 'kind' | 'start' | 'end' | 'city' | 'country' | 'title'> {
  const errors: FieldErrors<'kind' | 'start' | 'end' | 'city' | 'country' | 'title'> = {};
  const raw = (id: string) => normalizeTitle(typeof values[id] === 'string' ? values[id]! : '');
  const kind = raw('kind');
  if (!(MEETING_KINDS as readonly string[]).includes(kind)) errors.kind = t(l, 'meeting.form.kind_required');
  const date = (id: 'start' | 'end') => {
    const d = raw(id);
    if (!DAY.test(d)) errors[id] = t(l, 'meeting.form.date_required');
    return d;
  };
  const start = date('start');
  const end = date('end');
  const country = raw('country').toUpperCase() || undefined;
  if (country !== undefined && !/^[A-Z]{2}$/.test(country)) errors.country = t(l, 'meeting.form.country_hint');
  const city = raw('city') || undefined;
  if (city !== undefined && codePointLength(city) > MEETING_FORM_LIMITS.cityMax) errors.city = t(l, 'meeting.form.city_too_long', { max: MEETING_FORM_LIMITS.cityMax });
  const title = raw('title') || undefined;
  if (title !== undefined && codePointLength(title) > MEETING_FORM_LIMITS.titleMax) errors.title = t(l, 'refusal.title_too_long', { max: MEETING_FORM_LIMITS.titleMax });
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: { kind: kind as MeetingKind, start, end, ...(city ? { city } : {}), ...(country ? { country } : {}), ...(title ? { title } : {}) } };
}

/** The people chosen on the delegation form, per segment of the meeting (others are ignored). */
export function parseDelegationForm(values: FormValues, segments: readonly Segment[]): { email: string; segment: Segment }[] {
  const out: { email: string; segment: Segment }[] = [];
  for (const segment of segments) {
    if (!(SEGMENTS as readonly string[]).includes(segment)) continue;
    const chosen = (values[segment] ?? '').split(',').map((s) => s.trim()).filter((s) => s.length > 0 && s.length <= 320);
    for (const email of [...new Set(chosen)].slice(0, MEETING_FORM_LIMITS.peopleMax)) out.push({ email, segment });
  }
  return out;
}
