/** Duties derived from the meetings and the coordinator's contract: who owes what, when; their state. */
import { describe, expect, it } from 'vitest';
import { decideDutyDone, deriveDuties, missingAgendaItems, trackDuties } from '../../../../src/domain/meetings/duties.ts';
import type { Invitation } from '../../../../src/domain/meetings/types.ts';
import { DIRECTORY, meeting } from './fixtures.ts';

const OBSERVER_OWNERS = ['AR', 'CO', 'EC', 'JM', 'PE', 'ACNUR', 'CEPAL-CELADE', 'CIDH', 'OIM', 'ACNUDH', 'SEGIB', 'SICA', 'UNFPA', 'CICR', 'UNICEF', 'OIT', 'RROCM'];
const NO_COORDINATOR = { ...DIRECTORY, secretariat: { ...DIRECTORY.secretariat, staff: DIRECTORY.secretariat.staff.map(({ contract: _c, ...s }) => s) } };

describe('deriveDuties', () => {
  it('a GRCM: the ST\'s operational and financial report 40 days before, the PPT\'s summary on its last day', () => {
    const g = meeting('grcm', '2026-06-10', '2026-06-11');
    expect(deriveDuties({ meetings: [g], invitations: [], directory: NO_COORDINATOR })).toEqual([
      { id: `${g.reference}/st_operational_financial_report/ST`, duty: 'st_operational_financial_report', meeting: g.reference, owner: 'ST', due: '2026-05-01' },
      { id: `${g.reference}/meeting_summary/PPT`, duty: 'meeting_summary', meeting: g.reference, owner: 'PPT', pptCountry: 'MX', due: '2026-06-11' },
    ]);
  });

  it('a Vice-Ministerial: budget report, every observer\'s and RROCM\'s report, draft Declaration, agenda, summary, evaluation', () => {
    const vm = meeting('vice_ministerial', '2026-11-17', '2026-11-18');
    const duties = deriveDuties({ meetings: [vm], invitations: [], directory: NO_COORDINATOR });
    const row = (d: (typeof duties)[number]) => `${d.due} ${d.duty} ${d.owner}${d.pptCountry ? `(${d.pptCountry})` : ''}`;
    expect(duties.map(row)).toEqual([
      '2026-10-18 draft_declaration_action_plan PPT(MX)',
      '2026-11-02 st_budget_report ST',
      ...[...OBSERVER_OWNERS].sort().map((o) => `2026-11-02 observer_reports ${o}`),
      '2026-11-02 plenary_agenda PPT(MX)',
      '2026-11-18 meeting_summary PPT(MX)',
      '2026-11-18 coordinator_evaluation PPT(MX)',
    ]);
  });

  it('special invitees invited to a Vice-Ministerial owe a report too; invited elsewhere, they do not', () => {
    const vm = meeting('vice_ministerial', '2026-11-17', '2026-11-18');
    const w = meeting('workshop', '2026-08-10');
    const inv = (meetingId: string, organization: string): Invitation => ({
      meetingId, segment: 'plenary', personId: 'x@example.org', email: 'x@example.org', name: 'X', organization, basis: 'special_invitee',
    });
    const owners = deriveDuties({ meetings: [vm, w], invitations: [inv(vm.id, 'FUND-A'), inv(w.id, 'UNI-B')], directory: NO_COORDINATOR })
      .filter((d) => d.duty === 'observer_reports')
      .map((d) => d.owner);
    expect(owners).toContain('FUND-A');
    expect(owners).not.toContain('UNI-B');
  });

  it('networks, ad-hoc groups and workshops owe nothing', () => {
    const ms = [meeting('network_consular', '2026-06-09'), meeting('ad_hoc', '2026-06-01'), meeting('workshop', '2026-06-02')];
    expect(deriveDuties({ meetings: ms, invitations: [], directory: NO_COORDINATOR })).toEqual([]);
  });

  it('the vacancy notice at the start of the last year of the three-year maximum, owed by the PPT then', () => {
    expect(deriveDuties({ meetings: [], invitations: [], directory: DIRECTORY })).toEqual([
      { id: 'coordinator/2025-03-01/coordinator_vacancy_notice/PPT', duty: 'coordinator_vacancy_notice', owner: 'PPT', pptCountry: 'PA', due: '2027-03-01' },
    ]);
    const leap = {
      ...DIRECTORY,
      secretariat: { ...DIRECTORY.secretariat, staff: [{ ...DIRECTORY.secretariat.staff[0]!, contract: { from: '2024-02-29', extensions: 0 } }] },
    };
    expect(deriveDuties({ meetings: [], invitations: [], directory: leap })[0]?.due).toBe('2026-02-28');
  });

  it('lead times are a policy', () => {
    const vm = meeting('vice_ministerial', '2026-11-17', '2026-11-18');
    const d = deriveDuties({ meetings: [vm], invitations: [], directory: NO_COORDINATOR, policy: { draftDeclarationDaysBefore: 45, observerReportsDaysBefore: 20 } });
    expect(d.find((x) => x.duty === 'draft_declaration_action_plan')?.due).toBe('2026-10-03');
    expect(d.find((x) => x.duty === 'observer_reports')?.due).toBe('2026-10-28');
  });
});

describe('state and completion', () => {
  const g = meeting('grcm', '2026-06-10', '2026-06-11');
  const duties = deriveDuties({ meetings: [g], invitations: [], directory: NO_COORDINATOR });

  it.each<[string, boolean, string]>([
    ['2026-04-30', false, 'open'],
    ['2026-05-01', false, 'open'],
    ['2026-05-02', false, 'late'],
    ['2026-05-02', true, 'done'],
    ['2026-04-01', true, 'done'],
  ])('on %s, done=%s → %s', (today, done, state) => {
    const t = trackDuties(duties, new Set(done ? [duties[0]!.id] : []), today);
    expect(t[0]!.state).toBe(state);
  });

  it('the plenary agenda is done only once it holds the PPT\'s report, the opening statements and the RROCM dialogue', () => {
    const vm = meeting('vice_ministerial', '2026-11-17', '2026-11-18');
    const agenda = deriveDuties({ meetings: [vm], invitations: [], directory: NO_COORDINATOR }).find((d) => d.duty === 'plenary_agenda')!;
    expect(decideDutyDone(agenda, new Set(), vm)).toEqual({
      ok: false,
      code: 'agenda_incomplete',
      detail: { missing: 'ppt_report, opening_statements, civil_society_dialogue' },
    });
    const partial = { ...vm, agenda: ['opening_statements', 'migration and climate'] };
    expect(missingAgendaItems(partial.agenda)).toEqual(['ppt_report', 'civil_society_dialogue']);
    const full = { ...vm, agenda: ['ppt_report', 'opening_statements', 'civil_society_dialogue', 'panel'] };
    expect(decideDutyDone(agenda, new Set(), full)).toEqual({ ok: true });
    expect(decideDutyDone(agenda, new Set([agenda.id]), full)).toEqual({ ok: false, code: 'already_done' });
    expect(decideDutyDone(undefined, new Set(), full)).toEqual({ ok: false, code: 'unknown_duty' });
  });
});
