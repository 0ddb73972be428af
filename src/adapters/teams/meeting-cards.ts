/**
 * Meetings on Microsoft Teams (interfaces.md "Meetings" and "Microsoft Teams"): the meeting commands typed
 * in a personal chat, the meeting forms as Adaptive Cards 1.5, and the invitation card's verbs, all decided
 * by the interaction layer (src/interaction/meetings.ts) as on Slack; this file only turns activities into
 * intents and replies into cards.
 *
 *   reunion | meeting             the `meeting_new` form card (submit verb `meeting_new`; inputs `kind`
 *                                 (Input.ChoiceSet), `start`, `end` (Input.Date), `city`, `country`, `title`)
 *                                 for PPT focal points and ST staff; anyone else: why not
 *   reuniones | meetings          the upcoming meetings (a card; a Member Country's focal point gets an
 *                                 Action.Execute `meeting_delegation_open` per meeting)
 *   pendientes | duties           the duties still owed (a card with a Table)
 *   meeting_delegation_open       the `meeting_delegation` form card: one Input.ChoiceSet (isMultiSelect) per
 *                                 segment, id = the segment (the Slack block id), submit verb
 *                                 `meeting_delegation`
 *   meeting_new / _delegation     the submission: the form again with the errors under their fields (and what
 *                                 was typed), or a card saying what was recorded or why not
 *   meeting_attend / _decline     the invitation card (Action.Execute verbs, data `{ m, s }`: meeting and
 *                                 segment, untrusted) answered with the same invitation, "Answer recorded …",
 *                                 its buttons kept, and the thanks; a refusal is a message saying why
 *
 * Every invoke is answered 200 with a card or a message in the person's language. In a channel or a group
 * chat only the help is answered (everyone would read the rest), as for the consultation commands.
 *
 *   const meetings = new TeamsMeetings({ deps, reader, meetings: meetingDeps, logger });
 *   if (meetings.handlesText(activity.text)) for (const a of await meetings.command(activity)) await send(a);
 *   if (meetings.handlesVerb(verb)) return meetings.invoke(activity);
 */
import type { IAdaptiveCard } from '@microsoft/teams.cards';
import { z } from 'zod';
import { parseCommand } from '../../commands/catalogue.ts';
import type { Locale } from '../../directory/model.ts';
import { SEGMENTS } from '../../domain/meetings/index.ts';
import type { MeetingDeps } from '../../flows/meeting-flows.ts';
import type { FlowDeps } from '../../flows/ports.ts';
import type { ConsultationReader } from '../../flows/queries.ts';
import { t } from '../../i18n/index.ts';
import { formSpec, parseFormContext } from '../../interaction/form-specs.ts';
import type { FormValues } from '../../interaction/forms.ts';
import { Identity } from '../../interaction/identity.ts';
import { Interaction } from '../../interaction/interaction.ts';
import type { FormRequest, Intent, Outcome, Reply } from '../../interaction/intent.ts';
import { MEETING_COMMANDS } from '../../interaction/meetings.ts';
import type { Logger } from '../../log.ts';
import type { FormSpec } from '../../messages/form-spec.ts';
import { ACTION_MEETING_DELEGATION } from '../../messages/meeting-lists.ts';
import { ACTION_MEETING_ATTEND, ACTION_MEETING_DECLINE } from '../../messages/meeting-invitation.ts';
import type { NeutralMessage } from '../../messages/neutral.ts';
import { renderForm } from './forms.ts';
import { ADAPTIVE_CARD_CONTENT_TYPE, cardActivity, renderActivity, renderCard, type CardActivity } from './render.ts';

/** The verbs this file answers: the invitation's, the delegation button's, the meeting forms' submits. */
export const MEETING_VERBS: ReadonlySet<string> = new Set([ACTION_MEETING_ATTEND, ACTION_MEETING_DECLINE, ACTION_MEETING_DELEGATION, 'meeting_new', 'meeting_delegation']);

export type MeetingInvokeAnswer =
  | { statusCode: 200; type: typeof ADAPTIVE_CARD_CONTENT_TYPE; value: IAdaptiveCard }
  | { statusCode: 200; type: 'application/vnd.microsoft.activity.message'; value: string };

/** What is read of a Teams activity (a message, or an `adaptiveCard/action` invoke). */
export interface MeetingActivity {
  id?: string;
  text?: string;
  locale?: string;
  replyToId?: string;
  from?: { aadObjectId?: string };
  conversation?: { id?: string; conversationType?: string };
  value?: { action?: { verb?: unknown; data?: unknown } };
}

export interface TeamsMeetingsOptions {
  deps: FlowDeps;
  reader: ConsultationReader;
  meetings: MeetingDeps;
  logger: Logger;
  /** How long a submission waits for the database before answering anyway (Teams waits for the invoke). */
  budgetMs?: number;
}

