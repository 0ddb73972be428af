/**
 * Meetings as Adaptive Cards 1.5 (src/adapters/teams/meeting-cards.ts, render.ts, forms.ts): the
 * `meeting_new` and `meeting_delegation` forms (submit verb = the Slack callback id, input ids = the Slack
 * block ids), the invitation with its Action.Execute verbs `meeting_attend` / `meeting_decline`, the
 * upcoming meetings and the duties, each accepted by the official `adaptivecards` parser and under 28 KB,
 * in both languages.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { formCard } from '../../../../src/adapters/teams/forms.ts';
import { formSpec } from '../../../../src/interaction/form-specs.ts';
import type { FormRequest } from '../../../../src/interaction/intent.ts';
import { renderCard } from '../../../../src/adapters/teams/render.ts';
import type { Directory } from '../../../../src/directory/model.ts';
import { deriveDuties, newMeeting, trackDuties, type Invitation, type Meeting } from '../../../../src/domain/meetings/index.ts';
import { t } from '../../../../src/i18n/index.ts';
import { delegationCurrent } from '../../../../src/interaction/meeting-forms.ts';
import { invitationCard } from '../../../../src/messages/meeting-invitation.ts';
import { dutiesMessage, upcomingMeetingsMessage } from '../../../../src/messages/meeting-lists.ts';
import { cardProblems, cardTexts, executeActions, inputIds } from '../../../helpers/adaptive-cards.ts';
import { exampleDirectory } from '../../../helpers/engine.ts';

/** The form card as the Teams adapter shows it (present.ts), first or again with what was typed and the errors. */
const meetingFormCard = (request: FormRequest, l: 'es' | 'en', data?: Record<string, string>, errors?: Record<string, string>) =>
  formCard(formSpec(request, { locale: l, timezone: 'America/Costa_Rica' }), data ? { data, errors: errors ?? {} } : undefined);

let directory: Directory;
let meeting: Meeting;
const invitation = (over: Partial<Invitation> = {}): Invitation => ({
  meetingId: meeting.id,
  segment: 'plenary',
  personId: 'luis.mora@example.org',
  email: 'luis.mora@example.org',
  name: 'Luis Mora',
  country: 'CR',
  basis: 'member_delegate' as Invitation['basis'],
  ...over,
});

beforeAll(async () => {
  directory = await exampleDirectory();
  const d = newMeeting({ id: 'm-1', reference: '', kind: 'vice_ministerial', title: 'XXXI Reunión Viceministerial', start: '2027-11-10', end: '2027-11-11', city: 'Ciudad de Panamá', now: '2026-12-01T15:00:00Z' }, directory);
  if (!d.ok) throw new Error(d.code);
  meeting = { ...d.meeting, reference: 'MTG-2027-001' };
});

describe.each(['es', 'en'] as const)('meeting cards in %s', (l) => {
  it('meeting_new: the inputs of the Slack modal, dates as Input.Date, the submit verb meeting_new', () => {
    const card = meetingFormCard({ form: 'meeting_new', origin: 'a:conversation' }, l);
    expect(cardProblems(card)).toEqual([]);
    expect(inputIds(card)).toEqual(['kind', 'start', 'end', 'city', 'country', 'title']);
    expect(JSON.stringify(card)).toContain('"type":"Input.Date","id":"start"');
    expect(executeActions(card)).toEqual([expect.objectContaining({ verb: 'meeting_new', data: expect.objectContaining({ origin: 'a:conversation' }) })]);
    expect(cardTexts(card)).toContain(t(l, 'meeting.form.heading'));
  });

  it('meeting_new again: what was typed kept, the error under its field', () => {
    const card = meetingFormCard({ form: 'meeting_new' }, l, { kind: 'grcm', start: '2027-06-16', end: '2027-06-15', city: 'Panamá' }, { end: t(l, 'meeting.form.refusal.end_before_start') });
    expect(cardProblems(card)).toEqual([]);
    expect(cardTexts(card)).toContain(t(l, 'meeting.form.refusal.end_before_start'));
    expect(JSON.stringify(card)).toContain('"value":"2027-06-16"');
    expect(JSON.stringify(card)).toContain('"value":"grcm"');
  });

  it('meeting_delegation: one multi-select per segment (id = the segment), those already invited named, verb meeting_delegation', () => {
    const current = delegationCurrent(directory, meeting, 'CR', [invitation()], l);
    const card = meetingFormCard({ form: 'meeting_delegation', delegation: { meetingId: meeting.id, country: 'CR' }, current }, l);
    expect(cardProblems(card)).toEqual([]);
    expect(inputIds(card)).toEqual(['plenary', 'closed_door']);
    expect(JSON.stringify(card)).toContain('"isMultiSelect":true');
    expect(JSON.stringify(card)).toContain('Carolina Quesada Arias');
    expect(cardTexts(card).join(' ')).toContain('Luis Mora');
    expect(executeActions(card)).toEqual([expect.objectContaining({ verb: 'meeting_delegation', data: expect.objectContaining({ meeting: meeting.id, country: 'CR' }) })]);
  });

  it('the invitation: Action.Execute meeting_attend and meeting_decline naming the meeting and the segment; answered, the buttons stay', () => {
    const card = renderCard(invitationCard(directory, meeting, invitation(), l));
    expect(cardProblems(card)).toEqual([]);
    expect(executeActions(card).map((a) => [a.verb, a.data])).toEqual([
      ['meeting_attend', { m: meeting.id, s: 'plenary' }],
      ['meeting_decline', { m: meeting.id, s: 'plenary' }],
    ]);
    const answered = renderCard({ ...invitationCard(directory, meeting, invitation({ response: 'attend' }), l), recorded: { who: 'Luis Mora', what: t(l, 'meeting.response.recorded_attend'), when: '—' }, keepButtons: true });
    expect(cardProblems(answered)).toEqual([]);
    expect(cardTexts(answered).join(' ')).toContain(t(l, 'meeting.response.recorded_attend'));
    expect(executeActions(answered).map((a) => a.verb)).toEqual(['meeting_attend', 'meeting_decline']);
  });

  it('the upcoming meetings (with the delegation button) and the duties (a table)', () => {
    const list = renderCard(upcomingMeetingsMessage(directory, [{ meeting, invitations: [invitation()] }], { personId: 'luis.mora@example.org', locale: l, delegationOf: 'CR' }));
    expect(cardProblems(list)).toEqual([]);
    expect(executeActions(list).map((a) => a.verb)).toEqual(['meeting_delegation_open']);
    const duties = trackDuties(deriveDuties({ meetings: [meeting], invitations: [], directory }), new Set(), '2026-12-01');
    const table = renderCard(dutiesMessage(directory, duties, [meeting], l));
    expect(cardProblems(table)).toEqual([]);
    expect(JSON.stringify(table)).toContain('"type":"Table"');
    expect(cardTexts(table)).toContain(t(l, 'duty.list.heading'));
  });
});
