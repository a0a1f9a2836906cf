import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
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
} from '../support/portal-browser.ts';
import { startTestServer } from '../support/server.ts';

// Customer invoices (B10) in both portals, in Chromium against a real server with the demo data: 40
// days of usage, so last month has charges, and Contoso's past months closed as on a fresh install
// (Litware's stay open, to be closed from the portal). The tests build on each other, in order:
// (a) the Admin agent reads last month's issued invoice and its PDF, (b) in Indonesian, (c) the
// current month's draft, (d) changes the tax and corrects the invoice with a credit note, (e) the
// Sales agent has no Invoices tab, (f) Fabrikam's Owner reads its invoices, (g) Litware's Admin agent
// closes a month early.

if (!hasChromium) console.warn(`Skipping the invoices browser tests: ${chromiumPath} does not exist.`);

const admin = 'admin@contoso-partner.example';
const sales = 'sales@contoso-partner.example';
const owner = 'owner@fabrikam.example';
const litwareAdmin = 'admin@litware-partner.example';
const testTimeout = 120_000;
const hasPdftoppm = existsSync('/usr/bin/pdftoppm');

const monthOf = (offset: number) => {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1)).toISOString().slice(0, 7);
};
const lastMonth = monthOf(-1);
const thisMonth = monthOf(0);

/** What the English UI shows for an IDR amount: two decimals, as the invoice was rounded. */
const idr = (amount: string) =>
  new Intl.NumberFormat('en-GB', {
    style: 'currency',
    currency: 'IDR',
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  }).format(amount as Intl.StringNumericLiteral);

interface Summary {
  id: string;
  kind: string;
  number: string | null;
  month: string;
  status: string;
  total: string | null;
}

