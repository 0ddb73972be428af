/** An invitee's answer to the invitation card: table of who may answer what, and when. */
import { describe, expect, it } from 'vitest';
import { decideInvitation, decideResponse, type Invitation } from '../../../../src/domain/meetings/index.ts';
import { DIRECTORY, meeting, P } from './fixtures.ts';

const vm = meeting('vice_ministerial', '2027-11-10', '2027-11-11');
const inv = (personId: string, over: Partial<Invitation> = {}): Invitation => ({
  meetingId: vm.id,
  segment: 'plenary',
  personId,
  email: personId,
  name: personId,
  country: 'GT',
  basis: 'member_delegation',
  ...over,
});
const AT = '2027-10-01T15:00:00.000Z';

describe('decideResponse', () => {
  const invitations = [inv(P.vmGT), inv(P.soGT, { response: 'attend', respondedAt: '2027-09-01T00:00:00.000Z' })];
  it.each([
    ['first answer: attend', P.vmGT, 'plenary', 'attend', '2027-10-01', { ok: true }],
    ['first answer: decline', P.vmGT, 'plenary', 'decline', '2027-10-01', { ok: true }],
    ['e-mail in any case', P.vmGT.toUpperCase(), 'plenary', 'attend', '2027-10-01', { ok: true }],
    ['a change of mind', P.soGT, 'plenary', 'decline', '2027-10-01', { ok: true, previous: 'attend' }],
    ['the same answer twice', P.soGT, 'plenary', 'attend', '2027-10-01', { ok: false, code: 'already_recorded' }],
    ['another segment', P.vmGT, 'closed_door', 'attend', '2027-10-01', { ok: false, code: 'not_invited' }],
    ['someone not invited', P.lcGT, 'plenary', 'attend', '2027-10-01', { ok: false, code: 'not_invited' }],
    ['on the last day', P.vmGT, 'plenary', 'decline', '2027-11-11', { ok: true }],
    ['after the meeting', P.vmGT, 'plenary', 'attend', '2027-11-12', { ok: false, code: 'meeting_over' }],
  ] as const)('%s', (_name, personId, segment, response, today, expected) => {
    const d = decideResponse(vm, invitations, { personId, segment, response, at: AT }, today);
    expect(d).toMatchObject(expected);
    if (d.ok) expect(d.invitation).toMatchObject({ personId: personId.toLowerCase(), segment, response, respondedAt: AT });
  });

  it('an unknown meeting', () => {
    expect(decideResponse(undefined, [], { personId: P.vmGT, segment: 'plenary', response: 'attend', at: AT }, '2027-10-01')).toEqual({ ok: false, code: 'meeting_not_found' });
  });
});

describe('a declined closed-door seat', () => {
  const vmMeeting = meeting('vice_ministerial', '2027-11-10', '2027-11-11', { country: 'MX' });
  const ctxWith = (invitations: Invitation[]) => ({ directory: DIRECTORY, meeting: vmMeeting, invitations, today: '2027-10-01' });
  const seat = (personId: string, basis: Invitation['basis'], over: Partial<Invitation> = {}): Invitation =>
    ({ meetingId: vmMeeting.id, segment: 'closed_door', personId, email: personId, name: personId, country: 'MX', basis, ...over }) as Invitation;
  const full = [seat(P.vmMX, 'vice_minister'), seat(P.so1MX, 'senior_official'), seat(P.so2MX, 'senior_official', { response: 'decline' })];

  it('is free for the country to give to someone else', () => {
    expect(decideInvitation(ctxWith(full.slice(0, 2).concat([seat(P.so2MX, 'senior_official')])), { email: P.so3MX, segment: 'closed_door' })).toMatchObject({
      ok: false,
      code: 'closed_door_delegation_full',
    });
    expect(decideInvitation(ctxWith(full), { email: P.so3MX, segment: 'closed_door' })).toMatchObject({ ok: true, invitation: { basis: 'senior_official' } });
  });

  it('cannot be taken back once given to someone else; it can while still free', () => {
    const given = [...full, seat(P.so3MX, 'senior_official')];
    expect(decideResponse(vmMeeting, given, { personId: P.so2MX, segment: 'closed_door', response: 'attend', at: AT }, '2027-10-01')).toMatchObject({
      ok: false,
      code: 'closed_door_seat_taken',
    });
    expect(decideResponse(vmMeeting, full, { personId: P.so2MX, segment: 'closed_door', response: 'attend', at: AT }, '2027-10-01')).toMatchObject({
      ok: true,
      previous: 'decline',
    });
    // A Vice-Minister who declined, replaced by another Vice-Minister.
    const vms = [seat(P.vmMX, 'vice_minister', { response: 'decline' }), seat(P.vm2MX, 'vice_minister')];
    expect(decideResponse(vmMeeting, vms, { personId: P.vmMX, segment: 'closed_door', response: 'attend', at: AT }, '2027-10-01')).toMatchObject({
      ok: false,
      code: 'closed_door_seat_taken',
    });
  });
});
