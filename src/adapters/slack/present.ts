/**
 * The interaction layer's replies (src/interaction/intent.ts) in Slack, for one request:
 *
 *   notice, message   → privately: chat.postEphemeral where the person acted, or the response_url (./listeners/shared.ts replyPrivately)
 *   loading           → views.open with a "loading" notice modal (the trigger expires 3 s after the request)
 *   form              → the form's modal: views.update of the modal open for this request, else views.open
 *   form_notice       → a view submission: `response_action: update` with a notice modal; otherwise the modal
 *                       open for this request becomes the notice (views.update), else it is said privately
 *   field_errors      → a view submission's ack: `response_action: errors`
 *   close_form        → a view submission's empty ack
 *   home              → views.publish of the Home tab
 *   card              → `inPlace`: the clicked message replaced for the person (response_url,
 *                       `replace_original`); otherwise nothing: the outbox updates the clicked card (chat.update)
 *
 * `run` is the whole pipeline of a request: preflight (memory only) → present → handle → present now →
 * present later.
 */
import type { Locale } from '../../directory/model.ts';
import { t } from '../../i18n/index.ts';
import type { HandleOptions } from '../../interaction/interaction.ts';
import type { FormRequest, Intent, Reply } from '../../interaction/intent.ts';
import { extendModal, reviseModal, withdrawModal } from './manage-views.ts';
import { delegationModal, meetingNewModal } from './meeting-views.ts';
import { renderMessage, renderRecordedCard } from './render.ts';
import { encodeReasonMetadata, newConsultationModal, reasonModal, viewErrors, type ModalView } from './views.ts';
import { homeTab } from './listeners/home.ts';
import { noticeModal, replyPrivately, replyText, updateWithNotice, type ReplyTarget, type SlackListenerContext } from './listeners/shared.ts';

/** What the new-consultation modal carries: where the command was typed (for the confirmation). */
export const encodeOrigin = (channelId: string | undefined) => JSON.stringify(channelId ? { ch: channelId } : {});
export function parseOrigin(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 200) return undefined;
  try {
    const ch = (JSON.parse(value) as { ch?: unknown }).ch;
    return typeof ch === 'string' && /^[CDG][A-Z0-9]{2,30}$/.test(ch) ? ch : undefined;
  } catch {
    return undefined;
  }
}

/** A form request as its Slack modal, labels in `locale`. */
export function modalFor(locale: Locale, request: FormRequest): ModalView {
  switch (request.form) {
    case 'consultation_new':
      return newConsultationModal(locale, { privateMetadata: encodeOrigin(request.origin) });
    case 'reason':
      return reasonModal(locale, encodeReasonMetadata(request.reason), request.reason.kind);
    case 'revise':
      return reviseModal(locale, request.manage, request.current);
    case 'extend':
      return extendModal(locale, request.manage, request.current);
    case 'withdraw':
      return withdrawModal(locale, request.manage, request.current);
    case 'meeting_new':
      return meetingNewModal(locale, { privateMetadata: encodeOrigin(request.origin) });
    case 'meeting_delegation':
      return delegationModal(locale, request);
  }
}

export type Ack = (response?: Record<string, unknown>) => Promise<void>;

export interface SlackSurface {
  userId: string;
  /** Where private replies go. */
  to: ReplyTarget;
  /** The request's trigger id, to open a modal with. */
  triggerId?: string;
  /** A view submission's ack (answers the submission: errors, update, close). */
  ack?: Ack;
  /** The request is a click on a message, which `to.respond` can replace (a `card` reply). */
  clickedMessage?: boolean;
}

export class SlackPresenter {
  /** The modal opened for this request (loading or a form), which later replies replace. */
  private openViewId: string | undefined;

  constructor(
    private readonly ctx: SlackListenerContext,
    private readonly surface: SlackSurface,
  ) {}

  /**
   * The request's whole pipeline through the interaction layer. `onLocale` hears the language of the
   * replies as soon as it is known (for the generic error message, should something fail afterwards).
   */
  async run(intent: Intent, opts: Omit<HandleOptions, 'preflighted'>, locale: Locale, onLocale: (l: Locale) => void = () => {}): Promise<void> {
    const { interaction } = this.ctx;
    // A replay cannot open a form (its trigger has expired): no preflight.
    const early = opts.replay ? undefined : interaction.preflight(this.surface.userId, intent);
    if (early) await this.present([early], locale);
    const out = await interaction.handle(this.surface.userId, intent, { ...opts, preflighted: early });
    onLocale(out.locale);
    await this.present(out.now, out.locale);
    if (out.later) await this.present(await out.later, out.locale);
  }

  async present(replies: readonly Reply[], locale: Locale): Promise<void> {
    for (const reply of replies) await this.one(reply, locale);
  }

  private async one(reply: Reply, l: Locale): Promise<void> {
    const { ctx, surface } = this;
    switch (reply.kind) {
      case 'notice':
        return replyText(ctx, surface.to, reply.text);
      case 'message':
        return replyPrivately(ctx, surface.to, renderMessage(reply.message));
      case 'loading':
        return this.show(noticeModal(l, t(l, 'slack.loading')));
      case 'form':
        return this.show(modalFor(l, reply.form));
      case 'form_notice':
        if (surface.ack) return surface.ack(updateWithNotice(l, reply.text));
        if (this.openViewId) await ctx.client.views.update({ view_id: this.openViewId, view: noticeModal(l, reply.text) });
        // No form open to show it in: said privately instead, so it is still said (once).
        else await replyText(ctx, surface.to, reply.text);
        return;
      case 'field_errors':
        return surface.ack?.(viewErrors(reply.errors));
      case 'close_form':
        return surface.ack?.();
      case 'home':
        await ctx.client.views.publish({ user_id: surface.userId, view: homeTab(reply.view) });
        return;
      case 'card': {
        // Without `inPlace` the clicked card is updated for everyone through the outbox: nothing more here.
        if (!reply.inPlace || !surface.clickedMessage || !surface.to.respond) return;
        const { updates: _where, ...m } = reply.update;
        const rendered = renderRecordedCard(m, m.recorded, { keepButtons: m.keepButtons });
        await surface.to.respond({ replace_original: true, text: rendered.text, blocks: rendered.blocks }).catch((err: unknown) =>
          ctx.logger.warn({ error: err instanceof Error ? err.message : String(err) }, 'slack: clicked card not updated'),
        );
        return;
      }
    }
  }

  private async show(view: ModalView): Promise<void> {
    if (this.openViewId) {
      await this.ctx.client.views.update({ view_id: this.openViewId, view });
      return;
    }
    const opened = await this.ctx.client.views.open({ trigger_id: this.surface.triggerId ?? '', view });
    this.openViewId = opened.view?.id;
  }
}
