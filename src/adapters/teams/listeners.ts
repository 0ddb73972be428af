/**
 * What the bot does with the activities Teams sends (after the SDK validated their token, teams-app.ts):
 * transport → intent (./intents.ts) → the interaction layer (src/interaction/interaction.ts) → replies
 * presented in Teams (./present.ts). Nothing is decided here.
 *
 *   - every activity: its conversation reference, the sender's `29:` id and Entra object id, and the team
 *     members Teams announces are stored (src/store/teams-conversation-store.ts), so the Teams notifier can
 *     write to people and to the ST's channel on its own; an `installationUpdate` `remove` (or the bot
 *     removed from a team) marks the conversation uninstalled;
 *   - the app installed in a personal chat (`install.add`): the welcome card, in the person's language (the
 *     directory's, by Entra object id; else the Teams client's locale; else Spanish), with a button to the
 *     person's "awaiting my country" view, and that view itself for someone with consultations to see;
 *   - a command typed in a personal chat or with an @mention (`message`): a command intent, answered with
 *     cards in the same conversation. In a channel or a group chat only the help is answered: everything
 *     else would be read by everyone, so the person is asked to write it in their personal chat;
 *   - an `adaptiveCard/action` invoke (`card.action`): a decide, submit, open_form or home intent, answered
 *     200 with one card or message (present.ts invokeAnswer); what comes later is sent as messages.
 * One person's activities are handled in the order they arrived (a quick change of mind must not overtake
 * itself on the way to the consultation's lock). A failure is logged and answered in the person's language.
 */
import type { App } from '@microsoft/teams.apps';
import type { Directory, Locale } from '../../directory/model.ts';
import { HELP_ORDER } from '../../commands/help.ts';
import { COMMAND_WORDS, parseCommand } from '../../commands/catalogue.ts';
import { t } from '../../i18n/index.ts';
import type { Logger } from '../../log.ts';
import type { FlowDeps } from '../../flows/ports.ts';
import type { ActivityLike } from '../../store/teams-conversation-store.ts';
import type { ConsultationReader } from '../../flows/queries.ts';
import { Identity } from '../../interaction/identity.ts';
import type { MeetingDeps } from '../../flows/meeting-flows.ts';
import { Interaction } from '../../interaction/interaction.ts';
import type { Intent, Reply } from '../../interaction/intent.ts';
import { HOME_VERB } from './home.ts';
import { commandText, dataOf, invokeIntent, keyOf, userIdOf, verbOf, type TeamsActivity } from './intents.ts';
import { localeFor, personByTeamsId } from './people.ts';
import { invokeAnswer, messageActivities, messageAnswer, NOTICE_ID, sentenceCard, type InvokeAnswer, type TeamsReader } from './present.ts';
import { card, cardActivity, richText, run, type CardActivity } from './render.ts';

export { localeFor, personByTeamsId } from './people.ts';

export interface TeamsListenerDeps {
  conversations: { recordActivity(activity: ActivityLike): Promise<void> };
  directory: { current(): Directory };
  logger: Logger;
  /** The flows, for commands and the cards' verbs. Absent: only the welcome card. */
  flows?: FlowDeps;
  /** The consultations, for `estado`, `lista` and the forms. */
  reader?: ConsultationReader;
  /** How long a click's access check and a submission's work are waited for before answering anyway. */
  budgets?: { checkMs?: number; submitMs?: number };
  /** Meetings (the meeting commands, forms and invitation verbs: interaction/meetings.ts). Absent: those are off. */
  meetings?: MeetingDeps;
}

/** Typed in the personal chat: the person's "awaiting my country" view (Slack's Home tab), as the home button does. */
export const HOME_WORDS = ['inicio', 'home'] as const;
const isHomeWord = (text: string): boolean => (HOME_WORDS as readonly string[]).includes(text.trim().toLowerCase());

/** The welcome card of a personal chat: what the bot sends there, the commands one can type, and the view. */
export function welcomeActivity(locale: Locale): CardActivity {
  const commands = HELP_ORDER.map((name) => {
    const [es, en] = COMMAND_WORDS[name];
    const word = locale === 'en' ? en : es;
    const alias = locale === 'en' ? es : en;
    const args = name === 'status' ? ' [REF]' : name === 'deadline' ? ' [N]' : ['revise', 'extend', 'withdraw'].includes(name) ? ' REF' : '';
    return t(locale, `help.${name}`, { cmd: `${word}${args} (${alias})` });
  });
  const heading = t(locale, 'teams.welcome.heading');
  const content = card(
    [
      richText([run(heading, { weight: 'Bolder', size: 'Medium' })]),
      richText([run(t(locale, 'teams.welcome.intro'))], { spacing: 'Small' }),
      richText([run(t(locale, 'teams.welcome.buttons'))], { spacing: 'Small' }),
      richText([run(t(locale, 'teams.welcome.commands'), { weight: 'Bolder' })], { spacing: 'Medium' }),
      ...commands.map((line) => richText([run(line)], { spacing: 'Small' })),
      richText([run(t(locale, 'teams.home.command', { cmd: locale === 'en' ? `${HOME_WORDS[1]} (${HOME_WORDS[0]})` : `${HOME_WORDS[0]} (${HOME_WORDS[1]})` }))], { spacing: 'Small' }),
    ],
    [{ type: 'Action.Execute', title: t(locale, 'teams.home.open'), verb: HOME_VERB, data: {} }],
    heading,
  );
  return cardActivity(content, heading);
}

