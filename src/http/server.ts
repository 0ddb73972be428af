/**
 * The one HTTP server of the process (node:http, no framework). Every transport mounts its routes here:
 * health, readiness and metrics now; `POST /slack/events` (Bolt), `POST /api/messages` (Teams) and the
 * browser console later.
 *
 * Routes are a small table, method + path → handler. A route either gets the request body read for it
 * (`body: 'buffer'`, the default for POST/PUT/PATCH, capped at `bodyLimitBytes` → 413) or the untouched
 * request stream (`body: 'stream'`), which is what a mounted Express app (Bolt's `ExpressReceiver.app`,
 * the Teams adapter) needs because it reads and verifies the raw body itself. A route with
 * `prefix: true` matches its path and everything below it (`/console/` → `/console/app.js`).
 *
 * A body over the limit is answered 413 at once, and what the client is still sending is then read and
 * discarded (up to `drainLimitBytes` / `drainTimeoutMs`), so that a client that sends its whole body before
 * reading (most do) finishes sending and reads the answer; the connection then stays usable. Closing it at
 * once instead would reset it under the client's feet and lose the 413. A request with
 * `Expect: 100-continue` and a Content-Length over the limit gets the 413 instead of the 100 (nothing sent
 * yet: the connection is closed). Only a body beyond the drain allowance gets its connection cut.
 *
 * Errors: unknown path → 404 JSON; known path, other method → 405 JSON; a handler that throws → logged
 * once here (with the request id) and answered with a generic 500 body that leaks nothing.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../log.ts';
import { httpRequestsTotal, registry, type MetricsSource } from './metrics.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  /** The request body (`body: 'buffer'` routes); empty for GET and for `body: 'stream'` routes. */
  body: Buffer;
  /** Child logger carrying `requestId`. */
  log: Logger;
  requestId: string;
}

export type RouteHandler = (ctx: RequestContext) => void | Promise<void>;

export interface Route {
  method: HttpMethod;
  /** Absolute path, e.g. `/slack/events`. With `prefix: true`, also matches anything below it. */
  path: string;
  handler: RouteHandler;
  prefix?: boolean;
  /** `buffer` (default for POST/PUT/PATCH): read the body first. `stream`: hand over the raw request. */
  body?: 'buffer' | 'stream';
}

/** Readiness checks by name; each resolves when its dependency is reachable and rejects otherwise. */
export type ReadinessChecks = Record<string, (() => Promise<void>) | undefined>;

export interface HttpServerOptions {
  /** Port to listen on; 0 picks a free one (tests). Default 3000. */
  port?: number;
  /** Interface to bind; default all interfaces. */
  host?: string;
  routes?: Route[];
  readiness?: ReadinessChecks;
  /** What GET /metrics serves; default the shared registry of ./metrics.ts. */
  metrics?: MetricsSource;
  logger: Logger;
  /** Maximum request body for `buffer` routes, and for any request declaring a Content-Length. Default 1 MiB. */
  bodyLimitBytes?: number;
  /** Per-check readiness timeout. Default 2000 ms. */
  readinessTimeoutMs?: number;
  /** How long `close()` waits for in-flight requests before cutting connections. Default 10 s. */
  shutdownGraceMs?: number;
  /** After a 413, how much more of the body is read and discarded before the connection is cut. Default 64 MiB. */
  drainLimitBytes?: number;
  /** After a 413, how long the rest of the body may take to arrive before the connection is cut. Default 10 s. */
  drainTimeoutMs?: number;
}

export interface HttpServer {
  /** Adds a route; throws if the same method + path is already taken. Allowed before or after `listen()`. */
  addRoute(route: Route): void;
  /** Starts listening; resolves with the bound port. */
  listen(): Promise<number>;
  /** Stops accepting connections, lets in-flight requests finish (up to the grace period), then resolves. */
  close(): Promise<void>;
  /** The underlying node:http server (e.g. for WebSocket upgrades). */
  readonly server: Server;
}

export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;
export const DEFAULT_DRAIN_LIMIT_BYTES = 64 * 1024 * 1024;

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

export function sendJson(res: ServerResponse, status: number, payload: unknown, headers: Record<string, string> = {}): void {
  const body = JSON.stringify(payload);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(body);
}

class PayloadTooLarge extends Error {}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        done = true;
        chunks.length = 0;
        reject(new PayloadTooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (done) return;
      done = true;
      resolve(Buffer.concat(chunks));
    });
    req.on('error', (err) => {
      if (done) return;
      done = true;
      reject(err);
    });
  });
}

type CheckOutcome = 'ok' | 'failed' | 'timeout';

async function runCheck(check: () => Promise<void>, timeoutMs: number): Promise<{ outcome: CheckOutcome; error?: unknown }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    const result = await Promise.race([check().then(() => 'ok' as const), timeout]);
    return { outcome: result };
  } catch (error) {
    return { outcome: 'failed', error };
  } finally {
    clearTimeout(timer);
  }
}

