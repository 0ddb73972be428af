/**
 * What a refused command attempted, as the command log keeps it for the audit record
 * (`crm consultations show` / `export`): when, by whom (name, ST staff or not, the country they act for)
 * and the command's structured fields — the country, position or Troika reaction, the text version, a
 * requested deadline. Free texts (reasons, justifications, proposals) are left out: a check made before a
 * form is filled carries placeholders there, and the refusal is about who acts, on what and when.
 */
import type { CountryCode } from '../directory/model.ts';
import type { Command, CommandActor, DeadlineRequest, IsoInstant, Position, TroikaReaction } from '../domain/types.ts';

export interface Attempt {
  at: IsoInstant;
  actor: { name: string; staff: boolean; country?: CountryCode };
  command: {
    country?: CountryCode;
    position?: Position;
    reaction?: TroikaReaction;
    /** Hash of the text version the command named. */
    version?: string;
    deadline?: DeadlineRequest;
  };
}

export function attemptOf(actor: CommandActor, command: Command | undefined, now: Date): Attempt {
  const fields: Attempt['command'] = {};
  switch (command?.type) {
    case 'recordPosition':
      Object.assign(fields, { country: command.country, position: command.position, version: command.version });
      break;
    case 'reactTroika':
      Object.assign(fields, { reaction: command.reaction, version: command.version, ...(command.country ? { country: command.country } : {}) });
      break;
    case 'extend':
      fields.deadline = command.deadline;
      break;
    case 'start':
      fields.deadline = command.deadline;
      break;
    default:
      break;
  }
  return {
    at: now.toISOString(),
    // The person's own country (per the live directory), not the one the command named.
    actor: { name: actor.name, staff: actor.isStaff, ...(actor.country ? { country: actor.country } : {}) },
    command: fields,
  };
}
