import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoId } from '../../src/demo/load.ts';
import { parseCsv, validateFocus } from '../support/focus-validator.ts';
import {
  chromiumPath,
  englishPage,
  hasChromium,
  launchBrowser,
  screenshotDir,
  signInAs,
  switchLanguage,
} from '../support/portal-browser.ts';
import { startTestServer } from '../support/server.ts';

// The FOCUS export from the portal, in Chromium against a real server: the Admin agent exports a
// customer from its page (the browser downloads the streamed CSV, which validates), in both
// languages; a customer user whose partner has not enabled cost management is told so.

if (!hasChromium) console.warn(`Skipping the FOCUS export browser tests: ${chromiumPath} does not exist.`);

describe.skipIf(!hasChromium)('FOCUS export in a browser', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: Browser;

  beforeAll(async () => {
    server = await startTestServer({ usageDays: 2, commitments: true });
    browser = await launchBrowser();
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("the Admin agent downloads a customer's FOCUS file from its page", async () => {
    const { page, context } = await englishPage(browser);
    await signInAs(page, server.url, 'admin@contoso-partner.example');
    await page.waitForURL(/\/partner\//);
    await page.goto(`${server.url}/partner/customers/${demoId('fabrikam')}/account`);
    await page.getByTestId('focus-export-customer').click();
    await page.getByTestId('focus-export-customer-download').waitFor();
    // From two days ago (the demo's usage ends at today's midnight) to today.
    const first = new Date(Date.now() - 2 * 86_400_000);
    await page.getByTestId('focus-export-customer-first-year').selectOption(String(first.getUTCFullYear()));
    await page.getByTestId('focus-export-customer-first-month').selectOption(String(first.getUTCMonth() + 1));
    await page.getByTestId('focus-export-customer-first-day').selectOption(String(first.getUTCDate()));
    await page.screenshot({ path: `${screenshotDir}focus-export-dialog-en.png` });
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('focus-export-customer-download').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^focus-partner-fabrikam.*\.csv$/);
    const path = join(screenshotDir, 'focus-export.csv');
    await download.saveAs(path);
    const file = parseCsv(readFileSync(path, 'utf8'));
    expect(file.rows.length).toBeGreaterThan(0);
    expect(validateFocus(file, { require: ['@commitment'] }).errors).toEqual([]);
    await page.keyboard.press('Escape');
    await switchLanguage(page, 'id');
    await page.getByTestId('focus-export-customer').click();
    await expect(page.getByTestId('focus-export-customer-download').textContent()).resolves.toBe('Unduh');
    await page.screenshot({ path: `${screenshotDir}focus-export-dialog-id.png` });
    await context.close();
  }, 120_000);

  it('a customer user is told when the partner has not enabled cost management', async () => {
    const { page, context } = await englishPage(browser);
    await signInAs(page, server.url, 'owner@fabrikam.example');
    await page.waitForURL(/\/customer\//);
    await page.goto(`${server.url}/customer/invoices`);
    await page.getByTestId('focus-export-my').click();
    const message = page.getByTestId('focus-export-my-unavailable');
    await expect(message.textContent()).resolves.toBe(
      'Your provider has not enabled cost management for your organisation.',
    );
    await page.screenshot({ path: `${screenshotDir}focus-export-customer-disabled-en.png` });
    await context.close();
  }, 120_000);
});
