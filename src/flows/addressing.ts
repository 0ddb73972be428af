/**
 * How to reach a person or the ST channel: the address of a message, resolved from the LIVE directory when
 * the message is written (people frozen on a consultation keep being reached where they are now).
 *
 * A person is reached on one platform: their `reach` when the directory gives one they have an address
 * for, else the first of Slack, Teams, e-mail they have (interfaces.md "Directory file"); nobody left in
 * the directory, or with no address at all, is `unreachable` (the deliver job tells the ST at once).
 */
import type { Directory, Locale, Person, Reach } from '../directory/model.ts';
import type { ParticipantFocalPoint } from '../domain/types.ts';
import type { DeliveryPlatform, Recipient } from '../messages/neutral.ts';

export type { Reach };
const REACH_ORDER: readonly Reach[] = ['slack', 'teams', 'email'];

/** Where a message for one person or the ST channel goes, and how to word it for them. */
export interface Addressed {
  recipient: Recipient;
  platform: DeliveryPlatform;
  locale: Locale;
  timezone: string;
  /** Names the recipient in dedupe keys: the person id, or `st-channel`. */
  key: string;
}

/** The addresses a person may have, and where they asked to be reached. */
type Reachable = Pick<Person, 'slack' | 'teams' | 'email' | 'reach'>;

/** The platform a person is reached on, or undefined when they have no address (see the module comment). */
export function reachOf(p: Reachable): Reach | undefined {
  const has = (r: Reach) => Boolean(p[r]);
  if (p.reach && has(p.reach)) return p.reach;
  return REACH_ORDER.find(has);
}

/** A focal point frozen on a consultation, addressed from the live directory (`live`: people by id). */
export function personAddress(fp: ParticipantFocalPoint, live: ReadonlyMap<string, Person>): Addressed {
  const p = live.get(fp.personId);
  const reach = p ? reachOf(p) : undefined;
  const recipient: Recipient = {
    kind: 'person',
    personId: fp.personId,
    name: p?.name ?? fp.name,
    ...(p?.slack ? { slack: p.slack } : {}),
    ...(p?.teams ? { teams: p.teams } : {}),
    ...(reach === 'email' && p?.email ? { email: p.email } : {}),
  };
  return {
    recipient,
    platform: reach ?? 'unreachable',
    locale: p?.locale ?? fp.locale,
    timezone: p?.timezone ?? fp.timezone,
    key: fp.personId,
  };
}

/**
 * Every ST channel the live directory names, each its own address (interfaces.md "Microsoft Teams": a
 * directory may name `secretariat.slack.channel`, `secretariat.teams.channel` or both, and every one named
 * gets the live status and the digest): Slack first, then Teams. Each recipient carries only its own
 * channel; keys `st-channel` (Slack) and `st-channel:teams` keep their dedupe keys apart. A directory that
 * names none: one unreachable address (the deliver job tells nobody, but the row records it).
 */
export function secretariatAddresses(directory: Directory): Addressed[] {
  const s = directory.secretariat;
  // Teams: the channel (`secretariat.teams.channel`), or a conversation id given instead.
  const teams = s.teams?.channel ?? s.teams?.conversationId;
  const base = { locale: s.locale, timezone: s.timezone };
  const out: Addressed[] = [];
  if (s.slack?.channel) out.push({ ...base, recipient: { kind: 'secretariat_channel', slack: s.slack.channel }, platform: 'slack', key: 'st-channel' });
  if (teams) out.push({ ...base, recipient: { kind: 'secretariat_channel', teams }, platform: 'teams', key: 'st-channel:teams' });
  if (out.length === 0) out.push({ ...base, recipient: { kind: 'secretariat_channel' }, platform: 'unreachable', key: 'st-channel' });
  return out;
}

/**
 * One address for the ST, where a single message is enough: the Slack channel first, else Teams, else
 * unreachable; the recipient carries every channel named. (The weekly digest, the duty reminders and the
 * dead letters go to every channel: secretariatAddresses.)
 */
export function secretariatAddress(directory: Directory): Addressed {
  const all = secretariatAddresses(directory);
  const first = all[0]!;
  const recipient: Recipient = { kind: 'secretariat_channel' };
  for (const a of all) if (a.recipient.kind === 'secretariat_channel') Object.assign(recipient, a.recipient);
  return { ...first, recipient, key: 'st-channel' };
}

/**
 * The dedupe key of one ST channel's copy of a message written once per ST channel (the weekly digest, a
 * dead letter, a meeting's duty reminder): `base` for the Slack channel (the key such rows had when they
 * went to one channel, so rows already written are not written again), `base:teams` for the Teams one.
 */
export function stChannelKey(base: string, a: Pick<Addressed, 'key'>): string {
  return a.key === ST_KEY ? base : `${base}${a.key.slice(ST_KEY.length)}`;
}
const ST_KEY = 'st-channel';
