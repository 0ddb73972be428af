/**
 * The e-mail notifier through nodemailer to a real SMTP server on loopback (test/helpers/smtp.ts), with
 * SMTP AUTH: what arrives (envelope, headers, multipart text + HTML, the answer link), the same Message-ID
 * on a retry, and SMTP replies mapped to outcomes (5xx permanent, 4xx and no server transient).
 */
import { createServer } from 'node:net';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmailNotifier, messageIdFor } from '../../../src/adapters/email/email-notifier.ts';
import { LinkSigner } from '../../../src/adapters/email/links.ts';
import type { Directory } from '../../../src/directory/model.ts';
import type { DeliveryItem } from '../../../src/jobs/notifier.ts';
import { buttonValue, type NeutralMessage } from '../../../src/messages/neutral.ts';
import { exampleDirectory } from '../../helpers/engine.ts';
import { startTestSmtp, type TestSmtp } from '../../helpers/smtp.ts';

const FROM = 'CRM bot <crm-bot@example.org>';
const HASH = 'c'.repeat(64);
const links = new LinkSigner('integration-secret-0123456789abcdef');
let smtp: TestSmtp;
let directory: Directory;

const notifierFor = (url: string) =>
  new EmailNotifier({
    transport: nodemailer.createTransport({ url, connectionTimeout: 5_000, greetingTimeout: 5_000, socketTimeout: 5_000 }),
    from: FROM,
    publicUrl: 'https://crm.example.org',
    links,
    linkTtlMs: 30 * 86_400_000,
    directory: () => directory,
  });

const message: NeutralMessage = {
  kind: 'member_request',
  locale: 'es',
  consultationId: 'c-42',
  reference: 'CRM-2026-042',
  heading: 'Consulta CRM-2026-042: se solicita la posición de Costa Rica',
  body: ['La Presidencia Pro Tempore somete a consulta «Protección de personas migrantes».'],
  quote: 'Texto de la propuesta, con <etiquetas> & signos.',
  fields: [{ label: 'Referencia', value: 'CRM-2026-042' }],
  buttons: [
    { actionId: 'position_support', label: 'Apoyar', value: buttonValue('c-42', HASH), style: 'primary' },
    { actionId: 'position_object', label: 'Objetar', value: buttonValue('c-42', HASH), style: 'danger' },
    { actionId: 'position_abstain', label: 'Abstenerse', value: buttonValue('c-42', HASH) },
  ],
};
let n = 0;
const item = (dedupeKey = `member_request.c-42.${++n}`): DeliveryItem => ({
  id: `o-${n}`,
  dedupeKey,
  platform: 'email',
  kind: 'member_request',
  recipient: { kind: 'person', personId: 'luis.mora@example.org', name: 'Luis Mora Solís' },
  payload: message,
  attempts: 0,
});

beforeAll(async () => {
  directory = await exampleDirectory();
  smtp = await startTestSmtp({ user: 'crm-bot', pass: 'smtp-pass-Zq81' });
});
afterAll(async () => {
  await smtp?.close();
});

describe('EmailNotifier over SMTP', () => {
  it('delivers a multipart e-mail with the answer link, authenticated, from MAIL_FROM to the directory’s address', async () => {
    const notifier = notifierFor(smtp.url);
    const row = item();
    const outcome = await notifier.send(row);
    expect(outcome).toEqual({ ok: true, receipt: { messageId: messageIdFor(row.dedupeKey, FROM) } });
    const mail = await smtp.waitFor((m) => m.parsed.messageId === messageIdFor(row.dedupeKey, FROM), 'the e-mail');
    expect(mail.user).toBe('crm-bot');
    expect(mail.envelope).toEqual({ from: 'crm-bot@example.org', to: ['luis.mora@example.org'] });
    expect(mail.parsed.from?.value).toEqual([{ name: 'CRM bot', address: 'crm-bot@example.org' }]);
    expect(mail.parsed.subject).toBe(message.heading);
    expect(mail.raw).toMatch(/Content-Type: multipart\/alternative/i);
    expect(mail.parsed.headers.get('auto-submitted')).toBe('auto-generated');
    expect(mail.parsed.references).toMatch(/^<crm\.consultation\.[0-9a-f]{32}@example\.org>$/);
    const text = mail.parsed.text ?? '';
    const html = typeof mail.parsed.html === 'string' ? mail.parsed.html : '';
    const url = /https:\/\/crm\.example\.org\/answer\/([A-Za-z0-9_.-]+)/.exec(text)?.[0];
    expect(url).toBeDefined();
    expect(html).toContain(`href="${url}"`);
    expect(html).toContain('con &lt;etiquetas&gt; &amp; signos.');
    expect(text).toContain('> Texto de la propuesta, con <etiquetas> & signos.');
    expect(text).toContain('El enlace es personal');
    const check = links.verify(url!.split('/answer/')[1]!, new Date());
    expect(check).toMatchObject({ ok: true, claims: { c: 'c-42', t: HASH, k: 'member', p: links.personRef('luis.mora@example.org') } });
  });

  it('a retry of the same row carries the same Message-ID', async () => {
    const notifier = notifierFor(smtp.url);
    const row = item();
    await notifier.send(row);
    await notifier.send({ ...row, attempts: 1 });
    const id = messageIdFor(row.dedupeKey, FROM);
    await smtp.waitFor((m) => smtp.received.filter((x) => x.parsed.messageId === id).length === 2 && m.parsed.messageId === id, 'both attempts');
  });

  it('a 5xx reply to the recipient is permanent, a 4xx transient; the error keeps no address', async () => {
    const notifier = notifierFor(smtp.url);
    smtp.rejectRecipient(550);
    const permanent = await notifier.send(item());
    smtp.clearRejections();
    smtp.rejectRecipient(451);
    const transient = await notifier.send(item());
    smtp.clearRejections();
    expect(permanent).toEqual({ ok: false, permanent: true, error: 'smtp 550 (EENVELOPE)' });
    expect(transient).toEqual({ ok: false, error: 'smtp 451 (EENVELOPE)' });
  });

  it('wrong SMTP credentials are a 5xx (permanent); no server at all is transient', async () => {
    const bad = await notifierFor(smtp.url.replace('smtp-pass-Zq81', 'wrong')).send(item());
    expect(bad).toMatchObject({ ok: false, permanent: true, error: expect.stringMatching(/^smtp 535/) });
    expect(JSON.stringify(bad)).not.toContain('wrong');
    // A port nobody listens on: take a free one, then close it.
    const free = createServer();
    await new Promise<void>((r) => free.listen(0, '127.0.0.1', () => r()));
    const port = (free.address() as { port: number }).port;
    await new Promise<void>((r) => free.close(() => r()));
    expect(await notifierFor(`smtp://127.0.0.1:${port}`).send(item())).toEqual({ ok: false, error: expect.stringMatching(/^smtp E[A-Z]+$/) });
  });
});
