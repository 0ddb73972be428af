/**
 * Slack modals of the meetings (shared/interfaces.md "Meetings"): the new-meeting form (`callback_id:
 * meeting_new`, opened by `/crm reunion`) and a Member Country's delegation (`callback_id:
 * meeting_delegation`, opened from `/crm reuniones` by the country's focal points), with the parsers of
 * what comes back (untrusted, zod). Input ids: block_id = action_id.
 *
 *   meeting_new:        kind (static select), start, end (date pickers), city, country (ISO2), title
 *   meeting_delegation: one multi-select per segment of the meeting (block_id = the segment), whose options
 *                       are the country's people for meetings with their roles
 */
import type { types } from '@slack/bolt';
import { z } from 'zod';
import type { Directory, Locale, MeetingPerson } from '../../directory/model.ts';
import { MEETING_KINDS, type Invitation, type Meeting, type MeetingKind, type Segment } from '../../domain/meetings/index.ts';
import { t } from '../../i18n/index.ts';
import { kindName, segmentName } from '../../messages/meeting-text.ts';
import { escapeMrkdwn, SLACK_LIMITS, truncate, type KnownBlock } from './render.ts';

export type ModalView = types.ModalView;

export const CALLBACK_MEETING_NEW = 'meeting_new';
export const CALLBACK_MEETING_DELEGATION = 'meeting_delegation';

const plain = (text: string, max = 2000) => ({ type: 'plain_text' as const, text: truncate(text, max), emoji: true });
const option = (text: string, value: string) => ({ text: plain(text, SLACK_LIMITS.optionText), value });

export function meetingNewModal(l: Locale, options: { privateMetadata?: string } = {}): ModalView {
  const blocks: KnownBlock[] = [
    {
      type: 'input',
      block_id: 'kind',
      label: plain(t(l, 'meeting.form.kind')),
      element: { type: 'static_select', action_id: 'kind', options: MEETING_KINDS.map((k) => option(kindName(k, l), k)) },
    },
    { type: 'input', block_id: 'start', label: plain(t(l, 'meeting.form.start')), element: { type: 'datepicker', action_id: 'start' } },
    { type: 'input', block_id: 'end', label: plain(t(l, 'meeting.form.end')), element: { type: 'datepicker', action_id: 'end' } },
    { type: 'input', block_id: 'city', optional: true, label: plain(t(l, 'meeting.form.city')), element: { type: 'plain_text_input', action_id: 'city', max_length: 120 } },
    {
      type: 'input',
      block_id: 'country',
      optional: true,
      label: plain(t(l, 'meeting.form.country')),
      hint: plain(t(l, 'meeting.form.country_hint')),
      element: { type: 'plain_text_input', action_id: 'country', max_length: 2, min_length: 2 },
    },
    {
      type: 'input',
      block_id: 'title',
      optional: true,
      label: plain(t(l, 'form.title.label')),
      hint: plain(t(l, 'meeting.form.title_hint')),
      element: { type: 'plain_text_input', action_id: 'title', max_length: 200 },
    },
  ];
  return {
    type: 'modal',
    callback_id: CALLBACK_MEETING_NEW,
    title: plain(t(l, 'meeting.form.heading'), SLACK_LIMITS.modalTitle),
    submit: plain(t(l, 'meeting.form.submit'), SLACK_LIMITS.modalButton),
    close: plain(t(l, 'form.cancel'), SLACK_LIMITS.modalButton),
    ...(options.privateMetadata !== undefined ? { private_metadata: options.privateMetadata } : {}),
    blocks,
  };
}

const stateValue = z.object({
  type: z.string(),
  value: z.string().nullish(),
  selected_date: z.string().nullish(),
  selected_option: z.object({ value: z.string() }).nullish(),
  selected_options: z.array(z.object({ value: z.string() })).nullish(),
});
const stateValues = z.record(z.string(), z.record(z.string(), stateValue));

function valueOf(values: unknown, id: string): z.infer<typeof stateValue> | undefined {
  const parsed = stateValues.safeParse(values);
  return parsed.success ? parsed.data[id]?.[id] : undefined;
}

export interface MeetingNewValues {
  kind: MeetingKind;
  start: string;
  end: string;
  city?: string;
  country?: string;
  title?: string;
}

