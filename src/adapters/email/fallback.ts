/**
 * E-mail as the fallback of a chat platform (jobs/deliver.ts `fallback`): when a message to a person goes
 * dead on Slack or Teams (the person is unknown there, the platform refuses, or no answer after every
 * retry) and the live directory has an e-mail address for them, the same message is written again for
 * e-mail, once (dedupe key `email_fallback.<dead row id>`), and the dead letter tells the ST it went by
 * e-mail. The row names the person, not the address: the e-mail notifier reads it from the live
 * directory when it sends.
 */
import type { Directory } from '../../directory/model.ts';
import { peopleById } from '../../flows/people.ts';
import type { NewOutboxMessage } from '../../store/consultation-store.ts';
import type { OutboxItem } from '../../store/outbox-store.ts';

/** What a person receives that e-mail can carry (not the in-place updates of a chat card). */
export const EMAIL_FALLBACK_KINDS: ReadonlySet<string> = new Set([
  'troika_request',
  'member_request',
  'revision_notice',
  'extension_notice',
  'reminder',
  'result_notice',
]);

export const fallbackKey = (deadRowId: string): string => `email_fallback.${deadRowId}`;

export function emailFallback(directory: () => Directory): (item: OutboxItem) => NewOutboxMessage | undefined {
  return (item) => {
    if (item.platform === 'email' || !EMAIL_FALLBACK_KINDS.has(item.kind)) return undefined;
    const r = item.recipient as { kind?: unknown; personId?: unknown } | null;
    if (r?.kind !== 'person' || typeof r.personId !== 'string') return undefined;
    const person = peopleById(directory()).get(r.personId);
    if (!person?.email) return undefined;
    return {
      dedupeKey: fallbackKey(item.id),
      platform: 'email',
      recipient: { kind: 'person', personId: person.id, name: person.name },
      kind: item.kind,
      payload: item.payload,
    };
  };
}
