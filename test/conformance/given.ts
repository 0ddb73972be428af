/**
 * What the conformance scenarios (./scenarios.ts) stand on: people by role mapped to a platform's ids
 * through the live directory, and consultations prepared through the flows (no adapter involved).
 */
import { randomUUID } from 'node:crypto';
import type { ConsultationState } from '../../src/domain/types.ts';
import type { Directory, Person } from '../../src/directory/model.ts';
import { reactTroika, startConsultation } from '../../src/flows/consultation-flows.ts';
import { identify } from '../../src/flows/people.ts';
import type { FlowDeps } from '../../src/flows/ports.ts';
import { addMeeting, inviteToMeeting, type MeetingDeps } from '../../src/flows/meeting-flows.ts';
import { WHO, type Given, type PreparedMeeting, type Who } from './scenarios.ts';

/** A Slack user id nobody in the directory has. */
export const STRANGER_SLACK_ID = 'U0NOBODY001';

function people(directory: Directory): Person[] {
  return [...directory.secretariat.staff, ...directory.countries.flatMap((c) => c.focalPoints)];
}

/** The person's id on `platform` per the directory (a stranger gets an id nobody has). */
export function platformIdOf(directory: Directory, who: Who, platform: 'slack' | 'teams'): string {
  const email = WHO[who].email;
  if (email === undefined) return platform === 'slack' ? STRANGER_SLACK_ID : '00000000-0000-4000-8000-00000000dead';
  const person = people(directory).find((p) => p.email === email);
  const id = person?.[platform];
  if (!id) throw new Error(`${who} (${email}) has no ${platform} id in the directory`);
  return id;
}

function actor(deps: FlowDeps, who: Who) {
  const directory = deps.directory.current();
  const a = identify(directory, { platform: 'slack', userId: platformIdOf(directory, who, 'slack') });
  if (!a) throw new Error(`${who} is not in the directory`);
  return a;
}

/** A consultation by the PPT (PA), sent to the Troika; for `member_consultation`, approved by MX and SV. */
export async function prepare(deps: FlowDeps, given: Given): Promise<ConsultationState> {
  const started = await startConsultation(deps, {
    key: `given:${randomUUID()}`,
    actor: actor(deps, 'pptPA'),
    title: 'Consulta de conformidad',
    text: 'Texto de la consulta preparada para la prueba de conformidad.',
    deadline: { kind: 'business_days', days: 5 },
    locale: 'es',
  });
  if (!started.ok) throw new Error(`given ${given}: start refused (${started.code})`);
  let state = started.state;
  if (given === 'member_consultation') {
    for (const who of ['troikaMX', 'troikaSV'] as const) {
      const r = await reactTroika(deps, { key: `given:${randomUUID()}`, actor: actor(deps, who), consultationId: state.consultationId, version: state.currentVersion, reaction: 'approve' });
      if (!r.ok) throw new Error(`given ${given}: ${who} approval refused (${r.code})`);
      state = r.state;
    }
    if (state.stage !== 'member_consultation') throw new Error(`given ${given}: reached ${state.stage}`);
  }
  return state;
}

/** A Vice-Ministerial in Panama (November 2027) with the CR focal point invited to its plenary. */
export async function prepareMeeting(meetings: MeetingDeps): Promise<PreparedMeeting> {
  const added = await addMeeting(meetings, { kind: 'vice_ministerial', start: '2027-11-10', end: '2027-11-11', city: 'Ciudad de Panamá', key: `given:${randomUUID()}` });
  if (!added.ok) throw new Error(`given meeting: refused (${added.code})`);
  const invited = await inviteToMeeting(meetings, added.view.meeting.reference, { email: WHO.memberCR.email, segment: 'plenary' });
  if (!invited.ok) throw new Error(`given meeting: invitation refused (${invited.code})`);
  return { meetingId: added.view.meeting.id, reference: added.view.meeting.reference };
}
