import Big from 'big.js';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoId } from '../../src/demo/load.ts';
import { drainBenefitRuns, enqueueBenefitRuns } from '../../src/jobs/benefit-jobs.ts';
import { enginePool, inlineApply } from '../../src/jobs/engine-pool.ts';
import { queueCounts } from '../../src/jobs/queue.ts';
import { benefitInputFor, runBenefits } from '../../src/services/benefit-runs.ts';
import { importUsageCsv } from '../../src/services/usage-import.ts';
import { demoWorld, type TestWorld, users } from '../support/app.ts';
import { fabrikam, fabrikamAzure } from '../support/commitments.ts';
import { databaseKinds } from '../support/db.ts';

const dayMs = 86_400_000;
const today = new Date(Math.floor(Date.now() / dayMs) * dayMs);
const period = { from: new Date(today.getTime() - 7 * dayMs), to: today };

describe.each(databaseKinds)('benefit runs on %s', (kind) => {
  let world: TestWorld;
  let reservationId: string;
  const apply = inlineApply();
  beforeAll(async () => {
    world = await demoWorld(kind, { usageDays: 10 });
    const busiest = await world.handle.db
      .selectFrom('usage_records')
      .select(['sku', 'region', (eb) => eb.fn.sum<string>('quantity').as('hours')])
      .where('customer_id', '=', fabrikam)
      .where('reserved_resource_type', '=', 'VirtualMachines')
      .groupBy(['sku', 'region'])
      .orderBy('hours', 'desc')
      .executeTakeFirstOrThrow();
    const res = await world.app.inject({
      method: 'POST',
      url: `/api/customers/${fabrikam}/reservations`,
      headers: { ...(await world.as(users.admin)), 'idempotency-key': 'runs-ri' },
      payload: {
        billingSubscriptionId: fabrikamAzure,
        sku: busiest.sku,
        region: busiest.region,
        term: 'P1Y',
        billingPlan: 'Upfront',
        quantity: 1,
      },
    });
    reservationId = res.json().id;
    // Bought "before" the period, so it applies to every hour of it.
    await world.handle.db
      .updateTable('commitments')
      .set({ purchased_at: new Date(period.from.getTime() - dayMs) })
      .where('id', '=', reservationId)
      .execute();
  });
  afterAll(() => world.close());

  const results = () =>
    world.handle.db
      .selectFrom('usage_benefits')
      .select(['usage_id', 'coverage', 'payg_quantity', 'actual_cost', 'amortized_cost'])
      .where('customer_id', '=', fabrikam)
      .orderBy('usage_id')
      .execute();

  it('stores one result per usage row; covered + pay-as-you-go = quantity; daily utilisation per commitment', async () => {
    const run = await runBenefits(world.handle.db, apply, fabrikam, period, 'test');
    expect(run.usageRows).toBeGreaterThan(1000);
    const stored = await results();
    expect(stored).toHaveLength(run.usageRows);
    const usage = new Map(
      (
        await world.handle.db
          .selectFrom('usage_records')
          .select(['id', 'quantity'])
          .where('customer_id', '=', fabrikam)
          .execute()
      ).map((u) => [Number(u.id), Number(u.quantity)]),
    );
    for (const r of stored) {
      const covered = r.coverage.reduce((s, c) => s + c.quantity, 0);
      expect(Math.abs(covered + Number(r.payg_quantity) - usage.get(Number(r.usage_id))!)).toBeLessThan(1e-6);
    }
    expect(stored.some((r) => r.coverage.some((c) => c.by === reservationId))).toBe(true);
    const days = await world.handle.db
      .selectFrom('commitment_utilization')
      .selectAll()
      .where('commitment_id', '=', reservationId)
      .execute();
    expect(days).toHaveLength(7);
    for (const d of days) expect(Number(d.consumed)).toBeLessThanOrEqual(Number(d.capacity) + 1e-9);
  });

  it('writes daily rollups that sum exactly to the rows they roll up, also after a re-run', async () => {
    const db = world.handle.db;
    const totals = async () => {
      const rows = await db
        .selectFrom('usage_records as u')
        .leftJoin('usage_benefits as b', 'b.usage_id', 'u.id')
        .select([
          sql<string>`sum(coalesce(b.actual_cost, u.quantity * u.payg_unit_price))::text`.as('actual'),
          sql<string>`sum(coalesce(b.amortized_cost, u.quantity * u.payg_unit_price))::text`.as('amortized'),
          sql<string>`sum(u.quantity * u.payg_unit_price)::text`.as('retail'),
          sql<number>`count(*)::int`.as('rows'),
        ])
        .where('u.customer_id', '=', fabrikam)
        .where('u.hour', '>=', period.from)
        .where('u.hour', '<', period.to)
        .executeTakeFirstOrThrow();
      const rolled = await db
        .selectFrom('usage_daily_costs')
        .select([
          sql<string>`sum(actual_cost)::text`.as('actual'),
          sql<string>`sum(amortized_cost)::text`.as('amortized'),
          sql<string>`sum(retail_cost)::text`.as('retail'),
          sql<number>`sum(usage_rows)::int`.as('rows'),
        ])
        .where('customer_id', '=', fabrikam)
        .where('day', '>=', period.from.toISOString().slice(0, 10))
        .where('day', '<', period.to.toISOString().slice(0, 10))
        .executeTakeFirstOrThrow();
      return { rows, rolled };
    };
    await runBenefits(db, apply, fabrikam, period, 'test');
    const first = await totals();
    expect(first.rolled.rows).toBe(first.rows.rows);
    for (const k of ['actual', 'amortized', 'retail'] as const)
      expect(new Big(first.rolled[k]).eq(first.rows[k])).toBe(true);
    // Covered usage is cheaper than retail: the reservation did something.
    expect(new Big(first.rolled.actual).lt(first.rolled.retail)).toBe(true);
    const resources = await db
      .selectFrom('usage_daily_costs')
      .select('resource_id')
      .distinct()
      .where('customer_id', '=', fabrikam)
      .execute();
    expect(
      resources.some((r) => r.resource_id.includes('/providers/Microsoft.Compute/virtualMachines/')),
    ).toBe(true);
    // A run over part of a day rebuilds the whole day: nothing doubles.
    await runBenefits(
      db,
      apply,
      fabrikam,
      {
        from: new Date(period.from.getTime() + 3_600_000 * 5),
        to: new Date(period.from.getTime() + 3_600_000 * 7),
      },
      'test',
    );
    expect(await totals()).toEqual(first);
    const unused = await db
      .selectFrom('commitment_utilization')
      .select(sql<string>`sum(unused_cost)::text`.as('u'))
      .where('commitment_id', '=', reservationId)
      .executeTakeFirstOrThrow();
    expect(Number(unused.u)).toBeGreaterThanOrEqual(0);
  });

  it('a re-run replaces results exactly: the same inputs give the same rows; late usage adds only its own', async () => {
    const first = await results();
    await runBenefits(world.handle.db, apply, fabrikam, period, 'test');
    expect(await results()).toEqual(first);
    // Late usage for a past hour arrives through the CSV import, then the period is re-run.
    const hour = new Date(period.from.getTime() + 30 * 3_600_000).toISOString();
    const csv = `customerId,subscriptionId,hour,resourceGroup,region,meterCategory,reservedResourceType,sku,quantity,paygUnitPrice\n${fabrikam},${fabrikamAzure},${hour},rg-late,eastus,Storage,,Standard_LRS,3.5,0.02\n`;
    const imported = await importUsageCsv(world.handle.db, csv);
    expect(imported.rows).toBe(1);
    await runBenefits(world.handle.db, apply, fabrikam, period, 'test');
    const after = await results();
    expect(after).toHaveLength(first.length + 1);
    const late = after.find((r) => !first.some((f) => f.usage_id === r.usage_id))!;
    expect(late).toMatchObject({ coverage: [], payg_quantity: '3.500000000' });
    expect(after.filter((r) => r.usage_id !== late.usage_id)).toEqual(first);
  });

  it('a bad CSV row imports nothing and names its line and column', async () => {
    const before = await world.handle.db
      .selectFrom('usage_records')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const csv = `customerId,subscriptionId,hour,resourceGroup,region,sku,quantity,paygUnitPrice\n${fabrikam},${fabrikamAzure},2026-11-01T10:00:00Z,rg,eastus,Standard_D2s_v3,1,0.1\n${fabrikam},${demoId('adatum-azure-subscription')},2026-11-01T10:00:00Z,rg,eastus,Standard_D2s_v3,1,0.1\n`;
    await expect(importUsageCsv(world.handle.db, csv)).rejects.toMatchObject({
      code: 'invalid-usage-row',
      message: expect.stringMatching(/Line 3, column subscriptionId/),
    });
    const half = `customerId,subscriptionId,hour,resourceGroup,region,sku,quantity,paygUnitPrice\n${fabrikam},${fabrikamAzure},2026-11-01T10:30:00Z,rg,eastus,Standard_D2s_v3,1,0.1\n`;
    await expect(importUsageCsv(world.handle.db, half)).rejects.toMatchObject({
      message: expect.stringMatching(/Line 2, column hour/),
    });
    const after = await world.handle.db
      .selectFrom('usage_records')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('worker threads give the same results as the inline engine', async () => {
    const { input } = await benefitInputFor(world.handle.db, fabrikam, period);
    const pool = enginePool(2);
    try {
      expect(await pool.apply(input)).toEqual(await apply(input));
    } finally {
      await pool.close();
    }
  });

  it('queued runs drained by several workers at once run each customer once', async () => {
    const ids = await enqueueBenefitRuns(world.handle.db, period);
    expect(ids.length).toBe(3);
    let done = 0;
    // Two drainers side by side stand for two worker processes sharing one queue.
    await Promise.all([
      drainBenefitRuns(world.handle.db, apply, { concurrency: 2, onDone: () => done++ }),
      drainBenefitRuns(world.handle.db, apply, { concurrency: 2, onDone: () => done++ }),
    ]);
    expect(done).toBe(3);
    expect(await queueCounts(world.handle.db, 'benefits.run')).toEqual({ done: 3 });
    const runs = await world.handle.db
      .selectFrom('benefit_runs')
      .select(['customer_id', 'status'])
      .where('worker', '!=', 'test')
      .execute();
    expect(runs.map((r) => r.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    expect(new Set(runs.map((r) => r.customer_id)).size).toBe(3);
  });

  it("a drained batch refreshes the planner's statistics of the rollups it wrote", async () => {
    const db = world.handle.db;
    const statistics = async () =>
      Number(
        (
          await sql<{
            n: number;
          }>`select reltuples::float8 as n from pg_class where relname = 'usage_daily_costs'`.execute(db)
        ).rows[0].n,
      );
    // Rollup rows the statistics do not know yet, on a day outside the period the runs rebuild.
    const subscription = demoId('fabrikam-subscription');
    await sql`
      insert into usage_daily_costs (customer_id, day, subscription_id, resource_group, resource_id, meter_category,
        sku, region, usage_rows, quantity, covered_quantity, retail_cost, actual_cost, amortized_cost)
      select ${fabrikam}, date '2020-01-01', ${subscription}, 'rg-stats', 'r-' || i, 'Storage', 'sku', 'eastus',
        1, 1, 0, 1, 1, 1
      from generate_series(1, 2000) i`.execute(db);
    const rows = async () =>
      (
        await db
          .selectFrom('usage_daily_costs')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n;
    expect(await statistics()).toBeLessThan(Number(await rows()));
    await enqueueBenefitRuns(db, period, { customerIds: [fabrikam] });
    await drainBenefitRuns(db, apply, { concurrency: 1 });
    expect(await statistics()).toBe(Number(await rows()));
    await db.deleteFrom('usage_daily_costs').where('day', '=', '2020-01-01').execute();
  });

  it('utilisation is served over 1, 7 and 30 days, in Mitra API and ARM', async () => {
    const partner = await world.app.inject({
      method: 'GET',
      url: `/api/customers/${fabrikam}/reservations/${reservationId}/utilization`,
      headers: await world.as(users.admin),
    });
    expect(partner.statusCode, partner.body).toBe(200);

    const u = partner.json();
    expect(u.aggregates.map((a: { grain: number }) => a.grain)).toEqual([1, 7, 30]);
    expect(u.daily).toHaveLength(7);
    expect(u.aggregates[1].value).toBeGreaterThan(0);
    const c = await world.handle.db
      .selectFrom('commitments')
      .select('order_id')
      .where('id', '=', reservationId)
      .executeTakeFirstOrThrow();
    const arm = await world.app.inject({
      method: 'GET',
      url: `/providers/Microsoft.Capacity/reservationOrders/${c.order_id}/reservations/${reservationId}?api-version=2022-11-01`,
      headers: await world.as(users.fabrikamOwner),
    });
    expect(arm.statusCode, arm.body).toBe(200);
    expect(arm.json().properties.utilization.aggregates).toEqual(
      expect.arrayContaining([
        { grain: 7, grainUnit: 'days', value: u.aggregates[1].value, valueUnit: 'percentage' },
      ]),
    );
  });
});
