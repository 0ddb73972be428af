/**
 * Requests as Slack sends them to `POST /slack/events`, signed with the app's signing secret, for `npm run demo`,
 * the e2e tests (test/helpers/slack-requests.ts re-exports this file) and bench/slack.bench.ts. Every
 * builder returns `{ body, contentType }`; `signatureHeaders(secret, body)` gives the headers;
 * `postToSlackEvents(url, secret, request)` signs and sends.
 *
 * Shapes, and where they come from (docs.slack.dev, checked November 2026, and the TypeScript types of
 * @slack/bolt 5.1 in node_modules/@slack/bolt/dist/types, which describe the same bodies):
 *   - signing: "Verifying requests from Slack" (docs.slack.dev/authentication/verifying-requests-from-slack):
 *     `X-Slack-Signature: v0=` + hex HMAC-SHA256(secret, `v0:${timestamp}:${raw body}`),
 *     `X-Slack-Request-Timestamp` in seconds; older than 5 minutes = stale (Bolt refuses with 401).
 *     Retries carry `X-Slack-Retry-Num` and `X-Slack-Retry-Reason` ("Events API", "Retries").
 *   - slash command: "Implementing slash commands" (docs.slack.dev/interactivity/implementing-slash-commands,
 *     "app_command_handling"), an `application/x-www-form-urlencoded` body with token, team_id,
 *     team_domain, channel_id, channel_name, user_id, user_name, command, text, api_app_id,
 *     is_enterprise_install, response_url, trigger_id (Bolt type `SlashCommand`).
 *   - block_actions: "block_actions payload" (docs.slack.dev/reference/interaction-payloads/block_actions-payload),
 *     form-encoded `payload=<JSON>` with type, user {id, username, name, team_id}, api_app_id, token,
 *     container {type: message, message_ts, channel_id, is_ephemeral}, trigger_id, team, enterprise,
 *     is_enterprise_install, channel {id, name}, message {type, user, ts, bot_id, text, blocks, …},
 *     state {values}, response_url, actions [{action_id, block_id, text, value, style, type, action_ts}]
 *     (Bolt type `BlockAction<ButtonAction>`).
 *   - view_submission: "View interactions payloads" (docs.slack.dev/reference/interaction-payloads/view-interactions-payload),
 *     form-encoded `payload=<JSON>` with type, team, user, api_app_id, token, trigger_id, view {id, team_id,
 *     type: modal, blocks, private_metadata, callback_id, state {values}, hash, title, close, submit,
 *     previous_view_id, root_view_id, app_id, external_id, app_installed_team_id, bot_id},
 *     response_urls, is_enterprise_install, enterprise (Bolt type `ViewSubmitAction`).
 *     `state.values[block_id][action_id]` is `{type: 'plain_text_input', value}`, `{type: 'number_input',
 *     value}` (a string), `{type: 'datetimepicker', selected_date_time}` (Unix seconds) or
 *     `{type: 'static_select', selected_option: {text, value}}` ("Block elements" reference pages).
 *   - Events API: "app_home_opened event" (docs.slack.dev/reference/events/app_home_opened) wrapped in the
 *     `event_callback` envelope (token, team_id, api_app_id, event, type, event_id, event_time,
 *     authorizations, is_ext_shared_channel, event_context), JSON body; "url_verification event"
 *     (docs.slack.dev/reference/events/url_verification): `{token, challenge, type}`, answered with the
 *     challenge.
 * The `token` field is Slack's deprecated verification token: Bolt ignores it (the signature is the check).
 */
import { createHmac, randomBytes } from 'node:crypto';

export const FAKE_TEAM = { id: 'T0FAKE0001', domain: 'crm-fake' } as const;
export const FAKE_APP_ID = 'A0CRMBOT001';
const VERIFICATION_TOKEN = 'deprecated-verification-token';

export interface SlackRequest {
  body: string;
  contentType: 'application/x-www-form-urlencoded' | 'application/json';
  /** Extra headers, e.g. X-Slack-Retry-Num. */
  headers?: Record<string, string>;
}

