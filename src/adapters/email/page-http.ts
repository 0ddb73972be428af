/** What every answer page shares: the HTML response with its security headers, the refusal of a link that is not ours. */
import type { ServerResponse } from 'node:http';
import type { RequestContext } from '../../http/server.ts';
import { t } from '../../i18n/index.ts';
import { bilingualRefusalPage } from './answer-views.ts';

const SECURITY_HEADERS = {
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'x-robots-tag': 'noindex, nofollow',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
} as const;

export function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(html), ...SECURITY_HEADERS });
  res.end(html);
}


export type Refused = { status: number; html: string; code: string; consultationId?: string };

export const INVALID: Refused = {
  status: 400,
  code: 'link_invalid',
  html: bilingualRefusalPage(
    { es: t('es', 'answer.invalid_heading'), en: t('en', 'answer.invalid_heading') },
    { es: t('es', 'answer.invalid'), en: t('en', 'answer.invalid') },
  ),
};


export function refuse(ctx: RequestContext, r: Refused): void {
  ctx.log.info({ adapter: 'email', refusal: r.code, ...(r.consultationId ? { consultationId: r.consultationId } : {}) }, 'answer link refused');
  sendHtml(ctx.res, r.status, r.html);
}

