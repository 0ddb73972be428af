/**
 * `/crm …`: acknowledged at once (empty body), then parsed with the shared catalogue (src/commands) and
 * answered privately in the person's language. Forms open right after the ack, before any database work,
 * because the trigger id expires 3 s after the command: `consulta` opens the new-consultation modal;
 * `revisar|prorrogar|retirar REF` open a "loading" modal first and replace it (views.update) with the form,
 * or with the refusal, once the consultation is read and the person's authority checked. `revisar REF` on a
 * consultation the Troika did not endorse opens the same form to resend the text as a new consultation
 * (refused when it was already resent: the answer names the consultation that superseded it).
 */
import type { App, SlashCommand } from '@slack/bolt';
import { maySeeConsultation } from '../../../domain/authority.ts';
import { deadlineMessage, latestStatusMessage, listMessage, statusMessage } from '../../../commands/answers.ts';
import { parseCommand, type ParsedCommand } from '../../../commands/catalogue.ts';
import { helpParagraphs } from '../../../commands/help.ts';
import { currentTextVersion } from '../../../domain/outcome.ts';
import type { Command, ConsultationState } from '../../../domain/types.ts';
import { LIMITS } from '../../../domain/types.ts';
import { resentAs } from '../../../flows/consultation-flows.ts';
import { countryName } from '../../../flows/effects.ts';
import { checkAccess, recordRefusedAttempt } from '../../../flows/preview.ts';
import { consultationByReference, openConsultations } from '../../../flows/queries.ts';
import { deadlineText } from '../../../flows/messages/common.ts';
import { t } from '../../../i18n/index.ts';
import type { SlackPerson } from '../identity.ts';
import { CALLBACK_EXTEND, CALLBACK_REVISE, CALLBACK_WITHDRAW, extendModal, reviseModal, withdrawModal, type ManageContext } from '../manage-views.ts';
import { renderEphemeral, renderMessage } from '../render.ts';
import { newConsultationModal } from '../views.ts';
import { meetingNewModal } from '../meeting-views.ts';
import { answerMeetingCommand, meetingPersonBySlack } from './meetings.ts';
import { commandOpensForm } from './durable.ts';
import {
  guarded,
  isReplay,
  mayManage,
  maySee,
  noticeModal,
  notInDirectoryText,
  refusalText,
  replyPrivately,
  replyText,
  requestIdOf,
  triggerKey,
  type ReplyTarget,
  type SlackListenerContext,
} from './shared.ts';

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

export function registerCommands(app: App, ctx: SlackListenerContext): void {
  app.command(/^\/.+/, async ({ command, ack, respond, context }) => {
    await ack();
    const requestId = requestIdOf(context);
    const to: ReplyTarget = { userId: command.user_id, channelId: command.channel_id, respond, preferRespond: true };
    let locale = ctx.identity.known(command.user_id).known?.person.locale ?? 'es';
    await guarded(ctx, { requestId, what: 'command', locale: () => locale, reply: (text) => replyText(ctx, to, text), context }, async () => {
      // Commands that only open a form are never stored (listeners/durable.ts); a replay cannot open one.
      if (isReplay(context) && commandOpensForm(command.text)) return;
      const parsed = parseCommand(command.text);
      // Forms first: the trigger id is only valid for 3 s, and needs nothing but the directory in memory.
      const { actor } = ctx.identity.known(command.user_id);
      if (parsed.name === 'consult' && actor && mayManage(actor, ctx.deps)) {
        await ctx.client.views.open({ trigger_id: command.trigger_id, view: newConsultationModal(locale, { privateMetadata: encodeOrigin(command.channel_id) }) });
        return;
      }
      if (parsed.name === 'meeting' && actor && mayManage(actor, ctx.deps) && ctx.meetings) {
        await ctx.client.views.open({ trigger_id: command.trigger_id, view: meetingNewModal(locale, { privateMetadata: encodeOrigin(command.channel_id) }) });
        return;
      }
      if (parsed.name === 'meeting' || parsed.name === 'meetings' || parsed.name === 'duties') {
        // Meetings (listeners/meetings.ts): delegates and observers' people may ask too, not only focal points.
        locale = meetingPersonBySlack(ctx.identity.current(), command.user_id)?.locale ?? (await ctx.identity.who(command.user_id)).locale;
        await answerMeetingCommand(ctx, { name: parsed.name, userId: command.user_id, locale, to });
        return;
      }
      let loadingViewId: string | undefined;
      if ((parsed.name === 'revise' || parsed.name === 'extend' || parsed.name === 'withdraw') && actor) {
        const opened = await ctx.client.views.open({ trigger_id: command.trigger_id, view: noticeModal(locale, t(locale, 'slack.loading')) });
        loadingViewId = opened.view?.id;
      }

      const person = await ctx.identity.who(command.user_id);
      locale = person.locale;
      if (!person.actor) {
        ctx.identity.logStranger(command.user_id, { command: parsed.name });
        await replyText(ctx, to, notInDirectoryText());
        return;
      }
      await answer(ctx, { parsed, person, command, to, requestId, ...(loadingViewId ? { loadingViewId } : {}) });
    });
  });
}

