/**
 * A Troika reaction or a Member Country's position, from a button or from the reason form: the command,
 * running the flow with the clicked card's in-place update as an outbox row written in the same
 * transaction, and the words for what was recorded.
 *
 * The card-update policy: only the card the person clicked is updated (not their member card by its replace
 * key), on the platform they clicked it on, with who did what and when, and with its buttons while the
 * decision may still change (Troika: while the review lasts; members: until the close). The row (kind
 * `card_update`) carries `updates`: where the clicked card is (`CardRef`); the platform's notifier updates it.
 * A card clicked in the local console is updated in the console (`platform: console`), whatever the seat's
 * own platform.
 */
import type { Directory, Locale } from '../directory/model.ts';
import type { CommandActor, ConsultationEvent, ConsultationState, Position, TroikaReaction } from '../domain/types.ts';
import { reactTroika, recordPosition } from '../flows/consultation-flows.ts';
import { countryName, requestCardFor } from '../flows/effects.ts';
import type { FlowResult } from '../flows/execute.ts';
import { troikaDecision } from '../flows/messages/common.ts';
import type { FlowDeps } from '../flows/ports.ts';
import { formatInstant, t } from '../i18n/index.ts';
import type { MessageKind, NeutralMessage, RecordedDecision } from '../messages/neutral.ts';
import type { NewOutboxMessage } from '../store/consultation-store.ts';

/** The decision buttons' ids (interfaces.md: the Slack action ids, the Teams verbs). */
export const DECISION_ACTIONS = ['troika_approve', 'troika_changes', 'troika_object', 'position_support', 'position_object', 'position_abstain'] as const;
export type DecisionAction = (typeof DECISION_ACTIONS)[number];
export const isDecisionAction = (id: string): id is DecisionAction => (DECISION_ACTIONS as readonly string[]).includes(id);

/** What a reason form asks for: a Troika change request or objection, or a member's objection. */
export type ReasonKind = 'changes' | 'object' | 'position_object';

/** The actions that ask for a reason first, and the reason form's kind. */
export const REASON_KIND: Partial<Record<DecisionAction, ReasonKind>> = {
  troika_changes: 'changes',
  troika_object: 'object',
  position_object: 'position_object',
};
export const ACTION_OF_REASON: Record<ReasonKind, DecisionAction> = { changes: 'troika_changes', object: 'troika_object', position_object: 'position_object' };

const TROIKA: Partial<Record<DecisionAction, TroikaReaction>> = { troika_approve: 'approve', troika_changes: 'request_changes', troika_object: 'object' };
const POSITION: Partial<Record<DecisionAction, Position>> = { position_support: 'support', position_object: 'object', position_abstain: 'abstain' };

export const isTroikaAction = (a: DecisionAction) => TROIKA[a] !== undefined;

/**
 * Where a clicked card is, on the platform it was clicked on: Slack `{ channel, ts }` (chat.update), Teams
 * `{ channel: conversation id, ts: activity id }` (PUT the activity).
 */
export interface CardRef {
  channel: string;
  ts: string;
  /**
   * Slack: the click's response URL and when it was clicked (epoch ms): the notifier replaces the card
   * through it while it is fresh (adapters/slack/slack-notifier.ts), else chat.update. Never logged.
   */
  responseUrl?: string;
  at?: number;
}

/** Outbox kind of a card updated in place. */
export const CARD_UPDATE_KIND = 'card_update' satisfies MessageKind;

/** The outbox payload of a clicked card's update (the Slack notifier's CardUpdatePayload). */
export type CardUpdate = NeutralMessage & {
  recorded: RecordedDecision;
  keepButtons: boolean;
  updates: CardRef;
};

export interface Decided {
  action: DecisionAction;
  consultationId: string;
  version: string;
  actor: CommandActor;
  reason?: string;
  key: string;
  /** The card clicked, to update in place (on `actor.platform`). */
  card?: CardRef;
  /** The request's inbox row, marked processed with the decision (ExecuteOptions.inbox). */
  inbox?: { id: string; processed(): void };
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

/** The decision event of a flow's result (a reaction or a position), if any. */
export function decisionEvent(events: readonly ConsultationEvent[]): Extract<ConsultationEvent, { type: 'troika_reacted' | 'position_recorded' }> | undefined {
  const event = events.find((e) => e.type === 'troika_reacted' || e.type === 'position_recorded');
  return event && (event.type === 'troika_reacted' || event.type === 'position_recorded') ? event : undefined;
}

/**
 * The clicked card after the decision, as the person who clicked sees it (undefined when nothing new was
 * recorded, or they have no request card of this kind).
 */
export function clickedCard(after: ConsultationState, events: readonly ConsultationEvent[], directory: Directory, d: Decided & { card: CardRef }): { update: CardUpdate; platform: string; recipient: unknown } | undefined {
  const kind = isTroikaAction(d.action) ? 'troika_request' : 'member_request';
  const built = requestCardFor(after, directory, d.actor.personId, kind);
  const event = decisionEvent(events);
  if (!built || !event) return undefined;
  // The clicked card is updated, not the person's member card by its replace key (the effects leave it to us).
  const { replaceKey: _replaced, ...card } = built.message;
  const update: CardUpdate = {
    ...card,
    recorded: recordedDecision(event, directory, built),
    keepButtons: kind === 'troika_request' ? after.stage === 'troika_review' : after.stage === 'member_consultation',
    updates: d.card,
  };
  return { update, platform: built.platform, recipient: built.recipient };
}

/** What `clickedCard` gave for the decision that was written (runDecision's `seen`): computed once per click. */
export interface SeenCard {
  clicked?: ReturnType<typeof clickedCard>;
}

/** The clicked card's update, as an outbox row (none when nothing was clicked or it is not the person's card). */
export function cardUpdate(after: ConsultationState, events: readonly ConsultationEvent[], directory: Directory, d: Decided, seen?: SeenCard): NewOutboxMessage[] {
  if (!d.card) return [];
  const clicked = clickedCard(after, events, directory, { ...d, card: d.card });
  if (seen) seen.clicked = clicked;
  if (!clicked) return [];
  // The local console shows every seat's cards whatever the seat's platform (src/adapters/console): a card
  // clicked there is updated there. Elsewhere only on the platform the card was clicked on (the card's
  // address is that platform's).
  const console = d.actor.platform === 'console';
  if (!console && clicked.platform !== d.actor.platform) return [];
  return [{ dedupeKey: `card:${d.key}`, platform: console ? 'console' : clicked.platform, recipient: clicked.recipient, kind: CARD_UPDATE_KIND, payload: clicked.update }];
}

/**
 * Runs the decision through the flows; the clicked card's update is written with it. `seen` receives the
 * clicked card as built for the last attempt (the one written when the result is new), so the caller need
 * not build it again.
 */
export function runDecision(deps: FlowDeps, d: Decided, seen?: SeenCard): Promise<FlowResult> {
  const extraOutbox = (after: ConsultationState, events: readonly ConsultationEvent[]) => cardUpdate(after, events, deps.directory.current(), d, seen);
  const common = { key: d.key, actor: d.actor, consultationId: d.consultationId, extraOutbox, ...(d.card ? { cardUpdatedFor: d.actor.personId } : {}), ...(d.inbox ? { inbox: d.inbox } : {}) };
  const reaction = TROIKA[d.action];
  if (reaction) return reactTroika(deps, { ...common, version: d.version, reaction, ...(d.reason !== undefined ? { reason: d.reason } : {}) });
  return recordPosition(deps, { ...common, version: d.version, position: POSITION[d.action]!, ...(d.reason !== undefined ? { reason: d.reason } : {}) });
}
