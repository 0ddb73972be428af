/**
 * Who is reminded of a duty and what they read, as neutral messages in their language and zone. Pure:
 * (duty, meeting, live directory) → recipients and messages.
 *
 * Recipients, by owner: `ST` → every ST channel named (Slack, Teams or both, the same message, in the
 * ST's language, zone and calendar); `PPT` → the
 * focal points of the country holding the PPT that owes it; a country → its focal points and its meeting
 * delegates; an organisation → its delegates. Each person in their own language and zone, on the
 * business days of their country's calendar (organisations' delegates: the ST's calendar). Only people
 * the bot can reach (Slack or Teams) get reminders; the others are counted as unreachable.
 */
import type { Directory, Locale, Person } from '../directory/model.ts';
import type { Duty, Meeting, TrackedDuty } from '../domain/meetings/index.ts';
import { formatDate, t } from '../i18n/index.ts';
import type { NewOutboxMessage } from '../store/consultation-store.ts';
import type { DeliveryPlatform, NeutralMessage, Recipient } from './neutral.ts';
import { dutyName, ownerName } from './meeting-text.ts';
import { secretariatAddresses } from '../flows/addressing.ts';

export const ST_CHANNEL_KEY = 'st-channel';

export interface DutyRecipient {
  /** A person id, or `st-channel`. */
  key: string;
  recipient: Recipient;
  platform: DeliveryPlatform;
  locale: Locale;
  timezone: string;
  /** Holiday calendar of the recipient's business days. */
  calendar: string;
}

function personRecipient(p: Person, calendar: string): DutyRecipient {
  return {
    key: p.id,
    recipient: { kind: 'person', personId: p.id, name: p.name, ...(p.slack ? { slack: p.slack } : {}), ...(p.teams ? { teams: p.teams } : {}) },
    platform: p.slack ? 'slack' : p.teams ? 'teams' : 'unreachable',
    locale: p.locale,
    timezone: p.timezone,
    calendar,
  };
}

/**
 * Every ST channel the directory names (flows/addressing.ts secretariatAddresses: Slack, then Teams), each
 * its own recipient on its own platform, in the ST's language, zone and calendar. Keys `st-channel`
 * (Slack: the key such reminders had when they went to one channel) and `st-channel:teams`, so each
 * channel's reminder has its own dedupe key. None named: one unreachable recipient (counted as such).
 */
export function stChannels(directory: Directory): DutyRecipient[] {
  const calendar = directory.secretariat.calendar;
  return secretariatAddresses(directory).map((a) => ({ key: a.key, recipient: a.recipient, platform: a.platform, locale: a.locale, timezone: a.timezone, calendar }));
}

/** The PPT country's focal points. */
export function pptRecipients(directory: Directory, country: string | undefined): DutyRecipient[] {
  const c = directory.countries.find((x) => x.code === country);
  return c ? c.focalPoints.map((p) => personRecipient(p, c.calendar)) : [];
}

/** Everyone who owes `duty`, reachable or not, each once. */
export function dutyRecipients(directory: Directory, duty: Pick<Duty, 'owner' | 'pptCountry'>): DutyRecipient[] {
  if (duty.owner === 'ST') return stChannels(directory);
  if (duty.owner === 'PPT') return pptRecipients(directory, duty.pptCountry);
  const out = new Map<string, DutyRecipient>();
  const country = directory.countries.find((c) => c.code === duty.owner);
  if (country) for (const p of [...country.focalPoints, ...(country.people ?? [])]) if (!out.has(p.id)) out.set(p.id, personRecipient(p, country.calendar));
  const org = directory.organizations.find((o) => o.code === duty.owner);
  if (org) for (const p of org.people ?? []) if (!out.has(p.id)) out.set(p.id, personRecipient(p, directory.secretariat.calendar));
  return [...out.values()];
}

export type DutySlot = `D-${number}` | 'late';

export const dutyReminderDedupeKey = (dutyId: string, recipient: string, slot: string, due: string): string =>
  `duty-reminder:${dutyId}:${recipient}:${slot}:${due}`;

function fields(directory: Directory, duty: Duty, meeting: Meeting | undefined, l: Locale) {
  return [
    { label: t(l, 'duty.label.duty'), value: dutyName(duty.duty, l) },
    ...(meeting ? [{ label: t(l, 'duty.label.meeting'), value: `${meeting.title} (${meeting.reference})` }] : []),
    { label: t(l, 'duty.label.owner'), value: ownerName(directory, duty, l) },
    { label: t(l, 'duty.label.due'), value: formatDate(duty.due, l) },
  ];
}

/** The reminder of one duty for one recipient: before it is due (`D-n`), or once it is overdue (`late`). */
export function dutyReminderMessage(directory: Directory, duty: Duty, meeting: Meeting | undefined, to: DutyRecipient, slot: DutySlot): NeutralMessage {
  const l = to.locale;
  const name = dutyName(duty.duty, l);
  const due = formatDate(duty.due, l);
  const body =
    slot === 'late'
      ? [t(l, 'duty.reminder.late_body', { duty: name, due })]
      : [meeting ? t(l, 'duty.reminder.body_meeting', { duty: name, due, meeting: meeting.title }) : t(l, 'duty.reminder.body', { duty: name, due })];
  if (duty.duty === 'plenary_agenda') body.push(t(l, 'duty.reminder.agenda_items'));
  return {
    kind: 'duty_reminder',
    locale: l,
    consultationId: '',
    reference: duty.meeting ?? '',
    heading: slot === 'late' ? t(l, 'duty.reminder.late_heading', { duty: name }) : t(l, 'duty.reminder.heading', { duty: name }),
    body,
    fields: fields(directory, duty, meeting, l),
    buttons: [],
  };
}

export function dutyReminderOutbox(
  directory: Directory,
  duty: Duty,
  meeting: Meeting | undefined,
  to: DutyRecipient,
  slot: DutySlot,
): NewOutboxMessage {
  const payload = dutyReminderMessage(directory, duty, meeting, to, slot);
  return { dedupeKey: dutyReminderDedupeKey(duty.id, to.key, slot, duty.due), platform: to.platform, recipient: to.recipient, kind: payload.kind, payload };
}

/** The week's overdue duties as a table, for the ST channel or a PPT focal point. */
export function lateDutiesMessage(directory: Directory, late: readonly TrackedDuty[], meetings: readonly Meeting[], week: string, l: Locale): NeutralMessage {
  const title = (ref: string | undefined) => (ref ? `${meetings.find((m) => m.reference === ref)?.title ?? ref} (${ref})` : '—');
  return {
    kind: 'duty_digest',
    locale: l,
    consultationId: '',
    reference: week,
    heading: t(l, 'duty.late.heading', { week }),
    body: [t(l, 'duty.late.intro', { count: late.length })],
    fields: [],
    table: {
      columns: [t(l, 'duty.label.duty'), t(l, 'duty.label.meeting'), t(l, 'duty.label.owner'), t(l, 'duty.label.due')],
      rows: late.map((d) => [dutyName(d.duty, l), title(d.meeting), ownerName(directory, d, l), formatDate(d.due, l)]),
    },
    buttons: [],
  };
}
