/**
 * Which Slack requests are written to the inbox before their ack, and under which key: the ones whose ack
 * promises work that must survive a restart, and that can be done again without Slack's 3-second trigger.
 *
 *   - `block_actions` with a decision that records at once (troika_approve, position_support,
 *     position_abstain). Decisions that ask for a reason only open a modal (the reason's submission is the
 *     durable step), and the Home tab's button opens a modal too: neither is stored.
 *   - `block_actions` answering an invitation (meeting_attend, meeting_decline): recorded at once too; the
 *     delegation button (meeting_delegation_open) only opens a modal and is not stored.
 *   - `view_submission` of our forms (consultation_new, reason, revise, extend, withdraw, meeting_new,
 *     meeting_delegation). A replayed meeting_new finds the meeting its key already recorded (the meeting's
 *     id is derived from it); a replayed delegation finds everyone invited and says nothing twice.
 *   - slash commands that answer (estado, lista, plazo, ayuda, reuniones, pendientes, observadores,
 *     observador …); those that only open a form (consulta, revisar, prorrogar, retirar, reunion) are not
 *     stored: a replay cannot open a modal (the trigger has expired).
 *
 * The rule is the interaction layer's (src/interaction/interaction.ts isDurable); this file reads Slack's shapes.
 * The key is the one the listener runs the flow under (actionKey, viewKey, triggerKey), so a replay of a
 * row whose work was committed before a crash is recognised by the flows and records nothing twice.
 * The shapes are checked with zod: anything else is simply not stored (the listeners validate the rest).
 */
import { z } from 'zod';
import { CALLBACK_EXTEND, CALLBACK_REVISE, CALLBACK_WITHDRAW } from '../manage-views.ts';
import { CALLBACK_MEETING_DELEGATION, CALLBACK_MEETING_NEW } from '../meeting-views.ts';
import { CALLBACK_NEW_CONSULTATION, CALLBACK_REASON } from '../views.ts';
import { isDurable } from '../../../interaction/interaction.ts';
import { MEETING_RESPONSE_ACTIONS } from '../../../messages/meeting-invitation.ts';
import { isDecisionAction } from '../../../interaction/decisions.ts';
import { parseButtonValue } from '../render.ts';
import { actionKey, triggerKey, viewKey } from './shared.ts';

export type DurableKind = 'block_actions' | 'view_submission' | 'slash_command';

export interface DurableInteraction {
  kind: DurableKind;
  key: string;
}

const FORMS: ReadonlySet<string> = new Set([
  CALLBACK_NEW_CONSULTATION,
  CALLBACK_REASON,
  CALLBACK_REVISE,
  CALLBACK_EXTEND,
  CALLBACK_WITHDRAW,
  CALLBACK_MEETING_NEW,
  CALLBACK_MEETING_DELEGATION,
]);

const id = z.string().min(1).max(255);
const BlockActions = z.object({
  type: z.literal('block_actions'),
  user: z.object({ id }),
  actions: z.array(z.object({ action_id: id, action_ts: id, value: z.string().max(2000).optional() })).min(1),
});
const ViewSubmission = z.object({
  type: z.literal('view_submission'),
  user: z.object({ id }),
  view: z.object({ id, callback_id: z.string(), private_metadata: z.string().optional(), state: z.object({ values: z.unknown() }).partial().optional() }),
});
const SlashCommand = z.object({ command: z.string().min(1), text: z.string().default(''), user_id: id, trigger_id: id });

/** The inbox entry for `body` (a verified Slack request), or undefined when it is not stored. */
export function durableInteraction(body: Record<string, unknown>): DurableInteraction | undefined {
  if (body.type === 'block_actions') {
    const p = BlockActions.safeParse(body);
    if (!p.success) return undefined;
    const action = p.data.actions[0]!;
    // Invitation answers (listeners/meetings.ts) record at once too; a replay finds the answer recorded.
    const meetingAnswer = (MEETING_RESPONSE_ACTIONS as readonly string[]).includes(action.action_id) && isDurable({ kind: 'answer_invitation' });
    if (!meetingAnswer && !isDurable({ kind: 'decide', action: action.action_id })) return undefined;
    const key = actionKey({ userId: p.data.user.id, actionId: action.action_id, actionTs: action.action_ts, value: action.value ?? '' });
    return { kind: 'block_actions', key };
  }
  if (body.type === 'view_submission') {
    const p = ViewSubmission.safeParse(body);
    if (!p.success || !FORMS.has(p.data.view.callback_id) || !isDurable({ kind: 'submit' })) return undefined;
    const { view } = p.data;
    const values = view.state?.values ?? {};
    return { kind: 'view_submission', key: viewKey({ userId: p.data.user.id, viewId: view.id, values, ...(view.private_metadata !== undefined ? { privateMetadata: view.private_metadata } : {}) }) };
  }
  if (typeof body.command === 'string') {
    const p = SlashCommand.safeParse(body);
    if (!p.success || !isDurable({ kind: 'command', text: p.data.text })) return undefined;
    return { kind: 'slash_command', key: triggerKey(p.data.user_id, p.data.trigger_id, 'command') };
  }
  return undefined;
}

/**
 * Whose decision on which consultation a stored click is (a decision button), for the replay: a click
 * replayed after the same person clicked again on the same consultation is superseded, never applied
 * over their later choice. Undefined for anything else.
 */
export function decisionScope(body: unknown): { userId: string; consultationId: string } | undefined {
  const p = BlockActions.safeParse(body);
  if (!p.success) return undefined;
  const action = p.data.actions[0]!;
  if (!isDecisionAction(action.action_id)) return undefined;
  const target = parseButtonValue(action.value);
  return target ? { userId: p.data.user.id, consultationId: target.consultationId } : undefined;
}
