/**
 * Slack modals of the meetings (shared/interfaces.md "Meetings"): the new-meeting form (`callback_id:
 * meeting_new`, opened by `/crm reunion`) and a Member Country's delegation (`callback_id:
 * meeting_delegation`, opened from `/crm reuniones` by the country's focal points), and what comes back as
 * form values (untrusted, zod); the interaction layer decides (src/interaction/meetings.ts). The same
 * fields as the FormSpecs of interaction/meeting-forms.ts. Input ids: block_id = action_id.
 *
 *   meeting_new:        kind (static select), start, end (date pickers), city, country (ISO2), title
 *   meeting_delegation: one multi-select per segment of the meeting (block_id = the segment), whose options
 *                       are the country's people for meetings with their roles
 */
import type { types } from '@slack/bolt';
import { z } from 'zod';
import type { Locale } from '../../directory/model.ts';
import { MEETING_KINDS } from '../../domain/meetings/index.ts';
import { t } from '../../i18n/index.ts';
import type { FormValues } from '../../interaction/forms.ts';
import type { DelegationContext, DelegationCurrent } from '../../interaction/intent.ts';
import { kindName } from '../../messages/meeting-text.ts';
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

/**
 * A meeting modal's state as form values (interaction/meeting-forms.ts): text as typed, a select's option,
 * a date picker's day, a multi-select's options joined by commas. Undefined when the shape is not a form's.
 */
export function meetingFormValues(values: unknown): FormValues | undefined {
  const parsed = stateValues.safeParse(values);
  if (!parsed.success) return undefined;
  const out: Record<string, string> = {};
  for (const [blockId, actions] of Object.entries(parsed.data)) {
    const v = actions[blockId];
    if (!v) continue;
    const value = v.selected_options ? v.selected_options.map((o) => o.value).join(',') : (v.selected_option?.value ?? v.selected_date ?? v.value ?? undefined);
    if (value !== undefined && value !== null) out[blockId] = value;
  }
  return out;
}

// ------------------------------------------------------------------------------------------ delegation

/** What the delegation modal carries: the meeting and the country (and where the list was shown). */
export const encodeDelegationMetadata = (d: DelegationContext) => JSON.stringify({ m: d.meetingId, c: d.country, ...(d.channelId ? { ch: d.channelId } : {}) });

export function parseDelegationMetadata(value: unknown): DelegationContext | undefined {
  if (typeof value !== 'string' || value.length > 500) return undefined;
  try {
    const p = z.object({ m: z.string().min(1).max(100), c: z.string().regex(/^[A-Z]{2}$/), ch: z.string().regex(/^[CDG][A-Z0-9]{2,30}$/).optional() }).safeParse(JSON.parse(value));
    return p.success ? { meetingId: p.data.m, country: p.data.c, ...(p.data.ch ? { channelId: p.data.ch } : {}) } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The delegation form: for each segment of the meeting, the country's people to add (a person already
 * invited to a segment is listed under it as such, not offered again). The closed-door limit is checked
 * on submission, for the whole delegation at once.
 */
export function delegationModal(l: Locale, request: { delegation: DelegationContext; current: DelegationCurrent }): ModalView {
  const c = request.current;
  const blocks: KnownBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text: escapeMrkdwn(t(l, 'meeting.delegation.intro', { title: c.title, country: c.countryName })) } },
  ];
  for (const s of c.segments) {
    if (s.invited.length) {
      blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: escapeMrkdwn(t(l, 'meeting.delegation.already', { segment: s.label, names: s.invited.join(', ') })) }] });
    }
    if (s.offered.length === 0) continue;
    blocks.push({
      type: 'input',
      block_id: s.segment,
      optional: true,
      label: plain(s.label),
      ...(s.segment === 'closed_door' ? { hint: plain(t(l, 'meeting.delegation.closed_door_hint')) } : {}),
      element: { type: 'multi_static_select', action_id: s.segment, options: s.offered.map((p) => option(p.label, p.value)) },
    });
  }
  return {
    type: 'modal',
    callback_id: CALLBACK_MEETING_DELEGATION,
    title: plain(t(l, 'meeting.delegation.heading'), SLACK_LIMITS.modalTitle),
    submit: plain(t(l, 'meeting.delegation.submit'), SLACK_LIMITS.modalButton),
    close: plain(t(l, 'form.cancel'), SLACK_LIMITS.modalButton),
    private_metadata: encodeDelegationMetadata(request.delegation),
    blocks,
  };
}
