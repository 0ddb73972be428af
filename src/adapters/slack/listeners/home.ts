/**
 * The Home tab (app_home_opened → views.publish): the interaction layer's home model
 * (src/interaction/home.ts) in Block Kit.
 */
import type { App } from '@slack/bolt';
import type { Locale } from '../../../directory/model.ts';
import { noAccessHome, type HomeModel } from '../../../interaction/home.ts';
import { escapeMrkdwn } from '../render.ts';
import { homeView, type HomeView } from '../views.ts';
import { requestIdOf, type SlackListenerContext } from './shared.ts';

export function registerHome(app: App, ctx: SlackListenerContext): void {
  app.event('app_home_opened', async ({ event, context }) => {
    if (event.tab !== 'home') return;
    try {
      await publishHome(ctx, event.user);
    } catch (err) {
      ctx.logger.error({ err, requestId: requestIdOf(context), what: 'home' }, 'slack: request failed');
    }
  });
}

/** A home model as a Slack Home tab. */
export function homeTab(model: HomeModel): HomeView {
  if (model.kind === 'sections') return homeView(model.locale, model.sections, model.options);
  return { type: 'home', blocks: [{ type: 'header', text: { type: 'plain_text', text: model.heading } }, { type: 'section', text: { type: 'mrkdwn', text: escapeMrkdwn(model.text) } }] };
}

/**
 * The Home tab of someone with nothing to see: a person of the directory who is neither ST staff nor a
 * Member Country's focal point (in their language), or someone not in the directory (both languages).
 */
export const noAccessHomeView = (l: Locale, inDirectory: boolean): HomeView => homeTab(noAccessHome(l, inDirectory));

export async function publishHome(ctx: SlackListenerContext, userId: string): Promise<void> {
  const out = await ctx.interaction.handle(userId, { kind: 'home' }, { key: `slack:home:${userId}` });
  for (const reply of out.now) if (reply.kind === 'home') await ctx.client.views.publish({ user_id: userId, view: homeTab(reply.view) });
}
