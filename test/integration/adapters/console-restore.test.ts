/**
 * The console's seats survive a restart: every card the console delivered is a sent outbox row whose
 * receipt names its seat and card, so a new console on the same PostgreSQL database shows the same cards,
 * in the same order, each as last updated (a clicked card's update, the ST channel's live status replaced
 * in place); rows of other platforms, and payloads that are not messages, are left out.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleCardRef } from '../../../src/adapters/console/console-notifier.ts';
import { createConsole } from '../../../src/adapters/console/index.ts';
import { ST_CHANNEL_SEAT } from '../../../src/adapters/console/store.ts';
import { renderCard } from '../../../src/adapters/teams/render.ts';
import type { DeliveryItem } from '../../../src/jobs/notifier.ts';
import { silentLogger } from '../../../src/log.ts';
import type { NeutralMessage } from '../../../src/messages/neutral.ts';
import { openTestEngine, type TestEngine } from '../../helpers/engine.ts';

let engine: TestEngine;
beforeAll(async () => {
  engine = await openTestEngine('postgres', 'console-restore');
});
afterAll(async () => {
  await engine?.dispose();
});

const LUIS = 'luis.mora@example.org';
const message = (over: Partial<NeutralMessage> = {}): NeutralMessage => ({
  kind: 'member_request',
  locale: 'es',
  consultationId: 'c-1',
  reference: 'CRM-2026-042',
  heading: 'Consulta especial CRM-2026-042: se solicita su posición',
  body: ['Le rogamos responder.'],
  fields: [],
  buttons: [{ actionId: 'position_support', label: 'Apoyar', value: '{"c":"c-1","v":"abc"}', style: 'primary' }],
  ...over,
});

describe('the console after a restart', () => {
  it('shows the cards it delivered, in place and as last updated, from the outbox', async () => {
    const first = createConsole(engine, { logger: silentLogger() });
    let t = Date.now() - 60_000;
    /** What the deliver job does: send through the console, then mark the row sent with its receipt. */
    const deliver = async (platform: string, recipient: unknown, payload: NeutralMessage & { updates?: unknown }) => {
      const item: DeliveryItem = { id: randomUUID(), dedupeKey: `restore:${randomUUID()}`, platform, recipient, kind: payload.kind, payload };
      const sent = await first.notifier.send(item);
      if (!sent.ok) throw new Error(sent.error);
      t += 1_000;
      await engine.db.prisma.outboxMessage.create({
        data: { id: item.id, dedupeKey: item.dedupeKey, platform, recipient: recipient as object, kind: payload.kind, payload: payload as object, status: 'sent', receipt: sent.receipt as object, ...(payload.replaceKey ? { replaceKey: payload.replaceKey } : {}), sentAt: new Date(t) },
      });
    };
    const luis = { kind: 'person', personId: LUIS, name: 'Luis Mora', slack: 'U0CR0000001' };
    const channel = { kind: 'secretariat_channel', slack: 'C0ST0000001' };
    await deliver('slack', luis, message());
    const card = first.store.entries(LUIS)[0]!;
    await deliver('slack', channel, message({ kind: 'status', replaceKey: 'status:c-1', heading: 'Estado: Troika' }));
    await deliver('console', luis, { ...message({ kind: 'card_update', recorded: { who: 'Luis Mora (Costa Rica)', what: 'Apoya', when: 'hoy' }, keepButtons: true }), updates: consoleCardRef(LUIS, card.id) });
    await deliver('slack', channel, message({ kind: 'status', replaceKey: 'status:c-1', heading: 'Estado: en consulta' }));
    await deliver('slack', luis, message({ kind: 'reminder', heading: 'Recordatorio CRM-2026-042', buttons: [] }));
    // Not the console's: a row another notifier sent, and one whose payload is not a message.
    await engine.db.prisma.outboxMessage.create({ data: { dedupeKey: `restore:${randomUUID()}`, platform: 'slack', recipient: luis, kind: 'reminder', payload: message() as object, status: 'sent', receipt: { channel: 'D1', ts: '1.2' }, sentAt: new Date() } });
    await engine.db.prisma.outboxMessage.create({ data: { dedupeKey: `restore:${randomUUID()}`, platform: 'slack', recipient: luis, kind: 'reminder', payload: { nope: 1 }, status: 'sent', receipt: { console: LUIS, card: randomUUID() }, sentAt: new Date() } });

    const second = createConsole(engine, { logger: silentLogger() });
    expect(await second.restore()).toBe(5);
    const strip = (entries: { id: string; card: unknown }[]) => entries.map((e) => ({ id: e.id, card: e.card }));
    expect(strip(second.store.entries(LUIS))).toEqual(strip(first.store.entries(LUIS)));
    expect(strip(second.store.entries(ST_CHANNEL_SEAT))).toEqual(strip(first.store.entries(ST_CHANNEL_SEAT)));
    expect(second.store.entries(LUIS)).toHaveLength(2);
    expect(JSON.stringify(second.store.entries(LUIS)[0]!.card)).toContain('Luis Mora (Costa Rica)');
    expect(second.store.entries(ST_CHANNEL_SEAT)).toHaveLength(1);
    expect(second.store.entries(ST_CHANNEL_SEAT)[0]!.card).toEqual(renderCard(message({ kind: 'status', replaceKey: 'status:c-1', heading: 'Estado: en consulta' })));
    // The live status keeps being replaced in place after the restart.
    await second.notifier.send({ id: 'x', dedupeKey: 'x', platform: 'slack', recipient: channel, kind: 'status', payload: message({ kind: 'status', replaceKey: 'status:c-1', heading: 'Estado: cerrada' }) });
    expect(second.store.entries(ST_CHANNEL_SEAT)).toHaveLength(1);
    expect(JSON.stringify(second.store.entries(ST_CHANNEL_SEAT)[0]!.card)).toContain('Estado: cerrada');
  });
});
