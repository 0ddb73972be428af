/**
 * The interaction layer's replies (src/interaction/intent.ts) in Teams. Two surfaces:
 *
 * A message (a command typed in the personal chat): every reply becomes an activity sent back there:
 *   notice, form_notice → a card with the sentence          message → the neutral message's card (render.ts)
 *   form                → the form's card (forms.ts formCard) home    → the "awaiting my country" card (home.ts)
 *   loading, close_form, field_errors, card → nothing (no form is open, no card was clicked)
 *
 * An invoke (a click or a form submitted on a card): Teams waits for one answer, always 200, which replaces
 * the clicked card for the person who clicked; the one answer is the most telling reply:
 *   field_errors  → the submitted form again, with what was typed and the errors under their fields
 *   form          → the form (the reason card in place of the request card, the new-consultation form)
 *   card          → the clicked card as it now is (also PUT for everyone through the outbox)
 *   home          → the view again, with what was said at the top
 *   form_notice   → a card with the sentence, in place of the form
 *   notice        → a message with the sentence (a refusal: the card stays as it was)
 *   close_form    → "received, you will be told here" (the outcome comes later as a message)
 * Replies that come later, and any the answer could not hold, are sent to the conversation as messages.
 *
 * Block ids name what a card is for whoever reads it back (test/conformance/teams.conformance.test.ts):
 * NOTICE_ID, FORM_NOTICE_ID, WORKING_ID, `<field>_error`, home.ts HOME_BLOCK_ID.
 */
import type { IAdaptiveCard } from '@microsoft/teams.cards';
import type { Locale } from '../../directory/model.ts';
import { t } from '../../i18n/index.ts';
import { formSpec } from '../../interaction/form-specs.ts';
import type { FormRequest, Intent, Reply, SubmittedContext } from '../../interaction/intent.ts';
import type { NeutralMessage } from '../../messages/neutral.ts';
import { formCard } from './forms.ts';
import { homeCard } from './home.ts';
import { ADAPTIVE_CARD_CONTENT_TYPE, card, cardActivity, renderActivity, renderCard, richText, run, TeamsRenderError, type CardActivity } from './render.ts';

export const NOTICE_ID = 'notice';
export const FORM_NOTICE_ID = 'form_notice';
export const WORKING_ID = 'working';

export type InvokeAnswer =
  | { statusCode: 200; type: typeof ADAPTIVE_CARD_CONTENT_TYPE; value: IAdaptiveCard }
  | { statusCode: 200; type: 'application/vnd.microsoft.activity.message'; value: string };

export const messageAnswer = (text: string): InvokeAnswer => ({ statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: text });
const cardAnswer = (value: IAdaptiveCard): InvokeAnswer => ({ statusCode: 200, type: ADAPTIVE_CARD_CONTENT_TYPE, value });

/** The person a reply is for: their language and zone (forms' date inputs), and now (a deadline's minimum). */
export interface TeamsReader {
  locale: Locale;
  timezone: string;
  now: Date;
}

/** A card saying one thing; `id` says what it stands for. */
export function sentenceCard(text: string, id: string): IAdaptiveCard {
  return card([richText([run(text)], { id })], [], text);
}

/** The help's last line speaks of Slack's Home tab; in Teams the buttons are on the cards. */
function forTeams(m: NeutralMessage): NeutralMessage {
  const slackLine = t(m.locale, 'help.buttons');
  if (m.heading !== t(m.locale, 'help.heading') || !m.body.includes(slackLine)) return m;
  return { ...m, body: m.body.map((line) => (line === slackLine ? t(m.locale, 'teams.welcome.buttons') : line)) };
}

/** A form's card; a form too large for a Teams message is said instead. */
function formOrSaid(request: FormRequest, r: TeamsReader, again?: Parameters<typeof formCard>[1]): { card: IAdaptiveCard } | { said: string } {
  try {
    return { card: formCard(formSpec(request, r), again) };
  } catch (e) {
    if (e instanceof TeamsRenderError) return { said: t(r.locale, 'teams.form.too_large') };
    throw e;
  }
}

/** The activities to send in the conversation for these replies (a typed command, or what comes later). */
export function messageActivities(replies: readonly Reply[], r: TeamsReader): CardActivity[] {
  const out: CardActivity[] = [];
  for (const reply of replies) {
    switch (reply.kind) {
      case 'notice':
        out.push(cardActivity(sentenceCard(reply.text, NOTICE_ID), reply.text));
        break;
      case 'form_notice':
        out.push(cardActivity(sentenceCard(reply.text, FORM_NOTICE_ID), reply.text));
        break;
      case 'message':
        out.push(renderActivity(forTeams(reply.message)));
        break;
      case 'form': {
        const shown = formOrSaid(reply.form, r);
        out.push('card' in shown ? cardActivity(shown.card, formSpec(reply.form, r).title) : cardActivity(sentenceCard(shown.said, FORM_NOTICE_ID), shown.said));
        break;
      }
      case 'home':
        out.push(cardActivity(homeCard(reply.view), t(r.locale, 'home.heading')));
        break;
      case 'loading':
      case 'close_form':
      case 'field_errors':
      case 'card':
        break;
    }
  }
  return out;
}

