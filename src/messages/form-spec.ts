/**
 * Platform-neutral forms: what a flow asks a person to fill in, with typed fields, limits, prefilled
 * values and errors per field. Slack renders one as a modal, Teams (adapters/teams/forms.ts) and the
 * console as an Adaptive Card. Plain JSON.
 *
 * Ids are binding (interfaces.md): the form id is the Slack `callback_id` and the Teams submit `verb`;
 * a field id is the Slack `block_id`/`action_id` and the Adaptive Card input id. A `datetime` field named
 * `deadline` is one Slack datetimepicker, and two Adaptive Card inputs: `deadline` (Input.Date) and
 * `deadline_time` (Input.Time), in the person's zone.
 */
import type { Locale } from '../directory/model.ts';

export type FormId = 'consultation_new' | 'reason' | 'revise' | 'extend' | 'withdraw' | 'meeting_new' | 'meeting_delegation';

/** The inputs of each form (interfaces.md "Slack" and "Microsoft Teams"). */
export const FORM_INPUTS: Record<FormId, readonly string[]> = {
  consultation_new: ['title', 'proposal', 'days', 'deadline', 'rule', 'justification'],
  reason: ['reason'],
  revise: ['proposal', 'title'],
  extend: ['days', 'deadline', 'justification'],
  withdraw: ['reason'],
  // Meetings (interfaces.md "Meetings"). The delegation form has one input per segment of the meeting
  // (its id is the segment: plenary, closed_door, deliberation, hearing or main); `main` is every other kind's.
  meeting_new: ['kind', 'start', 'end', 'city', 'country', 'title'],
  meeting_delegation: ['main'],
};

/** The second Adaptive Card input of a `datetime` field. */
export const timeInputId = (fieldId: string): string => `${fieldId}_time`;

interface FieldBase {
  id: string;
  label: string;
  /** A hint under the label (our sentence), e.g. "Business days from today". */
  hint?: string;
  required?: boolean;
}

export type FormField =
  | (FieldBase & { kind: 'text' | 'multiline'; value?: string; placeholder?: string; maxLength?: number })
  | (FieldBase & { kind: 'number'; value?: number; min?: number; max?: number })
  /** `value.date` is YYYY-MM-DD, `value.time` HH:mm, both in the person's zone. */
  | (FieldBase & { kind: 'datetime'; value?: { date?: string; time?: string }; minDate?: string; timeLabel: string })
  | (FieldBase & { kind: 'select'; options: { value: string; label: string }[]; value?: string })
  /** A calendar day, YYYY-MM-DD (Slack datepicker, Adaptive Card Input.Date). */
  | (FieldBase & { kind: 'date'; value?: string; minDate?: string })
  /**
   * Several options (Slack multi_static_select, Adaptive Card Input.ChoiceSet isMultiSelect). The submitted
   * value is the chosen options' values joined by commas (as Adaptive Cards send them).
   */
  | (FieldBase & { kind: 'multiselect'; options: { value: string; label: string }[]; value?: string[] });

export interface FormSpec {
  id: FormId;
  locale: Locale;
  title: string;
  /** Our sentences above the fields. */
  intro?: string[];
  /** User content shown verbatim (e.g. the consultation's current text). */
  quote?: string;
  fields: FormField[];
  submitLabel: string;
  /** The message a client shows under an empty required field. */
  requiredMessage: string;
  /** Sent back with the values; names the consultation. Untrusted when it returns. */
  context?: Record<string, string>;
  /** Field id → a message in the person's language (a refusal mapped to its field). */
  errors?: Record<string, string>;
  /** A problem that belongs to no one field. */
  formError?: string;
}
