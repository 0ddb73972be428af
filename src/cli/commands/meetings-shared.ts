/**
 * What `crm meetings` and `crm duties` share: the engine they open (the configured database and its live
 * directory), argument parsing with messages naming the option, and the JSON shapes of
 * shared/interfaces.md "Meetings" (a meeting, a duty). Text for people is English here: the CLI is the
 * operators' tool; chat users get the same refusals in their own language.
 */
import { randomUUID } from 'node:crypto';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { openEngine, type Engine } from '../../app/context.ts';
import { loadConfig } from '../../config.ts';
import { loadEmailConfig } from '../../adapters/email/config.ts';
import type { Directory } from '../../directory/model.ts';
import type { Invitation, TrackedDuty } from '../../domain/meetings/index.ts';
import type { MeetingDeps, MeetingView } from '../../flows/meeting-flows.ts';
import { warningText } from '../../messages/meeting-text.ts';
import { MeetingStore } from '../../store/meeting-store.ts';
import type { CliIo } from '../io.ts';

/** What the commands need from outside; tests inject these. */
export interface MeetingCliDeps {
  env: NodeJS.ProcessEnv;
  now?: () => Date;
}

export interface MeetingCliContext {
  engine: Engine;
  deps: MeetingDeps;
  directory: Directory;
}

/** Opens the configured database and directory, runs `fn`, closes. */
export async function withMeetings<T>(cli: MeetingCliDeps, fn: (ctx: MeetingCliContext) => Promise<T>): Promise<T> {
  const clock = cli.now ?? (() => new Date());
  const config = loadConfig(cli.env);
  // E-mail configured (SMTP_URL): invitations to people without a chat account go by e-mail (sent by the bot).
  const email = loadEmailConfig(cli.env, config.port) !== undefined;
  const engine = await openEngine(config, { clock });
  try {
    const deps: MeetingDeps = {
      meetings: new MeetingStore(engine.db.prisma),
      directory: engine.directory,
      clock: { now: clock },
      newId: randomUUID,
      emailInvitations: email,
    };
    return await fn({ engine, deps, directory: engine.directory.current() });
  } finally {
    await engine.close();
  }
}

export class UsageError extends Error {}

type Options = NonNullable<ParseArgsConfig['options']>;

/** node:util parseArgs, strict, with errors worded for an operator. Throws UsageError. */
export function parseOptions<O extends Options>(args: string[], options: O) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    const err = e as Error & { code?: string };
    const unknown = /Unknown option '([^']+)'/.exec(err.message);
    if (unknown) throw new UsageError(`unknown option ${unknown[1]}`);
    const missing = /Option '(--[\w-]+)[^']*' argument missing/.exec(err.message);
    if (missing) throw new UsageError(`${missing[1]}: a value is required`);
    const bool = /Option '(--[\w-]+)' does not take an argument/.exec(err.message);
    if (bool) throw new UsageError(`${bool[1]} takes no value`);
    throw new UsageError(err.message);
  }
}

export function invitationJson(i: Invitation) {
  return {
    email: i.email,
    name: i.name,
    segment: i.segment,
    ...(i.country ? { country: i.country } : {}),
    ...(i.organization ? { organization: i.organization } : {}),
    // The invitee's answer (meeting_attend / meeting_decline), once given: an extension of interfaces.md.
    ...(i.response ? { response: i.response } : {}),
  };
}

/** A duty in JSON (interfaces.md): `{ duty, meeting, owner, due, state }`; `meeting` is null for none. */
export function dutyJson(d: TrackedDuty) {
  return { duty: d.duty, meeting: d.meeting ?? null, owner: d.owner, due: d.due, state: d.state };
}

/** A meeting in JSON (interfaces.md "Meetings"). */
export function meetingJson(v: MeetingView, directory: Directory) {
  const m = v.meeting;
  return {
    reference: m.reference,
    kind: m.kind,
    title: m.title,
    start: m.start,
    end: m.end,
    city: m.city ?? null,
    country: m.country,
    segments: [...m.segments],
    invitees: v.invitations.map(invitationJson),
    duties: v.duties.map(dutyJson),
    warnings: v.warnings.map((w) => ({ code: w.code, message: warningText(directory, w, 'en') })),
  };
}

export function printJson(io: CliIo, value: unknown): void {
  io.out(JSON.stringify(value, null, 2));
}

/** A refusal: its reason on stderr, and with --json one JSON object on stdout. Exit code 1. */
export function refuse(io: CliIo, command: string, json: boolean, code: string, message: string, extra: Record<string, unknown> = {}): number {
  io.err(`${command}: ${message}`);
  if (json) printJson(io, { error: { code, message, ...extra } });
  return 1;
}
