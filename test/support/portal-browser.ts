import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';

// Helpers for browser tests of the portal (web/dist served by a real server), in Debian's Chromium.

export const chromiumPath = '/usr/bin/chromium';
export const hasChromium = existsSync(chromiumPath);
export const screenshotDir = fileURLToPath(new URL('../../test-output/screenshots/', import.meta.url));

export async function launchBrowser(): Promise<Browser> {
  mkdirSync(screenshotDir, { recursive: true });
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** A fresh profile (no cookies) that starts in English; returns the page and its context to close. */
export async function englishPage(browser: Browser) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 860 }, locale: 'en-GB' });
  await context.addInitScript(() => {
    if (!window.localStorage.getItem('mitra.lang')) window.localStorage.setItem('mitra.lang', 'en');
  });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  return { page, context };
}

export async function signInAs(page: Page, baseUrl: string, email: string, password = 'demo-password') {
  await page.goto(`${baseUrl}/login`);
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
}

export async function switchLanguage(page: Page, language: 'en' | 'id') {
  await page.getByTestId('language-switch').click();
  await page.getByTestId(`language-option-${language}`).click();
  await page.waitForFunction((lang) => document.documentElement.lang === lang, language);
}

/** The portal scrolls inside <main>, so grow the window to the content for a whole-page picture. */
export async function screenshotWhole(page: Page, name: string) {
  await page.mouse.move(1, 1); // no hover tooltip in the picture
  await page.waitForTimeout(300); // let Fluent's short transitions settle
  const viewport = page.viewportSize()!;
  const needed = await page.evaluate(() => {
    const main = document.querySelector('main');
    return main ? Math.ceil(main.getBoundingClientRect().top + main.scrollHeight) : 0;
  });
  const height = Math.min(Math.max(needed, viewport.height), 2400);
  if (height !== viewport.height) await page.setViewportSize({ width: viewport.width, height });
  await page.waitForTimeout(150);
  await page.screenshot({ path: `${screenshotDir}${name}.png` });
  if (height !== viewport.height) await page.setViewportSize(viewport);
}

/** What the English UI shows for a USD amount ("1059.660000" → "US$1,059.66"). */
export const usd = (amount: string) =>
  new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'USD' }).format(
    amount as Intl.StringNumericLiteral,
  );
