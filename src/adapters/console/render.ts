/**
 * The console's cards: the SAME Adaptive Cards as Teams (adapters/teams/render.ts for messages,
 * adapters/teams/forms.ts for forms, both from the platform-neutral messages and form specs), plus the
 * console's own small cards: a notice, "one moment", and the person's typed command echoed.
 *
 * A form shown again after a refusal keeps what the person typed and carries the errors under its fields.
 */
import type { IAdaptiveCard } from '@microsoft/teams.cards';
import type { Locale } from '../../directory/model.ts';
import { formSpec, type FormReader } from '../../interaction/form-specs.ts';
import type { FormRequest } from '../../interaction/intent.ts';
import { timeInputId, type FormField } from '../../messages/form-spec.ts';
import type { NeutralMessage } from '../../messages/neutral.ts';
import { renderForm } from '../teams/forms.ts';
import { card, renderCard, richText, run } from '../teams/render.ts';
import { consoleText } from './text.ts';

export { renderCard as messageCard };

/** A card that only says something (our sentence, or the bot's notice). */
export function noticeCard(text: string): IAdaptiveCard {
  const paragraphs = text.split(/\n{2,}/).filter((p) => p.trim() !== '');
  return card(paragraphs.map((p, i) => richText([run(p)], i ? { spacing: 'Small' } : {})), [], text);
}

export const loadingCard = (locale: Locale): IAdaptiveCard => noticeCard(consoleText(locale, 'loading'));

/** What the person typed, as it is (a TextRun is never read as Markdown). */
export const typedCard = (text: string): IAdaptiveCard => card([richText([run(text, { fontType: 'Monospace' })])], [], text);

/** The values a submission came back with, as strings (what a form shown again prefills). */
export type Submitted = Readonly<Record<string, string | undefined>>;

function prefilled(f: FormField, v: Submitted): FormField {
  const raw = v[f.id];
  switch (f.kind) {
    case 'text':
    case 'multiline':
    case 'select':
    case 'date':
      return raw !== undefined ? { ...f, value: raw } : f;
    case 'multiselect': {
      // The chosen values come back joined by commas (interaction/meeting-forms.ts).
      const chosen = (raw ?? '').split(',').map((x) => x.trim()).filter((x) => f.options.some((o) => o.value === x));
      return chosen.length ? { ...f, value: chosen } : f;
    }
    case 'number': {
      const n = raw !== undefined && raw.trim() !== '' ? Number(raw) : undefined;
      return n !== undefined && Number.isFinite(n) ? { ...f, value: n } : f;
    }
    case 'datetime': {
      const date = raw && /^\d{4}-\d{2}-\d{2}$/.test(raw) ? raw : undefined;
      const t = v[timeInputId(f.id)];
      const time = t && /^\d{2}:\d{2}/.test(t) ? t.slice(0, 5) : undefined;
      return date || time ? { ...f, value: { ...(date ? { date } : {}), ...(time ? { time } : {}) } } : f;
    }
  }
}

/** The form a `form` reply asks for, as its Adaptive Card; `errors` and `values` after a refusal. */
export function formCard(request: FormRequest, reader: FormReader, again?: { errors: Record<string, string>; values: Submitted }): IAdaptiveCard {
  const spec = formSpec(request, reader);
  if (!again) return renderForm(spec);
  return renderForm({ ...spec, fields: spec.fields.map((f) => prefilled(f, again.values)), errors: { ...spec.errors, ...again.errors } });
}

export type { NeutralMessage };
