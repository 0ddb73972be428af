/**
 * The console's configuration (CRM_CONSOLE and its default), and its notifier: what the deliver job hands
 * it ends up in the right seat, rendered as the Teams card, updated in place by a card update, by a replace
 * key, or not shown at all for an update of a card that was never shown.
 */
import { describe, expect, it } from 'vitest';
import { loadConsoleConfig } from '../../../../src/adapters/console/config.ts';
import { ConsoleNotifier, consoleCardRef } from '../../../../src/adapters/console/console-notifier.ts';
import { ConsolePresenter } from '../../../../src/adapters/console/present.ts';
import { ConsoleStore, ST_CHANNEL_SEAT } from '../../../../src/adapters/console/store.ts';
import type { Interaction } from '../../../../src/interaction/interaction.ts';
import { renderCard } from '../../../../src/adapters/teams/render.ts';
import type { DeliveryItem } from '../../../../src/jobs/notifier.ts';
import { createLogger } from '../../../../src/log.ts';
import type { NeutralMessage } from '../../../../src/messages/neutral.ts';
import { cardProblems } from '../../../helpers/adaptive-cards.ts';

describe('CRM_CONSOLE', () => {
  const none = { slack: false, teams: false };
  it('is on by default with neither Slack nor Teams, and then binds the loopback only', () => {
    expect(loadConsoleConfig({}, none)).toEqual({ enabled: true, source: 'default', loopbackOnly: true });
    expect(loadConsoleConfig({ CRM_CONSOLE: '' }, none)).toEqual({ enabled: true, source: 'default', loopbackOnly: true });
  });
  it('is off by default when a platform is configured; on only when asked, without changing the binding', () => {
    expect(loadConsoleConfig({}, { slack: true, teams: false }).enabled).toBe(false);
    expect(loadConsoleConfig({}, { slack: false, teams: true }).enabled).toBe(false);
    expect(loadConsoleConfig({ CRM_CONSOLE: 'on' }, { slack: true, teams: false })).toEqual({ enabled: true, source: 'CRM_CONSOLE', loopbackOnly: false });
    expect(loadConsoleConfig({ CRM_CONSOLE: 'off' }, none)).toEqual({ enabled: false, source: 'CRM_CONSOLE', loopbackOnly: false });
  });
  it('refuses anything but on or off, in both languages', () => {
    expect(() => loadConsoleConfig({ CRM_CONSOLE: 'yes' }, none)).toThrow(/expected on or off \(CRM_CONSOLE: se esperaba on u off\)/);
  });
});

const message = (over: Partial<NeutralMessage> = {}): NeutralMessage => ({
  kind: 'member_request',
  locale: 'en',
  consultationId: 'c-1',
  reference: 'CRM-2026-007',
  heading: 'Special consultation CRM-2026-007: your position is requested',
  body: ['Please answer.'],
  fields: [{ label: 'Reference', value: 'CRM-2026-007' }],
  buttons: [{ actionId: 'position_support', label: 'Support', value: '{"c":"c-1","v":"abc"}', style: 'primary' }],
  ...over,
});

let n = 0;
const item = (payload: unknown, recipient: unknown, extra: Partial<DeliveryItem> = {}): DeliveryItem => ({
  id: `row-${++n}`,
  dedupeKey: `k-${n}`,
  platform: 'slack',
  recipient,
  kind: (payload as { kind?: string }).kind ?? 'x',
  payload,
  ...extra,
});

