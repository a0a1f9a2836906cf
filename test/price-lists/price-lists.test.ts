import { randomUUID } from 'node:crypto';
import Big from 'big.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoId } from '../../src/demo/load.ts';
import { priceSheetColumns } from '../../src/domain/price-sheet.ts';
import { priceCommitment } from '../../src/services/commitment-pricing.ts';
import { importPartnerPriceSheet } from '../../src/services/operator-prices.ts';
import { importPriceSheet } from '../../src/services/price-sheet-import.ts';
import { licenceLine, reservation, reservationSkuRow } from '../api/fixtures.ts';
import { demoWorld, type TestWorld, users } from '../support/app.ts';
import { allow, buy, fabrikam, reservationBody } from '../support/commitments.ts';
import { databaseKinds } from '../support/db.ts';

const tailspin = demoId('tailspin');
const contoso = demoId('contoso');
const demoMarkups = { usage: '0', reservations: '5', savingsPlans: '3', licences: '10' };
/** Standard_D2s_v3 in East US, one year: the row `reservationBody()` prices. */
const d2sMonthly = { catalogItemId: reservation.catalogItemId, termDuration: 'P1Y', billingPlan: 'monthly' };
const times = (a: string, b: string) => new Big(a).times(b).round(6, Big.roundHalfUp).toFixed(6);

