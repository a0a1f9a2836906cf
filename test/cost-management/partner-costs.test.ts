import { randomUUID } from 'node:crypto';
import Big from 'big.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoId, loadDemoCommitments } from '../../src/demo/load.ts';
import { inlineApply } from '../../src/jobs/engine-pool.ts';
import { closeDueMonths } from '../../src/jobs/month-close.ts';
import { runBenefits } from '../../src/services/benefit-runs.ts';
import { inTransaction } from '../../src/services/call.ts';
import { executePurchase } from '../../src/services/commitment-purchase.ts';
import { demoWorld, type TestWorld, users } from '../support/app.ts';
import { databaseKinds } from '../support/db.ts';

const fabrikam = demoId('fabrikam');
const adatum = demoId('adatum');
const columns = [
  'usageRetail',
  'usage',
  'purchases',
  'unusedReservations',
  'unusedSavingsPlans',
  'partnerPays',
  'billed',
  'margin',
  'savings',
] as const;
type Figures = Record<(typeof columns)[number], string | null>;
type Line = Figures & { customerId: string; customerName: string };

const monthOf = (d: Date) => d.toISOString().slice(0, 7);
const sum = (values: (string | null)[]) => values.reduce((s, v) => s.plus(v ?? '0'), new Big(0)).toFixed(2);

/** A tiny CSV reader for the exports (quoted cells with commas and doubled quotes). */
function parseCsv(text: string): string[][] {
  return text
    .trim()
    .split('\n')
    .map((line) => {
      const cells: string[] = [];
      let cell = '';
      let quoted = false;
      for (let i = 0; i < line.length; i++) {
        const ch = line[i];
        if (quoted && ch === '"' && line[i + 1] === '"') {
          cell += '"';
          i++;
        } else if (ch === '"') quoted = !quoted;
        else if (ch === ',' && !quoted) {
          cells.push(cell);
          cell = '';
        } else cell += ch;
      }
      cells.push(cell);
      return cells;
    });
}

