/**
 * The inbox's contract with the listeners, without a database (a recording stand-in for InboxStore), and
 * through the Socket Mode path (a receiver that calls app.processEvent itself, as Bolt's SocketModeReceiver
 * does): the row is committed before anything can acknowledge, the listener sees its ticket, the row is
 * marked processed after the work, or left with the error when the listener reports a failure; after
 * stopAccepting() nothing is admitted.
 */
import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { throughInbox } from '../../../../src/adapters/slack/app.ts';
import { SlackInteractions, ticketOf } from '../../../../src/adapters/slack/inbox.ts';
import { durableInteraction } from '../../../../src/adapters/slack/listeners/durable.ts';
import { silentLogger } from '../../../../src/log.ts';
import type { InboxStore } from '../../../../src/store/inbox-store.ts';

const click = (actionId = 'position_support') => ({
  type: 'block_actions',
  token: 'legacy-verification-token',
  user: { id: 'U0CR0000001' },
  actions: [{ action_id: actionId, action_ts: '1796120000.000100', value: 'v1' }],
});

function recordingStore() {
  const log: string[] = [];
  const payloads: unknown[] = [];
  const store = {
    receive: async (input: { key: string; payload: unknown }) => {
      log.push(`receive ${input.key}`);
      payloads.push(input.payload);
      return { id: '1', fresh: true, processed: false };
    },
    markProcessed: async (id: string) => (log.push(`processed ${id}`), true),
    markFailed: async (id: string, error: string) => (log.push(`failed ${id}: ${error}`), 1),
  };
  return { store: store as unknown as InboxStore, log, payloads };
}

/** A receiver that, like SocketModeReceiver, hands events to `app.processEvent` itself. */
function socketLike() {
  let app: App | undefined;
  const receiver: Receiver = {
    init: (a: App) => void (app = a),
    start: async () => undefined,
    stop: async () => undefined,
  };
  return { receiver, deliver: (event: ReceiverEvent) => app!.processEvent(event) };
}

describe('which requests are stored', () => {
  it('decisions that record at once, our forms, commands that answer; not what only opens a modal', () => {
    expect(durableInteraction(click())?.kind).toBe('block_actions');
    expect(durableInteraction(click('position_abstain'))?.key).toMatch(/^slack:action:U0CR0000001:position_abstain:/);
    expect(durableInteraction(click('position_object'))).toBeUndefined(); // asks for a reason first
    expect(durableInteraction(click('troika_changes'))).toBeUndefined();
    expect(durableInteraction(click('home_new_consultation'))).toBeUndefined();
    const view = (callback_id: string) => ({ type: 'view_submission', user: { id: 'U1' }, view: { id: 'V1', callback_id, state: { values: {} } } });
    expect(durableInteraction(view('reason'))?.kind).toBe('view_submission');
    expect(durableInteraction(view('something_else'))).toBeUndefined();
    const command = (text: string) => ({ command: '/crm', text, user_id: 'U1', trigger_id: '123.456.abc' });
    expect(durableInteraction(command('estado CRM-2026-001'))?.kind).toBe('slash_command');
    expect(durableInteraction(command('ayuda'))?.kind).toBe('slash_command');
    expect(durableInteraction(command('consulta'))).toBeUndefined();
    expect(durableInteraction(command('retirar CRM-2026-001'))).toBeUndefined();
    expect(durableInteraction({ type: 'event_callback', event: { type: 'app_home_opened' } })).toBeUndefined();
    expect(durableInteraction({ type: 'block_actions', user: {}, actions: [] })).toBeUndefined(); // malformed
  });
});

describe('Socket Mode through the inbox', () => {
  it('stores before the listener can ack, hands the ticket to the listener, marks processed after the work', async () => {
    const { store, log, payloads } = recordingStore();
    const interactions = new SlackInteractions({ store, logger: silentLogger() });
    const seen: string[] = [];
    const app = {
      processEvent: async (event: ReceiverEvent) => {
        seen.push(`listener sees ticket ${ticketOf(event.customProperties as Record<string, unknown>)?.id}`);
        log.push('ack');
        await event.ack();
        log.push('work done');
      },
    } as unknown as App;
    const socket = socketLike();
    throughInbox(socket.receiver, interactions).init(app);
    await socket.deliver({ body: click(), ack: async () => undefined, customProperties: { requestId: 'r1' } });
    expect(log).toEqual([expect.stringMatching(/^receive slack:action:/), 'ack', 'work done', 'processed 1']);
    expect(seen).toEqual(['listener sees ticket 1']);
    expect(payloads[0]).not.toHaveProperty('token');
  });

  it('a failure the listener reports leaves the row with the error; after stopAccepting nothing is admitted', async () => {
    const { store, log } = recordingStore();
    const interactions = new SlackInteractions({ store, logger: silentLogger() });
    const app = {
      processEvent: async (event: ReceiverEvent) => {
        ticketOf(event.customProperties as Record<string, unknown>)?.fail(new Error('database went away'));
      },
    } as unknown as App;
    const socket = socketLike();
    throughInbox(socket.receiver, interactions).init(app);
    await socket.deliver({ body: click(), ack: async () => undefined });
    expect(log.at(-1)).toBe('failed 1: database went away');

    interactions.stopAccepting();
    await expect(socket.deliver({ body: click('position_abstain'), ack: async () => undefined })).rejects.toThrow(/not accepted \(shutting_down\)/);
    expect(log.filter((l) => l.startsWith('receive'))).toHaveLength(1);
    expect(await interactions.drain(1000)).toBe(0);
  });
});