interface Asked {
  parsed: ParsedCommand;
  person: SlackPerson;
  command: SlashCommand;
  to: ReplyTarget;
  requestId: string;
  loadingViewId?: string;
}

async function answer(ctx: SlackListenerContext, a: Asked): Promise<void> {
  const { parsed, person, to } = a;
  const actor = person.actor!;
  const l = person.locale;
  const reader = { locale: l, timezone: person.timezone, ...(person.actor ? { viewer: person.actor } : {}) };
  const directory = ctx.identity.current();
  const slash = a.command.command || '/crm';
  const key = triggerKey(person.userId, a.command.trigger_id, 'command');

  switch (parsed.name) {
    case 'help': {
      const help = helpParagraphs(l, { slash, ...(parsed.problem ? { problem: parsed.problem } : {}) });
      await replyPrivately(ctx, to, renderMessage({ kind: 'status', locale: l, consultationId: '', reference: '', heading: help.heading, body: help.lines, fields: [], buttons: [] }));
      return;
    }
    case 'consult':
      // Reaches here only when the person may not start one (the modal opened above otherwise).
      await recordRefusedAttempt(ctx.deps, { key, type: 'start', actor, code: 'not_authorized' });
      await replyText(ctx, to, t(l, 'slack.manage_only'));
      return;
    case 'deadline': {
      const days = parsed.days ?? LIMITS.defaultDays;
      const result = ctx.deps.calendars.calendar('secretariat').deadlineAfter(ctx.deps.clock.now(), days);
      await replyPrivately(ctx, to, renderMessage(deadlineMessage(result, days, directory, reader)));
      return;
    }
    case 'status':
    case 'list': {
      if (!maySee(actor)) {
        await replyText(ctx, to, t(l, 'home.no_access'));
        return;
      }
      // Only what the person may know exists (a consultation under Troika review is the Troika's business).
      const visible = async () => (await openConsultations(ctx.reader)).filter((s) => maySeeConsultation(s, actor));
      if (parsed.name === 'list') {
        await replyPrivately(ctx, to, renderMessage(listMessage(await visible(), directory, reader)));
        return;
      }
      if (!parsed.reference) {
        await replyPrivately(ctx, to, renderMessage(latestStatusMessage(await visible(), directory, reader, { slash })));
        return;
      }
      const state = await consultationByReference(ctx.reader, parsed.reference);
      if (!state || !maySeeConsultation(state, actor)) await replyText(ctx, to, t(l, 'refusal.not_found'));
      else await replyPrivately(ctx, to, renderMessage(statusMessage(state, directory, reader)));
      return;
    }
    case 'revise':
    case 'extend':
    case 'withdraw':
      await openManageForm(ctx, a, parsed.name, parsed.reference, key);
      return;
  }
}

