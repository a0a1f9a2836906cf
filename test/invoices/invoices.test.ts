import Big from 'big.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoId, loadDemoCommitments } from '../../src/demo/load.ts';
import { inlineApply } from '../../src/jobs/engine-pool.ts';
import { closeDueMonths } from '../../src/jobs/month-close.ts';
import { closeMonth } from '../../src/services/invoices.ts';
import { demoWorld, type TestWorld, users } from '../support/app.ts';
import { allow, buy, fabrikam, reservationBody } from '../support/commitments.ts';
import { databaseKinds } from '../support/db.ts';

const monthOf = (offset: number) => {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1)).toISOString().slice(0, 7);
};
const lastMonth = monthOf(-1);
const thisMonth = monthOf(0);

interface InvoiceJson {
  id: string;
  number: string | null;
  status: string;
  month: string;
  currency: string;
  ledgerCurrency: string;
  exchangeRate: { rate: string; date: string; base: string; quote: string } | null;
  taxRate: string;
  subtotal: string;
  tax: string;
  total: string;
  lines: { ledgerEntryId: number | null; amount: string; ledgerAmount: string; type: string; date: string }[];
  creditedBy: string | null;
}

describe.each(databaseKinds)('customer invoices on %s', (kind) => {
  let world: TestWorld;
  beforeAll(async () => {
    // A demo with history: the previous months have charges and usage, as a fresh install has.
    world = await demoWorld(kind, { usageDays: 40 });
    await loadDemoCommitments(world.handle.db, inlineApply(), { usageDays: 40 });
    // Contoso's past months close as on a fresh install; Litware's stay open for the race below.
    await closeDueMonths(world.handle.db, { closeAfterDays: 0, partnerIds: [demoId('contoso')] });
  });
  afterAll(() => world.close());

  const get = async (url: string, who: string = users.admin, headers: Record<string, string> = {}) =>
    world.app.inject({ method: 'GET', url, headers: { ...(await world.as(who)), ...headers } });

  it('a fresh install shows issued invoices for past months and a draft for this one', async () => {
    const res = await get(`/api/customers/${fabrikam}/invoices`);
    expect(res.statusCode, res.body).toBe(200);
    const items = res.json().items as { id: string; month: string; status: string; number: string | null }[];
    const past = items.find((i) => i.month === lastMonth);
    expect(past).toMatchObject({ status: 'issued' });
    expect(past?.number).toMatch(/^INV-\d{6}$/);
    const draft = items.find((i) => i.month === thisMonth);
    expect(draft).toMatchObject({ status: 'draft', number: null });
    // A draft is known by its id, the id the invoice keeps when issued.
    const again = await get(`/api/customers/${fabrikam}/invoices/${draft!.id}`);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ id: draft!.id, status: 'draft', number: null });
    // It says when it closes by itself: a day after the month ends (MITRA_MONTH_CLOSE_DAYS=1).
    const next = monthOf(1);
    expect(again.json().closesOn).toBe(`${next}-02`);
    const issued = await get(`/api/customers/${fabrikam}/invoices/${past!.id}`);
    expect(issued.json().closesOn).toBeNull();
  });

  it("an invoice is the ledger at the customer's price, converted once, each line rounded; tax once on the subtotal", async () => {
    const items = (await get(`/api/customers/${fabrikam}/invoices`)).json().items as {
      id: string;
      month: string;
    }[];
    const inv = (
      await get(`/api/customers/${fabrikam}/invoices/${items.find((i) => i.month === lastMonth)!.id}`)
    ).json() as InvoiceJson;
    expect(inv.currency).toBe('IDR');
    expect(inv.ledgerCurrency).toBe('USD');
    expect(inv.exchangeRate).toMatchObject({ base: 'USD', quote: 'IDR' });
    expect(inv.exchangeRate!.date <= `${lastMonth}-31`).toBe(true);
    expect(inv.lines.some((l) => l.type === 'usage')).toBe(true);
    const sum = inv.lines.reduce((s, l) => s.plus(l.amount), new Big(0));
    expect(sum.toFixed(2)).toBe(inv.subtotal);
    expect(inv.tax).toBe(
      new Big(inv.subtotal).times(inv.taxRate).div(100).round(2, Big.roundHalfUp).toFixed(2),
    );
    expect(new Big(inv.subtotal).plus(inv.tax).toFixed(2)).toBe(inv.total);
    // Every line is a ledger entry of that month, converted at the one stated rate.
    const ledger = await world.handle.db
      .selectFrom('ledger_entries')
      .selectAll()
      .where('customer_id', '=', fabrikam)
      .where('billing_month', '=', `${lastMonth}-01`)
      .execute();
    expect(inv.lines.map((l) => l.ledgerEntryId).sort()).toEqual(ledger.map((e) => e.id).sort());
    for (const l of inv.lines) {
      const entry = ledger.find((e) => e.id === l.ledgerEntryId)!;
      expect(l.amount).toBe(
        new Big(entry.amount).times(inv.exchangeRate!.rate).round(2, Big.roundHalfUp).toFixed(2),
      );
      expect(l.date.slice(0, 7)).toBe(lastMonth);
    }
    // The bill of the month is made of the same entries.
    const bill = (await get(`/api/customers/${fabrikam}/bills/${lastMonth}`)).json();
    expect(bill.lines.map((l: { id: number }) => l.id).sort()).toEqual(ledger.map((e) => e.id).sort());
  });

  it('PDF and CSV, in English and Indonesian', async () => {
    const items = (await get(`/api/customers/${fabrikam}/invoices`)).json().items as {
      id: string;
      month: string;
      number: string;
    }[];
    const issued = items.find((i) => i.month === lastMonth)!;
    const url = `/api/customers/${fabrikam}/invoices/${issued.id}`;
    const pdf = await get(url, users.admin, { accept: 'application/pdf' });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const csvEn = await get(`${url}?format=csv&lang=en`);
    expect(csvEn.headers['content-type']).toMatch(/text\/csv/);
    expect(csvEn.body.split('\n')[0]).toBe('Number,Date,Type,Description,Amount,Currency');
    expect(csvEn.body).toContain(issued.number);
    const csvId = await get(`${url}?format=csv&lang=id`);
    expect(csvId.body.split('\n')[0]).toBe('Nomor,Tanggal,Jenis,Deskripsi,Jumlah,Mata uang');
    expect(csvId.body).toContain('Pemakaian Azure');
    const inv = (await get(url)).json() as InvoiceJson;
    expect(csvEn.body.trim().split('\n').at(-1)).toContain(inv.total);
  });

  it('Sales and Helpdesk agents cannot issue invoices; the attempt is recorded', async () => {
    for (const who of [users.sales, users.helpdesk]) {
      const res = await world.app.inject({
        method: 'POST',
        url: '/api/invoices/issue',
        headers: await world.as(who),
        payload: { month: lastMonth },
      });
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('admin-agent-required');
      const refused = await world.handle.db
        .selectFrom('audit_records')
        .selectAll()
        .where('user_principal_name', '=', who)
        .where('operation_type', '=', 'close_billing_month')
        .where('operation_status', '=', 'decline')
        .execute();
      expect(refused.length).toBeGreaterThan(0);
    }
    const customer = await world.app.inject({
      method: 'POST',
      url: '/api/invoices/issue',
      headers: await world.as(users.fabrikamOwner),
      payload: { month: lastMonth },
    });
    expect(customer.statusCode).toBe(403);
    const credit = await world.app.inject({
      method: 'POST',
      url: `/api/customers/${fabrikam}/invoices/${crypto.randomUUID()}/credit-note`,
      headers: await world.as(users.sales),
      payload: { reason: 'wrong tax' },
    });
    expect(credit.statusCode).toBe(403);
  });

  it('a month cannot close before it ends; closing again issues nothing new; numbers are gap-free', async () => {
    const early = await world.app.inject({
      method: 'POST',
      url: '/api/invoices/issue',
      headers: await world.as(users.admin),
      payload: { month: thisMonth },
    });
    expect(early.statusCode).toBe(409);
    expect(early.json().error.code).toBe('billing-month-not-ended');
    const bad = await world.app.inject({
      method: 'POST',
      url: '/api/invoices/issue',
      headers: await world.as(users.admin),
      payload: { month: '2026-13' },
    });
    expect(bad.statusCode).toBe(400);
    const again = await world.app.inject({
      method: 'POST',
      url: '/api/invoices/issue',
      headers: await world.as(users.admin),
      payload: { month: lastMonth },
    });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json().alreadyClosed).toBe(true);
    // The job's next round finds nothing left to close.
    expect(
      await closeDueMonths(world.handle.db, { closeAfterDays: 0, partnerIds: [demoId('contoso')] }),
    ).toEqual([]);
    const all = await world.handle.db
      .selectFrom('invoices')
      .select(['sequence', 'number', 'partner_id', 'kind'])
      .where('kind', '=', 'invoice')
      .orderBy('partner_id')
      .orderBy('sequence')
      .execute();
    for (const partner of new Set(all.map((r) => r.partner_id))) {
      const seq = all.filter((r) => r.partner_id === partner).map((r) => r.sequence);
      expect(seq).toEqual(seq.map((_, i) => i + 1));
    }
  });

  it('concurrent issue runs of one month issue each invoice once, with one number each', async () => {
    const litware = demoId('litware');
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        closeMonth(
          world.handle.db,
          { actor: { kind: 'system', partnerId: litware }, correlationId: crypto.randomUUID() },
          lastMonth,
        ),
      ),
    );
    // One run closed it; the others waited for it and answered what it issued.
    expect(results.filter((r) => !r.alreadyClosed)).toHaveLength(1);
    expect(results[0].invoices.length).toBeGreaterThan(0);
    for (const r of results) expect(r.invoices).toEqual(results[0].invoices);
    const rows = await world.handle.db
      .selectFrom('invoices')
      .select(['number', 'sequence'])
      .where('partner_id', '=', litware)
      .orderBy('sequence')
      .execute();
    expect(rows.map((r) => r.sequence)).toEqual(rows.map((_, i) => i + 1));
  });

  it('an issued invoice never changes: later charges go to open months; the table refuses edits', async () => {
    const items = (await get(`/api/customers/${fabrikam}/invoices`)).json().items as {
      id: string;
      month: string;
    }[];
    const id = items.find((i) => i.month === lastMonth)!.id;
    const before = (await get(`/api/customers/${fabrikam}/invoices/${id}`)).json();
    await allow(world, 'AzureReservedInstances');
    const bought = await buy(
      world,
      users.fabrikamOwner,
      'reservations',
      reservationBody({ billingPlan: 'Monthly' }),
    );
    expect(bought.statusCode, bought.body).toBe(201);
    const refund = await world.app.inject({
      method: 'POST',
      url: `/api/customers/${fabrikam}/reservations/${bought.json().id}/refund`,
      headers: await world.as(users.admin),
      payload: {},
    });
    expect(refund.statusCode, refund.body).toBe(200);
    expect((await get(`/api/customers/${fabrikam}/invoices/${id}`)).json()).toEqual(before);
    await expect(
      world.handle.db.updateTable('invoices').set({ total: '0' }).where('id', '=', id).execute(),
    ).rejects.toThrow(/never changed/);
    await expect(world.handle.db.deleteFrom('invoices').where('id', '=', id).execute()).rejects.toThrow(
      /never changed/,
    );
  });

  it('PDF rendering for a look', async () => {
    if (!process.env.MITRA_DUMP_INVOICES) return;
    const items = (await get(`/api/customers/${fabrikam}/invoices`)).json().items as {
      id: string;
      month: string;
    }[];
    const { writeFileSync } = await import('node:fs');
    for (const lang of ['en', 'id'])
      writeFileSync(
        `${process.env.MITRA_DUMP_INVOICES}/invoice-${lang}.pdf`,
        (
          await get(
            `/api/customers/${fabrikam}/invoices/${items.find((i) => i.month === lastMonth)!.id}?format=pdf&lang=${lang}`,
          )
        ).rawPayload,
      );
  });

  it('a credit note mirrors an invoice and the month is invoiced again; numbers are never reused', async () => {
    const items = (await get(`/api/customers/${fabrikam}/invoices`)).json().items as {
      id: string;
      month: string;
      number: string;
    }[];
    const original = items.find((i) => i.month === lastMonth && i.number)!;
    const tax = await world.app.inject({
      method: 'PUT',
      url: `/api/customers/${fabrikam}/tax`,
      headers: await world.as(users.admin),
      payload: { taxRate: '12', taxName: 'PPN' },
    });
    expect(tax.statusCode, tax.body).toBe(200);
    const res = await world.app.inject({
      method: 'POST',
      url: `/api/customers/${fabrikam}/invoices/${original.id}/credit-note`,
      headers: await world.as(users.admin),
      payload: { reason: 'PPN rate' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const { creditNote, replacement } = res.json();
    expect(creditNote.number).toMatch(/^CN-\d{6}$/);
    expect(replacement.number).not.toBe(original.number);
    const orig = (await get(`/api/customers/${fabrikam}/invoices/${original.id}`)).json() as InvoiceJson;
    const cn = (await get(`/api/customers/${fabrikam}/invoices/${creditNote.id}`)).json() as InvoiceJson;
    const re = (await get(`/api/customers/${fabrikam}/invoices/${replacement.id}`)).json() as InvoiceJson;
    expect(orig.status).toBe('credited');
    expect(orig.creditedBy).toBe(creditNote.id);
    expect(new Big(cn.total).plus(orig.total).eq(0)).toBe(true);
    expect(re.taxRate).toBe('12');
    expect(re.subtotal).toBe(orig.subtotal);
    const twice = await world.app.inject({
      method: 'POST',
      url: `/api/customers/${fabrikam}/invoices/${original.id}/credit-note`,
      headers: await world.as(users.admin),
      payload: { reason: 'again' },
    });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.code).toBe('invoice-already-credited');
    await world.app.inject({
      method: 'PUT',
      url: `/api/customers/${fabrikam}/tax`,
      headers: await world.as(users.admin),
      payload: { taxRate: '11', taxName: 'PPN' },
    });
  });

  it("customers read their own issued invoices; another partner's admin gets 404", async () => {
    const mine = await get('/api/my/invoices', users.fabrikamOwner);
    expect(mine.statusCode).toBe(200);
    const items = mine.json().items as { id: string; status: string }[];
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((i) => i.status !== 'draft')).toBe(true);
    const pdf = await get(`/api/my/invoices/${items[0].id}?format=pdf`, users.fabrikamOwner);
    // The customer reads the invoice, not which of the partner's agents issued it.
    const json = await get(`/api/my/invoices/${items[0].id}`, users.fabrikamOwner);
    expect(json.json()).toMatchObject({ id: items[0].id, issuedBy: null });
    expect(pdf.statusCode).toBe(200);
    const other = await get(`/api/customers/${fabrikam}/invoices/${items[0].id}`, users.litwareAdmin);
    expect(other.statusCode).toBe(404);
    const otherList = await get(`/api/customers/${fabrikam}/invoices`, users.litwareAdmin);
    expect(otherList.statusCode).toBe(404);
  });
});
