import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { azurePlan, catalog } from '../../src/demo/catalog.ts';
import { demoId } from '../../src/demo/load.ts';
import { createCustomer } from '../../src/services/customers.ts';
import { demoWorld, type TestWorld, users } from '../support/app.ts';
import { databaseKinds } from '../support/db.ts';

const fabrikam = demoId('fabrikam');
const fabrikamSubscription = demoId('fabrikam-subscription');
const licence = catalog.availabilities.find(
  (a) => a.catalogItemId.startsWith('CFQ7TTC0') && a.termDuration === 'P1M',
)!;
const reservation = catalog.availabilities.find(
  (a) =>
    a.termDuration === 'P1Y' &&
    a.billingCycles.includes('one_time') &&
    a.catalogItemId.startsWith('DZH318Z0') &&
    a.catalogItemId !== azurePlan.catalogItemId,
)!;

/** Tables whose rows are the state a user changes (sessions and signing keys are not business state). */
const businessTables = [
  'customers',
  'customer_users',
  'subscriptions',
  'role_assignments',
  'orders',
  'order_line_items',
  'carts',
  'applications',
  'price_lists',
  'prices',
] as const;

describe.each(databaseKinds)('audit integrity on %s', (kind) => {
  let world: TestWorld;
  beforeAll(async () => {
    world = await demoWorld(kind);
  });
  afterAll(() => world.close());

  const counts = async () => {
    const out: Record<string, number> = {};
    for (const t of [...businessTables, 'audit_records'] as const) {
      const row = await world.handle.db
        .selectFrom(t)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      out[t] = Number(row.n);
    }
    return out;
  };

  /**
   * How to make each state-changing route succeed, and how many activity records it owes. A new
   * mutating route fails the test until it is listed here with its audit expectation.
   */
  const cases: Record<string, { call: () => Promise<{ statusCode: number; body: string }>; audits: number }> =
    {
      'POST /v1/customers': {
        audits: 1,
        call: async () =>
          world.app.inject({
            method: 'POST',
            url: '/v1/customers',
            headers: await world.as(users.sales),
            payload: {
              companyProfile: { domain: 'wingtip.example' },
              billingProfile: {
                culture: 'en-US',
                email: 'it@wingtip.example',
                language: 'en',
                companyName: 'Wingtip',
                defaultAddress: {
                  firstName: 'A',
                  lastName: 'B',
                  addressLine1: '1 Road',
                  city: 'Perth',
                  postalCode: '6000',
                  country: 'AU',
                },
              },
            },
          }),
      },
      // A cart is a draft, not a change of the customer's state: partner center audits the order.
      'POST /v1/customers/:customerId/carts': {
        audits: 0,
        call: async () =>
          world.app.inject({
            method: 'POST',
            url: `/v1/customers/${fabrikam}/carts`,
            headers: await world.as(users.admin),
            payload: {
              lineItems: [{ catalogItemId: licence.catalogItemId, quantity: 3, billingCycle: 'monthly' }],
            },
          }),
      },
      'PUT /v1/customers/:customerId/carts/:cartId': {
        audits: 0,
        call: async () => {
          const created = await world.app.inject({
            method: 'POST',
            url: `/v1/customers/${fabrikam}/carts`,
            headers: await world.as(users.admin),
            payload: {
              lineItems: [{ catalogItemId: licence.catalogItemId, quantity: 1, billingCycle: 'monthly' }],
            },
          });
          return world.app.inject({
            method: 'PUT',
            url: `/v1/customers/${fabrikam}/carts/${created.json().id}`,
            headers: await world.as(users.admin),
            payload: {
              lineItems: [{ catalogItemId: licence.catalogItemId, quantity: 2, billingCycle: 'monthly' }],
            },
          });
        },
      },
      'POST /v1/customers/:customerId/carts/:cartId/checkout': {
        audits: 2,
        call: async () => {
          const created = await world.app.inject({
            method: 'POST',
            url: `/v1/customers/${fabrikam}/carts`,
            headers: await world.as(users.admin),
            payload: {
              lineItems: [
                { catalogItemId: licence.catalogItemId, quantity: 2, billingCycle: 'monthly' },
                {
                  catalogItemId: reservation.catalogItemId,
                  quantity: 1,
                  billingCycle: 'one_time',
                  termDuration: 'P1Y',
                  provisioningContext: { subscriptionId: fabrikamSubscription, scope: 'shared' },
                },
              ],
            },
          });
          expect(created.statusCode, created.body).toBe(201);
          return world.app.inject({
            method: 'POST',
            url: `/v1/customers/${fabrikam}/carts/${created.json().id}/checkout`,
            headers: await world.as(users.admin),
          });
        },
      },
      'POST /api/applications': {
        audits: 1,
        call: async () =>
          world.app.inject({
            method: 'POST',
            url: '/api/applications',
            headers: await world.as(users.admin),
            payload: { displayName: 'Audit test app' },
          }),
      },
    };
  // Signing in and out changes no business state; they are answered by the session table alone.
  const notStateChanges = new Set(['POST /api/session', 'DELETE /api/session', 'POST /oauth2/token']);

  it('every state-changing route is covered by this test', () => {
    const mutating = world.app.routePolicies
      .filter((r) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method))
      .map(
        (r) => `${r.method} ${r.url.replace(/^\/v1\/customers\/:customerId/, '/v1/customers/:customerId')}`,
      )
      .filter((r) => !notStateChanges.has(r));
    expect(mutating.filter((r) => !(r in cases))).toEqual([]);
  });

  for (const [route, spec] of Object.entries(cases)) {
    it(`${route} writes exactly ${spec.audits} activity record(s) with its change`, async () => {
      const before = await counts();
      const res = await spec.call();
      expect(res.statusCode, res.body).toBeLessThan(300);
      const after = await counts();
      expect(after.audit_records - before.audit_records).toBe(spec.audits);
    });
  }

  it('a refused change writes neither data nor a record', async () => {
    const before = await counts();
    const res = await world.app.inject({
      method: 'POST',
      url: `/v1/customers/${demoId('northwind')}/carts`,
      headers: await world.as(users.admin),
      payload: {
        lineItems: [
          {
            catalogItemId: reservation.catalogItemId,
            quantity: 1,
            billingCycle: 'one_time',
            provisioningContext: { subscriptionId: demoId('northwind-subscription'), scope: 'shared' },
          },
        ],
      },
    });
    expect(res.statusCode).toBe(400);
    expect(await counts()).toEqual(before);
  });

  it('when the audit record cannot be written, the change is rolled back with it', async () => {
    const before = await counts();
    // A user id the audit table cannot store (not a uuid) makes the audit insert fail inside the
    // transaction, after the customer row was written.
    const actor = {
      kind: 'partner_user' as const,
      userId: 'not-a-uuid',
      partnerId: demoId('contoso'),
      email: users.sales,
      roles: ['sales_agent' as const],
      applicationId: null,
    };
    await expect(
      createCustomer(
        world.handle.db,
        { actor, correlationId: 'rollback-test' },
        {
          companyName: 'Rollback Ltd',
          domain: 'rollback.example',
          country: 'US',
          culture: 'en-US',
          language: 'en',
          email: 'a@rollback.example',
          firstName: 'R',
          lastName: 'B',
          addressLine1: '1',
          city: 'X',
          postalCode: '1',
        },
      ),
    ).rejects.toThrow();
    expect(await counts()).toEqual(before);
    const ghost = await world.handle.db
      .selectFrom('customers')
      .select('id')
      .where('domain', '=', 'rollback.example')
      .executeTakeFirst();
    expect(ghost).toBeUndefined();
  });
});
