/** Every Slack listener, registered on one Bolt App (bolt-ts-starter-template's `register(app)` shape). */
import type { App } from '@slack/bolt';
import { registerActions } from './actions.ts';
import { registerCommands } from './commands.ts';
import { registerHome } from './home.ts';
import { registerMeetingActions } from './meetings.ts';
import type { SlackListenerContext } from './shared.ts';
import { registerViews } from './views.ts';

export type { SlackListenerContext } from './shared.ts';

export function registerListeners(app: App, ctx: SlackListenerContext): void {
  registerCommands(app, ctx);
  registerActions(app, ctx);
  registerViews(app, ctx);
  registerHome(app, ctx);
  if (ctx.meetings) registerMeetingActions(app, { ...ctx, meetings: ctx.meetings });
}
