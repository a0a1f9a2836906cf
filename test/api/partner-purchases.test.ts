import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoId } from '../../src/demo/load.ts';
import { demoWorld, type TestWorld, users } from '../support/app.ts';
import { fabrikam, fabrikamAzure, reservationBody, savingsPlanBody } from '../support/commitments.ts';
import { databaseKinds, rowCounts } from '../support/db.ts';

/**
 * What the partner buys for its customers in the portal (R20): an Azure plan for a customer that
 * has none, and reservations and savings plans priced, then bought, on the customer's behalf.
 */

const northwind = demoId('northwind');
const tailspin = demoId('tailspin');

describe.each(databaseKinds)('partner purchases on %s', (kind) => {
  let world: TestWorld;
  beforeAll(async () => {
    world = await demoWorld(kind);
  });
  afterAll(() => world.close());

  const post = async (url: string, as: string, payload: unknown, headers: Record<string, string> = {}) =>
    world.app.inject({
      method: 'POST',
      url,
      headers: { ...(await world.as(as)), ...headers },
      payload: payload as object,
    });
  const get = async (url: string, as = users.admin) =>
    (await world.app.inject({ method: 'GET', url, headers: await world.as(as) })).json();
  const counts = () =>
    rowCounts(world.handle.db, ['orders', 'subscriptions', 'commitments', 'ledger_entries', 'audit_records']);

  it('an Admin agent buys an Azure plan for a customer that has none; permissions can then be allowed', async () => {
    const before = await get(`/api/customers/${northwind}/permissions`);
    expect(before.enableBlockedBy.AzureSavingsPlan?.code).toBe('azure-plan-required');

    const res = await post(`/api/customers/${northwind}/azure-plan`, users.admin, {
      friendlyName: ' Northwind Azure ',
    });
    expect(res.statusCode, res.body).toBe(201);
    const plan = res.json();
    expect(plan).toMatchObject({
      productType: 'azure_plan',
      status: 'active',
      friendlyName: 'Northwind Azure',
      offerId: 'DZH318Z0BPS6:0001:DZH318Z0BML6',
      billingCycle: 'one_time',
    });
    expect(plan.entitlementId).toMatch(/^[0-9a-f-]{36}$/);

    const subscriptions = await get(`/api/customers/${northwind}/subscriptions`);
    expect(subscriptions.items.map((s: { id: string }) => s.id)).toContain(plan.id);
    const orders = await get(`/api/customers/${northwind}/orders`);
    expect(orders.items.find((o: { id: string }) => o.id === plan.orderId)).toMatchObject({
      boughtBy: 'partner',
      createdBy: users.admin,
      lineItems: [expect.objectContaining({ friendlyName: 'Northwind Azure', quantity: 1 })],
    });
    const activity = await get(`/api/activity?customerId=${northwind}`);
    expect(activity.items[0]).toMatchObject({ operationType: 'create_order', resourceType: 'order' });

    const after = await get(`/api/customers/${northwind}/permissions`);
    expect(after.enableBlockedBy).toEqual({});
    const allow = await world.app.inject({
      method: 'PUT',
      url: `/api/customers/${northwind}/permissions/AzureSavingsPlan`,
      headers: await world.as(users.admin),
      payload: { allowed: true },
    });
    expect(allow.statusCode, allow.body).toBe(200);
    // The customer list says so too.
    const list = await get('/api/customers?search=Northwind');
    expect(list.items[0].hasAzurePlan).toBe(true);
  });

  it('a customer has one Azure plan: a second is refused with azure-plan-exists, nothing bought', async () => {
    const before = await counts();
    const res = await post(`/api/customers/${northwind}/azure-plan`, users.admin, {});
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json().error.code).toBe('azure-plan-exists');
    expect(res.json().error.message).toContain('Northwind Azure');
    expect(await counts()).toEqual(before);
  });

  it('concurrent "Add Azure plan" clicks make one plan (Tailspin has only Azure Global)', async () => {
    const headers = await world.as(users.sales);
    const answers = await Promise.all(
      Array.from({ length: 4 }, () =>
        world.app.inject({
          method: 'POST',
          url: `/api/customers/${tailspin}/azure-plan`,
          headers,
          payload: {},
        }),
      ),
    );
    expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 409, 409, 409]);
    const plans = (await get(`/api/customers/${tailspin}/subscriptions`)).items.filter(
      (s: { productType: string }) => s.productType === 'azure_plan',
    );
    expect(plans).toHaveLength(1);
    expect(plans[0].friendlyName).toBe('Azure plan');
  });

  it('Helpdesk agents and customer users may not buy an Azure plan; bad input is a 400', async () => {
    const before = await counts();
    for (const [as, code] of [
      [users.helpdesk, 'role-not-allowed'],
      [users.fabrikamOwner, 'partner-user-required'],
    ]) {
      const res = await post(`/api/customers/${fabrikam}/azure-plan`, as, {});
      expect(res.statusCode, res.body).toBe(403);
      expect(res.json().error.code).toBe(code);
    }
    for (const payload of [{ friendlyName: 'x'.repeat(101) }, { friendlyName: 'x', quantity: 2 }]) {
      const res = await post(`/api/customers/${fabrikam}/azure-plan`, users.admin, payload);
      expect(res.statusCode, res.body).toBe(400);
      expect(['invalid-friendly-name', 'invalid-request']).toContain(res.json().error.code);
    }
    expect(await counts()).toEqual(before);
  });

  it('the partner prices a reservation for the customer, without the customer permission, and nothing is bought', async () => {
    const permissions = await get(`/api/customers/${fabrikam}/permissions`);
    expect(permissions.permissions.AzureReservedInstances).toBe(false);
    const before = await counts();
    const res = await post(
      `/api/customers/${fabrikam}/reservations/quote`,
      users.sales,
      reservationBody({ quantity: 2 }),
    );
    expect(res.statusCode, res.body).toBe(200);
    const quote = res.json();
    expect(quote).toMatchObject({ currency: 'USD', units: '2' });
    expect(Number(quote.total)).toBeGreaterThan(0);
    expect(Number(quote.retailTotal)).toBeGreaterThan(0);
    expect(quote.quoteId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await counts()).toEqual(before);

    // Bought on the customer's behalf at the quoted price, recorded as the partner's.
    const bought = await post(
      `/api/customers/${fabrikam}/reservations`,
      users.sales,
      reservationBody({ quantity: 2 }),
      {
        'idempotency-key': crypto.randomUUID(),
      },
    );
    expect(bought.statusCode, bought.body).toBe(201);
    expect(bought.json()).toMatchObject({ boughtBy: 'partner', boughtByPrincipal: users.sales, quantity: 2 });
    expect(bought.json().totalPrice).toBe(quote.total);
    const activity = await get(`/api/activity?customerId=${fabrikam}`);
    expect(activity.items[0]).toMatchObject({ operationType: 'create_order', resourceType: 'order' });
    expect(JSON.parse(activity.items[0].newValue)).toMatchObject({
      boughtBy: 'partner',
      kind: 'reservation',
    });
  });

  it('the partner prices a savings plan for the customer', async () => {
    const res = await post(`/api/customers/${fabrikam}/savings-plans/quote`, users.admin, savingsPlanBody());
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ currency: 'USD', units: '1.50' });
  });

  it.each([
    [
      'a billing subscription that is not Azure',
      { billingSubscriptionId: demoId('northwind-subscription') },
      400,
      'billing-subscription-not-eligible',
      northwind,
    ],
    ['a size not on sale', { sku: 'Standard_Nope' }, 400, 'sku-not-available', fabrikam],
    ['no size', { sku: undefined }, 400, 'sku-required', fabrikam],
    ['a term that does not exist', { term: 'P2Y' }, 400, 'unsupported-reservation-term', fabrikam],
    ['an unknown customer', {}, 404, 'customer-not-found', '00000000-0000-4000-8000-000000000000'],
  ] as const)(
    'a reservation quote with %s is refused with its own code',
    async (_what, change, status, code, customerId) => {
      const body: Record<string, unknown> = { ...reservationBody(), ...change };
      const res = await post(`/api/customers/${customerId}/reservations/quote`, users.admin, body);
      expect(res.statusCode, res.body).toBe(status);
      expect(res.json().error.code).toBe(code);
    },
  );

  it('Helpdesk agents and customer users may not ask the partner-side price', async () => {
    for (const [as, code] of [
      [users.helpdesk, 'role-not-allowed'],
      [users.fabrikamOwner, 'partner-user-required'],
    ]) {
      const res = await post(`/api/customers/${fabrikam}/reservations/quote`, as, {
        ...reservationBody(),
        billingSubscriptionId: fabrikamAzure,
      });
      expect(res.statusCode, res.body).toBe(403);
      expect(res.json().error.code).toBe(code);
    }
  });
});
