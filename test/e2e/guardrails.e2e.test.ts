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
} from '../support/portal-browser.ts';
import { startTestServer } from '../support/server.ts';

// Spend guardrails (B2) in both portals, in Chromium against a real server with the demo data, in
// order: (a) the Admin agent sets Fabrikam's monthly limit and approval threshold on its Account
// page, (b) Fabrikam's Owner buys a reservation above the threshold and is told it awaits approval,
// and the list shows it so, (c) the Admin agent approves it on the Approvals page, (d) the customer
// sees it bought.

if (!hasChromium) console.warn(`Skipping the guardrails browser tests: ${chromiumPath} does not exist.`);

const admin = 'admin@contoso-partner.example';
const owner = 'owner@fabrikam.example';
const name = 'held-web-tier';
const testTimeout = 120_000;

describe.skipIf(!hasChromium)('spend guardrails and approvals in a browser', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let fabrikamId = '';

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

  it(
    "(a) the Admin agent sets Fabrikam's monthly limit and approval threshold",
    async () => {
      const page = await newPage();
      await signIn(page, admin);
      const customers = await (await page.request.get(`${server.url}/api/customers`)).json();
      fabrikamId = customers.items.find((c: { companyName: string }) => c.companyName === 'Fabrikam').id;
      for (const resource of ['AzureReservedInstances', 'AzureSavingsPlan']) {
        const res = await page.request.put(
          `${server.url}/api/customers/${fabrikamId}/permissions/${resource}`,
          {
            data: { allowed: true },
            headers: { origin: server.url },
          },
        );
        expect(res.status()).toBe(200);
      }
      await page.goto(`${server.url}/partner/customers/${fabrikamId}/account`);
      await page.getByTestId('guardrails-edit').click();
      await page.getByTestId('guardrails-limit-amount').fill('5000');
      await page.getByTestId('guardrails-limit-currency').fill('USD');
      await page.getByTestId('guardrails-threshold-amount').fill('100');
      await page.getByTestId('guardrails-threshold-currency').fill('USD');
      await page.getByTestId('guardrails-consequences').waitFor();
      await page.getByTestId('guardrails').scrollIntoViewIfNeeded();
      await shoot(page, 'partner-guardrails-edit');
      await page.getByTestId('guardrails-save').click();
      await page.getByTestId('guardrails-form').waitFor({ state: 'detached' });
      expect(await page.getByTestId('guardrails-limit').textContent()).toContain('5,000.00');
      expect(await page.getByTestId('guardrails-threshold').textContent()).toContain('100.00');
      expect(await page.getByTestId('guardrails-remaining').textContent()).toMatch(/IDR/);
      await page.getByTestId('guardrails').scrollIntoViewIfNeeded();
      await shoot(page, 'partner-guardrails');
      await switchLanguage(page, 'id');
      expect(await page.getByTestId('guardrails').textContent()).toContain('Batas belanja');
      await page.getByTestId('guardrails-edit').click();
      await page.getByTestId('guardrails-consequences').waitFor();
      await shoot(page, 'partner-guardrails-edit-id');
    },
    testTimeout,
  );

  it(
    "(b) Fabrikam's Owner buys a reservation above the threshold: it awaits approval, and the list says so",
    async () => {
      const page = await newPage();
      await signIn(page, owner);
      await page.goto(`${server.url}/customer/reservations/buy`);
      await page.getByTestId('buy-region').click();
      await page.getByRole('option', { name: 'Indonesia Central' }).click();
      await page.getByTestId('buy-vm-size').click();
      await page.getByRole('option', { name: /^Standard_D2s_v3/ }).click();
      await page.getByTestId('buy-name').fill(name);
      const submit = page.getByTestId('buy-submit');
      await expect.poll(() => submit.isEnabled(), { timeout: 20_000 }).toBe(true);
      await submit.click();
      const held = page.getByTestId('purchase-held');
      await held.waitFor();
      expect(await held.textContent()).toContain('Awaiting approval');
      expect(await held.textContent()).toContain('nothing is bought or charged yet');
      expect(await submit.isDisabled()).toBe(true);
      await shoot(page, 'customer-purchase-awaiting-approval');
      await switchLanguage(page, 'id');
      expect(await held.textContent()).toContain('Menunggu persetujuan');
      await shoot(page, 'customer-purchase-awaiting-approval-id');
      await switchLanguage(page, 'en');

      await page.getByTestId('purchase-held-list').click();
      await page.waitForURL(/\/customer\/reservations$/);
      const row = page.getByTestId('commitment-row').filter({ hasText: name });
      await row.waitFor();
      expect(await row.getAttribute('data-status')).toBe('awaiting-approval');
      expect(await row.getByTestId('commitment-status').textContent()).toBe('Awaiting approval');
      expect(await row.getByTestId('commitment-link').count()).toBe(0);
      await shoot(page, 'customer-list-awaiting-approval');
      await switchLanguage(page, 'id');
      expect(await row.getByTestId('commitment-status').textContent()).toBe('Menunggu persetujuan');
      await shoot(page, 'customer-list-awaiting-approval-id');
    },
    testTimeout,
  );

  it(
    '(c) the Admin agent approves it from the notification feed; the order appears; (d) the customer sees it bought',
    async () => {
      const page = await newPage();
      await signIn(page, admin);
      // The feed: the bell counts the request; its entry opens the Approvals page on it.
      await page.getByTestId('notification-count').waitFor();
      await page.getByTestId('notification-bell').click();
      const entry = page
        .getByTestId('notification-panel')
        .locator('[data-testid="notification-entry"][data-type="purchase.approval.requested"]')
        .first();
      await entry.waitFor();
      expect(await entry.getByTestId('notification-sentence').textContent()).toContain('Fabrikam');
      await shoot(page, 'partner-feed-approval-requested');
      const approvalId = await entry.getAttribute('data-subject-id');
      await entry.click();
      await page.waitForURL(/\/partner\/approvals\?focus=/);
      const row = page.getByTestId('approval-row').filter({ hasText: name });
      await row.waitFor();
      expect(await row.getAttribute('data-focused')).toBe('true');
      expect(await row.getAttribute('data-id')).toBe(approvalId);
      await shoot(page, 'partner-approvals-from-feed');
      await switchLanguage(page, 'id');
      await shoot(page, 'partner-approvals-from-feed-id');
      await page.getByTestId('notification-bell').click();
      await page.getByTestId('notification-panel').waitFor();
      await shoot(page, 'partner-feed-approval-requested-id');
      await page.keyboard.press('Escape');
      await switchLanguage(page, 'en');
      expect(await row.textContent()).toContain('Fabrikam');
      expect(await row.textContent()).toContain(owner);
      await shoot(page, 'partner-approvals');
      await switchLanguage(page, 'id');
      await row.getByTestId('approval-decline').click();
      await page.getByTestId('approval-decline-reason').waitFor();
      await shoot(page, 'partner-approvals-decline-id');
      await page.keyboard.press('Escape');
      await switchLanguage(page, 'en');
      await row.getByTestId('approval-approve').click();
      await page.getByTestId('approval-notice').waitFor();
      expect(await page.getByTestId('approval-notice').textContent()).toContain('is bought');
      await expect.poll(() => page.getByTestId('approval-row').count()).toBe(0);
      // The order appears on the customer's Reservations tab of the partner portal.
      await page.goto(`${server.url}/partner/customers/${fabrikamId}/reservations`);
      const order = page.getByTestId('commitment-row').filter({ hasText: name });
      await order.waitFor();
      expect(await order.getAttribute('data-status')).toBe('Succeeded');

      const customer = await newPage();
      await signIn(customer, owner);
      await customer.goto(`${server.url}/customer/reservations`);
      const bought = customer.getByTestId('commitment-row').filter({ hasText: name });
      await bought.waitFor();
      expect(await bought.getAttribute('data-status')).toBe('Succeeded');
      expect(await bought.getByTestId('commitment-link').count()).toBe(1);
    },
    testTimeout,
  );

  it(
    '(e) the price moved before approval: the customer confirms the new price from its list',
    async () => {
      const partner = await newPage();
      await signIn(partner, admin);
      const customer = await newPage();
      await signIn(customer, owner);
      const subscriptions = await (await customer.request.get(`${server.url}/api/my/subscriptions`)).json();
      const azure = subscriptions.items.find((s: { roles: string[] }) => s.roles.includes('Owner'));
      const held = await customer.request.post(`${server.url}/api/my/reservations`, {
        headers: { origin: server.url, 'idempotency-key': crypto.randomUUID() },
        data: {
          billingSubscriptionId: azure.entitlementId ?? azure.id,
          sku: 'Standard_D2s_v3',
          region: 'indonesiacentral',
          term: 'P1Y',
          billingPlan: 'Monthly',
          quantity: 1,
          displayName: 'repriced-web-tier',
        },
      });
      expect(held.status(), await held.text()).toBe(202);
      const { approvalId } = await held.json();
      const repriced = await partner.request.put(`${server.url}/api/customers/${fabrikamId}/price-list`, {
        headers: { origin: server.url },
        data: { markups: { usage: '0', reservations: '25', savingsPlans: '3', licences: '10' } },
      });
      expect(repriced.status(), await repriced.text()).toBe(200);
      const refused = await partner.request.post(`${server.url}/api/approvals/${approvalId}/approve`, {
        headers: { origin: server.url },
      });
      expect(refused.status()).toBe(409);
      expect((await refused.json()).error.code).toBe('approval-price-changed');

      await customer.goto(`${server.url}/customer/reservations`);
      const row = customer.getByTestId('commitment-row').filter({ hasText: 'repriced-web-tier' });
      await row.waitFor();
      expect(await row.getAttribute('data-status')).toBe('awaiting-confirmation');
      await row.getByTestId('confirm-new-price').waitFor();
      await shoot(customer, 'customer-list-confirm-price');
      await switchLanguage(customer, 'id');
      expect(await row.getByTestId('commitment-status').textContent()).toBe('Konfirmasi harga baru');
      await shoot(customer, 'customer-list-confirm-price-id');
      await row.getByTestId('confirm-new-price').click();
      await expect.poll(() => row.getAttribute('data-status')).toBe('awaiting-approval');
      const approved = await partner.request.post(`${server.url}/api/approvals/${approvalId}/approve`, {
        headers: { origin: server.url },
      });
      expect(approved.status(), await approved.text()).toBe(200);
    },
    testTimeout,
  );
});
