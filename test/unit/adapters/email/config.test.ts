/** The e-mail settings (interfaces.md "E-mail"): off when unset, MAIL_FROM with SMTP_URL, defaults, and errors that name the variable but never repeat a secret. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fromAddress, loadEmailConfig } from '../../../../src/adapters/email/config.ts';
import { ConfigError } from '../../../../src/config.ts';

function problems(env: NodeJS.ProcessEnv): string[] {
  try {
    loadEmailConfig(env, 3000);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).problems;
  }
  throw new Error('expected loadEmailConfig to throw');
}

describe('loadEmailConfig', () => {
  it('is off without SMTP_URL (blank counts as unset)', () => {
    expect(loadEmailConfig({}, 3000)).toBeUndefined();
    expect(loadEmailConfig({ SMTP_URL: '  ', MAIL_FROM: '' }, 3000)).toBeUndefined();
  });

  it('with SMTP_URL and MAIL_FROM: PUBLIC_URL defaults to http://localhost:PORT, links last 30 days, the secret comes from the database', () => {
    expect(loadEmailConfig({ SMTP_URL: 'smtp://bot:s3cret@mail.example.org:587', MAIL_FROM: 'CRM <crm-bot@example.org>' }, 8080)).toEqual({
      smtpUrl: 'smtp://bot:s3cret@mail.example.org:587',
      mailFrom: 'CRM <crm-bot@example.org>',
      publicUrl: 'http://localhost:8080',
      linkTtlDays: 30,
    });
  });

  it('takes PUBLIC_URL without its trailing slash, CRM_LINK_SECRET and CRM_LINK_TTL_DAYS', () => {
    const c = loadEmailConfig(
      { SMTP_URL: 'smtps://mail.example.org', MAIL_FROM: 'crm-bot@example.org', PUBLIC_URL: 'https://crm.example.org/bot/', CRM_LINK_SECRET: 'x'.repeat(32), CRM_LINK_TTL_DAYS: '7' },
      3000,
    );
    expect(c).toMatchObject({ publicUrl: 'https://crm.example.org/bot', linkSecret: 'x'.repeat(32), linkTtlDays: 7 });
  });

  it('needs MAIL_FROM with SMTP_URL', () => {
    expect(problems({ SMTP_URL: 'smtp://mail.example.org' })).toEqual(['MAIL_FROM: required when SMTP_URL is set']);
  });

  it('names each wrong variable, and never quotes the value', () => {
    const found = problems({
      SMTP_URL: 'http://bot:hunter2-password@mail.example.org',
      MAIL_FROM: 'not an address',
      PUBLIC_URL: 'ftp://x',
      CRM_LINK_SECRET: 'short-secret',
      CRM_LINK_TTL_DAYS: '400',
    });
    expect(found.map((p) => p.split(':')[0])).toEqual(['SMTP_URL', 'MAIL_FROM', 'PUBLIC_URL', 'CRM_LINK_SECRET', 'CRM_LINK_TTL_DAYS']);
    expect(found.join('\n')).not.toContain('hunter2');
    expect(found.join('\n')).not.toContain('short-secret');
  });

  it('.env.example, used as is, leaves e-mail off', () => {
    const text = readFileSync(new URL('../../../../.env.example', import.meta.url), 'utf8');
    const env = Object.fromEntries([...text.matchAll(/^([A-Z][A-Z0-9_]+)=(.*)$/gm)].map((m) => [m[1]!, m[2]!]));
    expect(env).toHaveProperty('SMTP_URL', '');
    expect(loadEmailConfig(env, 3000)).toBeUndefined();
  });

  it('reads the bare address of MAIL_FROM', () => {
    expect(fromAddress('CRM bot <crm-bot@example.org>')).toBe('crm-bot@example.org');
    expect(fromAddress('crm-bot@example.org')).toBe('crm-bot@example.org');
  });
});
