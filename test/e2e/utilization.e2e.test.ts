import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
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

// Utilisation of reservations and savings plans, and the exchange priced by the server, in Chromium
// against a real server with the demo data plus the demo's partner-bought reservation and savings
// plan for Fabrikam (benefits applied to its 7 days of usage): (a) Fabrikam's Owner sees the
// figures and the daily chart on the reservation's and the savings plan's pages, in both languages;
// (b) the Admin agent sees them in the Reservations drawer, follows the reservation to its row in
// the order history and back; (c) the exchange dialog shows the server's credit, new total and net
// payable, and a refused exchange its reason with Confirm disabled; (d) a month of varied days (a
// falling trend, a day without capacity, days without results) draws as it should.

if (!hasChromium) console.warn(`Skipping the utilisation browser tests: ${chromiumPath} does not exist.`);

const admin = 'admin@contoso-partner.example';
const owner = 'owner@fabrikam.example';
const testTimeout = 120_000;

type Utilization = {
  aggregates: { grain: 1 | 7 | 30; value: number | null }[];
  trend: string | null;
  daily: { day: string; utilizationPct: number | null }[];
};
type Commitment = { id: string; displayName: string; partnerOrderId: string | null; [key: string]: unknown };

/** What the English UI shows for a percentage (87.35 → "87.4%"). */
const percent = (value: number | null) =>
  value === null
    ? '—'
    : new Intl.NumberFormat('en-GB', { style: 'percent', maximumFractionDigits: 1 }).format(value / 100);

