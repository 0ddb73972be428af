/**
 * Decisions on the example directory, for the routing and message tests: the real people (PA is the PPT
 * from 20 November 2026; the Troika MX, PA, SV; Canada's focal points in Ottawa), the domain's own decide
 * and evolve, and a fake business calendar (Costa Rica weekdays). T = Tuesday 1 December 2026, 09:00 in
 * Costa Rica: five business days after it end on Tuesday 8 December.
 */
import { readDirectoryFile } from '../../../src/app/context.ts';
import { EXAMPLE_DIRECTORY } from '../../../src/config.ts';
import type { Directory } from '../../../src/directory/model.ts';
import { decide } from '../../../src/domain/decide.ts';
import { evolve } from '../../../src/domain/evolve.ts';
import type { Command, CommandActor, ConsultationEvent, ConsultationState, StartCommand } from '../../../src/domain/types.ts';
import { messagesFor } from '../../../src/flows/effects.ts';
import { identify, participantsFrom } from '../../../src/flows/people.ts';
import type { NeutralMessage } from '../../../src/messages/neutral.ts';
import type { NewOutboxMessage } from '../../../src/store/consultation-store.ts';
import { fakeCalendar } from '../domain/fixtures.ts';

export const T = new Date('2026-12-01T15:00:00.000Z');
export const ID = 'c-42';
export const REF = 'CRM-2026-042';

export const directory: Directory = (await readDirectoryFile(EXAMPLE_DIRECTORY)).directory;

/** People of the example directory by Slack id. */
export const who = (slack: string): CommandActor => {
  const a = identify(directory, { platform: 'slack', userId: slack });
  if (!a) throw new Error(`${slack} is not in the example directory`);
  return a;
};
export const PPT = 'U0PA0000001';
export const PPT2 = 'U0PA0000002';
export const MX = 'U0MX0000001';
export const SV = 'U0SV0000001';
export const STAFF = 'U0ST0000001';
export const fp1 = (country: string) => `U0${country}0000001`;

/** Person ids (e-mails) of the focal points of `countries`, sorted. */
export function focalPointIds(countries?: readonly string[]): string[] {
  return directory.countries
    .filter((c) => c.status === 'member' && (!countries || countries.includes(c.code)))
    .flatMap((c) => c.focalPoints.map((f) => f.id))
    .sort();
}

export interface Step {
  before: ConsultationState | undefined;
  after: ConsultationState;
  events: ConsultationEvent[];
  out: NewOutboxMessage[];
}

/** Decides and applies `command` at `now`; the outbox rows are messagesFor's. Throws on a refusal. */
export function step(before: ConsultationState | undefined, command: Command, now: Date = T, extra: { cardUpdatedFor?: string } = {}): Step {
  const d = decide(before, command, { now, calendar: fakeCalendar() });
  if (!d.ok) throw new Error(`refused ${command.type}: ${d.code} ${JSON.stringify(d.detail ?? {})}`);
  const after = d.events.reduce<ConsultationState | undefined>((s, e) => evolve(s, e), before)!;
  return { before, after, events: d.events, out: messagesFor({ before, events: d.events, after, directory, ...extra }) };
}

export function start(over: Partial<StartCommand> = {}): Step {
  return step(undefined, {
    type: 'start',
    consultationId: ID,
    actor: who(PPT),
    reference: REF,
    title: 'Posición concertada sobre movilidad laboral',
    text: 'La CRM expresa su apoyo a la iniciativa regional de movilidad laboral ordenada.',
    deadline: { kind: 'business_days', days: 5 },
    rule: 'explicit',
    participants: participantsFrom(directory),
    ...over,
  });
}

export const send = (s: ConsultationState, now = T): Step => step(s, { type: 'sendToTroika', consultationId: ID, actor: who(PPT) }, now);

export const react = (s: ConsultationState, slack: string, reaction: 'approve' | 'request_changes' | 'object', reason?: string, now = T): Step =>
  step(s, { type: 'reactTroika', consultationId: ID, actor: who(slack), version: s.currentVersion, reaction, ...(reason ? { reason } : {}) }, now);

export const answer = (s: ConsultationState, slack: string, position: 'support' | 'object' | 'abstain', reason?: string, now = T, extra: { cardUpdatedFor?: string } = {}): Step => {
  const actor = who(slack);
  return step(s, { type: 'recordPosition', consultationId: ID, actor, country: actor.country!, position, version: s.currentVersion, ...(reason ? { reason } : {}) }, now, extra);
};

/** Sent to the Troika and approved by MX and SV: the member stage is open. */
export function opened(over: Partial<StartCommand> = {}): Step {
  const sent = send(start(over).after);
  return react(react(sent.after, MX, 'approve').after, SV, 'approve');
}

// ---------------------------------------------------------------------------------------- reading rows

export const personOf = (r: NewOutboxMessage): string | undefined => {
  const rec = r.recipient as { kind: string; personId?: string };
  return rec.kind === 'person' ? rec.personId : undefined;
};
export const toST = (r: NewOutboxMessage): boolean => (r.recipient as { kind: string }).kind === 'secretariat_channel';
export const payload = (r: NewOutboxMessage): NeutralMessage => r.payload as NeutralMessage;
/** The person ids that got a message of `kind`, sorted (ST channel rows left out). */
export const recipients = (out: readonly NewOutboxMessage[], kind: string): string[] =>
  out.filter((r) => r.kind === kind && personOf(r)).map((r) => personOf(r)!).sort();
/** Everything a message says in its body, fields and table, as one text. */
export const textOf = (m: NeutralMessage): string =>
  [m.heading, ...m.body, ...m.fields.map((f) => `${f.label}: ${f.value}`), ...(m.table?.rows.map((r) => r.join(' | ')) ?? []), m.quote ?? ''].join('\n');
export const forPerson = (out: readonly NewOutboxMessage[], kind: string, personId: string): NeutralMessage | undefined => {
  const r = out.filter((x) => x.kind === kind && personOf(x) === personId).at(-1);
  return r ? payload(r) : undefined;
};
export const forST = (out: readonly NewOutboxMessage[], kind: string): NeutralMessage | undefined => {
  const r = out.filter((x) => x.kind === kind && toST(x)).at(-1);
  return r ? payload(r) : undefined;
};
