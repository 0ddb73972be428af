/**
 * Eligibility per segment, as a table: every kind of meeting, every segment, every kind of person, with
 * the rule that admits them or the reason that refuses them (shared/domain.md "Kinds of meeting and their
 * segments"). Then the rules that depend on other invitations: the closed-door limit, one Vice-Minister,
 * special invitees one event at a time, no invitation twice.
 */
import { describe, expect, it } from 'vitest';
import { decideDelegation, decideInvitation, delegationOf, type EligibilityContext } from '../../../../src/domain/meetings/eligibility.ts';
import type { Invitation, Meeting, MeetingKind, Segment } from '../../../../src/domain/meetings/types.ts';
import { DIRECTORY, P, meeting } from './fixtures.ts';

const TODAY = '2026-06-01';

function ctx(m: Meeting, invitations: Invitation[] = [], extra: Partial<EligibilityContext> = {}): EligibilityContext {
  return { directory: DIRECTORY, meeting: m, invitations, today: TODAY, ...extra };
}

const MEETINGS: Record<MeetingKind, Meeting> = {
  vice_ministerial: meeting('vice_ministerial', '2026-11-17', '2026-11-18'),
  grcm: meeting('grcm', '2026-11-12', '2026-11-13'),
  network_trafficking: meeting('network_trafficking', '2026-11-11'),
  network_consular: meeting('network_consular', '2026-11-11'),
  networks_joint: meeting('networks_joint', '2026-11-11'),
  ad_hoc: meeting('ad_hoc', '2026-09-01', '2026-09-01', { members: ['CA', 'CR', 'SV', 'US', 'GT', 'MX', 'PA', 'DO'] }),
  workshop: meeting('workshop', '2026-08-10', '2026-08-11'),
};

type Row = [kind: MeetingKind, segment: Segment, who: keyof typeof P, expected: string];

