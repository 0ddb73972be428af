/**
 * adapters/teams/forms.ts: the five forms of interfaces.md as Adaptive Cards: the official parser accepts
 * them without an error or a warning, the input ids are the Slack block ids (the datetime `deadline` as
 * Input.Date `deadline` + Input.Time `deadline_time`), the submit is an Action.Execute whose verb is the
 * form id and whose data is the form's context, and a server-side error shows under its field.
 */
import { describe, expect, it } from 'vitest';
import { renderForm } from '../../../../src/adapters/teams/forms.ts';
import { TeamsRenderError } from '../../../../src/adapters/teams/render.ts';
import { LIMITS } from '../../../../src/domain/types.ts';
import { FORM_INPUTS, type FormField, type FormId, type FormSpec } from '../../../../src/messages/form-spec.ts';
import { cardProblems, cardTexts, executeActions, inputIds } from '../../../helpers/adaptive-cards.ts';

const CONTEXT = { c: 'c-123', r: 'CRM-2026-007' };

const title = (value?: string): FormField => ({ kind: 'text', id: 'title', label: 'Título', required: true, maxLength: LIMITS.titleMax, ...(value ? { value } : {}) });
const proposal = (value?: string): FormField => ({ kind: 'multiline', id: 'proposal', label: 'Texto de la propuesta', required: true, maxLength: LIMITS.textMax, ...(value ? { value } : {}) });
const days: FormField = { kind: 'number', id: 'days', label: 'Días hábiles', value: LIMITS.defaultDays, min: LIMITS.daysMin, max: LIMITS.daysMax, hint: 'Contados desde la circulación.' };
const deadline: FormField = { kind: 'datetime', id: 'deadline', label: 'Fecha límite explícita', timeLabel: 'Hora', minDate: '2026-12-01' };
const rule: FormField = {
  kind: 'select',
  id: 'rule',
  label: 'Regla de decisión',
  required: true,
  value: 'explicit',
  options: [
    { value: 'explicit', label: 'Consentimiento expreso' },
    { value: 'silence', label: 'Procedimiento de silencio' },
  ],
};
const justification: FormField = { kind: 'multiline', id: 'justification', label: 'Justificación', maxLength: LIMITS.justificationMax };
const reason = (required: boolean): FormField => ({ kind: 'multiline', id: 'reason', label: 'Motivo', required, maxLength: LIMITS.reasonMax });

function spec(id: FormId, fields: FormField[], over: Partial<FormSpec> = {}): FormSpec {
  return { id, locale: 'es', title: 'Formulario', fields, submitLabel: 'Enviar', requiredMessage: 'Este campo es obligatorio.', context: CONTEXT, ...over };
}

const NEW_CONSULTATION = spec('consultation_new', [title(), proposal(), days, deadline, rule, justification], { title: 'Nueva consulta especial', context: {} });

const FORMS: [FormId, FormSpec][] = [
  ['consultation_new', NEW_CONSULTATION],
  ['reason', spec('reason', [reason(true)], { title: 'Motivo de la objeción', intro: ['Indique el motivo; se comunicará a la Secretaría Técnica.'] })],
  ['revise', spec('revise', [proposal('Artículo 1. …'), title('Declaración')], { title: 'Revisar el texto', quote: 'Artículo 1. …' })],
  ['extend', spec('extend', [days, deadline, { ...justification, required: true }], { title: 'Prorrogar el plazo' })],
  ['withdraw', spec('withdraw', [reason(false)], { title: 'Retirar la consulta', intro: ['La consulta se cerrará como retirada.'] })],
];

describe('each form of interfaces.md', () => {
  it.each(FORMS)('%s: valid, with the right input ids and submit verb', (id, s) => {
    const card = renderForm(s);
    expect(cardProblems(card)).toEqual([]);
    const expected = FORM_INPUTS[id].flatMap((i) => (i === 'deadline' ? ['deadline', 'deadline_time'] : [i]));
    expect(inputIds(card)).toEqual(expected);
    expect(executeActions(card)).toEqual([
      { type: 'Action.Execute', title: 'Enviar', verb: id, data: s.context, associatedInputs: 'auto', style: 'positive' },
    ]);
  });

  it('English labels render the same way', () => {
    const card = renderForm(spec('reason', [{ ...reason(true), label: 'Reason' }], { locale: 'en', title: 'Reason for the objection', submitLabel: 'Send', requiredMessage: 'This field is required.' }));
    expect(cardProblems(card)).toEqual([]);
    expect(cardTexts(card)).toEqual(expect.arrayContaining(['Reason for the objection', 'Reason', 'Send']));
  });
});

