/**
 * The use cases of a special consultation. Each builds a domain command from what an adapter (Slack,
 * Teams, CLI, a job) collected and runs it through `execute`: one transaction, idempotent by key.
 */
import { decide } from '../domain/decide.ts';
import { dateInZone } from '../domain/time.ts';
import type {
  CommandActor,
  DeadlineRequest,
  DecisionRule,
  Position,
  TroikaReaction,
} from '../domain/types.ts';
import type { CalendarPolicy } from '../domain/calendar-port.ts';
import type { CountryCode } from '../directory/model.ts';
import { calendarFor, execute, type ExecuteOptions, type FlowResult } from './execute.ts';
import { participantsFrom, SYSTEM_ACTOR } from './people.ts';
import type { FlowDeps } from './ports.ts';

export interface StartInput {
  key: string;
  actor: CommandActor;
  title: string;
  text: string;
  deadline: DeadlineRequest;
  justification?: string;
  rule?: DecisionRule;
  calendarPolicy?: CalendarPolicy;
  closeEarly?: boolean;
  /** Reference of a not-endorsed consultation this one resends. */
  supersedes?: string;
  /** Send to the Troika in the same step (default true: the form's button is "Send to the Troika"). */
  send?: boolean;
}

/**
 * Starts a consultation (draft, text version 1) with the participants frozen from the live directory,
 * then sends it to the Troika. A reference number is taken only for a start the domain accepts.
 */
export async function startConsultation(deps: FlowDeps, input: StartInput): Promise<FlowResult> {
  const directory = deps.directory.current();
  if (input.supersedes !== undefined) {
    const previous = await deps.store.loadByReference(input.supersedes);
    if (!previous || previous.stage !== 'not_endorsed') {
      return { ok: false, code: 'invalid_command', detail: { field: 'supersedes' }, duplicate: false };
    }
  }
  const seen = await deps.store.findCommand(input.key);
  const consultationId = seen?.consultationId ?? deps.newId();
  const base = {
    type: 'start' as const,
    consultationId,
    actor: input.actor,
    title: input.title,
    text: input.text,
    deadline: input.deadline,
    ...(input.justification !== undefined ? { justification: input.justification } : {}),
    rule: input.rule ?? 'explicit',
    calendarPolicy: input.calendarPolicy ?? 'secretariat',
    closeEarly: input.closeEarly ?? true,
    participants: participantsFrom(directory),
    ...(input.supersedes !== undefined ? { supersedes: input.supersedes } : {}),
  };
  let reference = 'CRM-0000-000';
  if (!seen) {
    // Dry run: refuse before a reference number is spent.
    const now = deps.clock.now();
    const dry = decide(undefined, { ...base, reference }, { now, calendar: calendarFor(deps, base.calendarPolicy) });
    if (!dry.ok) return execute(deps, { ...base, reference }, { key: input.key });
    const year = Number(dateInZone(now, directory.secretariat.timezone).slice(0, 4));
    reference = await deps.store.nextReference(year);
  }
  const started = await execute(deps, { ...base, reference }, { key: input.key });
  if (!started.ok || input.send === false) return started;
  return sendToTroika(deps, { key: `${input.key}:send`, actor: input.actor, consultationId });
}

interface Common {
  key: string;
  actor: CommandActor;
  consultationId: string;
  /** More outbox messages written with the decision (ExecuteOptions.extraOutbox). */
  extraOutbox?: ExecuteOptions['extraOutbox'];
}

const options = (i: Common): ExecuteOptions => ({ key: i.key, ...(i.extraOutbox ? { extraOutbox: i.extraOutbox } : {}) });

export const sendToTroika = (deps: FlowDeps, i: Common): Promise<FlowResult> =>
  execute(deps, { type: 'sendToTroika', consultationId: i.consultationId, actor: i.actor }, options(i));

export const reactTroika = (
  deps: FlowDeps,
  i: Common & { version: string; reaction: TroikaReaction; reason?: string; country?: CountryCode },
): Promise<FlowResult> =>
  execute(
    deps,
    {
      type: 'reactTroika',
      consultationId: i.consultationId,
      actor: i.actor,
      version: i.version,
      reaction: i.reaction,
      ...(i.reason !== undefined ? { reason: i.reason } : {}),
      ...(i.country !== undefined ? { country: i.country } : {}),
    },
    options(i),
  );

export const revise = (deps: FlowDeps, i: Common & { text: string; title?: string }): Promise<FlowResult> =>
  execute(
    deps,
    { type: 'revise', consultationId: i.consultationId, actor: i.actor, text: i.text, ...(i.title !== undefined ? { title: i.title } : {}) },
    options(i),
  );

/** Records a country's position. `country` defaults to the country the person is a focal point of. */
export const recordPosition = (
  deps: FlowDeps,
  i: Common & { country?: CountryCode; position: Position; reason?: string; version: string },
): Promise<FlowResult> => {
  // No country (e.g. an observer's focal point): decide refuses it as not_member_country, and execute
  // records the attempt in the command log, as every refused attempt must be (domain.md "Authority").
  const country = i.country ?? i.actor.country ?? '';
  return execute(
    deps,
    {
      type: 'recordPosition',
      consultationId: i.consultationId,
      actor: i.actor,
      country,
      position: i.position,
      version: i.version,
      ...(i.reason !== undefined ? { reason: i.reason } : {}),
    },
    options(i),
  );
};

export const extend = (deps: FlowDeps, i: Common & { deadline: DeadlineRequest; justification: string }): Promise<FlowResult> =>
  execute(
    deps,
    { type: 'extend', consultationId: i.consultationId, actor: i.actor, deadline: i.deadline, justification: i.justification },
    options(i),
  );

export const withdraw = (deps: FlowDeps, i: Common & { reason?: string }): Promise<FlowResult> =>
  execute(
    deps,
    { type: 'withdraw', consultationId: i.consultationId, actor: i.actor, ...(i.reason !== undefined ? { reason: i.reason } : {}) },
    options(i),
  );

/**
 * Closes the member stage at its deadline (the `close` job). The key names the deadline version, so a
 * job for a superseded deadline and a retried job both change nothing.
 */
export const closeAtDeadline = (deps: FlowDeps, i: { consultationId: string; deadlineVersion: number }): Promise<FlowResult> =>
  execute(
    deps,
    { type: 'close', consultationId: i.consultationId, actor: SYSTEM_ACTOR },
    { key: `close:${i.consultationId}:${i.deadlineVersion}` },
  );
