/**
 * One tiny server for the local Microsoft stand-ins: HTTPS when given a certificate (what the bot meets in
 * production), plain HTTP otherwise; JSON in and out; bound to 127.0.0.1 on a free port.
 */
import { createServer as createHttp, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttps } from 'node:https';
import type { AddressInfo } from 'node:net';

export interface ServeTls {
  key: string;
  cert: string;
}

export interface Served {
  /** `https://127.0.0.1:PORT` (or http), no trailing slash. */
  origin: string;
  close(): Promise<void>;
}

export interface Incoming {
  method: string;
  url: URL;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

export interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export async function serve(tls: ServeTls | undefined, handle: (req: Incoming) => Answer | Promise<Answer>): Promise<Served> {
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const incoming: Incoming = {
        method: req.method ?? 'GET',
        url: new URL(req.url ?? '/', 'http://127.0.0.1'),
        headers: req.headers,
        body: Buffer.concat(chunks),
      };
      Promise.resolve()
        .then(() => handle(incoming))
        .catch((err: unknown): Answer => ({ status: 500, body: { error: { code: 'ServiceError', message: String(err) } } }))
        .then((answer) => {
          const text = answer.body === undefined ? '' : JSON.stringify(answer.body);
          res.writeHead(answer.status, {
            ...(text ? { 'content-type': 'application/json; charset=utf-8' } : {}),
            'content-length': Buffer.byteLength(text),
            ...answer.headers,
          });
          res.end(text);
        });
    });
  };
  const server: Server = tls ? createHttps({ key: tls.key, cert: tls.cert }, listener) : createHttp(listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The bearer token of an Authorization header, if any. */
export function bearer(headers: IncomingMessage['headers']): string | undefined {
  const h = headers.authorization;
  return typeof h === 'string' && h.startsWith('Bearer ') ? h.slice(7) : undefined;
}
