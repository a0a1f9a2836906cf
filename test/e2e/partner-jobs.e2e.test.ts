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

// The partner's own jobs in the portal (R20), in Chromium against a real server with the demo
// data. One server for the file, so the order matters: (a) add Wingtip Toys with its first user,
// (b) buy it an Azure plan from its customer permissions, (c) add a user to Fabrikam, (d) edit
// Fabrikam's billing profile in Bahasa Indonesia, (e) buy a reservation for Fabrikam, (f) Sales.

if (!hasChromium) console.warn(`Skipping the partner jobs browser tests: ${chromiumPath} does not exist.`);

const admin = 'admin@contoso-partner.example';
const sales = 'sales@contoso-partner.example';
const testTimeout = 90_000;

describe.skipIf(!hasChromium)("the partner's own jobs in a browser", () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    server = await startTestServer({ demo: true });
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await server?.close();
  }, 60_000);

  async function signedIn(email: string): Promise<Page> {
    const { page, context } = await englishPage(browser);
    contexts.push(context);
    await signInAs(page, server.url, email);
    await page.waitForURL(/\/(partner|customer)\//);
    return page;
  }

  async function openCustomer(page: Page, name: string) {
    await page.goto(`${server.url}/partner/customers`);
    await page.getByTestId('customer-link').filter({ hasText: name }).click();
    await page.getByTestId('customer-account').waitFor();
  }

  it(
    '(a) adds a customer with its first user, whose password is shown once and works',
    async () => {
      const page = await signedIn(admin);
      await page.getByTestId('add-customer').click();
      const dialog = page.getByTestId('add-customer-dialog');
      await page.getByTestId('profile-companyName').fill('Wingtip Toys');
      await page.getByTestId('customer-domain').fill('wingtip.example');
      await page.getByTestId('profile-firstName').fill('Rina');
      await page.getByTestId('profile-lastName').fill('Hartono');
      await page.getByTestId('profile-email').fill('billing@wingtip.example');
      await page.getByTestId('profile-addressLine1').fill('Jl. Jend. Sudirman 52');
      await page.getByTestId('profile-city').fill('Jakarta');
      await page.getByTestId('profile-postalCode').fill('12190');
      await page.getByTestId('user-displayName').fill('Rina Hartono');
      // The sign-in e-mail is suggested from the domain.
      expect(await page.getByTestId('user-email').inputValue()).toBe('admin@wingtip.example');
      expect(await dialog.getByText('Indonesia (ID)').count()).toBeGreaterThan(0);
      await shoot(page, 'partner-add-customer');
      await page.getByTestId('add-customer-submit').click();

      const done = page.getByTestId('add-customer-done');
      await done.waitFor();
      const password = await page.getByTestId('initial-password-value').inputValue();
      expect(password).toMatch(/^\S{16}$/);
      expect(await done.textContent()).toContain('Shown only now');
      await shoot(page, 'partner-add-customer-done');

      // The new user signs in to the customer portal with the password just shown.
      const { page: user, context } = await englishPage(browser);
      contexts.push(context);
      await signInAs(user, server.url, 'admin@wingtip.example', password);
      await user.waitForURL(/\/customer\//);
      expect(await user.getByTestId('page-title').textContent()).toBeTruthy();

      await page.getByTestId('add-customer-open').click();
      await page.getByTestId('customer-account').waitFor();
      expect(await page.getByTestId('customer-name').textContent()).toBe('Wingtip Toys');
      await page.getByTestId('customer-user-row').first().waitFor();
      expect(await page.getByTestId('customer-user-row').getAttribute('data-email')).toBe(
        'admin@wingtip.example',
      );
    },
    testTimeout,
  );

  it(
    '(b) buys Wingtip an Azure plan from its customer permissions, after which they can be allowed',
    async () => {
      const page = await signedIn(admin);
      await openCustomer(page, 'Wingtip Toys');
      await page.getByTestId('permissions-azure-plan-hint').waitFor();
      await shoot(page, 'partner-account-new-customer');
      await page.getByTestId('permissions-add-azure-plan').click();
      await page.getByTestId('azure-plan-dialog').waitFor();
      await shoot(page, 'partner-add-azure-plan');
      await page.getByTestId('azure-plan-submit').click();
      await page.getByTestId('azure-plan-added').waitFor();
      expect(await page.getByTestId('subscriptions-table').textContent()).toContain('Azure plan');
      expect(await page.getByTestId('add-azure-plan').isDisabled()).toBe(true); // one per customer
      expect(page.url()).not.toContain('addAzurePlan');

      await page.getByTestId('azure-plan-go-account').click();
      await page.getByTestId('permission-row-AzureReservedInstances').waitFor();
      expect(await page.getByTestId('permissions-azure-plan-hint').count()).toBe(0);
      await page.getByTestId('permissions-edit').click();
      expect(await page.getByTestId('allow-AzureReservedInstances').isEnabled()).toBe(true);
    },
    testTimeout,
  );

  it(
    '(c) adds a user to Fabrikam, listed with no role yet',
    async () => {
      const page = await signedIn(admin);
      await openCustomer(page, 'Fabrikam');
      await page.getByTestId('add-user').click();
      await page.getByTestId('user-displayName').fill('Siti Rahma');
      await page.getByTestId('user-email').fill('siti@fabrikam.example');
      await page.getByTestId('add-user-submit').click();
      await page.getByTestId('add-user-done').waitFor();
      expect(await page.getByTestId('initial-password-value').inputValue()).toHaveLength(16);
      await page.getByTestId('add-user-close').click();
      const row = page.locator('[data-testid="customer-user-row"][data-email="siti@fabrikam.example"]');
      await row.waitFor();
      expect(await row.textContent()).toContain('No role yet');

      // The same address again is refused in the dialog, with the reason.
      await page.getByTestId('add-user').click();
      await page.getByTestId('user-displayName').fill('Siti again');
      await page.getByTestId('user-email').fill('SITI@fabrikam.example');
      await page.getByTestId('add-user-submit').click();
      const error = page.getByTestId('job-error');
      await error.waitFor();
      expect(await error.getAttribute('data-code')).toBe('user-email-taken');
      await shoot(page, 'partner-add-user-taken');
    },
    testTimeout,
  );

  it(
    "(d) edits Fabrikam's billing profile in Bahasa Indonesia",
    async () => {
      const page = await signedIn(admin);
      await switchLanguage(page, 'id');
      await openCustomer(page, 'Fabrikam');
      await page.getByTestId('billing-profile-edit').click();
      await page.getByTestId('billing-profile-dialog').waitFor();
      expect(await page.getByTestId('profile-save').isDisabled()).toBe(true);
      await page.getByTestId('profile-phone').fill('+62 21 555 0142');
      await shoot(page, 'partner-edit-billing-profile-id');
      await page.getByTestId('profile-save').click();
      await page.getByTestId('billing-profile-saved').waitFor();
      expect(await page.getByTestId('billing-profile').textContent()).toContain('+62 21 555 0142');
    },
    testTimeout,
  );

  it(
    '(e) buys a reservation for Fabrikam: the quote, then the purchase recorded as the partner’s',
    async () => {
      const page = await signedIn(admin);
      await openCustomer(page, 'Fabrikam');
      await page.getByTestId('tab-reservations').click();
      await page.getByTestId('buy-for-customer-reservation').click();
      expect(await page.getByTestId('buy-title').textContent()).toBe('Buy a reservation for Fabrikam');
      await page.getByTestId('buy-region').click();
      await page
        .getByRole('option', { name: /East US/ })
        .first()
        .click();
      await page.getByTestId('buy-vm-size').click();
      await page
        .getByRole('option', { name: /Standard_D2s_v3/ })
        .first()
        .click();
      await page.getByTestId('quote-product').waitFor();
      expect(await page.getByTestId('purchase-summary').textContent()).toContain('Customer price');
      await shoot(page, 'partner-buy-reservation-for-customer');
      await page.getByTestId('buy-submit').click();
      await page.getByTestId('commitment-drawer').waitFor();
      expect(await page.getByTestId('drawer-notice').textContent()).toContain('Bought for Fabrikam');
      expect(await page.getByTestId('commitment-drawer').textContent()).toContain('Bought by you');
    },
    testTimeout,
  );

  it(
    '(f) a Sales agent adds customers and buys, but reads the billing profile and users only',
    async () => {
      const page = await signedIn(sales);
      expect(await page.getByTestId('add-customer').isEnabled()).toBe(true);
      await openCustomer(page, 'Tailspin Toys');
      await page.getByTestId('billing-profile-read-only').waitFor();
      expect(await page.getByTestId('billing-profile-edit').count()).toBe(0);
      await page.getByTestId('users-read-only').waitFor();
      expect(await page.getByTestId('add-user').count()).toBe(0);
    },
    testTimeout,
  );
});
