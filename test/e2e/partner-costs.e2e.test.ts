import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chromiumPath,
  englishPage,
  hasChromium,
  launchBrowser,
  screenshotWhole as shoot,
  signInAs,
  switchLanguage,
  usd,
} from '../support/portal-browser.ts';
import { startTestServer } from '../support/server.ts';

// The partner's cost views (issue 9) in Chromium against a real server with the demo data: 40 days
// of usage and the demo's reservation and savings plan, Contoso's past months closed. The Admin
// agent reads the Costs page for last month, then Fabrikam's Costs tab, in English and Indonesian;
// every figure checked is the API's, as the page formats it.

if (!hasChromium) console.warn(`Skipping the partner costs browser tests: ${chromiumPath} does not exist.`);

const admin = 'admin@contoso-partner.example';
const sales = 'sales@contoso-partner.example';
const monthOf = (offset: number) => {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1)).toISOString().slice(0, 7);
};
const lastMonth = monthOf(-1);
const monthLabel = (m: string) =>
  new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(`${m}-01T00:00:00Z`),
  );

describe.skipIf(!hasChromium)("the partner's cost views in a browser", () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    server = await startTestServer({
      commitments: true,
      usageDays: 40,
      closeMonths: { partners: ['contoso'] },
    });
    browser = await launchBrowser();
  }, 300_000);

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await server?.close();
  }, 60_000);

  async function signedIn(email: string): Promise<Page> {
    const { page, context } = await englishPage(browser);
    contexts.push(context);
    await signInAs(page, server.url, email);
    await page.waitForURL(/\/partner\/customers$/);
    return page;
  }
  const total = (page: Page, table: string, column: string) =>
    page.getByTestId(table).getByTestId('cost-total').locator(`[data-column="${column}"]`).textContent();

  it('the Costs page shows every customer for the month picked, with the API’s figures', async () => {
    const page = await signedIn(admin);
    await page.getByRole('link', { name: 'Costs' }).click();
    await page.waitForURL(/\/partner\/costs$/);
    await page.getByTestId('partner-costs-table').waitFor();
    await page.getByTestId('costs-month').click();
    await page.getByRole('option', { name: monthLabel(lastMonth) }).click();
    const api = await (
      await page.request.get(`${server.url}/api/costs?month=${lastMonth}&view=actual`)
    ).json();
    await page.waitForFunction(
      (n) =>
        document.querySelectorAll('[data-testid="partner-costs-table"] [data-testid="cost-row"]').length ===
        n,
      api.lines.length,
    );
    await expect.poll(() => total(page, 'partner-costs-table', 'billed')).toBe(usd(api.total.billed));
    expect(await total(page, 'partner-costs-table', 'partnerPays')).toBe(usd(api.total.partnerPays));
    expect(await total(page, 'partner-costs-table', 'margin')).toBe(usd(api.total.margin));
    const fabrikam = api.lines.find((l: { customerName: string }) => l.customerName === 'Fabrikam');
    const row = page.getByTestId('partner-costs-table').locator(`[data-key="${fabrikam.customerId}"]`);
    expect(await row.locator('[data-column="purchases"]').textContent()).toBe(usd(fabrikam.purchases));
    expect(await page.getByTestId('cost-chart-group').count()).toBe(api.lines.length);
    await shoot(page, 'partner-costs-en');

    const csv = await page.request.get(
      `${server.url}${await page.getByTestId('costs-export').getAttribute('href')}`,
    );
    expect(csv.status()).toBe(200);
    expect(csv.headers()['content-type']).toMatch(/^text\/csv/);
    expect(await csv.text()).toContain(`Total,${api.total.usageRetail}`);

    await switchLanguage(page, 'id');
    await page.getByText('Biaya', { exact: true }).first().waitFor();
    await shoot(page, 'partner-costs-id');
  }, 120_000);

  it("a customer's Costs tab shows its last twelve months, actual and amortized", async () => {
    const page = await signedIn(admin);
    const customers = await (await page.request.get(`${server.url}/api/customers`)).json();
    const id = customers.items.find((c: { companyName: string }) => c.companyName === 'Fabrikam').id;
    await page.goto(`${server.url}/partner/customers/${id}/costs`);
    await page.getByTestId('customer-costs-table').waitFor();
    const from = monthOf(-11);
    const to = monthOf(0);
    const actual = await (
      await page.request.get(`${server.url}/api/customers/${id}/costs?from=${from}&to=${to}&view=actual`)
    ).json();
    expect(await page.getByTestId('customer-costs-table').getByTestId('cost-row').count()).toBe(12);
    expect(await total(page, 'customer-costs-table', 'billed')).toBe(usd(actual.total.billed));
    expect(await total(page, 'customer-costs-table', 'purchases')).toBe(usd(actual.total.purchases));

    await page.getByTestId('costs-view').click();
    await page.getByRole('option', { name: 'Amortized cost' }).click();
    const amortized = await (
      await page.request.get(`${server.url}/api/customers/${id}/costs?from=${from}&to=${to}&view=amortized`)
    ).json();
    await expect
      .poll(() => total(page, 'customer-costs-table', 'unusedReservations'))
      .toBe(usd(amortized.total.unusedReservations));
    expect(await total(page, 'customer-costs-table', 'partnerPays')).toBe(usd(amortized.total.partnerPays));
    expect(await page.getByTestId('customer-costs-table').locator('[data-column="purchases"]').count()).toBe(
      0,
    );
    await shoot(page, 'partner-customer-costs-en');
    await switchLanguage(page, 'id');
    await page.getByText('Biaya diamortisasi').first().waitFor();
    await shoot(page, 'partner-customer-costs-id');
  }, 120_000);

  it('a Sales agent has no Costs in the navigation nor on the customer page', async () => {
    const page = await signedIn(sales);
    expect(await page.getByRole('link', { name: 'Costs' }).count()).toBe(0);
    const customers = await (await page.request.get(`${server.url}/api/customers`)).json();
    await page.goto(`${server.url}/partner/customers/${customers.items[0].id}/account`);
    await page.getByTestId('customer-tabs').waitFor();
    expect(await page.getByTestId('tab-costs').count()).toBe(0);
  }, 120_000);
});