const rows: Row[] = [
  // Vice-Ministerial plenary: members first, observers, RROCM dialogue, the PPT's invitees, the ST.
  ['vice_ministerial', 'plenary', 'vmGT', 'member_delegation'],
  ['vice_ministerial', 'plenary', 'fpGT', 'member_delegation'],
  ['vice_ministerial', 'plenary', 'obsCO', 'observer_country'],
  ['vice_ministerial', 'plenary', 'obsJM', 'observer_country'],
  ['vice_ministerial', 'plenary', 'oim', 'observer_organization'],
  ['vice_ministerial', 'plenary', 'rrocm', 'civil_society'],
  ['vice_ministerial', 'plenary', 'invA', 'special_invitee'],
  ['vice_ministerial', 'plenary', 'staff', 'secretariat'],
  ['vice_ministerial', 'plenary', 'stranger', 'not_in_directory'],
  // Closed door: Vice-Minister and at most two senior officials; nobody else.
  ['vice_ministerial', 'closed_door', 'vmGT', 'vice_minister'],
  ['vice_ministerial', 'closed_door', 'soGT', 'senior_official'],
  ['vice_ministerial', 'closed_door', 'ltGT', 'closed_door_role_required'],
  ['vice_ministerial', 'closed_door', 'fpGT', 'closed_door_role_required'],
  ['vice_ministerial', 'closed_door', 'obsCO', 'closed_door_members_only'],
  ['vice_ministerial', 'closed_door', 'oim', 'closed_door_members_only'],
  ['vice_ministerial', 'closed_door', 'rrocm', 'closed_door_members_only'],
  ['vice_ministerial', 'closed_door', 'invA', 'closed_door_members_only'],
  ['vice_ministerial', 'closed_door', 'staff', 'closed_door_members_only'],
  ['vice_ministerial', 'closed_door', 'coordinator', 'coordinator_not_requested'],
  ['vice_ministerial', 'main', 'vmGT', 'segment_not_in_meeting'],
  ['vice_ministerial', 'deliberation', 'ltGT', 'segment_not_in_meeting'],
  // GRCM: directors and consular heads, the networks' liaison officers; observers, RROCM, invitees, ST.
  ['grcm', 'main', 'soGT', 'grcm_delegate'],
  ['grcm', 'main', 'fpMX', 'grcm_delegate'],
  ['grcm', 'main', 'ltGT', 'liaison_officer'],
  ['grcm', 'main', 'vmGT', 'grcm_role_required'],
  ['grcm', 'main', 'fp2MX', 'grcm_role_required'],
  ['grcm', 'main', 'obsCO', 'observer_country'],
  ['grcm', 'main', 'oim', 'observer_organization'],
  ['grcm', 'main', 'rrocm', 'civil_society'],
  ['grcm', 'main', 'invB', 'special_invitee'],
  ['grcm', 'main', 'coordinator', 'secretariat'],
  ['grcm', 'plenary', 'soGT', 'segment_not_in_meeting'],
  // Trafficking network: its liaison officers only, no hearing segment.
  ['network_trafficking', 'deliberation', 'ltGT', 'liaison_officer'],
  ['network_trafficking', 'deliberation', 'bothSV', 'liaison_officer'],
  ['network_trafficking', 'deliberation', 'lcGT', 'network_liaison_only'],
  ['network_trafficking', 'deliberation', 'vmGT', 'network_liaison_only'],
  ['network_trafficking', 'deliberation', 'obsCO', 'network_liaison_only'],
  ['network_trafficking', 'deliberation', 'oim', 'network_liaison_only'],
  ['network_trafficking', 'deliberation', 'rrocm', 'network_liaison_only'],
  ['network_trafficking', 'deliberation', 'staff', 'network_liaison_only'],
  ['network_trafficking', 'hearing', 'rrocm', 'segment_not_in_meeting'],
  // Consular network: deliberation for its officers; RROCM only in the separate hearing.
  ['network_consular', 'deliberation', 'lcGT', 'liaison_officer'],
  ['network_consular', 'deliberation', 'ltGT', 'network_liaison_only'],
  ['network_consular', 'deliberation', 'rrocm', 'network_liaison_only'],
  ['network_consular', 'hearing', 'rrocm', 'civil_society'],
  ['network_consular', 'hearing', 'lcGT', 'liaison_officer'],
  ['network_consular', 'hearing', 'ltGT', 'hearing_civil_society_only'],
  ['network_consular', 'hearing', 'oim', 'hearing_civil_society_only'],
  ['network_consular', 'hearing', 'obsCO', 'hearing_civil_society_only'],
  ['network_consular', 'hearing', 'invA', 'hearing_civil_society_only'],
  // Joint networks: either network's officers.
  ['networks_joint', 'deliberation', 'ltGT', 'liaison_officer'],
  ['networks_joint', 'deliberation', 'lcGT', 'liaison_officer'],
  ['networks_joint', 'deliberation', 'soGT', 'network_liaison_only'],
  ['networks_joint', 'hearing', 'rrocm', 'civil_society'],
  // Ad-hoc group (the extra-continental flows group: CA CR SV US GT MX PA DO).
  ['ad_hoc', 'main', 'vmGT', 'ad_hoc_member'],
  ['ad_hoc', 'main', 'fpMX', 'ad_hoc_member'],
  ['ad_hoc', 'main', 'staff', 'secretariat'],
  ['ad_hoc', 'main', 'rrocm', 'not_in_ad_hoc_group'],
  ['ad_hoc', 'main', 'obsCO', 'not_in_ad_hoc_group'],
  // Workshops: as invited by the PPT, civil society included.
  ['workshop', 'main', 'fp2MX', 'member_delegation'],
  ['workshop', 'main', 'rrocm', 'civil_society'],
  ['workshop', 'main', 'oim', 'observer_organization'],
  ['workshop', 'main', 'obsJM', 'observer_country'],
  ['workshop', 'main', 'invA', 'special_invitee'],
  ['workshop', 'main', 'stranger', 'not_in_directory'],
];

