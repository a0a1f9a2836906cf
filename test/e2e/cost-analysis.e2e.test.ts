import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoId } from '../../src/demo/load.ts';
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

// The customer's cost analysis (R17, R18) in Chromium against a real server with the demo data, the
// demo's reservation and savings plan for Fabrikam and 14 days of usage with benefits applied:
// Fabrikam's Owner sees one sentence while cost management is off; the Admin agent enables it on
// Fabrikam's Account page; the Owner then sees the total, the rate and its day, the daily chart and
// the tables (the server's figures, formatted), downloads the CSV, in English and Bahasa Indonesia.

if (!hasChromium) console.warn(`Skipping the cost analysis browser test: ${chromiumPath} does not exist.`);

const admin = 'admin@contoso-partner.example';
const owner = 'owner@fabrikam.example';
const fabrikam = demoId('fabrikam');
const fabrikamSubscription = demoId('fabrikam-subscription');

type Costs = {
  currency: string;
  rate: { base: string; quote: string; rate: string; date: string } | null;
  from: string;
  to: string;
  total: string;
  rows: { day?: string; resourceGroup?: string; cost: string }[];
};

const money = (locale: string, amount: string, currency: string) =>
  new Intl.NumberFormat(locale, {
    style: 'currency',
    currency,
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  }).format(amount as Intl.StringNumericLiteral);

