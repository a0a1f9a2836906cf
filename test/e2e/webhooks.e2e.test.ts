import type { Browser, BrowserContext } from 'playwright-core';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  parseRetrySchedule,
  strictWebhookSettings,
  type WebhookSettings,
} from '../../src/domain/webhooks.ts';
import { deliverDueWebhooks } from '../../src/jobs/webhook-delivery.ts';
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
import { type Receiver, startReceiver } from '../webhooks/receiver.ts';

// The Webhooks page (B1) in Chromium against a real server: an Admin agent adds an endpoint (a
// receiver on 127.0.0.1, allowed for the test), sees its secret once, sends a test event, sees a
// real event's delivery with its attempts, and replays it; in English and Indonesian.

if (!hasChromium) console.warn(`Skipping the webhooks browser test: ${chromiumPath} does not exist.`);

const admin = 'admin@contoso-partner.example';
const settings: WebhookSettings = {
  ...strictWebhookSettings,
  allowHttp: true,
  allowPrivate: true,
  timeoutMs: 2_000,
  leaseMs: 5_000,
  retrySchedule: parseRetrySchedule('1h'),
};

describe.skipIf(!hasChromium)('the Webhooks page in a browser', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: Browser;
  let receiver: Receiver;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    server = await startTestServer({ webhooks: settings });
    let n = 0;
    // The first real delivery fails once (a 503), so the list shows a failed attempt before the replay.
    receiver = await startReceiver((r) => {
      if (JSON.parse(r.body).type === 'webhook.test') return 200;
      n += 1;
      return n === 1 ? 503 : 200;
    });
    browser = await launchBrowser();
  }, 300_000);

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await receiver?.close();
    await server?.close();
  }, 60_000);

  it('adds an endpoint, shows the secret once, lists a delivery with its attempts and replays it', async () => {
    const { page, context } = await englishPage(browser);
    contexts.push(context);
    await signInAs(page, server.url, admin);
    await page.waitForURL(/\/partner\/customers$/);
    await page.getByRole('link', { name: 'Webhooks' }).click();
    await page.waitForURL(/\/partner\/settings\/webhooks$/);
    await page.getByTestId('webhooks-empty').waitFor();

    await page.getByTestId('add-webhook').click();
    await page.getByTestId('webhook-url').fill(receiver.url);
    await page.getByTestId('webhook-description').fill('ERP integration');
    await page.getByTestId('event-customer.permission.enabled').click();
    await page.getByTestId('event-customer.permission.disabled').click();
    await shoot(page, 'webhooks-add-en');
    await page.getByTestId('save-webhook').click();
    const secret = (await page.getByTestId('webhook-secret').textContent())!.trim();
    expect(secret).toMatch(/^whsec_/);
    await shoot(page, 'webhooks-secret-en');
    await page.getByTestId('close-secret').click();
    await page.getByTestId('webhook-row').waitFor();
    // Shown once: nowhere on the page afterwards, and not after a reload either.
    expect(await page.content()).not.toContain(secret);
    await page.reload();
    await page.getByTestId('webhook-row').waitFor();
    expect(await page.content()).not.toContain(secret);

    await page.getByTestId('test-webhook').click();
    await page.getByTestId('delivery-row').first().waitFor();
    expect(await page.getByTestId('webhook-deliveries').textContent()).toContain('Test event');

    // A real event: an Admin agent turns a customer permission off through the API, the worker sends it.
    const customers = await page.evaluate(() => fetch('/api/customers').then((r) => r.json()));
    const fabrikam = customers.items.find((c: { companyName: string }) => c.companyName === 'Fabrikam').id;
    const put = await page.evaluate(
      (id) =>
        fetch(`/api/customers/${id}/permissions/AzureReservedInstances`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ allowed: false }),
        }).then((r) => r.status),
      fabrikam,
    );
    expect(put).toBe(200);
    const put2 = await page.evaluate(
      (id) =>
        fetch(`/api/customers/${id}/permissions/AzureReservedInstances`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ allowed: true }),
        }).then((r) => r.status),
      fabrikam,
    );
    expect(put2).toBe(200);
    await deliverDueWebhooks(server.db, settings);
    await page.reload();
    await page.getByTestId('show-deliveries').click();
    await page.getByText('A customer permission was enabled').first().waitFor();
    const rows = page.getByTestId('delivery-row');
    await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(2);
    expect(await page.getByTestId('webhook-deliveries').textContent()).toContain('HTTP 503');
    for (const r of receiver.received)
      expect(() => new Webhook(secret).verify(r.body, r.headers as Record<string, string>)).not.toThrow();

    // Replay the failed one: the same webhook-id arrives again, and the row shows the replayed attempt.
    const failedRow = rows.filter({ hasText: 'HTTP 503' }).first();
    const before = receiver.received.length;
    await failedRow.getByTestId('replay-delivery').click();
    await expect.poll(() => receiver.received.length).toBe(before + 1);
    await page.getByText('HTTP 200 ·', { exact: false }).first().waitFor();
    await expect
      .poll(async () => (await page.getByTestId('webhook-deliveries').textContent()) ?? '')
      .toContain('replay');
    const replayed = receiver.received.at(-1)!;
    const original = receiver.received.find(
      (r) => r.headers['webhook-id'] === replayed.headers['webhook-id'],
    );
    expect(original).not.toBe(replayed);
    await shoot(page, 'webhooks-en');

    await switchLanguage(page, 'id');
    await page.getByText('Pengiriman ke', { exact: false }).waitFor();
    await shoot(page, 'webhooks-id');
    await switchLanguage(page, 'en');
  });
});
