/**
 * The e-mail Notifier (src/flows/notifier.ts port): one outbox row → one multipart e-mail (text + HTML) to a
 * person, sent with nodemailer over SMTP_URL from MAIL_FROM.
 *
 * - The address is read from the live directory by person id (the recipient's `email`, when the row
 *   carries one, is the fallback), so a corrected address is used at once. No address: permanent.
 * - A message with decision buttons (Troika request, member request, reminders) gets a signed answer link
 *   for that person, that consultation and that text version (links.ts), expiring after the link TTL.
 * - Message-ID is derived from the row's dedupe key: a retry of a send whose outcome was lost carries the
 *   same Message-ID, so the receiving side can recognise it. Every message of a consultation also names
 *   the same thread (References), so mail clients group them.
 * - Cards updated in place and the live status are not e-mailed (`notForEmail`).
 * - SMTP replies map to outcomes: 4xx → transient (retried), 5xx → permanent (dead, the ST is told); no
 *   reply at all (connection refused, timeout) → transient. The error kept for the row and the logs is
 *   the code only: SMTP replies often quote the address, and addresses never reach the logs.
 */
import { createHash } from 'node:crypto';
import { cardUpdateFields, neutralMessageSchema } from '../../messages/neutral-schema.ts';
import { z } from 'zod';
import type { Directory } from '../../directory/model.ts';
import { peopleById } from '../../flows/people.ts';
import { formatInstant } from '../../i18n/index.ts';
import { NO_ADDRESS, type AttachmentSource, type DeliveryItem, type Notifier, type SendOutcome } from '../../flows/notifier.ts';
import type { MessageAttachment, NeutralMessage } from '../../messages/neutral.ts';
import { SEGMENTS, type Segment } from '../../domain/meetings/index.ts';
import { ACTION_MEETING_ATTEND, ACTION_MEETING_DECLINE } from '../../messages/meeting-invitation.ts';
import { fromAddress } from './config.ts';
import type { LinkPurpose, LinkSigner } from './links.ts';
import { renderEmail, type AnswerLink } from './render.ts';

/** What the notifier needs of a mail transport (nodemailer's Transporter has it). */
export interface MailTransport {
  sendMail(mail: {
    from: string;
    to: string;
    subject: string;
    text: string;
    html: string;
    messageId: string;
    references?: string;
    headers?: Record<string, string>;
    /** Files the message names (a meeting's calendar file), rendered at delivery. */
    attachments?: { filename: string; content: Buffer; contentType: string }[];
  }): Promise<{ messageId?: string }>;
}

export interface EmailNotifierOptions {
  transport: MailTransport;
  /** MAIL_FROM. */
  from: string;
  /** PUBLIC_URL, without a trailing slash. */
  publicUrl: string;
  links: LinkSigner;
  /** How long an answer link works. */
  linkTtlMs: number;
  /** The live directory. */
  directory: () => Directory;
  now?: () => Date;
  /** Where the files messages name come from (a meeting's calendar file); without it, none is attached. */
  attachments?: AttachmentSource;
  /**
   * A meeting's last day (YYYY-MM-DD, in its venue's zone). A meeting invitation's link then works at least
   * until that day is over everywhere, however far ahead the meeting is (the page refuses after it anyway).
   */
  meetingEnd?: (meetingId: string) => Promise<string | undefined>;
}

/** The last instant of a calendar day anywhere on Earth (UTC−12 is the latest zone). */
const dayOverEverywhere = (day: string): Date => new Date(Date.parse(`${day}T23:59:59Z`) + 12 * 60 * 60 * 1000);

const Message = neutralMessageSchema.extend({
  recorded: cardUpdateFields.recorded,
  updateOnly: cardUpdateFields.updateOnly,
});

/**
 * What a mailbox has no place for: a card corrected in place (`updateOnly`: closed at the end, replaced by
 * a new version, its deadline moved) and the live status replaced after every decision. An e-mail cannot
 * be changed once sent, so each would be one more e-mail saying again what another one says: the result
 * notice, the new version's request, the extension notice. They are not sent (the row is done, receipt
 * `{ skipped }`); the answer page always shows the current state.
 */
export function notForEmail(m: { kind: string; updateOnly?: boolean | undefined }): boolean {
  return m.updateOnly === true || m.kind === 'status';
}

/** The file a message names, when it is one an e-mail carries (a meeting's calendar file). */
const Attached = z.object({
  attachment: z.object({
    kind: z.literal('meeting_calendar'),
    meetingId: z.string().min(1),
    reference: z.string().min(1),
    format: z.literal('ics'),
    locale: z.enum(['es', 'en']),
    filename: z.string().regex(/^[\w.-]{1,200}$/),
  }),
});

const Recipient = z.object({ kind: z.literal('person'), personId: z.string().min(1), email: z.string().optional() });
const ButtonValue = z.object({ c: z.string().min(1), v: z.string().min(1) });
const MeetingButtonValue = z.object({ m: z.string().min(1).max(100), s: z.enum(SEGMENTS) });

export type LinkTarget =
  | { purpose: 'troika' | 'member'; consultationId: string; version: string }
  | { purpose: 'meeting'; meetingId: string; segment: Segment };

