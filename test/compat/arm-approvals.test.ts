import type { AddressInfo } from 'node:net';
import { BillingBenefitsRP } from '@azure/arm-billingbenefits';
import { AzureReservationAPI } from '@azure/arm-reservations';
import type { TokenCredential } from '@azure/core-auth';
import { bearerTokenAuthenticationPolicyName, type PipelinePolicy } from '@azure/core-rest-pipeline';
import Big from 'big.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { demoId } from '../../src/demo/load.ts';
import { demoWorld, type TestWorld, users } from '../support/app.ts';
import { allow, fabrikam } from '../support/commitments.ts';

const fabrikamAzure = demoId('fabrikam-azure-subscription');

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

/** Guardrails (B2) through Microsoft's own clients: a held purchase is a long-running operation. */
describe('guardrails through the official Azure SDKs', () => {
  let world: TestWorld;
  let endpoint: string;
  const clients = async () => {
    const token = await world.token(users.fabrikamOwner);
    const options = { endpoint, allowInsecureConnection: true };
    return {
      reservations: forLocal(new AzureReservationAPI(credential, options), token),
      benefits: forLocal(new BillingBenefitsRP(credential, options), token),
    };
  };
  const guardrails = async (body: object) => {
    const res = await world.app.inject({
      method: 'PUT',
      url: `/api/customers/${fabrikam}/guardrails`,
      headers: await world.as(users.admin),
      payload: { monthlyLimit: null, approvalThreshold: null, ...body },
    });
    expect(res.statusCode, res.body).toBe(200);
  };
  /** The pending approval once the PUT has been answered. */
  const pendingApproval = async () => {
    for (let i = 0; i < 200; i++) {
      const row = await world.handle.db
        .selectFrom('purchase_approvals')
        .select('id')
        .where('status', '=', 'pending')
        .executeTakeFirst();
      if (row) return row.id;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error('no purchase was held');
  };
  const decide = async (id: string, action: 'approve' | 'decline', payload?: object) => {
    const res = await world.app.inject({
      method: 'POST',
      url: `/api/approvals/${id}/${action}`,
      headers: await world.as(users.admin),
      ...(payload ? { payload } : {}),
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };

  beforeAll(async () => {
    world = await demoWorld('pglite');
    await world.app.listen({ port: 0, host: '127.0.0.1' });
    endpoint = `http://127.0.0.1:${(world.app.server.address() as AddressInfo).port}`;
    await allow(world, 'AzureReservedInstances');
    await allow(world, 'AzureSavingsPlan');
  });
  afterAll(() => world.close());
  beforeEach(async () => {
    await world.handle.db
      .updateTable('commitments')
      .set({ purchased_at: new Date('2020-01-15T00:00:00Z') })
      .where('customer_id', '=', fabrikam)
      .execute();
  });

  const purchaseRequest = {
    sku: { name: 'Standard_D2s_v3' },
    location: 'eastus',
    reservedResourceType: 'VirtualMachines',
    billingScopeId: `/subscriptions/${fabrikamAzure}`,
    term: 'P1Y',
    billingPlan: 'Upfront',
    quantity: 1,
    displayName: 'held-web-tier',
    appliedScopeType: 'Shared',
    instanceFlexibility: 'On',
  } as const;

  it('beginPurchaseAndWait waits while the purchase is held, and returns the order once approved', async () => {
    await guardrails({ approvalThreshold: { amount: '1', currency: 'USD' } });
    const { reservations } = await clients();
    const quote = await reservations.reservationOrder.calculate(purchaseRequest);
    const orderId = quote.properties!.reservationOrderId!;
    const waiting = reservations.reservationOrder.beginPurchaseAndWait(orderId, purchaseRequest, {
      updateIntervalInMs: 20,
    });
    const approvalId = await pendingApproval();
    // Still running: nothing was bought while it waits.
    await new Promise((r) => setTimeout(r, 100));
    expect(
      await world.handle.db.selectFrom('commitments').select('id').where('order_id', '=', orderId).execute(),
    ).toHaveLength(0);
    const decided = await decide(approvalId, 'approve');
    const order = await waiting;
    expect(order.name).toBe(orderId);
    expect(order.provisioningState).toBe('Succeeded');
    expect(order.reservations![0].id).toContain(decided.commitmentId);
    // The same PUT again answers the bought order.
    const again = await reservations.reservationOrder.beginPurchaseAndWait(orderId, purchaseRequest, {
      updateIntervalInMs: 20,
    });
    expect(again.name).toBe(orderId);
  });

  it("the savings plan poller reports InProgress, then throws PurchaseDeclined with the partner's reason", async () => {
    await guardrails({ approvalThreshold: { amount: '1', currency: 'USD' } });
    const { benefits } = await clients();
    const request = {
      sku: { name: 'Compute_Savings_Plan' },
      displayName: 'held-sp',
      billingScopeId: `/subscriptions/${fabrikamAzure}`,
      term: 'P1Y',
      billingPlan: 'P1M',
      appliedScopeType: 'Shared',
      commitment: { grain: 'Hourly', currencyCode: 'USD', amount: 2 },
    } as const;
    const poller = await benefits.savingsPlanOrderAlias.beginCreate('held-sp-alias', request, {
      updateIntervalInMs: 20,
    });
    await poller.poll();
    expect(poller.isDone()).toBe(false);
    const approvalId = await pendingApproval();
    await decide(approvalId, 'decline', { reason: 'Savings plans wait for the budget review' });
    const error = await poller.pollUntilDone().catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain('PurchaseDeclined');
    expect((error as Error).message).toContain('budget review');
  });

  it('beginCreateAndWait for a held savings plan returns the alias, bought, once approved', async () => {
    await guardrails({ approvalThreshold: { amount: '1', currency: 'USD' } });
    const { benefits } = await clients();
    const request = {
      sku: { name: 'Compute_Savings_Plan' },
      displayName: 'approved-sp',
      billingScopeId: `/subscriptions/${fabrikamAzure}`,
      term: 'P1Y',
      billingPlan: 'P1M',
      appliedScopeType: 'Shared',
      commitment: { grain: 'Hourly', currencyCode: 'USD', amount: 3 },
    } as const;
    const waiting = benefits.savingsPlanOrderAlias.beginCreateAndWait('approved-sp-alias', request, {
      updateIntervalInMs: 20,
    });
    const approvalId = await pendingApproval();
    const decided = await decide(approvalId, 'approve');
    const alias = await waiting;
    expect(alias.provisioningState).toBe('Succeeded');
    const plans = [];
    for await (const p of benefits.savingsPlan.list(alias.savingsPlanOrderId!.split('/').pop()!))
      plans.push(p);
    expect(plans.map((p) => p.name)).toEqual([decided.commitmentId]);
  });

  it('a purchase over the monthly limit is refused in the ARM dialect with what remains', async () => {
    const { reservations } = await clients();
    const quote = await reservations.reservationOrder.calculate(purchaseRequest);
    const total = new Big(quote.properties!.billingCurrencyTotal!.amount!);
    await guardrails({ monthlyLimit: { amount: total.div(2).toFixed(2), currency: 'USD' } });
    const error = await reservations.reservationOrder
      .beginPurchaseAndWait(quote.properties!.reservationOrderId!, purchaseRequest, {
        updateIntervalInMs: 20,
      })
      .catch((e) => e);
    expect(error.statusCode).toBe(409);
    expect(error.code).toBe('MonthlyLimitExceeded');
    expect(error.message).toMatch(/IDR [\d.]+ remains of IDR/);
  });

  it("another customer's operation is not found", async () => {
    const row = await world.handle.db.selectFrom('purchase_approvals').select('id').executeTakeFirstOrThrow();
    const res = await world.app.inject({
      method: 'GET',
      url: `/providers/Microsoft.Capacity/operationResults/${row.id}?api-version=2022-11-01`,
      headers: await world.as(users.adatumOwner),
    });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('OperationNotFound');
  });
});
