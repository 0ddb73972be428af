/**
 * When the HTTP receiver (src/adapters/slack/receiver.ts) answers a click, over a real HTTP server with a
 * stand-in inbox store and a stand-in Bolt app (no database):
 *   - a stored click is answered 200 only once its inbox row is committed, and then at once: before Bolt's
 *     middleware and the listener run (the listener is held here, and the answer still arrives);
 *   - the work then runs and the row is marked processed; the listener's own ack() changes nothing;
 *   - an inbox that cannot be written answers 503 (nobody to tell: no reachable response_url) and nothing runs;
 *   - a request whose ack carries a body (a view submission) is still answered by the listener's ack.
 * That a row acknowledged and then left by a crash is replayed is test/integration/adapters/slack-inbox.test.ts's.
 */
import type { App, ReceiverEvent } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import { SlackInteractions } from '../../../../src/adapters/slack/inbox.ts';
import { HttpRouteReceiver } from '../../../../src/adapters/slack/receiver.ts';
import { createHttpServer, type HttpServer } from '../../../../src/http/server.ts';
import { silentLogger } from '../../../../src/log.ts';
import type { InboxStore } from '../../../../src/store/inbox-store.ts';
import { blockActions, postToSlackEvents, viewSubmission } from '../../../helpers/slack-requests.ts';

const SECRET = 'receiver-ack-test-secret';

/** A promise and its resolve/reject, to hold a step until the test lets it go. */
function gate<T = void>() {
  let open!: (v: T) => void;
  let fail!: (e: unknown) => void;
  const promise = new Promise<T>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  return { promise, open, fail };
}

let server: HttpServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(store: Partial<InboxStore>, processEvent: (event: ReceiverEvent) => Promise<void>): Promise<{ url: string; interactions: SlackInteractions }> {
  const interactions = new SlackInteractions({ store: store as InboxStore, logger: silentLogger() });
  // No safety-net answer within the test: the answer must come from the commit alone.
  const receiver = new HttpRouteReceiver({ signingSecret: SECRET, logger: silentLogger(), interactions, ackDeadlineMs: 60_000 });
  receiver.init({ processEvent } as unknown as App);
  server = createHttpServer({ port: 0, host: '127.0.0.1', logger: silentLogger(), routes: [receiver.route()] });
  const port = await server.listen();
  return { url: `http://127.0.0.1:${port}/slack/events`, interactions };
}

const click = () =>
  blockActions({
    userId: 'U0CR0000001',
    actionId: 'position_support',
    value: 'v1',
    message: { channel: 'D0CR0000001', ts: '1796120000.000100', text: 'card' },
    responseUrl: 'http://127.0.0.1:9/unreachable',
  });

describe('the HTTP receiver answers a click', () => {
  it('after its inbox row is committed and before the listener runs; the work then runs and the row is marked processed', async () => {
    const log: string[] = [];
    const committed = gate<{ id: string; fresh: boolean; processed: boolean }>();
    const listener = gate();
    const processed = gate();
    const store: Partial<InboxStore> = {
      receive: async () => {
        log.push('receive');
        return committed.promise;
      },
      markProcessed: async (id: string) => {
        log.push(`processed ${id}`);
        processed.open();
        return true;
      },
    };
    const { url } = await start(store, async (event) => {
      log.push('listener');
      await listener.promise;
      await event.ack(); // Bolt's listener acks as usual: nothing more is written
      log.push('work done');
    });

    let answered = false;
    const response = postToSlackEvents(url, SECRET, click()).then((r) => {
      answered = true;
      log.push(`answered ${r.status}`);
      return r;
    });
    // The row is being written: no answer yet (the answer waits for the commit, not for a timer).
    while (!log.includes('receive')) await new Promise((r) => setImmediate(r));
    expect(answered).toBe(false);
    committed.open({ id: '7', fresh: true, processed: false });
    const r = await response;
    expect(r.status).toBe(200);
    expect(r.body).toBe('');
    // Answered while the listener is still held.
    expect(log.indexOf('answered 200')).toBeGreaterThan(log.indexOf('receive'));
    expect(log).not.toContain('work done');
    listener.open();
    await processed.promise;
    expect(log.filter((l) => l !== 'listener')).toEqual(['receive', 'answered 200', 'work done', 'processed 7']);
  });

  it('503 when the inbox cannot be written, and nothing runs', async () => {
    const ran: string[] = [];
    const { url } = await start(
      {
        receive: async () => {
          throw new Error('the database went away');
        },
      },
      async () => void ran.push('listener'),
    );
    const r = await postToSlackEvents(url, SECRET, click());
    expect(r.status).toBe(503);
    expect(ran).toEqual([]);
  });

  it('a view submission is still answered by its listener (its ack carries the answer)', async () => {
    const store: Partial<InboxStore> = {
      receive: async () => ({ id: '8', fresh: true, processed: false }),
      markProcessed: async () => true,
    };
    const { url } = await start(store, async (event) => {
      await event.ack({ response_action: 'errors', errors: { title: 'no' } });
    });
    const r = await postToSlackEvents(url, SECRET, viewSubmission({ userId: 'U0CR0000001', callbackId: 'consultation_new', values: {} }));
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toEqual({ response_action: 'errors', errors: { title: 'no' } });
  });
});
