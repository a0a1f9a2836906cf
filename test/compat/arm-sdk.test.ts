import type { AddressInfo } from 'node:net';
import { BillingBenefitsRP } from '@azure/arm-billingbenefits';
import { AzureReservationAPI } from '@azure/arm-reservations';
import type { TokenCredential } from '@azure/core-auth';
import { bearerTokenAuthenticationPolicyName, type PipelinePolicy } from '@azure/core-rest-pipeline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoId } from '../../src/demo/load.ts';
import { demoWorld, type TestWorld, users } from '../support/app.ts';

const fabrikamAzure = demoId('fabrikam-azure-subscription');

/** Microsoft's own clients, pointed at Mitra over plain HTTP (reference azure-arm-api.md §1.2). */
function forLocal<
  T extends { pipeline: { removePolicy(o: { name: string }): unknown; addPolicy(p: PipelinePolicy): void } },
>(client: T, token: string): T {
  client.pipeline.removePolicy({ name: bearerTokenAuthenticationPolicyName });
  client.pipeline.addPolicy({
    name: 'localBearer',
    async sendRequest(req, next) {
      req.headers.set('Authorization', `Bearer ${token}`);
      return next(req);
    },
  });
  return client;
}
const credential: TokenCredential = {
  getToken: async () => ({ token: 'unused', expiresOnTimestamp: Date.now() + 3_600_000 }),
};

