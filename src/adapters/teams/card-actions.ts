/**
 * The Action.Execute verbs of the request cards (interfaces.md "Microsoft Teams"), handled with the same
 * flows as the Slack buttons (src/flows/consultation-flows.ts). Thin on purpose: it maps an
 * `adaptiveCard/action` invoke to a decision and the result to an invoke response, so it can move onto the
 * platform-neutral interaction layer unchanged.
 *
 *   consultation_new                                       → new-consultation.ts (the `consulta` form)
 *   revise, extend, withdraw                               → manage.ts (`revisar`/`prorrogar`/`retirar`)
 *   troika_approve, position_support, position_abstain     → recorded at once
 *   troika_changes, troika_object, position_object         → the reason card (Input.Text `reason`,
 *                                                            Action.Execute verb `reason`) in the invoke
 *                                                            response; its submit records the decision
 *
 * Who acts: the directory person whose `teams` is the activity's `from.aadObjectId` (the SDK validated the
 * request's token). `data` (`{ c, v }`: consultation and text version; `a` on the reason card: the action)
 * is untrusted input. Idempotency key: the invoke's activity id, so a Teams retry records nothing new.
 * Every invoke is answered 200: the clicked card updated (who recorded what and when), the reason card, or
 * a message with the refusal in the person's language. The clicked card is also updated for everyone with a
 * PUT of its activity: a `card_update` outbox row written in the same transaction as the decision.
 */
import type { IAdaptiveCard } from '@microsoft/teams.cards';
import type { ConsultationEvent, ConsultationState, Position, TroikaReaction } from '../../domain/types.ts';
import { LIMITS } from '../../domain/types.ts';
import type { Directory, Locale } from '../../directory/model.ts';
import { reactTroika, recordPosition } from '../../flows/consultation-flows.ts';
import { countryName, requestCardFor } from '../../flows/effects.ts';
import type { FlowResult } from '../../flows/execute.ts';
import { troikaDecision } from '../../flows/messages/common.ts';
import { identify } from '../../flows/people.ts';
import type { FlowDeps } from '../../flows/ports.ts';
import { formatInstant, refusalMessage, t } from '../../i18n/index.ts';
import type { Logger } from '../../log.ts';
import type { NeutralMessage, RecordedDecision } from '../../messages/neutral.ts';
import type { NewOutboxMessage } from '../../store/consultation-store.ts';
import { renderForm } from './forms.ts';
import { isManageVerb, submitManage, type ManageVerb } from './manage.ts';
import { NEW_CONSULTATION_VERB, submitNewConsultation } from './new-consultation.ts';
import { localeFor, personByTeamsId } from './people.ts';
import { ADAPTIVE_CARD_CONTENT_TYPE, renderCard } from './render.ts';
import type { TeamsReceipt } from './teams-notifier.ts';

type Decision = { troika: TroikaReaction; position?: never } | { position: Position; troika?: never };
const VERBS: Record<string, Decision & { reason?: 'changes' | 'object' | 'position_object' }> = {
  troika_approve: { troika: 'approve' },
  troika_changes: { troika: 'request_changes', reason: 'changes' },
  troika_object: { troika: 'object', reason: 'object' },
  position_support: { position: 'support' },
  position_object: { position: 'object', reason: 'position_object' },
  position_abstain: { position: 'abstain' },
};
export const REASON_VERB = 'reason';

export type InvokeAnswer =
  | { statusCode: 200; type: typeof ADAPTIVE_CARD_CONTENT_TYPE; value: IAdaptiveCard }
  | { statusCode: 200; type: 'application/vnd.microsoft.activity.message'; value: string };

/** What the handler reads of an `adaptiveCard/action` invoke. */
export interface CardActionActivity {
  id?: string;
  replyToId?: string;
  serviceUrl?: string;
  locale?: string;
  from?: { id?: string; aadObjectId?: string };
  conversation?: { id?: string };
  value?: { action?: { verb?: unknown; data?: unknown } };
}

export interface CardActionDeps {
  deps: FlowDeps;
  logger: Logger;
}

const message = (text: string): InvokeAnswer => ({ statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: text });
const cardAnswer = (value: IAdaptiveCard): InvokeAnswer => ({ statusCode: 200, type: ADAPTIVE_CARD_CONTENT_TYPE, value });

/** A short untrusted string from the card's data, or undefined. */
const field = (data: Record<string, unknown>, name: string, max = 200): string | undefined => {
  const v = data[name];
  return typeof v === 'string' && v.trim() !== '' && v.length <= max ? v.trim() : undefined;
};

