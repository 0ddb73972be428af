/**
 * The local console in a real browser (Debian's Chromium through playwright-core), on the bot as `npm start`
 * runs it with neither Slack nor Teams configured (the console on by default, on 127.0.0.1), on a fresh
 * PostgreSQL database and BullMQ on Redis: a whole consultation played from every seat.
 *
 *   the PPT types `consulta`, fills in the form (the Teams Adaptive Card, rendered by Microsoft's renderer)
 *   and sends it → every Troika country approves from its card → every Member Country answers from its card
 *   (one objects through the reason form, then changes its mind; one abstains) → the consultation closes as
 *   soon as all have answered → the digest is in the ST channel's entry.
 *
 * Every click is recorded with `platform: console`. Buttons are found by their titles in each person's
 * language. Screenshots are saved under test-results/screenshots/.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pptInOffice } from '../../../src/domain/authority.ts';
import { dateInZone } from '../../../src/domain/time.ts';
import { parseDay } from '../../../src/calendar/civil.ts';
import { zonedInstant } from '../../../src/calendar/tz.ts';
import type { Directory, FocalPoint, Locale } from '../../../src/directory/model.ts';
import { troikaAt } from '../../../src/directory/presidency.ts';
import { t } from '../../../src/i18n/index.ts';
import { createLogger } from '../../../src/log.ts';
import { startBot, type RunningBot } from '../../../src/main.ts';
import { createPostgresDatabase, type TestPostgres } from '../../helpers/db.ts';
import { collectPageErrors, launchChromium, screenshot, SCREENSHOTS } from './chromium.ts';

let db: TestPostgres;
let bot: RunningBot;
let browser: Browser;
let page: Page;
let base: string;
let pageErrors: string[];
const logLines: string[] = [];

beforeAll(async () => {
  db = await createPostgresDatabase('console_browser');
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logLines.push(chunk.toString('utf8'));
      cb();
    },
  });
  bot = await startBot(
    {
      PORT: '0',
      DATABASE_URL: db.url,
      REDIS_URL: 'redis://127.0.0.1:6379',
      CRM_JOBS_PREFIX: `t_console_${randomBytes(4).toString('hex')}`,
      CRM_WEEKLY_DIGEST: 'off',
    },
    { logger: createLogger('info', { destination: sink }), drainMs: 2_000 },
  );
  base = `http://127.0.0.1:${bot.port}`;
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 900, height: 1100 }, locale: 'es-CR' });
  pageErrors = collectPageErrors(page);
}, 120_000);

afterAll(async () => {
  await mkdir(SCREENSHOTS, { recursive: true });
  await writeFile(join(SCREENSHOTS, '..', 'console-browser.log'), logLines.join(''));
  await browser?.close().catch(() => undefined);
  await bot?.stop().catch(() => undefined);
  await db?.drop().catch(() => undefined);
});

const CARD_WAIT = 45_000;

async function seat(id: string): Promise<void> {
  if (!page.url().startsWith(`${base}/console`)) await page.goto(`${base}/console`);
  await page.selectOption('select[name="person"]', id);
  await page.locator(`#messages[data-seat="${id}"][data-ready="true"]`).waitFor({ state: 'attached', timeout: CARD_WAIT });
}

/** Waits for `card`; on a timeout, what the seat shows goes into the error (and a screenshot is saved). */
async function shown(card: Locator, what: string): Promise<void> {
  try {
    await card.waitFor({ timeout: CARD_WAIT });
  } catch (e) {
    await screenshot(page, `failed-${what.replace(/[^a-z0-9]+/gi, '-')}`, { fullPage: true }).catch(() => undefined);
    const seen = await page.locator('article.entry').allTextContents().catch(() => []);
    throw new Error(`${what}: not shown in seat ${await page.locator('#messages').getAttribute('data-seat')}; it shows:\n${seen.map((x) => x.slice(0, 200)).join('\n---\n')}`, { cause: e });
  }
}

/** The card once shown, by its id: it keeps being found after an update takes its buttons away. */
async function pinned(card: Locator, what: string): Promise<Locator> {
  await shown(card, what);
  const id = await card.getAttribute('data-id');
  return page.locator(`article.entry[data-id="${id}"]`);
}

/** The seat's card about `reference` that has a button titled `button`. */
function cardWith(reference: string, button: string): Locator {
  return page.locator('article.entry', { hasText: reference }).filter({ has: page.getByRole('button', { name: button, exact: true }) }).last();
}

