import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import Big from 'big.js';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chromiumPath,
  englishPage,
  hasChromium,
  launchBrowser,
  screenshotDir,
  screenshotWhole as shoot,
  signInAs,
  switchLanguage,
  usd,
} from '../support/portal-browser.ts';
import { startTestServer } from '../support/server.ts';

// The whole money loop (issue 8's "Done when") in one server, in Chromium, each step building on
// the one before: (1) the Admin agent adds a US customer with its first user, (2) buys it an Azure
// plan, (3) gives the user the Owner role on it and allows Azure reservations, (4) sets a 10 %
// reservations markup on the customer's price list, (5) the new user buys a monthly reservation at
// retail × 1.10, (6) the Admin agent refunds it, (7) the Billing tab and this month's draft invoice
// carry the same lines (USD on both sides, so the amounts compare exactly), and its PDF renders.

if (!hasChromium) console.warn(`Skipping the money loop browser test: ${chromiumPath} does not exist.`);

const admin = 'admin@contoso-partner.example';
const company = 'Alpine Ski House';
const domain = 'alpineskihouse.example';
const userName = 'Dana Whitfield';
const userEmail = `admin@${domain}`;
const reservationName = 'loop-web-tier';
const sku = 'Standard_D2s_v3';
const region = 'eastus';
const testTimeout = 120_000;
const hasPdftoppm = existsSync('/usr/bin/pdftoppm');
const thisMonth = new Date().toISOString().slice(0, 7);

interface BillLine {
  type: string;
  amount: string;
  currency: string;
  forecast: boolean;
  commitmentId: string | null;
}
interface InvoiceLine {
  type: string;
  amount: string;
  commitmentId: string | null;
}

