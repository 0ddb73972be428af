/**
 * A new meeting from its operator's input, and the warnings a meeting raises among the others. Pure:
 * the caller passes the directory, the ids, the title (worded in the ST's language) and the clock's
 * reading.
 *
 * Defaults: the host country is the PPT's on the start date (§2.1: the Vice-Ministerial is held in the
 * PPT's country; §2.2: the GRCM in a city the PPT chooses); the venue's zone is the host country's zone in
 * the directory; the meeting opens at 09:00 on its first day and closes at 18:00 on its last, venue time.
 *
 * Warnings, not refusals (policy, domain.md): a Vice-Ministerial outside November or outside the PPT's
 * country; a network meeting that does not end right before a GRCM (the GRCM's start date minus the
 * network's end date is 0 or 1 day).
 */
import type { CountryCode, Directory } from '../../directory/model.ts';
import { presidencyAt } from '../../directory/presidency.ts';
import { daysBetween, isCivilDate, isWallTime, monthOf } from './dates.ts';
import { SEGMENTS_BY_KIND } from './eligibility.ts';
import { isNetworkKind, type CivilDate, type Meeting, type MeetingKind, type MeetingWarning, type WallTime } from './types.ts';

export const DEFAULT_START_TIME: WallTime = '09:00';
export const DEFAULT_END_TIME: WallTime = '18:00';

export interface NewMeetingInput {
  id: string;
  reference: string;
  kind: MeetingKind;
  title: string;
  start: CivilDate;
  end: CivilDate;
  city?: string;
  country?: CountryCode;
  timezone?: string;
  startTime?: WallTime;
  endTime?: WallTime;
  /** Ad-hoc groups only: the group's membership (country and organisation codes). */
  members?: readonly string[];
  /** The clock's reading (ISO instant). */
  now: string;
}

export type MeetingRefusalCode =
  | 'invalid_date'
  | 'end_before_start'
  | 'too_long'
  | 'invalid_time'
  | 'ends_before_it_starts'
  | 'title_required'
  | 'no_ppt_on_start'
  | 'country_not_in_directory'
  | 'members_only_for_ad_hoc'
  | 'unknown_member';

export type NewMeetingDecision =
  | { ok: true; meeting: Meeting }
  | { ok: false; code: MeetingRefusalCode; field: string; detail?: Record<string, string> };

/** The longest meeting the bot accepts (days, first to last): a typo in a year must not pass. */
export const MAX_MEETING_DAYS = 31;

export function newMeeting(input: NewMeetingInput, directory: Directory): NewMeetingDecision {
  const refuse = (code: MeetingRefusalCode, field: string, detail?: Record<string, string>): NewMeetingDecision =>
    detail ? { ok: false, code, field, detail } : { ok: false, code, field };
  if (!isCivilDate(input.start)) return refuse('invalid_date', 'start', { value: input.start });
  if (!isCivilDate(input.end)) return refuse('invalid_date', 'end', { value: input.end });
  const length = daysBetween(input.start, input.end);
  if (length < 0) return refuse('end_before_start', 'end', { start: input.start, end: input.end });
  if (length >= MAX_MEETING_DAYS) return refuse('too_long', 'end', { start: input.start, end: input.end, max: String(MAX_MEETING_DAYS) });
  const startTime = input.startTime ?? DEFAULT_START_TIME;
  const endTime = input.endTime ?? DEFAULT_END_TIME;
  if (!isWallTime(startTime)) return refuse('invalid_time', 'start-time', { value: startTime });
  if (!isWallTime(endTime)) return refuse('invalid_time', 'end-time', { value: endTime });
  if (length === 0 && endTime <= startTime) return refuse('ends_before_it_starts', 'end-time', { start: startTime, end: endTime });
  const title = input.title.trim();
  if (title === '') return refuse('title_required', 'title');

  let country = input.country;
  if (country === undefined) {
    const ppt = presidencyAt(directory.presidencies, input.start);
    if (!ppt) return refuse('no_ppt_on_start', 'country', { start: input.start });
    country = ppt.country;
  }
  const host = directory.countries.find((c) => c.code === country);
  if (!host && input.timezone === undefined) return refuse('country_not_in_directory', 'country', { country });

  let members: string[] | undefined;
  if (input.members !== undefined) {
    if (input.kind !== 'ad_hoc') return refuse('members_only_for_ad_hoc', 'members');
    const known = new Set([...directory.countries.map((c) => c.code), ...directory.organizations.map((o) => o.code)]);
    const unknown = input.members.find((m) => !known.has(m));
    if (unknown !== undefined) return refuse('unknown_member', 'members', { code: unknown });
    members = [...new Set(input.members)];
  }

  const city = input.city?.trim();
  return {
    ok: true,
    meeting: {
      id: input.id,
      reference: input.reference,
      kind: input.kind,
      title,
      start: input.start,
      end: input.end,
      startTime,
      endTime,
      ...(city ? { city } : {}),
      country,
      timezone: input.timezone ?? host!.timezone,
      segments: [...SEGMENTS_BY_KIND[input.kind]],
      ...(members ? { members } : {}),
      createdAt: input.now,
    },
  };
}

/** The warnings `meeting` raises, given every meeting known (it may be among them) and the PPT roster. */
export function meetingWarnings(meeting: Meeting, meetings: readonly Meeting[], directory: Pick<Directory, 'presidencies'>): MeetingWarning[] {
  const out: MeetingWarning[] = [];
  if (meeting.kind === 'vice_ministerial') {
    if (monthOf(meeting.start) !== 11 || monthOf(meeting.end) !== 11) {
      out.push({ code: 'vice_ministerial_not_in_november', detail: { start: meeting.start, end: meeting.end } });
    }
    const ppt = presidencyAt(directory.presidencies, meeting.start);
    if (ppt && ppt.country !== meeting.country) {
      out.push({ code: 'vice_ministerial_not_in_ppt_country', detail: { country: meeting.country, ppt: ppt.country } });
    }
  }
  if (isNetworkKind(meeting.kind)) {
    const before = meetings.some((g) => g.kind === 'grcm' && [0, 1].includes(daysBetween(meeting.end, g.start)));
    if (!before) out.push({ code: 'network_not_before_grcm', detail: { end: meeting.end } });
  }
  return out;
}