describe.each(databaseKinds)("the partner's cost views on %s", (kind) => {
  let world: TestWorld;
  /** The month a reservation nobody uses was bought in, 10 days ago: it has unused capacity. */
  let unusedMonth: string;
  const lastMonth = monthOf(new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth() - 1, 1)));

  beforeAll(async () => {
    world = await demoWorld(kind, { usageDays: 40 });
    const db = world.handle.db;
    await loadDemoCommitments(db, inlineApply(), { usageDays: 40 });
    const customer = await db
      .selectFrom('customers')
      .selectAll()
      .where('id', '=', fabrikam)
      .executeTakeFirstOrThrow();
    const at = new Date(Date.now() - 10 * 86_400_000);
    unusedMonth = monthOf(at);
    const admin = {
      kind: 'partner_user' as const,
      userId: demoId(users.admin),
      partnerId: demoId('contoso'),
      email: users.admin,
      roles: ['admin_agent' as const],
      applicationId: null,
    };
    // A reservation for a size and region Fabrikam does not run: all of it goes unused.
    await inTransaction(db, (trx) =>
      executePurchase(
        trx,
        { actor: admin, correlationId: randomUUID() },
        customer,
        {
          kind: 'reservation',
          billingSubscription: demoId('fabrikam-azure-subscription'),
          sku: 'Standard_D64s_v3',
          region: 'australiaeast',
          term: 'P1Y',
          billingPlan: 'Upfront',
          quantity: 1,
          displayName: 'idle reservation',
          appliedScopeType: 'Shared',
          appliedScope: {},
          renew: false,
          instanceFlexibility: 'Off',
        },
        randomUUID(),
        { at },
      ),
    );
    const today = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate());
    await runBenefits(
      db,
      inlineApply(),
      fabrikam,
      { from: new Date(today - 10 * 86_400_000), to: new Date(today + 86_400_000) },
      'test',
    );
    // Contoso's past months close as on a fresh install; Litware's stay open.
    await closeDueMonths(db, { closeAfterDays: 0, partnerIds: [demoId('contoso')] });
    // Forty days of demo usage with its benefit runs: slow on a busy machine.
  }, 300_000);
  afterAll(() => world.close());

  const get = async (url: string, email: string = users.admin, headers: Record<string, string> = {}) =>
    world.app.inject({ method: 'GET', url, headers: { ...(await world.as(email)), ...headers } });
  const across = async (month: string, view: 'actual' | 'amortized') => {
    const res = await get(`/api/costs?month=${month}&view=${view}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { lines: Line[]; total: Figures; currency: string; closed: boolean };
  };

  it('across customers: one line per customer by name, and every total is the sum of its lines', async () => {
    for (const month of [lastMonth, unusedMonth])
      for (const view of ['actual', 'amortized'] as const) {
        const costs = await across(month, view);
        expect(costs.currency).toBe('USD');
        const names = costs.lines.map((l) => l.customerName);
        expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
        expect(names).toContain('Fabrikam');
        for (const c of columns) {
          if (costs.total[c] === null) {
            expect(
              costs.lines.every((l) => l[c] === null),
              `${view} ${c}`,
            ).toBe(true);
            continue;
          }
          expect(costs.total[c], `${month} ${view} ${c}`).toBe(sum(costs.lines.map((l) => l[c])));
        }
        for (const l of [...costs.lines, { ...costs.total, customerName: 'total' }]) {
          const pays = sum([l.usage, l.purchases, l.unusedReservations, l.unusedSavingsPlans]);
          expect(l.partnerPays, `${view} ${l.customerName}`).toBe(pays);
          expect(l.margin).toBe(new Big(l.billed!).minus(l.partnerPays!).toFixed(2));
          expect(l.savings).toBe(new Big(l.usageRetail!).minus(l.partnerPays!).toFixed(2));
        }
      }
  });

  it('billed in the actual view is what each bill says for a closed month', async () => {
    const costs = await across(lastMonth, 'actual');
    expect(costs.closed).toBe(true);
    for (const l of costs.lines) {
      const bill = await get(`/api/customers/${l.customerId}/bills/${lastMonth}`);
      expect(bill.statusCode, bill.body).toBe(200);
      expect(l.billed, l.customerName).toBe(new Big(bill.json().total).toFixed(2));
    }
    const fab = costs.lines.find((l) => l.customerId === fabrikam)!;
    expect(new Big(fab.billed!).gt(0)).toBe(true);
  });

  it('actual has purchases at the partner’s cost and no unused charges; amortized has unused and no purchases', async () => {
    const actual = (await across(unusedMonth, 'actual')).lines.find((l) => l.customerId === fabrikam)!;
    expect(actual.unusedReservations).toBeNull();
    expect(actual.unusedSavingsPlans).toBeNull();
    // The month's commitment charges, each at the price sheet's cost for its price row.
    const db = world.handle.db;
    const entries = await db
      .selectFrom('ledger_entries')
      .innerJoin('commitments', 'commitments.id', 'ledger_entries.commitment_id')
      .select([
        'ledger_entries.amount',
        'commitments.unit_price',
        'commitments.catalog_item_id',
        'commitments.term',
        'commitments.billing_plan',
      ])
      .where('ledger_entries.customer_id', '=', fabrikam)
      .where('ledger_entries.billing_month', '=', `${unusedMonth}-01`)
      .execute();
    expect(entries.length).toBeGreaterThan(0);
    let expected = new Big(0);
    for (const e of entries) {
      const cost = await db
        .selectFrom('partner_costs')
        .select('unit_price')
        .where('partner_id', '=', demoId('contoso'))
        .where('catalog_item_id', '=', e.catalog_item_id!)
        .where('term_duration', '=', e.term)
        .where('billing_plan', '=', e.billing_plan === 'Upfront' ? 'upfront' : 'monthly')
        .executeTakeFirstOrThrow();
      expected = expected.plus(new Big(e.amount).times(cost.unit_price).div(e.unit_price));
    }
    expect(actual.purchases).toBe(expected.round(2, Big.roundHalfUp).toFixed(2));
    const billedCommitments = entries.reduce(
      (s, e) => s.plus(new Big(e.amount).round(2, Big.roundHalfUp)),
      new Big(0),
    );
    // The demo partner pays 96-98 % of retail and bills above retail: it earns on commitments.
    expect(new Big(actual.purchases!).lt(billedCommitments)).toBe(true);

    const amortized = await across(unusedMonth, 'amortized');
    expect(amortized.lines.every((l) => l.purchases === null)).toBe(true);
    const fab = amortized.lines.find((l) => l.customerId === fabrikam)!;
    expect(new Big(fab.unusedReservations!).gt(0), JSON.stringify(fab)).toBe(true);
    expect(fab.unusedSavingsPlans).not.toBeNull();
    // The idle reservation, bought upfront, is billed whole in the actual view and spread when amortized.
    expect(new Big(fab.billed!).lt(actual.billed!)).toBe(true);
  });

  it("per customer: one line per month, totals the sum of lines, each month the same as the partner's view", async () => {
    const res = await get(
      `/api/customers/${fabrikam}/costs?from=${lastMonth}&to=${unusedMonth}&view=amortized`,
    );
    expect(res.statusCode, res.body).toBe(200);
    const costs = res.json();
    expect(costs).toMatchObject({
      customerId: fabrikam,
      customerName: 'Fabrikam',
      billingCurrency: 'IDR',
      currency: 'USD',
    });
    expect(costs.lines[0].month).toBe(lastMonth);
    for (const c of columns)
      if (costs.total[c] !== null) expect(costs.total[c], c).toBe(sum(costs.lines.map((l: Figures) => l[c])));
    for (const line of costs.lines) {
      const partnerLine = (await across(line.month, 'amortized')).lines.find(
        (l) => l.customerId === fabrikam,
      )!;
      const { month: _m, closed: _c, ...figures } = line;
      expect(figures).toEqual(Object.fromEntries(columns.map((c) => [c, partnerLine[c]])));
    }
    const defaults = await get(`/api/customers/${fabrikam}/costs`);
    expect(defaults.statusCode).toBe(200);
    expect(defaults.json().lines).toHaveLength(6);
    expect(defaults.json().view).toBe('actual');
  });

  it('CSV exports carry the same figures as the JSON (format=csv or Accept: text/csv)', async () => {
    const json = await across(lastMonth, 'actual');
    const csv = await get(`/api/costs?month=${lastMonth}&view=actual`, users.admin, { accept: 'text/csv' });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toBe(
      `attachment; filename="mitra-costs-${lastMonth}-actual.csv"`,
    );
    const [header, ...rows] = parseCsv(csv.body);
    expect(header).toEqual([
      'month',
      'view',
      'customer_id',
      'customer',
      'usage_retail',
      'usage',
      'purchases',
      'unused_reservations',
      'unused_savings_plans',
      'partner_pays',
      'billed',
      'margin',
      'savings',
      'currency',
    ]);
    expect(rows).toHaveLength(json.lines.length + 1);
    const asCells = (l: Figures) => columns.map((c) => l[c] ?? '');
    json.lines.forEach((l, i) => {
      expect(rows[i].slice(2, 4)).toEqual([l.customerId, l.customerName]);
      expect(rows[i].slice(4, 13)).toEqual(asCells(l));
    });
    expect(rows.at(-1)!.slice(3, 13)).toEqual(['Total', ...asCells(json.total)]);

    const one = await get(
      `/api/customers/${fabrikam}/costs?from=${lastMonth}&to=${unusedMonth}&view=amortized`,
    );
    const oneCsv = await get(
      `/api/customers/${fabrikam}/costs?from=${lastMonth}&to=${unusedMonth}&view=amortized&format=csv`,
    );
    expect(oneCsv.statusCode).toBe(200);
    expect(oneCsv.headers['content-disposition']).toMatch(
      /^attachment; filename="mitra-costs-fabrikam\..+-amortized\.csv"$/,
    );
    const [, ...monthRows] = parseCsv(oneCsv.body);
    const body = one.json();
    expect(monthRows.map((r) => r[0])).toEqual([
      ...body.lines.map((l: { month: string }) => l.month),
      'Total',
    ]);
    body.lines.forEach((l: Figures, i: number) => {
      expect(monthRows[i].slice(4, 13)).toEqual(asCells(l));
    });
    expect(monthRows.at(-1)!.slice(4, 13)).toEqual(asCells(body.total));
  });

  it("another partner's customer is not found, lists never mix partners, and only Admin agents read costs", async () => {
    for (const id of [fabrikam, randomUUID()]) {
      const res = await get(`/api/customers/${id}/costs`, users.litwareAdmin);
      expect(res.statusCode, res.body).toBe(404);
      expect(res.json().error.code).toBe('customer-not-found');
    }
    const litware = await get(`/api/costs?month=${lastMonth}`, users.litwareAdmin);
    expect(litware.statusCode).toBe(200);
    expect(litware.json().lines.map((l: Line) => l.customerId)).toEqual([adatum]);
    const contoso = await across(lastMonth, 'actual');
    expect(contoso.lines.map((l) => l.customerId)).not.toContain(adatum);
    for (const email of [users.sales, users.helpdesk, users.fabrikamOwner]) {
      expect((await get(`/api/costs`, email)).statusCode, email).toBe(403);
      expect((await get(`/api/customers/${fabrikam}/costs`, email)).statusCode, email).toBe(403);
    }
  });

  it('a bad month or range answers 400 with what to send', async () => {
    for (const url of [
      '/api/costs?month=2026-13',
      '/api/costs?view=daily',
      `/api/customers/${fabrikam}/costs?from=2026-05&to=2026-01`,
      `/api/customers/${fabrikam}/costs?from=2020-01&to=2026-01`,
    ]) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(400);
      expect(res.json().error.message, url).toMatch(/\./);
    }
  });
});
