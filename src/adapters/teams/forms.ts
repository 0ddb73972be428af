/**
 * A form (messages/form-spec.ts) as an Adaptive Card 1.5: one input per field with its label, limits and
 * prefilled value, the field's error (if any) right under it in the attention colour, and one
 * `Action.Execute` whose `verb` is the form id and whose `data` is the form's context; Teams merges the
 * inputs' values into it (`value.action.data` of the `adaptiveCard/action` invoke).
 *
 *   text, multiline  Input.Text (isMultiline), maxLength
 *   number           Input.Number, min/max
 *   datetime         Input.Date `id` + Input.Time `id_time` side by side (the person's zone)
 *   select           Input.ChoiceSet, compact
 *   date             Input.Date
 *   multiselect      Input.ChoiceSet, compact, isMultiSelect (values come back joined by commas)
 * Required inputs carry `isRequired` and `errorMessage`, so the client stops an empty submit; everything is
 * checked again on the server, whose refusals come back as `errors` on the same fields.
 */
import type { CardElement } from './render.ts';
import type { IAdaptiveCard, IColumnSet, IExecuteAction } from '@microsoft/teams.cards';
import { timeInputId, type FormField, type FormSpec } from '../../messages/form-spec.ts';
import { byteLength, card, CARD_BUDGET_BYTES, richText, run, TeamsRenderError } from './render.ts';

const errorText = (text: string) => richText([run(text, { color: 'Attention', size: 'Small' })], { spacing: 'None' });

function required(f: FormField, spec: FormSpec) {
  return f.required ? { isRequired: true, errorMessage: spec.requiredMessage } : {};
}

function inputs(f: FormField, spec: FormSpec): CardElement[] {
  switch (f.kind) {
    case 'text':
    case 'multiline':
      return [
        {
          type: 'Input.Text',
          id: f.id,
          label: f.label,
          ...(f.kind === 'multiline' ? { isMultiline: true } : {}),
          ...(f.value !== undefined ? { value: f.value } : {}),
          ...(f.placeholder ? { placeholder: f.placeholder } : {}),
          ...(f.maxLength !== undefined ? { maxLength: f.maxLength } : {}),
          ...required(f, spec),
        },
      ];
    case 'number':
      return [
        {
          type: 'Input.Number',
          id: f.id,
          label: f.label,
          ...(f.value !== undefined ? { value: f.value } : {}),
          ...(f.min !== undefined ? { min: f.min } : {}),
          ...(f.max !== undefined ? { max: f.max } : {}),
          ...required(f, spec),
        },
      ];
    case 'select':
      return [
        {
          type: 'Input.ChoiceSet',
          id: f.id,
          label: f.label,
          style: 'compact',
          choices: f.options.map((o) => ({ title: o.label, value: o.value })),
          ...(f.value !== undefined ? { value: f.value } : {}),
          ...required(f, spec),
        },
      ];
    case 'date':
      return [{ type: 'Input.Date', id: f.id, label: f.label, ...(f.value ? { value: f.value } : {}), ...(f.minDate ? { min: f.minDate } : {}), ...required(f, spec) }];
    case 'multiselect':
      // The chosen values come back joined by commas (interaction/meeting-forms.ts reads them so).
      return [
        {
          type: 'Input.ChoiceSet',
          id: f.id,
          label: f.label,
          isMultiSelect: true,
          style: 'compact',
          choices: f.options.map((o) => ({ title: o.label, value: o.value })),
          ...(f.value?.length ? { value: f.value.join(',') } : {}),
          ...required(f, spec),
        },
      ];
    case 'datetime': {
      const row: IColumnSet = {
        type: 'ColumnSet',
        columns: [
          {
            type: 'Column',
            width: 'stretch',
            items: [
              {
                type: 'Input.Date',
                id: f.id,
                label: f.label,
                ...(f.value?.date ? { value: f.value.date } : {}),
                ...(f.minDate ? { min: f.minDate } : {}),
                ...required(f, spec),
              },
            ],
          },
          {
            type: 'Column',
            width: 'stretch',
            items: [
              {
                type: 'Input.Time',
                id: timeInputId(f.id),
                label: f.timeLabel,
                ...(f.value?.time ? { value: f.value.time } : {}),
                ...required(f, spec),
              },
            ],
          },
        ],
      };
      return [row];
    }
  }
}

/** The form as an Adaptive Card; throws TeamsRenderError when it cannot fit a Teams message. */
export function renderForm(spec: FormSpec): IAdaptiveCard {
  const body: CardElement[] = [richText([run(spec.title, { weight: 'Bolder', size: 'Medium' })])];
  for (const s of spec.intro ?? []) body.push(richText([run(s)], { spacing: 'Small' }));
  if (spec.quote?.trim()) {
    body.push({ type: 'Container', style: 'emphasis', items: [richText([run(spec.quote.trim())])] });
  }
  if (spec.formError) body.push(richText([run(spec.formError, { color: 'Attention', weight: 'Bolder' })]));
  for (const f of spec.fields) {
    body.push(...inputs(f, spec));
    if (f.hint) body.push(richText([run(f.hint, { isSubtle: true, size: 'Small' })], { spacing: 'None' }));
    const error = spec.errors?.[f.id];
    if (error) body.push(errorText(error));
  }
  const submit: IExecuteAction = {
    type: 'Action.Execute',
    title: spec.submitLabel,
    verb: spec.id,
    data: { ...spec.context },
    associatedInputs: 'auto',
    style: 'positive',
  };
  const c = card(body, [submit], spec.title);
  if (byteLength(c) > CARD_BUDGET_BYTES) throw new TeamsRenderError(`the form ${spec.id} is ${byteLength(c)} bytes, over ${CARD_BUDGET_BYTES}`);
  return c;
}
