/**
 * Meetings in words, in the person's language: kinds, segments, warnings, refusals, duty names and owners.
 * Codes never reach a person: country codes become names, segment codes become segment names.
 */
import type { Directory, Locale } from '../directory/model.ts';
import type {
  Duty,
  DutyName,
  IneligibleCode,
  MeetingKind,
  MeetingWarning,
  Segment,
} from '../domain/meetings/index.ts';
import { countryInText } from '../i18n/countries.ts';
import { formatDate, formatList, t } from '../i18n/index.ts';

export function countryOrCode(directory: Directory, code: string, l: Locale): string {
  return directory.countries.find((c) => c.code === code)?.name[l] ?? code;
}

/** A country's or an organisation's name, else the code itself. */
export function partyName(directory: Directory, code: string, l: Locale): string {
  const c = directory.countries.find((x) => x.code === code);
  if (c) return c.name[l];
  return directory.organizations.find((o) => o.code === code)?.name[l] ?? code;
}

export const kindName = (kind: MeetingKind, l: Locale): string => t(l, `meeting.kind.${kind}`);
export const segmentName = (segment: Segment, l: Locale): string => t(l, `meeting.segment.${segment}`);
export const dutyName = (duty: DutyName, l: Locale): string => t(l, `duty.name.${duty}`);

export function ownerName(directory: Directory, duty: Pick<Duty, 'owner' | 'pptCountry'>, l: Locale): string {
  if (duty.owner === 'ST') return t(l, 'duty.owner.ST');
  if (duty.owner === 'PPT') return t(l, 'duty.owner.PPT', { country: duty.pptCountry ? countryOrCode(directory, duty.pptCountry, l) : '—' });
  return partyName(directory, duty.owner, l);
}

export function warningText(directory: Directory, w: MeetingWarning, l: Locale): string {
  const d = w.detail;
  switch (w.code) {
    case 'vice_ministerial_not_in_november':
      return t(l, 'meeting.warning.vice_ministerial_not_in_november', { start: formatDate(String(d['start']), l), end: formatDate(String(d['end']), l) });
    case 'vice_ministerial_not_in_ppt_country':
      return t(l, 'meeting.warning.vice_ministerial_not_in_ppt_country', {
        country: countryInText(directory, String(d['country']), l),
        ppt: countryInText(directory, String(d['ppt']), l),
      });
    case 'network_not_before_grcm':
      return t(l, 'meeting.warning.network_not_before_grcm', { end: formatDate(String(d['end']), l) });
  }
}

/** Why an invitation is refused, as a sentence. */
export function ineligibleText(
  directory: Directory,
  code: IneligibleCode | 'other_country' | 'meeting_not_found',
  detail: Record<string, string | number> | undefined,
  l: Locale,
): string {
  const d = detail ?? {};
  // Inside a sentence: "the delegation of the United States", "la delegación de la República Dominicana".
  const country = () => countryInText(directory, String(d['country'] ?? ''), l);
  switch (code) {
    case 'segment_not_in_meeting':
      return t(l, 'meeting.refusal.segment_not_in_meeting', {
        segments: formatList(String(d['segments'] ?? '').split(', ').filter(Boolean).map((s) => segmentName(s as Segment, l)), l),
      });
    case 'closed_door_vice_minister_present':
      return t(l, 'meeting.refusal.closed_door_vice_minister_present', { country: country(), name: String(d['name'] ?? '') });
    case 'closed_door_delegation_full':
      return t(l, 'meeting.refusal.closed_door_delegation_full', { country: country(), max: Number(d['max'] ?? 2) });
    case 'not_in_ad_hoc_group':
      return t(l, 'meeting.refusal.not_in_ad_hoc_group', {
        members: formatList(String(d['members'] ?? '').split(', ').filter(Boolean).map((c) => partyName(directory, c, l)), l),
      });
    case 'invitee_other_event':
      return t(l, 'meeting.refusal.invitee_other_event', { reference: String(d['reference'] ?? '') });
    case 'other_country':
      return t(l, 'meeting.refusal.other_country', { country: country() });
    default:
      return t(l, `meeting.refusal.${code}`);
  }
}

/** The required plenary items, in words (for "the agenda does not yet include …"). */
export function agendaItemsText(items: readonly string[], l: Locale): string {
  return formatList(
    items.map((i) => (i === 'ppt_report' || i === 'opening_statements' || i === 'civil_society_dialogue' ? t(l, `meeting.agenda.${i}`) : i)),
    l,
  );
}
