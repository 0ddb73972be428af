/**
 * A Troika reaction or a Member Country's position, from a button or from the reason modal: the command,
 * the "already recorded" check (a double click records once), running the flow with the clicked card's
 * in-place update as an outbox row written in the same transaction, and the words for what was recorded.
 *
 * Card updates go through the outbox (kind `card_update`): the row carries the rebuilt card, who did what
 * and when, whether the buttons stay (Troika: while the review lasts; members: until the close), and the
 * `{ channel, ts }` of the clicked message; the deliver job's SlackNotifier does chat.update with it.
 */
import type { CommandActor, ConsultationEvent, ConsultationState, Position, TroikaReaction } from '../../../domain/types.ts';
import type { Directory, Locale } from '../../../directory/model.ts';
import { focalPointCountries } from '../../../domain/authority.ts';
import { reactTroika, recordPosition } from '../../../flows/consultation-flows.ts';
import { countryName, requestCardFor } from '../../../flows/effects.ts';
import { troikaDecision } from '../../../flows/messages/common.ts';
import type { FlowResult } from '../../../flows/execute.ts';
import { formatInstant, t } from '../../../i18n/index.ts';
import type { NewOutboxMessage } from '../../../store/consultation-store.ts';
import { CARD_UPDATE_KIND, type CardUpdatePayload, type SlackReceipt } from '../slack-notifier.ts';
import type { RecordedDecision } from '../render.ts';
import type { ReasonKind } from '../views.ts';
import type { SlackListenerContext } from './shared.ts';

export const DECISION_ACTIONS = ['troika_approve', 'troika_changes', 'troika_object', 'position_support', 'position_object', 'position_abstain'] as const;
export type DecisionAction = (typeof DECISION_ACTIONS)[number];
export const isDecisionAction = (id: string): id is DecisionAction => (DECISION_ACTIONS as readonly string[]).includes(id);

/** The actions that ask for a reason first, and the reason modal's kind. */
export const REASON_KIND: Partial<Record<DecisionAction, ReasonKind>> = {
  troika_changes: 'changes',
  troika_object: 'object',
  position_object: 'position_object',
};
export const ACTION_OF_REASON: Record<ReasonKind, DecisionAction> = { changes: 'troika_changes', object: 'troika_object', position_object: 'position_object' };

const TROIKA: Partial<Record<DecisionAction, TroikaReaction>> = { troika_approve: 'approve', troika_changes: 'request_changes', troika_object: 'object' };
const POSITION: Partial<Record<DecisionAction, Position>> = { position_support: 'support', position_object: 'object', position_abstain: 'abstain' };

export const isTroikaAction = (a: DecisionAction) => TROIKA[a] !== undefined;

export interface Decided {
  action: DecisionAction;
  consultationId: string;
  version: string;
  actor: CommandActor;
  reason?: string;
  key: string;
  /** The message clicked, to update in place. */
  card?: SlackReceipt;
}

/** The domain command of a decision (for checkAccess with a placeholder reason). */
export function decisionCommand(d: Omit<Decided, 'key' | 'card'>) {
  const base = { consultationId: d.consultationId, actor: d.actor, version: d.version, ...(d.reason !== undefined ? { reason: d.reason } : {}) };
  const reaction = TROIKA[d.action];
  if (reaction) return { ...base, type: 'reactTroika' as const, reaction };
  return { ...base, type: 'recordPosition' as const, country: d.actor.country ?? '', position: POSITION[d.action]! };
}

/** "Apoya", "Solicita cambios; motivo: …" in `locale`. */
export function whatText(locale: Locale, e: { reaction?: TroikaReaction; position?: Position; reason?: string }): string {
  const what = e.reaction ? troikaDecision(locale, e.reaction) : t(locale, `position.${e.position ?? 'none'}`);
  return e.reason ? t(locale, 'slack.what_with_reason', { what, reason: e.reason }) : what;
}

/** Who did what and when, in the card's language and zone: the "Recorded by …" line of an updated card. */
export function recordedDecision(
  event: Extract<ConsultationEvent, { type: 'troika_reacted' | 'position_recorded' }>,
  directory: Directory,
  reader: { locale: Locale; timezone: string },
): RecordedDecision {
  const l = reader.locale;
  const reason = event.reason ? { reason: event.reason } : {};
  return {
    who: t(l, 'slack.who', { name: event.actor.name, country: countryName(directory, event.country, l) }),
    what: whatText(l, event.type === 'troika_reacted' ? { reaction: event.reaction, ...reason } : { position: event.position, ...reason }),
    when: formatInstant(new Date(event.at), { locale: l, timeZone: reader.timezone }),
  };
}

function cardUpdate(after: ConsultationState, events: readonly ConsultationEvent[], directory: Directory, d: Decided): NewOutboxMessage[] {
  if (!d.card) return [];
  const kind = isTroikaAction(d.action) ? 'troika_request' : 'member_request';
  const built = requestCardFor(after, directory, d.actor.personId, kind);
  const event = events.find((e) => e.type === 'troika_reacted' || e.type === 'position_recorded');
  if (!built || built.platform !== 'slack' || !event || (event.type !== 'troika_reacted' && event.type !== 'position_recorded')) return [];
  // The clicked card is updated, not the person's member card by its replace key (the effects leave it to us).
  const { replaceKey: _replaced, ...card } = built.message;
  const payload: CardUpdatePayload = {
    ...card,
    recorded: recordedDecision(event, directory, built),
    keepButtons: kind === 'troika_request' ? after.stage === 'troika_review' : after.stage === 'member_consultation',
    updates: d.card,
  };
  return [{ dedupeKey: `card:${d.key}`, platform: 'slack', recipient: built.recipient, kind: CARD_UPDATE_KIND, payload }];
}

/** Runs the decision through the flows; the clicked card's update is written with it. */
export function runDecision(ctx: SlackListenerContext, d: Decided): Promise<FlowResult> {
  const extraOutbox = (after: ConsultationState, events: readonly ConsultationEvent[]) => cardUpdate(after, events, ctx.deps.directory.current(), d);
  const common = { key: d.key, actor: d.actor, consultationId: d.consultationId, extraOutbox, ...(d.card ? { cardUpdatedFor: d.actor.personId } : {}) };
  const reaction = TROIKA[d.action];
  if (reaction) return reactTroika(ctx.deps, { ...common, version: d.version, reaction, ...(d.reason !== undefined ? { reason: d.reason } : {}) });
  return recordPosition(ctx.deps, { ...common, version: d.version, position: POSITION[d.action]!, ...(d.reason !== undefined ? { reason: d.reason } : {}) });
}