/** Runs `work` after everything `userId` sent before it (per process). */
function inOrder(): <T>(userId: string, work: () => Promise<T>) => Promise<T> {
  const tails = new Map<string, Promise<unknown>>();
  return (userId, work) => {
    const previous = tails.get(userId) ?? Promise.resolve();
    const mine = previous.then(work, work);
    const tail = mine.catch(() => undefined);
    tails.set(userId, tail);
    void tail.then(() => {
      if (tails.get(userId) === tail) tails.delete(userId);
    });
    return mine;
  };
}

/** What the listeners expose: whether work they set in motion is still running (tests, shutdown). */
export interface TeamsListeners {
  /** Resolves with how many are still running after `ms` (0: all done). */
  drain(ms: number): Promise<number>;
}

export function registerTeamsListeners(app: App, deps: TeamsListenerDeps): TeamsListeners {
  const running = new Set<Promise<unknown>>();
  const track = <T>(p: Promise<T>): Promise<T> => {
    running.add(p);
    void p.then(
      () => running.delete(p),
      () => running.delete(p),
    );
    return p;
  };
  const listeners: TeamsListeners = {
    async drain(ms) {
      const until = Date.now() + ms;
      while (running.size > 0 && Date.now() < until) {
        await Promise.race([Promise.allSettled([...running]), new Promise((resolve) => setTimeout(resolve, Math.max(1, until - Date.now())).unref())]);
      }
      return running.size;
    },
  };
  const log = deps.logger.child({ adapter: 'teams' });
  // Every authenticated activity: where the bot can write later. A failure here is logged and the activity
  // is still handled (the next one records it again).
  app.use(async ({ activity, next }) => {
    try {
      await deps.conversations.recordActivity(activity as unknown as ActivityLike);
    } catch (err) {
      log.error({ err, type: activity.type }, 'teams: could not store the conversation reference');
    }
    return next();
  });

  const flows = deps.flows;
  const reader = deps.reader;
  // Someone not in the directory is answered in their Teams client's language (the activity's `locale`).
  const clientLocales = new Map<string, Locale>();
  const identity = new Identity('teams', deps.directory, { profile: async (id) => (clientLocales.has(id) ? { locale: clientLocales.get(id)! } : {}) }, log);
  const interaction = flows && reader ? new Interaction({ deps: flows, reader, identity, logger: log, ...(deps.meetings ? { meetings: deps.meetings } : {}) }) : undefined;
  const noteClient = (userId: string, r: TeamsReader) => {
    if (clientLocales.size > 10_000) clientLocales.clear();
    clientLocales.set(userId, r.locale);
  };
  const ordered = inOrder();
  const checkMs = deps.budgets?.checkMs ?? 1200;
  const submitMs = deps.budgets?.submitMs ?? 2500;

  /** The person's language and zone: the directory's; else the Teams client's language, the ST's zone. */
  const readerOf = (activity: TeamsActivity): TeamsReader => {
    const directory = deps.directory.current();
    const person = personByTeamsId(directory, activity.from?.aadObjectId);
    return { locale: localeFor(directory, activity), timezone: person?.timezone ?? directory.secretariat.timezone, now: flows?.clock.now() ?? new Date() };
  };
  const sendAll = async (send: (a: never) => Promise<unknown>, activities: CardActivity[]) => {
    for (const a of activities) await send(a as never);
  };
  const failed = (err: unknown, what: string) => log.error({ err, what }, 'teams: request failed');

  // Installed in a personal chat: the welcome card, then (for someone with consultations to see) their
  // "awaiting my country" view: what reached them, or could not, before they installed the app.
  app.on('install.add', async ({ activity, send }) => {
    if (activity.conversation?.conversationType !== 'personal') return;
    const a = activity as unknown as TeamsActivity;
    const r = readerOf(a);
    await send(welcomeActivity(r.locale) as never);
    if (!interaction) return;
    // Only when there is something open: an empty view would say nothing the welcome does not.
    try {
      const out = await track(interaction.handle(userIdOf(a), { kind: 'home' }, { key: keyOf(a, 'home') }));
      const worth = out.now.filter((x) => x.kind === 'home' && x.view.kind === 'sections' && (x.view.sections.open.length > 0 || (x.view.sections.awaitingMyCountry?.length ?? 0) > 0));
      await sendAll(send, messageActivities(worth, { ...r, locale: out.locale }));
    } catch (err) {
      failed(err, 'home on install');
    }
  });
  if (!interaction) return listeners;

  // A command typed in a personal chat or with an @mention: answered in the same conversation.
  app.on('message', async ({ activity, send }) => {
    const a = activity as unknown as TeamsActivity;
    const userId = userIdOf(a);
    const text = commandText(a.text);
    const r = readerOf(a);
    noteClient(userId, r);
    await track(ordered(userId, async () => {
      try {
        const home = isHomeWord(text);
        const name = home ? 'home' : parseCommand(text).name;
        if (a.conversation?.conversationType && a.conversation.conversationType !== 'personal' && name !== 'help') {
          await sendAll(send, messageActivities([{ kind: 'notice', text: t(r.locale, 'teams.personal_only') }], r));
          return;
        }
        const intent: Intent = home ? { kind: 'home' } : { kind: 'command', text, slash: 'crm', ...(a.conversation?.id ? { origin: a.conversation.id } : {}) };
        const out = await interaction.handle(userId, intent, { key: keyOf(a, 'command'), ...(a.id ? { requestId: a.id } : {}) });
        const rr = { ...r, locale: out.locale };
        await sendAll(send, messageActivities(out.now, rr));
        if (out.later) await sendAll(send, messageActivities(await out.later, rr));
      } catch (err) {
        failed(err, 'command');
        await sendAll(send, [cardActivity(sentenceCard(t(r.locale, 'refusal.unknown'), NOTICE_ID), t(r.locale, 'refusal.unknown'))]).catch(() => undefined);
      }
    }));
  });

  // An Action.Execute click or a form submitted: one answer, 200 always.
  app.on('card.action', async ({ activity, send }) => {
    const a = activity as unknown as TeamsActivity;
    const userId = userIdOf(a);
    const r = readerOf(a);
    noteClient(userId, r);
    const answer = await track(ordered(userId, async (): Promise<InvokeAnswer> => {
      try {
        const intent = invokeIntent(a, r.timezone);
        if (!intent) {
          log.warn({ verb: verbOf(a).slice(0, 40) }, 'teams: card action not valid');
          return messageAnswer(t(r.locale, 'slack.invalid_button'));
        }
        const budgetMs = intent.kind === 'submit' ? submitMs : checkMs;
        const started = Date.now();
        const out = await interaction.handle(userId, intent, { key: keyOf(a, intent.kind), budgetMs, ...(a.id ? { requestId: a.id } : {}) });
        const rr = { ...r, locale: out.locale };
        let replies: Reply[] = [...out.now];
        let later = out.later;
        // The form closed with nothing else to say (a reason from the view, work past the budget): what comes
        // next is waited for a little, so the answer can be it.
        if (later && replies.every((x) => x.kind === 'close_form')) {
          const left = Math.max(0, budgetMs + 1000 - (Date.now() - started));
          const soon = await Promise.race([later.then((x) => ({ replies: x })), new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), left).unref())]);
          if (soon) {
            replies = [...replies, ...soon.replies];
            later = undefined;
          }
        }
        const data = dataOf(a) ?? {};
        // A delegation refused: its form again (the country's people are read again), errors under the segments.
        const again = intent.kind === 'submit' && intent.context?.form === 'meeting_delegation' && replies.some((x) => x.kind === 'field_errors')
          ? (await interaction.handle(userId, { kind: 'open_form', form: 'meeting_delegation', meetingId: intent.context.delegation.meetingId }, { key: keyOf(a, 'again'), preflighted: undefined })).now.find((x) => x.kind === 'form')
          : undefined;
        const { answer, rest } = invokeAnswer(replies, rr, intent.kind === 'submit' ? { intent, data, ...(again?.kind === 'form' ? { request: again.form } : {}) } : undefined);
        const afterwards = async () => {
          await sendAll(send, messageActivities(rest, rr));
          if (later) await sendAll(send, messageActivities(await later, rr));
        };
        void track(afterwards().catch((err: unknown) => failed(err, 'later replies')));
        // Nothing to say (a repeated click of a decision already on the card): say it is recorded.
        return answer ?? messageAnswer(t(rr.locale, 'refusal.already_recorded'));
      } catch (err) {
        failed(err, `card action ${verbOf(a).slice(0, 40)}`);
        return messageAnswer(t(r.locale, 'refusal.unknown'));
      }
    }));
    return answer as never;
  });
  return listeners;
}
