/**
 * What is due, by whom and when, derived from the meetings and the ST coordinator's contract (shared/
 * domain.md "What is due, by whom, and when"), and its state on a given day. Pure: the same meetings,
 * invitations and directory always give the same duties, in the same order.
 *
 * | duty                            | for                        | owner                    | due                                |
 * |---------------------------------|----------------------------|--------------------------|------------------------------------|
 * | st_operational_financial_report | each GRCM                  | ST                       | 40 days before its start (§7.1.10) |
 * | st_budget_report                | each meeting with a plenary| ST                       | policy: 15 days before (§7)        |
 * | observer_reports                | each Vice-Ministerial      | each observer country and organisation, RROCM, each special invitee invited | policy: 15 days before (§2.1) |
 * | draft_declaration_action_plan   | each Vice-Ministerial      | PPT (with the ST)        | policy: 30 days before (§2.1 d)    |
 * | plenary_agenda                  | each Vice-Ministerial      | PPT                      | policy: 15 days before (§2.1)      |
 * | meeting_summary                 | each GRCM and Vice-Ministerial | PPT (with the ST)    | its last day (§2.1 e, f)           |
 * | coordinator_evaluation          | each Vice-Ministerial      | PPT (its report to the Vice-Ministers) | its last day (§2.1, Decision 15) |
 * | coordinator_vacancy_notice      | the coordinator's contract | PPT                      | start of the last year of the three-year maximum: contract start + 2 years |
 *
 * A duty owed by the PPT names the country that owes it: the PPT on the meeting's first day (the PPT that
 * convenes it), or on the due date for the vacancy notice. State: `done` once recorded, `late` when the
 * due date has passed (today > due) and it is not done, `open` otherwise.
 */
import type { Directory } from '../../directory/model.ts';
import { presidencyAt } from '../../directory/presidency.ts';
import { addDays, addYears } from './dates.ts';
import {
  DUTY_NAMES,
  REQUIRED_PLENARY_ITEMS,
  type CivilDate,
  type Duty,
  type DutyName,
  type DutyState,
  type Invitation,
  type Meeting,
  type RequiredPlenaryItem,
  type TrackedDuty,
} from './types.ts';

/** Lead times marked (policy) in domain.md; the 40 days of the operational report are the source's. */
export interface DutyPolicy {
  operationalReportDaysBefore: number;
  budgetReportDaysBefore: number;
  observerReportsDaysBefore: number;
  draftDeclarationDaysBefore: number;
  plenaryAgendaDaysBefore: number;
}

export const DEFAULT_DUTY_POLICY: Readonly<DutyPolicy> = Object.freeze({
  operationalReportDaysBefore: 40,
  budgetReportDaysBefore: 15,
  observerReportsDaysBefore: 15,
  draftDeclarationDaysBefore: 30,
  plenaryAgendaDaysBefore: 15,
});

/** The contract's maximum term: the first year and at most two extensions (Decision 15 of the IX CRM). */
export const COORDINATOR_MAX_YEARS = 3;

export interface DutyInput {
  meetings: readonly Meeting[];
  /** Every meeting's invitations (special invitees invited to a Vice-Ministerial owe a report). */
  invitations: readonly Invitation[];
  directory: Directory;
  policy?: Partial<DutyPolicy>;
}

export const dutyId = (scope: string, duty: DutyName, owner: string): string => `${scope}/${duty}/${owner}`;

/** Who owes a report before a Vice-Ministerial: observers, civil society and the invitees invited to it. */
function reportOwners(meeting: Meeting, input: DutyInput): string[] {
  const owners: string[] = [];
  for (const c of input.directory.countries) if (c.status === 'observer') owners.push(c.code);
  for (const o of input.directory.organizations) if (o.kind === 'observer' || o.kind === 'civil-society') owners.push(o.code);
  const invitees = new Set(input.directory.organizations.filter((o) => o.kind === 'invitee').map((o) => o.code));
  for (const i of input.invitations) {
    if (i.meetingId === meeting.id && i.organization && invitees.has(i.organization) && !owners.includes(i.organization)) {
      owners.push(i.organization);
    }
  }
  return owners;
}