describe.skipIf(!hasChromium)('the money loop in a browser', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let customerId = '';
  let password = '';
  let reservationId = '';
  let refundShown = '';

  beforeAll(async () => {
    server = await startTestServer({ demo: true });
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await server?.close();
  }, 60_000);

  async function signedIn(email: string, secret = 'demo-password'): Promise<Page> {
    const { page, context } = await englishPage(browser);
    contexts.push(context);
    await signInAs(page, server.url, email, secret);
    await page.waitForURL(/\/(partner|customer)\//);
    return page;
  }

  async function openTab(page: Page, tab: string) {
    await page.goto(`${server.url}/partner/customers/${customerId}/${tab}`);
    await page.getByTestId(`tab-${tab}`).waitFor();
  }

  it(
    '(1) the Admin agent adds a US customer with its first user, and keeps the initial password',
    async () => {
      const page = await signedIn(admin);
      await page.getByTestId('add-customer').click();
      await page.getByTestId('add-customer-dialog').waitFor();
      await page.getByTestId('profile-companyName').fill(company);
      await page.getByTestId('customer-domain').fill(domain);
      await page.getByTestId('customer-country').click();
      await page.getByRole('option', { name: /\(US\)$/ }).click();
      await page.getByTestId('profile-firstName').fill('Dana');
      await page.getByTestId('profile-lastName').fill('Whitfield');
      await page.getByTestId('profile-email').fill(`billing@${domain}`);
      await page.getByTestId('profile-addressLine1').fill('1 Pine Street');
      await page.getByTestId('profile-city').fill('Seattle');
      await page.getByTestId('profile-state').fill('WA');
      await page.getByTestId('profile-postalCode').fill('98101');
      await page.getByTestId('user-displayName').fill(userName);
      expect(await page.getByTestId('user-email').inputValue()).toBe(userEmail);
      await page.getByTestId('add-customer-submit').click();

      await page.getByTestId('add-customer-done').waitFor();
      password = await page.getByTestId('initial-password-value').inputValue();
      expect(password).toMatch(/^\S{16}$/);
      await page.getByTestId('add-customer-open').click();
      await page.getByTestId('customer-account').waitFor();
      expect(await page.getByTestId('customer-name').textContent()).toBe(company);
      customerId = /\/partner\/customers\/([^/]+)\//.exec(page.url())![1];

      const detail = await (await page.request.get(`${server.url}/api/customers/${customerId}`)).json();
      expect(JSON.stringify(detail)).toContain('"US"');
      expect(JSON.stringify(detail)).toContain('"USD"');
    },
    testTimeout,
  );

  it(
    '(2) buys it an Azure plan from the customer permissions',
    async () => {
      const page = await signedIn(admin);
      await openTab(page, 'account');
      await page.getByTestId('permissions-add-azure-plan').click();
      await page.getByTestId('azure-plan-dialog').waitFor();
      await page.getByTestId('azure-plan-submit').click();
      await page.getByTestId('azure-plan-added').waitFor();
      expect(await page.getByTestId('subscriptions-table').textContent()).toContain('Azure plan');
    },
    testTimeout,
  );

  it(
    '(3) gives the new user the Owner role on the Azure plan and allows Azure reservations',
    async () => {
      const page = await signedIn(admin);
      await openTab(page, 'subscriptions');
      await page.locator('[data-testid^="manage-"]').first().click();
      const dialog = page.getByTestId('role-assignments-dialog');
      await dialog.getByTestId('add-role-user').waitFor();
      await dialog.getByTestId('add-role-user').click();
      await page.getByRole('option', { name: new RegExp(userName) }).click();
      await dialog.getByTestId('add-role-role').click();
      await page.getByRole('option', { name: /^Owner/ }).click();
      await dialog.getByTestId('add-role-save').click();
      await dialog
        .locator(`[data-testid="role-assignment-row"][data-email="${userEmail}"][data-role="Owner"]`)
        .waitFor();
      await page.getByTestId('role-assignments-close').click();

      await page.getByTestId('tab-account').click();
      await page.getByTestId('permissions-edit').click();
      await page.getByTestId('allow-AzureReservedInstances').check();
      await page.getByTestId('permissions-consequences').waitFor();
      await page.getByTestId('permissions-save').click();
      await page.getByTestId('permissions-result').waitFor();
      expect(await page.getByTestId('permission-state-AzureReservedInstances').textContent()).toBe(
        'Allowed to buy',
      );
    },
    testTimeout,
  );

  it(
    "(4) sets a 10 % reservations markup on the customer's price list, at once",
    async () => {
      const page = await signedIn(admin);
      await openTab(page, 'prices');
      await page.getByTestId('price-list-editor').waitFor();
      await page.getByTestId('markup-reservations').fill('10');
      expect(await page.getByTestId('effective-now').isChecked()).toBe(true);
      await page.getByTestId('price-list-save').waitFor();
      await page.waitForFunction(
        () => !document.querySelector('[data-testid="price-list-save"]')?.hasAttribute('disabled'),
      );
      // The prices it gives, narrowed to the size the customer buys in (5): priced by the server.
      await page.getByTestId('price-list-table-filter').fill(`${sku}, East US`);
      const previewRow = page.getByTestId('price-list-row').filter({ hasText: '1 year · Monthly' });
      await previewRow.filter({ hasText: 'Markup 10 %' }).first().waitFor();
      expect(await page.getByTestId('price-list-row').count()).toBe(4); // 1 and 3 years, upfront and monthly
      await shoot(page, 'loop-price-list-en');
      await switchLanguage(page, 'id');
      expect(await page.getByTestId('markup-reservations').inputValue()).toBe('10');
      await shoot(page, 'loop-price-list-id');
      await switchLanguage(page, 'en');
      await page.getByTestId('price-list-save').click();
      await page.getByTestId('price-list-saved').waitFor();

      const view = await (
        await page.request.get(`${server.url}/api/customers/${customerId}/price-list`)
      ).json();
      expect(view.source).toBe('customer');
      expect(view.current.markups.reservations).toBe('10');
    },
    testTimeout,
  );

  it(
    '(5) the new user buys a monthly reservation at retail × 1.10, as the page shows it',
    async () => {
      const page = await signedIn(userEmail, password);
      await page.goto(`${server.url}/customer/reservations/buy`);
      expect(await page.getByTestId('buy-billing-subscription').textContent()).toContain('Azure plan');
      await page.getByTestId('buy-region').click();
      await page.getByRole('option', { name: 'East US', exact: true }).click();
      await page.getByTestId('buy-vm-size').click();
      await page.getByRole('option', { name: new RegExp(`^${sku}`) }).click();
      await page.getByTestId('plan-Monthly').check();
      await page.getByTestId('buy-name').fill(reservationName);

      // The customer's price in the catalog is retail + 10 %.
      const catalog = await (
        await page.request.get(`${server.url}/api/my/reservation-catalog?region=${region}`)
      ).json();
      const entry = catalog.items.find((e: { sku: string }) => e.sku === sku);
      const price = entry.terms.find(
        (t: { term: string; billingPlan: string }) => t.term === 'P1Y' && t.billingPlan === 'Monthly',
      );
      expect(price.currency).toBe('USD');
      const marked = new Big(price.retailUnitPrice).times('1.1');
      expect(new Big(price.unitPrice).eq(marked)).toBe(true);

      // The page's summary shows the price per month at that figure, and the quote's totals.
      const subscriptions = await (await page.request.get(`${server.url}/api/my/subscriptions`)).json();
      const azurePlan = subscriptions.items.find(
        (s: { productType: string }) => s.productType === 'azure_plan',
      );
      const quote = await (
        await page.request.post(`${server.url}/api/my/reservations/quote`, {
          data: {
            billingSubscriptionId: azurePlan.entitlementId,
            sku,
            region,
            term: 'P1Y',
            billingPlan: 'Monthly',
            quantity: 1,
            appliedScopeType: 'Shared',
          },
        })
      ).json();
      expect(new Big(quote.unitPrice).eq(marked)).toBe(true);
      await page.waitForFunction(
        (expected) =>
          document.querySelector('[data-testid="price-charged-amount"]')?.textContent === expected,
        usd(quote.total),
      );
      const charged = (await page.getByTestId('price-charged').textContent()) ?? '';
      expect(charged).toContain(usd(marked.toFixed(6)));
      expect(charged).toContain('per month');
      expect(await page.getByTestId('price-retail').textContent()).toContain(usd(price.retailUnitPrice));
      expect(await page.getByTestId('buy-submit').textContent()).toBe(`Buy for ${usd(quote.total)}`);
      await shoot(page, 'loop-customer-buy');

      await page.getByTestId('buy-submit').click();
      await page.waitForURL(/\/customer\/reservations\/[^/]+\?bought=1$/);
      await page.getByTestId('purchase-success').waitFor();
      const mine = await (await page.request.get(`${server.url}/api/my/reservations`)).json();
      const bought = mine.items.find((c: { displayName: string }) => c.displayName === reservationName);
      expect(bought).toMatchObject({ boughtBy: 'customer', billingPlan: 'Monthly', term: 'P1Y' });
      expect(new Big(bought.unitPrice).eq(marked)).toBe(true);
      reservationId = bought.id;
    },
    testTimeout,
  );

  it(
    "(6) the Admin agent refunds it from the customer's Reservations tab",
    async () => {
      const page = await signedIn(admin);
      await openTab(page, 'reservations');
      const row = page.locator(`[data-testid="commitment-row"][data-id="${reservationId}"]`);
      await row.waitFor();
      expect(await row.getByTestId('bought-by').textContent()).toBe('Bought by customer');
      await row.getByTestId('commitment-link').click();
      const drawer = page.getByTestId('commitment-drawer');
      await drawer.getByTestId('refund-open').click();
      const dialog = page.getByTestId('refund-dialog');
      await dialog.getByTestId('refund-amount').waitFor();
      refundShown = (await dialog.getByTestId('refund-amount').textContent()) ?? '';
      const quote = await (
        await page.request.post(
          `${server.url}/api/customers/${customerId}/reservations/${reservationId}/refund-quote`,
        )
      ).json();
      expect(refundShown).toBe(usd(quote.amount));
      expect(await dialog.getByTestId('refund-paid').textContent()).toBe(usd(quote.paidSoFar));
      await dialog.getByTestId('refund-reason').fill('Bought by mistake');
      await shoot(page, 'loop-refund-dialog');
      await dialog.getByTestId('refund-confirm').click();
      await drawer.getByTestId('drawer-notice').filter({ hasText: 'was refunded' }).waitFor();
      expect(
        await drawer.locator('[data-testid="commitment-status"]').first().getAttribute('data-status'),
      ).toBe('Cancelled');

      // The refund dialog's amount is the refund line on the bill.
      const bill = await (
        await page.request.get(`${server.url}/api/customers/${customerId}/bills/${thisMonth}`)
      ).json();
      const refunds = (bill.lines as BillLine[]).filter(
        (l) => l.type === 'refund' && l.commitmentId === reservationId,
      );
      expect(refunds).toHaveLength(1);
      expect(usd(new Big(refunds[0].amount).abs().toFixed(2))).toBe(refundShown);
      // Refunded the day it was bought: all of what the bill charged comes back, not a cent less.
      expect(refundShown).toBe(usd(quote.paidSoFar));
      const mine = (bill.lines as BillLine[]).filter((l) => l.commitmentId === reservationId);
      expect(mine.reduce((s, l) => s.plus(l.amount), new Big(0)).toFixed(2)).toBe('0.00');
    },
    testTimeout,
  );

  it(
    "(7) the Billing tab shows the instalment and the refund; this month's draft invoice has the same lines",
    async () => {
      const page = await signedIn(admin);
      const bill = await (
        await page.request.get(`${server.url}/api/customers/${customerId}/bills/${thisMonth}`)
      ).json();
      expect(bill.currency).toBe('USD');
      const billed = (bill.lines as BillLine[]).filter((l) => !l.forecast);
      const types = billed.map((l) => l.type);
      expect(types).toContain('instalment');
      expect(types).toContain('refund');

      await openTab(page, 'billing');
      await page.getByTestId('billing-table').waitFor();
      const instalment = page.locator('[data-testid="billing-line"][data-type="instalment"]');
      await instalment.first().waitFor();
      expect(await instalment.first().textContent()).toContain(reservationName);
      const refund = page.locator('[data-testid="billing-line"][data-type="refund"]');
      expect(await refund.count()).toBe(1);
      expect(await refund.textContent()).toContain(refundShown);
      expect(await page.getByTestId('billing-total').textContent()).toBe(usd(bill.total));
      await shoot(page, 'loop-billing-en');
      await switchLanguage(page, 'id');
      expect(await page.getByTestId('tab-billing').textContent()).toBe('Tagihan');
      await shoot(page, 'loop-billing-id');
      await switchLanguage(page, 'en');

      // The draft invoice: the bill's lines, same types and amounts (both in USD).
      const invoices = (
        await (await page.request.get(`${server.url}/api/customers/${customerId}/invoices`)).json()
      ).items as { id: string; month: string; status: string; kind: string; currency: string }[];
      const draft = invoices.find((i) => i.month === thisMonth && i.kind === 'invoice');
      expect(draft).toMatchObject({ status: 'draft', currency: 'USD' });
      const detail = await (
        await page.request.get(`${server.url}/api/customers/${customerId}/invoices/${draft!.id}`)
      ).json();
      const pairs = (lines: { type: string; amount: string }[]) =>
        lines.map((l) => `${l.type} ${new Big(l.amount).toFixed(2)}`).sort();
      expect(pairs(detail.lines as InvoiceLine[])).toEqual(pairs(billed));
      expect(new Big(detail.subtotal).eq(new Big(bill.total))).toBe(true);

      await page.getByTestId('tab-invoices').click();
      await page.locator(`[data-testid="invoice-row"][data-invoice-id="${draft!.id}"]`).click();
      await page.locator(`[data-testid="invoice-document"][data-invoice-id="${draft!.id}"]`).waitFor();
      await page.getByTestId('invoice-draft-note').waitFor();
      const lines = page.getByTestId('invoice-line');
      expect(await lines.count()).toBe(detail.lines.length);
      const shown = [];
      for (let i = 0; i < detail.lines.length; i++)
        shown.push(
          `${await lines.nth(i).getAttribute('data-type')} ${await lines
            .nth(i)
            .getByTestId('invoice-line-amount')
            .textContent()}`,
        );
      expect(shown).toEqual((detail.lines as InvoiceLine[]).map((l) => `${l.type} ${usd(l.amount)}`));
      await shoot(page, 'loop-invoice-en');

      // Its PDF, in English and in Indonesian, first page as a picture.
      for (const lang of ['en', 'id'] as const) {
        const res = await page.request.get(
          `${server.url}/api/customers/${customerId}/invoices/${draft!.id}?format=pdf&lang=${lang}`,
        );
        expect(res.status()).toBe(200);
        expect(res.headers()['content-type']).toBe('application/pdf');
        const pdf = await res.body();
        expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
        const file = `${screenshotDir}loop-invoice-${lang}.pdf`;
        writeFileSync(file, pdf);
        if (hasPdftoppm)
          execFileSync('pdftoppm', [
            '-png',
            '-r',
            '80',
            '-f',
            '1',
            '-l',
            '1',
            '-singlefile',
            file,
            `${screenshotDir}loop-invoice-pdf-${lang}`,
          ]);
      }
    },
    testTimeout,
  );
});
