/** Observer applications: request via the ST → presented at the next GRCM → decided at the next Vice-Ministerial. */
import { describe, expect, it } from 'vitest';
import { decideApplication, nextStep, openApplication, type ObserverApplication } from '../../../../src/domain/meetings/observer-applications.ts';
import { DIRECTORY, meeting } from './fixtures.ts';

const oit = { kind: 'organization' as const, code: 'OIT', name: 'OIT' };
const grcmJune = meeting('grcm', '2027-06-08', '2027-06-09');
const vmNov = meeting('vice_ministerial', '2027-11-16', '2027-11-17');
const grcmOld = meeting('grcm', '2026-06-10', '2026-06-11');

function opened(): ObserverApplication {
  // OIT is listed as an observer in the example (it applied); a fresh applicant here is the ILO's twin.
  const r = openApplication(DIRECTORY, { id: 'a1', applicant: { ...oit, code: 'OIT-2' }, receivedOn: '2027-02-01' });
  if (!r.ok) throw new Error(r.code);
  return r.application;
}

describe('observer applications', () => {
  it('members and observers cannot apply (no new Member Countries, §8)', () => {
    expect(openApplication(DIRECTORY, { id: 'x', applicant: { kind: 'country', code: 'GT', name: 'Guatemala' }, receivedOn: '2027-01-01' })).toEqual({
      ok: false,
      code: 'already_member',
    });
    expect(openApplication(DIRECTORY, { id: 'x', applicant: { kind: 'country', code: 'CO', name: 'Colombia' }, receivedOn: '2027-01-01' })).toEqual({
      ok: false,
      code: 'already_observer',
    });
    expect(openApplication(DIRECTORY, { id: 'x', applicant: { kind: 'organization', code: 'oim', name: 'IOM' }, receivedOn: '2027-01-01' })).toEqual({
      ok: false,
      code: 'already_observer',
    });
    expect(openApplication(DIRECTORY, { id: 'x', applicant: { kind: 'country', code: 'BR', name: 'Brasil' }, receivedOn: '2027-01-01' }).ok).toBe(true);
  });

  it('waits for the next GRCM, then the next Vice-Ministerial, and is late when that meeting passed without it', () => {
    const app = opened();
    expect(nextStep(app, [vmNov, grcmJune, grcmOld], '2027-03-01')).toEqual({ step: 'present_at_grcm', meeting: grcmJune.reference, due: '2027-06-09', late: false });
    expect(nextStep(app, [vmNov, grcmJune], '2027-06-10')).toMatchObject({ late: true });
    expect(nextStep(app, [], '2027-03-01')).toEqual({ step: 'present_at_grcm', late: false });
    const presented = decideApplication(app, { type: 'present', meeting: grcmJune });
    if (!presented.ok) throw new Error(presented.code);
    expect(presented.application).toMatchObject({ stage: 'presented', presentedAt: { meeting: grcmJune.reference, on: '2027-06-08' } });
    expect(nextStep(presented.application, [vmNov, grcmJune], '2027-07-01')).toEqual({
      step: 'decide_at_vice_ministerial',
      meeting: vmNov.reference,
      due: '2027-11-17',
      late: false,
    });
    const decided = decideApplication(presented.application, { type: 'decide', meeting: vmNov, outcome: 'admitted' });
    expect(decided).toMatchObject({ ok: true, application: { stage: 'admitted', decidedAt: { meeting: vmNov.reference } } });
    if (decided.ok) {
      expect(nextStep(decided.application, [vmNov], '2028-01-01')).toBeUndefined();
      expect(decideApplication(decided.application, { type: 'withdraw' })).toEqual({ ok: false, code: 'case_closed' });
    }
  });

  it.each<[string, () => ReturnType<typeof decideApplication>, string]>([
    ['presented at a Vice-Ministerial', () => decideApplication(opened(), { type: 'present', meeting: vmNov }), 'not_a_grcm'],
    ['presented at a GRCM before it was received', () => decideApplication(opened(), { type: 'present', meeting: grcmOld }), 'meeting_before_application'],
    ['decided before being presented', () => decideApplication(opened(), { type: 'decide', meeting: vmNov, outcome: 'rejected' }), 'not_presented'],
    ['decided at a GRCM', () => {
      const p = decideApplication(opened(), { type: 'present', meeting: grcmJune });
      return p.ok ? decideApplication(p.application, { type: 'decide', meeting: grcmJune, outcome: 'admitted' }) : p;
    }, 'not_a_vice_ministerial'],
    ['presented twice', () => {
      const p = decideApplication(opened(), { type: 'present', meeting: grcmJune });
      return p.ok ? decideApplication(p.application, { type: 'present', meeting: grcmJune }) : p;
    }, 'already_presented'],
  ])('refused: %s', (_name, run, code) => {
    expect(run()).toEqual({ ok: false, code });
  });
});
