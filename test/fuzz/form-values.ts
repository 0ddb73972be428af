/**
 * Values of the Slack forms' inputs as Slack sends them (`view.state.values[block_id][action_id]`, see
 * src/demo/slack-requests.ts), for the fuzzers: valid values of each form with a few inputs replaced by
 * anything of their type (or of no type), and entirely random ones. Shared by the HTTP fuzzer
 * (./slack-interactions.test.ts) and the parsers' (./forms.test.ts).
 */
import fc from 'fast-check';
import { jsonGarbage, nastyString } from './support.ts';

/** Every input of each form, by the kind of element it is. */
export const FORMS = {
  consultation_new: { text: ['title', 'proposal', 'title_translation', 'proposal_translation', 'justification'], number: ['days'], datetime: ['deadline'], select: ['rule', 'visibility'] },
  reason: { text: ['reason'], number: [], datetime: [], select: [] },
  revise: { text: ['proposal', 'title', 'title_translation', 'proposal_translation'], number: [], datetime: [], select: [] },
  extend: { text: ['justification'], number: ['days'], datetime: ['deadline'], select: [] },
  withdraw: { text: ['reason'], number: [], datetime: [], select: [] },
} as const;
export type FormId = keyof typeof FORMS;

export const goodText = fc.constantFrom('Declaración conjunta sobre movilidad laboral', 'Urgente: la reunión es la próxima semana.', 'Statement on labour mobility', 'Texto revisado.', 'ok');
export const textValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 5, arbitrary: goodText.map((v) => ({ type: 'plain_text_input', value: v })) },
  { weight: 3, arbitrary: nastyString().map((v) => ({ type: 'plain_text_input', value: v })) },
  { weight: 1, arbitrary: fc.constantFrom(null, undefined).map((v) => ({ type: 'plain_text_input', value: v })) },
  { weight: 1, arbitrary: fc.constantFrom(200, 2000, 20_000).chain((n) => fc.constantFrom(n, n + 1).map((k) => ({ type: 'plain_text_input', value: 'é'.repeat(k) }))) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 1200 }).map((k) => ({ type: 'plain_text_input', value: '👩🏽‍💻'.repeat(k) })) },
  { weight: 1, arbitrary: jsonGarbage().map((v) => ({ type: 'plain_text_input', value: v })) },
  { weight: 1, arbitrary: fc.oneof(jsonGarbage(), fc.constant({})) },
);
export const numberValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('5', '1', '4', '10', '60').map((v) => ({ type: 'number_input', value: v })) },
  { weight: 3, arbitrary: fc.constantFrom('0', '61', '-1', '5.5', '1e1', 'NaN', 'Infinity', '', ' 5', '０５', '007', '99999999999999999999', '0x10', '5 ').map((v) => ({ type: 'number_input', value: v })) },
  { weight: 1, arbitrary: fc.constantFrom(null, 5, -3.5, true).map((v) => ({ type: 'number_input', value: v })) },
  { weight: 1, arbitrary: jsonGarbage() },
);
export const datetimeValue = (nowSec: number): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constant({ type: 'datetimepicker', selected_date_time: null }) },
    { weight: 3, arbitrary: fc.integer({ min: 3600, max: 90 * 86400 }).map((d) => ({ type: 'datetimepicker', selected_date_time: nowSec + d })) },
    { weight: 2, arbitrary: fc.integer({ min: 0, max: 400 * 86400 }).map((d) => ({ type: 'datetimepicker', selected_date_time: nowSec - d })) },
    { weight: 2, arbitrary: fc.constantFrom(0, -1, 1.5, 1e15, -1e15, 8.64e12, 8.65e12, Number.MAX_SAFE_INTEGER, '1767225600').map((v) => ({ type: 'datetimepicker', selected_date_time: v })) },
    { weight: 1, arbitrary: jsonGarbage() },
  );
export const selectValue = (good: string[]): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...good).map((v) => ({ type: 'static_select', selected_option: { text: { type: 'plain_text', text: v, emoji: true }, value: v } })) },
    { weight: 1, arbitrary: fc.constant({ type: 'static_select', selected_option: null }) },
    { weight: 2, arbitrary: nastyString().map((v) => ({ type: 'static_select', selected_option: { value: v } })) },
    { weight: 1, arbitrary: jsonGarbage().map((v) => ({ type: 'static_select', selected_option: v })) },
  );
export const SELECT_OPTIONS: Record<string, string[]> = { rule: ['explicit', 'silence'], visibility: ['at_close', 'live'] };

