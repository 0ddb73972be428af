/**
 * The e-mail answer page (`GET /answer/<token>`, src/adapters/email/answer-page.ts) in a real browser
 * (Debian's Chromium through playwright-core), on the e-mail world of test/e2e/email/harness.ts: the link in
 * a real e-mail, opened in Chromium, shows the request; an objection without a reason is refused on the form
 * by the server (the browser's own checks are off: `novalidate`); the approval clicked is recorded once with
 * `platform: email`; a tampered link shows the clear refusal page. The page runs no script. Screenshots are
 * saved under test-results/screenshots/.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsultationState } from '../../../src/domain/types.ts';
import { startConsultation } from '../../../src/flows/consultation-flows.ts';
import { EMAIL_ONLY, startEmailWorld, type EmailWorld } from '../email/harness.ts';
import { collectPageErrors, launchChromium, screenshot } from './chromium.ts';

const PPT = 'itzel.castillo@example.org'; // PA, the PPT in office (the example directory)

let w: EmailWorld;
let state: ConsultationState;
let browser: Browser;
let page: Page;
let pageErrors: string[];

beforeAll(async () => {
  w = await startEmailWorld('answer_page_browser');
  const started = await startConsultation(w.engine.deps, {
    key: 'browser-email:start',
    actor: w.actor(PPT),
    title: 'Protección de personas migrantes en tránsito',
    text: 'Propuesta de <b>acción</b> concertada & apoyo a las personas migrantes.\n\nSegundo párrafo.',
    deadline: { kind: 'business_days', days: 5 },
  });
  if (!started.ok) throw new Error(`start refused: ${started.code}`);
  state = started.state;
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 800, height: 1000 }, javaScriptEnabled: true });
  pageErrors = collectPageErrors(page);
}, 120_000);

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await w?.stop();
});

const reacted = () => w.engine.db.prisma.consultationEvent.findMany({ where: { consultationId: state.consultationId, type: 'troika_reacted' } });

describe('the e-mail answer page in Chromium', () => {
  it('opens from the e-mail, refuses an objection without a reason, records the approval once on platform email', { timeout: 120_000 }, async () => {
    const { token } = await w.mailTo(EMAIL_ONLY.rodrigo, state.reference, 'Troika');
    expect(token).toBeDefined();
    const url = `${w.baseUrl}/answer/${token!}`;

    const opened = await page.goto(url);
    expect(opened?.status()).toBe(200);
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('es');
    await expect(page.getByText('Propuesta de <b>acción</b> concertada & apoyo', { exact: false }).count()).resolves.toBeGreaterThan(0);
    expect(await page.locator('script').count()).toBe(0);
    for (const name of ['Aprobar circulación', 'Solicitar cambios', 'Objetar']) await expect(page.getByRole('button', { name, exact: true }).count()).resolves.toBe(1);
    await screenshot(page, 'answer-1-troika-request', { fullPage: true });
    expect(await reacted()).toHaveLength(0); // opening the link records nothing

    // An objection with no reason: refused on the form, by the server, nothing recorded.
    await page.getByRole('button', { name: 'Objetar', exact: true }).click();
    await page.waitForLoadState();
    await expect(page.getByText('Debe indicar el motivo.').count()).resolves.toBeGreaterThan(0);
    await expect(page.locator('textarea[name="reason"]').getAttribute('aria-invalid')).resolves.toBe('true');
    expect(await reacted()).toHaveLength(0);

    // The approval.
    const [response] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.getByRole('button', { name: 'Aprobar circulación', exact: true }).click()]);
    expect(response.status()).toBe(200);
    await expect(page.getByText('Respuesta registrada').count()).resolves.toBeGreaterThan(0);
    await screenshot(page, 'answer-2-recorded', { fullPage: true });
    const events = await reacted();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actorPlatform: 'email', actorPersonId: EMAIL_ONLY.rodrigo });

    // The link opened again and the same click: recorded once, and said so.
    await page.goto(url);
    await page.getByRole('button', { name: 'Aprobar circulación', exact: true }).click();
    await page.waitForLoadState();
    await expect(page.getByText('ya se había enviado con este enlace', { exact: false }).count()).resolves.toBeGreaterThan(0);
    expect(await reacted()).toHaveLength(1);
    expect(pageErrors).toEqual([]);
  });

  it('a tampered link shows the refusal page in both languages, and records nothing', async () => {
    const { token } = await w.mailTo(EMAIL_ONLY.rodrigo, state.reference, 'Troika');
    const tampered = `${token!.slice(0, -3)}${token!.endsWith('AAA') ? 'BBB' : 'AAA'}`;
    const opened = await page.goto(`${w.baseUrl}/answer/${tampered}`);
    expect(opened?.status()).toBe(400);
    const text = await page.locator('body').innerText();
    expect(text).toMatch(/enlace/i);
    expect(text).toMatch(/link/i);
    expect(await page.locator('form').count()).toBe(0);
    await screenshot(page, 'answer-3-tampered-link', { fullPage: true });
    expect(await reacted()).toHaveLength(1);
  });
});
