/**
 * Observer applications as tracked cases (§7.2, §8; issue 11 part 5): opened when the PPT receives the
 * formal request via the ST, presented at the next GRCM, decided by the Vice-Ministers in the closed-door
 * session of the next Vice-Ministerial, or withdrawn. The domain decides (domain/meetings/
 * observer-applications.ts); each accepted step is saved with its announcement to the ST channel and the
 * PPT's focal points in one transaction. A refusal saves and announces nothing.
 */
import { presidencyAt } from '../directory/presidency.ts';
import {
  decideApplication,
  nextStep,
  openApplication,
  type ApplicationNextStep,
  type ApplicationRefusal,
  type ObserverApplication,
} from '../domain/meetings/index.ts';
import { observerApplicationOutbox } from '../messages/observer-messages.ts';
import { today, type MeetingDeps } from './meeting-flows.ts';

export type ApplicationResult =
  | { ok: true; application: ObserverApplication; outboxIds: string[] }
  | { ok: false; code: ApplicationRefusal | 'application_not_found' | 'meeting_not_found' };

function announce(deps: MeetingDeps, app: ObserverApplication) {
  const directory = deps.directory.current();
  const ppt = presidencyAt(directory.presidencies, today(deps))?.country;
  return observerApplicationOutbox(directory, app, ppt);
}

async function queue(deps: MeetingDeps, ids: string[]): Promise<void> {
  if (ids.length && deps.enqueueDeliveries) await deps.enqueueDeliveries(ids).catch(() => undefined);
}

export async function openObserverApplication(
  deps: MeetingDeps,
  input: { applicant: ObserverApplication['applicant']; receivedOn?: string },
): Promise<ApplicationResult> {
  const receivedOn = input.receivedOn ?? today(deps);
  const r = await deps.meetings.createApplication(Number(receivedOn.slice(0, 4)), (id) => {
    const d = openApplication(deps.directory.current(), { id, applicant: input.applicant, receivedOn });
    return d.ok ? { ...d, outbox: announce(deps, d.application) } : d;
  });
  if (r.ok) await queue(deps, r.outboxIds);
  return r;
}

export async function advanceObserverApplication(
  deps: MeetingDeps,
  id: string,
  step: { type: 'present'; meeting: string } | { type: 'decide'; meeting: string; outcome: 'admitted' | 'rejected' } | { type: 'withdraw' },
): Promise<ApplicationResult> {
  const meeting = step.type === 'withdraw' ? undefined : await deps.meetings.byReference(step.meeting);
  if (step.type !== 'withdraw' && !meeting) return { ok: false, code: 'meeting_not_found' };
  const r = await deps.meetings.updateApplication(id, (app) => {
    const d = decideApplication(app, step.type === 'withdraw' ? step : step.type === 'present' ? { type: 'present', meeting: meeting! } : { type: 'decide', meeting: meeting!, outcome: step.outcome });
    return d.ok ? { ...d, outbox: announce(deps, d.application) } : d;
  });
  if (r.ok) await queue(deps, r.outboxIds);
  return r;
}

/** Every case with what it waits for (the next GRCM, then the next Vice-Ministerial; late once it passed). */
export async function listObserverApplications(deps: MeetingDeps): Promise<{ application: ObserverApplication; next?: ApplicationNextStep }[]> {
  const [apps, meetings] = await Promise.all([deps.meetings.applications(), deps.meetings.list()]);
  const day = today(deps);
  return apps.map((application) => {
    const next = nextStep(application, meetings, day);
    return { application, ...(next ? { next } : {}) };
  });
}
