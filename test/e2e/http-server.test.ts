/**
 * The HTTP server over real loopback HTTP (port 0): health, readiness, metrics, errors, body limit.
 */
import { request } from 'node:http';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.ts';
import { commandsTotal, outboxDeadTotal } from '../../src/http/metrics.ts';
import { createHttpServer, sendJson, type HttpServer, type ReadinessChecks } from '../../src/http/server.ts';

const lines: string[] = [];
const sink = new Writable({
  write(chunk: Buffer, _enc, cb) {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    cb();
  },
});
const logger = createLogger('info', { destination: sink });

let dbUp = true;
const readiness: ReadinessChecks = {
  database: async () => {
    if (!dbUp) throw new Error('connect ECONNREFUSED 10.0.0.5:5432 password=hunter2');
  },
  queue: undefined,
};

let server: HttpServer;
let base: string;

beforeAll(async () => {
  server = createHttpServer({
    port: 0,
    host: '127.0.0.1',
    logger,
    readiness,
    readinessTimeoutMs: 200,
    routes: [
      {
        method: 'POST',
        path: '/echo',
        handler: ({ res, body }) => sendJson(res, 200, { bytes: body.length }),
      },
      {
        method: 'GET',
        path: '/boom',
        handler: () => {
          throw new Error('secret internals: token xoxb-123');
        },
      },
    ],
  });
  const port = await server.listen();
  expect(port).toBeGreaterThan(0);
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  await server.close();
});

describe('http server', () => {
  it('GET /healthz → 200 {"status":"ok"}', async () => {
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('GET /readyz → 200 when every check passes (undefined checks are skipped)', async () => {
    dbUp = true;
    const res = await fetch(`${base}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', checks: { database: 'ok' } });
  });

  it('GET /readyz → 503 naming the failing check, without leaking the error', async () => {
    dbUp = false;
    const res = await fetch(`${base}/readyz`);
    const text = await res.text();
    expect(res.status).toBe(503);
    expect(JSON.parse(text)).toEqual({ status: 'unavailable', failing: ['database'], checks: { database: 'failed' } });
    expect(text).not.toMatch(/ECONNREFUSED|hunter2|10\.0\.0\.5/);
    dbUp = true;
  });

  it('GET /readyz → 503 "timeout" when a check hangs past its timeout', async () => {
    const slow = createHttpServer({
      port: 0,
      host: '127.0.0.1',
      logger,
      readinessTimeoutMs: 100,
      readiness: { database: async () => {}, queue: () => new Promise<void>(() => {}) },
    });
    const port = await slow.listen();
    try {
      // The check never settles: an answer at all, saying "timeout", is the timeout at work (how soon it
      // comes is measured in bench/timings.bench.ts).
      const res = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({
        status: 'unavailable',
        failing: ['queue'],
        checks: { database: 'ok', queue: 'timeout' },
      });
    } finally {
      await slow.close();
    }
  });

  it('GET /metrics → Prometheus text with our metric names and default Node metrics', async () => {
    commandsTotal.inc({ command: 'status', result: 'ok' });
    outboxDeadTotal.inc({ platform: 'slack' }, 0);
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(text).toContain('# TYPE crm_commands_total counter');
    expect(text).toMatch(/crm_commands_total\{[^}]*command="status"[^}]*result="ok"[^}]*\} 1/);
    expect(text).toContain('crm_outbox_dead_total');
    expect(text).toContain('crm_http_requests_total');
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).toContain('nodejs_eventloop_lag_seconds');
  });

  it('unknown route → 404 JSON', async () => {
    const res = await fetch(`${base}/nope`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'not_found' });
  });

  it('known path, wrong method → 405 with Allow', async () => {
    const res = await fetch(`${base}/healthz`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET');
  });

  it('HEAD is served by the GET route', async () => {
    const res = await fetch(`${base}/healthz`, { method: 'HEAD' });
    expect(res.status).toBe(200);
  });

  it('a throwing handler → 500 with a generic body, logged once with the request id', async () => {
    const before = lines.length;
    const res = await fetch(`${base}/boom`);
    const text = await res.text();
    expect(res.status).toBe(500);
    const body = JSON.parse(text) as { error: string; requestId: string };
    expect(body.error).toBe('internal_error');
    expect(text).not.toMatch(/secret|xoxb/);
    expect(res.headers.get('x-request-id')).toBe(body.requestId);
    const errors = lines.slice(before).map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ requestId: body.requestId, msg: 'request handler failed' });
  });

  it('POST within the limit → the handler gets the body', async () => {
    const res = await fetch(`${base}/echo`, { method: 'POST', body: 'x'.repeat(1000) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ bytes: 1000 });
  });

  it('POST over 1 MiB (Content-Length) → 413', async () => {
    const res = await fetch(`${base}/echo`, { method: 'POST', body: Buffer.alloc(1024 * 1024 + 1, 'a') });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: 'payload_too_large' });
  });

  it('POST over 1 MiB (chunked, no Content-Length) → 413', async () => {
    const port = Number(new URL(base).port);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/echo' }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      const chunk = Buffer.alloc(64 * 1024, 'b');
      for (let i = 0; i < 17; i++) req.write(chunk); // 1.06 MiB
      req.end();
    });
    expect(status).toBe(413);
  });

  it('close() lets an in-flight request finish', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    let entered: () => void = () => {};
    const inHandler = new Promise<void>((r) => (entered = r));
    const other = createHttpServer({
      port: 0,
      host: '127.0.0.1',
      logger,
      routes: [{ method: 'GET', path: '/slow', handler: async ({ res }) => { entered(); await gate; sendJson(res, 200, { done: true }); } }],
    });
    const port = await other.listen();
    const pending = fetch(`http://127.0.0.1:${port}/slow`);
    await inHandler; // the request is in flight on the server
    const closing = other.close();
    release();
    const res = await pending;
    expect(await res.json()).toEqual({ done: true });
    await closing;
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  });

  it('addRoute refuses a duplicate', () => {
    expect(() => server.addRoute({ method: 'GET', path: '/healthz', handler: () => {} })).toThrow(/already registered/);
  });

  it('prefix routes with a raw stream (how an Express app is mounted)', async () => {
    server.addRoute({
      method: 'POST',
      path: '/mounted',
      prefix: true,
      body: 'stream',
      handler: ({ req, res, url }) => {
        let n = 0;
        req.on('data', (c: Buffer) => (n += c.length));
        req.on('end', () => sendJson(res, 200, { path: url.pathname, streamed: n }));
      },
    });
    const res = await fetch(`${base}/mounted/slack/events`, { method: 'POST', body: 'hello' });
    expect(await res.json()).toEqual({ path: '/mounted/slack/events', streamed: 5 });
    const miss = await fetch(`${base}/mountedx`, { method: 'POST', body: 'hello' });
    expect(miss.status).toBe(404);
  });
});
