/**
 * The conformance table (./scenarios.ts) through the Slack adapter: each intent as the Slack request it
 * comes from (a signed slash command, block_actions, view_submission or app_home_opened over real HTTP), and
 * what Slack then shows the person, observed back as `Seen`:
 *   ack body          response_action errors → fieldErrors; update → formSays; empty (a submission) → formCloses
 *   views.open/update a form's callback_id → form; a notice modal → formSays ("loading" is not read)
 *   views.publish     the Home tab → home (sections when it has them)
 *   chat.postEphemeral, response_url, a DM → say
 * The same table passes through the interaction layer itself (./interaction.conformance.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeManageMetadata } from '../../src/adapters/slack/manage-views.ts';
import { encodeDelegationMetadata } from '../../src/adapters/slack/meeting-views.ts';
import { encodeOrigin } from '../../src/adapters/slack/present.ts';
import { invitationButtonValue } from '../../src/messages/meeting-invitation.ts';
import { encodeReasonMetadata } from '../../src/adapters/slack/views.ts';
import type { FormValues } from '../../src/interaction/forms.ts';
import type { Intent, SubmittedContext } from '../../src/interaction/intent.ts';
import { FORM_INPUTS } from '../../src/messages/form-spec.ts';
import { SEGMENTS } from '../../src/domain/meetings/index.ts';
import { buttonValue } from '../../src/messages/neutral.ts';
import { appHomeOpened, stateValue, viewSubmission, type StateValue } from '../helpers/slack-requests.ts';
import { startSlackAppWorld, type SlackAppWorld } from '../integration/adapters/slack-app-harness.ts';
import { platformIdOf, prepare, prepareMeeting } from './given.ts';
import { matches, SCENARIOS, sortSeen, type Seen } from './scenarios.ts';

const FORM_IDS: ReadonlySet<string> = new Set(Object.keys(FORM_INPUTS));
const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** Form values as Slack's view.state.values (block_id = action_id). */
function stateValues(values: FormValues): Record<string, StateValue> {
  const out: Record<string, StateValue> = {};
  for (const [id, v] of Object.entries(values)) {
    if (v === undefined) continue;
    if (id === 'days') out[id] = stateValue.number(v);
    else if (id === 'rule' || id === 'visibility' || id === 'kind') out[id] = stateValue.select(v);
    else if (id === 'start' || id === 'end') out[id] = stateValue.date(v);
    else if ((SEGMENTS as readonly string[]).includes(id)) out[id] = stateValue.multi(v.split(','));
    else if (id === 'deadline') out[id] = stateValue.datetime(new Date(v));
    else out[id] = stateValue.text(v);
  }
  return out;
}

/** What a form carries back, as the Slack modal's private_metadata (a broken one when there is none). */
function privateMetadata(context: SubmittedContext | undefined): string {
  if (!context) return '{"tampered":';
  if (context.form === 'consultation_new') return encodeOrigin(undefined);
  if (context.form === 'reason') return encodeReasonMetadata(context.reason);
  if (context.form === 'meeting_new') return encodeOrigin(context.origin);
  if (context.form === 'meeting_delegation') return encodeDelegationMetadata(context.delegation);
  return encodeManageMetadata(context.manage);
}

/** The text of a notice modal or an ephemeral's blocks. */
function blocksText(blocks: unknown): string {
  return unescape(
    ((Array.isArray(blocks) ? blocks : []) as { text?: { text?: string } }[])
      .map((b) => b.text?.text ?? '')
      .filter(Boolean)
      .join('\n'),
  );
}

let w: SlackAppWorld;
const MEETINGS = () => w.meetings;
beforeAll(async () => {
  w = await startSlackAppWorld('slack-conformance');
});
afterAll(async () => {
  await w?.close();
});