/** The words after an @mention and an optional leading `/crm` or `crm` (as commands.ts reads them). */
function words(text: string | undefined): string {
  return (text ?? '')
    .replace(/<at>[^<]*<\/at>/gi, ' ')
    .replace(/&nbsp;/g, ' ')
    .trim()
    .replace(/^\/?crm\b\s*/i, '')
    .trim();
}

const InvitationData = z.object({ m: z.string().min(1).max(100), s: z.enum(SEGMENTS) });
const DelegationButtonData = z.object({ m: z.string().min(1).max(100) });

/** Submitted inputs (untrusted): strings as typed, numbers as text; anything else is dropped. */
function formValues(data: Record<string, unknown>): FormValues {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(data)) {
    if (k.length > 64) continue;
    if (typeof v === 'string') out[k] = v.slice(0, 10_000);
    else if (typeof v === 'number' && Number.isFinite(v)) out[k] = String(v);
  }
  return out;
}

/** A message the bot says (a notice) as a card: a heading and the sentences. */
function noticeMessage(l: Locale, heading: string, body: string[]): NeutralMessage {
  return { kind: 'status', locale: l, consultationId: '', reference: '', heading, body, fields: [], buttons: [] };
}

/** The form spec of a request, with what was typed kept and the errors under their fields. */
export function meetingFormCard(request: FormRequest, l: Locale, values: FormValues = {}, errors: Record<string, string> = {}): IAdaptiveCard {
  const spec: FormSpec = formSpec(request, { locale: l, timezone: 'UTC' });
  const fields = spec.fields.map((f) => {
    const v = values[f.id];
    if (v === undefined || v === '') return f;
    switch (f.kind) {
      case 'text':
      case 'multiline':
      case 'date':
        return { ...f, value: v };
      case 'select':
        return f.options.some((o) => o.value === v) ? { ...f, value: v } : f;
      case 'multiselect': {
        const chosen = v.split(',').map((x) => x.trim()).filter((x) => f.options.some((o) => o.value === x));
        return chosen.length ? { ...f, value: chosen } : f;
      }
      default:
        return f;
    }
  });
  return renderForm({ ...spec, fields, ...(Object.keys(errors).length ? { errors } : {}) });
}

export class TeamsMeetings {
  private readonly interaction: Interaction;
  private readonly log: Logger;

  constructor(private readonly o: TeamsMeetingsOptions) {
    this.log = o.logger.child({ adapter: 'teams', feature: 'meetings' });
    const identity = new Identity('teams', o.deps.directory, undefined, this.log);
    this.interaction = new Interaction({ deps: o.deps, reader: o.reader, identity, logger: this.log, meetings: o.meetings });
  }

  /** The typed text is a meeting command (`reunion`, `reuniones`, `pendientes`, and their aliases). */
  handlesText(text: string | undefined): boolean {
    return MEETING_COMMANDS.has(parseCommand(words(text)).name);
  }

  handlesVerb(verb: unknown): boolean {
    return typeof verb === 'string' && MEETING_VERBS.has(verb);
  }

  private userOf(activity: MeetingActivity): string {
    return activity.from?.aadObjectId ?? '';
  }

  /** A meeting command typed in a chat: the activities to send back in the same conversation. */
  async command(activity: MeetingActivity): Promise<CardActivity[]> {
    const userId = this.userOf(activity);
    const l = this.interaction.localeOf(userId);
    const type = activity.conversation?.conversationType;
    // In a channel or a group chat everyone would read the answer: the person is asked to write privately.
    if (type && type !== 'personal') return [renderActivity(noticeMessage(l, t(l, 'help.heading'), [t(l, 'teams.personal_only')]))];
    const intent: Intent = { kind: 'command', text: words(activity.text), slash: 'crm', ...(activity.conversation?.id ? { origin: activity.conversation.id } : {}) };
    const out = await this.interaction.handle(userId, intent, { key: `teams:command:${activity.id ?? `${userId}:${Date.now()}`}`, budgetMs: this.o.budgetMs ?? 4000 });
    const replies = await this.all(out);
    const sent: CardActivity[] = [];
    for (const r of replies) {
      if (r.kind === 'form') {
        const card = meetingFormCard(r.form, out.locale);
        sent.push(cardActivity(card, formSpec(r.form, { locale: out.locale, timezone: 'UTC' }).title));
      } else if (r.kind === 'message') sent.push(renderActivity(r.message));
      else if (r.kind === 'notice' || r.kind === 'form_notice') sent.push(renderActivity(noticeMessage(out.locale, t(out.locale, 'help.heading'), [r.text])));
    }
    return sent;
  }