describe('the console notifier', () => {
  const person = { kind: 'person', personId: 'luis.mora@example.org', name: 'Luis Mora', slack: 'U0CR0000001' };
  const logger = createLogger('silent');

  it("puts a person's message in their seat as the Teams card, and the ST channel's in its own", async () => {
    const store = new ConsoleStore();
    const notifier = new ConsoleNotifier(store, logger);
    const sent = await notifier.send(item(message(), person));
    expect(sent).toMatchObject({ ok: true, receipt: { console: 'luis.mora@example.org' } });
    const [entry] = store.entries('luis.mora@example.org');
    expect(entry?.card).toEqual(renderCard(message()));
    expect(cardProblems(entry?.card)).toEqual([]);
    await notifier.send(item(message({ kind: 'digest' }), { kind: 'secretariat_channel', slack: 'C0ST0000001' }));
    expect(store.entries(ST_CHANNEL_SEAT)).toHaveLength(1);
  });

  it('updates the clicked console card in place, and only in the seat of the person who clicked', async () => {
    const store = new ConsoleStore();
    const notifier = new ConsoleNotifier(store, logger);
    const events: string[] = [];
    store.listen('luis.mora@example.org', (e) => events.push(e.type));
    await notifier.send(item(message(), person));
    const card = store.entries('luis.mora@example.org')[0]!;
    const recorded = { who: 'Luis Mora (Costa Rica)', what: 'Supports', when: 'Tuesday' };
    const update = message({ kind: 'card_update', recorded, keepButtons: true, updates: consoleCardRef('luis.mora@example.org', card.id) } as Partial<NeutralMessage>);
    expect(await notifier.send(item(update, person, { platform: 'console' }))).toMatchObject({ ok: true });
    const after = store.entries('luis.mora@example.org');
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ id: card.id, version: 2 });
    expect(JSON.stringify(after[0]!.card)).toContain('Luis Mora (Costa Rica)');
    expect(events).toEqual(['upsert', 'upsert']);
    // A forged reference to another seat's card changes nothing there, and posts nothing.
    await notifier.send(item(message(), { ...person, personId: 'ana.rojas@example.org' }));
    const other = store.entries('ana.rojas@example.org')[0]!;
    await notifier.send(item({ ...update, updates: consoleCardRef('ana.rojas@example.org', other.id) }, person, { platform: 'console' }));
    expect(store.entries('ana.rojas@example.org')[0]!.version).toBe(1);
    expect(store.entries('luis.mora@example.org')).toHaveLength(1);
  });

  it('replaces a message with the same replace key; an update-only message with nothing to update shows nothing', async () => {
    const store = new ConsoleStore();
    const notifier = new ConsoleNotifier(store, logger);
    const channel = { kind: 'secretariat_channel' };
    await notifier.send(item(message({ kind: 'status', replaceKey: 'status:c-1', heading: 'first' }), channel));
    await notifier.send(item(message({ kind: 'status', replaceKey: 'status:c-1', heading: 'second' }), channel));
    const entries = store.entries(ST_CHANNEL_SEAT);
    expect(entries).toHaveLength(1);
    expect(JSON.stringify(entries[0]!.card)).toContain('second');
    expect(await notifier.send(item(message({ replaceKey: 'member:c-1:luis', updateOnly: true }), person))).toMatchObject({ ok: true });
    expect(store.entries('luis.mora@example.org')).toHaveLength(0);
  });

  it('refuses, permanently, what is not a neutral message or has no seat', async () => {
    const notifier = new ConsoleNotifier(new ConsoleStore(), logger);
    expect(await notifier.send(item({ nope: true }, person))).toMatchObject({ ok: false, permanent: true });
    expect(await notifier.send(item(message(), { kind: 'someone' }))).toMatchObject({ ok: false, permanent: true });
  });
});

describe('the console presenter, for an invitation answered (a card reply in place)', () => {
  const luis = 'luis.mora@example.org';
  const ana = 'ana.rojas@example.org';
  const recorded = { who: 'Luis Mora', what: 'Answer recorded: attending', when: 'Tuesday' };
  const presenter = (store: ConsoleStore) =>
    new ConsolePresenter({ interaction: {} as Interaction, store, logger: createLogger('silent'), now: () => new Date() }, luis, { locale: 'en', timezone: 'America/Costa_Rica' });

  it("replaces the clicked card in the seat with the card as it now is; an outbox-updated card (no inPlace) is left to the outbox", () => {
    const store = new ConsoleStore();
    const invitation = store.add(luis, renderCard(message({ kind: 'meeting_invitation' } as Partial<NeutralMessage>)));
    const update = { ...message(), kind: 'card_update', recorded, keepButtons: true, updates: consoleCardRef(luis, invitation.id) } as const;
    presenter(store).present([{ kind: 'card', update }], 'en');
    expect(store.entries(luis)[0]!.version).toBe(1);
    presenter(store).present([{ kind: 'card', update, inPlace: true }], 'en');
    const after = store.entries(luis);
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ id: invitation.id, version: 2 });
    expect(JSON.stringify(after[0]!.card)).toContain('Answer recorded: attending');
    expect(cardProblems(after[0]!.card)).toEqual([]);
  });

  it("never touches another seat's card (the reference is untrusted): the card is shown as new in the clicker's seat", () => {
    const store = new ConsoleStore();
    const other = store.add(ana, renderCard(message()));
    const update = { ...message(), kind: 'card_update', recorded, keepButtons: true, updates: consoleCardRef(ana, other.id) } as const;
    presenter(store).present([{ kind: 'card', update, inPlace: true }], 'en');
    expect(store.entries(ana)[0]!.version).toBe(1);
    expect(store.entries(luis)).toHaveLength(1);
    expect(JSON.stringify(store.entries(luis)[0]!.card)).toContain('Answer recorded: attending');
  });
});
