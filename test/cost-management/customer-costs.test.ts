import { randomUUID } from 'node:crypto';
import Big from 'big.js';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoId, loadDemoCommitments } from '../../src/demo/load.ts';
import { addDays, dayOf } from '../../src/domain/customer-costs.ts';
import { roundToMinor } from '../../src/domain/money.ts';
import { inlineApply } from '../../src/jobs/engine-pool.ts';
import { rateOnOrBefore } from '../../src/services/exchange-rates.ts';
import { demoWorld, type TestWorld, users } from '../support/app.ts';
import { fabrikam, fabrikamAzure } from '../support/commitments.ts';
import { databaseKinds } from '../support/db.ts';

const adatum = demoId('adatum');
const tailspin = demoId('tailspin');
const fabrikamSubscription = demoId('fabrikam-subscription');
const today = dayOf(new Date());
const from = addDays(today, -9);
const range = `from=${from}&to=${today}`;
const armVersion = '2022-10-01';
const armQuery = (scope: string) =>
  `/${scope}/providers/Microsoft.CostManagement/query?api-version=${armVersion}`;
const armBody = (grouping: string[] = [], granularity = 'None', filter?: unknown) => ({
  type: 'ActualCost',
  timeframe: 'Custom',
  timePeriod: { from: `${from}T00:00:00Z`, to: `${today}T23:59:59Z` },
  dataset: {
    granularity,
    aggregation: { totalCost: { name: 'PreTaxCost', function: 'Sum' } },
    grouping: grouping.map((name) => ({ type: 'Dimension', name })),
    ...(filter ? { filter } : {}),
  },
});