describe('official Azure SDKs against Mitra', () => {
  let world: TestWorld;
  let endpoint: string;
  const clients = async (email: string) => {
    const token = await world.token(email);
    const options = { endpoint, allowInsecureConnection: true };
    return {
      reservations: forLocal(new AzureReservationAPI(credential, options), token),
      benefits: forLocal(new BillingBenefitsRP(credential, options), token),
    };
  };
  const enable = async (resource: string) =>
    world.app.inject({
      method: 'PUT',
      url: `/api/customers/${demoId('fabrikam')}/permissions/${resource}`,
      headers: await world.as(users.admin),
      payload: { allowed: true },
    });

  beforeAll(async () => {
    world = await demoWorld('pglite');
    await world.app.listen({ port: 0, host: '127.0.0.1' });
    endpoint = `http://127.0.0.1:${(world.app.server.address() as AddressInfo).port}`;
  });
  afterAll(() => world.close());

  const purchaseRequest = {
    sku: { name: 'Standard_D2s_v3' },
    location: 'eastus',
    reservedResourceType: 'VirtualMachines',
    billingScopeId: `/subscriptions/${fabrikamAzure}`,
    term: 'P1Y',
    billingPlan: 'Upfront',
    quantity: 2,
    displayName: 'web-tier',
    appliedScopeType: 'Shared',
    instanceFlexibility: 'On',
  } as const;

  it('refuses a purchase before the partner allows it, with the reason in the SDK error', async () => {
    const { reservations } = await clients(users.fabrikamOwner);
    const error = await reservations.reservationOrder.calculate(purchaseRequest).catch((e) => e);
    expect(error.statusCode).toBe(403);
    expect(error.code).toBe('PermissionNotEnabled');
    expect(error.message).toMatch(/provider has not allowed/);
  });

  it('catalog, calculatePrice, purchase, list, get and rename through @azure/arm-reservations', async () => {
    await enable('AzureReservedInstances');
    const { reservations } = await clients(users.fabrikamOwner);
    const catalog = [];
    for await (const item of reservations.listCatalog(fabrikamAzure, {
      reservedResourceType: 'VirtualMachines',
      location: 'eastus',
    }))
      catalog.push(item);
    expect(catalog.find((c) => c.name === 'Standard_D2s_v3')).toBeDefined();

    const quote = await reservations.reservationOrder.calculate(purchaseRequest);
    const orderId = quote.properties!.reservationOrderId!;
    expect(quote.properties!.billingCurrencyTotal!.amount).toBeGreaterThan(0);
    expect(quote.properties!.pricingCurrencyTotal!.amount).toBeLessThan(
      quote.properties!.billingCurrencyTotal!.amount!,
    );

    const order = await reservations.reservationOrder.beginPurchaseAndWait(orderId, purchaseRequest, {
      updateIntervalInMs: 0,
    });
    expect(order.name).toBe(orderId);
    expect(order.provisioningState).toBe('Succeeded');
    const reservationId = order.reservations![0].id!.split('/').pop()!;

    const orders = [];
    for await (const o of reservations.reservationOrder.list()) orders.push(o);
    expect(orders.map((o) => o.name)).toContain(orderId);

    const got = await reservations.reservation.get(orderId, reservationId);
    expect(got.properties).toMatchObject({
      quantity: 2,
      displayName: 'web-tier',
      appliedScopeType: 'Shared',
      reservedResourceType: 'VirtualMachines',
    });

    const renamed = await reservations.reservation.beginUpdateAndWait(
      orderId,
      reservationId,
      { name: 'web-tier-prod' },
      { updateIntervalInMs: 0 },
    );
    expect(renamed.properties!.displayName).toBe('web-tier-prod');

    const all = [];
    for await (const r of reservations.reservation.listAll()) all.push(r);
    expect(all).toHaveLength(1);

    // Retrying the purchase with the same order id buys nothing more.
    await reservations.reservationOrder.beginPurchaseAndWait(orderId, purchaseRequest, {
      updateIntervalInMs: 0,
    });
    const ledger = await world.handle.db
      .selectFrom('ledger_entries')
      .selectAll()
      .where('customer_id', '=', demoId('fabrikam'))
      .execute();
    expect(ledger).toHaveLength(1);
    expect(ledger[0].amount).toBe(quote.properties!.billingCurrencyTotal!.amount!.toFixed(6));
  });

  it('refuses a scope change and a refund from the customer with partner-action-required', async () => {
    const { reservations } = await clients(users.fabrikamOwner);
    const [r] = await (async () => {
      const out = [];
      for await (const x of reservations.reservation.listAll()) out.push(x);
      return out;
    })();
    const [orderId, reservationId] = r.name!.split('/');
    const scope = await reservations.reservation
      .beginUpdateAndWait(
        orderId,
        reservationId,
        { appliedScopeType: 'Single', appliedScopes: [`/subscriptions/${fabrikamAzure}`] },
        { updateIntervalInMs: 0 },
      )
      .catch((e) => e);
    expect(scope.statusCode).toBe(403);
    expect(scope.code).toBe('PartnerActionRequired');
    expect(scope.message).toMatch(/ask your partner/);
    const refund = await reservations.return
      .beginPostAndWait(
        orderId,
        {
          properties: {
            sessionId: 'x',
            scope: 'Reservation',
            reservationToReturn: { reservationId: r.id, quantity: 1 },
          },
        },
        { updateIntervalInMs: 0 },
      )
      .catch((e) => e);
    expect(refund.statusCode).toBe(403);
    expect(refund.code).toBe('PartnerActionRequired');
  });

  it('a Reader is told that the Owner role is needed, and on which subscription', async () => {
    const { reservations } = await clients(users.fabrikamReader);
    const error = await reservations.reservationOrder.calculate(purchaseRequest).catch((e) => e);
    expect(error.statusCode).toBe(403);
    expect(error.code).toBe('OwnerRoleRequired');
    expect(error.message).toContain(fabrikamAzure);
  });

  it('validate, purchase, list, get and rename savings plans through @azure/arm-billingbenefits', async () => {
    const { benefits } = await clients(users.fabrikamOwner);
    const request = {
      sku: { name: 'Compute_Savings_Plan' },
      displayName: 'compute-sp',
      billingScopeId: `/subscriptions/${fabrikamAzure}`,
      term: 'P1Y',
      billingPlan: 'P1M',
      appliedScopeType: 'Shared',
      commitment: { grain: 'Hourly', currencyCode: 'USD', amount: 1.5 },
    } as const;
    const refused = await benefits.validatePurchase({ benefits: [request] });
    expect(refused.benefits![0]).toMatchObject({
      valid: false,
      reasonCode: 'CustomerCannotPurchaseSavingsPlan',
    });
    await enable('AzureSavingsPlan');
    const ok = await benefits.validatePurchase({ benefits: [request] });
    expect(ok.benefits![0].valid).toBe(true);
    const alias = await benefits.savingsPlanOrderAlias.beginCreateAndWait('sp-alias-1', request, {
      updateIntervalInMs: 0,
    });
    expect(alias.provisioningState).toBe('Succeeded');
    const orderId = alias.savingsPlanOrderId!.split('/').pop()!;
    const plans = [];
    for await (const p of benefits.savingsPlan.list(orderId)) plans.push(p);
    expect(plans).toHaveLength(1);
    const planId = plans[0].name!;
    const got = await benefits.savingsPlan.get(orderId, planId);
    expect(got.commitment).toMatchObject({ amount: 1.5, currencyCode: 'USD' });
    const renamed = await benefits.savingsPlan.update(orderId, planId, {
      properties: { displayName: 'compute-sp-prod' },
    });
    expect(renamed.displayName).toBe('compute-sp-prod');
    const all = [];
    for await (const p of benefits.savingsPlan.listAll()) all.push(p);
    expect(all.map((p) => p.displayName)).toEqual(['compute-sp-prod']);
    // Retrying the alias creates no second plan.
    await benefits.savingsPlanOrderAlias.beginCreateAndWait('sp-alias-1', request, { updateIntervalInMs: 0 });
    const again = [];
    for await (const p of benefits.savingsPlan.listAll()) again.push(p);
    expect(again).toHaveLength(1);
    const scope = await benefits.savingsPlan
      .update(orderId, planId, {
        properties: {
          appliedScopeType: 'Single',
          appliedScopeProperties: { subscriptionId: `/subscriptions/${fabrikamAzure}` },
        },
      })
      .catch((e) => e);
    expect(scope.statusCode).toBe(403);
    expect(scope.code).toBe('PartnerActionRequired');
  });
});
