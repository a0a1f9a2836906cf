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

// Customer purchases of reservations and savings plans (R6, R8–R14, B3) in both portals, in Chromium
// against a real server with the demo data. One server for the file and the tests build on each
// other, in order: (0) nothing can be bought before the partner allows it, (a) the partner allows
// Fabrikam to buy, (b) Fabrikam's Owner buys a reservation, (c) the partner sees it everywhere R10
// says, (d) the Reader is told about the Owner role, (e) the Owner buys a savings plan that only
// Mitra's own partner views show (R11, B3), (f) the Admin agent acts on the customer's reservation
// (R12), (f2) exchanges one it bought, (g) the month's bill and its CSV.

if (!hasChromium) console.warn(`Skipping the purchases browser tests: ${chromiumPath} does not exist.`);

const admin = 'admin@contoso-partner.example';
const sales = 'sales@contoso-partner.example';
const owner = 'owner@fabrikam.example';
const reader = 'reader@fabrikam.example';
const reservationName = 'web-tier-jakarta';
const renamed = 'web-tier-jakarta-prod';
const savingsPlanName = 'compute-baseline';
const testTimeout = 120_000;

describe.skipIf(!hasChromium)('customer purchases of reservations and savings plans in a browser', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let fabrikamId = '';
  let reservationId = '';

  beforeAll(async () => {
    server = await startTestServer({ demo: true });
    browser = await launchBrowser();
  }, 120_000);

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

  async function signIn(page: Page, email: string) {
    await signInAs(page, server.url, email);
    await page.waitForURL(
      email.endsWith('fabrikam.example') ? /\/customer\/subscriptions$/ : /\/partner\/customers$/,
    );
  }

  async function openFabrikamTab(page: Page, tab: string) {
    await page.goto(`${server.url}/partner/customers/${fabrikamId}/${tab}`);
    await page.getByTestId(`tab-${tab}`).waitFor();
  }

  it(
    "(0) before the partner allows it, Fabrikam's Owner is told the provider has not allowed purchases",
    async () => {
      const page = await newPage();
      await signIn(page, owner);
      await page.goto(`${server.url}/customer/reservations/buy`);
      await page.getByTestId('buy-region').click();
      await page.getByRole('option', { name: 'Indonesia Central' }).click();
      await page.getByTestId('buy-vm-size').click();
      await page.getByRole('option', { name: /^Standard_D2s_v3/ }).click();
      const refusal = page.getByTestId('purchase-error');
      await refusal.waitFor();
      expect(await refusal.getAttribute('data-code')).toBe('permission-not-enabled');
      expect(await refusal.textContent()).toContain('Your provider has not allowed purchases');
      expect(await page.getByTestId('buy-submit').isDisabled()).toBe(true);
      await shoot(page, 'customer-permission-not-enabled');
      await switchLanguage(page, 'id');
      expect(await refusal.textContent()).toContain('Penyedia Anda belum mengizinkan pembelian');
      await shoot(page, 'customer-permission-not-enabled-id');
    },
    testTimeout,
  );

  it(
    '(a) the Admin agent allows Fabrikam to buy Azure reservations and Azure savings plans',
    async () => {
      const page = await newPage();
      await signIn(page, admin);
      const customers = await (await page.request.get(`${server.url}/api/customers`)).json();
      fabrikamId = customers.items.find((c: { companyName: string }) => c.companyName === 'Fabrikam').id;
      await openFabrikamTab(page, 'account');
      await page.getByTestId('permissions-edit').click();
      await page.getByTestId('allow-AzureReservedInstances').check();
      await page.getByTestId('allow-AzureSavingsPlan').check();
      await page.getByTestId('permissions-consequences').waitFor();
      await page.getByTestId('permissions-save').click();
      await page.getByTestId('permissions-result').waitFor();
      await page.getByTestId('customer-permissions').scrollIntoViewIfNeeded();
      await shoot(page, 'partner-allow-purchases');
      const view = await (
        await page.request.get(`${server.url}/api/customers/${fabrikamId}/permissions`)
      ).json();
      expect(view.permissions).toEqual({ AzureReservedInstances: true, AzureSavingsPlan: true });
    },
    testTimeout,
  );

  it(
    "(b) Fabrikam's Owner buys a reservation, seeing both prices; a lost answer is retried with the same key",
    async () => {
      const page = await newPage();
      await signIn(page, owner);
      await page.getByTestId('nav-reservations').click();
      await page.waitForURL(/\/customer\/reservations$/);
      await page.getByTestId('buy-commitment').click();
      await page.waitForURL(/\/customer\/reservations\/buy$/);

      // The billing subscription is the Azure plan the Owner holds Owner on.
      expect(await page.getByTestId('buy-billing-subscription').textContent()).toContain('Azure plan');
      await page.getByTestId('buy-region').click();
      await page.getByRole('option', { name: 'Indonesia Central' }).click();
      await page.getByTestId('buy-vm-size').click();
      await page.getByRole('option', { name: /^Standard_D2s_v3/ }).click();
      await page.getByTestId('buy-quantity').fill('2');
      await page.getByTestId('buy-quantity').press('Tab');
      await page.getByTestId('plan-Upfront').check();
      await page.getByTestId('scope-Single').check();
      await page.getByTestId('buy-name').fill(reservationName);

      // The quote for exactly these choices, from the API, is what the page shows (R14).
      const subscriptions = await (await page.request.get(`${server.url}/api/my/subscriptions`)).json();
      const azurePlan = subscriptions.items.find(
        (s: { productType: string }) => s.productType === 'azure_plan',
      );
      const quote = await (
        await page.request.post(`${server.url}/api/my/reservations/quote`, {
          data: {
            billingSubscriptionId: azurePlan.entitlementId,
            sku: 'Standard_D2s_v3',
            region: 'indonesiacentral',
            term: 'P1Y',
            billingPlan: 'Upfront',
            quantity: 2,
            appliedScopeType: 'Single',
            appliedScope: { subscriptionId: azurePlan.id },
          },
        })
      ).json();
      const charged = page.getByTestId('price-charged-amount');
      await page.waitForFunction(
        (expected) =>
          document.querySelector('[data-testid="price-charged-amount"]')?.textContent === expected,
        usd(quote.total),
      );
      expect(await charged.textContent()).toBe(usd(quote.total));
      expect(await page.getByTestId('price-retail-amount').textContent()).toBe(usd(quote.retailTotal));
      expect(await page.getByTestId('price-charged').textContent()).toContain('Charged');
      expect(await page.getByTestId('price-retail').textContent()).toContain('Not charged');
      expect(await page.getByTestId('buy-submit').textContent()).toBe(`Buy for ${usd(quote.total)}`);
      await shoot(page, 'customer-buy-reservation');
      await switchLanguage(page, 'id');
      expect(await page.getByTestId('price-charged').textContent()).toContain('Ditagihkan');
      expect(await page.getByTestId('price-retail').textContent()).toContain('Harga ritel');
      await shoot(page, 'customer-buy-reservation-id');
      await switchLanguage(page, 'en');

      // The first answer is lost on the way back (the purchase did happen): Buy again must not buy twice.
      const keys: string[] = [];
      let lose = true;
      await page.route('**/api/my/reservations', async (route) => {
        if (route.request().method() !== 'POST') return route.fallback();
        keys.push(route.request().headers()['idempotency-key'] ?? '');
        if (!lose) return route.fallback();
        lose = false;
        await route.fetch();
        return route.abort('connectionreset');
      });
      await page.getByTestId('buy-submit').click();
      const lost = page.getByTestId('purchase-error');
      await lost.waitFor();
      expect(await lost.getAttribute('data-code')).toBe('network-error');
      await page.getByTestId('buy-submit').click();
      await page.waitForURL(/\/customer\/reservations\/[^/]+\?bought=1$/);
      expect(keys).toHaveLength(2);
      expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
      expect(keys[1]).toBe(keys[0]);
      const mine = await (await page.request.get(`${server.url}/api/my/reservations`)).json();
      const bought = mine.items.filter((c: { displayName: string }) => c.displayName === reservationName);
      expect(bought).toHaveLength(1);
      reservationId = bought[0].id;
      expect(bought[0]).toMatchObject({ boughtBy: 'customer', quantity: 2, appliedScopeType: 'Single' });

      // Details: every property, both prices, and the note that changes are the partner's (R12, R13).
      await page.getByTestId('purchase-success').waitFor();
      expect(await page.getByTestId('commitment-title').textContent()).toBe(reservationName);
      expect(await page.getByTestId('fact-sku').textContent()).toBe('Standard_D2s_v3');
      expect(await page.getByTestId('fact-scope').textContent()).toBe('Single subscription: Azure plan');
      expect(await page.getByTestId('commitment-total').textContent()).toContain(usd(quote.total));
      expect(await page.getByTestId('price-retail-amount').textContent()).toBe(usd(quote.retailUnitPrice));
      const note = (await page.getByTestId('partner-actions-note').textContent()) ?? '';
      expect(note).toContain('can only be changed by your partner');
      expect(note).toContain('exchange');
      expect(note).toContain('refund');
      expect(await page.getByRole('button', { name: /exchange|refund|cancel|renew|scope/i }).count()).toBe(0);
      expect(await page.getByTestId('utilisation-placeholder').textContent()).toBe(
        'Utilisation appears after the first day of usage.',
      );
      await page.getByTestId('rename-start').click();
      await page.getByTestId('rename-input').fill(renamed);
      await page.getByTestId('rename-save').click();
      await page.getByTestId('commitment-title').filter({ hasText: renamed }).waitFor();
      await shoot(page, 'customer-reservation-details');
      await switchLanguage(page, 'id');
      expect(await page.getByTestId('partner-actions-note').textContent()).toContain('mitra Anda');
      await shoot(page, 'customer-reservation-details-id');
      await switchLanguage(page, 'en');

      // The list says who bought what.
      await page.getByTestId('breadcrumb-list').click();
      const row = page.locator(`[data-testid="commitment-row"][data-id="${reservationId}"]`);
      await row.waitFor();
      expect(await row.getByTestId('bought-by').textContent()).toBe('You');
      await shoot(page, 'customer-reservations');
    },
    testTimeout,
  );

  it(
    "(c) the Admin agent finds the customer's reservation in Order history, Reservations and the Activity log",
    async () => {
      const page = await newPage();
      await signIn(page, admin);
      await openFabrikamTab(page, 'orders');
      const order = page.locator('[data-testid="order-row"][data-bought-by="customer"]').filter({
        hasText: reservationName,
      });
      await order.waitFor();
      expect(await order.getByTestId('bought-by').textContent()).toBe('Bought by customer');
      await order.getByTestId('order-expand').click();
      await page.getByTestId('order-line-items').waitFor();
      await shoot(page, 'partner-order-history-customer-purchase');

      await page.getByTestId('tab-reservations').click();
      await page.waitForURL(/\/reservations$/);
      const row = page.locator(`[data-testid="commitment-row"][data-id="${reservationId}"]`);
      await row.waitFor();
      expect(await row.getAttribute('data-bought-by')).toBe('customer');
      expect(await row.getByTestId('bought-by').textContent()).toBe('Bought by customer');
      expect(await row.textContent()).toContain(renamed);
      await shoot(page, 'partner-reservations');
      await switchLanguage(page, 'id');
      expect(await row.getByTestId('bought-by').textContent()).toBe('Dibeli oleh pelanggan');
      expect(await page.getByTestId('tab-reservations').textContent()).toBe('Reservasi');
      await shoot(page, 'partner-reservations-id');
      await switchLanguage(page, 'en');

      await page.getByTestId('nav-settings').click();
      await page.waitForURL(/\/partner\/settings\/activity$/);
      const record = page
        .locator('[data-testid="activity-row"][data-operation-type="create_order"]')
        .filter({ hasText: owner });
      await record.first().waitFor();
      const text = (await record.first().textContent()) ?? '';
      expect(text).toContain('Fabrikam');
      expect(text).toContain('Reservation · Standard_D2s_v3 × 2');
      expect(await record.first().getByTestId('bought-by').textContent()).toBe('Bought by customer');
      await shoot(page, 'partner-activity-customer-purchase');
    },
    testTimeout,
  );

  it(
    "(d) Fabrikam's Reader is told that buying needs the Owner role before starting",
    async () => {
      const page = await newPage();
      await signIn(page, reader);
      await page.getByTestId('nav-reservations').click();
      await page.getByTestId('buy-commitment').click();
      const card = page.getByTestId('owner-required');
      await card.waitFor();
      const text = (await card.textContent()) ?? '';
      expect(text).toContain('You need the Owner role to buy');
      expect(text).toContain('Reader on Azure plan');
      expect(await page.getByTestId('buy-submit').count()).toBe(0);
      await shoot(page, 'customer-reader-owner-required');
      await switchLanguage(page, 'id');
      expect(await card.textContent()).toContain('Anda memerlukan peran Pemilik untuk membeli');
      expect(await card.textContent()).toContain('Pembaca pada Azure plan');
      await shoot(page, 'customer-reader-owner-required-id');
      await switchLanguage(page, 'en');

      // The API says the same with the role and the subscription named (R6 c).
      const refused = await page.request.post(`${server.url}/api/my/reservations/quote`, {
        data: {
          billingSubscriptionId: (await (await page.request.get(`${server.url}/api/my/subscriptions`)).json())
            .items[0].id,
          sku: 'Standard_D2s_v3',
          region: 'eastus',
          term: 'P1Y',
          billingPlan: 'Monthly',
        },
      });
      expect(refused.status()).toBe(403);
      expect((await refused.json()).error.code).toBe('owner-role-required');
    },
    testTimeout,
  );

  it(
    '(e) the Owner buys a savings plan: absent from Order history, in Mitra’s activity log marked as beyond partner center, on the Savings plans tab',
    async () => {
      const page = await newPage();
      await signIn(page, owner);
      await page.getByTestId('nav-savingsPlans').click();
      await page.getByTestId('buy-commitment').click();
      await page.waitForURL(/\/customer\/savings-plans\/buy$/);
      await page.getByTestId('buy-hourly').fill('1.50');
      await page.getByTestId('term-P3Y').check();
      await page.getByTestId('buy-name').fill(savingsPlanName);
      await page.getByTestId('price-charged-amount').waitFor();
      await page.waitForFunction(
        () => document.querySelector('[data-testid="quote-product"]')?.textContent === 'Compute savings plan',
      );
      await page.waitForFunction(() =>
        document.querySelector('[data-testid="purchase-summary"]')?.textContent?.includes('3 years'),
      );
      expect(await page.getByTestId('price-retail-amount').textContent()).toMatch(/^US\$/);
      await shoot(page, 'customer-buy-savings-plan');
      await switchLanguage(page, 'id');
      await shoot(page, 'customer-buy-savings-plan-id');
      await switchLanguage(page, 'en');
      await page.getByTestId('buy-submit').click();
      await page.waitForURL(/\/customer\/savings-plans\/[^/]+\?bought=1$/);
      expect(await page.getByTestId('fact-hourly').textContent()).toBe('US$1.50 per hour');
      await shoot(page, 'customer-savings-plan-details');

      const partner = await newPage();
      await signIn(partner, admin);
      await openFabrikamTab(partner, 'orders');
      await partner.locator('[data-testid="order-row"][data-bought-by="customer"]').first().waitFor();
      expect(await partner.getByTestId('order-row').filter({ hasText: savingsPlanName }).count()).toBe(0);
      const activity = await (
        await partner.request.get(`${server.url}/api/activity?customerId=${fabrikamId}&size=500`)
      ).json();
      const mentions = activity.items.filter(
        (r: { newValue: string | null }) =>
          r.newValue?.includes('savings_plan') || r.newValue?.includes(savingsPlanName),
      );
      expect(mentions.length).toBeGreaterThan(0);
      for (const m of mentions) expect(m.beyondPartnerCenter).toBe(true);
      const pcAudit = await (await partner.request.get(`${server.url}/v1/auditrecords?size=500`)).json();
      expect(JSON.stringify(pcAudit)).not.toContain(savingsPlanName);
      await partner.getByTestId('nav-settings').click();
      await partner.getByTestId('activity-row').first().waitFor();
      const orders = partner.locator('[data-testid="activity-row"][data-operation-type="create_order"]');
      expect(await orders.filter({ hasText: 'Reservation · Standard_D2s_v3' }).count()).toBe(1);
      const beyond = partner.getByTestId('activity-beyond-partner-center');
      expect(await beyond.count()).toBeGreaterThan(0);
      expect(await beyond.first().textContent()).toBe('Mitra only');

      await openFabrikamTab(partner, 'savings-plans');
      await partner.getByTestId('beyond-partner-center').waitFor();
      expect(await partner.getByTestId('beyond-partner-center').textContent()).toContain(
        'Partner Center does not show savings plans your customer bought itself; Mitra does.',
      );
      const row = partner.getByTestId('commitment-row').filter({ hasText: savingsPlanName });
      await row.waitFor();
      expect(await row.getByTestId('bought-by').textContent()).toBe('Bought by customer');
      expect(await row.getByTestId('beyond-badge').textContent()).toBe('Beyond Partner Center');
      await shoot(partner, 'partner-savings-plans');
      await switchLanguage(partner, 'id');
      expect(await partner.getByTestId('beyond-partner-center').textContent()).toContain(
        'Melampaui Pusat Mitra',
      );
      await shoot(partner, 'partner-savings-plans-id');
    },
    testTimeout,
  );

  it(
    "(f) the Admin agent changes the scope and refunds the customer's reservation; Sales sees no actions",
    async () => {
      const page = await newPage();
      await signIn(page, admin);
      await openFabrikamTab(page, 'reservations');
      await page
        .locator(`[data-testid="commitment-row"][data-id="${reservationId}"]`)
        .getByTestId('commitment-link')
        .click();
      await page.waitForURL(new RegExp(`/reservations/${reservationId}$`));
      const drawer = page.getByTestId('commitment-drawer');
      await drawer.getByTestId('drawer-actions').waitFor();
      expect(await drawer.getByTestId('drawer-title').textContent()).toBe(renamed);
      expect(await drawer.getByTestId('scope-current').textContent()).toBe('Single subscription: Azure plan');

      await drawer.getByTestId('scope-change').click();
      await drawer.getByTestId('scope-Shared').check();
      await drawer.getByTestId('scope-save').click();
      await drawer.getByTestId('drawer-notice').filter({ hasText: 'Scope changed to Shared.' }).waitFor();
      expect(await drawer.getByTestId('scope-current').textContent()).toBe('Shared');

      await drawer.getByTestId('renew-switch').click();
      await drawer.getByTestId('drawer-notice').filter({ hasText: 'Auto-renewal turned on.' }).waitFor();
      await shoot(page, 'partner-reservation-drawer');

      await drawer.getByTestId('refund-open').click();
      const dialog = page.getByTestId('refund-dialog');
      await dialog.getByTestId('refund-amount').waitFor();
      const quote = await (
        await page.request.post(
          `${server.url}/api/customers/${fabrikamId}/reservations/${reservationId}/refund-quote`,
        )
      ).json();
      expect(await dialog.getByTestId('refund-amount').textContent()).toBe(usd(quote.amount));
      expect(await dialog.getByTestId('refund-remaining').textContent()).toBe(usd(quote.remainingCapBefore));
      await dialog.getByTestId('refund-reason').fill('Moving the web tier to containers');
      await shoot(page, 'partner-reservation-actions');
      await dialog.getByTestId('refund-confirm').click();
      await drawer.getByTestId('drawer-notice').filter({ hasText: 'was refunded' }).waitFor();
      expect(
        await drawer.locator('[data-testid="commitment-status"]').first().getAttribute('data-status'),
      ).toBe('Cancelled');
      expect(await drawer.getByTestId('commitment-inactive').count()).toBe(1);

      // The customer sees the result but still cannot act (R12).
      const customer = await newPage();
      await signIn(customer, owner);
      const refused = await customer.request.post(
        `${server.url}/api/my/reservations/${reservationId}/refund`,
      );
      expect(refused.status()).toBe(403);
      expect((await refused.json()).error.code).toBe('partner-action-required');

      // A Sales agent sees the reservation, read-only, and no Billing tab.
      const salesPage = await newPage();
      await signIn(salesPage, sales);
      await salesPage.goto(`${server.url}/partner/customers/${fabrikamId}/reservations/${reservationId}`);
      await salesPage.getByTestId('commitment-read-only').waitFor();
      expect(await salesPage.getByTestId('refund-open').count()).toBe(0);
      expect(await salesPage.getByTestId('exchange-open').count()).toBe(0);
      expect(await salesPage.getByTestId('scope-change').count()).toBe(0);
      expect(await salesPage.getByTestId('tab-billing').count()).toBe(0);
      await shoot(salesPage, 'partner-reservation-sales-readonly');
    },
    testTimeout,
  );

  it(
    '(f2) the Admin agent exchanges a reservation it bought, seeing the credit and the net payable first',
    async () => {
      const page = await newPage();
      await signIn(page, admin);
      const subscriptions = await (
        await page.request.get(`${server.url}/api/customers/${fabrikamId}/subscriptions`)
      ).json();
      const azurePlan = subscriptions.items.find(
        (s: { productType: string }) => s.productType === 'azure_plan',
      );
      const bought = await page.request.post(`${server.url}/api/customers/${fabrikamId}/reservations`, {
        headers: { 'Idempotency-Key': crypto.randomUUID() },
        data: {
          billingSubscriptionId: azurePlan.id,
          sku: 'Standard_E4s_v3',
          region: 'southeastasia',
          term: 'P3Y',
          billingPlan: 'Monthly',
          quantity: 1,
          displayName: 'db-singapore',
        },
      });
      expect(bought.status()).toBe(201);
      const old = await bought.json();

      await openFabrikamTab(page, 'reservations');
      const row = page.locator(`[data-testid="commitment-row"][data-id="${old.id}"]`);
      await row.waitFor();
      expect(await row.getByTestId('bought-by').textContent()).toBe('Bought by you');
      await row.getByTestId('commitment-link').click();
      const drawer = page.getByTestId('commitment-drawer');
      await drawer.getByTestId('exchange-open').click();
      const dialog = page.getByTestId('exchange-dialog');
      await dialog.getByTestId('exchange-vm-size').waitFor();
      await dialog.getByTestId('exchange-vm-size').click();
      await page.getByRole('option', { name: /^Standard_E8s_v3/ }).click();
      // The dialog shows the server's figures for this choice (exchange-quote), nothing estimated.
      await dialog.locator('[data-testid="exchange-preview"][data-state="valid"]').waitFor();
      const quote = await (
        await page.request.post(
          `${server.url}/api/customers/${fabrikamId}/reservations/${old.id}/exchange-quote`,
          {
            data: {
              billingSubscriptionId: old.billingSubscriptionId,
              sku: 'Standard_E8s_v3',
              region: 'southeastasia',
              term: 'P3Y',
              billingPlan: 'Monthly',
              quantity: 1,
              appliedScopeType: old.appliedScopeType,
              appliedScope: old.appliedScope,
            },
          },
        )
      ).json();
      expect(quote.valid).toBe(true);
      await dialog
        .getByTestId('exchange-new-total')
        .filter({ hasText: usd(quote.newTotal) })
        .waitFor();
      expect(await dialog.getByTestId('exchange-credit').textContent()).toBe(usd(quote.credit));
      expect(await dialog.getByTestId('exchange-net').textContent()).toBe(usd(quote.netPayable));
      // Left empty: the reservation's own name (db-singapore) carries over; a default name would follow the new size.
      expect(await dialog.getByTestId('exchange-name').inputValue()).toBe('');
      await shoot(page, 'partner-reservation-exchange');
      await dialog.getByTestId('exchange-confirm').click();
      const notice = drawer.getByTestId('drawer-notice');
      await notice.filter({ hasText: 'Exchanged for db-singapore' }).waitFor();
      expect(await notice.textContent()).toContain(`credit ${usd(quote.credit)}`);
      expect(
        await drawer.locator('[data-testid="commitment-status"]').first().getAttribute('data-status'),
      ).toBe('Exchanged');
      await notice.getByTestId('exchange-open-new').click();
      await drawer.getByTestId('exchange-link').waitFor();
      expect(
        await drawer.locator('[data-testid="commitment-status"]').first().getAttribute('data-status'),
      ).toBe('Succeeded');
      expect(await drawer.getByTestId('fact-sku').textContent()).toBe('Standard_E8s_v3');
    },
    testTimeout,
  );

  it(
    '(g) the Billing tab shows the month with the purchase and the refund, and the CSV link works',
    async () => {
      const page = await newPage();
      await signIn(page, admin);
      await openFabrikamTab(page, 'billing');
      const month = new Date().toISOString().slice(0, 7);
      const monthLabel = new Intl.DateTimeFormat('en-GB', {
        month: 'long',
        year: 'numeric',
        timeZone: 'UTC',
      }).format(new Date(`${month}-01T00:00:00Z`));
      await page.getByTestId('billing-table').waitFor();
      expect(await page.getByTestId('billing-month').textContent()).toContain(monthLabel);
      const purchase = page
        .locator('[data-testid="billing-line"][data-type="purchase"]')
        .filter({ hasText: renamed });
      await purchase.waitFor();
      expect(await purchase.getByTestId('bought-by').textContent()).toBe('Bought by customer');
      await page.locator('[data-testid="billing-line"][data-type="refund"]').first().waitFor();
      const bill = await (
        await page.request.get(`${server.url}/api/customers/${fabrikamId}/bills/${month}`)
      ).json();
      expect(await page.getByTestId('billing-total').textContent()).toBe(usd(bill.total));
      await shoot(page, 'partner-billing');
      await switchLanguage(page, 'id');
      expect(await page.getByTestId('tab-billing').textContent()).toBe('Tagihan');
      await shoot(page, 'partner-billing-id');
      await switchLanguage(page, 'en');

      const href = await page.getByTestId('billing-export').getAttribute('href');
      expect(href).toBe(`/api/customers/${fabrikamId}/bills/${month}.csv`);
      const csv = await page.request.get(`${server.url}${href}`);
      expect(csv.status()).toBe(200);
      expect(csv.headers()['content-type']).toContain('text/csv');
      const lines = (await csv.text()).split('\n');
      expect(lines[0]).toBe(
        'date,customer,type,kind,bought_by,commitment,description,amount,currency,forecast',
      );
      // Dated in the month, as a day (issue 8: every line carried the day the row was written).
      for (const line of bill.lines) expect(line.date.slice(0, 7)).toBe(month);
      expect(lines.some((line) => line.includes(',purchase,reservation,customer,'))).toBe(true);
    },
    testTimeout,
  );
});