describe.each(databaseKinds)("a customer's own cost view (R17, R18) on %s", (kind) => {
  let world: TestWorld;
  let second: { id: string; azureId: string };
  beforeAll(async () => {
    world = await demoWorld(kind, { usageDays: 10 });
    await oversizedReservation(world);
    // A reservation and a savings plan bought 60 days ago, benefits applied to the 10 days.
    await loadDemoCommitments(world.handle.db, inlineApply(), { usageDays: 10 });
    second = await addSecondSubscription(world);
  }, 300_000);
  afterAll(() => world.close());

  const get = async (email: string, query: string) =>
    world.app.inject({ method: 'GET', url: `/api/my/costs?${query}`, headers: await world.as(email) });
  const arm = async (email: string, scope: string, body: unknown) =>
    world.app.inject({
      method: 'POST',
      url: armQuery(scope),
      headers: await world.as(email),
      payload: body as object,
    });
  const setSwitch = async (customerId: string, enabled: boolean, email: string = users.admin) => {
    const res = await world.app.inject({
      method: 'PUT',
      url: `/api/customers/${customerId}/cost-management`,
      headers: await world.as(email),
      payload: { enabled },
    });
    expect(res.statusCode, res.body).toBe(200);
  };

  /** The oracle, from the raw usage rows: retail unit price × uncovered quantity, in USD. */
  const usdFromUsage = async (where: { subscriptionId?: string; groupBy?: 'sku' | 'resource_group' }) => {
    const group = where.groupBy ? sql.ref(`u.${where.groupBy}`) : sql`'all'`;
    const { rows } = await sql<{ key: string; usd: string }>`
      select ${group} as key,
        sum(case when b.usage_id is null then u.quantity else b.payg_quantity end * u.payg_unit_price)::text as usd
      from usage_records u left join usage_benefits b on b.usage_id = u.id
      where u.customer_id = ${fabrikam} and u.hour >= ${`${from}T00:00:00Z`}::timestamptz
        and u.hour < ${`${addDays(today, 1)}T00:00:00Z`}::timestamptz
        ${where.subscriptionId ? sql`and u.subscription_id = ${where.subscriptionId}` : sql``}
      group by 1`.execute(world.handle.db);
    return new Map(rows.map((r) => [r.key, r.usd]));
  };

  it('is refused while the provider has not enabled it, through every route, for every role', async () => {
    for (const email of [users.fabrikamOwner, users.fabrikamReader]) {
      for (const query of [range, `${range}&groupBy=resourceGroup`, `${range}&format=csv`]) {
        const res = await get(email, query);
        expect(res.statusCode, res.body).toBe(403);
        expect(res.json().error).toMatchObject({
          code: 'cost-management-disabled',
          message: 'Your provider has not enabled cost management for your organisation.',
        });
      }
      for (const scope of [
        `subscriptions/${fabrikamAzure}`,
        `subscriptions/${fabrikamAzure}/resourceGroups/rg-web`,
      ]) {
        const res = await arm(email, scope, armBody(['ResourceGroup'], 'Daily'));
        expect(res.statusCode, res.body).toBe(403);
        expect(res.json().error.code).toBe('CostManagementDisabled');
        expect(res.json().error.message).toContain('Contoso Cloud Partner');
      }
    }
    // Another customer's subscription is not found, whatever either switch says.
    const adatumAzure = demoId('adatum-azure-subscription');
    const foreign = await arm(users.fabrikamOwner, `subscriptions/${adatumAzure}`, armBody());
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().error.code).toBe('SubscriptionNotFound');
    const foreignMine = await get(
      users.fabrikamOwner,
      `${range}&subscriptionId=${demoId('adatum-subscription')}`,
    );
    expect(foreignMine.statusCode).toBe(404);
  });

  it('serves customer users only: partner users are refused by both routes', async () => {
    await setSwitch(fabrikam, true);
    for (const email of [users.admin, users.sales]) {
      const res = await get(email, range);
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('customer-user-required');
      const a = await arm(email, `subscriptions/${fabrikamAzure}`, armBody());
      expect(a.statusCode).toBe(403);
      expect(a.json().error.code).toBe('CustomerUserRequired');
    }
  });

  it('billing-currency figures are retail price × uncovered quantity × one rate, rounded once per line', async () => {
    await setSwitch(fabrikam, true);
    const res = await get(
      users.fabrikamOwner,
      `${range}&subscriptionId=${fabrikamSubscription}&groupBy=meter`,
    );
    expect(res.statusCode, res.body).toBe(200);
    const view = res.json();
    const rate = await rateOnOrBefore(world.handle.db, demoId('contoso'), 'USD', 'IDR', today);
    expect(view.currency).toBe('IDR');
    expect(view.rate).toEqual(rate);
    expect(view.rate.date <= today).toBe(true);
    const oracle = await usdFromUsage({ subscriptionId: fabrikamSubscription, groupBy: 'sku' });
    expect(view.rows.length).toBe(oracle.size);
    for (const row of view.rows)
      expect(row.cost, row.meter).toBe(
        roundToMinor(new Big(oracle.get(row.meter)!).times(rate!.rate), 'IDR'),
      );
    // The total is the sum of the lines shown.
    const sum = view.rows.reduce((s: Big, r: { cost: string }) => s.plus(r.cost), new Big(0));
    expect(view.total).toBe(roundToMinor(sum, 'IDR'));
  });

  it('covered usage is zero; no purchase and no unused-commitment charge is in the view (R18)', async () => {
    const db = world.handle.db;
    // The demo's reservation and savings plan did cover usage, left capacity unused, and were charged.
    const covered = await db
      .selectFrom('usage_daily_costs')
      .select(sql<string>`sum(covered_quantity)::text`.as('q'))
      .where('customer_id', '=', fabrikam)
      .executeTakeFirstOrThrow();
    expect(Number(covered.q)).toBeGreaterThan(0);
    const unused = await db
      .selectFrom('commitment_utilization')
      .select(sql<string>`sum(unused_cost)::text`.as('u'))
      .where('customer_id', '=', fabrikam)
      .executeTakeFirstOrThrow();
    expect(Number(unused.u)).toBeGreaterThan(0);
    const purchases = await db
      .selectFrom('ledger_entries')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('customer_id', '=', fabrikam)
      .executeTakeFirstOrThrow();
    expect(purchases.n).toBeGreaterThan(0);

    // Whole-range total, every subscription: exactly the usage at retail for what was not covered.
    const view = (
      await get(users.fabrikamOwner, `${range}&subscriptionId=${fabrikamSubscription}&groupBy=subscription`)
    ).json();
    const usd = (await usdFromUsage({ subscriptionId: fabrikamSubscription })).get('all')!;
    expect(view.total).toBe(roundToMinor(new Big(usd).times(view.rate.rate), 'IDR'));
    const retail = await db
      .selectFrom('usage_daily_costs')
      .select(sql<string>`sum(retail_cost)::text`.as('r'))
      .where('customer_id', '=', fabrikam)
      .where('subscription_id', '=', fabrikamSubscription)
      .where('day', '>=', from)
      .executeTakeFirstOrThrow();
    expect(new Big(usd).lt(retail.r)).toBe(true);

    // A fully covered rollup line shows 0 in every grouping it is part of.
    const full = await db
      .selectFrom('usage_daily_costs')
      .selectAll()
      .where('customer_id', '=', fabrikam)
      .whereRef('covered_quantity', '=', 'quantity')
      .where('quantity', '>', '0')
      .execute();
    expect(full.length).toBeGreaterThan(0);
    for (const r of full) expect(Number(r.actual_cost)).toBe(0);

    // Through ARM: every row is Usage; a filter on Purchase finds nothing.
    const charges = await arm(users.fabrikamOwner, `subscriptions/${fabrikamAzure}`, armBody(['ChargeType']));
    expect(charges.json().properties.rows.map((r: unknown[]) => r[1])).toEqual(['Usage']);
    const bought = await arm(
      users.fabrikamOwner,
      `subscriptions/${fabrikamAzure}`,
      armBody([], 'None', { dimensions: { name: 'ChargeType', operator: 'In', values: ['Purchase'] } }),
    );
    expect(bought.statusCode, bought.body).toBe(200);
    expect(bought.json().properties.rows).toEqual([]);
    // AmortizedCost shows the same figures as ActualCost: no purchase is spread over the usage.
    const actual = await arm(
      users.fabrikamOwner,
      `subscriptions/${fabrikamAzure}`,
      armBody(['ResourceGroup'], 'Daily'),
    );
    const amortized = await arm(users.fabrikamOwner, `subscriptions/${fabrikamAzure}`, {
      ...armBody(['ResourceGroup'], 'Daily'),
      type: 'AmortizedCost',
    });
    expect(amortized.json().properties.rows).toEqual(actual.json().properties.rows);
  });

  it('resource-group scope adds up to subscription scope, in Mitra and in ARM', async () => {
    const sub = (
      await get(users.fabrikamOwner, `${range}&subscriptionId=${fabrikamSubscription}&groupBy=resourceGroup`)
    ).json();
    expect(sub.rows.length).toBeGreaterThan(1);
    let sum = new Big(0);
    for (const line of sub.rows) {
      const rg = (
        await get(
          users.fabrikamOwner,
          `${range}&subscriptionId=${fabrikamSubscription}&resourceGroup=${line.resourceGroup}&groupBy=resourceGroup`,
        )
      ).json();
      expect(rg.resourceGroup).toBe(line.resourceGroup);
      expect(rg.total, line.resourceGroup).toBe(line.cost);
      sum = sum.plus(rg.total);
      const viaArm = await arm(
        users.fabrikamOwner,
        `subscriptions/${fabrikamAzure}/resourceGroups/${line.resourceGroup.toUpperCase()}`,
        armBody(),
      );
      expect(viaArm.json().properties.rows, line.resourceGroup).toEqual([[Number(line.cost), 'IDR']]);
    }
    expect(roundToMinor(sum, 'IDR')).toBe(sub.total);
    // The same rule by day: each day's line sums its resource groups' unrounded cost once.
    const daily = (await get(users.fabrikamOwner, `${range}&subscriptionId=${fabrikamSubscription}`)).json();
    expect(daily.rows.every((r: { day: string }) => r.day >= from && r.day <= today)).toBe(true);
  });

  it("a customer user sees only subscriptions it holds a role on, never another customer's", async () => {
    // The Reader holds no role on the second subscription: not in its view, and "not found" by id.
    const reader = (await get(users.fabrikamReader, `${range}&groupBy=subscription`)).json();
    expect(reader.subscriptions.map((s: { id: string }) => s.id)).toEqual([fabrikamSubscription]);
    expect(reader.rows.map((r: { subscriptionId: string }) => r.subscriptionId)).toEqual([fabrikamAzure]);
    const refused = await get(users.fabrikamReader, `${range}&subscriptionId=${second.id}`);
    expect(refused.statusCode).toBe(404);
    expect(refused.json().error.code).toBe('subscription-not-found');
    expect((await arm(users.fabrikamReader, `subscriptions/${second.azureId}`, armBody())).statusCode).toBe(
      404,
    );
    // The Owner holds Owner on both: both subscriptions, and the second's cost.
    const owner = (await get(users.fabrikamOwner, `${range}&groupBy=subscription`)).json();
    expect(owner.rows.map((r: { subscriptionId: string }) => r.subscriptionId).sort()).toEqual(
      [fabrikamAzure, second.azureId].sort(),
    );
    expect(owner.rows.find((r: { subscriptionId: string }) => r.subscriptionId === second.azureId).cost).toBe(
      roundToMinor(new Big('12.5').times(owner.rate.rate), 'IDR'),
    );
    // A Contributor reads costs too.
    await world.handle.db
      .insertInto('role_assignments')
      .values({
        id: randomUUID(),
        subscription_id: second.id,
        customer_user_id: demoId(users.fabrikamReader),
        role: 'Contributor',
      })
      .execute();
    const contributor = await get(
      users.fabrikamReader,
      `${range}&subscriptionId=${second.id}&groupBy=resource`,
    );
    expect(contributor.statusCode, contributor.body).toBe(200);
    expect(contributor.json().rows).toHaveLength(1);

    // Another customer's subscription, enabled or not, is "not found" to Fabrikam's users.
    await setSwitch(adatum, true, users.litwareAdmin);
    const adatumSub = await world.handle.db
      .selectFrom('subscriptions')
      .select(['id', 'entitlement_id'])
      .where('customer_id', '=', adatum)
      .executeTakeFirstOrThrow();
    expect((await get(users.fabrikamOwner, `${range}&subscriptionId=${adatumSub.id}`)).statusCode).toBe(404);
    expect(
      (await arm(users.fabrikamOwner, `subscriptions/${adatumSub.entitlement_id}`, armBody())).statusCode,
    ).toBe(404);
    // And Adatum's own view holds Adatum's subscription only, in AUD.
    const own = (await get(users.adatumOwner, `${range}&groupBy=subscription`)).json();
    expect(own.currency).toBe('AUD');
    expect(own.rows.map((r: { subscriptionId: string }) => r.subscriptionId)).toEqual([
      adatumSub.entitlement_id,
    ]);
  });

  it('a USD customer needs no rate; a range before any stored rate is a clear 409', async () => {
    await setSwitch(tailspin, true);
    const usd = (await get(users.tailspinOwner, range)).json();
    expect(usd).toMatchObject({ currency: 'USD', rate: null });
    const old = await get(users.fabrikamOwner, 'from=2001-01-01&to=2001-01-31');
    expect(old.statusCode).toBe(409);
    expect(old.json().error.code).toBe('exchange-rate-missing');
  });

  it('downloads the same figures as CSV, with a file name; bad ranges are 400s', async () => {
    const json = (
      await get(users.fabrikamOwner, `${range}&groupBy=resourceGroup&subscriptionId=${fabrikamSubscription}`)
    ).json();
    const csv = await get(
      users.fabrikamOwner,
      `${range}&groupBy=resourceGroup&subscriptionId=${fabrikamSubscription}&format=csv`,
    );
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toBe(
      `attachment; filename="costs-${from}-${today}-by-resourceGroup.csv"`,
    );
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]).toBe('subscriptionId,resourceGroup,quantity,cost,currency,rate,rateDate');
    expect(lines).toHaveLength(json.rows.length + 2);
    expect(lines.at(-1)).toBe(`Total,,,${json.total},IDR,${json.rate.rate},${json.rate.date}`);
    for (const q of [
      'from=2026-02-30&to=2026-03-01',
      `from=${today}&to=${from}`,
      'preset=lastMonth&from=2026-01-01',
      'from=2020-01-01&to=2026-01-01',
      'resourceGroup=x',
    ])
      expect((await get(users.fabrikamOwner, q)).statusCode, q).toBe(400);
  });

  it('disabling again takes the data away from every route at once', async () => {
    await setSwitch(fabrikam, false);
    expect((await get(users.fabrikamOwner, range)).statusCode).toBe(403);
    expect((await arm(users.fabrikamOwner, `subscriptions/${fabrikamAzure}`, armBody())).statusCode).toBe(
      403,
    );
    await setSwitch(fabrikam, true);
  });
});