const digits = (n: number) => Array.from(randomBytes(n), (b) => String(b % 10)).join('');
/** A trigger id in Slack's shape (`13345224609.738474920.8088930838d88f008e0`); unique per call. */
export const triggerId = () => `${digits(11)}.${digits(9)}.${randomBytes(16).toString('hex')}`;
/** An action_ts / event_ts in Slack's shape (seconds.microseconds). */
export const slackTs = (at = Date.now()) => `${Math.floor(at / 1000)}.${String((at % 1000) * 1000 + Math.floor(Math.random() * 1000)).padStart(6, '0')}`;

/** The signature headers for `body` (timestamp in seconds; default now). */
export function signatureHeaders(secret: string, body: string, timestampSec = Math.floor(Date.now() / 1000)): Record<string, string> {
  const signature = `v0=${createHmac('sha256', secret).update(`v0:${timestampSec}:${body}`).digest('hex')}`;
  return { 'x-slack-request-timestamp': String(timestampSec), 'x-slack-signature': signature };
}

export interface PostOptions {
  /** Sign with this timestamp (seconds) instead of now: a stale request. */
  timestampSec?: number;
  /** Replace the signature header (a forged request). */
  signature?: string;
  /** Leave the signature headers out entirely. */
  unsigned?: boolean;
}

export interface SlackEventsResponse {
  status: number;
  body: string;
  /** Milliseconds from sending to the full answer. */
  ms: number;
}

/** POSTs a Slack request to `url` (…/slack/events), signed with `secret`. */
export async function postToSlackEvents(url: string, secret: string, request: SlackRequest, options: PostOptions = {}): Promise<SlackEventsResponse> {
  const headers: Record<string, string> = { 'content-type': request.contentType, 'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)', ...request.headers };
  if (!options.unsigned) {
    Object.assign(headers, signatureHeaders(secret, request.body, options.timestampSec));
    if (options.signature !== undefined) headers['x-slack-signature'] = options.signature;
  }
  const t0 = performance.now();
  const res = await fetch(url, { method: 'POST', headers, body: request.body });
  const body = await res.text();
  return { status: res.status, body, ms: performance.now() - t0 };
}

/** The same request as a Slack retry (`X-Slack-Retry-Num`, `X-Slack-Retry-Reason`). */
export function asRetry(request: SlackRequest, num = 1, reason = 'http_timeout'): SlackRequest {
  return { ...request, headers: { ...request.headers, 'x-slack-retry-num': String(num), 'x-slack-retry-reason': reason } };
}

const form = (fields: Record<string, string>): string => new URLSearchParams(fields).toString();
const payloadForm = (payload: unknown): SlackRequest => ({ body: form({ payload: JSON.stringify(payload) }), contentType: 'application/x-www-form-urlencoded' });

// ---------------------------------------------------------------------------------------------- slash

export interface SlashCommandOptions {
  userId: string;
  /** What follows the command: `consulta`, `estado CRM-2026-001`, … */
  text: string;
  command?: string;
  /** Where it was typed; default the user's DM with the app. */
  channelId?: string;
  channelName?: string;
  responseUrl: string;
  triggerId?: string;
  userName?: string;
}

export function slashCommand(o: SlashCommandOptions): SlackRequest {
  return {
    contentType: 'application/x-www-form-urlencoded',
    body: form({
      token: VERIFICATION_TOKEN,
      team_id: FAKE_TEAM.id,
      team_domain: FAKE_TEAM.domain,
      channel_id: o.channelId ?? 'D0APPHOME01',
      channel_name: o.channelName ?? 'directmessage',
      user_id: o.userId,
      user_name: o.userName ?? o.userId.toLowerCase(),
      command: o.command ?? '/crm',
      text: o.text,
      api_app_id: FAKE_APP_ID,
      is_enterprise_install: 'false',
      response_url: o.responseUrl,
      trigger_id: o.triggerId ?? triggerId(),
    }),
  };
}

// --------------------------------------------------------------------------------------- block_actions

/** A message as the bot posted it (what the fake Slack API recorded), for the `message` of a click. */
export interface ClickedMessage {
  channel: string;
  ts: string;
  text?: string;
  blocks?: unknown[];
  user?: string;
  bot_id?: string;
}

export interface BlockActionsOptions {
  userId: string;
  actionId: string;
  value: string;
  message: ClickedMessage;
  responseUrl: string;
  blockId?: string;
  /** The button's label as shown. */
  label?: string;
  triggerId?: string;
  actionTs?: string;
}