describe.skipIf(!hasChromium)('utilisation and the exchange quote in a browser', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let fabrikamId = '';

  beforeAll(async () => {
    server = await startTestServer({ demo: true, commitments: true });
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

  /** The page from the top down to the bottom of `until` (a docs picture, kept small). */
  async function shootTo(page: Page, name: string, until: Locator) {
    await page.mouse.move(1, 1);
    await page.waitForTimeout(300);
    const box = (await until.boundingBox())!;
    const viewport = page.viewportSize()!;
    await page.screenshot({
      path: `${screenshotDir}${name}.png`,
      clip: { x: 0, y: 0, width: viewport.width, height: Math.min(viewport.height, box.y + box.height + 24) },
    });
  }

  const json = async (page: Page, path: string) => (await page.request.get(`${server.url}${path}`)).json();

  /** The three figures and the chart agree with the API's answer. */
  async function expectUtilisation(scope: Page | ReturnType<Page['getByTestId']>, u: Utilization) {
    await scope.getByTestId('utilisation-panel').waitFor();
    for (const grain of [1, 7, 30] as const) {
      const value = u.aggregates.find((a) => a.grain === grain)!.value;
      expect(await scope.getByTestId(`utilisation-figure-${grain}`).textContent()).toBe(percent(value));
    }
    const chart = scope.getByTestId('utilisation-chart');
    expect(await chart.getAttribute('role')).toBe('img');
    const known = u.daily.filter((d) => d.utilizationPct !== null).length;
    expect(await chart.getAttribute('aria-label')).toContain(`${known} days with data`);
    expect(await scope.getByTestId('utilisation-day').count()).toBe(30);
    expect(await scope.getByTestId('utilisation-bar').count()).toBe(known);
    expect(await scope.getByTestId('utilisation-trend').getAttribute('data-trend')).toBe(u.trend ?? '');
  }

  it(
    "(a) Fabrikam's Owner sees the utilisation figures and the daily chart of its reservation and savings plan",
    async () => {
      const page = await newPage();
      await signIn(page, owner);
      const reservations = (await json(page, '/api/my/reservations')).items as Commitment[];
      const reservation = reservations.find((c) => c.displayName.endsWith('web fleet'))!;
      expect(reservation).toBeDefined();
      const answer = await page.request.get(
        `${server.url}/api/my/reservations/${reservation.id}/utilization`,
      );
      expect(answer.status(), 'GET /api/my/reservations/{id}/utilization (docs/api-mitra.md)').toBe(200);
      const u: Utilization = await answer.json();
      // The demo applied benefits: utilisation is not empty.
      expect(u.daily.length).toBeGreaterThan(0);
      expect(u.aggregates.every((a) => a.value !== null)).toBe(true);

      await page.goto(`${server.url}/customer/reservations`);
      await page
        .locator(`[data-testid="commitment-row"][data-id="${reservation.id}"]`)
        .getByTestId('commitment-link')
        .click();
      await page.waitForURL(new RegExp(`/customer/reservations/${reservation.id}$`));
      const card = page.getByTestId('utilisation');
      await expectUtilisation(page, u);
      expect(await card.getByTestId('utilisation-placeholder').count()).toBe(0);
      expect(await card.textContent()).toContain('Last day');

      // Hovering a day shows its date and percentage.
      const last = u.daily[u.daily.length - 1];
      const bar = page.locator(`[data-testid="utilisation-day"][data-day="${last.day}"]`);
      const box = (await bar.boundingBox())!;
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      const tooltip = page.getByTestId('utilisation-tooltip');
      await tooltip.waitFor();
      const dayText = new Intl.DateTimeFormat('en-GB', {
        weekday: 'short',
        day: 'numeric',
        month: 'short',
        year: 'numeric',
        timeZone: 'UTC',
      }).format(new Date(`${last.day}T00:00:00Z`));
      expect(await tooltip.textContent()).toBe(`${dayText}${percent(last.utilizationPct)}`);
      await card.screenshot({ path: `${screenshotDir}customer-utilization-card.png` });
      await shootTo(page, 'customer-utilization', card);

      await switchLanguage(page, 'id');
      expect(await card.textContent()).toContain('Hari terakhir');
      expect(await card.textContent()).toContain('30 hari');
      expect(await page.getByTestId('utilisation-chart').getAttribute('aria-label')).toContain(
        'hari dengan data',
      );
      await shoot(page, 'customer-utilization-id');
      await switchLanguage(page, 'en');

      // The savings plan's page too.
      const plans = (await json(page, '/api/my/savings-plans')).items as Commitment[];
      const plan = plans.find((c) => c.displayName === 'Compute savings plan')!;
      const planUse: Utilization = await json(page, `/api/my/savings-plans/${plan.id}/utilization`);
      await page.goto(`${server.url}/customer/savings-plans/${plan.id}`);
      await expectUtilisation(page, planUse);
      expect(await page.getByTestId('utilisation').textContent()).toContain('hourly commitment');
    },
    testTimeout,
  );

  it(
    '(b) the Admin agent sees the utilisation in the Reservations drawer and follows it to the order history',
    async () => {
      const page = await newPage();
      await signIn(page, admin);
      const customers = await json(page, '/api/customers?search=Fabrikam');
      fabrikamId = customers.items.find((c: { companyName: string }) => c.companyName === 'Fabrikam').id;
      const reservations = (await json(page, `/api/customers/${fabrikamId}/reservations`))
        .items as Commitment[];
      const reservation = reservations.find((c) => c.displayName.endsWith('web fleet'))!;
      expect(reservation.partnerOrderId).toBeTruthy();
      const u: Utilization = await json(
        page,
        `/api/customers/${fabrikamId}/reservations/${reservation.id}/utilization`,
      );

      await page.goto(`${server.url}/partner/customers/${fabrikamId}/reservations`);
      await page
        .locator(`[data-testid="commitment-row"][data-id="${reservation.id}"]`)
        .getByTestId('commitment-link')
        .click();
      await page.waitForURL(new RegExp(`/reservations/${reservation.id}$`));
      const drawer = page.getByTestId('commitment-drawer');
      await expectUtilisation(drawer, u);
      await shoot(page, 'partner-utilization');

      // The reservation's order in the order history, highlighted, and back.
      await drawer.getByTestId('order-history-link').click();
      await page.waitForURL(new RegExp(`/orders/${reservation.partnerOrderId}$`));
      const row = page.locator(`[data-testid="order-row"][data-id="${reservation.partnerOrderId}"]`);
      await row.waitFor();
      expect(await row.getAttribute('data-selected')).toBe('true');
      expect(await page.getByTestId('order-line-items').count()).toBe(1);
      await shoot(page, 'partner-order-history-reservation');
      await row.getByTestId('order-commitment-link').click();
      await page.waitForURL(new RegExp(`/reservations/${reservation.id}$`));
      await drawer.getByTestId('utilisation-panel').waitFor();

      // The savings plan in the Savings plans drawer.
      const plans = (await json(page, `/api/customers/${fabrikamId}/savings-plans`)).items as Commitment[];
      const plan = plans.find((c) => c.displayName === 'Compute savings plan')!;
      const planUse: Utilization = await json(
        page,
        `/api/customers/${fabrikamId}/savings-plans/${plan.id}/utilization`,
      );
      await page.goto(`${server.url}/partner/customers/${fabrikamId}/savings-plans/${plan.id}`);
      await expectUtilisation(page.getByTestId('commitment-drawer'), planUse);
    },
    testTimeout,
  );

  it(
    "(c) the exchange dialog shows the server's credit, new total and net payable, and a refusal's reason",
    async () => {
      const page = await newPage();
      await signIn(page, admin);
      const reservations = (await json(page, `/api/customers/${fabrikamId}/reservations`))
        .items as Commitment[];
      const r = reservations.find((c) => c.displayName.endsWith('web fleet'))!;
      await page.goto(`${server.url}/partner/customers/${fabrikamId}/reservations/${r.id}`);
      const drawer = page.getByTestId('commitment-drawer');
      await drawer.getByTestId('exchange-open').click();
      const dialog = page.getByTestId('exchange-dialog');
      const preview = dialog.getByTestId('exchange-preview');

      // Opened on the reservation's own size, region, term and quantity: priced by the server.
      const body = {
        billingSubscriptionId: r.billingSubscriptionId,
        sku: r.sku,
        region: r.region,
        term: r.term,
        billingPlan: r.billingPlan,
        quantity: 3,
        appliedScopeType: r.appliedScopeType,
        appliedScope: r.appliedScope,
      };
      const quoteOf = async (data: object) =>
        (
          await page.request.post(
            `${server.url}/api/customers/${fabrikamId}/reservations/${r.id}/exchange-quote`,
            { data },
          )
        ).json();
      await dialog.getByTestId('exchange-quantity').fill('3');
      await dialog.getByTestId('exchange-quantity').press('Enter');
      await dialog.locator('[data-testid="exchange-preview"][data-state="valid"]').waitFor();
      const quote = await quoteOf(body);
      expect(quote.valid).toBe(true);
      await dialog
        .getByTestId('exchange-new-total')
        .filter({ hasText: usd(quote.newTotal) })
        .waitFor();
      expect(await dialog.getByTestId('exchange-credit').textContent()).toBe(usd(quote.credit));
      expect(await dialog.getByTestId('exchange-net').textContent()).toBe(usd(quote.netPayable));
      expect(await dialog.getByTestId('exchange-confirm').isEnabled()).toBe(true);
      await shoot(page, 'partner-exchange-quote');

      // A smaller purchase than the credit: the server's reason, and no Confirm.
      await dialog.getByTestId('exchange-quantity').fill('1');
      await dialog.getByTestId('exchange-quantity').press('Enter');
      await dialog.getByTestId('exchange-vm-size').click();
      await page.getByRole('option', { name: /^Standard_B1ms/ }).click();
      await dialog.locator('[data-testid="exchange-preview"][data-state="refused"]').waitFor();
      const refused = await quoteOf({ ...body, sku: 'Standard_B1ms', quantity: 1 });
      expect(refused.valid).toBe(false);
      expect(await dialog.getByTestId('exchange-reason').textContent()).toBe(refused.reason);
      expect(await dialog.getByTestId('exchange-new-total').textContent()).toBe(usd(refused.newTotal));
      expect(await dialog.getByTestId('exchange-confirm').isDisabled()).toBe(true);
      await shoot(page, 'partner-exchange-refused');
      expect(await preview.getAttribute('data-state')).toBe('refused');
    },
    testTimeout,
  );

  it(
    '(d) a falling month: the trend arrow, a day without capacity and days without results',
    async () => {
      const page = await newPage();
      await signIn(page, admin);
      const plans = (await json(page, `/api/customers/${fabrikamId}/savings-plans`)).items as Commitment[];
      const plan = plans.find((c) => c.displayName === 'Compute savings plan')!;
      // The demo has 7 days of usage: answer a synthetic month to see the rest of the drawing.
      const last = Date.UTC(2026, 10, 23);
      const daily = Array.from({ length: 28 }, (_, i) => {
        const day = new Date(last - (27 - i) * 86_400_000).toISOString().slice(0, 10);
        const pct = i === 10 ? null : Math.round((95 - i * 1.8 + (i % 3) * 4) * 100) / 100;
        return { day, capacity: pct === null ? '0' : '12', consumed: '0', utilizationPct: pct };
      });
      const synthetic: Utilization = {
        aggregates: [
          { grain: 1, value: 49.8 },
          { grain: 7, value: 52.35 },
          { grain: 30, value: 71.2 },
        ],
        trend: 'DOWN',
        daily,
      };
      await page.route(`**/api/customers/${fabrikamId}/savings-plans/${plan.id}/utilization`, (route) =>
        route.fulfill({ json: synthetic }),
      );
      await page.goto(`${server.url}/partner/customers/${fabrikamId}/savings-plans/${plan.id}`);
      const drawer = page.getByTestId('commitment-drawer');
      await expectUtilisation(drawer, synthetic);
      expect(await drawer.getByTestId('utilisation-figure-7').textContent()).toBe('52.4%');
      expect(await drawer.getByTestId('utilisation-trend').textContent()).toContain('Falling');
      expect(await drawer.getByTestId('utilisation-bar').count()).toBe(27);
      const gap = drawer.locator(`[data-testid="utilisation-day"][data-day="${daily[10].day}"]`);
      const box = (await gap.boundingBox())!;
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      expect(await drawer.getByTestId('utilisation-tooltip').textContent()).toContain('no capacity');
      await drawer
        .getByTestId('utilisation')
        .screenshot({ path: `${screenshotDir}partner-utilization-trend.png` });
    },
    testTimeout,
  );
});