function recordedLine(event: Extract<ConsultationEvent, { type: 'troika_reacted' | 'position_recorded' }>, directory: Directory, reader: { locale: Locale; timezone: string }): RecordedDecision {
  const l = reader.locale;
  const what = event.type === 'troika_reacted' ? troikaDecision(l, event.reaction) : t(l, `position.${event.position}`);
  return {
    who: t(l, 'slack.who', { name: event.actor.name, country: countryName(directory, event.country, l) }),
    what: event.reason ? t(l, 'slack.what_with_reason', { what, reason: event.reason }) : what,
    when: formatInstant(new Date(event.at), { locale: l, timeZone: reader.timezone }),
  };
}

/** The clicked card after the decision, for the person who clicked (and, through the outbox, everyone). */
function updatedCard(after: ConsultationState, events: readonly ConsultationEvent[], directory: Directory, personId: string, troika: boolean) {
  const kind = troika ? 'troika_request' : 'member_request';
  const built = requestCardFor(after, directory, personId, kind);
  const event = events.find((e): e is Extract<ConsultationEvent, { type: 'troika_reacted' | 'position_recorded' }> => e.type === 'troika_reacted' || e.type === 'position_recorded');
  if (!built) return undefined;
  const { replaceKey: _replaced, ...card } = built.message;
  // A repeated click (nothing new recorded) gets the card as it is now.
  const payload: NeutralMessage = event
    ? { ...card, recorded: recordedLine(event, directory, built), keepButtons: troika ? after.stage === 'troika_review' : after.stage === 'member_consultation' }
    : card;
  return { built, payload, recorded: event !== undefined };
}

function reasonCard(locale: Locale, action: string, kind: 'changes' | 'object' | 'position_object', c: string, v: string, error?: string): IAdaptiveCard {
  return renderForm({
    id: 'reason',
    locale,
    title: t(locale, `form.reason.heading.${kind}`),
    intro: [t(locale, `form.reason.prompt.${kind}`)],
    fields: [{ id: 'reason', kind: 'multiline', label: t(locale, 'form.reason.label'), required: true, maxLength: LIMITS.reasonMax }],
    submitLabel: t(locale, 'form.reason.submit'),
    requiredMessage: t(locale, 'refusal.reason_required'),
    context: { a: action, c, v },
    ...(error ? { errors: { reason: error } } : {}),
  });
}

export async function handleCardAction(ctx: CardActionDeps, activity: CardActionActivity): Promise<InvokeAnswer> {
  const directory = ctx.deps.directory.current();
  const locale = localeFor(directory, activity);
  const verb = typeof activity.value?.action?.verb === 'string' ? activity.value.action.verb : '';
  const raw = activity.value?.action?.data;
  const data = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  if (verb === NEW_CONSULTATION_VERB) return newConsultation(ctx, activity, directory, locale, data);
  if (isManageVerb(verb)) return manage(ctx, verb, activity, directory, locale, data);
  const action = verb === REASON_VERB ? (field(data, 'a', 40) ?? '') : verb;
  const decision = VERBS[action];
  const c = field(data, 'c', 100);
  const v = field(data, 'v', 100);
  if (!decision || !c || !v) {
    ctx.logger.warn({ verb: verb.slice(0, 40) }, 'teams: card action not valid');
    return message(t(locale, 'slack.invalid_button'));
  }
  const actor = identify(directory, { platform: 'teams', userId: activity.from?.aadObjectId ?? '' });
  if (!actor) {
    ctx.logger.warn({ verb: action }, 'teams: card action by someone not in the directory');
    return message(t(locale, 'refusal.not_in_directory'));
  }
  let reason: string | undefined;
  if (decision.reason) {
    if (verb !== REASON_VERB) return cardAnswer(reasonCard(locale, action, decision.reason, c, v));
    const given = typeof data.reason === 'string' ? data.reason.trim() : '';
    if (!given) return cardAnswer(reasonCard(locale, action, decision.reason, c, v, t(locale, 'refusal.reason_required')));
    if (given.length > LIMITS.reasonMax) return cardAnswer(reasonCard(locale, action, decision.reason, c, v, t(locale, 'refusal.reason_too_long', { max: LIMITS.reasonMax })));
    reason = given;
  }

  const troika = decision.troika !== undefined;
  // The clicked card, to PUT for everyone (the reason card answered in place of it keeps the same activity).
  const clicked: TeamsReceipt | undefined =
    activity.replyToId && activity.conversation?.id && activity.serviceUrl
      ? { conversationId: activity.conversation.id, activityId: activity.replyToId, serviceUrl: activity.serviceUrl }
      : undefined;
  const key = `teams:${activity.id ?? `${activity.from?.aadObjectId}:${action}:${c}:${v}:${Date.now()}`}`;
  const extraOutbox = (after: ConsultationState, events: readonly ConsultationEvent[]): NewOutboxMessage[] => {
    const u = updatedCard(after, events, directory, actor.personId, troika);
    if (!u?.recorded || !clicked || u.built.platform !== 'teams') return [];
    return [{ dedupeKey: `card:${key}`, platform: 'teams', recipient: u.built.recipient, kind: 'card_update', payload: { ...u.payload, updates: clicked } }];
  };
  const common = { key, actor, consultationId: c, version: v, extraOutbox, ...(clicked ? { cardUpdatedFor: actor.personId } : {}), ...(reason !== undefined ? { reason } : {}) };
  let result: FlowResult;
  try {
    result = decision.troika
      ? await reactTroika(ctx.deps, { ...common, reaction: decision.troika })
      : await recordPosition(ctx.deps, { ...common, position: decision.position! });
  } catch (err) {
    ctx.logger.error({ err, verb: action }, 'teams: card action failed');
    return message(t(locale, 'refusal.unknown'));
  }
  if (!result.ok) return message(refusalMessage(locale, result.code, result.detail));
  const u = updatedCard(result.state, result.events, directory, actor.personId, troika);
  if (!u) return message(t(locale, 'refusal.unknown'));
  return cardAnswer(renderCard(u.payload));
}

