/**
 * The HTML of the answer page (answer-page.ts): the request with its buttons as a form, the result of an
 * answer, and refusals. Every value is escaped (html.ts). The form posts back to the same link (a
 * relative URL, so a PUBLIC_URL with a path prefix works) and carries no cookie: the token in the path is
 * the capability.
 */
import type { Locale } from '../../directory/model.ts';
import { t } from '../../i18n/index.ts';
import type { NeutralMessage } from '../../messages/neutral.ts';
import { LIMITS } from '../../domain/types.ts';
import { esc, fieldsTable, htmlDocument, para, quoteBlock } from './html.ts';

export interface FormState {
  /** The reason typed so far (shown again after a refusal). */
  reason?: string;
  /** An error about the form, shown above it and tied to the reason field when it is about the reason. */
  error?: { text: string; field?: 'reason' };
}

/** The request as a page: what the e-mail said, their country's current record, and the form. */
export function requestPage(
  token: string,
  m: NeutralMessage,
  extra: { current?: string; locale: Locale; purpose: 'troika' | 'member' },
  form: FormState = {},
): string {
  const l = extra.locale;
  const errorId = 'form-error';
  const reasonInvalid = form.error?.field === 'reason';
  const body = [
    `<h1>${esc(m.heading)}</h1>`,
    ...m.body.map((b) => para(b)),
    fieldsTable(m.fields),
    m.quote ? quoteBlock(m.quote) : '',
    extra.current ? `<p class="notice">${esc(extra.current)}</p>` : '',
    `<form method="post" action="./${esc(token)}" novalidate>`,
    '<fieldset>',
    `<legend>${esc(t(l, 'answer.legend'))}</legend>`,
    form.error ? `<p class="error" id="${errorId}" role="alert">${esc(form.error.text)}</p>` : '',
    `<label for="reason">${esc(t(l, 'label.reason'))}</label>`,
    `<p class="hint" id="reason-hint">${esc(t(l, extra.purpose === 'troika' ? 'answer.reason_hint.troika' : 'answer.reason_hint.member'))}</p>`,
    `<textarea id="reason" name="reason" maxlength="${LIMITS.reasonMax}" aria-describedby="reason-hint${reasonInvalid ? ` ${errorId}` : ''}"${reasonInvalid ? ' aria-invalid="true" autofocus' : ''}>${esc(form.reason ?? '')}</textarea>`,
    '<div class="buttons">',
    ...m.buttons.map(
      (b) => `<button type="submit" name="choice" value="${esc(b.actionId)}"${b.style ? ` class="${b.style}"` : ''}>${esc(b.label)}</button>`,
    ),
    '</div>',
    '</fieldset>',
    '</form>',
    `<footer>${esc(t(l, 'answer.personal'))}</footer>`,
  ].filter(Boolean);
  return htmlDocument(l, m.heading, body.join('\n'));
}

/**
 * A meeting invitation as a page: the card's words and fields, the current answer, and the two buttons
 * (`meeting_attend`, `meeting_decline`) as a form posting back to the same link. No reason field.
 */
export function invitationPage(token: string, m: NeutralMessage, extra: { current?: string; locale: Locale }, error?: string): string {
  const l = extra.locale;
  const body = [
    `<h1>${esc(m.heading)}</h1>`,
    ...m.body.filter((b) => b !== t(l, 'meeting.invitation.ask')).map((b) => para(b)),
    fieldsTable(m.fields),
    extra.current ? `<p class="notice">${esc(extra.current)}</p>` : '',
    `<form method="post" action="./${esc(token)}" novalidate>`,
    '<fieldset>',
    `<legend>${esc(t(l, 'answer.legend'))}</legend>`,
    error ? `<p class="error" role="alert">${esc(error)}</p>` : '',
    '<div class="buttons">',
    ...m.buttons.map(
      (b) => `<button type="submit" name="choice" value="${esc(b.actionId)}"${b.style ? ` class="${b.style}"` : ''}>${esc(b.label)}</button>`,
    ),
    '</div>',
    '</fieldset>',
    '</form>',
    `<footer>${esc(t(l, 'answer.personal'))}</footer>`,
  ].filter(Boolean);
  return htmlDocument(l, m.heading, body.join('\n'));
}

/** After an answer: what happened, and the way back to the form while it can still change. */
export function resultPage(l: Locale, r: { heading: string; lines: string[]; refused: boolean; backTo?: string; backLabel?: string; title: string }): string {
  const body = [
    `<h1>${esc(r.heading)}</h1>`,
    `<div class="${r.refused ? 'refusal' : 'notice'}" role="status">${r.lines.map((x) => para(x)).join('')}</div>`,
    r.backTo ? `<p><a href="./${esc(r.backTo)}">${esc(r.backLabel ?? t(l, 'answer.back'))}</a></p>` : '',
    `<footer>${esc(t(l, 'answer.personal'))}</footer>`,
  ].filter(Boolean);
  return htmlDocument(l, r.title, body.join('\n'));
}

/** A refusal before anything about the person is known (a link that is not ours): in both languages. */
export function bilingualRefusalPage(heading: { es: string; en: string }, text: { es: string; en: string }): string {
  const body = [
    `<h1>${esc(heading.es)}</h1>`,
    `<div class="refusal" role="status">${para(text.es)}</div>`,
    `<section lang="en"><h2>${esc(heading.en)}</h2>`,
    `<div class="refusal">${para(text.en)}</div></section>`,
  ];
  return htmlDocument('es', `${heading.es} / ${heading.en}`, body.join('\n'));
}
