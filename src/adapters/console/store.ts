/**
 * What each console seat sees: the cards delivered to a person (or to the ST channel) and the replies to
 * what was done in the console, in order, in memory, with listeners for the live page (Server-Sent Events,
 * ./routes.ts). A card is updated in place (same id, new content) after a decision or when a message with
 * the same `replaceKey` comes again (the ST channel's live status, a member card closed at the deadline).
 *
 * Seats: a person's directory id (their e-mail, lower-cased), or `st-channel` for the secretariat's channel.
 * Each seat keeps its latest `perSeat` entries (default 300); older ones are dropped.
 *
 * In memory, rebuilt at start from the outbox: every message the console delivered is a sent outbox row
 * whose receipt names its seat and card (./console-notifier.ts), so a restart shows the same cards in
 * place (as last updated). What only the page said (the typed commands, the answers to them, the forms)
 * is not in the outbox and is not shown again.
 */
import { randomUUID } from 'node:crypto';
import type { FormRequest } from '../../interaction/intent.ts';

export const ST_CHANNEL_SEAT = 'st-channel';

/** One card in a seat, as the page receives it. */
export interface ConsoleEntry {
  id: string;
  seat: string;
  /** When it was first shown (ISO-8601). */
  at: string;
  /** `bot`: the bot wrote it; `you`: what the person typed, echoed. */
  from: 'bot' | 'you';
  /** An Adaptive Card 1.5 (the same card as Teams), or, for `you`, a card holding the typed text. */
  card: unknown;
  /** Bumped at every update in place. */
  version: number;
}

/** What the server keeps next to an entry (never sent to the page). */
interface Held {
  entry: ConsoleEntry;
  replaceKey?: string;
  /** The form this card shows, to show it again with errors on its fields. */
  form?: FormRequest;
}

export type ConsoleEvent = { type: 'upsert'; entry: ConsoleEntry } | { type: 'remove'; seat: string; id: string };

export class ConsoleStore {
  private readonly seats = new Map<string, Held[]>();
  private readonly listeners = new Map<string, Set<(e: ConsoleEvent) => void>>();

  constructor(private readonly perSeat = 300) {}

  entries(seat: string): ConsoleEntry[] {
    return (this.seats.get(seat) ?? []).map((h) => h.entry);
  }

  get(seat: string, id: string): { entry: ConsoleEntry; form?: FormRequest } | undefined {
    const h = this.find(seat, id);
    return h ? { entry: h.entry, ...(h.form ? { form: h.form } : {}) } : undefined;
  }

  /** The latest entry of `seat` carrying `replaceKey`. */
  byReplaceKey(seat: string, replaceKey: string): ConsoleEntry | undefined {
    const list = this.seats.get(seat) ?? [];
    for (let i = list.length - 1; i >= 0; i -= 1) if (list[i]!.replaceKey === replaceKey) return list[i]!.entry;
    return undefined;
  }

  add(seat: string, card: unknown, opts: { from?: 'bot' | 'you'; replaceKey?: string; form?: FormRequest } = {}): ConsoleEntry {
    const entry: ConsoleEntry = { id: randomUUID(), seat, at: new Date().toISOString(), from: opts.from ?? 'bot', card, version: 1 };
    const list = this.seats.get(seat) ?? [];
    list.push({ entry, ...(opts.replaceKey ? { replaceKey: opts.replaceKey } : {}), ...(opts.form ? { form: opts.form } : {}) });
    while (list.length > this.perSeat) list.shift();
    this.seats.set(seat, list);
    this.emit(seat, { type: 'upsert', entry });
    return entry;
  }

  /**
   * At start, before any page listens: a card as it was last shown (its id and first time kept), from the
   * outbox (./index.ts restore). A later call for the same id replaces its content, not its place.
   */
  restore(seat: string, id: string, at: Date, card: unknown, replaceKey?: string): void {
    const list = this.seats.get(seat) ?? [];
    const held = list.find((h) => h.entry.id === id);
    if (held) {
      held.entry = { ...held.entry, card, version: held.entry.version + 1 };
      if (replaceKey) held.replaceKey = replaceKey;
      return;
    }
    list.push({ entry: { id, seat, at: at.toISOString(), from: 'bot', card, version: 1 }, ...(replaceKey ? { replaceKey } : {}) });
    while (list.length > this.perSeat) list.shift();
    this.seats.set(seat, list);
  }

  /** Updates a card in place; false when it is gone. `form`: what it shows now (undefined: no longer a form). */
  update(seat: string, id: string, card: unknown, opts: { form?: FormRequest } = {}): boolean {
    const h = this.find(seat, id);
    if (!h) return false;
    h.entry = { ...h.entry, card, version: h.entry.version + 1 };
    if (opts.form) h.form = opts.form;
    else delete h.form;
    this.emit(seat, { type: 'upsert', entry: h.entry });
    return true;
  }

  remove(seat: string, id: string): void {
    const list = this.seats.get(seat);
    const i = list?.findIndex((h) => h.entry.id === id) ?? -1;
    if (!list || i < 0) return;
    list.splice(i, 1);
    this.emit(seat, { type: 'remove', seat, id });
  }

  /** Hears every change of `seat`; returns the unsubscribe. */
  listen(seat: string, listener: (e: ConsoleEvent) => void): () => void {
    const set = this.listeners.get(seat) ?? new Set();
    set.add(listener);
    this.listeners.set(seat, set);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(seat);
    };
  }

  private find(seat: string, id: string): Held | undefined {
    return this.seats.get(seat)?.find((h) => h.entry.id === id);
  }

  private emit(seat: string, e: ConsoleEvent): void {
    for (const l of this.listeners.get(seat) ?? []) {
      try {
        l(e);
      } catch {
        // a listener that fails (a closed connection) must not stop the others
      }
    }
  }
}