describe.skipIf(!hasChromium)('customer invoices in a browser', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let fabrikamId = '';
  let original: Summary;

  beforeAll(async () => {
    server = await startTestServer({
      commitments: true,
      usageDays: 40,
      closeMonths: { partners: ['contoso'] },
    });
    browser = await launchBrowser();
  }, 240_000);

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
    await page.waitForURL(email.endsWith('-partner.example') ? /\/partner\/customers$/ : /\/customer\//);
  }

  const invoices = async (page: Page, customerId = fabrikamId) =>
    (await (await page.request.get(`${server.url}/api/customers/${customerId}/invoices`)).json())
      .items as Summary[];

  /** The document behind a download link, fetched with the page's session. */
  async function fetchDocument(page: Page, testId: string) {
    const href = await page.getByTestId(testId).getAttribute('href');
    const res = await page.request.get(`${server.url}${href}`);
    return { href: href ?? '', res, body: await res.body() };
  }

  it(
    "(a) the Admin agent reads last month's issued invoice, with the API's number and total, and its PDF",
    async () => {
      const page = await newPage();
      await signIn(page, admin);
      const customers = await (await page.request.get(`${server.url}/api/customers`)).json();
      fabrikamId = customers.items.find((c: { companyName: string }) => c.companyName === 'Fabrikam').id;
      await page.goto(`${server.url}/partner/customers/${fabrikamId}/invoices`);
      await page.getByTestId('tab-invoices').waitFor();

      const items = await invoices(page);
      original = items.find((i) => i.month === lastMonth && i.kind === 'invoice' && i.status === 'issued')!;
      expect(original.number).toMatch(/^INV-\d{6}$/);
      const detail = await (
        await page.request.get(`${server.url}/api/customers/${fabrikamId}/invoices/${original.id}`)
      ).json();
      // Newest first, and the page opens on the newest issued invoice: last month's.
      const rows = page.getByTestId('invoice-row');
      expect(await rows.count()).toBe(items.length);
      expect(await rows.first().getAttribute('data-month')).toBe(thisMonth);
      const document = page.getByTestId('invoice-document');
      await document.waitFor();
      expect(await document.getAttribute('data-invoice-id')).toBe(original.id);
      expect(await page.getByTestId('invoice-number').textContent()).toBe(original.number);
      expect(await page.getByTestId('invoice-total').textContent()).toBe(idr(detail.total));
      expect(await page.getByTestId('invoice-row-total').nth(1).textContent()).toBe(idr(original.total!));
      expect(await page.getByTestId('invoice-tax-row').textContent()).toContain('PPN 11%');
      expect(await document.getByTestId('invoice-status').textContent()).toBe('Issued');
      const rate = await page.getByTestId('invoice-rate').textContent();
      expect(rate).toMatch(/^Converted from USD at 1 USD = [\d,.]+ IDR, rate of \d{1,2} \w{3} \d{4}\.$/);
      expect(await page.getByTestId('invoice-ledger-header').textContent()).toBe('Ledger (USD)');
      expect(await page.getByTestId('invoice-line').count()).toBe(detail.lines.length);

      // The document goes in the customer's language by default: Fabrikam's is Indonesian.
      const pdfId = await fetchDocument(page, 'invoice-pdf');
      expect(pdfId.href).toContain('lang=id');
      expect(pdfId.res.status()).toBe(200);
      expect(pdfId.res.headers()['content-type']).toBe('application/pdf');
      expect(pdfId.body.subarray(0, 5).toString()).toBe('%PDF-');
      await page.getByTestId('invoice-document-language').click();
      await page.getByTestId('invoice-language-en').click();
      const pdfEn = await fetchDocument(page, 'invoice-pdf');
      expect(pdfEn.href).toContain('lang=en');
      expect(pdfEn.body.subarray(0, 5).toString()).toBe('%PDF-');
      const csv = await fetchDocument(page, 'invoice-csv');
      expect(csv.res.headers()['content-type']).toMatch(/text\/csv/);
      expect(csv.body.toString().split('\n')[0]).toBe('Number,Date,Type,Description,Amount,Currency');
      expect(csv.body.toString()).toContain(detail.total);
      await shoot(page, 'partner-invoice-en');

      // The PDF as the customer receives it, first page, in both languages.
      for (const [lang, pdf] of [
        ['en', pdfEn.body],
        ['id', pdfId.body],
      ] as const) {
        const file = `${screenshotDir}invoice-${lang}.pdf`;
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
            `${screenshotDir}invoice-pdf-${lang}`,
          ]);
      }
    },
    testTimeout,
  );

  it(
    '(b) in Bahasa Indonesia: labels, Indonesian dates and amounts',
    async () => {
      const page = await newPage();
      await signIn(page, admin);
      await page.goto(`${server.url}/partner/customers/${fabrikamId}/invoices/${original.id}`);
      await page.getByTestId('invoice-document').waitFor();
      await switchLanguage(page, 'id');
      expect(await page.getByTestId('tab-invoices').textContent()).toBe('Faktur');
      expect(await page.getByTestId('invoice-title').textContent()).toBe(`Faktur ${original.number}`);
      expect(await page.getByTestId('invoice-bill-to').textContent()).toContain('Ditagihkan kepada');
      expect(await page.getByTestId('invoice-pdf').textContent()).toBe('Unduh PDF');
      expect(await page.getByTestId('invoice-document').getByTestId('invoice-status').textContent()).toBe(
        'Diterbitkan',
      );
      expect(await page.getByTestId('invoice-rate').textContent()).toMatch(
        /^Dikonversi dari USD dengan kurs 1 USD = [\d.,]+ IDR, kurs tanggal \d{1,2} \w{3} \d{4}\.$/,
      );
      // Indonesian number format: dots for thousands, a comma before the cents.
      expect(await page.getByTestId('invoice-total').textContent()).toMatch(/^Rp\s[\d.]+,\d{2}$/);
      await shoot(page, 'partner-invoice-id');
      await switchLanguage(page, 'en');
    },
    testTimeout,
  );

  it(
    "(c) this month's draft says it is a draft, usage up to today, and when the month closes by itself",
    async () => {
      const page = await newPage();
      await signIn(page, admin);
      await page.goto(`${server.url}/partner/customers/${fabrikamId}/invoices`);
      await page.getByTestId('invoice-row').first().getByTestId('invoice-link').click();
      const note = page.getByTestId('invoice-draft-note');
      await note.waitFor();
      const text = await note.textContent();
      expect(text).toContain('This is a draft, not an invoice yet');
      expect(text).toContain('Azure usage is shown up to today');
      expect(text).toMatch(/closes by itself on \d{1,2} \w{3} \d{4}/);
      expect(await page.getByTestId('invoice-number').textContent()).toBe('Not issued yet');
      expect(await page.getByTestId('credit-note-open').count()).toBe(0);
      // Contoso's months before this one are all closed: nothing to close early.
      expect(await page.getByTestId('close-month-bar').count()).toBe(0);
      await shoot(page, 'partner-invoice-draft');
    },
    testTimeout,
  );

  it(
    '(d) the Admin agent sets the tax, then corrects the invoice with a credit note and sees the new numbers',
    async () => {
      const page = await newPage();
      await signIn(page, admin);
      await page.goto(`${server.url}/partner/customers/${fabrikamId}/invoices/${original.id}`);
      await page.getByTestId('invoice-document').waitFor();

      await page.getByTestId('invoice-tax-edit').click();
      await page.getByTestId('invoice-tax-rate').fill('12,5');
      await page.getByTestId('invoice-tax-save').click();
      await page.getByTestId('invoice-tax-dialog').waitFor({ state: 'detached' });
      expect(await page.getByTestId('invoice-tax-value').textContent()).toBe('PPN 12.5%');
      const tax = await (await page.request.get(`${server.url}/api/customers/${fabrikamId}/tax`)).json();
      expect(tax).toEqual({ taxRate: '12.5', taxName: 'PPN' });
      // The issued invoice keeps the tax it was issued with.
      expect(await page.getByTestId('invoice-tax-row').textContent()).toContain('PPN 11%');

      await page.getByTestId('credit-note-open').click();
      const dialog = page.getByTestId('credit-note-dialog');
      await dialog.waitFor();
      const consequences = await page.getByTestId('credit-note-consequences').textContent();
      expect(consequences).toContain(`${original.number} stays as it was issued`);
      expect(consequences).toContain('cancels it line for line');
      expect(consequences).toContain('PPN 12.5%');
      expect(await page.getByTestId('credit-note-confirm').isDisabled()).toBe(true);
      await page.getByTestId('credit-note-reason').fill('PPN rate changed to 12.5%');
      await shoot(page, 'partner-credit-note-dialog');
      await page.getByTestId('credit-note-confirm').click();
      const result = page.getByTestId('credit-note-result');
      await result.waitFor();

      const after = await invoices(page);
      const creditNote = after.find((i) => i.kind === 'credit_note' && i.month === lastMonth)!;
      const replacement = after.find(
        (i) => i.kind === 'invoice' && i.month === lastMonth && i.status === 'issued',
      )!;
      expect(creditNote.number).toMatch(/^CN-\d{6}$/);
      expect(replacement.number).not.toBe(original.number);
      expect(after.find((i) => i.id === original.id)?.status).toBe('credited');
      const said = await result.textContent();
      expect(said).toContain(creditNote.number!);
      expect(said).toContain(replacement.number!);

      await page.getByTestId('credit-note-open-replacement').click();
      await page.waitForURL(new RegExp(`/invoices/${replacement.id}$`));
      await page.locator(`[data-testid="invoice-document"][data-invoice-id="${replacement.id}"]`).waitFor();
      expect(await page.getByTestId('invoice-correction-note').textContent()).toContain(
        `Replaces invoice ${original.number}`,
      );
      expect(await page.getByTestId('invoice-tax-row').textContent()).toContain('PPN 12.5%');
      await page.locator(`[data-testid="invoice-row"][data-invoice-id="${original.id}"]`).click();
      expect(await page.getByTestId('invoice-credited-note').textContent()).toContain(
        `Credited by ${creditNote.number}`,
      );
      expect(await page.getByTestId('credit-note-open').count()).toBe(0);
      await shoot(page, 'partner-invoice-credited');

      // The activity log says which documents were issued, for which month, and the tax change.
      await page.goto(`${server.url}/partner/settings/activity`);
      const record = (type: string) =>
        page.locator(`[data-testid="activity-row"][data-operation-type="${type}"]`).first();
      await record('issue_credit_note').waitFor();
      const period = new Intl.DateTimeFormat('en-GB', {
        month: 'long',
        year: 'numeric',
        timeZone: 'UTC',
      }).format(new Date(`${lastMonth}-01T00:00:00Z`));
      expect(await record('issue_credit_note').getByTestId('activity-resource').textContent()).toBe(
        `Invoice · ${creditNote.number} · ${period} · -${idr(original.total!)}`,
      );
      expect(await record('issue_invoice').getByTestId('activity-resource').textContent()).toContain(
        `${replacement.number} · ${period}`,
      );
      expect(await record('update_customer_tax').getByTestId('activity-resource').textContent()).toBe(
        'Customer · PPN 11% → PPN 12.5%',
      );
      await shoot(page, 'partner-activity-invoices');
    },
    testTimeout,
  );

  it(
    '(e) the Sales agent has no Invoices tab, and the address itself says it is for Admin agents',
    async () => {
      const page = await newPage();
      await signIn(page, sales);
      await page.goto(`${server.url}/partner/customers/${fabrikamId}/account`);
      await page.getByTestId('tab-account').waitFor();
      expect(await page.getByTestId('tab-invoices').count()).toBe(0);
      await page.goto(`${server.url}/partner/customers/${fabrikamId}/invoices`);
      await page.getByText('Only an Admin agent can see and issue a customer’s invoices.').waitFor();
    },
    testTimeout,
  );

  it(
    "(f) Fabrikam's Owner reads its issued invoices and credit notes, and downloads them",
    async () => {
      const page = await newPage();
      await signIn(page, owner);
      await page.getByTestId('nav-invoices').click();
      await page.waitForURL(/\/customer\/invoices$/);
      await page.getByTestId('invoice-document').waitFor();
      const mine = (await (await page.request.get(`${server.url}/api/my/invoices`)).json())
        .items as Summary[];
      expect(mine.every((i) => i.status !== 'draft')).toBe(true);
      expect(await page.getByTestId('invoice-row').count()).toBe(mine.length);
      // It opens on the invoice in force: last month's replacement.
      const replacement = mine.find(
        (i) => i.kind === 'invoice' && i.month === lastMonth && i.status === 'issued',
      )!;
      expect(await page.getByTestId('invoice-document').getAttribute('data-invoice-id')).toBe(replacement.id);
      expect(await page.getByTestId('credit-note-open').count()).toBe(0);
      expect(await page.getByTestId('invoice-tax-card').count()).toBe(0);
      const pdf = await fetchDocument(page, 'invoice-pdf');
      expect(pdf.href).toContain('/api/my/invoices/');
      expect(pdf.res.status()).toBe(200);
      expect(pdf.body.subarray(0, 5).toString()).toBe('%PDF-');
      await shoot(page, 'customer-invoices-en');
      await page.locator(`[data-testid="invoice-row"][data-invoice-id="${original.id}"]`).click();
      await page.getByTestId('invoice-credited-note').waitFor();
    },
    testTimeout,
  );

  it(
    "(g) Litware's Admin agent closes an ended month early and sees the numbers issued",
    async () => {
      const page = await newPage();
      await signIn(page, litwareAdmin);
      const customers = await (await page.request.get(`${server.url}/api/customers`)).json();
      const adatum = customers.items.find((c: { companyName: string }) => c.companyName === 'Adatum').id;
      await page.goto(`${server.url}/partner/customers/${adatum}/invoices`);
      const open = page.getByTestId('close-month-open');
      await open.waitFor();
      const month = (await open.getAttribute('data-month'))!;
      expect(month < thisMonth).toBe(true);
      expect(await page.getByTestId('close-month-bar').textContent()).toMatch(/is still open/);
      await open.click();
      await page.getByTestId('close-month-dialog').waitFor();
      await shoot(page, 'partner-close-month-dialog');
      await page.getByTestId('close-month-confirm').click();
      const result = page.getByTestId('close-month-result');
      await result.waitFor();
      const issued = (await invoices(page, adatum)).find((i) => i.month === month)!;
      expect(issued.status).toBe('issued');
      expect(await result.textContent()).toContain(issued.number!);
      expect(await result.textContent()).toMatch(/is closed: 1 invoice issued/);
    },
    testTimeout,
  );
});
