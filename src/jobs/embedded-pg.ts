/**
 * An embedded PostgreSQL for BullMQ: a PGlite database served in-process on a loopback TCP port, so that
 * BullMQ's PostgreSQL backend (node-postgres `pg.Pool` + a dedicated `LISTEN` client) runs on it unchanged.
 *
 * Why not `@electric-sql/pglite-socket`? Checked against 0.2.17 (the latest at the time):
 *  - it pins its peer `@electric-sql/pglite` to an exact version (0.5.14) while we use 0.5.17, so
 *    `npm i` fails with ERESOLVE unless forced;
 *  - its multiplexer (maxConnections > 1) writes every response, including the NotificationResponse that
 *    `pg_notify` produces at commit, to the socket of the connection that ran the statement. PGlite is one
 *    session, so the notification never reaches BullMQ's LISTEN connection: workers only wake on their
 *    timers (verified: a LISTEN on client A, `pg_notify` from client B, B receives it, A does not).
 *
 * This server is the same idea (the wire protocol is forwarded to `PGlite.execProtocolRawStream`, one
 * message at a time, serialised) with the two things BullMQ needs:
 *  - **session ownership**: a connection keeps exclusive use of the PGlite session from the first message
 *    of an extended-query sequence until its Sync, and for as long as it has a transaction open (so two
 *    connections' Parse/Bind or BEGIN…COMMIT never interleave); a connection that drops mid-transaction
 *    is rolled back;
 *  - **notification fan-out**: NotificationResponse messages found in any response are copied to every
 *    other connection that issued `LISTEN` on that channel.
 *
 * Limits (by construction: PGlite is a single PostgreSQL session):
 *  - statements run one at a time; there is no parallelism, and a long statement blocks every connection;
 *  - session state is shared: `SET`, startup options (`-c search_path=…`), `application_name`, advisory
 *    locks and `LISTEN` apply to the one session. Advisory locks therefore never block between our
 *    connections — harmless here because ownership already serialises transactions. Use one embedded
 *    database per purpose (this one is BullMQ's alone) and never share it with Prisma.
 *  - `UNLISTEN` from one connection would unsubscribe the session (BullMQ never issues it);
 *  - no TLS, no authentication (loopback only), CancelRequest is ignored.
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { mkdir } from 'node:fs/promises';
import type { PGlite } from '@electric-sql/pglite';
import { embeddedPgliteOptions } from '../store/pglite-options.ts';

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
const PROTOCOL_3 = 196608;

/** Extended-query messages: the connection keeps the session until its Sync ('S'). */
const EXTENDED = new Set(['P', 'B', 'D', 'E', 'C', 'H']);

export interface EmbeddedPostgresOptions {
  /** Folder of the PGlite data directory; `undefined` = in memory (tests). */
  dataDir?: string;
  /** Loopback address to listen on. Default 127.0.0.1. */
  host?: string;
  /** TCP port; 0 (default) lets the OS choose. */
  port?: number;
}

export interface EmbeddedPostgres {
  /** `postgres://postgres@127.0.0.1:PORT/postgres` — what node-postgres needs. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** Number of client connections currently open. */
  connections(): number;
  /** Stops accepting, drops every connection (rolling back an open transaction), closes PGlite. */
  close(): Promise<void>;
}

interface Conn {
  readonly id: number;
  readonly socket: Socket;
  buf: Buffer;
  /** The parser still expects startup-phase messages (no type byte). */
  expectStartup: boolean;
  closed: boolean;
  /** Complete messages received but not processed yet. */
  pending: Array<{ msg: Buffer; startup: boolean }>;
  pumping: boolean;
  listens: Set<string>;
}

/** A FIFO mutex over the PGlite session; ownership is handed directly to the next waiter. */
class SessionLock {
  owner: Conn | undefined;
  private waiters: Array<{ conn: Conn; resolve: () => void }> = [];

  async acquire(conn: Conn): Promise<void> {
    if (this.owner === conn) return;
    if (!this.owner) {
      this.owner = conn;
      return;
    }
    await new Promise<void>((resolve) => this.waiters.push({ conn, resolve }));
  }

