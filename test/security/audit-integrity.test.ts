import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { azurePlan, catalog } from '../../src/demo/catalog.ts';
import { demoId } from '../../src/demo/load.ts';
import { createCustomer } from '../../src/services/customers.ts';
import { demoWorld, type TestWorld, users } from '../support/app.ts';
import { databaseKinds } from '../support/db.ts';

const fabrikam = demoId('fabrikam');
const fabrikamSubscription = demoId('fabrikam-subscription');
const fabrikamAzure = demoId('fabrikam-azure-subscription');
const tailspin = demoId('tailspin');
const policyId = `${demoId('contoso')}_${fabrikam}`;
const armAssignment = '0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9';
const policyBody = (resources: string[]) => ({
  selfServeEntity: { selfServeEntityType: 'customer', tenantID: fabrikam },
  grantor: { grantorType: 'billToPartner', tenantID: demoId('contoso') },
  permissions: resources.map((resource) => ({ resource, action: 'Purchase' })),
});
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
      'PUT /api/customers/:id/permissions/:resource': {
        audits: 1,
        call: async () =>
          world.app.inject({
            method: 'PUT',
            url: `/api/customers/${fabrikam}/permissions/AzureSavingsPlan`,
            headers: await world.as(users.admin),
            payload: { allowed: true },
          }),
      },
      'POST /api/permissions/bulk': {
        audits: 1,
        call: async () =>
          world.app.inject({
            method: 'POST',
            url: '/api/permissions/bulk',
            headers: await world.as(users.admin),
            payload: { items: [{ customerId: tailspin, resource: 'AzureSavingsPlan', allowed: true }] },
          }),
      },
      'POST /v1/SelfServePolicy': {
        audits: 2,
        call: async () => {
          await world.handle.db
            .deleteFrom('self_serve_policies')
            .where('customer_id', '=', fabrikam)
            .execute();
          return world.app.inject({
            method: 'POST',
            url: '/v1/SelfServePolicy',
            headers: await world.as(users.admin),
            payload: policyBody(['AzureReservedInstances', 'AzureSavingsPlan']),
          });
        },
      },
      'PUT /v1/SelfServePolicy/:id': {
        audits: 1,
        call: async () =>
          world.app.inject({
            method: 'PUT',
            url: `/v1/SelfServePolicy/${policyId}`,
            headers: await world.as(users.admin),
            payload: policyBody(['AzureReservedInstances']),
          }),
      },
      'PUT /v1/SelfServePolicy': {
        audits: 1,
        call: async () =>
          world.app.inject({
            method: 'PUT',
            url: '/v1/SelfServePolicy',
            headers: await world.as(users.admin),
            payload: { id: policyId, ...policyBody(['AzureReservedInstances', 'AzureSavingsPlan']) },
          }),
      },
      'DELETE /v1/SelfServePolicy/:id': {
        audits: 2,
        call: async () =>
          world.app.inject({
            method: 'DELETE',
            url: `/v1/SelfServePolicy/${policyId}`,
            headers: await world.as(users.admin),
          }),
      },
      'POST /api/customers/:id/subscriptions/:subscriptionId/role-assignments': {
        audits: 1,
        call: async () =>
          world.app.inject({
            method: 'POST',
            url: `/api/customers/${fabrikam}/subscriptions/${fabrikamSubscription}/role-assignments`,
            headers: await world.as(users.admin),
            payload: { userId: demoId(users.fabrikamReader), role: 'Contributor' },
          }),
      },
      'DELETE /api/customers/:id/subscriptions/:subscriptionId/role-assignments/:assignmentId': {
        audits: 1,
        call: async () => {
          const row = await world.handle.db
            .selectFrom('role_assignments')
            .select('id')
            .where('role', '=', 'Contributor')
            .executeTakeFirstOrThrow();
          return world.app.inject({
            method: 'DELETE',
            url: `/api/customers/${fabrikam}/subscriptions/${fabrikamSubscription}/role-assignments/${row.id}`,
            headers: await world.as(users.admin),
          });
        },
      },
      'PUT /subscriptions/:subscriptionId/providers/Microsoft.Authorization/roleAssignments/:name': {
        audits: 1,
        call: async () =>
          world.app.inject({
            method: 'PUT',
            url: `/subscriptions/${fabrikamAzure}/providers/Microsoft.Authorization/roleAssignments/${armAssignment}?api-version=2022-04-01`,
            headers: await world.as(users.fabrikamOwner),
            payload: {
              properties: {
                roleDefinitionId:
                  '/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7',
                principalId: demoId(users.fabrikamOwner),
              },
            },
          }),
      },
      'DELETE /subscriptions/:subscriptionId/providers/Microsoft.Authorization/roleAssignments/:name': {
        audits: 1,
        call: async () =>
          world.app.inject({
            method: 'DELETE',
            url: `/subscriptions/${fabrikamAzure}/providers/Microsoft.Authorization/roleAssignments/${armAssignment}?api-version=2022-04-01`,
            headers: await world.as(users.fabrikamOwner),
          }),
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
