/**
 * E-mail configuration (interfaces.md "E-mail"), parsed with zod from the environment the composition
 * root passes in. E-mail is off when SMTP_URL is unset; MAIL_FROM is then required.
 *
 * | variable            | meaning                                                     | when unset              |
 * |---------------------|-------------------------------------------------------------|-------------------------|
 * | SMTP_URL            | smtp:// or smtps:// URL, credentials included               | e-mail off              |
 * | MAIL_FROM           | sender: `bot@example.org` or `CRM Bot <bot@example.org>`    | required with SMTP_URL  |
 * | PUBLIC_URL          | the bot's public base URL, for the answer links             | http://localhost:PORT   |
 * | CRM_LINK_SECRET     | HMAC key of the answer links (at least 32 characters)       | generated once, kept in the database |
 * | CRM_LINK_TTL_DAYS   | days an answer link works (the close ends it sooner)        | 30                      |
 *
 * Errors name the variable and never repeat its value (SMTP_URL carries a password).
 */
import { z } from 'zod';
import { ConfigError } from '../../config.ts';
import { MIN_SECRET_LENGTH } from './links.ts';

const blankAsUnset = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : typeof v === 'string' ? v.trim() : v);

const smtpUrl = z.string().refine((s) => {
  try {
    const u = new URL(s);
    return (u.protocol === 'smtp:' || u.protocol === 'smtps:') && u.hostname !== '';
  } catch {
    return false;
  }
}, 'expected an smtp:// or smtps:// URL with a host (smtp://user:pass@host:587)');

/** `addr@domain` or `Display Name <addr@domain>`. */
const ADDRESS = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;
const mailFrom = z.string().refine((s) => {
  const m = /^(.*)<([^<>]+)>$/.exec(s);
  return ADDRESS.test(m ? m[2]!.trim() : s);
}, 'expected an e-mail address, e.g. crm-bot@example.org or "CRM bot <crm-bot@example.org>"');

const publicUrl = z.string().refine((s) => {
  try {
    const u = new URL(s);
    return (u.protocol === 'http:' || u.protocol === 'https:') && !u.search && !u.hash;
  } catch {
    return false;
  }
}, 'expected an http:// or https:// URL without query or fragment, e.g. https://crm-bot.example.org');

const schema = z
  .object({
    SMTP_URL: z.preprocess(blankAsUnset, smtpUrl.optional()),
    MAIL_FROM: z.preprocess(blankAsUnset, mailFrom.optional()),
    PUBLIC_URL: z.preprocess(blankAsUnset, publicUrl.optional()),
    CRM_LINK_SECRET: z.preprocess(
      blankAsUnset,
      z.string().min(MIN_SECRET_LENGTH, `must have at least ${MIN_SECRET_LENGTH} characters (e.g. openssl rand -base64 32)`).optional(),
    ),
    CRM_LINK_TTL_DAYS: z.preprocess(
      blankAsUnset,
      z.coerce.number({ message: 'expected a whole number of days' }).int('expected a whole number of days').min(1).max(90).default(30),
    ),
  })
  .superRefine((e, ctx) => {
    if (e.SMTP_URL && !e.MAIL_FROM) ctx.addIssue({ code: 'custom', path: ['MAIL_FROM'], message: 'required when SMTP_URL is set' });
  });

export interface EmailConfig {
  /** Secret: never log it (it carries the SMTP password). */
  smtpUrl: string;
  mailFrom: string;
  /** Without a trailing slash. */
  publicUrl: string;
  /** Secret. Undefined: the one stored in the database. */
  linkSecret?: string;
  linkTtlDays: number;
}

/** The e-mail configuration, or undefined when SMTP_URL is unset (e-mail off). Throws ConfigError. */
export function loadEmailConfig(env: NodeJS.ProcessEnv, port: number): EmailConfig | undefined {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    // zod's messages are ours; the issue never quotes the input, so no secret can leak through here.
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  if (!e.SMTP_URL) return undefined;
  return {
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM!,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/+$/, ''),
    ...(e.CRM_LINK_SECRET ? { linkSecret: e.CRM_LINK_SECRET } : {}),
    linkTtlDays: e.CRM_LINK_TTL_DAYS,
  };
}

/** The bare address of MAIL_FROM (for Message-ID domains). */
export function fromAddress(mailFrom: string): string {
  const m = /<([^<>]+)>\s*$/.exec(mailFrom);
  return (m ? m[1]! : mailFrom).trim();
}