/** The new-consultation form's submit: the form again with its errors, or a card saying it was sent. */
async function newConsultation(ctx: CardActionDeps, activity: CardActionActivity, directory: Directory, locale: Locale, data: Record<string, unknown>): Promise<InvokeAnswer> {
  const actor = identify(directory, { platform: 'teams', userId: activity.from?.aadObjectId ?? '' });
  if (!actor) return message(t(locale, 'refusal.not_in_directory'));
  const timezone = personByTeamsId(directory, activity.from?.aadObjectId)?.timezone ?? directory.secretariat.timezone;
  const key = `teams:${activity.id ?? `${activity.from?.aadObjectId}:${Date.now()}`}`;
  try {
    const answer = await submitNewConsultation(ctx.deps, { key, actor, locale, timezone, data });
    if ('card' in answer) return cardAnswer(answer.card);
    const heading = t(locale, 'form.consultation_new.heading');
    return cardAnswer(renderCard({ kind: 'status', locale, consultationId: '', reference: '', heading, body: [answer.text], fields: [], buttons: [] }));
  } catch (err) {
    ctx.logger.error({ err }, 'teams: new consultation failed');
    return message(t(locale, 'refusal.unknown'));
  }
}

/** The extend or withdraw form's submit (`{ c, r }` names the consultation: untrusted, looked up again). */
async function manage(ctx: CardActionDeps, verb: ManageVerb, activity: CardActionActivity, directory: Directory, locale: Locale, data: Record<string, unknown>): Promise<InvokeAnswer> {
  const actor = identify(directory, { platform: 'teams', userId: activity.from?.aadObjectId ?? '' });
  if (!actor) return message(t(locale, 'refusal.not_in_directory'));
  const c = field(data, 'c', 100);
  const stored = c ? await ctx.deps.store.load(c) : undefined;
  if (!stored) return message(t(locale, 'refusal.not_found'));
  const timezone = personByTeamsId(directory, activity.from?.aadObjectId)?.timezone ?? directory.secretariat.timezone;
  const key = `teams:${activity.id ?? `${activity.from?.aadObjectId}:${verb}:${Date.now()}`}`;
  try {
    const answer = await submitManage(ctx.deps, verb, { key, actor, reader: { locale, timezone }, data, state: stored.snapshot as ConsultationState });
    if ('card' in answer) return cardAnswer(answer.card);
    const heading = t(locale, `form.${verb}.heading`);
    return cardAnswer(renderCard({ kind: 'status', locale, consultationId: '', reference: '', heading, body: [answer.text], fields: [], buttons: [] }));
  } catch (err) {
    ctx.logger.error({ err, verb }, 'teams: form submission failed');
    return message(t(locale, 'refusal.unknown'));
  }
}
