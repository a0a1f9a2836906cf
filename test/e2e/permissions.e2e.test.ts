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

// Customer permissions (R1–R5) and role assignments (R7) in the partner portal, driven in Chromium
// against a real server with the demo data. One server for the file, so the order of the tests
// matters: (a) the Admin agent allows Fabrikam's Azure reservations, (b) the Sales agent then sees
// that state read-only, (c) Northwind (licences only) cannot be allowed, (d) roles on Fabrikam's plan.

if (!hasChromium) console.warn(`Skipping the permissions browser tests: ${chromiumPath} does not exist.`);

const admin = 'admin@contoso-partner.example';
const sales = 'sales@contoso-partner.example';
const testTimeout = 60_000;

describe.skipIf(!hasChromium)('customer permissions and role assignments in a browser', () => {
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

  async function newPage(): Promise<Page> {
    const { page, context } = await englishPage(browser);
    contexts.push(context);
    return page;
  }

  async function signIn(page: Page, email: string) {
    await signInAs(page, server.url, email);
    await page.waitForURL(/\/partner\/customers$/);
  }

  async function openCustomer(page: Page, name: string) {
    await page.getByTestId('customer-link').filter({ hasText: name }).click();
    await page.waitForURL(/\/partner\/customers\/[^/]+\/account$/);
    await page.getByTestId('permission-row-AzureReservedInstances').waitFor();
  }

  const state = (page: Page, resource: string) =>
    page.getByTestId(`permission-state-${resource}`).textContent();

  it(
    "(a) lets the Admin agent allow Fabrikam's Azure reservations, after seeing the consequences",
    async () => {
      const page = await newPage();
      await signIn(page, admin);
      await openCustomer(page, 'Fabrikam');
      const section = page.getByTestId('customer-permissions');
      expect(await section.getByRole('heading').textContent()).toBe('Customer permissions');
      expect(await state(page, 'AzureReservedInstances')).toBe('Not allowed'); // R1: off by default
      expect(await state(page, 'AzureSavingsPlan')).toBe('Not allowed');
      expect(await page.getByTestId('permissions-read-only').count()).toBe(0);

      await page.getByTestId('permissions-edit').click();
      await page.getByTestId('deny-AzureReservedInstances').waitFor();
      expect(await page.getByTestId('deny-AzureReservedInstances').isChecked()).toBe(true);
      expect(await page.getByTestId('allow-AzureReservedInstances').isEnabled()).toBe(true);
      expect(await page.getByTestId('permissions-save').isDisabled()).toBe(true); // nothing changed yet
      expect(await page.getByTestId('permissions-consequences').count()).toBe(0);
      await shoot(page, 'permissions-edit');

      await page.getByTestId('allow-AzureReservedInstances').check();
      const consequences = page.getByTestId('permissions-consequences');
      await consequences.waitFor();
      const text = (await consequences.textContent()) ?? '';
      expect(text).toContain('Before you allow Fabrikam to buy Azure reservations');
      expect(text).toContain('You pay for every purchase');
      expect(text).toContain('not notified');
      expect(text).toContain('cannot exchange, cancel, renew or change the scope');
      expect(text).toContain('Owner role');
      await shoot(page, 'permissions-consequences');

      // The same step in Bahasa Indonesia (the edit stays open while the language changes).
      await switchLanguage(page, 'id');
      expect(await page.getByTestId('permissions-consequences').textContent()).toContain(
        'Anda bertanggung jawab untuk membayar',
      );
      expect(await page.getByText('Izinkan pelanggan membeli').count()).toBeGreaterThan(0);
      expect(await page.getByText('Jangan izinkan pelanggan untuk membeli').count()).toBeGreaterThan(0);
      await shoot(page, 'permissions-consequences-id');
      await switchLanguage(page, 'en');

      await page.getByTestId('permissions-save').click();
      await page.getByTestId('permissions-result').waitFor();
      expect(await state(page, 'AzureReservedInstances')).toBe('Allowed to buy');
      expect(await state(page, 'AzureSavingsPlan')).toBe('Not allowed');
      expect(await page.getByTestId('permissions-form').count()).toBe(0);
      await shoot(page, 'permissions-saved');

      // R5: recorded as "Create Customer Purchase Permission", reachable from Settings.
      await page.getByTestId('nav-settings').click();
      await page.waitForURL(/\/partner\/settings\/activity$/);
      const record = page
        .locator('[data-testid="activity-row"][data-operation-type="create_self_serve_policy"]')
        .filter({ hasText: 'Fabrikam' })
        .filter({ hasText: admin });
      await record.first().waitFor();
      const recordText = (await record.first().textContent()) ?? '';
      expect(recordText).toContain('Create Customer Purchase Permission');
      expect(recordText).toContain('Azure reservations');
      expect(recordText).toContain('Succeeded');
      await shoot(page, 'permissions-activity');
    },
    testTimeout,
  );

  it(
    "(b) shows the Sales agent Fabrikam's permissions read-only, with no Edit button",
    async () => {
      const page = await newPage();
      await signIn(page, sales);
      await openCustomer(page, 'Fabrikam');
      await page.getByTestId('permissions-read-only').waitFor();
      expect(await page.getByTestId('customer-permissions').isVisible()).toBe(true);
      expect(await state(page, 'AzureReservedInstances')).toBe('Allowed to buy'); // set in (a)
      expect(await state(page, 'AzureSavingsPlan')).toBe('Not allowed');
      expect(await page.getByTestId('permissions-edit').count()).toBe(0);
      expect(await page.getByTestId('permissions-read-only').textContent()).toContain(
        'Only Admin agents can change customer permissions',
      );
      await shoot(page, 'permissions-sales-readonly');

      await switchLanguage(page, 'id');
      expect(await page.getByTestId('permissions-read-only').textContent()).toContain(
        'Hanya Agen admin yang dapat mengubah izin pelanggan',
      );
      expect(await state(page, 'AzureReservedInstances')).toBe('Diizinkan membeli');
      await shoot(page, 'permissions-sales-readonly-id');
      await switchLanguage(page, 'en');

      // R2: a change sent anyway (an old tab, a script) is refused, changes nothing and is recorded.
      const customerId = /\/partner\/customers\/([^/]+)\//.exec(page.url())![1];
      const refused = await page.request.put(
        `${server.url}/api/customers/${customerId}/permissions/AzureSavingsPlan`,
        { data: { allowed: true } },
      );
      expect(refused.status()).toBe(403);
      expect((await refused.json()).error.code).toBe('admin-agent-required');

      // The Manage dialog is read-only for them too.
      await page.getByTestId('tab-subscriptions').click();
      await page.locator('[data-testid^="manage-"]').first().click();
      const dialog = page.getByTestId('role-assignments-dialog');
      await dialog.getByTestId('role-assignment-row').first().waitFor();
      await dialog.getByTestId('role-assignments-read-only').waitFor();
      expect(await dialog.getByTestId('add-role-form').count()).toBe(0);
      expect(await dialog.locator('[data-testid^="remove-role-"]').count()).toBe(0);
    },
    testTimeout,
  );

  it(
    '(c) shows why Northwind Traders (licences only) cannot be allowed, with the way to an Azure plan',
    async () => {
      const page = await newPage();
      await signIn(page, admin);
      await openCustomer(page, 'Northwind Traders');
      expect(await page.getByTestId('permission-blocked-note-AzureReservedInstances').isVisible()).toBe(true);
      await page.getByTestId('permissions-edit').click();
      const blocked = page.getByTestId('permissions-blocked-AzureReservedInstances');
      await blocked.waitFor();
      expect(await page.getByTestId('allow-AzureReservedInstances').isDisabled()).toBe(true);
      expect(await page.getByTestId('allow-AzureSavingsPlan').isDisabled()).toBe(true);
      expect(await page.getByTestId('deny-AzureReservedInstances').isEnabled()).toBe(true);
      const text = (await blocked.textContent()) ?? '';
      expect(text).toContain('An Azure plan is needed first');
      expect(text).toContain('Northwind Traders has no active Azure plan');
      await shoot(page, 'permissions-northwind-blocked');

      await switchLanguage(page, 'id');
      expect(await blocked.textContent()).toContain('Perlu paket Azure terlebih dahulu');
      await shoot(page, 'permissions-northwind-blocked-id');
      await switchLanguage(page, 'en');

      // The way forward is to buy the Azure plan (R20): the bar opens the Subscriptions tab's dialog.
      await blocked.getByRole('button', { name: 'Add Azure plan' }).click();
      await page.getByTestId('azure-plan-dialog').waitFor();
      expect(page.url()).toMatch(/\/partner\/customers\/[^/]+\/subscriptions/);
      await page.keyboard.press('Escape');
      const manage = page.locator('[data-testid^="manage-"]').first();
      await manage.waitFor();
      expect(await manage.getAttribute('aria-disabled')).toBe('true'); // licences have no roles
    },
    testTimeout,
  );

  it(
    "(d) lets the Admin agent give Fabrikam's reader the Contributor role on the Azure plan",
    async () => {
      const page = await newPage();
      await signIn(page, admin);
      await openCustomer(page, 'Fabrikam');
      await page.getByTestId('tab-subscriptions').click();
      await page.locator('[data-testid^="manage-"]').first().click();
      const dialog = page.getByTestId('role-assignments-dialog');
      const rows = dialog.getByTestId('role-assignment-row');
      await rows.first().waitFor();
      const row = (email: string, role: string) =>
        dialog.locator(`[data-testid="role-assignment-row"][data-email="${email}"][data-role="${role}"]`);
      expect(await row('owner@fabrikam.example', 'Owner').count()).toBe(1);
      expect(await row('reader@fabrikam.example', 'Reader').count()).toBe(1);
      expect(await dialog.textContent()).toContain('need the Owner role');

      await dialog.getByTestId('add-role-user').click();
      await page.getByRole('option', { name: /Eko Prasetyo/ }).click();
      await dialog.getByTestId('add-role-role').click();
      await page.getByRole('option', { name: /^Contributor/ }).click();
      await dialog.getByTestId('add-role-save').click();
      await row('reader@fabrikam.example', 'Contributor').waitFor();
      expect(await dialog.getByTestId('role-assignments-notice').textContent()).toContain(
        'Eko Prasetyo now has the Contributor role.',
      );
      await shoot(page, 'role-assignments');

      // The same dialog in Bahasa Indonesia (the language menu sits behind the modal: close first).
      await page.getByTestId('role-assignments-close').click();
      await switchLanguage(page, 'id');
      await page.locator('[data-testid^="manage-"]').first().click();
      await dialog.getByText('Kelola akses').waitFor();
      await row('owner@fabrikam.example', 'Owner').waitFor();
      expect(await row('owner@fabrikam.example', 'Owner').textContent()).toContain('Pemilik');
      await shoot(page, 'role-assignments-id');
      await page.getByTestId('role-assignments-close').click();
      await switchLanguage(page, 'en');

      // Remove asks once, then takes the role away.
      await page.locator('[data-testid^="manage-"]').first().click();
      const contributor = row('reader@fabrikam.example', 'Contributor');
      await contributor.locator('[data-testid^="remove-role-"]').click();
      await page.getByTestId('remove-role-confirm').click();
      await dialog.getByTestId('role-assignments-notice').waitFor();
      expect(await dialog.getByTestId('role-assignments-notice').textContent()).toBe(
        'The Contributor role of Eko Prasetyo was removed.',
      );
      await contributor.waitFor({ state: 'detached' });
      expect(await rows.count()).toBe(2);
      await page.getByTestId('role-assignments-close').click();

      // Recorded in the activity log as Mitra's own operation.
      await page.getByTestId('nav-settings').click();
      const record = page
        .locator('[data-testid="activity-row"][data-operation-type="create_role_assignment"]')
        .filter({ hasText: 'Fabrikam' });
      await record.first().waitFor();
      expect(await record.first().textContent()).toContain('Assign role');
      expect(await record.first().textContent()).toContain('Contributor · reader@fabrikam.example');
      const removal = page.locator(
        '[data-testid="activity-row"][data-operation-type="delete_role_assignment"]',
      );
      expect(await removal.first().textContent()).toContain('Remove role');
      // The Sales agent's refused attempt of (b): a "Refused" badge and the reason.
      const declined = page
        .locator('[data-testid="activity-row"][data-operation-type="create_self_serve_policy"]')
        .filter({ hasText: sales });
      expect(await declined.locator('[data-status="decline"]').textContent()).toBe('Refused');
      expect(await declined.getByTestId('activity-reason').textContent()).toContain('Only an Admin agent');
      await shoot(page, 'permissions-activity-refused');
    },
    testTimeout,
  );
});
