import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitmentRequestOf } from '../../src/api/commitment-requests.ts';
import { azurePlan, catalog } from '../../src/demo/catalog.ts';
import { demoId } from '../../src/demo/load.ts';
import { priceSheetColumns } from '../../src/domain/price-sheet.ts';
import { strictWebhookSettings } from '../../src/domain/webhooks.ts';
import { executePurchase } from '../../src/services/commitment-purchase.ts';
import { createCustomer } from '../../src/services/customers.ts';
import { emitEvent } from '../../src/services/events.ts';
import { authenticateUser } from '../../src/services/identity.ts';
import { demoPassword, demoWorld, type TestWorld, users } from '../support/app.ts';
import { allow, buy, reservationBody, savingsPlanBody } from '../support/commitments.ts';
import { databaseKinds, rowCounts } from '../support/db.ts';

const fabrikam = demoId('fabrikam');
const lastMonth = () => {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
};
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
  'price_list_versions',
  'price_list_overrides',
  'webhook_endpoints',
  'partner_costs',
  'cost_management_settings',
] as const;

describe.each(databaseKinds)('audit integrity on %s', (kind) => {
  let world: TestWorld;
  beforeAll(async () => {
    // Webhook endpoints on 127.0.0.1 (port 9: nothing answers, so a test or replay fails fast).
    world = await demoWorld(kind, {
      webhooks: { ...strictWebhookSettings, allowHttp: true, allowPrivate: true },
    });
  });
  afterAll(() => world.close());

  const latest = (kind: 'reservation' | 'savings_plan') =>
    world.handle.db
      .selectFrom('commitments')
      .selectAll()
      .where('kind', '=', kind)
      .where('status', '=', 'Succeeded')
      .orderBy('purchased_at', 'desc')
      .executeTakeFirstOrThrow();
  const armReservation = {
    sku: { name: 'Standard_D2s_v3' },
    location: 'eastus',
    properties: {
      reservedResourceType: 'VirtualMachines',
      billingScopeId: `/subscriptions/${fabrikamAzure}`,
      term: 'P1Y',
      billingPlan: 'Upfront',
      quantity: 1,
      appliedScopeType: 'Shared',
    },
  };

  const counts = (): Promise<Record<string, number>> =>
    rowCounts(world.handle.db, [...businessTables, 'audit_records']);

  /**
   * How to make each state-changing route succeed, and how many activity records it owes. A new
   * mutating route fails the test until it is listed here with its audit expectation.
   */
  let approvalId = '';
  let approvalTotal = '';
  /** A purchase of Fabrikam's Owner held for approval: a threshold of 1 USD for one purchase, then cleared. */
  const heldPurchase = async (): Promise<string> => {
    await allow(world, 'AzureReservedInstances');
    const guardrails = async (approvalThreshold: unknown) =>
      world.app.inject({
        method: 'PUT',
        url: `/api/customers/${fabrikam}/guardrails`,
        headers: await world.as(users.admin),
        payload: { monthlyLimit: null, approvalThreshold },
      });
    await guardrails({ amount: '1', currency: 'USD' });
    const res = await buy(world, users.fabrikamOwner, 'reservations', reservationBody());
    await guardrails(null);
    if (res.statusCode !== 202) throw new Error(`held purchase: ${res.statusCode} ${res.body}`);
    return res.json().approvalId;
  };
  let webhook = '';
  let delivery = '';
  async function newWebhook() {
    const res = await world.app.inject({
      method: 'POST',
      url: '/api/webhooks',
      headers: await world.as(users.admin),
      payload: { url: 'http://127.0.0.1:9/hooks', events: ['commitment.refunded'], description: 'audit' },
    });
    expect(res.statusCode, res.body).toBe(201);
    webhook = res.json().id;
    return res;
  }

  const cases: Record<
    string,
    {
      setup?: () => Promise<unknown>;
      call: () => Promise<{ statusCode: number; body: string }>;
      audits: number;
    }
  > = {
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
        await world.handle.db.deleteFrom('self_serve_policies').where('customer_id', '=', fabrikam).execute();
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
    'PUT /providers/Microsoft.Capacity/reservationOrders/:orderId': {
      audits: 1,
      setup: () => allow(world, 'AzureReservedInstances'),
      call: async () => {
        const h = await world.as(users.fabrikamOwner);
        const quote = await world.app.inject({
          method: 'POST',
          url: '/providers/Microsoft.Capacity/calculatePrice?api-version=2022-11-01',
          headers: h,
          payload: armReservation,
        });
        return world.app.inject({
          method: 'PUT',
          url: `/providers/Microsoft.Capacity/reservationOrders/${quote.json().properties.reservationOrderId}?api-version=2022-11-01`,
          headers: h,
          payload: armReservation,
        });
      },
    },
    'PATCH /providers/Microsoft.Capacity/reservationOrders/:orderId/reservations/:reservationId': {
      audits: 1,
      call: async () => {
        const c = await latest('reservation');
        return world.app.inject({
          method: 'PATCH',
          url: `/providers/Microsoft.Capacity/reservationOrders/${c.order_id}/reservations/${c.id}?api-version=2022-11-01`,
          headers: await world.as(users.fabrikamOwner),
          payload: { properties: { name: 'renamed-by-arm' } },
        });
      },
    },
    'PUT /providers/Microsoft.BillingBenefits/savingsPlanOrderAliases/:alias': {
      audits: 1,
      setup: () => allow(world, 'AzureSavingsPlan'),
      call: async () => {
        return world.app.inject({
          method: 'PUT',
          url: '/providers/Microsoft.BillingBenefits/savingsPlanOrderAliases/audit-alias?api-version=2022-11-01',
          headers: await world.as(users.fabrikamOwner),
          payload: {
            sku: { name: 'Compute_Savings_Plan' },
            properties: {
              billingScopeId: `/subscriptions/${fabrikamAzure}`,
              term: 'P1Y',
              billingPlan: 'P1M',
              appliedScopeType: 'Shared',
              commitment: { grain: 'Hourly', currencyCode: 'USD', amount: 2 },
            },
          },
        });
      },
    },
    'PATCH /providers/Microsoft.BillingBenefits/savingsPlanOrders/:orderId/savingsPlans/:planId': {
      audits: 1,
      call: async () => {
        const c = await latest('savings_plan');
        return world.app.inject({
          method: 'PATCH',
          url: `/providers/Microsoft.BillingBenefits/savingsPlanOrders/${c.order_id}/savingsPlans/${c.id}?api-version=2022-11-01`,
          headers: await world.as(users.fabrikamOwner),
          payload: { properties: { displayName: 'sp-renamed' } },
        });
      },
    },
    'POST /api/my/reservations': {
      audits: 1,
      call: async () => buy(world, users.fabrikamOwner, 'reservations', reservationBody()),
    },
    'PATCH /api/my/reservations/:id': {
      audits: 1,
      call: async () =>
        world.app.inject({
          method: 'PATCH',
          url: `/api/my/reservations/${(await latest('reservation')).id}`,
          headers: await world.as(users.fabrikamOwner),
          payload: { displayName: 'my-ri' },
        }),
    },
    'POST /api/my/savings-plans': {
      audits: 1,
      call: async () => buy(world, users.fabrikamOwner, 'savings-plans', savingsPlanBody()),
    },
    'PATCH /api/my/savings-plans/:id': {
      audits: 1,
      call: async () =>
        world.app.inject({
          method: 'PATCH',
          url: `/api/my/savings-plans/${(await latest('savings_plan')).id}`,
          headers: await world.as(users.fabrikamOwner),
          payload: { displayName: 'my-sp' },
        }),
    },
    'POST /api/customers/:id/reservations': {
      audits: 1,
      call: async () =>
        world.app.inject({
          method: 'POST',
          url: `/api/customers/${fabrikam}/reservations`,
          headers: { ...(await world.as(users.admin)), 'idempotency-key': crypto.randomUUID() },
          payload: reservationBody(),
        }),
    },
    'PATCH /api/customers/:id/reservations/:commitmentId': {
      audits: 2,
      call: async () =>
        world.app.inject({
          method: 'PATCH',
          url: `/api/customers/${fabrikam}/reservations/${(await latest('reservation')).id}`,
          headers: await world.as(users.admin),
          payload: { displayName: 'partner-named', renew: true },
        }),
    },
    'POST /api/customers/:id/savings-plans': {
      audits: 1,
      call: async () =>
        world.app.inject({
          method: 'POST',
          url: `/api/customers/${fabrikam}/savings-plans`,
          headers: { ...(await world.as(users.admin)), 'idempotency-key': crypto.randomUUID() },
          payload: savingsPlanBody(),
        }),
    },
    'PATCH /api/customers/:id/savings-plans/:commitmentId': {
      audits: 1,
      call: async () =>
        world.app.inject({
          method: 'PATCH',
          url: `/api/customers/${fabrikam}/savings-plans/${(await latest('savings_plan')).id}`,
          headers: await world.as(users.admin),
          payload: { renew: true },
        }),
    },
    'POST /api/customers/:id/reservations/:commitmentId/exchange': {
      audits: 2,
      call: async () =>
        world.app.inject({
          method: 'POST',
          url: `/api/customers/${fabrikam}/reservations/${(await latest('reservation')).id}/exchange`,
          headers: await world.as(users.admin),
          payload: reservationBody({ sku: 'Standard_D8s_v3', term: 'P3Y' }),
        }),
    },
    'POST /api/customers/:id/reservations/:commitmentId/refund': {
      audits: 1,
      call: async () =>
        world.app.inject({
          method: 'POST',
          url: `/api/customers/${fabrikam}/reservations/${(await latest('reservation')).id}/refund`,
          headers: await world.as(users.admin),
          payload: {},
        }),
    },
    // Closing last month: the purchase backdated into it is invoiced (one record), the month closed (one).
    'POST /api/invoices/issue': {
      audits: 2,
      setup: async () => {
        const now = new Date();
        const at = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 10));
        const admin = await authenticateUser(world.handle.db, users.admin, demoPassword);
        const customer = await world.handle.db
          .selectFrom('customers')
          .selectAll()
          .where('id', '=', fabrikam)
          .executeTakeFirstOrThrow();
        await world.handle.db
          .transaction()
          .execute((trx) =>
            executePurchase(
              trx,
              { actor: admin, correlationId: crypto.randomUUID() },
              customer,
              commitmentRequestOf('reservation', reservationBody()),
              crypto.randomUUID(),
              { at },
            ),
          );
      },
      call: async () =>
        world.app.inject({
          method: 'POST',
          url: '/api/invoices/issue',
          headers: await world.as(users.admin),
          payload: { month: lastMonth() },
        }),
    },
    // A credit note and the month's invoice issued again: one record each.
    'POST /api/customers/:id/invoices/:invoiceId/credit-note': {
      audits: 2,
      call: async () => {
        const issued = await world.handle.db
          .selectFrom('invoices')
          .select('id')
          .where('customer_id', '=', fabrikam)
          .where('kind', '=', 'invoice')
          .executeTakeFirstOrThrow();
        return world.app.inject({
          method: 'POST',
          url: `/api/customers/${fabrikam}/invoices/${issued.id}/credit-note`,
          headers: await world.as(users.admin),
          payload: { reason: 'wrong address' },
        });
      },
    },
    'PUT /api/customers/:id/tax': {
      audits: 1,
      call: async () =>
        world.app.inject({
          method: 'PUT',
          url: `/api/customers/${fabrikam}/tax`,
          headers: await world.as(users.admin),
          payload: { taxRate: '11', taxName: 'PPN' },
        }),
    },
    // Spend guardrails (B2): one record per change.
    'PUT /api/customers/:id/guardrails': {
      audits: 1,
      call: async () =>
        world.app.inject({
          method: 'PUT',
          url: `/api/customers/${fabrikam}/guardrails`,
          headers: await world.as(users.admin),
          payload: { monthlyLimit: { amount: '100000', currency: 'USD' }, approvalThreshold: null },
        }),
    },
    // Approving buys as the customer (its order record) and records the approval: two records.
    'POST /api/approvals/:id/approve': {
      audits: 2,
      setup: async () => {
        approvalId = await heldPurchase();
      },
      call: async () =>
        world.app.inject({
          method: 'POST',
          url: `/api/approvals/${approvalId}/approve`,
          headers: await world.as(users.admin),
        }),
    },
    'POST /api/approvals/:id/decline': {
      audits: 1,
      setup: async () => {
        approvalId = await heldPurchase();
      },
      call: async () =>
        world.app.inject({
          method: 'POST',
          url: `/api/approvals/${approvalId}/decline`,
          headers: await world.as(users.admin),
          payload: { reason: 'not this month' },
        }),
    },
    // The customer confirms a moved price (marked as an approval refused on price would be).
    'POST /api/my/approvals/:id/confirm': {
      audits: 1,
      setup: async () => {
        approvalId = await heldPurchase();
        const a = await world.handle.db
          .selectFrom('purchase_approvals')
          .select(['price', 'total'])
          .where('id', '=', approvalId)
          .executeTakeFirstOrThrow();
        approvalTotal = a.total;
        await world.handle.db
          .updateTable('purchase_approvals')
          .set({ status: 'price-changed', new_price: JSON.stringify(a.price) })
          .where('id', '=', approvalId)
          .execute();
      },
      call: async () =>
        world.app.inject({
          method: 'POST',
          url: `/api/my/approvals/${approvalId}/confirm`,
          headers: await world.as(users.fabrikamOwner),
          payload: { total: approvalTotal },
        }),
    },
    // The cost management switch (R17): one record per change; the same value again writes none.
    'PUT /api/customers/:id/cost-management': {
      audits: 1,
      call: async () =>
        world.app.inject({
          method: 'PUT',
          url: `/api/customers/${fabrikam}/cost-management`,
          headers: await world.as(users.admin),
          payload: { enabled: true },
        }),
    },
    // Webhook endpoints (B1): one record per change; a test event and a replay one record each.
    'POST /api/webhooks': { audits: 1, call: () => newWebhook() },
    'PATCH /api/webhooks/:id': {
      audits: 1,
      setup: async () => void (await newWebhook()),
      call: async () =>
        world.app.inject({
          method: 'PATCH',
          url: `/api/webhooks/${webhook}`,
          headers: await world.as(users.admin),
          payload: { description: 'renamed', enabled: false },
        }),
    },
    'DELETE /api/webhooks/:id': {
      audits: 1,
      setup: async () => void (await newWebhook()),
      call: async () =>
        world.app.inject({
          method: 'DELETE',
          url: `/api/webhooks/${webhook}`,
          headers: await world.as(users.admin),
        }),
    },
    'POST /api/webhooks/:id/rotate-secret': {
      audits: 1,
      setup: async () => void (await newWebhook()),
      call: async () =>
        world.app.inject({
          method: 'POST',
          url: `/api/webhooks/${webhook}/rotate-secret`,
          headers: await world.as(users.admin),
        }),
    },
    'POST /api/webhooks/:id/test': {
      audits: 1,
      setup: async () => void (await newWebhook()),
      call: async () =>
        world.app.inject({
          method: 'POST',
          url: `/api/webhooks/${webhook}/test`,
          headers: await world.as(users.admin),
        }),
    },
    'POST /api/webhooks/:id/deliveries/:deliveryId/replay': {
      audits: 1,
      setup: async () => {
        await newWebhook();
        const sent = await world.app.inject({
          method: 'POST',
          url: `/api/webhooks/${webhook}/test`,
          headers: await world.as(users.admin),
        });
        delivery = sent.json().id;
      },
      call: async () =>
        world.app.inject({
          method: 'POST',
          url: `/api/webhooks/${webhook}/deliveries/${delivery}/replay`,
          headers: await world.as(users.admin),
        }),
    },
    // The same switch through Microsoft.Billing (viewCharges): back off, one record.
    'PUT /providers/Microsoft.Billing/billingAccounts/:billingAccount/customers/:customerId/policies/default':
      {
        audits: 1,
        call: async () =>
          world.app.inject({
            method: 'PUT',
            url: `/providers/Microsoft.Billing/billingAccounts/${demoId('contoso')}/customers/${fabrikam}/policies/default?api-version=2020-05-01`,
            headers: await world.as(users.admin),
            payload: { properties: { viewCharges: 'NotAllowed' } },
          }),
      },
    'POST /api/rates/import': {
      audits: 1,
      call: async () =>
        world.app.inject({
          method: 'POST',
          url: '/api/rates/import',
          headers: { ...(await world.as(users.admin)), 'content-type': 'text/csv' },
          payload: 'date,base,quote,rate\n2026-11-30,USD,IDR,16600\n',
        }),
    },
    // The partner's own jobs (R20): the customer and its first user are two records in one transaction.
    'POST /api/customers': {
      audits: 2,
      call: async () =>
        world.app.inject({
          method: 'POST',
          url: '/api/customers',
          headers: await world.as(users.sales),
          payload: {
            companyName: 'Proseware',
            domain: 'proseware.example',
            country: 'ID',
            culture: 'id-ID',
            language: 'id',
            email: 'billing@proseware.example',
            firstName: 'Wayan',
            lastName: 'Sudarma',
            addressLine1: 'Jl. Sunset Road 88',
            city: 'Denpasar',
            postalCode: '80361',
            user: { email: 'admin@proseware.example', displayName: 'Wayan Sudarma' },
          },
        }),
    },
    'POST /api/customers/:id/users': {
      audits: 1,
      call: async () =>
        world.app.inject({
          method: 'POST',
          url: `/api/customers/${fabrikam}/users`,
          headers: await world.as(users.admin),
          payload: { email: 'audit.user@fabrikam.example', displayName: 'Audit User' },
        }),
    },
    'PATCH /api/customers/:id/billing-profile': {
      audits: 1,
      call: async () =>
        world.app.inject({
          method: 'PATCH',
          url: `/api/customers/${fabrikam}/billing-profile`,
          headers: await world.as(users.admin),
          payload: { phone: '+62 21 555 0142', city: 'Jakarta Pusat' },
        }),
    },
    'POST /api/customers/:id/azure-plan': {
      audits: 1,
      call: async () =>
        world.app.inject({
          method: 'POST',
          url: `/api/customers/${demoId('northwind')}/azure-plan`,
          headers: await world.as(users.admin),
          payload: { friendlyName: 'Northwind Azure plan' },
        }),
    },
    'PUT /api/customers/:id/price-list': {
      audits: 1,
      call: async () =>
        world.app.inject({
          method: 'PUT',
          url: `/api/customers/${fabrikam}/price-list`,
          headers: await world.as(users.admin),
          payload: {
            markups: { usage: '0', reservations: '5', savingsPlans: '3', licences: '10' },
            overrides: [{ catalogItemId: reservation.catalogItemId, markupPercent: '2' }],
          },
        }),
    },
    'PUT /api/price-list/default': {
      audits: 1,
      call: async () =>
        world.app.inject({
          method: 'PUT',
          url: '/api/price-list/default',
          headers: await world.as(users.admin),
          payload: {
            markups: { usage: '0', reservations: '5', savingsPlans: '3', licences: '10' },
            effectiveFrom: `${new Date().getUTCFullYear() + 1}-01-01`,
          },
        }),
    },
    'PUT /api/price-list/settings': {
      audits: 1,
      call: async () =>
        world.app.inject({
          method: 'PUT',
          url: '/api/price-list/settings',
          headers: await world.as(users.admin),
          payload: { showRetailToCustomers: false },
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
    // A partner's Admin agent imports its own customers' usage: one record, the agent as actor.
    'POST /api/usage/imports': {
      audits: 1,
      call: async () =>
        world.app.inject({
          method: 'POST',
          url: '/api/usage/imports?file=audit.csv',
          headers: { ...(await world.as(users.admin)), 'content-type': 'text/csv' },
          payload: `customerId,subscriptionId,hour,resourceGroup,region,sku,quantity,paygUnitPrice\n${fabrikam},${fabrikamAzure},2026-11-01T10:00:00Z,rg,eastus,Standard_D2s_v3,1,0.1\n`,
        }),
    },
    // The `mitra` command through the server: one record per partner whose customers it touched.
    'POST /api/cli/usage/import': {
      audits: 1,
      call: async () =>
        world.app.inject({
          method: 'POST',
          url: '/api/cli/usage/import?file=audit.csv',
          headers: { ...world.asOperator('usage import'), 'content-type': 'text/csv' },
          payload: `customerId,subscriptionId,hour,resourceGroup,region,sku,quantity,paygUnitPrice\n${fabrikam},${fabrikamAzure},2026-11-01T10:00:00Z,rg,eastus,Standard_D2s_v3,1,0.1\n`,
        }),
    },
    // A month with nothing to invoice, for one partner: the close itself is recorded.
    'POST /api/cli/invoices/issue': {
      audits: 1,
      call: async () =>
        world.app.inject({
          method: 'POST',
          url: '/api/cli/invoices/issue',
          headers: world.asOperator('invoices issue'),
          payload: { month: '2025-01', partnerId: demoId('contoso') },
        }),
    },
    // The operator's rates are global: they price every partner's invoices, so each of the demo's
    // two partners' activity logs records the import.
    'POST /api/cli/rates/import': {
      audits: 2,
      call: async () =>
        world.app.inject({
          method: 'POST',
          url: '/api/cli/rates/import?file=rates.csv',
          headers: { ...world.asOperator('rates import'), 'content-type': 'text/csv' },
          payload: 'date,base,quote,rate\n2026-11-30,USD,EUR,0.92\n',
        }),
    },
    'POST /api/cli/prices/import': {
      audits: 1,
      call: async () =>
        world.app.inject({
          method: 'POST',
          url: '/api/cli/prices/import?file=prices.csv&partner=contoso-partner.example',
          headers: { ...world.asOperator('prices import'), 'content-type': 'text/csv' },
          payload: `${priceSheetColumns.join(',')}\n`,
        }),
    },
    'POST /api/cli/benefit-runs': {
      audits: 1,
      call: async () =>
        world.app.inject({
          method: 'POST',
          url: '/api/cli/benefit-runs',
          headers: world.asOperator('benefits run'),
          payload: { from: '2026-11-01', to: '2026-11-02', customerIds: [fabrikam] },
        }),
    },
    // The feed (B1): marking read and choosing one's own deliveries are the user's own view of the
    // feed, not the partner's business state, so they write no record (docs/architecture.md).
    'POST /api/notifications/:id/read': {
      audits: 0,
      call: async () => {
        const admin = await world.handle.db
          .selectFrom('partner_users')
          .select(['id', 'partner_id'])
          .where('email', '=', users.admin)
          .executeTakeFirstOrThrow();
        await world.handle.db.transaction().execute((trx) =>
          emitEvent(trx, {
            partnerId: admin.partner_id,
            customerId: fabrikam,
            type: 'customer.permission.enabled',
            data: {
              customer: { id: fabrikam, name: 'Fabrikam' },
              permission: 'AzureSavingsPlan',
              changedBy: null,
            },
          }),
        );
        const row = await world.handle.db
          .selectFrom('notifications')
          .select('id')
          .where('partner_user_id', '=', admin.id)
          .where('read_at', 'is', null)
          .executeTakeFirstOrThrow();
        return world.app.inject({
          method: 'POST',
          url: `/api/notifications/${row.id}/read`,
          headers: await world.as(users.admin),
        });
      },
    },
    'POST /api/notifications/read-all': {
      audits: 0,
      call: async () =>
        world.app.inject({
          method: 'POST',
          url: '/api/notifications/read-all',
          headers: await world.as(users.sales),
        }),
    },
    // The alert checks (B11) raise events (the feed, e-mail, webhooks), not changes anyone made.
    'POST /api/cli/alerts/run': {
      audits: 0,
      call: async () =>
        world.app.inject({
          method: 'POST',
          url: '/api/cli/alerts/run',
          headers: world.asOperator('alerts run'),
          payload: {},
        }),
    },
    // Alert settings (B11) are the partner's: audited like the other Admin-only settings.
    'PUT /api/alert-settings': {
      audits: 1,
      call: async () =>
        world.app.inject({
          method: 'PUT',
          url: '/api/alert-settings',
          headers: await world.as(users.admin),
          payload: { underutilization: { thresholdPercent: 65, windowDays: 14 } },
        }),
    },
    'PUT /api/notification-preferences': {
      audits: 0,
      call: async () =>
        world.app.inject({
          method: 'PUT',
          url: '/api/notification-preferences',
          headers: await world.as(users.helpdesk),
          payload: { items: [{ type: 'commitment.expiring', inApp: true, email: true }] },
        }),
    },
  };
  // Signing in and out changes no business state; they are answered by the session table alone.
  // Signing in and out, and pricing a purchase (quotes, validation), change no business state.
  const notStateChanges = new Set([
    'POST /api/session',
    'DELETE /api/session',
    'POST /oauth2/token',
    'POST /providers/Microsoft.Capacity/calculatePrice',
    'POST /providers/Microsoft.BillingBenefits/validate',
    'POST /api/my/reservations/quote',
    'POST /api/my/savings-plans/quote',
    'POST /api/customers/:id/reservations/:commitmentId/refund-quote',
    'POST /api/customers/:id/reservations/:commitmentId/exchange-quote',
    'POST /api/customers/:id/price-list/preview',
    'POST /api/price-list/default/preview',
    'POST /api/customers/:id/reservations/quote',
    'POST /api/customers/:id/savings-plans/quote',
    // ARM's cost query is a read sent as POST (the query travels in the body).
    'POST /subscriptions/:subscriptionId/providers/Microsoft.CostManagement/query',
    'POST /subscriptions/:subscriptionId/resourceGroups/:resourceGroupName/providers/Microsoft.CostManagement/query',
    // A what-if (B4) replays candidates over past usage: a query whose candidates travel in the body.
    'POST /api/customers/:id/what-if',
    'POST /api/my/what-if',
  ]);
  // Routes that exist to tell a customer to ask its partner (R12): always refused, never a change.
  const alwaysRefused = [
    'POST /providers/Microsoft.Capacity/reservationOrders/:orderId/calculateRefund',
    'POST /providers/Microsoft.Capacity/reservationOrders/:orderId/return',
    'POST /providers/Microsoft.Capacity/reservationOrders/:orderId/split',
    'POST /providers/Microsoft.Capacity/reservationOrders/:orderId/merge',
    'POST /providers/Microsoft.Capacity/calculateExchange',
    'POST /providers/Microsoft.Capacity/exchange',
    'POST /api/my/reservations/:id/refund',
    'POST /api/my/reservations/:id/exchange',
    'POST /api/my/reservations/:id/cancel',
    'POST /api/my/savings-plans/:id/refund',
    'POST /api/my/savings-plans/:id/exchange',
    'POST /api/my/savings-plans/:id/cancel',
  ];
  for (const route of alwaysRefused) notStateChanges.add(route);

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
      await spec.setup?.();
      const before = await counts();
      const res = await spec.call();
      expect(res.statusCode, res.body).toBeLessThan(300);
      const after = await counts();
      expect(after.audit_records - before.audit_records).toBe(spec.audits);
    });
  }

  it('the routes that refuse customers (ask your partner) change nothing and say why', async () => {
    await allow(world, 'AzureReservedInstances');
    const owner = await world.as(users.fabrikamOwner);
    const c = (await buy(world, users.fabrikamOwner, 'reservations', reservationBody())).json();
    const sp = (
      await (async () => {
        await allow(world, 'AzureSavingsPlan');
        return buy(world, users.fabrikamOwner, 'savings-plans', savingsPlanBody());
      })()
    ).json();
    const before = await counts();
    for (const route of alwaysRefused) {
      const [method, path] = route.split(' ');
      const url = path
        .replace(':orderId', c.orderId)
        .replace('/api/my/reservations/:id', `/api/my/reservations/${c.id}`)
        .replace('/api/my/savings-plans/:id', `/api/my/savings-plans/${sp.id}`);
      const res = await world.app.inject({
        method: method as 'POST',
        url: `${url}?api-version=2022-11-01`,
        headers: owner,
        payload: {},
      });
      expect(res.statusCode, `${route} ${res.body}`).toBe(403);
      expect(res.body).toMatch(/partner-action-required|PartnerActionRequired/);
    }
    expect(await counts()).toEqual(before);
  });

  it('a Sales or Helpdesk agent saving a price list is refused: one refused record, no version', async () => {
    const body = { markups: { usage: '0', reservations: '1', savingsPlans: '1', licences: '1' } };
    for (const email of [users.sales, users.helpdesk]) {
      for (const [url, payload] of [
        [`/api/customers/${fabrikam}/price-list`, body],
        ['/api/price-list/default', body],
        ['/api/price-list/settings', { showRetailToCustomers: true }],
      ] as const) {
        const before = await counts();
        const res = await world.app.inject({ method: 'PUT', url, headers: await world.as(email), payload });
        expect(res.statusCode, res.body).toBe(403);
        expect(res.json().error.code).toBe('admin-agent-required');
        const after = await counts();
        expect(after).toEqual({ ...before, audit_records: before.audit_records + 1 });
        const record = await world.handle.db
          .selectFrom('audit_records')
          .selectAll()
          .orderBy('seq', 'desc')
          .executeTakeFirstOrThrow();
        expect(record).toMatchObject({
          operation_status: 'decline',
          resource_type: 'price_list',
          user_principal_name: email,
          customer_id: url.includes(fabrikam) ? fabrikam : null,
        });
        expect(record.customized_data).toContainEqual({ key: 'refusedWith', value: 'admin-agent-required' });
      }
    }
  });

  it('a Sales or Helpdesk agent changing webhooks is refused: one refused record each, nothing changed', async () => {
    await newWebhook();
    for (const email of [users.sales, users.helpdesk]) {
      for (const [method, url, payload] of [
        ['POST', '/api/webhooks', { url: 'http://127.0.0.1:9/x', events: ['commitment.refunded'] }],
        ['PATCH', `/api/webhooks/${webhook}`, { enabled: false }],
        ['DELETE', `/api/webhooks/${webhook}`, undefined],
        ['POST', `/api/webhooks/${webhook}/rotate-secret`, undefined],
        ['POST', `/api/webhooks/${webhook}/test`, undefined],
      ] as const) {
        const before = await counts();
        const res = await world.app.inject({ method, url, headers: await world.as(email), payload });
        expect(res.statusCode, res.body).toBe(403);
        expect(res.json().error.code).toBe('admin-agent-required');
        const after = await counts();
        expect(after).toEqual({ ...before, audit_records: before.audit_records + 1 });
        const record = await world.handle.db
          .selectFrom('audit_records')
          .selectAll()
          .orderBy('seq', 'desc')
          .executeTakeFirstOrThrow();
        expect(record).toMatchObject({
          operation_status: 'decline',
          resource_type: 'webhook_endpoint',
          user_principal_name: email,
        });
      }
    }
    const row = await world.handle.db
      .selectFrom('webhook_endpoints')
      .select(['enabled'])
      .where('id', '=', webhook)
      .executeTakeFirstOrThrow();
    expect(row.enabled).toBe(true);
  });

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

  it("a Sales agent's refused billing-profile edit changes nothing and is itself recorded", async () => {
    const before = await counts();
    const res = await world.app.inject({
      method: 'PATCH',
      url: `/api/customers/${fabrikam}/billing-profile`,
      headers: await world.as(users.sales),
      payload: { companyName: 'Renamed by Sales' },
    });
    expect(res.statusCode, res.body).toBe(403);
    const after = await counts();
    expect({ ...after, audit_records: before.audit_records }).toEqual(before);
    expect(after.audit_records - before.audit_records).toBe(1);
    const record = await world.handle.db
      .selectFrom('audit_records')
      .selectAll()
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect(record).toMatchObject({
      operation_type: 'update_customer_billing_profile',
      operation_status: 'decline',
      user_principal_name: users.sales,
    });
  });

  it('when the first user cannot be made, the new customer is rolled back with it', async () => {
    const before = await counts();
    const res = await world.app.inject({
      method: 'POST',
      url: '/api/customers',
      headers: await world.as(users.admin),
      payload: {
        companyName: 'Half Made',
        domain: 'half-made.example',
        country: 'US',
        culture: 'en-US',
        language: 'en',
        email: 'billing@half-made.example',
        firstName: 'H',
        lastName: 'M',
        addressLine1: '1 Main St',
        city: 'Seattle',
        postalCode: '98101',
        // Taken: the user insert fails after the customer row and its record were written.
        user: { email: users.fabrikamOwner, displayName: 'Half Made' },
      },
    });
    expect(res.statusCode, res.body).toBe(409);
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
