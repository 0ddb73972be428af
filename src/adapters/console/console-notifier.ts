/**
 * The console notifier: the deliver job's Notifier (src/flows/notifier.ts) for the local console. Every
 * message it is given is rendered as the Teams Adaptive Card (adapters/teams/render.ts) and put in its
 * seat (./store.ts), which pushes it to the open pages:
 *   - a person (recipient `personId`) → that person's seat; the ST channel → the `st-channel` seat;
 *   - a `card_update` row whose `updates` names a console card (`{ channel: "console:<seat>", ts: id }`)
 *     → that card updated in place; a message with a `replaceKey` already shown in the seat (the ST
 *     channel's live status, a member card closed at the deadline) → updated in place; `updateOnly` with
 *     nothing to update → nothing shown;
 *   - a message naming a file (the audit record) → its card alone (the words name the CLI command that
 *     writes the file).
 *
 * Which platforms it stands for is the composition's choice (./index.ts): the console platform always (a
 * card clicked in the console), and Slack, Teams and e-mail when those are off, so that the console shows
 * what every person receives while the bot runs without them. The receipt is `{ console: seat, card: id }`.
 */
import { z } from 'zod';
import { cardUpdateFields, neutralMessageSchema } from '../../messages/neutral-schema.ts';
import type { DeliveryItem, Notifier, SendOutcome } from '../../flows/notifier.ts';
import type { Logger } from '../../log.ts';
import type { NeutralMessage } from '../../messages/neutral.ts';
import { messageCard } from './render.ts';
import { ST_CHANNEL_SEAT, type ConsoleStore } from './store.ts';

/** Where a console card is, as a CardRef (interaction/decisions.ts): `channel` names the seat. */
export const CONSOLE_CARD_CHANNEL_PREFIX = 'console:';
export const consoleCardRef = (seat: string, id: string) => ({ channel: `${CONSOLE_CARD_CHANNEL_PREFIX}${seat}`, ts: id });

const recipientSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('person'), personId: z.string().min(1) }),
  z.object({ kind: z.literal('secretariat_channel') }),
]);
const neutralSchema = neutralMessageSchema.extend(cardUpdateFields);
const cardRefSchema = z.object({ channel: z.string().startsWith(CONSOLE_CARD_CHANNEL_PREFIX), ts: z.string().min(1) });
const receiptSchema = z.object({ console: z.string().min(1), card: z.string().min(1) });

export interface ConsoleReceipt {
  console: string;
  card: string;
}

/** A stored payload as a neutral message, or undefined when it is not one. */
export function parseNeutral(payload: unknown): (NeutralMessage & { updates?: unknown }) | undefined {
  const p = neutralSchema.safeParse(payload);
  return p.success ? (p.data as NeutralMessage & { updates?: unknown }) : undefined;
}

/** A console receipt (an outbox row the console delivered), or undefined. */
export function parseConsoleReceipt(receipt: unknown): ConsoleReceipt | undefined {
  const p = receiptSchema.safeParse(receipt);
  return p.success ? p.data : undefined;
}

export class ConsoleNotifier implements Notifier {
  private readonly log: Logger;

  constructor(
    private readonly store: ConsoleStore,
    logger: Logger,
  ) {
    this.log = logger.child({ adapter: 'console' });
  }

  send(item: DeliveryItem): Promise<SendOutcome> {
    return Promise.resolve(this.deliver(item));
  }

  private deliver(item: DeliveryItem): SendOutcome {
    const recipient = recipientSchema.safeParse(item.recipient);
    if (!recipient.success) return { ok: false, permanent: true, error: 'console: not a person or the ST channel' };
    const parsed = neutralSchema.safeParse(item.payload);
    if (!parsed.success) return { ok: false, permanent: true, error: 'console: payload is not a neutral message' };
    const message = parsed.data as NeutralMessage & { updates?: unknown };
    const seat = recipient.data.kind === 'person' ? recipient.data.personId : ST_CHANNEL_SEAT;
    let content: unknown;
    try {
      content = messageCard(message);
    } catch (e) {
      this.log.error({ err: e, outboxId: item.id, kind: item.kind }, 'console: message cannot be rendered');
      return { ok: false, permanent: true, error: 'console: render failed' };
    }
    // In place: the clicked card, this row's earlier send, or the latest card with the same replace key.
    const clicked = cardRefSchema.safeParse(message.updates);
    const own = receiptSchema.safeParse(item.receipt);
    // A clicked card is only ever one of the clicking person's own cards (the reference is untrusted).
    const clickedSeat = clicked.success ? clicked.data.channel.slice(CONSOLE_CARD_CHANNEL_PREFIX.length) : undefined;
    if (clicked.success && clickedSeat !== seat) {
      this.log.warn({ outboxId: item.id }, 'console: a card update names a card of another seat; nothing changed');
      return { ok: true };
    }
    const target = clicked.success
      ? { seat, id: clicked.data.ts }
      : own.success
        ? { seat: own.data.console, id: own.data.card }
        : message.replaceKey
          ? (() => {
              const e = this.store.byReplaceKey(seat, message.replaceKey);
              return e ? { seat, id: e.id } : undefined;
            })()
          : undefined;
    if (target && this.store.update(target.seat, target.id, content)) return { ok: true, receipt: { console: target.seat, card: target.id } satisfies ConsoleReceipt };
    if (message.updateOnly || clicked.success) return { ok: true, ...(target ? { receipt: { console: target.seat, card: target.id } } : {}) };
    const entry = this.store.add(seat, content, message.replaceKey ? { replaceKey: message.replaceKey } : {});
    this.log.debug({ outboxId: item.id, kind: item.kind }, 'console: shown');
    return { ok: true, receipt: { console: seat, card: entry.id } satisfies ConsoleReceipt };
  }
}