describe('eligibility: every kind, segment and person, with its rule or its reason', () => {
  it.each(rows)('%s %s: %s → %s', (kind, segment, who, expected) => {
    const d = decideInvitation(ctx(MEETINGS[kind]), { email: P[who], segment });
    expect(d.ok ? d.invitation.basis : d.code).toBe(expected);
  });

  it('the coordinator takes part in the closed-door session only as adviser, when the PPT asks', () => {
    const d = decideInvitation(ctx(MEETINGS.vice_ministerial), { email: P.coordinator, segment: 'closed_door', adviser: true });
    expect(d).toMatchObject({ ok: true, invitation: { basis: 'coordinator_adviser', personId: P.coordinator } });
    // "As adviser" opens nothing else: staff who are not the coordinator stay out.
    expect(decideInvitation(ctx(MEETINGS.vice_ministerial), { email: P.staff, segment: 'closed_door', adviser: true })).toMatchObject({
      ok: false,
      code: 'closed_door_members_only',
    });
  });

  it('an ad-hoc group without a membership list is the Member Countries', () => {
    const m = meeting('ad_hoc', '2026-09-02');
    expect(decideInvitation(ctx(m), { email: P.vmGT, segment: 'main' })).toMatchObject({ ok: true });
    expect(decideInvitation(ctx(m), { email: P.obsCO, segment: 'main' })).toMatchObject({ ok: false, code: 'not_in_ad_hoc_group' });
    const rrocmGroup = meeting('ad_hoc', '2026-09-03', '2026-09-03', { members: ['RROCM', 'GT'] });
    expect(decideInvitation(ctx(rrocmGroup), { email: P.rrocm, segment: 'main' })).toMatchObject({ ok: true, invitation: { basis: 'ad_hoc_member' } });
    expect(decideInvitation(ctx(rrocmGroup), { email: P.vmMX, segment: 'main' })).toMatchObject({ ok: false, code: 'not_in_ad_hoc_group' });
  });

  it('the invitation names the person, their country or organisation, and the rule', () => {
    expect(decideInvitation(ctx(MEETINGS.grcm), { email: 'Juan.Ruiz@Example.org', segment: 'main' })).toEqual({
      ok: true,
      invitation: {
        meetingId: MEETINGS.grcm.id,
        segment: 'main',
        personId: P.soGT,
        email: 'juan.ruiz@example.org',
        name: 'Juan Ruiz Cifuentes',
        country: 'GT',
        basis: 'grcm_delegate',
      },
    });
    const rrocm = decideInvitation(ctx(MEETINGS.network_consular), { email: P.rrocm, segment: 'hearing' });
    expect(rrocm).toMatchObject({ ok: true, invitation: { organization: 'RROCM' } });
    expect(rrocm.ok && 'country' in rrocm.invitation).toBe(false);
  });
});

/** Invites in order and returns the invitations recorded (refusals record nothing). */
function inviteAll(m: Meeting, requests: [string, Segment][], extra: Partial<EligibilityContext> = {}) {
  const recorded: Invitation[] = [];
  const codes: string[] = [];
  for (const [email, segment] of requests) {
    const d = decideInvitation(ctx(m, recorded, extra), { email, segment });
    if (d.ok) {
      recorded.push(d.invitation);
      codes.push(d.invitation.basis);
    } else codes.push(d.code);
  }
  return { recorded, codes };
}

describe('the closed-door limit: a Vice-Minister and at most two senior officials per country', () => {
  const vm = MEETINGS.vice_ministerial;

  it('a third senior official is refused, with the country and the limit', () => {
    const { codes } = inviteAll(vm, [
      [P.vmMX, 'closed_door'],
      [P.so1MX, 'closed_door'],
      [P.so2MX, 'closed_door'],
    ]);
    expect(codes).toEqual(['vice_minister', 'senior_official', 'senior_official']);
    const { recorded } = inviteAll(vm, [
      [P.so1MX, 'closed_door'],
      [P.so2MX, 'closed_door'],
    ]);
    // A third senior official: GT's counts for GT, not for MX; MX's is refused.
    const extra = decideInvitation(ctx(vm, [...recorded]), { email: P.soGT, segment: 'closed_door' });
    expect(extra).toMatchObject({ ok: true, invitation: { basis: 'senior_official', country: 'GT' } });
    expect(decideInvitation(ctx(vm, recorded), { email: P.so3MX, segment: 'closed_door' })).toEqual({
      ok: false,
      code: 'closed_door_delegation_full',
      detail: { country: 'MX', max: 2 },
    });
  });

  it('one Vice-Minister per country; a Vice-Minister who is also a senior official fills a senior seat', () => {
    const mx = DIRECTORY.countries.find((c) => c.code === 'MX')!;
    const deputy = { ...mx.people![0]!, id: 'deputy@example.org', email: 'deputy@example.org', name: 'Deputy', roles: ['vice_minister' as const] };
    const both = { ...deputy, id: 'both@example.org', email: 'both@example.org', name: 'Both', roles: ['vice_minister' as const, 'senior_official' as const] };
    const dir = { ...DIRECTORY, countries: DIRECTORY.countries.map((c) => (c.code === 'MX' ? { ...c, people: [...c.people!, deputy, both] } : c)) };
    const first = decideInvitation({ ...ctx(vm), directory: dir }, { email: P.vmMX, segment: 'closed_door' });
    if (!first.ok) throw new Error(first.code);
    expect(decideInvitation({ ...ctx(vm, [first.invitation]), directory: dir }, { email: 'deputy@example.org', segment: 'closed_door' })).toEqual({
      ok: false,
      code: 'closed_door_vice_minister_present',
      detail: { country: 'MX', name: 'Patricia Garza Leal' },
    });
    expect(decideInvitation({ ...ctx(vm, [first.invitation]), directory: dir }, { email: 'both@example.org', segment: 'closed_door' })).toMatchObject({
      ok: true,
      invitation: { basis: 'senior_official' },
    });
  });

  it('the plenary has no such limit, and the same person may sit in both segments', () => {
    const { codes } = inviteAll(vm, [
      [P.vmMX, 'plenary'],
      [P.so1MX, 'plenary'],
      [P.so2MX, 'plenary'],
      [P.gdMX, 'plenary'],
      [P.fpMX, 'plenary'],
      [P.vmMX, 'closed_door'],
    ]);
    expect(codes).toEqual(['member_delegation', 'member_delegation', 'member_delegation', 'member_delegation', 'member_delegation', 'vice_minister']);
  });

  it('nobody is invited twice to the same segment', () => {
    expect(inviteAll(vm, [[P.vmGT, 'plenary'], [P.vmGT, 'plenary']]).codes).toEqual(['member_delegation', 'already_invited']);
  });
});

