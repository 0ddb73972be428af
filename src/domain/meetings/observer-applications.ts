/**
 * Observer applications as tracked cases (§7.2, §8): a country or an international organisation asks for
 * observer status by a formal communication to the PPT via the ST; the PPT presents it at the next GRCM;
 * the Vice-Ministers decide in the closed-door session of the next Vice-Ministerial. New Member Countries
 * are not being admitted (§8), so only observer status can be applied for. Pure.
 */
import type { Directory } from '../../directory/model.ts';
import type { CivilDate, Meeting } from './types.ts';

export type ApplicationStage = 'received' | 'presented' | 'admitted' | 'rejected' | 'withdrawn';

export interface ObserverApplication {
  id: string;
  applicant: { kind: 'country' | 'organization'; code: string; name: string };
  /** The day the PPT received the formal communication via the ST. */
  receivedOn: CivilDate;
  stage: ApplicationStage;
  /** The GRCM at which the PPT presented it (reference and first day). */
  presentedAt?: { meeting: string; on: CivilDate };
  /** The Vice-Ministerial at which it was decided. */
  decidedAt?: { meeting: string; on: CivilDate };
}

export type ApplicationCommand =
  | { type: 'present'; meeting: Meeting }
  | { type: 'decide'; meeting: Meeting; outcome: 'admitted' | 'rejected' }
  | { type: 'withdraw' };

export type ApplicationRefusal =
  | 'already_member'
  | 'already_observer'
  | 'not_a_grcm'
  | 'not_a_vice_ministerial'
  | 'meeting_before_application'
  | 'not_presented'
  | 'already_presented'
  | 'case_closed';

export type ApplicationDecision = { ok: true; application: ObserverApplication } | { ok: false; code: ApplicationRefusal };

const CLOSED: readonly ApplicationStage[] = ['admitted', 'rejected', 'withdrawn'];

/** Opens a case, unless the applicant is already a member or an observer in the directory. */
export function openApplication(
  directory: Directory,
  input: { id: string; applicant: ObserverApplication['applicant']; receivedOn: CivilDate },
): ApplicationDecision {
  const { code, kind } = input.applicant;
  if (kind === 'country') {
    const c = directory.countries.find((x) => x.code === code);
    if (c?.status === 'member') return { ok: false, code: 'already_member' };
    if (c?.status === 'observer') return { ok: false, code: 'already_observer' };
  } else if (directory.organizations.some((o) => o.code.toUpperCase() === code.toUpperCase() && o.kind === 'observer')) {
    return { ok: false, code: 'already_observer' };
  }
  return { ok: true, application: { id: input.id, applicant: input.applicant, receivedOn: input.receivedOn, stage: 'received' } };
}

export function decideApplication(app: ObserverApplication, command: ApplicationCommand): ApplicationDecision {
  if (CLOSED.includes(app.stage)) return { ok: false, code: 'case_closed' };
  switch (command.type) {
    case 'withdraw':
      return { ok: true, application: { ...app, stage: 'withdrawn' } };
    case 'present':
      if (app.stage !== 'received') return { ok: false, code: 'already_presented' };
      if (command.meeting.kind !== 'grcm') return { ok: false, code: 'not_a_grcm' };
      if (command.meeting.end < app.receivedOn) return { ok: false, code: 'meeting_before_application' };
      return { ok: true, application: { ...app, stage: 'presented', presentedAt: { meeting: command.meeting.reference, on: command.meeting.start } } };
    case 'decide':
      if (app.stage !== 'presented' || !app.presentedAt) return { ok: false, code: 'not_presented' };
      if (command.meeting.kind !== 'vice_ministerial') return { ok: false, code: 'not_a_vice_ministerial' };
      if (command.meeting.end < app.presentedAt.on) return { ok: false, code: 'meeting_before_application' };
      return {
        ok: true,
        application: { ...app, stage: command.outcome, decidedAt: { meeting: command.meeting.reference, on: command.meeting.end } },
      };
  }
}

export interface ApplicationNextStep {
  step: 'present_at_grcm' | 'decide_at_vice_ministerial';
  /** The meeting where it is due, when one is scheduled. */
  meeting?: string;
  due?: CivilDate;
  /** That meeting has ended and the step was not recorded. */
  late: boolean;
}

/** What the case waits for: the next GRCM after receipt, then the next Vice-Ministerial after it. */
export function nextStep(app: ObserverApplication, meetings: readonly Meeting[], today: CivilDate): ApplicationNextStep | undefined {
  if (CLOSED.includes(app.stage)) return undefined;
  const sorted = [...meetings].sort((a, b) => a.start.localeCompare(b.start) || a.reference.localeCompare(b.reference));
  const step = app.stage === 'received' ? 'present_at_grcm' : 'decide_at_vice_ministerial';
  const kind = step === 'present_at_grcm' ? 'grcm' : 'vice_ministerial';
  const after = app.stage === 'received' ? app.receivedOn : app.presentedAt!.on;
  const m = sorted.find((x) => x.kind === kind && x.end >= after);
  if (!m) return { step, late: false };
  return { step, meeting: m.reference, due: m.end, late: today > m.end };
}
