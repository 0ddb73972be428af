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

/** A field's error, right under it; its id (`<field>_error`) names the field for whoever reads the card back. */
const errorText = (fieldId: string, text: string) => richText([run(text, { color: 'Attention', size: 'Small' })], { spacing: 'None', id: errorBlockId(fieldId) });

/** The id of the block that shows a field's error. */
export const errorBlockId = (fieldId: string): string => `${fieldId}_error`;

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

/** The id of the block that shows an error belonging to no one field. */
export const FORM_ERROR_ID = 'form_error';

/** The form as an Adaptive Card; throws TeamsRenderError when it cannot fit a Teams message. */
export function renderForm(spec: FormSpec): IAdaptiveCard {
  const body: CardElement[] = [richText([run(spec.title, { weight: 'Bolder', size: 'Medium' })])];
  for (const s of spec.intro ?? []) body.push(richText([run(s)], { spacing: 'Small' }));
  if (spec.quote?.trim()) {
    body.push({ type: 'Container', style: 'emphasis', items: [richText([run(spec.quote.trim())])] });
  }
  if (spec.formError) body.push(richText([run(spec.formError, { color: 'Attention', weight: 'Bolder' })], { id: FORM_ERROR_ID }));
  for (const f of spec.fields) {
    body.push(...inputs(f, spec));
    if (f.hint) body.push(richText([run(f.hint, { isSubtle: true, size: 'Small' })], { spacing: 'None' }));
    const error = spec.errors?.[f.id];
    if (error) body.push(errorText(f.id, error));
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

// ------------------------------------------------------------------------------------------ interaction forms

/**
 * What the card of a form carries besides the interaction layer's context (formContext): its heading and
 * its sentences, so that the form shown again with errors says what it said (they are the person's own
 * card's words, shown back only to them, as text runs). Teams merges the inputs' values into this data.
 */
const DISPLAY_TITLE = 'form_title';
const DISPLAY_INTRO = 'form_intro';

/** The heading and sentences a submitted form carried (untrusted: strings only, cut). */
export function displayOf(data: Record<string, unknown>): { title?: string; intro?: string[] } {
  const title = typeof data[DISPLAY_TITLE] === 'string' ? data[DISPLAY_TITLE].slice(0, 300) : undefined;
  let intro: string[] | undefined;
  if (typeof data[DISPLAY_INTRO] === 'string' && data[DISPLAY_INTRO].length <= 6000) {
    try {
      const parsed: unknown = JSON.parse(data[DISPLAY_INTRO]);
      if (Array.isArray(parsed) && parsed.length <= 5 && parsed.every((x) => typeof x === 'string')) intro = parsed as string[];
    } catch {
      intro = undefined;
    }
  }
  return { ...(title ? { title } : {}), ...(intro ? { intro } : {}) };
}

/** What a submitted form showed again: the values as submitted (raw card data) and the errors. */
export interface Resubmitted {
  data: Record<string, unknown>;
  errors: Record<string, string>;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^\d{2}:\d{2}/;

/** The field prefilled with what was submitted (an input left empty stays empty). */
function prefilled(f: FormField, data: Record<string, unknown>): FormField {
  const raw = data[f.id];
  const value = typeof raw === 'string' ? raw : typeof raw === 'number' ? String(raw) : '';
  switch (f.kind) {
    case 'text':
    case 'multiline': {
      const { value: _old, ...rest } = f;
      return value ? { ...rest, value: value.slice(0, (f.maxLength ?? 3000) + 1) } : rest;
    }
    case 'number': {
      const { value: _old, ...rest } = f;
      return /^\d{1,4}$/.test(value.trim()) ? { ...rest, value: Number(value.trim()) } : rest;
    }
    case 'select':
      return f.options.some((o) => o.value === value) ? { ...f, value } : f;
    case 'date': {
      const { value: _old, ...rest } = f;
      return DATE.test(value.trim()) ? { ...rest, value: value.trim() } : rest;
    }
    case 'multiselect': {
      const { value: _old, ...rest } = f;
      const chosen = value.split(',').map((x) => x.trim()).filter((x) => f.options.some((o) => o.value === x));
      return chosen.length ? { ...rest, value: chosen } : rest;
    }
    case 'datetime': {
      const { value: _old, ...rest } = f;
      const time = data[timeInputId(f.id)];
      const date = DATE.test(value) ? value : undefined;
      const t = typeof time === 'string' && TIME.test(time) ? time.slice(0, 5) : undefined;
      return date || t ? { ...rest, value: { ...(date ? { date } : {}), ...(t ? { time: t } : {}) } } : rest;
    }
  }
}

/**
 * A form of the interaction layer (its FormSpec) as a card: the spec's context and display in the submit's
 * data; shown again after a submission, the submitted values and the errors under their fields (an error
 * on no field of the card goes above them).
 */
export function formCard(spec: FormSpec, again?: Resubmitted): IAdaptiveCard {
  const shown = again ? { ...spec, ...displayOf(again.data) } : spec;
  const context = { ...(spec.context ?? {}), [DISPLAY_TITLE]: shown.title, [DISPLAY_INTRO]: JSON.stringify(shown.intro ?? []) };
  if (!again) return renderForm({ ...spec, context });
  const ids = new Set(spec.fields.map((f) => f.id));
  const stray = Object.entries(again.errors).filter(([k]) => !ids.has(k));
  return renderForm({
    ...shown,
    context,
    fields: spec.fields.map((f) => prefilled(f, again.data)),
    errors: again.errors,
    ...(stray.length ? { formError: stray.map(([, m]) => m).join(' ') } : {}),
  });
}
