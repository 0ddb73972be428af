/**
 * The commands typed to the bot in Teams (interfaces.md "Microsoft Teams"): in a personal chat, or with an
 * @mention in a channel; the same words as Slack's `/crm` subcommands, with or without a leading `/crm` or
 * `crm`, parsed by the shared catalogue (src/commands). Answered in the conversation, in the person's
 * language, as an Adaptive Card (the same neutral messages Slack renders: src/commands/answers.ts).
 *
 *   ayuda | help (anything unknown: the help, saying what was wrong)
 *   estado | status [REF], lista | list     ST staff and Member Countries' focal points, and only the
 *                                            consultations they may know exist (domain maySeeConsultation)
 *   plazo | deadline [N]                     anyone in the directory
 *   consulta                                 the new-consultation form card (new-consultation.ts): PPT
 *                                            focal points and ST staff
 *   revisar, prorrogar, retirar REF          their form cards (manage.ts), after the authority check
 *                                            (resending a text the Troika did not endorse: not yet)
 * Someone not in the directory is told so, in both languages. In a channel or a group chat (an @mention)
 * only the help is answered there: everything else would be read by everyone, so the person is asked to
 * write it in their personal chat with the bot.
 */
import { maySeeConsultation } from '../../domain/authority.ts';
import { deadlineMessage, latestStatusMessage, listMessage, statusMessage } from '../../commands/answers.ts';
import { parseCommand } from '../../commands/catalogue.ts';
import { helpParagraphs } from '../../commands/help.ts';
import { LIMITS } from '../../domain/types.ts';
import { identify } from '../../flows/people.ts';
import type { FlowDeps } from '../../flows/ports.ts';
import { consultationByReference, openConsultations, type ConsultationReader } from '../../flows/queries.ts';
import { t } from '../../i18n/index.ts';
import type { NeutralMessage } from '../../messages/neutral.ts';
import { localeFor, personByTeamsId } from './people.ts';
import { manageForm } from './manage.ts';
import { mayStart, newConsultationForm } from './new-consultation.ts';
import { cardActivity, renderActivity, type CardActivity } from './render.ts';

export interface CommandActivity {
  id?: string;
  text?: string;
  locale?: string;
  from?: { aadObjectId?: string };
  conversation?: { conversationType?: string };
}

export interface TeamsCommandDeps {
  deps: FlowDeps;
  reader: ConsultationReader;
}

/** The words after an @mention and an optional leading `/crm` or `crm`. */
export function commandText(text: string | undefined): string {
  return (text ?? '')
    .replace(/<at>[^<]*<\/at>/gi, ' ')
    .replace(/&nbsp;/g, ' ')
    .trim()
    .replace(/^\/?crm\b\s*/i, '')
    .trim();
}

const plain = (locale: 'es' | 'en', heading: string, body: string[]): NeutralMessage => ({
  kind: 'status',
  locale,
  consultationId: '',
  reference: '',
  heading,
  body,
  fields: [],
  buttons: [],
});

/** The answer to a typed command, as the activity to send back in the same conversation. */
export async function answerCommand(ctx: TeamsCommandDeps, activity: CommandActivity): Promise<CardActivity> {
  const directory = ctx.deps.directory.current();
  const locale = localeFor(directory, activity);
  const parsed = parseCommand(commandText(activity.text));
  const aad = activity.from?.aadObjectId;
  const actor = identify(directory, { platform: 'teams', userId: aad ?? '' });
  if (!actor) {
    const both = `${t('es', 'refusal.not_in_directory')} / ${t('en', 'refusal.not_in_directory')}`;
    return renderActivity(plain(locale, t(locale, 'help.heading'), [both]));
  }
  // In a channel or a group chat everyone would read the answer: only the help is given there.
  if (activity.conversation?.conversationType && activity.conversation.conversationType !== 'personal' && parsed.name !== 'help') {
    return renderActivity(plain(locale, t(locale, 'help.heading'), [t(locale, 'teams.personal_only')]));
  }
  const person = personByTeamsId(directory, aad);
  const reader = { locale, timezone: person?.timezone ?? directory.secretariat.timezone, viewer: actor };
  const maySee = actor.isStaff || actor.country !== undefined;
  switch (parsed.name) {
    case 'help': {
      const help = helpParagraphs(locale, { slash: 'crm', ...(parsed.problem ? { problem: parsed.problem } : {}) });
      // The last line speaks of Slack's Home tab; in Teams the buttons are on the cards.
      return renderActivity(plain(locale, help.heading, [...help.lines.slice(0, -1), t(locale, 'teams.welcome.buttons')]));
    }
    case 'deadline': {
      const days = parsed.days ?? LIMITS.defaultDays;
      const result = ctx.deps.calendars.calendar('secretariat').deadlineAfter(ctx.deps.clock.now(), days);
      return renderActivity(deadlineMessage(result, days, directory, reader));
    }
    case 'status':
    case 'list': {
      if (!maySee) return renderActivity(plain(locale, t(locale, 'help.heading'), [t(locale, 'home.no_access')]));
      // Only what the person may know exists (a consultation under Troika review is the Troika's and the ST's).
      const visible = async () => (await openConsultations(ctx.reader)).filter((s) => maySeeConsultation(s, actor));
      if (parsed.name === 'list') return renderActivity(listMessage(await visible(), directory, reader));
      if (!parsed.reference) return renderActivity(latestStatusMessage(await visible(), directory, reader, { slash: 'crm' }));
      const state = await consultationByReference(ctx.reader, parsed.reference);
      if (!state || !maySeeConsultation(state, actor)) return renderActivity(plain(locale, parsed.reference, [t(locale, 'refusal.not_found')]));
      return renderActivity(statusMessage(state, directory, reader));
    }
    case 'consult': {
      if (!mayStart(actor, ctx.deps)) return renderActivity(plain(locale, t(locale, 'help.heading'), [t(locale, 'slack.manage_only')]));
      const form = newConsultationForm(locale);
      return cardActivity(form, t(locale, 'form.consultation_new.heading'));
    }
    case 'revise':
    case 'extend':
    case 'withdraw': {
      const state = await consultationByReference(ctx.reader, parsed.reference);
      if (!state || !maySeeConsultation(state, actor)) return renderActivity(plain(locale, parsed.reference, [t(locale, 'refusal.not_found')]));
      const key = `teams:form:${activity.id ?? `${aad}:${Date.now()}`}`;
      const answer = await manageForm(ctx.deps, parsed.name, state, actor, reader, key);
      if ('text' in answer) return renderActivity(plain(locale, parsed.reference, [answer.text]));
      return cardActivity(answer.card, t(locale, `form.${parsed.name}.heading`));
    }
    default: {
      // The meeting commands are answered by meeting-cards.ts (listeners.ts); reaching here they are off: the help.
      const help = helpParagraphs(locale, { slash: 'crm' });
      return renderActivity(plain(locale, help.heading, [...help.lines.slice(0, -1), t(locale, 'teams.welcome.buttons')]));
    }
  }
}