/** The button with `actionId` in a message's blocks, as the bot rendered it. */
export function findButton(blocks: unknown[] | undefined, actionId: string): { value: string; label: string; blockId?: string } | undefined {
  for (const b of (blocks ?? []) as { type?: string; block_id?: string; elements?: unknown[]; accessory?: unknown }[]) {
    const elements = [...(b.elements ?? []), ...(b.accessory ? [b.accessory] : [])] as { type?: string; action_id?: string; value?: string; text?: { text?: string } }[];
    const e = elements.find((x) => x.type === 'button' && x.action_id === actionId);
    if (e) return { value: e.value ?? '', label: e.text?.text ?? '', ...(b.block_id ? { blockId: b.block_id } : {}) };
  }
  return undefined;
}

export function blockActions(o: BlockActionsOptions): SlackRequest {
  const user = { id: o.userId, username: o.userId.toLowerCase(), name: o.userId.toLowerCase(), team_id: FAKE_TEAM.id };
  const blockId = o.blockId ?? randomBytes(3).toString('base64url');
  const isDm = o.message.channel.startsWith('D');
  return payloadForm({
    type: 'block_actions',
    user,
    api_app_id: FAKE_APP_ID,
    token: VERIFICATION_TOKEN,
    container: { type: 'message', message_ts: o.message.ts, channel_id: o.message.channel, is_ephemeral: false },
    trigger_id: o.triggerId ?? triggerId(),
    team: { id: FAKE_TEAM.id, domain: FAKE_TEAM.domain },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: o.message.channel, name: isDm ? 'directmessage' : 'crm-st' },
    message: {
      type: 'message',
      subtype: 'bot_message',
      text: o.message.text ?? '',
      ts: o.message.ts,
      bot_id: o.message.bot_id ?? 'B0BOT00001',
      user: o.message.user,
      blocks: o.message.blocks ?? [],
    },
    state: { values: {} },
    response_url: o.responseUrl,
    actions: [
      {
        action_id: o.actionId,
        block_id: blockId,
        text: { type: 'plain_text', text: o.label ?? o.actionId, emoji: true },
        value: o.value,
        type: 'button',
        action_ts: o.actionTs ?? slackTs(),
      },
    ],
  });
}

// ------------------------------------------------------------------------------------- view_submission

/** One `state.values[block][action]` entry. */
export type StateValue =
  | { type: 'plain_text_input'; value: string | null }
  | { type: 'number_input'; value: string | null }
  | { type: 'datetimepicker'; selected_date_time: number | null }
  | { type: 'static_select'; selected_option: { text: { type: 'plain_text'; text: string; emoji: boolean }; value: string } | null }
  | { type: 'datepicker'; selected_date: string | null }
  | { type: 'multi_static_select'; selected_options: { text: { type: 'plain_text'; text: string; emoji: boolean }; value: string }[] };

export const stateValue = {
  text: (value: string | null): StateValue => ({ type: 'plain_text_input', value }),
  number: (value: number | string | null): StateValue => ({ type: 'number_input', value: value === null ? null : String(value) }),
  datetime: (at: Date | null): StateValue => ({ type: 'datetimepicker', selected_date_time: at ? Math.floor(at.getTime() / 1000) : null }),
  select: (value: string, text = value): StateValue => ({ type: 'static_select', selected_option: { text: { type: 'plain_text', text, emoji: true }, value } }),
  date: (day: string | null): StateValue => ({ type: 'datepicker', selected_date: day }),
  multi: (values: readonly string[]): StateValue => ({ type: 'multi_static_select', selected_options: values.map((value) => ({ text: { type: 'plain_text', text: value, emoji: true }, value })) }),
};

export interface ViewSubmissionOptions {
  userId: string;
  callbackId: string;
  /** By block id (= action id in this app): `{ title: stateValue.text('…') }`. */
  values: Record<string, StateValue>;
  privateMetadata?: string;
  /** The view as the app opened it (from the fake API's views.open call): its blocks, title, ids. */
  view?: Record<string, unknown>;
  viewId?: string;
  triggerId?: string;
}

