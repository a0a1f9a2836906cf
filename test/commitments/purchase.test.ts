import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { demoId } from '../../src/demo/load.ts';
import { demoWorld, type TestWorld, users } from '../support/app.ts';
import {
  allow,
  buy,
  fabrikam,
  fabrikamAzure,
  reservationBody,
  savingsPlanBody,
} from '../support/commitments.ts';
import { databaseKinds } from '../support/db.ts';

describe.each(databaseKinds)('customer purchases on %s', (kind) => {
  let world: TestWorld;
  beforeAll(async () => {
    world = await demoWorld(kind);
  });
  afterAll(() => world.close());
  beforeEach(async () => {
    await world.handle.db.deleteFrom('self_serve_policies').execute();
  });

  it('each refusal reason has its own code and sentence (R6, R19)', async () => {
    const notAllowed = await buy(world, users.fabrikamOwner, 'reservations', reservationBody());
    expect(notAllowed.statusCode).toBe(403);
    expect(notAllowed.json().error).toMatchObject({ code: 'permission-not-enabled' });
    expect(notAllowed.json().error.message).toMatch(
      /Your provider has not allowed you to buy Azure reservations/,
    );

    await allow(world, 'AzureReservedInstances');
    const reader = await buy(world, users.fabrikamReader, 'reservations', reservationBody());
    expect(reader.statusCode).toBe(403);
    expect(reader.json().error.code).toBe('owner-role-required');
    expect(reader.json().error.message).toContain('Owner role');
    expect(reader.json().error.message).toContain(fabrikamAzure);
    expect(reader.json().error.message).toContain('you hold Reader');

    const wrongSubscription = await buy(
      world,
      users.fabrikamOwner,
      'reservations',
      reservationBody({ billingSubscriptionId: demoId('adatum-azure-subscription') }),
    );
    expect(wrongSubscription.statusCode).toBe(400);
    expect(wrongSubscription.json().error.code).toBe('billing-subscription-not-eligible');

    const noSku = await buy(
      world,
      users.fabrikamOwner,
      'reservations',
      reservationBody({ sku: 'Standard_Nope' }),
    );
    expect(noSku.json().error.code).toBe('sku-not-available');

    const spNotAllowed = await buy(world, users.fabrikamOwner, 'savings-plans', savingsPlanBody());
    expect(spNotAllowed.json().error.code).toBe('permission-not-enabled');
    expect(spNotAllowed.json().error.message).toMatch(/savings plans/);

    await world.handle.db
      .updateTable('customers')
      .set({ country: 'RU' })
      .where('id', '=', fabrikam)
      .execute();
    try {
      const market = await buy(world, users.fabrikamOwner, 'reservations', reservationBody());
      expect(market.statusCode).toBe(409);
      expect(market.json().error.code).toBe('market-not-supported');
    } finally {
      await world.handle.db
        .updateTable('customers')
        .set({ country: 'ID' })
        .where('id', '=', fabrikam)
        .execute();
    }

    await world.handle.db
      .updateTable('subscriptions')
      .set({ status: 'suspended' })
      .where('customer_id', '=', fabrikam)
      .execute();
    try {
      const suspended = await buy(world, users.fabrikamOwner, 'reservations', reservationBody());
      expect(suspended.json().error.code).toBe('billing-subscription-not-active');
    } finally {
      await world.handle.db
        .updateTable('subscriptions')
        .set({ status: 'active' })
        .where('customer_id', '=', fabrikam)
        .execute();
    }
    expect(await world.handle.db.selectFrom('commitments').selectAll().execute()).toHaveLength(0);
    expect(await world.handle.db.selectFrom('ledger_entries').selectAll().execute()).toHaveLength(0);
  });

  it('a purchase is charged at the partner price, with the retail price beside it (R8, R14)', async () => {
    await allow(world, 'AzureReservedInstances');
    const quote = await world.app.inject({
      method: 'POST',
      url: '/api/my/reservations/quote',
      headers: await world.as(users.fabrikamOwner),
      payload: reservationBody({ quantity: 3 }),
    });
    expect(quote.statusCode).toBe(200);
    const q = quote.json();
    expect(Number(q.unitPrice)).toBeGreaterThan(Number(q.retailUnitPrice));
    const res = await buy(world, users.fabrikamOwner, 'reservations', reservationBody({ quantity: 3 }));
    expect(res.statusCode).toBe(201);
    const c = res.json();
    expect(c).toMatchObject({
      boughtBy: 'customer',
      quantity: 3,
      unitPrice: q.unitPrice,
      retailUnitPrice: q.retailUnitPrice,
      totalPrice: q.total,
      status: 'Succeeded',
    });
    const ledger = await world.handle.db
      .selectFrom('ledger_entries')
      .selectAll()
      .where('commitment_id', '=', c.id)
      .execute();
    expect(ledger.map((l) => [l.entry_type, l.amount])).toEqual([['purchase', q.total]]);
  });

  it('monthly billing writes one instalment per month of the term, adding up to the total', async () => {
    await allow(world, 'AzureSavingsPlan');
    const res = await buy(world, users.fabrikamOwner, 'savings-plans', savingsPlanBody({ term: 'P3Y' }));
    expect(res.statusCode, res.body).toBe(201);
    const ledger = await world.handle.db
      .selectFrom('ledger_entries')
      .selectAll()
      .where('commitment_id', '=', res.json().id)
      .orderBy('billing_month')
      .execute();
    expect(ledger).toHaveLength(36);
    // 1.50/hour × 730 hours × the partner's 3% savings-plan markup = 1,127.85 a month.
    expect(new Set(ledger.map((l) => l.amount))).toEqual(new Set(['1127.850000']));
    expect(res.json().totalPrice).toBe('40602.600000');
    expect(res.json().retailUnitPrice).toBe('730.000000');
  });

  it('the partner sees customer-bought reservations, not customer-bought savings plans, in partner-center views (R10, R11, B3)', async () => {
    await allow(world, 'AzureReservedInstances');
    await allow(world, 'AzureSavingsPlan');
    const r = (
      await buy(world, users.fabrikamOwner, 'reservations', reservationBody({ displayName: 'visible-ri' }))
    ).json();
    const sp = (
      await buy(world, users.fabrikamOwner, 'savings-plans', savingsPlanBody({ displayName: 'hidden-sp' }))
    ).json();
    const admin = await world.as(users.admin);
    const orders = (
      await world.app.inject({ method: 'GET', url: `/v1/customers/${fabrikam}/orders`, headers: admin })
    ).json().items;
    const names = orders.flatMap((o: { lineItems: { friendlyName: string }[] }) =>
      o.lineItems.map((l) => l.friendlyName),
    );
    expect(names).toContain('visible-ri');
    expect(names).not.toContain('hidden-sp');
    const mitraOrders = (
      await world.app.inject({ method: 'GET', url: `/api/customers/${fabrikam}/orders`, headers: admin })
    ).json().items;
    expect(
      mitraOrders.find(
        (o: { lineItems: { friendlyName: string }[] }) => o.lineItems[0].friendlyName === 'visible-ri',
      ).boughtBy,
    ).toBe('customer');
    const audit = (await world.app.inject({ method: 'GET', url: '/v1/auditrecords', headers: admin })).json()
      .items;
    const purchases = audit.filter(
      (a: { operationType: string; resourceNewValue: string }) =>
        a.operationType === 'create_order' && a.resourceNewValue?.includes(fabrikam) === false,
    );
    const values = audit.map((a: { resourceNewValue: string | null }) => a.resourceNewValue ?? '');
    expect(values.some((v: string) => v.includes(r.id))).toBe(true);
    expect(values.some((v: string) => v.includes(sp.id))).toBe(false);
    expect(purchases).toBeDefined();
    const activity = (await world.app.inject({ method: 'GET', url: '/api/activity', headers: admin })).json()
      .items;
    // Mitra's own activity log shows it, marked as beyond partner center (issue 8: it appeared nowhere).
    const spRecord = activity.find((a: { newValue: string | null }) => (a.newValue ?? '').includes(sp.id));
    expect(spRecord).toMatchObject({ resourceType: 'savings_plan', beyondPartnerCenter: true });
    expect(
      activity.filter((a: { newValue: string | null }) => (a.newValue ?? '').includes(r.id))[0]
        .beyondPartnerCenter,
    ).toBe(false);
    const reservations = (
      await world.app.inject({
        method: 'GET',
        url: `/api/customers/${fabrikam}/reservations`,
        headers: admin,
      })
    ).json().items;
    expect(reservations.map((x: { id: string }) => x.id)).toContain(r.id);
    // Partner center's entitlements list the customer's reservation, not its own savings plan.
    const entitlements = (
      await world.app.inject({
        method: 'GET',
        url: `/v1/customers/${fabrikam}/entitlements?entitlementType=reservedInstance`,
        headers: admin,
      })
    ).json();
    const artifacts = entitlements.items.map(
      (e: { entitledArtifacts: { resourceId: string }[] }) => e.entitledArtifacts[0].resourceId,
    );
    expect(artifacts).toContain(`/providers/microsoft.capacity/reservationOrders/${r.orderId}`);
    expect(artifacts).not.toContain(`/providers/microsoft.capacity/reservationOrders/${sp.orderId}`);
    const plans = (
      await world.app.inject({
        method: 'GET',
        url: `/api/customers/${fabrikam}/savings-plans`,
        headers: admin,
      })
    ).json();
    expect(plans.beyondPartnerCenter).toBe(true);
    expect(plans.items.map((x: { id: string }) => x.id)).toContain(sp.id);
    // The partner still pays for it (R8).
    const ledger = await world.handle.db
      .selectFrom('ledger_entries')
      .select('commitment_id')
      .where('commitment_id', '=', sp.id)
      .execute();
    expect(ledger.length).toBeGreaterThan(0);
  });

  it('a customer cannot exchange, refund, renew or rescope; rename is allowed (R12, R13)', async () => {
    await allow(world, 'AzureReservedInstances');
    const r = (await buy(world, users.fabrikamOwner, 'reservations', reservationBody())).json();
    const h = await world.as(users.fabrikamOwner);
    for (const action of ['refund', 'exchange', 'cancel']) {
      const res = await world.app.inject({
        method: 'POST',
        url: `/api/my/reservations/${r.id}/${action}`,
        headers: h,
        payload: {},
      });
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('partner-action-required');
      expect(res.json().error.message).toMatch(/ask your partner/);
    }
    for (const payload of [{ appliedScopeType: 'Single' }, { renew: true }]) {
      const res = await world.app.inject({
        method: 'PATCH',
        url: `/api/my/reservations/${r.id}`,
        headers: h,
        payload,
      });
      expect(res.json().error.code).toBe('partner-action-required');
    }
    const renamed = await world.app.inject({
      method: 'PATCH',
      url: `/api/my/reservations/${r.id}`,
      headers: h,
      payload: { displayName: 'renamed by owner' },
    });
    expect(renamed.json().displayName).toBe('renamed by owner');
    const byReader = await world.app.inject({
      method: 'PATCH',
      url: `/api/my/reservations/${r.id}`,
      headers: await world.as(users.fabrikamReader),
      payload: { displayName: 'x' },
    });
    expect(byReader.json().error.code).toBe('owner-role-required');
  });

  it('the same Idempotency-Key with another body is refused', async () => {
    await allow(world, 'AzureReservedInstances');
    const key = crypto.randomUUID();
    expect((await buy(world, users.fabrikamOwner, 'reservations', reservationBody(), key)).statusCode).toBe(
      201,
    );
    const other = await buy(
      world,
      users.fabrikamOwner,
      'reservations',
      reservationBody({ quantity: 2 }),
      key,
    );
    expect(other.statusCode).toBe(409);
    expect(other.json().error.code).toBe('idempotency-key-reused');
    const missing = await world.app.inject({
      method: 'POST',
      url: '/api/my/reservations',
      headers: await world.as(users.fabrikamOwner),
      payload: reservationBody(),
    });
    expect(missing.json().error.code).toBe('idempotency-key-required');
  });

  it('50 concurrent duplicates of one purchase create one order and one ledger entry', async () => {
    await allow(world, 'AzureReservedInstances');
    const key = crypto.randomUUID();
    const before = await world.handle.db.selectFrom('commitments').select('id').execute();
    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        buy(world, users.fabrikamOwner, 'reservations', reservationBody({ displayName: 'dup' }), key),
      ),
    );
    expect(new Set(results.map((r) => r.statusCode))).toEqual(new Set([201]));
    const ids = new Set(results.map((r) => r.json().id));
    expect(ids.size).toBe(1);
    const after = await world.handle.db.selectFrom('commitments').select('id').execute();
    expect(after.length - before.length).toBe(1);
    const [id] = [...ids];
    expect(
      await world.handle.db
        .selectFrom('ledger_entries')
        .selectAll()
        .where('commitment_id', '=', id)
        .execute(),
    ).toHaveLength(1);
    const orders = await world.handle.db
      .selectFrom('order_line_items')
      .selectAll()
      .where('friendly_name', '=', 'dup')
      .execute();
    expect(orders).toHaveLength(1);
  });

  it('50 concurrent ARM purchases with one reservation order id buy once', async () => {
    await allow(world, 'AzureReservedInstances');
    const h = await world.as(users.fabrikamOwner);
    const body = {
      sku: { name: 'Standard_D4s_v3' },
      location: 'eastus',
      properties: {
        reservedResourceType: 'VirtualMachines',
        billingScopeId: `/subscriptions/${fabrikamAzure}`,
        term: 'P1Y',
        billingPlan: 'Monthly',
        quantity: 1,
        appliedScopeType: 'Shared',
        displayName: 'arm-dup',
      },
    };
    const quote = await world.app.inject({
      method: 'POST',
      url: '/providers/Microsoft.Capacity/calculatePrice?api-version=2022-11-01',
      headers: h,
      payload: body,
    });
    const orderId = quote.json().properties.reservationOrderId;
    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        world.app.inject({
          method: 'PUT',
          url: `/providers/Microsoft.Capacity/reservationOrders/${orderId}?api-version=2022-11-01`,
          headers: h,
          payload: body,
        }),
      ),
    );
    expect(new Set(results.map((r) => r.statusCode))).toEqual(new Set([200]));
    const rows = await world.handle.db
      .selectFrom('commitments')
      .selectAll()
      .where('order_id', '=', orderId)
      .execute();
    expect(rows).toHaveLength(1);
    expect(
      await world.handle.db
        .selectFrom('ledger_entries')
        .selectAll()
        .where('commitment_id', '=', rows[0].id)
        .execute(),
    ).toHaveLength(12);
    const unknown = await world.app.inject({
      method: 'PUT',
      url: `/providers/Microsoft.Capacity/reservationOrders/${crypto.randomUUID()}?api-version=2022-11-01`,
      headers: h,
      payload: body,
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.code).toBe('CalculatePriceRequired');
    const changed = await world.app.inject({
      method: 'PUT',
      url: `/providers/Microsoft.Capacity/reservationOrders/${orderId}?api-version=2022-11-01`,
      headers: h,
      payload: { ...body, properties: { ...body.properties, quantity: 5 } },
    });
    expect(changed.statusCode).toBe(409);
  });
});