export function parseMeetingNew(values: unknown, l: Locale): { ok: true; value: MeetingNewValues } | { ok: false; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const kind = valueOf(values, 'kind')?.selected_option?.value;
  if (!kind || !(MEETING_KINDS as readonly string[]).includes(kind)) errors['kind'] = t(l, 'meeting.form.kind_required');
  const date = (id: 'start' | 'end') => {
    const d = valueOf(values, id)?.selected_date ?? undefined;
    if (!d || !/^\d{4}-\d{2}-\d{2}$/.test(d)) errors[id] = t(l, 'meeting.form.date_required');
    return d ?? '';
  };
  const start = date('start');
  const end = date('end');
  const text = (id: string) => valueOf(values, id)?.value?.trim() || undefined;
  const country = text('country')?.toUpperCase();
  if (country !== undefined && !/^[A-Z]{2}$/.test(country)) errors['country'] = t(l, 'meeting.form.country_hint');
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const city = text('city');
  const title = text('title');
  return { ok: true, value: { kind: kind as MeetingKind, start, end, ...(city ? { city } : {}), ...(country ? { country } : {}), ...(title ? { title } : {}) } };
}

// ------------------------------------------------------------------------------------------ delegation

/** What the delegation modal carries: the meeting and the country. */
export const encodeDelegationMetadata = (meetingId: string, country: string, channelId?: string) =>
  JSON.stringify({ m: meetingId, c: country, ...(channelId ? { ch: channelId } : {}) });

export function parseDelegationMetadata(value: unknown): { meetingId: string; country: string; channelId?: string } | undefined {
  if (typeof value !== 'string' || value.length > 500) return undefined;
  try {
    const p = z.object({ m: z.string().min(1).max(100), c: z.string().regex(/^[A-Z]{2}$/), ch: z.string().regex(/^[CDG][A-Z0-9]{2,30}$/).optional() }).safeParse(JSON.parse(value));
    return p.success ? { meetingId: p.data.m, country: p.data.c, ...(p.data.ch ? { channelId: p.data.ch } : {}) } : undefined;
  } catch {
    return undefined;
  }
}

function personLabel(p: MeetingPerson, l: Locale): string {
  const roles = (p.roles ?? []).map((r) => t(l, `meeting.role.${r}`));
  return roles.length ? `${p.name} (${roles.join(', ')})` : p.name;
}

/**
 * The delegation form: for each segment of the meeting, the country's people to add (a person already
 * invited to a segment is listed under it as such, not offered again). The closed-door limit is checked
 * on submission, for the whole delegation at once.
 */
export function delegationModal(
  l: Locale,
  input: { directory: Directory; meeting: Meeting; country: string; invitations: readonly Invitation[]; privateMetadata: string },
): ModalView {
  const c = input.directory.countries.find((x) => x.code === input.country);
  const people: MeetingPerson[] = c ? [...c.focalPoints, ...(c.people ?? [])].filter((p, i, all) => all.findIndex((q) => q.id === p.id) === i) : [];
  const blocks: KnownBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text: escapeMrkdwn(t(l, 'meeting.delegation.intro', { title: input.meeting.title, country: c?.name[l] ?? input.country })) } },
  ];
  for (const segment of input.meeting.segments) {
    const invited = input.invitations.filter((i) => i.segment === segment && i.country === input.country);
    const offered = people.filter((p) => !invited.some((i) => i.personId === p.id)).slice(0, 100);
    if (invited.length) {
      blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: escapeMrkdwn(t(l, 'meeting.delegation.already', { segment: segmentName(segment, l), names: invited.map((i) => i.name).join(', ') })) }] });
    }
    if (offered.length === 0) continue;
    blocks.push({
      type: 'input',
      block_id: segment,
      optional: true,
      label: plain(segmentName(segment, l)),
      ...(segment === 'closed_door' ? { hint: plain(t(l, 'meeting.delegation.closed_door_hint')) } : {}),
      element: { type: 'multi_static_select', action_id: segment, options: offered.map((p) => option(personLabel(p, l), p.id)) },
    });
  }
  return {
    type: 'modal',
    callback_id: CALLBACK_MEETING_DELEGATION,
    title: plain(t(l, 'meeting.delegation.heading'), SLACK_LIMITS.modalTitle),
    submit: plain(t(l, 'meeting.delegation.submit'), SLACK_LIMITS.modalButton),
    close: plain(t(l, 'form.cancel'), SLACK_LIMITS.modalButton),
    private_metadata: input.privateMetadata,
    blocks,
  };
}

/** The people chosen, per segment (segments of the meeting only). */
export function parseDelegation(values: unknown, segments: readonly Segment[]): { email: string; segment: Segment }[] {
  const out: { email: string; segment: Segment }[] = [];
  for (const segment of segments) {
    for (const o of valueOf(values, segment)?.selected_options ?? []) {
      if (o.value.length <= 320) out.push({ email: o.value, segment });
    }
  }
  return out;
}