/**
 * The form a submission came from, to show it again with its errors: the context it carried, the values
 * and display come from the submitted data (formCard).
 */
function submittedRequest(form: Extract<Intent, { kind: 'submit' }>['form'], context: SubmittedContext | undefined): FormRequest | undefined {
  if (form === 'consultation_new') return { form };
  if (form === 'meeting_new') return { form, ...(context?.form === 'meeting_new' && context.origin ? { origin: context.origin } : {}) };
  // The delegation form's choices come from the database: its errors are said in place of the form.
  if (form === 'meeting_delegation') return undefined;
  if (!context || context.form !== form) return undefined;
  if (context.form === 'reason') return { form: 'reason', reason: context.reason };
  if (!('manage' in context)) return undefined;
  const manage = context.manage;
  if (context.form === 'revise') {
    return { form: 'revise', manage, current: { title: '', text: '', version: 0, ...(manage.originalLocale ? { locale: manage.originalLocale } : {}) } };
  }
  if (context.form === 'extend') return { form: 'extend', manage, current: { deadline: '' } };
  return { form: 'withdraw', manage, current: { title: '', circulated: true } };
}

const PRECEDENCE: Reply['kind'][] = ['field_errors', 'form', 'card', 'home', 'form_notice', 'notice', 'message', 'close_form'];

/**
 * The one answer to an invoke for these replies, and the replies left over (sent as messages). `intent`
 * and `data`: what was submitted, to show a form again with its errors.
 */
export function invokeAnswer(
  replies: readonly Reply[],
  r: TeamsReader,
  submitted?: { intent: Extract<Intent, { kind: 'submit' }>; data: Record<string, unknown>; /** The form to show again, when the adapter read it anew (a delegation). */ request?: FormRequest },
): { answer?: InvokeAnswer; rest: Reply[] } {
  const main = PRECEDENCE.map((k) => replies.find((x) => x.kind === k)).find((x) => x !== undefined);
  if (!main) return { rest: [] };
  let rest = replies.filter((x) => x !== main && x.kind !== 'loading' && x.kind !== 'close_form');
  const l = r.locale;
  switch (main.kind) {
    case 'field_errors': {
      const request = submitted ? (submitted.request ?? submittedRequest(submitted.intent.form, submitted.intent.context)) : undefined;
      if (request) {
        const shown = formOrSaid(request, r, { data: submitted!.data, errors: main.errors });
        return { answer: 'card' in shown ? cardAnswer(shown.card) : cardAnswer(sentenceCard(shown.said, FORM_NOTICE_ID)), rest };
      }
      return { answer: cardAnswer(sentenceCard(Object.values(main.errors).join(' '), FORM_NOTICE_ID)), rest };
    }
    case 'form': {
      const shown = formOrSaid(main.form, r);
      return { answer: cardAnswer('card' in shown ? shown.card : sentenceCard(shown.said, FORM_NOTICE_ID)), rest };
    }
    case 'card': {
      const { updates: _where, ...message } = main.update;
      return { answer: cardAnswer(renderCard(message)), rest: rest.filter((x) => x.kind !== 'card') };
    }
    case 'home': {
      const notes = rest.filter((x): x is Extract<Reply, { kind: 'notice' | 'form_notice' }> => x.kind === 'notice' || x.kind === 'form_notice').map((x) => x.text);
      rest = rest.filter((x) => x.kind !== 'notice' && x.kind !== 'form_notice' && x.kind !== 'home');
      return { answer: cardAnswer(homeCard(main.view, notes)), rest };
    }
    case 'form_notice':
      return { answer: cardAnswer(sentenceCard(main.text, FORM_NOTICE_ID)), rest };
    case 'notice': {
      const notices = rest.filter((x): x is Extract<Reply, { kind: 'notice' }> => x.kind === 'notice');
      return { answer: messageAnswer([main.text, ...notices.map((x) => x.text)].join('\n\n')), rest: rest.filter((x) => x.kind !== 'notice') };
    }
    case 'message':
      return { answer: cardAnswer(renderCard(forTeams(main.message))), rest };
    case 'close_form':
      return { answer: cardAnswer(sentenceCard(t(l, 'teams.form.working'), WORKING_ID)), rest };
    default:
      return { rest };
  }
}
