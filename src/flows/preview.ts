/**
 * Checking a command before asking the person for more (a reason, a revised text): `checkAccess` runs the
 * same `decide` the command will run, on the current state, WITHOUT writing anything when it would apply.
 * The caller fills what the form will ask with placeholders, so only refusals that do not depend on those
 * (who may act, the stage, the text version: ACCESS_REFUSALS) count; they are recorded in the command log
 * under the caller's key (every refused attempt is logged: domain.md "Authority"), as `execute` records one.
 * Any other refusal means "ask, and let the real command decide".
 *
 * `recordRefusedAttempt` logs a refusal the adapter established itself (e.g. a person who may not start a
 * consultation asking for the form), so those attempts are in the command log too.
 */
import { decide } from '../domain/decide.ts';
import type { Command, CommandActor, Decision, RefusalCode } from '../domain/types.ts';
import { attemptOf } from './attempt.ts';
import { calendarFor, loadState } from './execute.ts';
import type { FlowDeps } from './ports.ts';

export type CheckResult = { ok: true } | { ok: false; code: RefusalCode; detail?: Record<string, string | number> };

/** Refusals about who acts, on what and when — not about the content a form collects. */
export const ACCESS_REFUSALS: ReadonlySet<RefusalCode> = new Set<RefusalCode>([
  'not_found',
  'consultation_mismatch',
  'consultation_closed',
  'wrong_stage',
  'not_authorized',
  'not_troika_member',
  'author_country',
  'country_ambiguous',
  'not_member_country',
  'not_focal_point_of_country',
  'stale_version',
  'deadline_passed',
  'no_presidency',
]);

export async function checkAccess(deps: FlowDeps, command: Command, options: { key: string }): Promise<CheckResult> {
  const { state } = await loadState(deps, command.consultationId);
  const calendar = calendarFor(deps, state?.calendarPolicy ?? 'secretariat');
  const decision: Decision = decide(state, command, { now: deps.clock.now(), calendar });
  if (decision.ok || !ACCESS_REFUSALS.has(decision.code)) return { ok: true };
  await recordRefusedAttempt(deps, {
    key: options.key,
    type: command.type,
    actor: command.actor,
    command,
    code: decision.code,
    ...(decision.detail ? { detail: decision.detail } : {}),
    ...(state ? { consultationId: command.consultationId } : {}),
  });
  return { ok: false, code: decision.code, ...(decision.detail ? { detail: decision.detail } : {}) };
}

export async function recordRefusedAttempt(
  deps: FlowDeps,
  attempt: {
    key: string;
    type: string;
    actor: CommandActor;
    /** The command refused, when there is one: its country, position, reaction, version go in the record. */
    command?: Command;
    code: RefusalCode;
    detail?: Record<string, string | number>;
    consultationId?: string;
  },
): Promise<void> {
  // Who, by role and country only: the person id is an e-mail address, and addresses stay out of logs
  // (the command log in the database keeps who it was).
  deps.logger?.info(
    {
      consultationId: attempt.consultationId,
      command: attempt.type,
      refusal: attempt.code,
      platform: attempt.actor.platform,
      actorCountry: attempt.actor.country ?? null,
      actorIsStaff: attempt.actor.isStaff,
    },
    'command refused',
  );
  deps.observe?.(attempt.type, attempt.code, 0);
  await deps.store.recordRefusal({
    key: attempt.key,
    type: attempt.type,
    actorPersonId: attempt.actor.personId,
    actorPlatform: attempt.actor.platform,
    result: { ok: false, code: attempt.code, ...(attempt.detail ? { detail: attempt.detail } : {}) },
    attempt: attemptOf(attempt.actor, attempt.command, deps.clock.now()),
    consultationId: attempt.consultationId ?? null,
  });
}