function meetingDuties(meeting: Meeting, input: DutyInput, policy: DutyPolicy): Duty[] {
  const ppt = presidencyAt(input.directory.presidencies, meeting.start)?.country;
  const duty = (name: DutyName, owner: string, due: CivilDate): Duty => ({
    id: dutyId(meeting.reference, name, owner),
    duty: name,
    meeting: meeting.reference,
    owner,
    ...(owner === 'PPT' && ppt ? { pptCountry: ppt } : {}),
    due,
  });
  const before = (days: number) => addDays(meeting.start, -days);
  const out: Duty[] = [];
  if (meeting.kind === 'grcm') {
    out.push(duty('st_operational_financial_report', 'ST', before(policy.operationalReportDaysBefore)));
  }
  if (meeting.segments.includes('plenary')) {
    out.push(duty('st_budget_report', 'ST', before(policy.budgetReportDaysBefore)));
  }
  if (meeting.kind === 'vice_ministerial') {
    for (const owner of reportOwners(meeting, input)) out.push(duty('observer_reports', owner, before(policy.observerReportsDaysBefore)));
    out.push(duty('draft_declaration_action_plan', 'PPT', before(policy.draftDeclarationDaysBefore)));
    out.push(duty('plenary_agenda', 'PPT', before(policy.plenaryAgendaDaysBefore)));
  }
  if (meeting.kind === 'grcm' || meeting.kind === 'vice_ministerial') out.push(duty('meeting_summary', 'PPT', meeting.end));
  if (meeting.kind === 'vice_ministerial') out.push(duty('coordinator_evaluation', 'PPT', meeting.end));
  return out;
}

/** The vacancy notice of the ST coordinator's post: at the start of the last year of the maximum term. */
function contractDuties(directory: Directory): Duty[] {
  const out: Duty[] = [];
  for (const s of directory.secretariat.staff) {
    if (!s.roles?.includes('st_coordinator') || !s.contract) continue;
    const due = addYears(s.contract.from, COORDINATOR_MAX_YEARS - 1);
    const ppt = presidencyAt(directory.presidencies, due)?.country;
    out.push({
      id: dutyId(`coordinator/${s.contract.from}`, 'coordinator_vacancy_notice', 'PPT'),
      duty: 'coordinator_vacancy_notice',
      owner: 'PPT',
      ...(ppt ? { pptCountry: ppt } : {}),
      due,
    });
  }
  return out;
}

const dutyRank = (d: DutyName): number => DUTY_NAMES.indexOf(d);
/** Code-unit order: codes and ISO dates, the same result on every machine (no locale collation). */
const ordinal = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Due date, then meeting, then the order of DUTY_NAMES, then owner. */
export function compareDuties(a: Duty, b: Duty): number {
  return ordinal(a.due, b.due) || ordinal(a.meeting ?? '', b.meeting ?? '') || dutyRank(a.duty) - dutyRank(b.duty) || ordinal(a.owner, b.owner);
}

/** Every duty the meetings and the coordinator's contract give, sorted (compareDuties), ids unique. */
export function deriveDuties(input: DutyInput): Duty[] {
  const policy: DutyPolicy = { ...DEFAULT_DUTY_POLICY, ...(input.policy ?? {}) };
  const byId = new Map<string, Duty>();
  for (const m of input.meetings) for (const d of meetingDuties(m, input, policy)) byId.set(d.id, d);
  for (const d of contractDuties(input.directory)) byId.set(d.id, d);
  return [...byId.values()].sort(compareDuties);
}

export function dutyState(duty: Pick<Duty, 'due'>, done: boolean, today: CivilDate): DutyState {
  if (done) return 'done';
  return today > duty.due ? 'late' : 'open';
}

/** The duties with their state on `today`, given the ids recorded as done. */
export function trackDuties(duties: readonly Duty[], done: ReadonlySet<string>, today: CivilDate): TrackedDuty[] {
  return duties.map((d) => ({ ...d, state: dutyState(d, done.has(d.id), today) }));
}

/** The required plenary items (§2.1) an agenda lacks, in their order. */
export function missingAgendaItems(agenda: readonly string[] | undefined): RequiredPlenaryItem[] {
  return REQUIRED_PLENARY_ITEMS.filter((item) => !(agenda ?? []).includes(item));
}

export type DutyDoneDecision =
  | { ok: true }
  | { ok: false; code: 'unknown_duty' | 'already_done' | 'agenda_incomplete'; detail?: Record<string, string> };

/**
 * May this duty be recorded as done? The plenary agenda only once it holds the required items (the bot
 * checks the agenda has them, §2.1).
 */
export function decideDutyDone(duty: Duty | undefined, done: ReadonlySet<string>, meeting: Meeting | undefined): DutyDoneDecision {
  if (!duty) return { ok: false, code: 'unknown_duty' };
  if (done.has(duty.id)) return { ok: false, code: 'already_done' };
  if (duty.duty === 'plenary_agenda') {
    const missing = missingAgendaItems(meeting?.agenda);
    if (missing.length > 0) return { ok: false, code: 'agenda_incomplete', detail: { missing: missing.join(', ') } };
  }
  return { ok: true };
}
