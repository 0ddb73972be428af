/**
 * The e-mail world: the real flows on a fresh PostgreSQL database, the real jobs (BullMQ on Redis) with the
 * deliver worker, the real e-mail channel (createEmailChannel: link secret from the database, nodemailer
 * over SMTP_URL) sending to a real SMTP server on loopback (test/helpers/smtp.ts, with AUTH), and the
 * answer routes on the bot's own HTTP server over real HTTP. Slack is a RecordingNotifier. Every log line
 * of the process (flows, jobs, HTTP, answer page) is captured, to check what never appears in it.
 *
 * Three focal points have no chat address: Rodrigo Alvarado (SV, the Troika's incoming PPT), Gabriela
 * Chaves (CR, Spanish) and Claire Tremblay (CA, English); they are reached by e-mail.
 */
import { Writable } from 'node:stream';
import { createEmailChannel, loadEmailConfig, type EmailChannel } from '../../../src/adapters/email/index.ts';
import type { CommandActor } from '../../../src/domain/types.ts';
import type { Directory } from '../../../src/directory/model.ts';
import { identify } from '../../../src/flows/people.ts';
import { createHttpServer, type HttpServer } from '../../../src/http/server.ts';
import { startJobs, type RunningJobs } from '../../../src/jobs/index.ts';
import { MultiNotifier, RecordingNotifier } from '../../../src/jobs/notifier.ts';
import { createLogger } from '../../../src/log.ts';
import { exampleDirectory, openTestEngine, type TestEngine } from '../../helpers/engine.ts';
import { startTestSmtp, type ReceivedMail, type TestSmtp } from '../../helpers/smtp.ts';
import { openTestJobs, type TestJobs } from '../../fixtures/jobs/backends.ts';

export const EMAIL_ONLY = {
  rodrigo: 'rodrigo.alvarado@example.org',
  gabriela: 'gabriela.chaves@example.org',
  claire: 'claire.tremblay@example.org',
} as const;
/** On Slack, but Slack refuses every message to him: he falls back to e-mail. */
export const SLACK_REFUSES = 'luis.mora@example.org';

export const SMTP_USER = 'crm-bot';
export const SMTP_PASS = 'Smtp-Pa55-e2e-7731';
export const MAIL_FROM = 'CRM bot <crm-bot@example.org>';

export interface EmailWorld {
  engine: TestEngine;
  smtp: TestSmtp;
  slack: RecordingNotifier;
  email: EmailChannel;
  http: HttpServer;
  /** The jobs (deliver worker, and the runtime for firing a reminder as its job would). */
  jobs: RunningJobs;
  baseUrl: string;
  directory: Directory;
  /** Every log line written so far (JSON lines). */
  logs(): string;
  actor(personId: string): CommandActor;
  /** Waits for the e-mail to `to` whose subject names `reference` and says `what`; returns it with its answer token. */
  mailTo(to: string, reference: string, what: string): Promise<{ mail: ReceivedMail; token?: string }>;
  stop(): Promise<void>;
}

export async function startEmailWorld(label: string): Promise<EmailWorld> {
  const base = await exampleDirectory();
  const directory = structuredClone(base);
  for (const c of directory.countries) {
    for (const fp of c.focalPoints) if ((Object.values(EMAIL_ONLY) as string[]).includes(fp.id)) delete fp.slack;
  }
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(chunk.toString('utf8'));
      cb();
    },
  });
  const logger = createLogger('debug', { destination: sink });

  const engine = await openTestEngine('postgres', label, { directory });
  engine.deps.logger = logger;
  const smtp = await startTestSmtp({ user: SMTP_USER, pass: SMTP_PASS });
  const http = createHttpServer({ port: 0, host: '127.0.0.1', logger });
  const port = await http.listen();
  const baseUrl = `http://127.0.0.1:${port}`;
  const config = loadEmailConfig({ SMTP_URL: smtp.url, MAIL_FROM, PUBLIC_URL: baseUrl }, port)!;
  const email = await createEmailChannel(engine, config);
  for (const route of email.routes) http.addRoute(route);

  const slack = new RecordingNotifier().permanent('user_not_found', {
    when: (i) => (i.recipient as { personId?: string }).personId === SLACK_REFUSES,
  });
  const jobs: TestJobs = await openTestJobs('redis', label);
  const running: RunningJobs = await startJobs(engine, jobs.backend, new MultiNotifier({ slack, email: email.notifier }), {
    logger,
    fallback: email.fallback,
    reconcileAtStart: false,
    weeklyDigest: { enabled: false },
    deliver: { retry: { attempts: 3, backoffMs: 200 } },
  });

  const linkPattern = new RegExp(`${baseUrl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/answer/([A-Za-z0-9_.-]+)`);
  return {
    engine,
    smtp,
    slack,
    email,
    http,
    jobs: running,
    baseUrl,
    directory,
    logs: () => lines.join(''),
    actor(personId) {
      const a = identify(engine.directory.current(), { platform: 'cli', personId });
      if (!a) throw new Error(`${personId} is not in the directory`);
      return a;
    },
    async mailTo(to, reference, what) {
      const mail = await smtp.waitFor(
        (m) => m.envelope.to.includes(to) && (m.parsed.subject ?? '').includes(reference) && (m.parsed.subject ?? '').includes(what),
        `an e-mail to ${to} about ${reference}, subject with "${what}"`,
        60_000,
      );
      const token = linkPattern.exec(mail.parsed.text ?? '')?.[1];
      return { mail, ...(token ? { token } : {}) };
    },
    async stop() {
      await running.stop().catch(() => undefined);
      await http.close().catch(() => undefined);
      email.close();
      await jobs.dispose().catch(() => undefined);
      await smtp.close().catch(() => undefined);
      await engine.dispose().catch(() => undefined);
    },
  };
}

export interface PageResponse {
  status: number;
  html: string;
  headers: Headers;
}

export async function getPage(w: EmailWorld, token: string): Promise<PageResponse> {
  const res = await fetch(`${w.baseUrl}/answer/${token}`);
  return { status: res.status, html: await res.text(), headers: res.headers };
}

export async function postAnswer(w: EmailWorld, token: string, fields: Record<string, string>): Promise<PageResponse> {
  const res = await fetch(`${w.baseUrl}/answer/${token}`, { method: 'POST', body: new URLSearchParams(fields) });
  return { status: res.status, html: await res.text(), headers: res.headers };
}
