import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chromiumPath,
  englishPage,
  hasChromium,
  launchBrowser,
  screenshotDir,
  screenshotWhole,
  signInAs,
  switchLanguage,
} from '../support/portal-browser.ts';
import { startTestServer } from '../support/server.ts';

// The notification feed (B1) in the partner portal: a customer's purchase makes the bell count go
// up; the panel shows the entry; clicking it opens the reservation and the count goes down.

if (!hasChromium) console.warn(`Skipping the notification browser tests: ${chromiumPath} does not exist.`);

const admin = 'admin@contoso-partner.example';
const owner = 'owner@fabrikam.example';
const docsDir = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));

// docs/flows.md shows these; `MITRA_PUBLISH_SCREENSHOTS=1` refreshes them there, so that a plain
// test run leaves the working tree as it found it.
async function shoot(page: Page, name: string) {
  await screenshotWhole(page, name);
  if (!process.env.MITRA_PUBLISH_SCREENSHOTS) return;
  mkdirSync(docsDir, { recursive: true });
  copyFileSync(`${screenshotDir}${name}.png`, `${docsDir}${name}.png`);
}

describe.skipIf(!hasChromium)('notification feed in a browser', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  async function token(email: string) {
    const res = await fetch(`${server.url}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'password', username: email, password: 'demo-password' }),
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { access_token: string }).access_token;
  }
  async function call(email: string, method: string, path: string, body?: unknown) {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${await token(email)}`,
        'idempotency-key': randomUUID(),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    expect(res.status, text).toBeLessThan(300);
    return text ? JSON.parse(text) : undefined;
  }

  beforeAll(async () => {
    server = await startTestServer({ demo: true });
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await server?.close();
  }, 60_000);

  const count = async (page: Page) => {
    const badge = page.getByTestId('notification-count');
    return (await badge.count()) ? Number(await badge.textContent()) : 0;
  };

  it('the bell counts a customer purchase; the entry opens the reservation and the count drops', async () => {
    const { page, context } = await englishPage(browser);
    contexts.push(context);
    const customers = await call(admin, 'GET', '/v1/customers?size=500');
    const fabrikam = customers.items.find(
      (c: { companyProfile: { companyName: string } }) => c.companyProfile.companyName === 'Fabrikam',
    );
    const subs = await call(admin, 'GET', `/v1/customers/${fabrikam.id}/subscriptions`);
    await call(admin, 'PUT', `/api/customers/${fabrikam.id}/permissions/AzureReservedInstances`, {
      allowed: true,
    });
    await call(admin, 'PUT', `/api/customers/${fabrikam.id}/permissions/AzureSavingsPlan`, { allowed: true });
    await call(admin, 'POST', '/api/notifications/read-all');

    await signInAs(page, server.url, admin);
    await page.waitForURL(/\/partner\/customers$/);
    await page.getByTestId('notification-bell').waitFor();
    expect(await count(page)).toBe(0);

    const bought = await call(owner, 'POST', '/api/my/reservations', {
      billingSubscriptionId: subs.items[0].id,
      sku: 'Standard_D2s_v3',
      region: 'eastus',
      term: 'P1Y',
      billingPlan: 'Monthly',
      quantity: 1,
    });
    await call(owner, 'POST', '/api/my/savings-plans', {
      billingSubscriptionId: subs.items[0].id,
      hourlyCommitment: '1.00',
      term: 'P1Y',
      billingPlan: 'Monthly',
    });
    // The bell polls; a reload shows it at once.
    await page.reload();
    await page.getByTestId('notification-count').waitFor();
    expect(await count(page)).toBe(2);

    await page.getByTestId('notification-bell').click();
    const panel = page.getByTestId('notification-panel');
    await panel.waitFor();
    const entry = panel.locator(
      '[data-testid="notification-entry"][data-type="customer.reservation.purchased"]',
    );
    await entry.waitFor();
    expect(await entry.getAttribute('data-read')).toBe('false');
    expect(await entry.getByTestId('notification-sentence').textContent()).toContain(
      `${owner} of Fabrikam bought`,
    );
    const plan = panel.locator(
      '[data-testid="notification-entry"][data-type="customer.savingsplan.purchased"]',
    );
    expect(await plan.getByTestId('beyond-partner-center').count()).toBe(1);
    await shoot(page, 'partner-notifications-panel-en');

    await entry.click();
    await page.waitForURL(new RegExp(`/partner/customers/${fabrikam.id}/reservations/${bought.id}$`));
    await expect.poll(() => count(page)).toBe(1);

    // The whole feed, then the same in Bahasa Indonesia.
    await page.goto(`${server.url}/partner/notifications`);
    await page.getByTestId('notifications-page-list').waitFor();
    await shoot(page, 'partner-notifications-en');
    await switchLanguage(page, 'id');
    await page.getByText('Paket penghematan dibeli untuk pelanggan').first().waitFor();
    await shoot(page, 'partner-notifications-id');
    await page.getByTestId('notification-bell').click();
    await page.getByTestId('notification-panel').getByText('Reservasi dibeli untuk pelanggan').waitFor();
    await shoot(page, 'partner-notifications-panel-id');
    await page.keyboard.press('Escape');

    // Preferences: e-mail on for customer purchases, saved, read back.
    await page.goto(`${server.url}/partner/settings/notifications`);
    const row = page.locator(
      '[data-testid="notification-preferences"] tr[data-type="customer.savingsplan.purchased"]',
    );
    await row.waitFor();
    await shoot(page, 'partner-notification-settings-id');
    await switchLanguage(page, 'en');
    await row.getByTestId('pref-email').click();
    await page.getByTestId('preferences-save').click();
    await page.getByText('Saved.').waitFor();
    await shoot(page, 'partner-notification-settings-en');
    const prefs = await call(admin, 'GET', '/api/notification-preferences');
    expect(
      prefs.items.find((p: { type: string }) => p.type === 'customer.savingsplan.purchased'),
    ).toMatchObject({
      inApp: true,
      email: true,
    });

    // The partner's alert settings (Admin agents): under 70 % over 14 days.
    await page.getByTestId('alert-threshold').fill('70');
    await page.getByTestId('alert-window').fill('14');
    await page.getByTestId('alert-settings-save').click();
    await expect
      .poll(async () => (await call(admin, 'GET', '/api/alert-settings')).underutilization)
      .toEqual({ thresholdPercent: 70, windowDays: 14 });

    // B3: the customer's own savings plan opens from its entry, marked beyond Partner Center.
    await page.goto(`${server.url}/partner/notifications`);
    await page
      .getByTestId('notifications-page-list')
      .locator('[data-testid="notification-entry"][data-type="customer.savingsplan.purchased"]')
      .click();
    await page.waitForURL(/\/savings-plans\/[^/]+$/);
    await page.getByRole('dialog').getByTestId('beyond-badge').waitFor();
    await shoot(page, 'partner-savings-plan-beyond-partner-center-en');
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });

    expect(await count(page)).toBe(0);

    // Mark all read from the panel: the badge goes away.
    await call(admin, 'PUT', `/api/customers/${fabrikam.id}/permissions/AzureSavingsPlan`, {
      allowed: false,
    });
    await page.reload();
    await page.getByTestId('notification-count').waitFor();
    expect(await count(page)).toBe(1);
    await page.getByTestId('notification-bell').click();
    await page.getByTestId('notifications-mark-all').click();
    await expect.poll(() => count(page)).toBe(0);
  }, 120_000);
});