describe.skipIf(!hasChromium)('customer cost analysis in a browser', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    server = await startTestServer({ demo: true, commitments: true, usageDays: 14 });
    browser = await launchBrowser();
  }, 300_000);

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await server?.close();
  }, 60_000);

  async function newPage(): Promise<Page> {
    const { page, context } = await englishPage(browser);
    contexts.push(context);
    return page;
  }

  /** The page from the top down to the bottom of `until` (a docs picture, kept small). */
  async function shootTo(page: Page, name: string, until: Locator) {
    await page.mouse.move(1, 1);
    await page.waitForTimeout(300);
    const box = (await until.boundingBox())!;
    const viewport = page.viewportSize()!;
    const height = Math.ceil(box.y + box.height + 24);
    if (height > viewport.height) await page.setViewportSize({ width: viewport.width, height });
    await page.waitForTimeout(150);
    await page.screenshot({ path: `${screenshotDir}${name}.png` });
    if (height > viewport.height) await page.setViewportSize(viewport);
  }

  it("the Admin agent enables cost management for Fabrikam; Fabrikam's Owner opens cost analysis", async () => {
    const customer = await newPage();
    await signInAs(customer, server.url, owner);
    await customer.waitForURL(/\/customer\/subscriptions$/);
    await customer.getByRole('link', { name: 'Cost analysis' }).click();
    await customer.waitForURL(/\/customer\/costs$/);
    expect(await customer.getByTestId('cost-analysis-disabled').textContent()).toBe(
      'Your provider has not enabled cost management for your organisation.',
    );
    expect(await customer.getByTestId('cost-chart').count()).toBe(0);

    const partner = await newPage();
    await signInAs(partner, server.url, admin);
    await partner.waitForURL(/\/partner\/customers$/);
    await partner.goto(`${server.url}/partner/customers/${fabrikam}/account`);
    await partner.getByTestId('cost-management-edit').click();
    await partner.getByTestId('cost-management-on').click();
    await partner.getByTestId('cost-management-save').click();
    await partner.getByTestId('cost-management-edit').waitFor();

    await customer.reload();
    await customer.getByTestId('cost-summary').waitFor();
    await customer.getByTestId('cost-period').click();
    await customer.getByTestId('cost-period-last30Days').click();
    const query = `preset=last30Days&subscriptionId=${fabrikamSubscription}`;
    const daily: Costs = await (await customer.request.get(`${server.url}/api/my/costs?${query}`)).json();
    expect(daily.currency).toBe('IDR');
    expect(daily.rows.length).toBeGreaterThanOrEqual(14);
    await customer.waitForFunction(
      (n) => document.querySelectorAll('[data-testid="cost-day"]').length === n,
      30,
    );
    // The headline is the total of the table shown (by meter first): the sum of its own lines.
    const byMeter: Costs = await (
      await customer.request.get(`${server.url}/api/my/costs?${query}&groupBy=meter`)
    ).json();
    await customer.waitForFunction(
      (text) => document.querySelector('[data-testid="cost-total"]')?.textContent === text,
      money('en-GB', byMeter.total, 'IDR'),
    );
    const rateText = new Intl.NumberFormat('en-GB', {
      minimumFractionDigits: 2,
      maximumFractionDigits: 4,
    }).format(daily.rate!.rate as Intl.StringNumericLiteral);
    const rateDay = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: 'UTC' }).format(
      Date.parse(`${daily.rate!.date}T00:00:00Z`),
    );
    expect(await customer.getByTestId('cost-rate').textContent()).toBe(
      `1 USD = ${rateText} IDR, rate of ${rateDay}`,
    );
    expect(await customer.getByTestId('cost-bar').count()).toBe(
      daily.rows.filter((r) => Number(r.cost) > 0).length,
    );
    const last = daily.rows.at(-1)!;
    expect(
      await customer.locator(`[data-testid="cost-day"][data-day="${last.day}"]`).getAttribute('data-cost'),
    ).toBe(last.cost);

    // The table by resource group: the server's lines, and the CSV behind the download button.
    await customer.getByTestId('cost-tab-resourceGroup').click();
    const table = customer.getByTestId('cost-table-resourceGroup');
    await table.waitFor();
    const byGroup: Costs = await (
      await customer.request.get(`${server.url}/api/my/costs?${query}&groupBy=resourceGroup`)
    ).json();
    expect(await table.getByTestId('cost-row').count()).toBe(byGroup.rows.length);
    expect(await table.getByTestId('cost-row-cost').allTextContents()).toEqual(
      byGroup.rows.map((r) => money('en-GB', r.cost, 'IDR')),
    );
    // Each view's total is the sum of its own rounded lines (docs/api-mitra.md): footer and headline.
    expect(await table.getByTestId('cost-table-total').textContent()).toContain(
      money('en-GB', byGroup.total, 'IDR'),
    );
    expect(await customer.getByTestId('cost-total').textContent()).toBe(money('en-GB', byGroup.total, 'IDR'));
    const href = (await customer.getByTestId('cost-csv').getAttribute('href'))!;
    expect(href).toContain('groupBy=resourceGroup');
    const csv = await customer.request.get(`${server.url}${href}`);
    expect(csv.headers()['content-disposition']).toMatch(
      /^attachment; filename="costs-.*-by-resourceGroup\.csv"$/,
    );
    expect((await csv.text()).trim().split('\r\n').at(-1)).toContain(`,${byGroup.total},IDR,`);
    await shootTo(customer, 'customer-cost-analysis-en', customer.getByTestId('cost-tables'));

    // A resource group's scope: the chart and total of that group only.
    const first = byGroup.rows[0];
    // Its total at resource-group scope is its line at subscription scope (one line, rounded once).
    await customer.getByTestId('cost-resource-group').click();
    await customer.getByRole('option', { name: first.resourceGroup, exact: true }).click();
    await customer.waitForFunction(
      (text) => document.querySelector('[data-testid="cost-total"]')?.textContent === text,
      money('en-GB', first.cost, 'IDR'),
    );
    expect(await customer.getByTestId('cost-table-resourceGroup').getByTestId('cost-row').count()).toBe(1);
    await customer.getByTestId('cost-resource-group').click();
    await customer.getByRole('option', { name: 'All resource groups' }).click();
    await customer.waitForFunction(
      (text) => document.querySelector('[data-testid="cost-total"]')?.textContent === text,
      money('en-GB', byGroup.total, 'IDR'),
    );

    await switchLanguage(customer, 'id');
    await customer.getByTestId('cost-table-resourceGroup').waitFor();
    expect(await customer.getByTestId('page-title').textContent()).toBe('Analisis biaya');
    expect(await customer.getByTestId('cost-total').textContent()).toBe(money('id-ID', byGroup.total, 'IDR'));
    expect(await customer.getByTestId('cost-rate').textContent()).toContain('kurs tanggal');
    await shootTo(customer, 'customer-cost-analysis-id', customer.getByTestId('cost-tables'));
  }, 180_000);
});
