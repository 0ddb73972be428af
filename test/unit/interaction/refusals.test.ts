/** Refusals in words and on fields (src/interaction/refusals.ts), the same for every platform. */
import { describe, expect, it } from 'vitest';
import { refusalMessage, t } from '../../../src/i18n/index.ts';
import { notInDirectoryText, refusalField, refusalText } from '../../../src/interaction/refusals.ts';

describe('refusalField', () => {
  it.each([
    ['consultation_new', 'title_too_long', undefined, undefined, 'title'],
    ['consultation_new', 'invalid_calendar_policy', undefined, undefined, 'rule'],
    ['consultation_new', 'text_required', { field: 'translation' }, undefined, 'proposal_translation'],
    ['revise', 'title_too_long', { field: 'translation' }, undefined, 'title_translation'],
    ['revise', 'text_unchanged', undefined, undefined, 'proposal'],
    ['extend', 'deadline_not_later', undefined, 'days', 'days'],
    ['extend', 'invalid_days', undefined, 'deadline', 'deadline'],
    ['extend', 'justification_required', undefined, 'days', 'justification'],
    ['reason', 'reason_too_long', undefined, undefined, 'reason'],
    ['withdraw', 'wrong_stage', undefined, undefined, undefined],
    ['reason', 'text_required', { field: 'translation' }, undefined, undefined],
  ] as const)('%s: %s (%j, filled %s) → %s', (form, code, detail, deadlineField, expected) => {
    expect(refusalField(form, { code, ...(detail ? { detail } : {}) }, deadlineField)).toBe(expected);
  });
});

describe('refusalText', () => {
  it('says who may manage, when managing is what was refused', () => {
    expect(refusalText('en', 'not_authorized', undefined, true)).toBe(t('en', 'slack.manage_only'));
    expect(refusalText('en', 'not_authorized')).toBe(refusalMessage('en', 'not_authorized'));
  });

  it('names the consultation that superseded one already resent', () => {
    expect(refusalText('es', 'already_exists', { reference: 'CRM-2026-009', supersedes: 'CRM-2026-004' })).toBe(
      t('es', 'resend.already_resent', { reference: 'CRM-2026-004', by: 'CRM-2026-009' }),
    );
  });

  it('someone not in the directory is told in both languages, Spanish first', () => {
    const text = notInDirectoryText();
    expect(text.indexOf(t('es', 'refusal.not_in_directory'))).toBe(0);
    expect(text).toContain(t('en', 'refusal.not_in_directory'));
  });
});
