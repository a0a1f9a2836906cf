import Big from 'big.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoWorld, type TestWorld, users } from '../support/app.ts';
import { allow, buy, fabrikam, fabrikamAzure, reservationBody } from '../support/commitments.ts';
import { databaseKinds } from '../support/db.ts';

describe.each(databaseKinds)("partner actions on a customer's reservation on %s", (kind) => {
  let world: TestWorld;
  let reservationId: string;
  beforeAll(async () => {
    world = await demoWorld(kind);
    await allow(world, 'AzureReservedInstances');
    reservationId = (
      await buy(
        world,
        users.fabrikamOwner,
        'reservations',
        reservationBody({ quantity: 2, displayName: 'to-manage' }),
      )
    ).json().id;
  });
  afterAll(() => world.close());
  const url = (suffix = '') => `/api/customers/${fabrikam}/reservations/${reservationId}${suffix}`;

  it('Sales and Helpdesk agents see it but cannot act (admin-agent-required)', async () => {
    for (const who of [users.sales, users.helpdesk]) {
      const h = await world.as(who);
      expect((await world.app.inject({ method: 'GET', url: url(), headers: h })).statusCode).toBe(200);
      for (const [method, suffix, payload] of [
        ['PATCH', '', { renew: true }],
        ['POST', '/refund', {}],
        ['POST', '/refund-quote', {}],
        ['POST', '/exchange', reservationBody({ sku: 'Standard_D4s_v3' })],
      ] as const) {
        const res = await world.app.inject({ method, url: url(suffix), headers: h, payload });
        expect(res.statusCode, `${who} ${method} ${suffix}`).toBe(403);
        expect(res.json().error.code).toBe('admin-agent-required');
      }
    }
  });

  it('the Admin agent changes scope and renewal, each audited', async () => {
    const h = await world.as(users.admin);
    const scoped = await world.app.inject({
      method: 'PATCH',
      url: url(),
      headers: h,
      payload: {
        appliedScopeType: 'ResourceGroup',
        appliedScope: { subscriptionId: fabrikamAzure, resourceGroup: 'rg-web' },
      },
    });
    expect(scoped.statusCode, scoped.body).toBe(200);
    expect(scoped.json()).toMatchObject({
      appliedScopeType: 'ResourceGroup',
      appliedScope: { subscriptionId: fabrikamAzure, resourceGroup: 'rg-web' },
    });
    const renewed = await world.app.inject({
      method: 'PATCH',
      url: url(),
      headers: h,
      payload: { renew: true },
    });
    expect(renewed.json().renew).toBe(true);
    const badScope = await world.app.inject({
      method: 'PATCH',
      url: url(),
      headers: h,
      payload: { appliedScopeType: 'Single', appliedScope: { subscriptionId: crypto.randomUUID() } },
    });
    expect(badScope.json().error.code).toBe('applied-scope-not-in-billing-context');
    const records = await world.handle.db
      .selectFrom('audit_records')
      .selectAll()
      .where('operation_type', '=', 'update_reservation')
      .execute();
    expect(records).toHaveLength(2);
    expect(
      records.every((r) => r.user_principal_name === users.admin && r.resource_type === 'reservation'),
    ).toBe(true);
  });

  it('exchange needs a new purchase worth at least the remainder; it credits the old and charges the new', async () => {
    const h = await world.as(users.admin);
    const tooSmall = await world.app.inject({
      method: 'POST',
      url: url('/exchange'),
      headers: h,
      payload: reservationBody({ sku: 'Standard_B1ms', quantity: 1 }),
    });
    expect(tooSmall.statusCode).toBe(409);
    expect(tooSmall.json().error.code).toBe('exchange-value-too-low');
    const ok = await world.app.inject({
      method: 'POST',
      url: url('/exchange'),
      headers: h,
      payload: reservationBody({ sku: 'Standard_D4s_v3', quantity: 2, term: 'P3Y' }),
    });
    expect(ok.statusCode, ok.body).toBe(200);
    const { returned, created, credit } = ok.json();
    expect(returned.status).toBe('Exchanged');
    // Who bought it survives the exchange (issue 8: it became "bought by you"); the name was the user's.
    expect(created).toMatchObject({
      sku: 'Standard_D4s_v3',
      exchangedFrom: reservationId,
      boughtBy: 'customer',
      exchangedBy: 'partner',
      displayName: 'to-manage',
    });
    expect(returned.exchangedByPrincipal).toBe(users.admin);
    const credits = await world.handle.db
      .selectFrom('ledger_entries')
      .selectAll()
      .where('commitment_id', '=', reservationId)
      .where('entry_type', 'in', ['exchange_credit', 'cancelled_instalment'])
      .execute();
    expect(
      credits
        .reduce((s, e) => s.plus(e.amount), new Big(0))
        .neg()
        .toFixed(2),
    ).toBe(credit);
    reservationId = created.id;
  });

  it('refund: quote first, then the prorated amount comes back once; refunding again is refused', async () => {
    const h = await world.as(users.admin);
    const quote = (await world.app.inject({ method: 'POST', url: url('/refund-quote'), headers: h })).json();
    const paid = (
      await world.handle.db
        .selectFrom('commitments')
        .select('total_price')
        .where('id', '=', reservationId)
        .executeTakeFirstOrThrow()
    ).total_price;
    expect(Number(quote.amount)).toBeGreaterThan(0);
    // At most what the bill charged for it (the price rounded once to the cent).
    expect(new Big(quote.amount).lte(new Big(paid).round(2, Big.roundHalfUp))).toBe(true);
    const res = await world.app.inject({
      method: 'POST',
      url: url('/refund'),
      headers: h,
      payload: { reason: 'moving to savings plan' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().reservation.status).toBe('Cancelled');
    expect(res.json().refund.amount).toBe(quote.amount);
    const again = await world.app.inject({ method: 'POST', url: url('/refund'), headers: h, payload: {} });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('operation-cannot-be-performed-in-current-state');
    const records = await world.handle.db
      .selectFrom('audit_records')
      .select('operation_type')
      .where('operation_type', 'in', ['refund_reservation', 'exchange_reservation'])
      .execute();
    expect(records.map((r) => r.operation_type).sort()).toEqual([
      'exchange_reservation',
      'refund_reservation',
    ]);
  });

  it('refunds stop at 50,000 USD per customer in 12 months', async () => {
    const h = await world.as(users.admin);
    // Large upfront reservations bought by the partner itself.
    const big = [];
    for (let i = 0; i < 3; i++) {
      const res = await world.app.inject({
        method: 'POST',
        url: `/api/customers/${fabrikam}/reservations`,
        headers: { ...h, 'idempotency-key': `big-${i}` },
        payload: reservationBody({ sku: 'Standard_E64s_v3', quantity: 10, term: 'P3Y' }),
      });
      expect(res.statusCode, res.body).toBe(201);
      big.push(res.json());
    }
    let refusedWithLimit = false;
    let refundedTotal = new Big(0);
    for (const r of big) {
      const res = await world.app.inject({
        method: 'POST',
        url: `/api/customers/${fabrikam}/reservations/${r.id}/refund`,
        headers: h,
        payload: {},
      });
      if (res.statusCode === 200) refundedTotal = refundedTotal.plus(res.json().refund.amount);
      else {
        expect(res.json().error.code).toBe('refund-limit-exceeded');
        refusedWithLimit = true;
      }
    }
    expect(refusedWithLimit).toBe(true);
    const ledgerRefunds = await world.handle.db
      .selectFrom('ledger_entries')
      .select('amount')
      .where('customer_id', '=', fabrikam)
      .where('entry_type', 'in', ['refund', 'cancelled_instalment'])
      .execute();
    expect(
      ledgerRefunds
        .reduce((s, e) => s.plus(e.amount), new Big(0))
        .neg()
        .lte(50_000),
    ).toBe(true);
  });

  it('the bill of the month lists every charge and credit and adds up; CSV has the same total', async () => {
    const h = await world.as(users.admin);
    const months = (
      await world.app.inject({ method: 'GET', url: `/api/customers/${fabrikam}/bills`, headers: h })
    ).json().items;
    const month = months.at(-1).month;
    const bill = (
      await world.app.inject({ method: 'GET', url: `/api/customers/${fabrikam}/bills/${month}`, headers: h })
    ).json();
    expect(
      bill.lines.reduce((s: Big, l: { amount: string }) => s.plus(l.amount), new Big(0)).toFixed(6),
    ).toBe(new Big(bill.total).toFixed(6));
    expect(bill.total).toMatch(/^-?\d+\.\d{2}$/);
    for (const l of bill.lines) expect(l.date.slice(0, 7)).toBe(month);
    const csv = await world.app.inject({
      method: 'GET',
      url: `/api/customers/${fabrikam}/bills/${month}.csv`,
      headers: h,
    });
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const rows = csv.body.trim().split('\n');
    expect(rows[0]).toBe('date,customer,type,kind,bought_by,commitment,description,amount,currency,forecast');
    expect(rows).toHaveLength(bill.lines.length + 2);
    expect(rows.at(-1)).toContain(bill.total);
    const sales = await world.app.inject({
      method: 'GET',
      url: `/api/customers/${fabrikam}/bills/${month}`,
      headers: await world.as(users.sales),
    });
    expect(sales.statusCode).toBe(403);
  });

  it('the ledger refuses to be changed or deleted', async () => {
    await expect(
      world.handle.db.updateTable('ledger_entries').set({ amount: '0' }).execute(),
    ).rejects.toThrow(/never changed or deleted/);
    await expect(world.handle.db.deleteFrom('ledger_entries').execute()).rejects.toThrow(
      /never changed or deleted/,
    );
  });
});
