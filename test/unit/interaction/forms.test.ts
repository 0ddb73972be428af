/** The forms' own checks on platform-neutral values (src/interaction/forms.ts): what every adapter hands over. */
import { describe, expect, it } from 'vitest';
import { t } from '../../../src/i18n/index.ts';
import { parseExtendForm, parseNewConsultationForm, parseReasonForm, parseReviseForm, parseWithdrawForm } from '../../../src/interaction/forms.ts';

const NOW = new Date('2026-12-01T15:00:00Z');
const good = { title: ' Declaración ', proposal: 'Texto.', days: '5', rule: 'explicit', visibility: 'at_close' };

describe('parseNewConsultationForm', () => {
  it('trims texts and takes the defaults for what was left out', () => {
    expect(parseNewConsultationForm({ title: ' Declaración ', proposal: ' Texto. ' }, NOW, 'es')).toEqual({
      ok: true,
      value: { title: 'Declaración', text: 'Texto.', days: 5, rule: 'explicit', locale: 'es', positionsVisibility: 'at_close' },
    });
  });

  it('an explicit deadline is an ISO instant (any zone); it needs a justification and must be in the future', () => {
    const at = '2026-12-10T17:00:00-06:00';
    expect(parseNewConsultationForm({ ...good, deadline: at, justification: 'Urgente.' }, NOW, 'en')).toMatchObject({
      ok: true,
      value: { deadlineAt: new Date('2026-12-10T23:00:00Z'), justification: 'Urgente.' },
    });
    expect(parseNewConsultationForm({ ...good, deadline: at }, NOW, 'en')).toEqual({ ok: false, errors: { justification: t('en', 'refusal.justification_required') } });
    expect(parseNewConsultationForm({ ...good, deadline: '2026-11-30T12:00:00Z', justification: 'x' }, NOW, 'es')).toEqual({
      ok: false,
      errors: { deadline: t('es', 'refusal.deadline_in_past') },
    });
  });

  it('a deadline that is not an instant is refused on its field (not a crash later)', () => {
    expect(parseNewConsultationForm({ ...good, deadline: 'next friday', justification: 'x' }, NOW, 'es')).toEqual({
      ok: false,
      errors: { deadline: t('es', 'refusal.invalid_deadline') },
    });
  });

  it.each([
    ['days', '0'],
    ['days', '61'],
    ['days', '2.5'],
    ['rule', 'majority'],
    ['rule', ''],
    ['visibility', 'secret'],
  ])('%s = %j is refused on that field', (field, value) => {
    const r = parseNewConsultationForm({ ...good, [field]: value, justification: 'x' }, NOW, 'es');
    expect(r.ok).toBe(false);
    expect(Object.keys(r.ok ? {} : r.errors)).toEqual([field]);
  });

  it('a translation needs both title and text, in the other language', () => {
    const one = parseNewConsultationForm({ ...good, title_translation: 'Statement' }, NOW, 'es');
    expect(one.ok ? [] : Object.keys(one.errors)).toEqual(['proposal_translation']);
    expect(parseNewConsultationForm({ ...good, title_translation: 'Statement', proposal_translation: 'Text.' }, NOW, 'es')).toMatchObject({
      ok: true,
      value: { locale: 'es', translation: { locale: 'en', title: 'Statement', text: 'Text.' } },
    });
  });
});

describe('the other forms', () => {
  it('a reason is required and at most 2000 characters', () => {
    expect(parseReasonForm({ reason: '  ' }, 'en')).toEqual({ ok: false, errors: { reason: t('en', 'refusal.reason_required') } });
    expect(parseReasonForm({ reason: 'x'.repeat(2001) }, 'es').ok).toBe(false);
    expect(parseReasonForm({ reason: ' Falta el párrafo 3. ' }, 'es')).toEqual({ ok: true, value: 'Falta el párrafo 3.' });
  });

  it('revise keeps the original language the form showed; the translation is in the other one', () => {
    expect(parseReviseForm({ proposal: 'New text.', proposal_translation: 'Texto nuevo.', title_translation: 'Título' }, 'es', 'en')).toEqual({
      ok: true,
      value: { text: 'New text.', locale: 'en', translation: { locale: 'es', title: 'Título', text: 'Texto nuevo.' } },
    });
    expect(parseReviseForm({ proposal: '' }, 'es')).toEqual({ ok: false, errors: { proposal: t('es', 'refusal.text_required') } });
  });

  it('extend: days or a deadline, not both, and a justification', () => {
    expect(parseExtendForm({ days: '3', justification: 'Feriados.' }, NOW, 'es')).toEqual({ ok: true, value: { days: 3, justification: 'Feriados.' } });
    expect(parseExtendForm({ deadline: '2026-12-20T12:00:00Z', justification: 'Feriados.' }, NOW, 'es')).toEqual({
      ok: true,
      value: { deadlineAt: new Date('2026-12-20T12:00:00Z'), justification: 'Feriados.' },
    });
    expect(parseExtendForm({ justification: 'x' }, NOW, 'en')).toEqual({ ok: false, errors: { days: t('en', 'form.extend.choose') } });
    expect(parseExtendForm({ days: '3', deadline: '2026-12-20T12:00:00Z', justification: 'x' }, NOW, 'en')).toEqual({ ok: false, errors: { deadline: t('en', 'form.extend.both') } });
    expect(parseExtendForm({ days: '3' }, NOW, 'en')).toEqual({ ok: false, errors: { justification: t('en', 'refusal.justification_required') } });
  });

  it('withdraw: the reason is optional', () => {
    expect(parseWithdrawForm({}, 'es')).toEqual({ ok: true, value: {} });
    expect(parseWithdrawForm({ reason: ' Error. ' }, 'es')).toEqual({ ok: true, value: { reason: 'Error.' } });
  });
});
