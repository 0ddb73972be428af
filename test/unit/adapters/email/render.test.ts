/** A neutral message as an e-mail, and the e-mail notifier's choices (address, link, Message-ID, SMTP outcomes) with a recording transport. */
import { describe, expect, it } from 'vitest';
import { EmailNotifier, linkTarget, messageIdFor, smtpOutcome, type MailTransport } from '../../../../src/adapters/email/email-notifier.ts';
import { LinkSigner } from '../../../../src/adapters/email/links.ts';
import { renderEmail } from '../../../../src/adapters/email/render.ts';
import { t } from '../../../../src/i18n/index.ts';
import type { Directory } from '../../../../src/directory/model.ts';
import type { DeliveryItem } from '../../../../src/jobs/notifier.ts';
import { buttonValue, type NeutralMessage } from '../../../../src/messages/neutral.ts';

const HASH = 'b'.repeat(64);
const message = (over: Partial<NeutralMessage> = {}): NeutralMessage => ({
  kind: 'member_request',
  locale: 'en',
  consultationId: 'c-1',
  reference: 'CRM-2026-004',
  heading: 'Consultation CRM-2026-004: <b>your position</b>',
  body: ['Title "A & B" <script>alert(1)</script>'],
  quote: 'Line one <img src=x onerror=alert(1)>\n\nLine & three',
  fields: [{ label: 'Reference', value: 'CRM-2026-004' }],
  buttons: [
    { actionId: 'position_support', label: 'Support', value: buttonValue('c-1', HASH), style: 'primary' },
    { actionId: 'position_object', label: 'Object', value: buttonValue('c-1', HASH), style: 'danger' },
    { actionId: 'position_abstain', label: 'Abstain', value: buttonValue('c-1', HASH) },
  ],
  ...over,
});