  release(conn: Conn): void {
    if (this.owner !== conn) return;
    const next = this.waiters.shift();
    this.owner = next?.conn;
    next?.resolve();
  }
}

export async function startEmbeddedPostgres(
  opts: EmbeddedPostgresOptions = {},
): Promise<EmbeddedPostgres> {
  if (opts.dataDir) await mkdir(opts.dataDir, { recursive: true });
  const { PGlite: Lite } = await import('@electric-sql/pglite'); // loaded only when the queue is embedded
  const db = opts.dataDir ? await Lite.create(opts.dataDir, embeddedPgliteOptions(Lite)) : await Lite.create(embeddedPgliteOptions(Lite));
  const host = opts.host ?? '127.0.0.1';
  const lock = new SessionLock();
  const conns = new Set<Conn>();
  let nextId = 1;
  let closing = false;

  const fanOutNotifications = (from: Conn, out: Buffer): void => {
    // Walk the backend messages: type byte + int32 length (including itself).
    let i = 0;
    while (i + 5 <= out.length) {
      const type = out[i];
      const len = out.readInt32BE(i + 1);
      const end = i + 1 + len;
      if (end > out.length) break;
      if (type === 0x41 /* 'A' NotificationResponse */) {
        const body = out.subarray(i + 5, end);
        const nul = body.indexOf(0, 4);
        const channel = body.subarray(4, nul < 0 ? body.length : nul).toString('utf8');
        const msg = out.subarray(i, end);
        for (const c of conns) {
          if (c !== from && !c.closed && c.listens.has(channel)) c.socket.write(msg);
        }
      }
      i = end;
    }
  };

  const trackListen = (c: Conn, type: string, msg: Buffer): void => {
    // Query text: 'Q' = text\0 ; 'P' = name\0 text\0 …
    let text: string;
    if (type === 'Q') text = msg.subarray(5, msg.length - 1).toString('utf8');
    else {
      const nameEnd = msg.indexOf(0, 5);
      const textEnd = msg.indexOf(0, nameEnd + 1);
      text = msg.subarray(nameEnd + 1, textEnd < 0 ? msg.length : textEnd).toString('utf8');
    }
    if (!/listen/i.test(text)) return;
    const sql = text.replace(/--[^\n]*/g, ' ');
    for (const m of sql.matchAll(/(^|[^A-Za-z0-9_])(UN)?LISTEN\s+("([^"]+)"|[A-Za-z_][A-Za-z0-9_$]*|\*)/gi)) {
      const channel = m[4] ?? (m[3] ?? '').toLowerCase();
      if (m[2]) {
        if (channel === '*') c.listens.clear();
        else c.listens.delete(channel);
      } else c.listens.add(channel);
    }
  };

  const exec = async (c: Conn, msg: Buffer): Promise<void> => {
    const chunks: Buffer[] = [];
    await db.runExclusive(() =>
      db.execProtocolRawStream(new Uint8Array(msg.buffer, msg.byteOffset, msg.length), {
        onRawData: (data: Uint8Array) => {
          chunks.push(Buffer.from(data));
        },
      }),
    );
    const out = Buffer.concat(chunks);
    if (out.length > 0 && !c.closed) c.socket.write(out);
    if (out.includes(0x41)) fanOutNotifications(c, out);
  };

  /**
   * PGlite ignores the startup packet's `options` (`-c search_path=…`, which is how BullMQ pins its
   * schema), so apply each `-c name=value` with set_config — session-wide, see the limits above.
   */
  const applyStartupOptions = async (msg: Buffer): Promise<void> => {
    const parts = msg.subarray(8).toString('utf8').split('\0');
    for (let i = 0; i + 1 < parts.length; i += 2) {
      if (parts[i] !== 'options') continue;
      const tokens = (parts[i + 1] ?? '').match(/(?:\\.|[^\s])+/g) ?? [];
      for (let t = 0; t < tokens.length; t++) {
        let setting: string | undefined;
        if (tokens[t] === '-c') setting = tokens[++t];
        else if (tokens[t]!.startsWith('--')) setting = tokens[t]!.slice(2);
        else if (tokens[t]!.startsWith('-c')) setting = tokens[t]!.slice(2);
        const eq = setting?.indexOf('=') ?? -1;
        if (!setting || eq <= 0) continue;
        const name = setting.slice(0, eq);
        const value = setting.slice(eq + 1).replace(/\\(.)/g, '$1');
        await db.query('SELECT set_config($1, $2, false)', [name, value]);
      }
    }
  };

  const pump = async (c: Conn): Promise<void> => {
    if (c.pumping) return;
    c.pumping = true;
    try {
      while (!c.closed && c.pending.length > 0) {
        const { msg, startup } = c.pending.shift()!;
        if (startup) {
          const code = msg.readInt32BE(4);
          if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
            c.socket.write('N');
            continue;
          }
          if (code !== PROTOCOL_3) {
            // CancelRequest (unsupported) or an unknown protocol.
            c.socket.destroy();
            return;
          }
        }
        const type = startup ? '' : String.fromCharCode(msg[0]!);
        if (type === 'X') {
          // Terminate: never forward (it would end the shared session).
          c.socket.end();
          return;
        }
        if (type === 'Q' || type === 'P') trackListen(c, type, msg);
        await lock.acquire(c);
        if (c.closed) {
          lock.release(c);
          break;
        }
        try {
          await exec(c, msg);
          if (startup) await applyStartupOptions(msg);
        } finally {
          if (!EXTENDED.has(type) && !db.isInTransaction()) lock.release(c);
        }
      }
    } catch (err) {
      c.socket.destroy(err instanceof Error ? err : new Error(String(err)));
    } finally {
      c.pumping = false;
    }
  };

  const onData = (c: Conn, data: Buffer): void => {
    c.buf = c.buf.length ? Buffer.concat([c.buf, data]) : data;
    for (;;) {
      if (c.expectStartup) {
        // Startup-phase message: int32 length (incl. itself) + int32 code, no type byte.
        if (c.buf.length < 8) break;
        const len = c.buf.readInt32BE(0);
        if (c.buf.length < len) break;
        const code = c.buf.readInt32BE(4);
        if (code !== SSL_REQUEST && code !== GSSENC_REQUEST) c.expectStartup = false;
        c.pending.push({ msg: c.buf.subarray(0, len), startup: true });
        c.buf = c.buf.subarray(len);
        continue;
      }
      if (c.buf.length < 5) break;
      const len = 1 + c.buf.readInt32BE(1);
      if (c.buf.length < len) break;
      c.pending.push({ msg: c.buf.subarray(0, len), startup: false });
      c.buf = c.buf.subarray(len);
    }
    void pump(c);
  };

  const onClose = async (c: Conn): Promise<void> => {
    if (c.closed) return;
    c.closed = true;
    c.pending.length = 0;
    conns.delete(c);
    // Wait for an in-flight statement of this connection, then give the session back cleanly.
    while (c.pumping) await new Promise((r) => setTimeout(r, 1));
    if (lock.owner === c) {
      try {
        if (db.isInTransaction()) await db.exec('ROLLBACK');
      } catch {
        /* the session is shared: best effort */
      } finally {
        lock.release(c);
      }
    }
  };

  const server: Server = createServer((socket) => {
    if (closing) {
      socket.destroy();
      return;
    }
    socket.setNoDelay(true);
    const c: Conn = {
      id: nextId++,
      socket,
      buf: Buffer.alloc(0),
      expectStartup: true,
      closed: false,
      pending: [],
      pumping: false,
      listens: new Set(),
    };
    conns.add(c);
    socket.on('data', (d) => onData(c, d));
    socket.on('error', () => void onClose(c));
    socket.on('close', () => void onClose(c));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `postgres://postgres@${host}:${port}/postgres`,
    host,
    port,
    connections: () => conns.size,
    async close() {
      if (closing) return;
      closing = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const c of [...conns]) {
        c.socket.destroy();
        await onClose(c);
      }
      await closed;
      await db.close();
    },
  };
}