describe('inputs', () => {
  const card = renderForm(NEW_CONSULTATION);
  const find = (id: string) => {
    let hit: Record<string, unknown> | undefined;
    JSON.stringify(card, (_k, v: unknown) => {
      if (v && typeof v === 'object' && (v as { id?: unknown }).id === id) hit = v as Record<string, unknown>;
      return v;
    });
    return hit;
  };

  it('carry their type, limits, defaults and required flag with the message for an empty one', () => {
    expect(find('title')).toMatchObject({ type: 'Input.Text', label: 'Título', maxLength: 200, isRequired: true, errorMessage: 'Este campo es obligatorio.' });
    expect(find('proposal')).toMatchObject({ type: 'Input.Text', isMultiline: true, maxLength: LIMITS.textMax });
    expect(find('days')).toMatchObject({ type: 'Input.Number', value: 5, min: 1, max: 60 });
    expect(find('days')).not.toHaveProperty('isRequired');
    expect(find('deadline')).toMatchObject({ type: 'Input.Date', min: '2026-12-01' });
    expect(find('deadline_time')).toMatchObject({ type: 'Input.Time', label: 'Hora' });
    expect(find('rule')).toMatchObject({
      type: 'Input.ChoiceSet',
      style: 'compact',
      value: 'explicit',
      choices: [
        { title: 'Consentimiento expreso', value: 'explicit' },
        { title: 'Procedimiento de silencio', value: 'silence' },
      ],
    });
  });

  it('a refused submission comes back with the values kept and each error right under its field', () => {
    const again = renderForm({
      ...NEW_CONSULTATION,
      fields: [title('Declaración'), proposal('Texto'), { ...days, value: 3 }, deadline, rule, { ...justification, value: '' }],
      errors: { justification: 'Con menos de 5 días hábiles hace falta una justificación.', days: 'Entre 1 y 60 días hábiles.' },
      formError: 'Revise los campos señalados.',
    });
    expect(cardProblems(again)).toEqual([]);
    const order = again.body.map((e) => (e.type === 'RichTextBlock' ? `text:${(e.inlines?.[0] as { text: string }).text}` : `${e.type}:${(e as { id?: string }).id ?? ''}`));
    const at = (s: string) => order.indexOf(s);
    expect(at('text:Revise los campos señalados.')).toBeLessThan(at('Input.Text:title'));
    expect(at('text:Entre 1 y 60 días hábiles.')).toBe(at('Input.Number:days') + 2); // after the hint
    expect(at('text:Con menos de 5 días hábiles hace falta una justificación.')).toBe(at('Input.Text:justification') + 1);
    const err = again.body[at('text:Entre 1 y 60 días hábiles.')] as { inlines: { color?: string }[] };
    expect(err.inlines[0]?.color).toBe('Attention');
    expect(JSON.stringify(again)).toContain('"value":"Declaración"');
  });

  it('a form that cannot fit a Teams message is refused, not sent broken', () => {
    expect(() => renderForm(spec('revise', [proposal('ñ'.repeat(LIMITS.textMax)), title()]))).toThrow(TeamsRenderError);
  });
});

describe('the checker itself', () => {
  it('reports what the parser rejects, a missing verb and a card over 28 KB', () => {
    const bad = {
      type: 'AdaptiveCard',
      version: '1.5',
      body: [{ type: 'Bogus' }, { type: 'Input.Text', id: 'x', isRequired: true }, { type: 'Input.Text', id: 'x', label: 'X', errorMessage: 'e', isRequired: true }],
      actions: [{ type: 'Action.Execute', title: 'Go', data: {} }],
      padding: 'x'.repeat(29 * 1024),
    };
    const problems = cardProblems(bad);
    expect(problems.some((p) => p.startsWith('parse: UnknownElementType'))).toBe(true);
    expect(problems.some((p) => p.includes('RequiredInputsShouldHaveLabel'))).toBe(true);
    expect(problems.some((p) => p.includes('DuplicateId'))).toBe(true);
    expect(problems.some((p) => p.startsWith('Action.Execute without a verb'))).toBe(true);
    expect(problems.some((p) => p.startsWith('size:'))).toBe(true);
  });
});