/** The link a message's buttons call for: Troika decisions or member positions on one text version, or a meeting invitation's answer. */
export function linkTarget(m: Pick<NeutralMessage, 'buttons'>): LinkTarget | undefined {
  const first = m.buttons[0];
  if (!first) return undefined;
  const purpose: LinkPurpose | undefined = first.actionId.startsWith('troika_')
    ? 'troika'
    : first.actionId.startsWith('position_')
      ? 'member'
      : first.actionId === ACTION_MEETING_ATTEND || first.actionId === ACTION_MEETING_DECLINE
        ? 'meeting'
        : undefined;
  if (!purpose) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(first.value);
  } catch {
    return undefined;
  }
  if (purpose === 'meeting') {
    const v = MeetingButtonValue.safeParse(value);
    return v.success ? { purpose, meetingId: v.data.m, segment: v.data.s } : undefined;
  }
  const v = ButtonValue.safeParse(value);
  return v.success ? { purpose, consultationId: v.data.c, version: v.data.v } : undefined;
}

/** `<crm.<hash>@domain>`: the same for every attempt of one outbox row. */
export function messageIdFor(dedupeKey: string, from: string): string {
  const domain = fromAddress(from).split('@')[1] ?? 'crm.invalid';
  return `<crm.${createHash('sha256').update(dedupeKey).digest('hex').slice(0, 32)}@${domain}>`;
}

export const threadIdFor = (consultationId: string, from: string): string =>
  `<crm.consultation.${createHash('sha256').update(consultationId).digest('hex').slice(0, 32)}@${fromAddress(from).split('@')[1] ?? 'crm.invalid'}>`;

/** An SMTP failure as a send outcome, by reply code only (see the module comment). */
export function smtpOutcome(err: unknown): SendOutcome & { ok: false } {
  const e = (err ?? {}) as { responseCode?: unknown; code?: unknown };
  const code = typeof e.code === 'string' && /^[A-Z_]{2,20}$/.test(e.code) ? e.code : 'ERROR';
  const reply = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  if (reply !== undefined && reply >= 500 && reply < 600) return { ok: false, permanent: true, error: `smtp ${reply} (${code})` };
  if (reply !== undefined && reply >= 400 && reply < 500) return { ok: false, error: `smtp ${reply} (${code})` };
  return { ok: false, error: `smtp ${code}` };
}

export class EmailNotifier implements Notifier {
  private readonly now: () => Date;
  constructor(private readonly o: EmailNotifierOptions) {
    this.now = o.now ?? (() => new Date());
  }

  async send(item: DeliveryItem): Promise<SendOutcome> {
    const r = Recipient.safeParse(item.recipient);
    if (!r.success) return { ok: false, permanent: true, error: 'e-mail goes to people only' };
    const parsed = Message.safeParse(item.payload);
    if (!parsed.success) return { ok: false, permanent: true, error: `invalid message payload (${parsed.error.issues[0]?.path.join('.') || 'payload'})` };
    const m = parsed.data as NeutralMessage;
    if (notForEmail(parsed.data)) return { ok: true, receipt: { skipped: 'in_place_update' } };

    const directory = this.o.directory();
    const person = peopleById(directory).get(r.data.personId);
    const to = person?.email ?? r.data.email;
    if (!to) return { ok: false, permanent: true, error: NO_ADDRESS };

    let link: AnswerLink | undefined;
    const target = linkTarget(m);
    if (target) {
      let expiresAt = new Date(this.now().getTime() + this.o.linkTtlMs);
      if (target.purpose === 'meeting' && this.o.meetingEnd) {
        const end = await this.o.meetingEnd(target.meetingId);
        if (end && dayOverEverywhere(end) > expiresAt) expiresAt = dayOverEverywhere(end);
      }
      const token =
        target.purpose === 'meeting'
          ? this.o.links.issueMeeting({ meetingId: target.meetingId, segment: target.segment, personId: r.data.personId, expiresAt })
          : this.o.links.issue({ ...target, personId: r.data.personId, expiresAt });
      link = {
        url: `${this.o.publicUrl}/answer/${token}`,
        expires: formatInstant(expiresAt, { locale: m.locale, timeZone: person?.timezone ?? directory.secretariat.timezone }),
        ...(target.purpose === 'meeting' ? { meeting: true } : {}),
      };
    }
    const mail = renderEmail(m, link);
    const attached = Attached.safeParse(item.payload);
    let attachments: { filename: string; content: Buffer; contentType: string }[] | undefined;
    if (attached.success && this.o.attachments) {
      const file = await this.o.attachments.load(attached.data.attachment as MessageAttachment);
      if (!file.ok) return { ok: false, error: file.error, ...(file.permanent ? { permanent: true } : {}) };
      attachments = [{ filename: file.filename, content: Buffer.from(file.bytes), contentType: file.mimeType }];
    }
    const thread = m.consultationId ? threadIdFor(m.consultationId, this.o.from) : undefined;
    const messageId = messageIdFor(item.dedupeKey, this.o.from);
    try {
      await this.o.transport.sendMail({
        from: this.o.from,
        to,
        ...mail,
        messageId,
        ...(thread ? { references: thread } : {}),
        ...(attachments ? { attachments } : {}),
        headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All', ...(m.reference ? { 'X-CRM-Reference': m.reference } : {}) },
      });
    } catch (err) {
      return smtpOutcome(err);
    }
    return { ok: true, receipt: { messageId } };
  }
}