const first = (directory: Directory, code: string): FocalPoint => {
  const fp = directory.countries.find((c) => c.code === code)?.focalPoints[0];
  if (!fp) throw new Error(`no focal point for ${code}`);
  return fp;
};

const recordedBy = (l: Locale, name: string, country: string) => t(l, 'card.recorded', { who: t(l, 'slack.who', { name, country }), what: '§', when: '§' }).split('§')[0]!;

describe('the local console in Chromium', () => {
  it('serves the page on 127.0.0.1 with the picker, the command box and the ST channel entry', async () => {
    expect(bot.console).toBeDefined();
    await page.goto(`${base}/console`);
    const options = await page.locator('select[name="person"] option').evaluateAll((els) => els.map((e) => ({ value: (e as unknown as { value: string }).value, label: e.textContent })));
    const directory = bot.engine.directory.current();
    for (const c of directory.countries) for (const fp of c.focalPoints) expect(options).toContainEqual({ value: fp.id, label: fp.name });
    for (const s of directory.secretariat.staff) expect(options).toContainEqual({ value: s.id, label: s.name });
    expect(options.map((o) => o.value)).toContain('st-channel');
    await expect(page.locator('input[name="command"]').count()).resolves.toBe(1);
  });

  it('plays a whole consultation from every seat, and the digest reaches the ST channel', { timeout: 300_000 }, async () => {
    const directory = bot.engine.directory.current();
    const now = new Date();
    const ppt = pptInOffice({ members: [], presidencies: directory.presidencies, secretariatTimeZone: directory.secretariat.timezone }, now)!;
    const troika = troikaAt(directory.presidencies, dateInZone(now, directory.secretariat.timezone))!;
    const author = first(directory, ppt);
    const la = author.locale;
    const title = `Consola ${randomBytes(3).toString('hex')}: cooperación consular`;

    // --- the PPT starts it with the form
    await seat(author.id);
    await page.fill('input[name="command"]', 'consulta');
    await page.press('input[name="command"]', 'Enter');
    const form = page.locator('article.entry', { hasText: t(la, 'form.consultation_new.heading') }).last();
    await form.waitFor({ timeout: CARD_WAIT });
    await expect(page.locator('input[name="command"]').inputValue()).resolves.toBe('');
    await form.getByLabel(t(la, 'form.title.label')).first().fill(title);
    await form.getByLabel(t(la, 'form.proposal.label')).first().fill('La CRM acuerda intercambiar buenas prácticas consulares.\n\nSegundo párrafo.');
    await screenshot(page, 'console-1-new-consultation-form', { selector: 'article.entry >> nth=-1' });
    await form.getByRole('button', { name: t(la, 'form.consultation_new.submit'), exact: true }).click();
    const started = page.locator('article.entry', { hasText: title }).filter({ hasText: /CRM-\d{4}-\d{3}/ }).last();
    await started.waitFor({ timeout: CARD_WAIT });
    const reference = /CRM-\d{4}-\d{3}/.exec(await started.innerText())![0];

    // --- the Troika approves, each country from its own seat (the PPT's country sent it: approved already)
    const reviewers = troika.countries.filter((c) => c !== ppt);
    for (const code of reviewers) {
      const fp = first(directory, code);
      await seat(fp.id);
      const approve = t(fp.locale, 'troika_request.approve');
      const card = await pinned(cardWith(reference, approve), `the Troika card of ${code}`);
      if (code === reviewers[0]) await screenshot(page, 'console-2-troika-card', { selector: `article.entry:has-text("${reference}") >> nth=-1` });
      await card.getByRole('button', { name: approve, exact: true }).click();
      await expect.poll(() => card.innerText(), { timeout: CARD_WAIT }).toContain(recordedBy(fp.locale, fp.name, countryLabel(directory, code, fp.locale)));
    }

    // --- every Member Country answers: one objects with a reason, then supports; the United States abstain
    const members = directory.countries.filter((c) => c.status === 'member');
    const changesMind = members.find((c) => c.code !== ppt && c.code !== 'US')!.code;
    for (const c of members) {
      const fp = first(directory, c.code);
      const l = fp.locale;
      await seat(fp.id);
      const support = t(l, 'member_request.support');
      const card = await pinned(cardWith(reference, support), `the member card of ${c.code}`);
      const who = recordedBy(l, fp.name, countryLabel(directory, c.code, l));
      if (c.code === changesMind) {
        await card.getByRole('button', { name: t(l, 'member_request.object'), exact: true }).click();
        const reasonForm = page.locator('article.entry', { hasText: t(l, 'form.reason.heading.position_object') }).last();
        await reasonForm.waitFor({ timeout: CARD_WAIT });
        await reasonForm.getByLabel(t(l, 'form.reason.label')).first().fill('Falta una referencia al protocolo regional.');
        await reasonForm.getByRole('button', { name: t(l, 'form.reason.submit'), exact: true }).click();
        await expect.poll(() => card.innerText(), { timeout: CARD_WAIT }).toContain(`${who}`);
        await expect.poll(() => card.innerText(), { timeout: CARD_WAIT }).toContain('Falta una referencia al protocolo regional.');
        await expect(reasonForm.count()).resolves.toBe(0); // the form closed once the card showed the decision
      }
      const button = c.code === 'US' ? t(l, 'member_request.abstain') : support;
      const what = c.code === 'US' ? t(l, 'position.abstain') : t(l, 'position.support');
      await card.getByRole('button', { name: button, exact: true }).click();
      await expect.poll(() => card.innerText(), { timeout: CARD_WAIT }).toMatch(new RegExp(`${escapeRe(who)}[^\\n]*${escapeRe(what)}`));
      if (c.code === changesMind) await screenshot(page, 'console-3-member-card-updated', { selector: `article.entry:has-text("${reference}") >> nth=-1` });
    }

    // --- the consultation closed when all had answered; the digest is in the ST channel's entry
    await seat('st-channel');
    const stLocale = directory.secretariat.locale;
    const digest = page.locator('article.entry', { hasText: t(stLocale, 'digest.heading', { reference }) }).last();
    await shown(digest, 'the digest');
    await expect(page.locator('input[name="command"]').isDisabled()).resolves.toBe(true);
    await digest.scrollIntoViewIfNeeded();
    await screenshot(page, 'console-4-st-channel-digest', { selector: `article.entry:has-text("${t(stLocale, 'digest.heading', { reference })}") >> nth=-1` });
    await screenshot(page, 'console-5-st-channel-page');
    // The seat's status pictures: the consultation's matrix and timeline, shown as images from the console.
    const pictures = page.locator(`#pictures[data-ready="true"] figure[data-reference="${reference}"] img`);
    await expect.poll(() => pictures.evaluateAll((imgs) => imgs.map((i) => (i as unknown as { complete: boolean; naturalWidth: number }).complete && (i as unknown as { naturalWidth: number }).naturalWidth > 0)), { timeout: CARD_WAIT }).toEqual([true, true]);

    // --- the record: every click with platform console, the outcome consensus
    const stored = await bot.engine.consultations.loadByReference(reference);
    expect(stored?.stage).toBe('closed');
    expect((stored?.snapshot as { outcome?: string }).outcome).toBe('consensus');
    const events = await bot.engine.consultations.events(stored!.id);
    const decisions = events.filter((e) => e.type === 'troika_reacted' || e.type === 'position_recorded');
    expect(decisions.length).toBe(reviewers.length + members.length + 1);
    for (const e of decisions) expect(e.actorPlatform).toBe('console');
    expect(events.find((e) => e.type === 'consultation_started')?.actorPlatform).toBe('console');
    expect(pageErrors).toEqual([]);
  });

  it('a form refused on a field comes back with the error under it and what was typed; an explicit deadline is read in the person’s zone', { timeout: 120_000 }, async () => {
    const directory = bot.engine.directory.current();
    const now = new Date();
    const ppt = pptInOffice({ members: [], presidencies: directory.presidencies, secretariatTimeZone: directory.secretariat.timezone }, now)!;
    const author = first(directory, ppt);
    const l = author.locale;
    const title = `Plazo expreso ${randomBytes(3).toString('hex')}`;
    const day = dateInZone(new Date(now.getTime() + 12 * 86_400_000), author.timezone);
    await seat(author.id);
    await page.fill('input[name="command"]', 'consulta');
    await page.press('input[name="command"]', 'Enter');
    const form = await pinned(page.locator('article.entry', { hasText: t(l, 'form.consultation_new.heading') }).last(), 'the new-consultation form');
    await form.getByLabel(t(l, 'form.title.label')).first().fill(title);
    await form.getByLabel(t(l, 'form.proposal.label')).first().fill('Texto con plazo expreso.');
    await form.getByLabel(t(l, 'form.deadline.label')).first().fill(day);
    await form.getByLabel(t(l, 'form.deadline.time_label')).first().fill('17:30');
    // An explicit deadline needs a justification: refused on that field, nothing started.
    await form.getByRole('button', { name: t(l, 'form.consultation_new.submit'), exact: true }).click();
    await expect.poll(() => form.innerText(), { timeout: CARD_WAIT }).toContain(t(l, 'refusal.justification_required'));
    await expect(form.getByLabel(t(l, 'form.title.label')).first().inputValue()).resolves.toBe(title);
    await expect(form.getByLabel(t(l, 'form.deadline.time_label')).first().inputValue()).resolves.toBe('17:30');
    expect((await bot.engine.consultations.listConsultations()).some((c) => c.title === title)).toBe(false);
    await screenshot(page, 'console-6-field-error', { selector: `article.entry[data-id="${await form.getAttribute('data-id')}"]` });
    await form.getByLabel(t(l, 'form.justification.label')).first().fill('Reunión ministerial adelantada.');
    await form.getByRole('button', { name: t(l, 'form.consultation_new.submit'), exact: true }).click();
    await shown(page.locator('article.entry', { hasText: title }).filter({ hasText: /CRM-\d{4}-\d{3}/ }).last(), 'the started notice');
    const started = (await bot.engine.consultations.listConsultations()).find((c) => c.title === title);
    const stored = await bot.engine.consultations.loadByReference(started!.reference);
    // Under Troika review the deadline is still the request (it is fixed when the text circulates).
    expect((stored?.snapshot as { deadlineRequest?: unknown }).deadlineRequest).toEqual({ kind: 'explicit', at: zonedInstant(parseDay(day), author.timezone, 17, 30).toISOString() });
  });

  it('refuses bad input with a message in both languages, and changes nothing', async () => {
    const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
      fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    const before = (await bot.engine.consultations.listConsultations()).length;
    const stranger = await post('/console/command', { person: 'nobody@example.org', command: 'lista', click: 'click-0001' });
    expect(stranger.status).toBe(400);
    expect(((await stranger.json()) as { message: string }).message).toMatch(/Elija una persona del directorio\. \/ Pick a person from the directory\./);
    const directory = bot.engine.directory.current();
    const someone = directory.countries[0]!.focalPoints[0]!.id;
    const twoLines = await post('/console/command', { person: someone, command: 'lista\nayuda', click: 'click-0002' });
    expect(twoLines.status).toBe(400);
    expect(((await twoLines.json()) as { message: string }).message).toContain(' / Type a one-line command');
    const forged = await post('/console/action', { person: someone, card: '00000000-0000-4000-8000-000000000000', verb: 'position_support', data: { c: 'x', v: 'y' }, click: 'click-0003' });
    expect(forged.status).toBe(404);
    const badVerb = await post('/console/action', { person: someone, card: '00000000-0000-4000-8000-000000000000', verb: 'drop_table', data: {}, click: 'click-0004' });
    expect([400, 404]).toContain(badVerb.status);
    const channel = await post('/console/command', { person: 'st-channel', command: 'lista', click: 'click-0005' });
    expect(channel.status).toBe(400);
    // DNS rebinding (a page elsewhere pointing its name at 127.0.0.1) and cross-site posts are refused.
    expect(await statusWithHost(bot.port, '/console', 'evil.example:3000')).toBe(403);
    expect(await statusWithHost(bot.port, '/console', `localhost:${bot.port}`)).toBe(200);
    const crossSite = await post('/console/command', { person: someone, command: 'lista', click: 'click-0006' }, { origin: 'http://evil.example' });
    expect(crossSite.status).toBe(403);
    const notJson = await fetch(`${base}/console/command`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'person=x' });
    expect(notJson.status).toBe(403);
    expect((await bot.engine.consultations.listConsultations()).length).toBe(before);
  });
});

/** GET with a Host header of our choice (fetch will not send one). */
function statusWithHost(port: number, path: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

function countryLabel(directory: Directory, code: string, l: Locale): string {
  const c = directory.countries.find((x) => x.code === code)!;
  return c.name[l];
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
