/**
 * What the bot does with the activities Teams sends (after the SDK validated their token, teams-app.ts):
 *
 *   - every activity: its conversation reference, the sender's `29:` id and Entra object id, and the team
 *     members Teams announces are stored (src/store/teams-conversation-store.ts), so the Teams notifier can
 *     write to people and to the ST's channel on its own; an `installationUpdate` `remove` (or the bot
 *     removed from a team) marks the conversation uninstalled;
 *   - the app installed in a personal chat (`install.add`): the welcome card, in the person's language (the
 *     directory's, by Entra object id; else the Teams client's locale; else Spanish);
 *   - a command typed in a personal chat or with an @mention (`message`): commands.ts;
 *   - an Action.Execute click on a request card (`card.action`): card-actions.ts.
 *
 * Kept thin on purpose: incoming commands and card verbs go through the platform-neutral interaction layer
 * once it exists (issue 9, part 1).
 */
import type { App } from '@microsoft/teams.apps';
import type { Directory, Locale } from '../../directory/model.ts';
import { HELP_ORDER } from '../../commands/help.ts';
import { COMMAND_WORDS } from '../../commands/catalogue.ts';
import { t } from '../../i18n/index.ts';
import type { Logger } from '../../log.ts';
import type { FlowDeps } from '../../flows/ports.ts';
import type { ActivityLike } from '../../store/teams-conversation-store.ts';
import type { ConsultationReader } from '../../flows/queries.ts';
import { handleCardAction, type CardActionActivity } from './card-actions.ts';
import { answerCommand, type CommandActivity } from './commands.ts';
import { TeamsMeetings } from './meeting-cards.ts';
import type { MeetingDeps } from '../../flows/meeting-flows.ts';
import { localeFor } from './people.ts';
import { card, cardActivity, richText, run, type CardActivity } from './render.ts';

export { localeFor, personByTeamsId } from './people.ts';

export interface TeamsListenerDeps {
  conversations: { recordActivity(activity: ActivityLike): Promise<void> };
  directory: { current(): Directory };
  logger: Logger;
  /** The flows, for the cards' Action.Execute verbs (card-actions.ts). Absent: clicks are not handled. */
  flows?: FlowDeps;
  /** The consultations, for `estado` and `lista` (commands.ts). */
  reader?: ConsultationReader;
  /** Meetings (meeting-cards.ts: the meeting commands, forms and invitation verbs). Absent: those are off. */
  meetings?: MeetingDeps;
}

/** The welcome card of a personal chat: what the bot sends there, and the commands one can type. */
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
    ],
    [],
    heading,
  );
  return cardActivity(content, heading);
}

export function registerTeamsListeners(app: App, deps: TeamsListenerDeps): void {
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

  app.on('install.add', async ({ activity, send }) => {
    if (activity.conversation?.conversationType !== 'personal') return;
    const locale = localeFor(deps.directory.current(), activity);
    await send(welcomeActivity(locale) as never);
  });

  const flows = deps.flows;
  const reader = deps.reader;
  const meetings = flows && reader && deps.meetings ? new TeamsMeetings({ deps: flows, reader, meetings: deps.meetings, logger: log }) : undefined;
  if (flows && reader) {
    // A command typed in a personal chat or with an @mention: answered in the same conversation.
    app.on('message', async ({ activity, send }) => {
      if (meetings?.handlesText((activity as { text?: string }).text)) {
        for (const a of await meetings.command(activity as never)) await send(a as never);
        return;
      }
      await send((await answerCommand({ deps: flows, reader }, activity as unknown as CommandActivity)) as never);
    });
  }
  if (flows) {
    // An Action.Execute click: answered with the updated card, the reason card or a refusal (200 always).
    app.on('card.action', async ({ activity }) =>
      meetings?.handlesVerb(activity.value?.action?.verb) ? ((await meetings.invoke(activity as never)) as never) : (await handleCardAction({ deps: flows, logger: log }, activity as unknown as CardActionActivity)) as never);
  }
}
