/**
 * The interaction layer's replies (src/interaction/intent.ts) in the console, for one seat and one request:
 *
 *   notice, message  → a new card in the seat (a message is the Teams card of the neutral message)
 *   loading          → a "one moment" card, which the form (or the refusal) then replaces
 *   form             → the form's Adaptive Card (adapters/teams/forms.ts), in place of the loading card
 *   form_notice      → the open form (submitted, loading) becomes the notice; with none open, a new card
 *   field_errors     → the submitted form shown again, with what was typed and the errors under the fields
 *   close_form       → the submitted form disappears (a reason form, once its card is updated in place)
 *   home             → nothing: the console has no home view (the seat's cards are its view)
 *   card             → with `inPlace` (an invitation answered): the clicked card, when it is one of this
 *                      seat's, becomes the card as it now is ("Answer recorded …", buttons kept); without,
 *                      nothing here: the outbox updates the card (./console-notifier.ts)
 *
 * `run` is the whole pipeline: handle (the preflight is included: nothing expires here) → present now →
 * present later (in the background: the HTTP answer does not wait for it).
 */
import type { Locale } from '../../directory/model.ts';
import type { HandleOptions, Interaction } from '../../interaction/interaction.ts';
import type { Intent, Reply } from '../../interaction/intent.ts';
import type { Logger } from '../../log.ts';
import { consoleCardRef } from './console-notifier.ts';
import { formCard, loadingCard, messageCard, noticeCard, type Submitted } from './render.ts';
import type { ConsoleStore } from './store.ts';
import { consoleText } from './text.ts';

export interface ConsoleSeatReader {
  locale: Locale;
  timezone: string;
}

export class ConsolePresenter {
  /** The card holding the open form of this request (the submitted form, or the loading card). */
  private formCardId: string | undefined;

  constructor(
    private readonly deps: { interaction: Interaction; store: ConsoleStore; logger: Logger; now: () => Date },
    private readonly seat: string,
    private readonly reader: ConsoleSeatReader,
    submitted?: { cardId: string; values: Submitted },
  ) {
    this.formCardId = submitted?.cardId;
    this.submittedValues = submitted?.values ?? {};
  }

  private readonly submittedValues: Submitted;

  async run(intent: Intent, opts: Omit<HandleOptions, 'preflighted'>): Promise<void> {
    const out = await this.deps.interaction.handle(this.seat, intent, opts);
    const locale = out.locale;
    this.present(out.now, locale);
    if (out.later) {
      out.later.then(
        (replies) => this.present(replies, locale),
        (err: unknown) => {
          this.deps.logger.error({ err, requestId: opts.requestId }, 'console: work after the answer failed');
          this.present([{ kind: 'notice', text: consoleText(locale, 'failed', { requestId: opts.requestId ?? '' }) }], locale);
        },
      );
    }
  }

  present(replies: readonly Reply[], locale: Locale): void {
    for (const r of replies) this.one(r, locale);
  }

  private one(reply: Reply, l: Locale): void {
    const { store } = this.deps;
    const reader = { locale: l, timezone: this.reader.timezone, now: this.deps.now() };
    switch (reply.kind) {
      case 'notice':
        store.add(this.seat, noticeCard(reply.text));
        return;
      case 'message':
        store.add(this.seat, messageCard(reply.message));
        return;
      case 'loading':
        this.formCardId = store.add(this.seat, loadingCard(l)).id;
        return;
      case 'form': {
        const card = formCard(reply.form, reader);
        if (this.formCardId && store.update(this.seat, this.formCardId, card, { form: reply.form })) return;
        this.formCardId = store.add(this.seat, card, { form: reply.form }).id;
        return;
      }
      case 'form_notice':
        if (this.formCardId && store.update(this.seat, this.formCardId, noticeCard(reply.text))) {
          this.formCardId = undefined;
          return;
        }
        store.add(this.seat, noticeCard(reply.text));
        return;
      case 'field_errors': {
        const held = this.formCardId ? store.get(this.seat, this.formCardId) : undefined;
        if (this.formCardId && held?.form) {
          store.update(this.seat, this.formCardId, formCard(held.form, reader, { errors: reply.errors, values: this.submittedValues }), { form: held.form });
          return;
        }
        store.add(this.seat, noticeCard(Object.values(reply.errors).join('\n\n')));
        return;
      }
      case 'close_form':
        if (this.formCardId) store.remove(this.seat, this.formCardId);
        this.formCardId = undefined;
        return;
      case 'home':
        return;
      case 'card': {
        if (!reply.inPlace) return;
        const { updates, ...message } = reply.update;
        const clicked = clickedCardId(updates, this.seat);
        // Only one of this seat's own cards (the reference is untrusted); gone or not one: shown as new.
        if (clicked && store.update(this.seat, clicked, messageCard(message))) return;
        store.add(this.seat, messageCard(message));
        return;
      }
    }
  }
}

/** The id of the clicked card a `card` reply names, when it is a card of `seat`. */
function clickedCardId(updates: unknown, seat: string): string | undefined {
  if (!updates || typeof updates !== 'object') return undefined;
  const { channel, ts } = updates as { channel?: unknown; ts?: unknown };
  if (typeof ts !== 'string' || channel !== consoleCardRef(seat, ts).channel) return undefined;
  return ts;
}
