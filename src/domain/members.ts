/**
 * Member Countries are data: those of the directory when a consultation starts, frozen on it as its
 * participants (`Participants.members`). Only they take part in decisions; observer countries,
 * organisations, civil society and invitees never do (domain.md "Who is who", §7.1–§7.4).
 */
import type { CountryCode } from '../directory/model.ts';
import type { Participants } from './types.ts';

/** A Member Country of this consultation: one of its frozen participants' members. */
export type MemberCountry = CountryCode;

export function isMemberOf(participants: Pick<Participants, 'members'>, code: string): code is MemberCountry {
  return participants.members.some((m) => m.code === code);
}
