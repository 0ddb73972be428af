/**
 * The eleven Member Countries of the CRM (domain.md "Who is who"). Only these take part in decisions;
 * observer countries, organisations, civil society and invitees never do (§7.1–§7.4).
 */
import type { CountryCode } from '../directory/model.ts';

export const MEMBER_COUNTRIES = ['BZ', 'CA', 'CR', 'SV', 'US', 'GT', 'HN', 'MX', 'NI', 'PA', 'DO'] as const;

export type MemberCountry = (typeof MEMBER_COUNTRIES)[number];

const memberSet: ReadonlySet<string> = new Set(MEMBER_COUNTRIES);

export function isMemberCountry(code: CountryCode): code is MemberCountry {
  return memberSet.has(code);
}
