/**
 * The e-mail channel, composed: the link secret (CRM_LINK_SECRET or the database), the SMTP transport,
 * the notifier, the answer page's routes and the dead-letter fallback. src/main.ts plugs it in:
 *
 *   const email = emailConfig ? await createEmailChannel(engine, emailConfig) : undefined;
 *   notifiers.email = email.notifier;  startJobs(…, { fallback: email.fallback });
 *   for (const route of email.routes) http.addRoute(route);   …   email.close() on shutdown
 */
import { randomUUID } from 'node:crypto';
import type { Engine } from '../../app/context.ts';
import type { Route } from '../../http/server.ts';
import { addLogSecret } from '../../log.ts';
import { AppSecretStore } from '../../store/app-secret-store.ts';
import { MeetingStore } from '../../store/meeting-store.ts';
import { meetingCalendarAttachments } from '../../jobs/meeting-attachments.ts';
import { answerRoutes } from './answer-page.ts';
import type { EmailConfig } from './config.ts';
import { EmailNotifier, type MailTransport } from './email-notifier.ts';
import { emailFallback } from './fallback.ts';
import { LinkSigner, loadLinkSecret } from './links.ts';

export { loadEmailConfig, type EmailConfig } from './config.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface EmailChannel {
  notifier: EmailNotifier;
  routes: Route[];
  fallback: ReturnType<typeof emailFallback>;
  links: LinkSigner;
  /** Where the link secret came from (for the start log; never the secret). */
  secretSource: 'CRM_LINK_SECRET' | 'database';
  close(): void;
}

export interface EmailChannelOptions {
  /** A transport instead of SMTP_URL's (tests). */
  transport?: MailTransport & { close?(): void };
}

export async function createEmailChannel(engine: Engine, config: EmailConfig, options: EmailChannelOptions = {}): Promise<EmailChannel> {
  const { secret, source } = await loadLinkSecret(config.linkSecret, new AppSecretStore(engine.db.prisma));
  addLogSecret(secret); // censored in every log line, also when it was generated into the database
  const links = new LinkSigner(secret);
  // No nodemailer logger: its lines would carry addresses. Timeouts well inside the deliver job's 30 s.
  const transport =
    options.transport ??
    // Imported here, not at the top: a bot without SMTP_URL never loads nodemailer (~13 MB).
    (await import('nodemailer')).default.createTransport({ url: config.smtpUrl, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 });
  const meetingStore = new MeetingStore(engine.db.prisma);
  const notifier = new EmailNotifier({
    transport,
    from: config.mailFrom,
    publicUrl: config.publicUrl,
    links,
    linkTtlMs: config.linkTtlDays * DAY_MS,
    directory: () => engine.directory.current(),
    now: () => engine.deps.clock.now(),
    // A meeting invitation by e-mail carries the meeting's calendar file (src/jobs/meeting-attachments.ts).
    attachments: meetingCalendarAttachments({ meetings: meetingStore, directory: () => engine.directory.current() }),
    // …and its answer link works until the meeting is over, even when that is further than the link TTL.
    meetingEnd: async (meetingId) => (await meetingStore.byId(meetingId))?.end,
  });
  return {
    notifier,
    routes: answerRoutes({
      deps: engine.deps,
      links,
      // Meeting invitations answered by e-mail: the same meeting flows as the Slack buttons.
      meetings: { meetings: meetingStore, directory: engine.directory, clock: engine.deps.clock, newId: randomUUID, emailInvitations: true },
    }),
    fallback: emailFallback(() => engine.directory.current()),
    links,
    secretSource: source,
    close: () => transport.close?.(),
  };
}