export function createHttpServer(options: HttpServerOptions): HttpServer {
  const logger = options.logger.child({ component: 'http' });
  const bodyLimit = options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  const readinessTimeoutMs = options.readinessTimeoutMs ?? 2000;
  const shutdownGraceMs = options.shutdownGraceMs ?? 10_000;
  const drainLimit = options.drainLimitBytes ?? DEFAULT_DRAIN_LIMIT_BYTES;
  const drainTimeoutMs = options.drainTimeoutMs ?? 10_000;
  const metricsSource: MetricsSource = options.metrics ?? registry;
  const readiness = options.readiness ?? {};

  const exact = new Map<string, Route>(); // `${method} ${path}`
  const prefixes: Route[] = []; // longest path first
  const knownPaths = new Map<string, Set<HttpMethod>>();

  function addRoute(route: Route): void {
    if (!route.path.startsWith('/')) throw new Error(`route path must start with "/": ${route.path}`);
    const key = `${route.method} ${route.path}`;
    const taken = route.prefix
      ? prefixes.some((r) => r.method === route.method && r.path === route.path)
      : exact.has(key);
    if (taken) throw new Error(`route already registered: ${key}${route.prefix ? ' (prefix)' : ''}`);
    if (route.prefix) {
      prefixes.push(route);
      prefixes.sort((a, b) => b.path.length - a.path.length);
    } else {
      exact.set(key, route);
    }
    const methods = knownPaths.get(route.path) ?? new Set<HttpMethod>();
    methods.add(route.method);
    knownPaths.set(route.path, methods);
  }

  function find(method: string, path: string): { route?: Route; allowed?: HttpMethod[] } {
    const m = method === 'HEAD' ? 'GET' : method;
    const hit = exact.get(`${m} ${path}`);
    if (hit) return { route: hit };
    const pre = prefixes.find((r) => r.method === m && matchesPrefix(r.path, path));
    if (pre) return { route: pre };
    const allowed = new Set<HttpMethod>(knownPaths.get(path) ?? []);
    for (const r of prefixes) if (matchesPrefix(r.path, path)) allowed.add(r.method);
    return allowed.size > 0 ? { allowed: [...allowed] } : {};
  }

  // ---- built-in routes ----
  const lastOutcome = new Map<string, CheckOutcome>();

  addRoute({
    method: 'GET',
    path: '/healthz',
    handler: ({ res }) => sendJson(res, 200, { status: 'ok' }),
  });

  addRoute({
    method: 'GET',
    path: '/readyz',
    handler: async ({ res }) => {
      const entries = Object.entries(readiness).filter(
        (e): e is [string, () => Promise<void>] => typeof e[1] === 'function',
      );
      const results = await Promise.all(
        entries.map(async ([name, check]) => [name, await runCheck(check, readinessTimeoutMs)] as const),
      );
      const checks: Record<string, CheckOutcome> = {};
      const failing: string[] = [];
      for (const [name, { outcome, error }] of results) {
        checks[name] = outcome;
        if (outcome !== 'ok') failing.push(name);
        const before = lastOutcome.get(name);
        if (outcome !== 'ok' && before !== outcome) {
          logger.warn({ check: name, outcome, err: error }, 'readiness check failing');
        } else if (outcome === 'ok' && before !== undefined && before !== 'ok') {
          logger.info({ check: name }, 'readiness check recovered');
        }
        lastOutcome.set(name, outcome);
      }
      if (failing.length === 0) sendJson(res, 200, { status: 'ok', checks });
      else sendJson(res, 503, { status: 'unavailable', failing, checks });
    },
  });

  addRoute({
    method: 'GET',
    path: '/metrics',
    handler: async ({ res }) => {
      const text = await metricsSource.metrics();
      res.writeHead(200, { 'content-type': metricsSource.contentType, 'cache-control': 'no-store' });
      res.end(text);
    },
  });

  for (const route of options.routes ?? []) addRoute(route);

  // ---- request handling ----
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    const log = logger.child({ requestId });
    res.setHeader('x-request-id', requestId);
    const method = req.method ?? 'GET';
    let routeLabel = 'unmatched';
    if (closing) res.setHeader('connection', 'close');
    res.on('finish', () => {
      // During shutdown, a keep-alive connection that just went idle is closed at once.
      if (closing) setImmediate(() => server.closeIdleConnections());
      httpRequestsTotal.inc({ method, route: routeLabel, status: String(res.statusCode) });
      log.debug({ method, route: routeLabel, status: res.statusCode }, 'request');
    });

    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      return sendJson(res, 400, { error: 'bad_request' });
    }

    const { route, allowed } = find(method, url.pathname);
    if (!route) {
      req.resume();
      if (allowed) return sendJson(res, 405, { error: 'method_not_allowed' }, { allow: allowed.join(', ') });
      return sendJson(res, 404, { error: 'not_found' });
    }
    routeLabel = route.prefix ? `${route.path}*` : route.path;

    const declared = Number(req.headers['content-length'] ?? 0);
    if (Number.isFinite(declared) && declared > bodyLimit) {
      return tooLarge(req, res);
    }

    let body: Buffer = Buffer.alloc(0);
    const mode = route.body ?? (BODY_METHODS.has(route.method) ? 'buffer' : 'stream');
    if (mode === 'buffer') {
      try {
        body = await readBody(req, bodyLimit);
      } catch (err) {
        if (err instanceof PayloadTooLarge) return tooLarge(req, res);
        log.warn({ err }, 'request body could not be read');
        if (!res.headersSent) sendJson(res, 400, { error: 'bad_request' });
        return;
      }
    }

    try {
      await route.handler({ req, res, url, body, log, requestId });
    } catch (err) {
      log.error({ err, method, route: routeLabel }, 'request handler failed');
      if (!res.headersSent) sendJson(res, 500, { error: 'internal_error', requestId });
      else res.destroy();
    }
  }

  /** Requests with `Expect: 100-continue` whose body is over the limit: told 413 instead of 100. */
  const noBodyComing = new WeakSet<IncomingMessage>();

  function tooLarge(req: IncomingMessage, res: ServerResponse): void {
    const answer = (close: boolean) => {
      if (!res.headersSent) sendJson(res, 413, { error: 'payload_too_large', limitBytes: bodyLimit }, close ? { connection: 'close' } : {});
    };
    const declared = Number(req.headers['content-length'] ?? 0);
    if (noBodyComing.has(req) || (Number.isFinite(declared) && declared > bodyLimit + drainLimit)) {
      // Nothing sent yet (the client waits for a 100 it will not get), or announced beyond what we would
      // read: answer and close.
      req.resume();
      answer(true);
      return;
    }
    // The client is still sending. Node closes the socket as soon as an answer with `Connection: close` is
    // written, and closing while the client sends resets the connection: the 413 would be lost. On a
    // keep-alive connection, answer now and read the rest behind it (the connection stays usable); when
    // the connection is to close after this answer (the client's `Connection: close`, HTTP/1.0, shutdown),
    // read the rest first, then answer. Past the drain allowance the connection is cut.
    const keepsAlive = res.shouldKeepAlive && !closing;
    if (keepsAlive) answer(false);
    drain(req, (complete) => {
      answer(true);
      if (!complete) req.socket.destroy();
    });
  }

  /** Reads and discards the rest of `req`'s body; `done(true)` at its end, `done(false)` past the allowance. */
  function drain(req: IncomingMessage, done: (complete: boolean) => void): void {
    if (req.readableEnded) return done(true);
    let drained = 0;
    let finished = false;
    const finish = (complete: boolean) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      req.off('data', onData);
      done(complete);
    };
    const onData = (chunk: Buffer) => {
      drained += chunk.length;
      if (drained > drainLimit) finish(false);
    };
    const timer = setTimeout(() => finish(false), drainTimeoutMs);
    timer.unref();
    req.on('data', onData);
    req.once('end', () => finish(true));
    req.once('close', () => finish(req.complete));
    req.resume();
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      logger.error({ err }, 'unexpected failure in request dispatch');
      if (!res.headersSent) sendJson(res, 500, { error: 'internal_error' });
      else res.destroy();
    });
  });

  // `Expect: 100-continue` with a Content-Length over the limit: the 413 instead of the 100 (see tooLarge).
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (Number.isFinite(declared) && declared > bodyLimit) noBodyComing.add(req);
    else res.writeContinue();
    server.emit('request', req, res);
  });

  let listening = false;
  let closing = false;

  return {
    server,
    addRoute,
    listen() {
      return new Promise<number>((resolve, reject) => {
        const onError = (err: Error) => reject(err);
        server.once('error', onError);
        server.listen(options.port ?? 3000, options.host, () => {
          server.off('error', onError);
          listening = true;
          const port = (server.address() as AddressInfo).port;
          logger.info({ port }, 'http server listening');
          resolve(port);
        });
      });
    },
    close() {
      if (!listening) return Promise.resolve();
      listening = false;
      closing = true;
      return new Promise<void>((resolve, reject) => {
        const force = setTimeout(() => {
          logger.warn({ graceMs: shutdownGraceMs }, 'closing remaining http connections after grace period');
          server.closeAllConnections();
        }, shutdownGraceMs);
        force.unref();
        server.close((err) => {
          clearTimeout(force);
          if (err) reject(err);
          else {
            logger.info('http server closed');
            resolve();
          }
        });
        server.closeIdleConnections();
      });
    },
  };
}

function matchesPrefix(prefix: string, path: string): boolean {
  if (path === prefix) return true;
  const base = prefix.endsWith('/') ? prefix : `${prefix}/`;
  return path.startsWith(base);
}