/** Twenty VMs' worth of reservation for a fleet that runs fewer: capacity goes unused every hour. */
async function oversizedReservation(world: TestWorld) {
  const res = await world.app.inject({
    method: 'POST',
    url: `/api/customers/${fabrikam}/reservations`,
    headers: { ...(await world.as(users.admin)), 'idempotency-key': 'costs-oversized' },
    payload: {
      billingSubscriptionId: fabrikamAzure,
      sku: 'Standard_D2s_v3',
      region: 'eastus',
      term: 'P1Y',
      billingPlan: 'Upfront',
      quantity: 20,
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  await world.handle.db
    .updateTable('commitments')
    .set({ purchased_at: new Date(Date.now() - 60 * 86_400_000) })
    .where('id', '=', res.json().id)
    .execute();
}

/** A second Azure subscription for Fabrikam, Owner for its Owner only, with one rollup row of 12.5 USD. */
async function addSecondSubscription(world: TestWorld) {
  const db = world.handle.db;
  const id = randomUUID();
  const azureId = randomUUID();
  const first = await db
    .selectFrom('subscriptions')
    .selectAll()
    .where('id', '=', fabrikamSubscription)
    .executeTakeFirstOrThrow();
  await db
    .insertInto('subscriptions')
    .values({ ...first, id, entitlement_id: azureId, friendly_name: 'Fabrikam dev', created_at: new Date() })
    .execute();
  await db
    .insertInto('role_assignments')
    .values({
      id: randomUUID(),
      subscription_id: id,
      customer_user_id: demoId(users.fabrikamOwner),
      role: 'Owner',
    })
    .execute();
  await db
    .insertInto('usage_daily_costs')
    .values({
      customer_id: fabrikam,
      day: addDays(today, -1),
      subscription_id: id,
      resource_group: 'rg-dev',
      resource_id: `/subscriptions/${azureId}/resourceGroups/rg-dev/providers/Microsoft.Compute/virtualMachines/dev-1`,
      meter_category: 'Virtual Machines',
      sku: 'Standard_B2s',
      region: 'southeastasia',
      usage_rows: 10,
      quantity: '10',
      covered_quantity: '0',
      retail_cost: '12.5',
      actual_cost: '12.5',
      amortized_cost: '12.5',
    })
    .execute();
  return { id, azureId };
}