/** Posts the intent's Slack request as `userId`; returns the response (the ack body, for a submission). */
async function send(userId: string, intent: Intent): Promise<{ status: number; body: string }> {
  switch (intent.kind) {
    case 'command':
      return (await w.command(userId, intent.text)).res;
    case 'decide': {
      const card = intent.card ?? { channel: 'D0CONFORM01', ts: '1764601200.000100' };
      const value = intent.target ? buttonValue(intent.target.consultationId, intent.target.versionHash) : '{"forged":true}';
      return (await w.click(userId, intent.action, { message: { type: 'message', text: '', ts: card.ts, user: 'U0BOT00001', bot_id: 'B0BOT00001', blocks: [], channel: card.channel }, value })).res;
    }
    case 'answer_invitation': {
      const value = intent.target ? invitationButtonValue(intent.target.meetingId, intent.target.segment) : '{"forged":true}';
      return (await w.click(userId, `meeting_${intent.response}`, { message: { type: 'message', text: '', ts: '1764601200.000300', user: 'U0BOT00001', bot_id: 'B0BOT00001', blocks: [], channel: 'D0CONFORM01' }, value })).res;
    }
    case 'open_form':
      if (intent.form === 'meeting_delegation') {
        return (await w.click(userId, 'meeting_delegation_open', { message: { type: 'message', text: '', ts: '1764601200.000400', user: 'U0BOT00001', bot_id: 'B0BOT00001', blocks: [], channel: 'D0CONFORM01' }, value: JSON.stringify({ m: intent.meetingId ?? '' }) })).res;
      }
      return (await w.click(userId, 'home_new_consultation', { message: { type: 'message', text: '', ts: '1764601200.000200', user: 'U0BOT00001', bot_id: 'B0BOT00001', blocks: [], channel: 'D0APPHOME01' }, value: 'new' })).res;
    case 'submit':
      return w.post(viewSubmission({ userId, callbackId: intent.form, values: stateValues(intent.values ?? {}), privateMetadata: privateMetadata(intent.context) }));
    case 'home':
      return w.post(appHomeOpened(userId));
  }
}

/** What Slack showed `userId` since `mark` (calls to the fake API, response_url posts, the ack body). */
function observe(userId: string, intent: Intent, mark: { calls: number; responses: number }, res: { body: string }): Seen[] {
  const seen: Seen[] = [];
  if (intent.kind === 'submit') {
    const ack = res.body ? (JSON.parse(res.body) as { response_action?: string; errors?: Record<string, string>; view?: { blocks?: unknown } }) : {};
    if (ack.response_action === 'errors') seen.push({ kind: 'fieldErrors', fields: Object.keys(ack.errors ?? {}) });
    else if (ack.response_action === 'update') seen.push({ kind: 'formSays', text: blocksText(ack.view?.blocks) });
    else seen.push({ kind: 'formCloses' });
  }
  for (const call of w.slack.calls.slice(mark.calls)) {
    const view = call.args.view as { callback_id?: string; blocks?: unknown } | undefined;
    if (call.method === 'views.open' || call.method === 'views.update') {
      if (view?.callback_id && FORM_IDS.has(view.callback_id)) seen.push({ kind: 'form', form: view.callback_id as never });
      else if (call.method === 'views.update') seen.push({ kind: 'formSays', text: blocksText(view?.blocks) });
      // views.open of a notice: the "loading" modal, not something one reads.
    } else if (call.method === 'views.publish' && call.args.user_id === userId) {
      const blocks = (view?.blocks ?? []) as { type?: string }[];
      seen.push({ kind: 'home', view: blocks.some((b) => b.type === 'divider') ? 'sections' : 'no_access' });
    } else if (call.method === 'chat.postEphemeral' && call.args.user === userId) {
      seen.push({ kind: 'say', text: blocksText(call.args.blocks) || unescape(String(call.args.text ?? '')) });
    } else if (call.method === 'chat.postMessage' && call.args.channel === userId) {
      seen.push({ kind: 'say', text: blocksText(call.args.blocks) || unescape(String(call.args.text ?? '')) });
    }
  }
  for (const r of w.responses.slice(mark.responses)) {
    if (r.user !== userId) continue;
    const text = blocksText(r.body.blocks) || unescape(String(r.body.text ?? ''));
    seen.push(r.body.replace_original === true ? { kind: 'card', text: text.replace(/\*/g, '') } : { kind: 'say', text });
  }
  return seen;
}

describe('the Slack adapter against the conformance table', () => {
  it.each(SCENARIOS.map((s) => [s.name, s] as const))('%s', async (_name, s) => {
    const c = s.given ? await prepare(w.engine.deps, s.given) : undefined;
    const m = s.meeting ? await prepareMeeting(MEETINGS()) : undefined;
    const intent = typeof s.intent === 'function' ? s.intent(c!, m!) : s.intent;
    const expected = typeof s.expect === 'function' ? s.expect(c) : s.expect;
    const userId = platformIdOf(w.engine.deps.directory.current(), s.who, 'slack');
    const mark = { calls: w.slack.calls.length, responses: w.responses.length };
    const res = await send(userId, intent);
    expect(res.status).toBe(200);
    // Everything the request set in motion has finished (the inbox's work in flight), then look.
    expect(await w.app.interactions.drain(10_000)).toBe(0);
    const seen = observe(userId, intent, mark, res);
    expect(matches(seen, expected), `seen ${JSON.stringify(sortSeen(seen), null, 1)}`).toBe(true);
  });
});
