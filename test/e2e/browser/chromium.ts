/**
 * The browser for the browser tests: Debian's Chromium (`apt-get install -y chromium`; .ci/run installs it
 * when missing) driven by playwright-core, which never downloads a browser of its own. CHROMIUM_PATH
 * overrides where it is. As root (CI) Chromium needs `--no-sandbox`.
 *
 * Screenshots go to test-results/screenshots/ (gitignored); two of them are kept in docs/ for the README.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ROOT } from '../../helpers/run-bin.ts';

export const CHROMIUM = process.env['CHROMIUM_PATH'] || '/usr/bin/chromium';
export const SCREENSHOTS = join(ROOT, 'test-results', 'screenshots');

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`The browser tests need Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH); they never skip.`);
  }
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  return chromium.launch({ executablePath: CHROMIUM, args: asRoot ? ['--no-sandbox'] : [] });
}

/** Saves a screenshot of `page` (or of one element) as test-results/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string, options: { selector?: string; fullPage?: boolean } = {}): Promise<string> {
  await mkdir(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  if (options.selector) await page.locator(options.selector).screenshot({ path });
  else await page.screenshot({ path, fullPage: options.fullPage ?? false });
  return path;
}

/**
 * Every error the page's scripts throw or log. Chromium's own "Failed to load resource: … status of 4xx"
 * lines are left out: they report a refusal's HTTP status, which the tests check themselves.
 */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/^Failed to load resource: the server responded with a status of 4\d\d/.test(m.text())) errors.push(`console.error: ${m.text()}`);
  });
  return errors;
}