const text = (value: string | null) => ({ type: 'plain_text_input', value });
const select = (value: string) => ({ type: 'static_select', selected_option: { text: { type: 'plain_text', text: value, emoji: true }, value } });
/** Values that pass each form's checks (a revision's text is new each time). */
export function validBase(form: FormId, nowSec: number): fc.Arbitrary<Record<string, unknown>> {
  const one = (id: string, v: unknown) => ({ [id]: { [id]: v } });
  switch (form) {
    case 'consultation_new':
      return fc.record({ title: goodText, proposal: goodText, days: fc.constantFrom('5', '7', '10', '') , explicit: fc.boolean() }).map((b) => ({
        ...one('title', text(b.title)),
        ...one('proposal', text(b.proposal)),
        ...one('title_translation', text(null)),
        ...one('proposal_translation', text(null)),
        ...one('days', { type: 'number_input', value: b.explicit ? null : b.days }),
        ...one('deadline', { type: 'datetimepicker', selected_date_time: b.explicit ? nowSec + 12 * 86400 : null }),
        ...one('rule', select('explicit')),
        ...one('justification', text(b.explicit ? 'Hay una reunión próxima.' : null)),
        ...one('visibility', select('at_close')),
      }));
    case 'reason':
      return goodText.map((r) => one('reason', text(r)));
    case 'revise':
      return fc.tuple(goodText, fc.uuid()).map(([t, u]) => ({ ...one('proposal', text(`${t} ${u}`)), ...one('title', text(t)), ...one('title_translation', text(null)), ...one('proposal_translation', text(null)) }));
    case 'extend':
      return fc.record({ days: fc.constantFrom('8', '10', '20'), explicit: fc.boolean(), j: goodText }).map((b) => ({
        ...one('days', { type: 'number_input', value: b.explicit ? null : b.days }),
        ...one('deadline', { type: 'datetimepicker', selected_date_time: b.explicit ? nowSec + 30 * 86400 : null }),
        ...one('justification', text(b.j)),
      }));
    case 'withdraw':
      return fc.option(goodText, { nil: null }).map((r) => one('reason', text(r)));
  }
}

/** A valid base with a few inputs replaced by anything of their type (or not of their type). */
export function mutatedValues(form: FormId, nowSec: number): fc.Arbitrary<unknown> {
  const inputs = FORMS[form];
  const arbOf = (id: string): fc.Arbitrary<unknown> =>
    (inputs.number as readonly string[]).includes(id) ? numberValue
    : (inputs.datetime as readonly string[]).includes(id) ? datetimeValue(nowSec)
    : (inputs.select as readonly string[]).includes(id) ? selectValue(SELECT_OPTIONS[id]!)
    : textValue;
  const ids = [...inputs.text, ...inputs.number, ...inputs.datetime, ...inputs.select] as string[];
  const mutation = fc.constantFrom(...ids).chain((id) => fc.oneof({ weight: 6, arbitrary: arbOf(id) }, { weight: 1, arbitrary: fc.constant(undefined) }).map((v) => [id, v] as const));
  return fc.tuple(validBase(form, nowSec), fc.array(mutation, { maxLength: 2 })).map(([base, ms]) => {
    const out: Record<string, unknown> = { ...base };
    for (const [id, v] of ms) {
      if (v === undefined) delete out[id];
      else out[id] = { [id]: v };
    }
    return out;
  });
}

/** `state.values` for a form: every input with a value of its type (mostly), some missing, sometimes garbage. */
export function valuesArb(form: FormId, nowSec: number): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 6, arbitrary: mutatedValues(form, nowSec) }, { weight: 3, arbitrary: anyValues(form, nowSec) });
}

export function anyValues(form: FormId, nowSec: number): fc.Arbitrary<unknown> {
  const inputs = FORMS[form];
  const entries: [string, fc.Arbitrary<unknown>][] = [
    ...inputs.text.map((id) => [id, textValue] as [string, fc.Arbitrary<unknown>]),
    ...inputs.number.map((id) => [id, numberValue] as [string, fc.Arbitrary<unknown>]),
    ...inputs.datetime.map((id) => [id, datetimeValue(nowSec)] as [string, fc.Arbitrary<unknown>]),
    ...inputs.select.map((id) => [id, selectValue(SELECT_OPTIONS[id]!)] as [string, fc.Arbitrary<unknown>]),
  ];
  const wellFormed = fc
    .tuple(...entries.map(([id, arb]) => fc.option(arb, { freq: 8, nil: undefined }).map((v) => [id, v] as const)))
    .map((pairs) => Object.fromEntries(pairs.filter(([, v]) => v !== undefined).map(([id, v]) => [id, { [id]: v }])));
  return fc.oneof(
    { weight: 12, arbitrary: wellFormed },
    { weight: 1, arbitrary: jsonGarbage() },
    { weight: 1, arbitrary: wellFormed.map((v) => Object.fromEntries(Object.entries(v as object).map(([k, x]) => [k, { [`${k}_x`]: (x as Record<string, unknown>)[k] }]))) },
  );
}

