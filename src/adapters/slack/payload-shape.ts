/**
 * The shape of a Slack request body, checked before Bolt sees it (src/adapters/slack/receiver.ts).
 *
 * A body with a valid signature comes from Slack, but its shape is still outside input: Bolt reads it
 * without checking (`body.user.id`, `'channel' in body.event`, `body.actions[0]`, `body.view.callback_id`)
 * and throws on anything else, and it keys a cache of Web API clients by the body's team id (a team id
 * `__proto__` resolves to Object.prototype). So a body is classified as Bolt classifies it (event,
 * command, options, action, shortcut, view; `getTypeAndConversation` in @slack/bolt's helpers) and the
 * fields Bolt and our listeners read are checked for that kind; anything else in the body passes through
 * untouched. A body that is none of these kinds is not a Slack payload. Sources for the shapes are listed
 * in src/demo/slack-requests.ts.
 *
 *   payloadProblem(body) → undefined (fine) | "user.id: expected a Slack id" (for the log; answered 400)
 */
import { z } from 'zod';

/** Slack's ids (users U…/W…, teams T…, enterprises E…, channels C…/D…/G…): capitals and digits. */
const slackId = z.string().regex(/^[A-Z0-9]{2,40}$/, { error: 'expected a Slack id' });
const optionalId = slackId.nullish();

const user = z.looseObject({ id: slackId, team_id: optionalId });
/** Fields every interactive payload (actions, options, shortcuts, views) carries. */
const interactive = {
  user,
  team: z.looseObject({ id: slackId, enterprise_id: optionalId }).nullish(),
  enterprise: z.looseObject({ id: slackId }).nullish(),
  trigger_id: z.string().optional(),
  response_url: z.string().optional(),
};

const action = z.looseObject({
  action_id: z.string().max(255).optional(),
  type: z.string().optional(),
  value: z.string().optional(),
  action_ts: z.string().regex(/^\d{1,12}\.\d{1,9}$/, { error: 'expected a Slack timestamp' }).optional(),
});
const actions = z.looseObject({
  ...interactive,
  actions: z.array(action).min(1),
  container: z.looseObject({ type: z.string().optional(), channel_id: z.string().optional(), message_ts: z.string().optional() }).nullish(),
  channel: z.looseObject({ id: z.string() }).nullish(),
});
const blockActions = actions.extend({ actions: z.array(action.extend({ action_id: z.string().max(255) })).min(1) });

const view = z.looseObject({
  ...interactive,
  view: z.looseObject({
    id: slackId,
    callback_id: z.string(),
    private_metadata: z.string().optional(),
    app_installed_team_id: optionalId,
    state: z.looseObject({ values: z.record(z.string(), z.record(z.string(), z.looseObject({}))) }).optional(),
  }),
});

const command = z.looseObject({
  command: z.string(),
  text: z.string(),
  user_id: slackId,
  trigger_id: z.string(),
  channel_id: slackId.optional(),
  response_url: z.string().optional(),
  team_id: optionalId,
  enterprise_id: optionalId,
});

const event = z.looseObject({
  event: z.looseObject({
    type: z.string(),
    user: z.union([slackId, z.looseObject({ id: slackId })]).optional(),
    channel: z.union([z.string(), z.looseObject({ id: z.string().optional(), creator: z.string().optional() })]).optional(),
    channel_id: z.string().optional(),
    item: z.looseObject({}).optional(),
    subteam: z.looseObject({}).optional(),
    tab: z.string().optional(),
  }),
  team_id: optionalId,
  enterprise_id: optionalId,
  authorizations: z.array(z.looseObject({ team_id: optionalId, enterprise_id: optionalId })).optional(),
});
/** The one event we listen to: the person opening the app's Home tab. */
const appHomeOpened = event.extend({ event: event.shape.event.extend({ user: slackId, tab: z.string() }) });

function schemaFor(body: Record<string, unknown>): z.ZodType | undefined {
  if (body.event !== undefined) {
    const type = (body.event as { type?: unknown } | null)?.type;
    return type === 'app_home_opened' ? appHomeOpened : event;
  }
  if (body.command !== undefined) return command;
  if (body.name !== undefined || body.type === 'block_suggestion') return z.looseObject(interactive);
  if (body.actions !== undefined || body.type === 'dialog_submission') return body.type === 'block_actions' ? blockActions : actions;
  if (body.type === 'shortcut' || body.type === 'message_action') return z.looseObject(interactive);
  if (body.type === 'view_submission' || body.type === 'view_closed') return view;
  return undefined;
}

/** Why `body` is not a Slack payload Bolt can be given, naming the field; undefined when it is one. */
export function payloadProblem(body: Record<string, unknown>): string | undefined {
  const schema = schemaFor(body);
  if (!schema) return 'not a Slack payload (no event, command, actions or view)';
  const parsed = schema.safeParse(body);
  if (parsed.success) return undefined;
  const issue = parsed.error.issues[0]!;
  return `${issue.path.map(String).join('.') || '(body)'}: ${issue.message}`;
}