describe.each(databaseKinds)('customer price lists on %s', (kind) => {
  let world: TestWorld;
  let admin: Record<string, string>;
  /** Retail of the D2s v3 row, upfront and monthly, from the retail list. */
  let retail: { upfront: string; monthly: string };

  beforeAll(async () => {
    world = await demoWorld(kind);
    admin = await world.as(users.admin);
    const list = await world.app.inject({ method: 'GET', url: '/api/prices?kind=retail', headers: admin });
    const rows = list.json().items as { catalogItemId: string; billingPlan: string; unitPrice: string }[];
    const of = (plan: string) =>
      rows.find((r) => r.catalogItemId === reservation.catalogItemId && r.billingPlan === plan)!.unitPrice;
    retail = { upfront: of('upfront'), monthly: of('monthly') };
    await allow(world, 'AzureReservedInstances');
  });
  afterAll(() => world.close());

  const get = async (url: string, email: string = users.admin) =>
    world.app.inject({ method: 'GET', url, headers: await world.as(email) });
  const put = async (url: string, payload: unknown, email: string = users.admin) =>
    world.app.inject({ method: 'PUT', url, headers: await world.as(email), payload: payload as object });
  const quote = async (email = users.fabrikamOwner, body = reservationBody()) =>
    (
      await world.app.inject({
        method: 'POST',
        url: '/api/my/reservations/quote',
        headers: await world.as(email),
        payload: body,
      })
    ).json();
  const fabrikamRow = async () =>
    world.handle.db.selectFrom('customers').selectAll().where('id', '=', fabrikam).executeTakeFirstOrThrow();

  it("reads the partner's default: today's demo markups, with retail, customer price, cost and margin", async () => {
    const res = await get('/api/price-list/default');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      scope: 'default',
      customerId: null,
      source: 'default',
      current: { status: 'current', markups: demoMarkups, overrides: [] },
      scheduled: [],
      currency: 'USD',
      showRetailToCustomers: true,
      canEdit: true,
    });
    const row = body.prices.find(
      (p: { catalogItemId: string; billingPlan: string }) =>
        p.catalogItemId === reservation.catalogItemId && p.billingPlan === 'upfront',
    );
    // Demo cost: retail × 0.96; customer price: retail × 1.05; margin 0.09 × retail, 8.57 % of the price.
    expect(row).toMatchObject({
      kind: 'reservations',
      retailUnitPrice: retail.upfront,
      unitPrice: times(retail.upfront, '1.05'),
      basis: 'markup',
      markupPercent: '5',
      costUnitPrice: times(retail.upfront, '0.96'),
      margin: times(retail.upfront, '0.09'),
      marginPercent: '8.57',
    });
    expect(body.prices.length).toBeGreaterThan(1000);
    // Sales and Helpdesk agents read it too, told they cannot edit.
    for (const email of [users.sales, users.helpdesk]) {
      const read = await get('/api/price-list/default', email);
      expect(read.statusCode).toBe(200);
      expect(read.json().canEdit).toBe(false);
    }
  });

  it("a customer without a list of its own is priced from the partner's default", async () => {
    const body = (await get(`/api/customers/${fabrikam}/price-list`)).json();
    expect(body).toMatchObject({ scope: 'customer', customerId: fabrikam, source: 'default', current: null });
    expect(body.fallback.markups).toEqual(demoMarkups);
    const q = await quote();
    expect(q.unitPrice).toBe(times(retail.upfront, '1.05'));
    expect(q.retailUnitPrice).toBe(retail.upfront);
  });

  it('a saved list applies at once to quotes and purchases of that customer only; earlier purchases keep their price', async () => {
    const before = await buy(world, users.fabrikamOwner, 'reservations', reservationBody());
    expect(before.statusCode, before.body).toBe(201);
    const saved = await put(`/api/customers/${fabrikam}/price-list`, {
      markups: { ...demoMarkups, reservations: '-2.5' },
      overrides: [{ ...d2sMonthly, unitPrice: '40' }],
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({
      status: 'current',
      markups: { ...demoMarkups, reservations: '-2.5' },
      overrides: [{ ...d2sMonthly, unitPrice: '40.000000' }],
      createdBy: users.admin,
    });

    const upfront = await quote();
    expect(upfront.unitPrice).toBe(times(retail.upfront, '0.975'));
    expect(upfront.total).toBe(upfront.unitPrice);
    const monthly = await quote(users.fabrikamOwner, reservationBody({ billingPlan: 'Monthly' }));
    expect(monthly.unitPrice).toBe('40.000000');
    expect(monthly.total).toBe('480.000000');
    // Another customer of the same partner still pays the default's +5 %.
    const tailspinPrice = await priceCommitment(
      world.handle.db,
      { id: tailspin, partner_id: contoso },
      {
        kind: 'reservation',
        sku: 'Standard_D2s_v3',
        region: 'eastus',
        term: 'P1Y',
        billingPlan: 'Upfront',
        quantity: 1,
      },
    );
    expect(tailspinPrice.unitPrice).toBe(times(retail.upfront, '1.05'));

    const after = await buy(world, users.fabrikamOwner, 'reservations', reservationBody());
    expect(after.json().unitPrice).toBe(times(retail.upfront, '0.975'));
    const old = await world.handle.db
      .selectFrom('commitments')
      .select('unit_price')
      .where('id', '=', before.json().id)
      .executeTakeFirstOrThrow();
    expect(old.unit_price).toBe(times(retail.upfront, '1.05'));

    const read = (await get(`/api/customers/${fabrikam}/price-list`)).json();
    expect(read).toMatchObject({ source: 'customer', current: { id: saved.json().id } });
    const overridden = read.prices.find(
      (p: { catalogItemId: string; billingPlan: string }) =>
        p.catalogItemId === reservation.catalogItemId && p.billingPlan === 'monthly',
    );
    expect(overridden).toMatchObject({
      unitPrice: '40.000000',
      basis: 'override-price',
      markupPercent: null,
    });
  });

  it('a dated change is scheduled: shown as such, and prices only from that moment', async () => {
    const nextYear = new Date().getUTCFullYear() + 1;
    const saved = await put(`/api/customers/${fabrikam}/price-list`, {
      markups: { ...demoMarkups, reservations: '20' },
      effectiveFrom: `${nextYear}-03-01`,
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({
      status: 'scheduled',
      effectiveFrom: `${nextYear}-03-01T00:00:00.000Z`,
    });
    const read = (await get(`/api/customers/${fabrikam}/price-list`)).json();
    expect(read.scheduled.map((v: { id: string }) => v.id)).toEqual([saved.json().id]);
    expect(read.current.markups.reservations).toBe('-2.5');
    expect((await quote()).unitPrice).toBe(times(retail.upfront, '0.975'));

    const request = {
      kind: 'reservation' as const,
      sku: 'Standard_D2s_v3',
      region: 'eastus',
      term: 'P1Y' as const,
      billingPlan: 'Upfront' as const,
      quantity: 1,
    };
    const customer = await fabrikamRow();
    const at = (iso: string) => priceCommitment(world.handle.db, customer, request, new Date(iso));
    expect((await at(`${nextYear}-02-28T23:59:59Z`)).unitPrice).toBe(times(retail.upfront, '0.975'));
    expect((await at(`${nextYear}-03-01T00:00:00Z`)).unitPrice).toBe(times(retail.upfront, '1.2'));
    // Before the customer had a list of its own, the default applied: the past is never rewritten.
    expect((await at('2021-01-01T00:00:00Z')).unitPrice).toBe(times(retail.upfront, '1.05'));

    // Saving again for the same moment replaces what was scheduled.
    const again = await put(`/api/customers/${fabrikam}/price-list`, {
      markups: { ...demoMarkups, reservations: '15' },
      effectiveFrom: `${nextYear}-03-01T07:00:00+07:00`,
    });
    expect(again.statusCode).toBe(200);
    const reread = (await get(`/api/customers/${fabrikam}/price-list`)).json();
    expect(reread.scheduled.map((v: { id: string }) => v.id)).toEqual([again.json().id]);
    expect((await at(`${nextYear}-03-02T00:00:00Z`)).unitPrice).toBe(times(retail.upfront, '1.15'));
  });

  it('refuses bad input with a 400 and a code, and stores nothing', async () => {
    const count = async () =>
      Number(
        (
          await world.handle.db
            .selectFrom('price_list_versions')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await count();
    const cases: [unknown, string][] = [
      [{ markups: { ...demoMarkups, usage: 'abc' } }, 'invalid-markup'],
      [{ markups: { ...demoMarkups, licences: '-150' } }, 'markup-out-of-range'],
      [{ markups: { ...demoMarkups, reservations: '1.234' } }, 'invalid-markup'],
      [
        { markups: demoMarkups, overrides: [{ catalogItemId: 'NOPE', markupPercent: '1' }] },
        'unknown-catalog-item',
      ],
      [
        { markups: demoMarkups, overrides: [{ catalogItemId: reservation.catalogItemId, unitPrice: '1' }] },
        'override-billing-plan-required',
      ],
      [{ markups: demoMarkups, effectiveFrom: '2020-01-01' }, 'effective-date-in-past'],
      [{ markups: demoMarkups, effectiveFrom: 'next tuesday' }, 'invalid-effective-date'],
      [{ markups: { usage: '0' } }, 'invalid-request'],
      [{ markups: demoMarkups, surprise: true }, 'invalid-request'],
      [{ markups: demoMarkups, overrides: 'all' }, 'invalid-request'],
    ];
    for (const url of [`/api/customers/${fabrikam}/price-list`, '/api/price-list/default']) {
      for (const [payload, code] of cases) {
        const res = await put(url, payload);
        expect(res.statusCode, `${url} ${JSON.stringify(payload)} ${res.body}`).toBe(400);
        expect(res.json().error.code, JSON.stringify(payload)).toBe(code);
        expect(res.json().error.message.length).toBeGreaterThan(20);
      }
    }
    expect(await count()).toBe(before);
    // Numbers are read as the percent they spell.
    const numeric = await world.app.inject({
      method: 'POST',
      url: `/api/customers/${fabrikam}/price-list/preview`,
      headers: admin,
      payload: { markups: { usage: 0, reservations: 7.5, savingsPlans: 3, licences: 10 } },
    });
    expect(numeric.statusCode, numeric.body).toBe(200);
  });

  it('previews a draft without saving it, priced as the saved list would be', async () => {
    const draft = {
      markups: { ...demoMarkups, licences: '25' },
      overrides: [{ ...d2sMonthly, markupPercent: '1' }],
    };
    const res = await world.app.inject({
      method: 'POST',
      url: '/api/price-list/default/preview',
      headers: await world.as(users.sales),
      payload: draft,
    });
    expect(res.statusCode, res.body).toBe(200);
    const rows = res.json().prices as {
      catalogItemId: string;
      billingPlan: string;
      unitPrice: string;
      kind: string;
    }[];
    const monthly = rows.find(
      (p) => p.catalogItemId === reservation.catalogItemId && p.billingPlan === 'monthly',
    );
    expect(monthly?.unitPrice).toBe(times(retail.monthly, '1.01'));
    const seat = rows.find((p) => p.kind === 'licences')!;
    const seatNow = (await get('/api/price-list/default'))
      .json()
      .prices.find(
        (p: { catalogItemId: string; billingPlan: string }) =>
          p.catalogItemId === seat.catalogItemId && p.billingPlan === seat.billingPlan,
      );
    expect(new Big(seat.unitPrice).div(seatNow.unitPrice).toFixed(4)).toBe(
      new Big('1.25').div('1.10').toFixed(4),
    );
    expect((await get('/api/price-list/default')).json().current.markups).toEqual(demoMarkups);
  });

  it('the partner default prices cart checkouts of licences for customers without a list', async () => {
    const northwind = demoId('northwind');
    const before = (await get('/api/price-list/default')).json();
    const seat = before.prices.find(
      (p: { catalogItemId: string; billingPlan: string }) =>
        p.catalogItemId === licenceLine().catalogItemId && p.billingPlan === 'license_monthly',
    );
    expect(seat.unitPrice).toBe(times(seat.retailUnitPrice, '1.1'));
    const saved = await put('/api/price-list/default', { markups: { ...demoMarkups, licences: '20' } });
    expect(saved.statusCode, saved.body).toBe(200);
    try {
      const cart = await world.app.inject({
        method: 'POST',
        url: `/v1/customers/${northwind}/carts`,
        headers: admin,
        payload: { lineItems: [licenceLine(2)] },
      });
      expect(cart.statusCode, cart.body).toBe(201);
      const checkout = await world.app.inject({
        method: 'POST',
        url: `/v1/customers/${northwind}/carts/${cart.json().id}/checkout`,
        headers: admin,
      });
      expect(checkout.statusCode, checkout.body).toBe(201);
      const orderId = checkout.json().orders[0].id;
      const line = await world.handle.db
        .selectFrom('order_line_items')
        .select('unit_price')
        .where('order_id', '=', orderId)
        .executeTakeFirstOrThrow();
      expect(line.unit_price).toBe(times(seat.retailUnitPrice, '1.2'));
    } finally {
      await put('/api/price-list/default', { markups: demoMarkups });
    }
  });

  it('when the partner hides retail, customer users are not sent it; partner users still are', async () => {
    expect((await put('/api/price-list/settings', { showRetailToCustomers: false })).statusCode).toBe(200);
    try {
      const q = await quote();
      expect(q.unitPrice).toBeDefined();
      expect(q).not.toHaveProperty('retailUnitPrice');
      expect(q).not.toHaveProperty('retailTotal');
      const catalog = (await get('/api/my/reservation-catalog?region=eastus', users.fabrikamOwner)).json();
      expect(catalog.items[0].terms[0]).not.toHaveProperty('retailUnitPrice');
      const mine = (await get('/api/my/reservations', users.fabrikamOwner)).json();
      expect(mine.items.length).toBeGreaterThan(0);
      for (const c of mine.items) expect(c).not.toHaveProperty('retailUnitPrice');
      const one = (await get(`/api/my/reservations/${mine.items[0].id}`, users.fabrikamOwner)).json();
      expect(one).not.toHaveProperty('retailUnitPrice');
      expect(JSON.stringify(mine)).not.toContain(retail.upfront);

      const arm = await world.app.inject({
        method: 'POST',
        url: '/providers/Microsoft.Capacity/calculatePrice?api-version=2022-11-01',
        headers: await world.as(users.fabrikamOwner),
        payload: {
          sku: { name: 'Standard_D2s_v3' },
          location: 'eastus',
          properties: {
            reservedResourceType: 'VirtualMachines',
            billingScopeId: `/subscriptions/${demoId('fabrikam-azure-subscription')}`,
            term: 'P1Y',
            billingPlan: 'Upfront',
            quantity: 1,
            appliedScopeType: 'Shared',
          },
        },
      });
      expect(arm.statusCode, arm.body).toBe(200);
      expect(arm.json().properties.pricingCurrencyTotal).toEqual(arm.json().properties.billingCurrencyTotal);
      const armCatalog = await get(
        `/subscriptions/${demoId('fabrikam-azure-subscription')}/providers/Microsoft.Capacity/catalogs?api-version=2022-11-01&location=eastus`,
        users.fabrikamOwner,
      );
      expect(armCatalog.statusCode, armCatalog.body).toBe(200);
      expect(armCatalog.json().value[0]).not.toHaveProperty('msrp');

      // The partner's own views keep both prices (R14).
      const partnerSide = (await get(`/api/customers/${fabrikam}/reservations`)).json();
      expect(partnerSide.items[0]).toHaveProperty('retailUnitPrice');
      const partnerCatalog = (await get(`/api/customers/${fabrikam}/reservation-catalog`)).json();
      expect(partnerCatalog.items[0].terms[0]).toHaveProperty('retailUnitPrice');
    } finally {
      await put('/api/price-list/settings', { showRetailToCustomers: true });
    }
    expect(await quote()).toHaveProperty('retailUnitPrice');
  });

  it("imports the partner's price sheet all or nothing; bad rows are named by line", async () => {
    const header = priceSheetColumns.join(',');
    const sku = reservationSkuRow;
    const good = (price: string, start = '2026-01-01') =>
      [
        'Reserved VM Instance',
        sku.productId,
        sku.id,
        '"Standard_D2s_v3, East US"',
        'Microsoft Corporation',
        '1 Year',
        'Upfront',
        'ID',
        'USD',
        price,
        '1 Instance',
        '0',
        `${start}T00:00:00Z`,
        '',
        '',
        '',
      ].join(',');
    const unknown = good('1').replace(sku.productId, 'DZH318Z0ZZZZ');
    const costs = async () =>
      world.handle.db
        .selectFrom('partner_costs')
        .selectAll()
        .where('partner_id', '=', contoso)
        .where('catalog_item_id', '=', reservation.catalogItemId)
        .where('billing_plan', '=', 'upfront')
        .orderBy('effective_start')
        .execute();
    const before = await costs();
    const bad = `${header}\n${good('300', '2026-02-01')}\n${unknown}\n${good('abc')}\n`;
    await expect(importPriceSheet(world.handle.db, contoso, bad, null)).rejects.toMatchObject({
      code: 'invalid-price-sheet-row',
      message: expect.stringContaining('Line 4, column UnitPrice'),
    });
    expect(await costs()).toEqual(before);

    // What `mitra prices import` runs, on the database or through the server (src/cli/prices.ts).
    const operator = {
      operator: {
        kind: 'operator' as const,
        command: 'prices import',
        osUser: null,
        via: 'database' as const,
      },
      correlationId: crypto.randomUUID(),
    };
    const sheet = `${header}\n${good('300.5', '2026-02-01')}\n${unknown}\n`;
    await expect(importPartnerPriceSheet(world.handle.db, operator, undefined, sheet)).rejects.toMatchObject({
      code: 'partner-not-found',
      message: expect.stringContaining('--partner'),
    });
    const imported = await importPartnerPriceSheet(
      world.handle.db,
      operator,
      'contoso-partner.example',
      sheet,
    );
    expect(imported).toMatchObject({ imported: 1, skipped: 1 });
    const after = await costs();
    expect(after.map((c) => [c.effective_start, c.unit_price])).toEqual([
      ...before.map((c) => [c.effective_start, c.unit_price]),
      ['2026-02-01', '300.500000'],
    ]);
    const record = await world.handle.db
      .selectFrom('audit_records')
      .selectAll()
      .where('operation_type', '=', 'import_price_sheet')
      .executeTakeFirstOrThrow();
    expect(record).toMatchObject({ partner_id: contoso, actor_kind: 'system', resource_type: 'price_list' });
    // From February the margin is computed from the imported cost.
    const row = (await get('/api/price-list/default'))
      .json()
      .prices.find(
        (p: { catalogItemId: string; billingPlan: string }) =>
          p.catalogItemId === reservation.catalogItemId && p.billingPlan === 'upfront',
      );
    expect(row.costUnitPrice).toBe('300.500000');
  });

  it("another partner's customer list is not found, exactly like a missing customer", async () => {
    const litware = users.litwareAdmin;
    const other = await get(`/api/customers/${fabrikam}/price-list`, litware);
    const missing = await get(`/api/customers/${randomUUID()}/price-list`, litware);
    expect(other.statusCode).toBe(404);
    expect([other.statusCode, other.json().error.code]).toEqual([
      missing.statusCode,
      missing.json().error.code,
    ]);
    expect(other.body).not.toContain('Fabrikam');
  });
});
