/**
 * A neutral message (messages/neutral.ts) as an e-mail: subject, plain text and HTML, in the message's
 * language (the flows already wrote it in the recipient's). Everything that reaches the HTML is escaped;
 * the proposal is quoted verbatim. A message with buttons gets the answer link: the buttons themselves
 * are on the page behind it (answer-page.ts), never in the e-mail, so a link scanner that opens every
 * link records nothing.
 *
 * Read as the person receiving it, who has no chat: sentences about "the buttons of this message" are
 * left out (the link paragraph says where to answer); a hint to type `/crm revisar` becomes one that
 * says what to do by e-mail (through the ST) and names the command for those who also have a chat; a
 * decision already recorded on a request (a colleague's answer, or the reader's own, confirmed) is said
 * first, and in the subject, so the e-mail is not mistaken for the request again.
 */
import { t } from '../../i18n/index.ts';
import type { NeutralMessage } from '../../messages/neutral.ts';
import { dataTable, esc, fieldsTable, htmlDocument, para, quoteBlock } from './html.ts';

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

export interface AnswerLink {
  url: string;
  /** When the link stops working, already formatted for the reader (their zone and language). */
  expires: string;
  /** A meeting invitation's link (its page says attend / decline; it ends with the meeting). */
  meeting?: boolean;
}

/** One line for the Subject header: no line breaks, at most 200 characters. */
const oneLine = (s: string): string => {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 199)}…` : flat;
};

export function renderEmail(message: NeutralMessage, link?: AnswerLink): RenderedEmail {
  const l = message.locale;
  // "with the buttons of this message": in an e-mail the buttons are on the linked page, which the link
  // paragraph introduces.
  const chatOnly = new Set([t(l, 'reminder.act_here'), t(l, 'reminder.troika_act_here')]);
  const ref = message.reference;
  const body = message.body
    .filter((b) => !chatOnly.has(b))
    .map((b) =>
      !b.includes('/crm ')
        ? b
        : message.kind === 'troika_feedback'
          ? t(l, 'email.revise_hint.troika', { reference: ref })
          : message.kind === 'result_notice'
            ? t(l, 'email.revise_hint.resend', { reference: ref })
            : b,
    );
  const recorded = message.recorded ? t(l, 'card.recorded', message.recorded) : undefined;
  const m = { ...message, body: recorded ? [recorded, ...body] : body };
  const subject = message.recorded && ref ? t(l, 'email.recorded_subject', { reference: ref, what: message.recorded.what }) : m.heading;
  const text: string[] = [m.heading, ''];
  for (const b of m.body) text.push(b, '');
  if (m.fields.length) {
    for (const f of m.fields) text.push(`${f.label}: ${f.value}`);
    text.push('');
  }
  if (m.quote) {
    for (const line of m.quote.split('\n')) text.push(line ? `> ${line}` : '>');
    text.push('');
  }
  if (m.table) {
    text.push(m.table.columns.join(' | '));
    for (const r of m.table.rows) text.push(r.join(' | '));
    text.push('');
  }
  if (link) text.push(t(l, link.meeting ? 'email.meeting_answer_intro' : 'email.answer_intro', { expires: link.expires }), '', link.url, '');
  text.push('-- ', t(l, 'email.footer'));

  const html = [
    `<h1>${esc(m.heading)}</h1>`,
    ...m.body.map((b) => para(b)),
    fieldsTable(m.fields),
    m.quote ? quoteBlock(m.quote) : '',
    dataTable(m.table),
    link
      ? [
          para(t(l, link.meeting ? 'email.meeting_answer_intro' : 'email.answer_intro', { expires: link.expires })),
          `<p><a href="${esc(link.url)}" style="display:inline-block;padding:10px 18px;background:#1d4f91;color:#ffffff;text-decoration:none;border-radius:6px;font-weight:600">${esc(t(l, 'email.answer_link'))}</a></p>`,
          `<p style="font-size:0.9em;color:#4a5563;word-break:break-all">${esc(link.url)}</p>`,
        ].join('\n')
      : '',
    `<footer>${esc(t(l, 'email.footer'))}</footer>`,
  ]
    .filter(Boolean)
    .join('\n');

  return { subject: oneLine(subject), text: text.join('\n'), html: htmlDocument(l, m.heading, html) };
}
