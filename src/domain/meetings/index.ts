/**
 * The meetings domain (shared/domain.md "Meetings"): kinds and segments, eligibility per segment with its
 * reason, warnings, duties derived from the meetings and the coordinator's contract, and observer
 * applications. Pure like the consultation: no I/O, no clock (callers pass `now` and `today`).
 */
export * from './types.ts';
export { addDays, addYears, daysBetween, isCivilDate, isWallTime, monthOf } from './dates.ts';
export { partiesOf, partyOf, representing, type Party } from './parties.ts';
export {
  CLOSED_DOOR_SENIOR_OFFICIALS,
  SEGMENTS_BY_KIND,
  decideDelegation,
  decideInvitation,
  delegationOf,
  eligibility,
  networkRoles,
  type DelegationDecision,
  type EligibilityContext,
  type InviteDecision,
  type InviteRequest,
} from './eligibility.ts';
export {
  DEFAULT_END_TIME,
  DEFAULT_START_TIME,
  MAX_MEETING_DAYS,
  meetingWarnings,
  newMeeting,
  type MeetingRefusalCode,
  type NewMeetingDecision,
  type NewMeetingInput,
} from './meeting.ts';
export {
  COORDINATOR_MAX_YEARS,
  DEFAULT_DUTY_POLICY,
  compareDuties,
  decideDutyDone,
  deriveDuties,
  dutyId,
  dutyState,
  missingAgendaItems,
  trackDuties,
  type DutyDoneDecision,
  type DutyInput,
  type DutyPolicy,
} from './duties.ts';
export {
  decideApplication,
  nextStep,
  openApplication,
  type ApplicationCommand,
  type ApplicationDecision,
  type ApplicationNextStep,
  type ApplicationRefusal,
  type ApplicationStage,
  type ObserverApplication,
} from './observer-applications.ts';
export {
  RESPONSE_REFUSALS,
  decideResponse,
  type ResponseDecision,
  type ResponseRefusal,
  type ResponseRequest,
} from './responses.ts';