describe('renderEmail', () => {
  it('escapes everything in the HTML, quotes the proposal, and keeps the text part readable', () => {
    const mail = renderEmail(message(), { url: 'https://crm.example.org/answer/abc.def', expires: '31 December 2026, 17:00' });
    expect(mail.subject).toBe('Consultation CRM-2026-004: <b>your position</b>');
    expect(mail.html).not.toMatch(/<script|<img|<b>/);
    expect(mail.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(mail.html).toContain('<blockquote');
    expect(mail.html).toContain('Line one &lt;img src=x onerror=alert(1)&gt;\n\nLine &amp; three');
    expect(mail.html).toContain('<html lang="en">');
    expect(mail.html).toContain('href="https://crm.example.org/answer/abc.def"');
    expect(mail.text).toContain('> Line one <img src=x onerror=alert(1)>\n>\n> Line & three');
    expect(mail.text).toContain('https://crm.example.org/answer/abc.def');
    expect(mail.text).toContain('It works until 31 December 2026, 17:00');
    // The buttons are on the page, not in the e-mail.
    expect(mail.html).not.toContain('<button');
  });

  it('without a link (no buttons) says nothing about answering', () => {
    const mail = renderEmail(message({ kind: 'result_notice', buttons: [], locale: 'es', heading: 'Resultado' }));
    expect(mail.text).not.toContain('/answer/');
    expect(mail.html).not.toContain('/answer/');
    expect(mail.html).toContain('<html lang="es">');
    expect(mail.text).toContain('Secretaría Técnica');
  });

  it('drops "with the buttons of this message" from a reminder: the buttons are on the linked page', () => {
    const mail = renderEmail(message({ kind: 'reminder', body: ['The period ends soon.', t('en', 'reminder.act_here')] }), { url: 'https://x/answer/t', expires: 'soon' });
    expect(mail.text).not.toContain(t('en', 'reminder.act_here'));
    expect(mail.text).toContain('The period ends soon.');
  });

  it('drops the Troika reminder\'s "buttons of this message" too, in both languages', () => {
    for (const l of ['es', 'en'] as const) {
      const mail = renderEmail(message({ kind: 'reminder', locale: l, body: ['Pending since Monday.', t(l, 'reminder.troika_act_here')] }), { url: 'https://x/answer/t', expires: 'soon' });
      expect(mail.text).not.toContain(t(l, 'reminder.troika_act_here'));
      expect(mail.text).not.toMatch(/botones de este mensaje|buttons in this message/);
    }
  });

  it('a /crm hint becomes what to do by e-mail (through the ST), naming the command for those who also chat', () => {
    for (const l of ['es', 'en'] as const) {
      const cmd = l === 'es' ? '/crm revisar CRM-2026-004' : '/crm revise CRM-2026-004';
      const feedback = renderEmail(message({ kind: 'troika_feedback', locale: l, buttons: [], body: ['Changes.', t(l, 'troika_feedback.revise_hint', { cmd })] }));
      expect(feedback.text).toContain(t(l, 'email.revise_hint.troika', { reference: 'CRM-2026-004' }));
      expect(feedback.text).not.toContain(t(l, 'troika_feedback.revise_hint', { cmd }));
      const result = renderEmail(message({ kind: 'result_notice', locale: l, buttons: [], body: ['Not endorsed.', t(l, 'result.resend_hint', { cmd })] }));
      expect(result.text).toContain(t(l, 'email.revise_hint.resend', { reference: 'CRM-2026-004' }));
    }
  });

  it('a request whose answer is recorded says so first and in the subject (a colleague answered, or it confirms the reader\'s own)', () => {
    const recorded = { who: 'Luis Mora (Costa Rica)', what: 'Supports', when: 'Tuesday, December 1, 2026, 4:03 PM (Costa Rica time)' };
    const mail = renderEmail(message({ recorded }), { url: 'https://x/answer/t', expires: 'soon' });
    expect(mail.subject).toBe('Consultation CRM-2026-004: answer recorded (Supports)');
    const line = t('en', 'card.recorded', recorded);
    expect(mail.text.split('\n')[2]).toBe(line);
    expect(mail.html).toContain('Recorded by Luis Mora (Costa Rica)');
  });

  it('keeps the subject on one line', () => {
    expect(renderEmail(message({ heading: 'a\r\nBcc: x@example.org' })).subject).toBe('a Bcc: x@example.org');
  });
});

describe('linkTarget, messageIdFor, smtpOutcome', () => {
  it('reads the purpose and version from the buttons', () => {
    expect(linkTarget(message())).toEqual({ purpose: 'member', consultationId: 'c-1', version: HASH });
    expect(linkTarget(message({ buttons: [{ actionId: 'troika_approve', label: 'A', value: buttonValue('c-2', HASH) }] }))).toMatchObject({ purpose: 'troika', consultationId: 'c-2' });
    expect(linkTarget(message({ buttons: [] }))).toBeUndefined();
    expect(linkTarget(message({ buttons: [{ actionId: 'position_support', label: 'A', value: 'not json' }] }))).toBeUndefined();
    const invite = (value: string) => message({ kind: 'meeting_invitation', buttons: [{ actionId: 'meeting_attend', label: 'Attend', value }, { actionId: 'meeting_decline', label: 'Decline', value }] });
    expect(linkTarget(invite(JSON.stringify({ m: 'm-1', s: 'plenary' })))).toEqual({ purpose: 'meeting', meetingId: 'm-1', segment: 'plenary' });
    expect(linkTarget(invite(JSON.stringify({ m: 'm-1', s: 'backstage' })))).toBeUndefined();
  });

  it('derives one Message-ID per outbox row, on the sender’s domain', () => {
    expect(messageIdFor('member_request.c-1.p', 'CRM <crm-bot@example.org>')).toBe(messageIdFor('member_request.c-1.p', 'crm-bot@example.org'));
    expect(messageIdFor('member_request.c-1.p', 'crm-bot@example.org')).toMatch(/^<crm\.[0-9a-f]{32}@example\.org>$/);
    expect(messageIdFor('a', 'crm-bot@example.org')).not.toBe(messageIdFor('b', 'crm-bot@example.org'));
  });

  it('maps 5xx to permanent, 4xx and no reply to transient, keeping only codes', () => {
    expect(smtpOutcome({ responseCode: 550, code: 'EENVELOPE', message: '550 5.1.1 <ana@example.org>: no such user' })).toEqual({ ok: false, permanent: true, error: 'smtp 550 (EENVELOPE)' });
    expect(smtpOutcome({ responseCode: 451, code: 'EENVELOPE', message: '451 try later ana@example.org' })).toEqual({ ok: false, error: 'smtp 451 (EENVELOPE)' });
    expect(smtpOutcome({ code: 'ECONNECTION', message: 'connect ECONNREFUSED' })).toEqual({ ok: false, error: 'smtp ECONNECTION' });
    expect(smtpOutcome(new Error('boom'))).toEqual({ ok: false, error: 'smtp ERROR' });
  });
});

describe('EmailNotifier with a recording transport', () => {
  const directory = {
    secretariat: { timezone: 'America/Costa_Rica', calendar: 'CR', locale: 'es', staff: [] },
    presidencies: [],
    organizations: [],
    holidays: [],
    countries: [
      {
        code: 'CA', status: 'member', name: { es: 'Canadá', en: 'Canada' }, timezone: 'America/Toronto', calendar: 'CA',
        focalPoints: [{ id: 'claire@example.org', name: 'Claire', email: 'Claire@Example.org', locale: 'en', timezone: 'America/Toronto', country: 'CA' }],
      },
    ],
  } as unknown as Directory;
  const sent: Parameters<MailTransport['sendMail']>[0][] = [];
  const transport: MailTransport = { sendMail: async (m) => (sent.push(m), { messageId: m.messageId }) };
  const notifier = new EmailNotifier({
    transport,
    from: 'CRM <crm-bot@example.org>',
    publicUrl: 'https://crm.example.org',
    links: new LinkSigner('s'.repeat(32)),
    linkTtlMs: 86_400_000,
    directory: () => directory,
    now: () => new Date('2026-12-01T15:00:00Z'),
  });
  const item = (over: Partial<DeliveryItem> = {}): DeliveryItem => ({
    id: 'o-1', dedupeKey: 'member_request.c-1.claire', platform: 'email', kind: 'member_request',
    recipient: { kind: 'person', personId: 'claire@example.org', name: 'Claire' }, payload: message(), attempts: 0, ...over,
  });

  it('sends to the live directory’s address, with a link and the same Message-ID on a retry', async () => {
    const first = await notifier.send(item());
    const retry = await notifier.send(item({ attempts: 1 }));
    expect(first).toEqual({ ok: true, receipt: { messageId: sent[0]!.messageId } });
    expect(retry).toEqual(first);
    expect(sent.map((m) => m.to)).toEqual(['Claire@Example.org', 'Claire@Example.org']);
    expect(sent[0]!.messageId).toBe(sent[1]!.messageId);
    expect(sent[0]!.references).toMatch(/^<crm\.consultation\.[0-9a-f]{32}@example\.org>$/);
    expect(sent[0]!.text).toMatch(/https:\/\/crm\.example\.org\/answer\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}\n/);
    expect(sent[0]!.text).toContain('It works until Wednesday, December 2, 2026, 10:00 AM (Ottawa time), and no longer');
  });

  it('does not e-mail what a mailbox cannot update in place: a card closed or corrected, the live status', async () => {
    const before = sent.length;
    expect(await notifier.send(item({ payload: message({ updateOnly: true, replaceKey: 'member:c-1:claire@example.org' }) }))).toEqual({ ok: true, receipt: { skipped: 'in_place_update' } });
    expect(await notifier.send(item({ kind: 'status', payload: message({ kind: 'status', buttons: [], replaceKey: 'status:c-1:claire@example.org' }) }))).toEqual({ ok: true, receipt: { skipped: 'in_place_update' } });
    expect(sent).toHaveLength(before);
    // A request re-sent because the country's answer changed is e-mailed, saying so.
    const recorded = { who: 'Claire (Canada)', what: 'Supports', when: 'today' };
    expect(await notifier.send(item({ dedupeKey: 'member_request.c-1.claire.2', payload: message({ recorded, replaceKey: 'member:c-1:claire@example.org' }) }))).toMatchObject({ ok: true });
    expect(sent.at(-1)!.subject).toBe('Consultation CRM-2026-004: answer recorded (Supports)');
  });

  it('refuses for good what it cannot send: no person, no address, a bad payload', async () => {
    expect(await notifier.send(item({ recipient: { kind: 'secretariat_channel', slack: 'C1' } }))).toMatchObject({ ok: false, permanent: true });
    expect(await notifier.send(item({ recipient: { kind: 'person', personId: 'gone@example.org', name: 'Gone' } }))).toMatchObject({ ok: false, permanent: true, error: 'no address for this person on any platform' });
    expect(await notifier.send(item({ payload: { kind: 'x' } }))).toMatchObject({ ok: false, permanent: true });
  });
});

describe('the words of the e-mails and the answer page', () => {
  it('read right in both languages (test/helpers/language-checks.ts)', async () => {
    const { textProblems } = await import('../../../helpers/language-checks.ts');
    const { catalogues } = await import('../../../../src/i18n/index.ts');
    const { exampleDirectory } = await import('../../../helpers/engine.ts');
    const directory = await exampleDirectory();
    const params = { expires: 'Wednesday, December 2, 2026, 10:00 AM (Ottawa time)', reference: 'CRM-2026-004' };
    const problems: string[] = [];
    for (const locale of ['es', 'en'] as const) {
      for (const [key, message] of Object.entries(catalogues[locale])) {
        if (!key.startsWith('email.') && !key.startsWith('answer.')) continue;
        const p = { ...params, what: locale === 'es' ? 'Apoya' : 'Supports' };
        const text = typeof message === 'function' ? (message as (p: typeof params) => string)(p) : message;
        problems.push(...textProblems(text, locale, directory).map((p) => `${locale} ${key}: ${p}`));
      }
    }
    expect(problems).toEqual([]);
  });
});
