import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../support/server.ts';

// Drives the real portal (web/dist, built by `npm run build:web`) against a real server with the demo
// data, in Debian's Chromium. Screenshots land in test-output/screenshots/ for people to look at.

const chromiumPath = '/usr/bin/chromium';
const hasChromium = existsSync(chromiumPath);
if (!hasChromium) {
  console.warn(
    `Skipping the portal browser tests: ${chromiumPath} does not exist (apt-get install chromium).`,
  );
}

const screenshots = fileURLToPath(new URL('../../test-output/screenshots/', import.meta.url));
const password = 'demo-password';
const testTimeout = 60_000;

describe.skipIf(!hasChromium)('portal in a browser', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    server = await startTestServer({ demo: true });
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  }, 120_000);

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await server?.close();
  }, 60_000);

  /** A fresh browser profile (no cookies) that starts in English unless the page switches language. */
  async function newPage(): Promise<Page> {
    const context = await browser.newContext({
      viewport: { width: 1366, height: 860 },
      locale: 'en-GB',
      acceptDownloads: true,
    });
    contexts.push(context);
    await context.addInitScript(() => {
      if (!window.localStorage.getItem('mitra.lang')) window.localStorage.setItem('mitra.lang', 'en');
    });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    return page;
  }

  async function signIn(page: Page, email: string, secret = password) {
    await page.goto(`${server.url}/login`);
    await page.getByTestId('login-email').fill(email);
    await page.getByTestId('login-password').fill(secret);
    await page.getByTestId('login-submit').click();
  }

  async function shoot(page: Page, name: string) {
    await page.waitForTimeout(300); // let Fluent's short transitions settle
    await page.screenshot({ path: `${screenshots}${name}.png`, fullPage: true });
  }

  it(
    'shows the API message when sign-in fails',
    async () => {
      const page = await newPage();
      await signIn(page, 'admin@contoso-partner.example', 'not-the-password');
      const error = page.getByTestId('login-error');
      await error.waitFor();
      expect(await error.textContent()).toMatch(/\S/);
      expect(page.url()).toContain('/login');
    },
    testTimeout,
  );

  it(
    "lets a partner admin browse its own customers, Fabrikam's account and the activity log",
    async () => {
      const page = await newPage();
      await signIn(page, 'admin@contoso-partner.example');
      await page.waitForURL(/\/partner\/customers$/);

      const rows = page.getByTestId('customer-row');
      await rows.first().waitFor();
      const names = await rows.allTextContents();
      expect(names.some((row) => row.includes('Fabrikam'))).toBe(true);
      expect(names.some((row) => row.includes('Adatum'))).toBe(false); // Litware Partner's customer
      expect(await page.getByTestId('app-title').textContent()).toBe('Mitra · Partner Center');
      expect(await page.getByTestId('tenant-name').textContent()).toBe('Contoso Cloud Partner');
      expect(await page.getByTestId('role-badge').textContent()).toBe('Admin agent');
      await shoot(page, 'partner-customers');

      await page.getByTestId('customer-link').filter({ hasText: 'Fabrikam' }).click();
      await page.waitForURL(/\/partner\/customers\/[^/]+\/account$/);
      await page.getByTestId('company-profile').waitFor();
      expect(await page.getByTestId('customer-name').textContent()).toBe('Fabrikam');
      expect(await page.getByTestId('tab-account').getAttribute('aria-selected')).toBe('true');
      await page.getByRole('tab', { name: 'Account' }).waitFor();
      await page.getByTestId('customer-permissions').waitFor();
      await shoot(page, 'partner-fabrikam-account');

      await page.getByTestId('tab-subscriptions').click();
      await page.getByTestId('subscription-row').first().waitFor();
      await page.getByTestId('tab-orders').click();
      await page.getByTestId('orders-table').waitFor();

      await page.getByTestId('nav-activity').click();
      await page.waitForURL(/\/partner\/settings\/activity$/);
      await page.getByTestId('activity-row').first().waitFor();
      await shoot(page, 'partner-activity-log');

      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByTestId('activity-export').click(),
      ]);
      const csv = readFileSync((await download.path())!, 'utf8');
      expect(csv.replace(/^\uFEFF/, '').split('\r\n')[0]).toMatch(/^Date-Time,Affected customer,Action,/);

      // Bahasa Indonesia: the glossary's words, <html lang>, and the choice is remembered.
      await page.getByTestId('nav-customers').click();
      await page.getByTestId('customer-link').filter({ hasText: 'Fabrikam' }).click();
      await page.getByTestId('company-profile').waitFor();
      await page.getByTestId('language-switch').click();
      await page.getByTestId('language-option-id').click();
      await page.getByRole('tab', { name: 'Akun' }).waitFor();
      await page.getByRole('tab', { name: 'Riwayat pesanan' }).waitFor();
      expect(await page.getByTestId('nav-customers').textContent()).toContain('Pelanggan');
      expect(await page.getByTestId('app-title').textContent()).toBe('Mitra · Pusat Mitra');
      expect(await page.getAttribute('html', 'lang')).toBe('id');
      expect(await page.evaluate(() => window.localStorage.getItem('mitra.lang'))).toBe('id');
      await shoot(page, 'partner-fabrikam-account-id');

      await page.getByTestId('sign-out').click();
      await page.getByTestId('login-email').waitFor();
    },
    testTimeout,
  );

  it(
    'shows a customer owner their subscriptions in the customer portal',
    async () => {
      const page = await newPage();
      await signIn(page, 'owner@fabrikam.example');
      await page.waitForURL(/\/customer\/subscriptions$/);
      await page.getByTestId('my-subscription-row').first().waitFor();
      expect(await page.getByTestId('app-title').textContent()).toBe('Mitra · Customer portal');
      expect(await page.getByTestId('subscription-role').allTextContents()).toContain('Owner');
      await shoot(page, 'customer-subscriptions');

      // The partner's pages are not the customer's: they land back on their own portal.
      await page.goto(`${server.url}/partner/customers`);
      await page.waitForURL(/\/customer\/subscriptions$/);
    },
    testTimeout,
  );
});