export function viewSubmission(o: ViewSubmissionOptions): SlackRequest {
  const opened = o.view ?? {};
  const values: Record<string, Record<string, StateValue>> = {};
  // Slack sends every input block of the view: those the person did not touch carry their initial value
  // (or null). Block ids equal action ids in this app.
  for (const b of (Array.isArray(opened.blocks) ? opened.blocks : []) as { type?: string; block_id?: string; element?: Record<string, unknown> }[]) {
    if (b.type !== 'input' || !b.block_id || !b.element) continue;
    const e = b.element;
    const action = typeof e.action_id === 'string' ? e.action_id : b.block_id;
    const initial = (k: string) => (e[k] === undefined ? null : e[k]);
    const untouched: StateValue | undefined =
      e.type === 'plain_text_input' ? { type: 'plain_text_input', value: initial('initial_value') as string | null }
      : e.type === 'number_input' ? { type: 'number_input', value: initial('initial_value') as string | null }
      : e.type === 'datetimepicker' ? { type: 'datetimepicker', selected_date_time: initial('initial_date_time') as number | null }
      : e.type === 'static_select' ? { type: 'static_select', selected_option: (initial('initial_option') as never) ?? null }
      : e.type === 'datepicker' ? { type: 'datepicker', selected_date: initial('initial_date') as string | null }
      : e.type === 'multi_static_select' ? { type: 'multi_static_select', selected_options: (initial('initial_options') as never) ?? [] }
      : undefined;
    if (untouched) values[b.block_id] = { [action]: untouched };
  }
  for (const [id, v] of Object.entries(o.values)) values[id] = { [id]: v };
  const viewId = o.viewId ?? (typeof opened.id === 'string' ? opened.id : `V0${randomBytes(5).toString('hex').toUpperCase()}`);
  return payloadForm({
    type: 'view_submission',
    team: { id: FAKE_TEAM.id, domain: FAKE_TEAM.domain },
    user: { id: o.userId, username: o.userId.toLowerCase(), name: o.userId.toLowerCase(), team_id: FAKE_TEAM.id },
    api_app_id: FAKE_APP_ID,
    token: VERIFICATION_TOKEN,
    trigger_id: o.triggerId ?? triggerId(),
    view: {
      id: viewId,
      team_id: FAKE_TEAM.id,
      type: 'modal',
      blocks: opened.blocks ?? [],
      private_metadata: o.privateMetadata ?? (typeof opened.private_metadata === 'string' ? opened.private_metadata : ''),
      callback_id: o.callbackId,
      state: { values },
      hash: `${Math.floor(Date.now() / 1000)}.${randomBytes(4).toString('hex')}`,
      title: opened.title ?? { type: 'plain_text', text: 'CRM', emoji: true },
      clear_on_close: false,
      notify_on_close: false,
      close: opened.close ?? null,
      submit: opened.submit ?? null,
      previous_view_id: null,
      root_view_id: viewId,
      app_id: FAKE_APP_ID,
      external_id: '',
      app_installed_team_id: FAKE_TEAM.id,
      bot_id: 'B0BOT00001',
    },
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  });
}

// ----------------------------------------------------------------------------------------- Events API

export function appHomeOpened(userId: string, options: { eventId?: string; tab?: 'home' | 'messages' } = {}): SlackRequest {
  const ts = slackTs();
  return {
    contentType: 'application/json',
    body: JSON.stringify({
      token: VERIFICATION_TOKEN,
      team_id: FAKE_TEAM.id,
      api_app_id: FAKE_APP_ID,
      event: { type: 'app_home_opened', user: userId, channel: 'D0APPHOME01', tab: options.tab ?? 'home', event_ts: ts },
      type: 'event_callback',
      event_id: options.eventId ?? `Ev0${randomBytes(5).toString('hex').toUpperCase()}`,
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [{ enterprise_id: null, team_id: FAKE_TEAM.id, user_id: 'U0BOT00001', is_bot: true, is_enterprise_install: false }],
      is_ext_shared_channel: false,
      event_context: `4-${randomBytes(12).toString('base64url')}`,
    }),
  };
}

export function urlVerification(challenge: string): SlackRequest {
  return { contentType: 'application/json', body: JSON.stringify({ token: VERIFICATION_TOKEN, challenge, type: 'url_verification' }) };
}