/** The command checked before its form shows (placeholders stand for what the form will ask). */
function probe(name: 'revise' | 'extend' | 'withdraw', state: ConsultationState, actor: NonNullable<SlackPerson['actor']>): Command {
  const base = { consultationId: state.consultationId, actor };
  if (name === 'revise') return { ...base, type: 'revise', text: `${state.text.slice(0, 100)} (preview)` };
  if (name === 'extend') return { ...base, type: 'extend', deadline: { kind: 'business_days', days: LIMITS.daysMax }, justification: 'preview' };
  return { ...base, type: 'withdraw' };
}

async function openManageForm(ctx: SlackListenerContext, a: Asked, name: 'revise' | 'extend' | 'withdraw', reference: string, key: string): Promise<void> {
  const l = a.person.locale;
  const show = async (view: Parameters<typeof ctx.client.views.update>[0] extends infer A ? (A extends { view: infer V } ? V : never) : never) => {
    if (a.loadingViewId) await ctx.client.views.update({ view_id: a.loadingViewId, view });
    else await ctx.client.views.open({ trigger_id: a.command.trigger_id, view });
  };
  // Said once: in the modal already open ("Loading…"), else privately in the conversation.
  const refuse = async (text: string) => {
    if (a.loadingViewId) await ctx.client.views.update({ view_id: a.loadingViewId, view: noticeModal(l, text) });
    else await replyPrivately(ctx, a.to, renderEphemeral(text));
  };

  const state = await consultationByReference(ctx.reader, reference);
  if (!state) return refuse(t(l, 'refusal.not_found'));
  const resend = name === 'revise' && state.stage === 'not_endorsed';
  if (resend) {
    // A new consultation: who may start one may resend (the domain checks again on submission).
    if (!mayManage(a.person.actor, ctx.deps)) {
      await recordRefusedAttempt(ctx.deps, { key, type: 'start', actor: a.person.actor!, code: 'not_authorized' });
      return refuse(t(l, 'slack.manage_only'));
    }
    const by = await resentAs(ctx.deps, state);
    if (by !== undefined) {
      await recordRefusedAttempt(ctx.deps, { key, type: 'start', actor: a.person.actor!, code: 'already_exists', detail: { reference: by, supersedes: state.reference } });
      return refuse(t(l, 'resend.already_resent', { reference: state.reference, by }));
    }
  } else {
    const checked = await checkAccess(ctx.deps, probe(name, state, a.person.actor!), { key });
    if (!checked.ok) return refuse(refusalText(l, checked.code, checked.detail, true));
  }

  const m: ManageContext = { consultationId: state.consultationId, reference: state.reference, ...(a.command.channel_id ? { channelId: a.command.channel_id } : {}) };
  if (name === 'revise') {
    const v = currentTextVersion(state);
    const objection = resend ? state.troikaHistory.findLast((r) => r.reaction === 'object') : undefined;
    await show(
      reviseModal(l, m, {
        title: v.title,
        text: v.text,
        version: v.number,
        ...(v.locale ? { locale: v.locale } : {}),
        ...(v.translation ? { translation: v.translation } : {}),
        ...(resend
          ? { notEndorsed: { country: objection ? countryName(ctx.identity.current(), objection.country, l) : '—', reason: state.endReason ?? objection?.reason ?? '—' } }
          : {}),
      }),
    );
  } else if (name === 'extend') {
    const deadline = deadlineText(state, { locale: l, timezone: a.person.timezone });
    await show(extendModal(l, m, { deadline }));
  } else {
    await show(withdrawModal(l, m, { title: state.title, circulated: state.circulatedAt !== undefined }));
  }
}

export { CALLBACK_EXTEND, CALLBACK_REVISE, CALLBACK_WITHDRAW };