describe('special invitees: one event at a time', () => {
  const a = MEETINGS.workshop; // ends 2026-08-11
  const b = MEETINGS.vice_ministerial;

  it('an invitee invited to another meeting that has not ended is refused, naming it', () => {
    const engagements = [{ reference: a.reference, end: a.end, organization: 'FUND-A' }];
    expect(decideInvitation(ctx(b, [], { inviteeEngagements: engagements }), { email: P.invA, segment: 'plenary' })).toEqual({
      ok: false,
      code: 'invitee_other_event',
      detail: { reference: a.reference },
    });
    // Another invitee is not concerned; the same meeting is not "another event".
    expect(decideInvitation(ctx(b, [], { inviteeEngagements: engagements }), { email: P.invB, segment: 'plenary' })).toMatchObject({ ok: true });
    expect(decideInvitation(ctx(a, [], { inviteeEngagements: engagements }), { email: P.invA, segment: 'main' })).toMatchObject({ ok: true });
  });

  it('once the other event is over, the invitee may be invited again', () => {
    const engagements = [{ reference: a.reference, end: a.end, organization: 'FUND-A' }];
    expect(decideInvitation(ctx(b, [], { inviteeEngagements: engagements, today: '2026-08-12' }), { email: P.invA, segment: 'plenary' })).toMatchObject({
      ok: true,
    });
    expect(decideInvitation(ctx(b, [], { inviteeEngagements: engagements, today: '2026-08-11' }), { email: P.invA, segment: 'plenary' })).toMatchObject({
      ok: false,
    });
  });
});

describe('a Member Country\'s delegation at once', () => {
  const vm = MEETINGS.vice_ministerial;

  it('all or nothing, counted together against the closed-door limit', () => {
    const ok = decideDelegation(ctx(vm), 'MX', [
      { email: P.vmMX, segment: 'closed_door' },
      { email: P.so1MX, segment: 'closed_door' },
      { email: P.so2MX, segment: 'closed_door' },
      { email: P.gdMX, segment: 'plenary' },
    ]);
    expect(ok.ok).toBe(true);
    if (!ok.ok) return;
    expect(Object.fromEntries(Object.entries(delegationOf(ok.invitations, 'MX')).map(([s, l]) => [s, l!.map((i) => i.basis)]))).toEqual({
      closed_door: ['vice_minister', 'senior_official', 'senior_official'],
      plenary: ['member_delegation'],
    });
    const bad = decideDelegation(ctx(vm), 'MX', [
      { email: P.vmMX, segment: 'closed_door' },
      { email: P.gdMX, segment: 'closed_door' },
      { email: P.vmGT, segment: 'plenary' },
    ]);
    expect(bad).toEqual({
      ok: false,
      refusals: [
        { email: P.gdMX, segment: 'closed_door', code: 'closed_door_role_required' },
        { email: P.vmGT, segment: 'plenary', code: 'other_country', detail: { country: 'MX' } },
      ],
    });
  });
});
