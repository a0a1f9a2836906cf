import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buySavingsPlan, setPermission } from '../notifications/helpers.ts';
import { demoWorld, type TestWorld, users } from '../support/app.ts';
import { databaseKinds } from '../support/db.ts';
import { customerIds, summarize } from './fixtures.ts';

/**
 * B3 (with R11): a savings plan a customer buys itself shows in every one of Mitra's own partner
 * views of the customer's commitments, marked as beyond the partner-center dialect, and in none of
 * the partner-center dialect's.
 */
describe.each(databaseKinds)("a customer's own savings plan, seen by its partner, on %s", (kind) => {
  let world: TestWorld;
  let fabrikam: Awaited<ReturnType<typeof customerIds>>;
  let plan: { id: string; orderId: string };
  const month = new Date().toISOString().slice(0, 7);

  beforeAll(async () => {
    world = await demoWorld(kind);
    fabrikam = await customerIds(world, users.admin, 'Fabrikam');
    await setPermission(world, users.admin, fabrikam.id, 'AzureSavingsPlan', true);
    plan = (await buySavingsPlan(world, users.fabrikamOwner, fabrikam.subscriptionId)) as typeof plan;
  });
  afterAll(() => world.close());

  const get = async (url: string) => {
    const res = await world.app.inject({ method: 'GET', url, headers: await world.as(users.admin) });
    expect(res.statusCode, `${url}: ${summarize(res)}`).toBe(200);
    return res;
  };

  /**
   * Mitra's partner views of a customer's commitments: each must show the plan, marked beyond
   * partner center. (Mitra's order history, /api/customers/{id}/orders, is partner center's order
   * history and, like it, has only partner-center orders: a customer's own savings plan has none.)
   */
  const mitraViews: [string, () => string, (body: any) => unknown][] = [
    [
      'savings plans list',
      () => `/api/customers/${fabrikam.id}/savings-plans`,
      (b) => b.items.find((i: any) => i.id === plan.id)?.beyondPartnerCenter,
    ],
    [
      'savings plan drawer',
      () => `/api/customers/${fabrikam.id}/savings-plans/${plan.id}`,
      (b) => b.id === plan.id && b.beyondPartnerCenter,
    ],
    [
      'billing (the month bill)',
      () => `/api/customers/${fabrikam.id}/bills/${month}`,
      (b) =>
        b.lines.some((l: any) => l.commitmentId === plan.id) &&
        b.lines.every((l: any) => l.commitmentId !== plan.id || l.beyondPartnerCenter),
    ],
    [
      'activity log',
      () => `/api/activity?customerId=${fabrikam.id}`,
      (b) =>
        b.items.find((r: any) => r.resourceType === 'savings_plan' && JSON.stringify(r).includes(plan.id))
          ?.beyondPartnerCenter,
    ],
    [
      'notifications',
      () => '/api/notifications',
      (b) =>
        b.items.find(
          (n: any) => n.type === 'customer.savingsplan.purchased' && n.data.commitment.id === plan.id,
        )?.beyondPartnerCenter,
    ],
  ];

  it.each(mitraViews)("Mitra's %s shows it, marked beyond partner center", async (_name, url, marked) => {
    const res = await get(url());
    expect(marked(res.json()), res.body.slice(0, 2000)).toBe(true);
  });

  it("Mitra's cost views count it in the customer's purchases (they add up per month, not per commitment)", async () => {
    const bill = (await get(`/api/customers/${fabrikam.id}/bills/${month}`)).json();
    const planLines = bill.lines.filter((l: any) => l.commitmentId === plan.id);
    expect(planLines.length).toBeGreaterThan(0);
    const costs = (await get(`/api/customers/${fabrikam.id}/costs?from=${month}&to=${month}`)).json();
    // The plan is this customer's only purchase: what it is billed is the plan's bill lines.
    const billed = planLines.reduce((s: number, l: any) => s + Math.round(Number(l.amount) * 100), 0);
    expect(Math.round(Number(costs.lines[0].billed) * 100)).toBe(billed);
    expect(Number(costs.lines[0].purchases)).toBeGreaterThan(0);
    const all = (await get(`/api/costs?month=${month}`)).json();
    expect(all.lines.find((l: any) => l.customerId === fabrikam.id).purchases).toBe(costs.lines[0].purchases);
  });

  /** The partner-center dialect's views of the same customer: none may show it (R11). */
  const partnerCenterViews: [string, () => string][] = [
    ['orders', () => `/v1/customers/${fabrikam.id}/orders`],
    ['audit records', () => '/v1/auditrecords'],
    ['subscriptions', () => `/v1/customers/${fabrikam.id}/subscriptions`],
  ];

  it.each(partnerCenterViews)('the partner-center dialect keeps it out of %s', async (_name, url) => {
    const res = await get(url());
    expect(res.body).not.toContain(plan.id);
    expect(res.body).not.toContain(plan.orderId);
  });
});
