/** The consultation domain: pure state machine, outcome and authority rules. */
export * from './types.ts';
export * from './calendar-port.ts';
export { isMemberOf, type MemberCountry } from './members.ts';
export { decide } from './decide.ts';
export { evolve, replay, EventApplicationError } from './evolve.ts';
export {
  computeOutcome,
  outcomeOf,
  membersAwaiting,
  troikaAwaiting,
  troikaApprovedCurrent,
  positionsSummary,
  currentPosition,
  memberCodes,
  currentTextVersion,
  type MemberOutcome,
} from './outcome.ts';
export {
  authorityFor,
  focalPointCountries,
  isFocalPointOf,
  pptInOffice,
  maySee,
  maySeeConsultation,
  maySeeAllAnswers,
  maySeeAnyConsultation,
  mayStartConsultation,
  type AuthorityAction,
  type LiveRoster,
  type Authorized,
  type Viewer,
  type Visible,
} from './authority.ts';
export { textVersionHash, canonicalTextForm, normalizeText, normalizeTitle, textFor, type Bilingual } from './text-version.ts';
export { dateInZone, parseInstant } from './time.ts';
