/**
 * A real SMTP server on loopback (smtp-server, the nodemailer project's), for e-mail tests: it receives
 * what the bot sends over SMTP, parses it (mailparser) and keeps it, with the envelope. Optional AUTH
 * (PLAIN/LOGIN over plain text, which only loopback makes acceptable) and scripted replies to RCPT TO.
 */
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  envelope: { from: string; to: string[] };
  /** The raw message as received (headers and MIME parts). */
  raw: string;
  parsed: ParsedMail;
  /** The user the client authenticated as, if any. */
  user?: string;
}

export interface TestSmtp {
  port: number;
  /** smtp://[user:pass@]127.0.0.1:port */
  url: string;
  received: ReceivedMail[];
  /** Replies with this code (e.g. 550 or 451) to RCPT TO for matching addresses until cleared. */
  rejectRecipient(code: number, when?: (address: string) => boolean): void;
  clearRejections(): void;
  /** Waits until a mail matching `match` has arrived (polls; fails after `timeoutMs`). */
  waitFor(match: (m: ReceivedMail) => boolean, what: string, timeoutMs?: number): Promise<ReceivedMail>;
  close(): Promise<void>;
}

export async function startTestSmtp(opts: { user?: string; pass?: string } = {}): Promise<TestSmtp> {
  const received: ReceivedMail[] = [];
  let rejections: { code: number; when: (address: string) => boolean }[] = [];
  const auth = opts.user !== undefined;
  const server = new SMTPServer({
    logger: false,
    disabledCommands: auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    authOptional: !auth,
    allowInsecureAuth: true,
    onAuth(a, _session, cb) {
      if (a.username === opts.user && a.password === opts.pass) cb(null, { user: a.username });
      else cb(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onRcptTo(address, _session, cb) {
      const r = rejections.find((x) => x.when(address.address));
      if (r) cb(Object.assign(new Error(r.code >= 500 ? 'No such user here' : 'Try again later'), { responseCode: r.code }));
      else cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        simpleParser(raw).then(
          (parsed) => {
            received.push({
              envelope: {
                from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
                to: session.envelope.rcptTo.map((r) => r.address),
              },
              raw,
              parsed,
              ...(typeof session.user === 'string' ? { user: session.user } : {}),
            });
            cb();
          },
          (err: unknown) => cb(err as Error),
        );
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  const cred = auth ? `${encodeURIComponent(opts.user!)}:${encodeURIComponent(opts.pass ?? '')}@` : '';
  return {
    port,
    url: `smtp://${cred}127.0.0.1:${port}`,
    received,
    rejectRecipient(code, when = () => true) {
      rejections.push({ code, when });
    },
    clearRejections() {
      rejections = [];
    },
    async waitFor(match, what, timeoutMs = 20_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const hit = received.find(match);
        if (hit) return hit;
        if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (received ${received.length})`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
