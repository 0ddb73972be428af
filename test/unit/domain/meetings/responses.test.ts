/** An invitee's answer to the invitation card: table of who may answer what, and when. */
import { describe, expect, it } from 'vitest';
import { decideResponse, type Invitation } from '../../../../src/domain/meetings/index.ts';
import { meeting, P } from './fixtures.ts';

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