  /** An Action.Execute with a meeting verb: answered with a card or a message (200, always). */
  async invoke(activity: MeetingActivity): Promise<MeetingInvokeAnswer> {
    const userId = this.userOf(activity);
    const verb = typeof activity.value?.action?.verb === 'string' ? activity.value.action.verb : '';
    const raw = activity.value?.action?.data;
    const data = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
    const key = `teams:${activity.id ?? `${userId}:${verb}:${Date.now()}`}`;
    let l = this.interaction.localeOf(userId);
    try {
      if (verb === ACTION_MEETING_ATTEND || verb === ACTION_MEETING_DECLINE) {
        const target = InvitationData.safeParse(data);
        const card = activity.replyToId && activity.conversation?.id ? { channel: activity.conversation.id, ts: activity.replyToId } : undefined;
        const intent: Intent = {
          kind: 'answer_invitation',
          response: verb === ACTION_MEETING_ATTEND ? 'attend' : 'decline',
          ...(target.success ? { target: { meetingId: target.data.m, segment: target.data.s } } : {}),
          ...(card ? { card } : {}),
        };
        const out = await this.interaction.handle(userId, intent, { key });
        return this.answer(out.locale, await this.all(out));
      }
      if (verb === ACTION_MEETING_DELEGATION) {
        const button = DelegationButtonData.safeParse(data);
        const intent: Intent = { kind: 'open_form', form: 'meeting_delegation', ...(button.success ? { meetingId: button.data.m } : {}), ...(activity.conversation?.id ? { origin: activity.conversation.id } : {}) };
        const out = await this.interaction.handle(userId, intent, { key, preflighted: undefined });
        return this.answer(out.locale, await this.all(out));
      }
      // A form's submit: its inputs' values merged with what the form carried.
      const form = verb as 'meeting_new' | 'meeting_delegation';
      const values = formValues(data);
      const context = parseFormContext(form, data);
      const out = await this.interaction.handle(userId, { kind: 'submit', form, values, ...(context ? { context } : {}) }, { key, budgetMs: this.o.budgetMs ?? 4000 });
      l = out.locale;
      const replies = await this.all(out);
      const errors = replies.find((r): r is Extract<Reply, { kind: 'field_errors' }> => r.kind === 'field_errors');
      if (errors) {
        const request = await this.requestAgain(userId, form, context);
        if (request) return card(meetingFormCard(request, l, values, errors.errors));
        return message(Object.values(errors.errors).join('\n'));
      }
      const heading = t(l, form === 'meeting_new' ? 'meeting.form.heading' : 'meeting.delegation.heading');
      const said = replies.filter((r): r is Extract<Reply, { kind: 'notice' | 'form_notice' }> => r.kind === 'notice' || r.kind === 'form_notice').map((r) => r.text);
      return card(renderCard(noticeMessage(l, heading, said.length ? said : [t(l, 'meeting.form.received')])));
    } catch (err) {
      this.log.error({ err, verb: verb.slice(0, 40) }, 'teams: meeting action failed');
      return message(t(l, 'refusal.unknown'));
    }
  }

  /** The form to show again with its errors: the new-meeting form, or the delegation form read again. */
  private async requestAgain(userId: string, form: 'meeting_new' | 'meeting_delegation', context: ReturnType<typeof parseFormContext>): Promise<FormRequest | undefined> {
    if (form === 'meeting_new') return { form: 'meeting_new', ...(context?.form === 'meeting_new' && context.origin ? { origin: context.origin } : {}) };
    if (context?.form !== 'meeting_delegation') return undefined;
    const out = await this.interaction.handle(userId, { kind: 'open_form', form: 'meeting_delegation', meetingId: context.delegation.meetingId }, { key: `teams:again:${userId}`, preflighted: undefined });
    const again = out.now.find((r): r is Extract<Reply, { kind: 'form' }> => r.kind === 'form');
    return again?.form;
  }

  /** The replies now and later (Teams waits for the invoke's answer: the later ones are awaited too). */
  private async all(out: Outcome): Promise<Reply[]> {
    return [...out.now, ...(out.later ? await out.later : [])];
  }

  /** A button's replies as the invoke's answer: the clicked card replaced (the thanks under it), a form, or a message. */
  private answer(l: Locale, replies: readonly Reply[]): MeetingInvokeAnswer {
    const notices = replies.filter((r): r is Extract<Reply, { kind: 'notice' | 'form_notice' }> => r.kind === 'notice' || r.kind === 'form_notice').map((r) => r.text);
    const replaced = replies.find((r): r is Extract<Reply, { kind: 'card' }> => r.kind === 'card');
    if (replaced) {
      const { updates: _where, ...m } = replaced.update;
      return card(renderCard({ ...m, body: [...m.body, ...notices] }));
    }
    const form = replies.find((r): r is Extract<Reply, { kind: 'form' }> => r.kind === 'form');
    if (form) return card(meetingFormCard(form.form, l));
    return message(notices.join('\n') || t(l, 'refusal.unknown'));
  }
}

const message = (text: string): MeetingInvokeAnswer => ({ statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: text });
const card = (value: IAdaptiveCard): MeetingInvokeAnswer => ({ statusCode: 200, type: ADAPTIVE_CARD_CONTENT_TYPE, value });
