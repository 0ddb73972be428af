/**
 * What a person did in Teams, as an interaction-layer intent (src/interaction/intent.ts). Everything read
 * here is untrusted (the SDK validated who sent the activity, not what it says).
 *
 *   message                  → command: the words after an @mention and an optional `/crm` or `crm`
 *   adaptiveCard/action verb (interfaces.md "Microsoft Teams"):
 *     troika_*, position_*   → decide; `data` `{ c, v }` the consultation and text version; the clicked card
 *                              (conversation id, `replyToId`) is updated in place, unless `data.h` says the
 *                              click came from the person's own view (home.ts)
 *     consultation_new, reason, revise, extend, withdraw
 *                            → submit; the inputs' values merged into `data`, the form's context read back
 *                              from it (interaction/form-specs.ts parseFormContext); the Input.Date
 *                              `deadline` + Input.Time `deadline_time` become one instant in the person's zone
 *     home_new_consultation  → open_form
 *     home                   → home (the "awaiting my country" view)
 *     meeting_attend, meeting_decline, meeting_delegation_open
 *                            → meeting-cards.ts (answer_invitation, open_form meeting_delegation)
 */
import { randomUUID } from 'node:crypto';
import { parseDay } from '../../calendar/civil.ts';
import { zonedInstant } from '../../calendar/tz.ts';
import { isDecisionAction } from '../../interaction/decisions.ts';
import { parseFormContext } from '../../interaction/form-specs.ts';
import type { FormValues } from '../../interaction/forms.ts';
import { ACTION_HOME_NEW_CONSULTATION } from '../../interaction/home.ts';
import type { Intent } from '../../interaction/intent.ts';
import { FORM_INPUTS, timeInputId, type FormId } from '../../messages/form-spec.ts';
import { FROM_HOME, HOME_VERB } from './home.ts';
import { meetingIntent } from './meeting-cards.ts';
import { SEGMENTS } from '../../domain/meetings/index.ts';

/** What the adapter reads of an activity. */
export interface TeamsActivity {
  id?: string;
  type?: string;
  name?: string;
  text?: string;
  locale?: string;
  replyToId?: string;
  serviceUrl?: string;
  from?: { id?: string; aadObjectId?: string };
  conversation?: { id?: string; conversationType?: string };
  value?: { action?: { verb?: unknown; data?: unknown } };
}

/** The words after an @mention and an optional leading `/crm` or `crm`. */
export function commandText(text: string | undefined): string {
  return (text ?? '')
    .replace(/<at>[^<]*<\/at>/gi, ' ')
    .replace(/&nbsp;/g, ' ')
    .trim()
    .replace(/^\/?crm\b\s*/i, '')
    .trim();
}

/** Who acts: the Entra object id (the directory's `teams`), '' when the activity names none. */
export const userIdOf = (activity: TeamsActivity): string => (typeof activity.from?.aadObjectId === 'string' ? activity.from.aadObjectId.toLowerCase() : '');

/** The idempotency key of an activity: its id (a Teams retry carries the same one). */
export const keyOf = (activity: TeamsActivity, what: string): string =>
  `teams:${what}:${typeof activity.id === 'string' && activity.id.length <= 200 ? activity.id : randomUUID()}`;

const FORM_IDS = new Set<string>(Object.keys(FORM_INPUTS));
export const isFormId = (verb: string): verb is FormId => FORM_IDS.has(verb);

/** Every input a form card may have (interfaces.md, and the translation and visibility extensions). */
const INPUTS: Record<FormId, readonly string[]> = {
  consultation_new: [...FORM_INPUTS.consultation_new, 'title_translation', 'proposal_translation', 'visibility'],
  reason: FORM_INPUTS.reason,
  revise: [...FORM_INPUTS.revise, 'title_translation', 'proposal_translation'],
  extend: FORM_INPUTS.extend,
  withdraw: FORM_INPUTS.withdraw,
  meeting_new: FORM_INPUTS.meeting_new,
  // One multi-select per segment of the meeting (interaction/meeting-forms.ts).
  meeting_delegation: SEGMENTS,
};

const shortText = (v: unknown, max: number): string | undefined => (typeof v === 'string' && v.trim() !== '' && v.length <= max ? v.trim() : undefined);

/** The card's data as an object (anything else: none). */
export function dataOf(activity: TeamsActivity): Record<string, unknown> | undefined {
  const raw = activity.value?.action?.data;
  return raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : undefined;
}

export const verbOf = (activity: TeamsActivity): string => {
  const verb = activity.value?.action?.verb;
  return typeof verb === 'string' ? verb.slice(0, 60) : '';
};

/**
 * A date and a time in `timezone` as an ISO instant; '' when no date was given; a non-instant when the
 * date or time is not one (the form's check then says so on `deadline`).
 */
function deadlineInstant(date: unknown, time: unknown, timezone: string): string {
  if (typeof date !== 'string' || date.trim() === '') return '';
  const d = date.trim();
  const hm = /^(\d{2}):(\d{2})/.exec(typeof time === 'string' && time.trim() ? time.trim() : '23:59');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(d) || !hm) return 'not-a-date';
  try {
    const at = zonedInstant(parseDay(d), timezone, Number(hm[1]), Number(hm[2]));
    return Number.isNaN(at.getTime()) ? 'not-a-date' : at.toISOString();
  } catch {
    return 'not-a-date';
  }
}

/** The submitted inputs as form values (strings; numbers as typed); the deadline as an instant. */
export function formValues(form: FormId, data: Record<string, unknown>, timezone: string): FormValues {
  const out: Record<string, string> = {};
  for (const id of INPUTS[form]) {
    if (id === 'deadline') {
      const at = deadlineInstant(data.deadline, data[timeInputId('deadline')], timezone);
      if (at) out.deadline = at;
      continue;
    }
    const v = data[id];
    if (typeof v === 'string') out[id] = v;
    else if (typeof v === 'number' && Number.isFinite(v)) out[id] = String(v);
  }
  return out;
}

/**
 * The intent of an `adaptiveCard/action` invoke, or undefined for a verb that is not ours. `timezone`: the
 * person's, for the date and time inputs.
 */
export function invokeIntent(activity: TeamsActivity, timezone: string): Intent | undefined {
  const verb = verbOf(activity);
  const data = dataOf(activity);
  if (isDecisionAction(verb)) {
    const c = shortText(data?.c, 100);
    const v = shortText(data?.v, 100);
    const fromHome = data?.[FROM_HOME] !== undefined;
    const conversation = shortText(activity.conversation?.id, 400);
    const clicked = shortText(activity.replyToId, 200);
    const card = !fromHome && conversation && clicked ? { channel: conversation, ts: clicked } : undefined;
    return { kind: 'decide', action: verb, ...(c && v ? { target: { consultationId: c, versionHash: v } } : {}), ...(card ? { card } : {}) };
  }
  if (isFormId(verb)) {
    const context = data ? parseFormContext(verb, data) : undefined;
    return { kind: 'submit', form: verb, ...(data ? { values: formValues(verb, data, timezone) } : {}), ...(context ? { context } : {}) };
  }
  if (verb === ACTION_HOME_NEW_CONSULTATION) return { kind: 'open_form', form: 'consultation_new' };
  const meeting = meetingIntent(activity);
  if (meeting) return meeting;
  if (verb === HOME_VERB) return { kind: 'home' };
  return undefined;
}
