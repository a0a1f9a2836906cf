import { demoId } from '../../src/demo/load.ts';
import type { TestWorld } from './app.ts';
import { users } from './app.ts';

export const fabrikam = demoId('fabrikam');
export const fabrikamAzure = demoId('fabrikam-azure-subscription');

export const reservationBody = (overrides: Record<string, unknown> = {}) => ({
  billingSubscriptionId: fabrikamAzure,
  sku: 'Standard_D2s_v3',
  region: 'eastus',
  term: 'P1Y',
  billingPlan: 'Upfront',
  quantity: 1,
  appliedScopeType: 'Shared',
  ...overrides,
});

export const savingsPlanBody = (overrides: Record<string, unknown> = {}) => ({
  billingSubscriptionId: fabrikamAzure,
  hourlyCommitment: '1.50',
  term: 'P1Y',
  billingPlan: 'Monthly',
  appliedScopeType: 'Shared',
  ...overrides,
});

export async function allow(
  world: TestWorld,
  resource: 'AzureReservedInstances' | 'AzureSavingsPlan',
  allowed = true,
  customerId = fabrikam,
) {
  const res = await world.app.inject({
    method: 'PUT',
    url: `/api/customers/${customerId}/permissions/${resource}`,
    headers: await world.as(users.admin),
    payload: { allowed },
  });
  if (res.statusCode !== 200) throw new Error(`permission: ${res.statusCode} ${res.body}`);
}

export async function buy(
  world: TestWorld,
  email: string,
  path: 'reservations' | 'savings-plans',
  body: Record<string, unknown>,
  key = crypto.randomUUID(),
) {
  return world.app.inject({
    method: 'POST',
    url: `/api/my/${path}`,
    headers: { ...(await world.as(email)), 'idempotency-key': key },
    payload: body,
  });
}
