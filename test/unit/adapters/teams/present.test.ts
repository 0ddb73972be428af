/**
 * adapters/teams/present.ts, forms.ts formCard and home.ts: the interaction layer's replies as Teams cards.
 * Every card passes the official `adaptivecards` parser with no error or warning, stays under 28 KB, and
 * every Action.Execute has a verb: each form (first shown, and shown again with an error on every field and
 * the values as typed), the "awaiting my country" view with more consultations than fit, the invoke answer
 * chosen for several replies at once.
 */
import { describe, expect, it } from 'vitest';
import { formCard } from '../../../../src/adapters/teams/forms.ts';
import { homeCard } from '../../../../src/adapters/teams/home.ts';
import { invokeAnswer, messageActivities } from '../../../../src/adapters/teams/present.ts';
import { LIMITS } from '../../../../src/domain/types.ts';
import { t } from '../../../../src/i18n/index.ts';
import { formSpec } from '../../../../src/interaction/form-specs.ts';
import type { HomeModel } from '../../../../src/interaction/home.ts';
import type { FormRequest } from '../../../../src/interaction/intent.ts';
import { buttonValue } from '../../../../src/messages/neutral.ts';
import { cardProblems, cardTexts, executeActions, inputIds } from '../../../helpers/adaptive-cards.ts';

const manage = { consultationId: 'c-1', reference: 'CRM-2026-007' };
const REQUESTS: FormRequest[] = [
  { form: 'consultation_new' },
  { form: 'reason', reason: { kind: 'position_object', consultationId: 'c-1', versionHash: 'v1', card: { channel: 'a:1conversation', ts: '1764601200000' } } },
  { form: 'revise', manage, current: { title: 'Declaración', text: 'Artículo 1. …', version: 2, translation: { locale: 'en', title: 'Statement', text: 'Article 1. …' } } },
  { form: 'revise', manage, current: { title: 'Declaración', text: 'Artículo 1. …', version: 1, notEndorsed: { country: 'El Salvador', reason: 'El párrafo 2.' } } },
  { form: 'extend', manage, current: { deadline: 'viernes 11 de diciembre, 23:59' } },
  { form: 'withdraw', manage, current: { title: 'Declaración', circulated: true } },
];
const reader = (locale: 'es' | 'en') => ({ locale, timezone: 'America/Costa_Rica', now: new Date() });

describe.each(['es', 'en'] as const)('in %s', (locale) => {
  it.each(REQUESTS.map((r) => [r.form, r] as const))('%s: the form, then again with an error under every field and the values as typed', (_id, request) => {
    const spec = formSpec(request, reader(locale));
    const first = formCard(spec);
    expect(cardProblems(first)).toEqual([]);
    expect(executeActions(first).map((a) => a.verb)).toEqual([request.form]);
    const data: Record<string, unknown> = { ...(executeActions(first)[0]!.data as object) };
    const errors: Record<string, string> = {};
    for (const f of spec.fields) {
      data[f.id] = f.kind === 'number' ? '4' : f.kind === 'datetime' ? '2026-12-20' : f.kind === 'select' ? f.options.at(-1)!.value : 'x'.repeat(Math.min(('maxLength' in f ? f.maxLength : undefined) ?? 100, 300));
      errors[f.id] = `error on ${f.id}`;
    }
    data.deadline_time = '10:30';
    const again = formCard(spec, { data, errors: { ...errors, somewhere_else: 'not a field' } });
    expect(cardProblems(again)).toEqual([]);
    const texts = cardTexts(again);
    for (const f of spec.fields) expect(texts).toContain(`error on ${f.id}`);
    expect(texts).toContain('not a field');
    expect(texts[0]).toBe(spec.title);
    expect(inputIds(again)).toEqual(inputIds(first));
    if (spec.fields.some((f) => f.kind === 'datetime')) expect(JSON.stringify(again)).toContain('"value":"10:30"');
    expect(JSON.stringify(again)).toContain('x'.repeat(100));
  });

  it('the view with more consultations than a message holds: cut, saying how many more, valid', () => {
    const items = Array.from({ length: 60 }, (_, i) => ({
      consultationId: `c-${i}`,
      reference: `CRM-2026-${String(i + 100)}`,
      title: 'Título '.repeat(28),
      detail: 'Plazo: viernes · Respuestas: 3/11',
      buttons: [
        { actionId: 'position_support', label: t(locale, 'position.support'), value: buttonValue(`c-${i}`, 'v'), style: 'primary' as const },
        { actionId: 'position_object', label: t(locale, 'position.object'), value: buttonValue(`c-${i}`, 'v'), style: 'danger' as const },
      ],
    }));
    const model: HomeModel = { kind: 'sections', locale, sections: { awaitingMyCountry: items, open: items, myCountryAnswers: items }, options: { canCreate: true, footer: 'Actualizado' } };
    const card = homeCard(model, ['Registrado']);
    expect(cardProblems(card)).toEqual([]);
    const more = t(locale, 'home.more', { count: 999 }).split('999')[0]!;
    expect(cardTexts(card).some((x) => x.startsWith(more))).toBe(true);
    expect(executeActions(card).map((a) => a.verb).slice(-2)).toEqual(['home_new_consultation', 'home']);
    expect(executeActions(card).filter((a) => a.verb === 'position_support').every((a) => (a.data as { h?: string }).h === '1')).toBe(true);
  });
});

describe('one invoke answer for several replies', () => {
  const r = reader('es');
  it('errors on a submitted form win; a notice alone is a message; nothing to say: no answer', () => {
    const spec = formSpec({ form: 'consultation_new' }, r);
    const errors = invokeAnswer([{ kind: 'field_errors', errors: { title: 'Falta el título.' } }, { kind: 'notice', text: 'otra cosa' }], r, {
      intent: { kind: 'submit', form: 'consultation_new', values: {}, context: { form: 'consultation_new' } },
      data: { proposal: 'Texto' },
    });
    expect(errors.answer?.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(cardTexts(errors.answer!.value)).toContain('Falta el título.');
    expect(inputIds(errors.answer!.value)).toEqual(inputIds(formCard(spec)));
    expect(errors.rest).toEqual([{ kind: 'notice', text: 'otra cosa' }]);
    expect(invokeAnswer([{ kind: 'notice', text: 'No.' }], r).answer).toEqual({ statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: 'No.' });
    expect(invokeAnswer([], r)).toEqual({ rest: [] });
  });

  it('a text too long for a Teams card is said instead of the form', () => {
    const text = 'ñ'.repeat(LIMITS.textMax);
    const request: FormRequest = { form: 'revise', manage, current: { title: 'T', text, version: 1, translation: { locale: 'en', title: 'T', text } } };
    const [activity] = messageActivities([{ kind: 'form', form: request }], r);
    expect(cardTexts(activity!.attachments[0].content)).toEqual([t('es', 'teams.form.too_large')]);
  });
});
