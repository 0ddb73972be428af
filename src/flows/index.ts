/** The flows: every way a consultation changes. */
export * as consultationFlows from './consultation-flows.ts';
export { execute, loadState, FlowConflictError, type FlowResult, type ExecuteOptions } from './execute.ts';
export { identify, participantsFrom, findPerson, SYSTEM_ACTOR, type PlatformIdentity } from './people.ts';
export type { FlowDeps, Clock, ConsultationRepository, DirectorySource, CalendarSource } from './ports.ts';
