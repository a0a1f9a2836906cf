import { randomUUID } from 'node:crypto';
import Big from 'big.js';
import { sql } from 'kysely';
import {
  amortizedHourlyCost,
  type BenefitInput,
  type BenefitOutput,
  type ScopeInput,
} from '../engine/index.ts';
import { copyRows } from '../store/bulk.ts';
import type { Db } from '../store/db.ts';
import type { AppliedScope, AppliedScopeType } from '../store/schema.ts';

/** Applies a customer's benefit input; inline, or in a worker thread (src/jobs/engine-pool.ts). */
export type ApplyBenefits = (input: BenefitInput) => Promise<BenefitOutput>;

export interface Period {
  from: Date;
  to: Date;
}

/** A commitment's applied scope as the engine names it; `azureId` maps Mitra's subscription ids to Azure's. */
export function engineScopeOf(
  type: AppliedScopeType,
  scope: AppliedScope,
  azureId: (id: string) => string,
): ScopeInput {
  switch (type) {
    case 'Shared':
      return { type: 'Shared' };
    case 'Single':
      return { type: 'Subscription', subscription: azureId(scope.subscriptionId!) };
    case 'ResourceGroup':
      return {
        type: 'ResourceGroup',
        subscription: azureId(scope.subscriptionId!),
        resourceGroup: scope.resourceGroup!,
      };
    default:
      return { type: 'ManagementGroup', managementGroup: scope.managementGroupId! };
  }
}

/** Fixed width, so rowIds compare by code point in the order the rows were read. */
const rowIdOf = (index: number) => String(index).padStart(10, '0');

/** Usage rows in the order of their content (see benefitInputFor), ties last by id. */
const contentOrder = [
  'hour',
  'subscription_id',
  'resource_group',
  'resource_id',
  'meter_category',
  'sku',
  'region',
  'quantity',
  'payg_unit_price',
  'id',
] as const;

/**
 * One customer's engine input for a period: its hourly usage and every active reservation and
 * savings plan (bought by the partner or the customer). Shared scope means all subscriptions
 * this partner bought for the customer (R15): the input holds only this customer's usage.
 * A rowId is the row's position: row i is usage record usageIds[i]. `hourlyCosts` is each
 * commitment's amortized cost per active hour at the price the customer was charged (savings plans
 * too, whose engine figures are in commitment, not in what the customer pays); `azureId` maps
 * Mitra's subscription ids as the input names them.
 */
export async function benefitInputFor(
  db: Db,
  customerId: string,
  period: Period,
): Promise<{
  input: BenefitInput;
  usageIds: number[];
  hourlyCosts: Map<string, number>;
  azureId: (id: string) => string;
}> {
  const subscriptions = await db
    .selectFrom('subscriptions')
    .select(['id', 'entitlement_id'])
    .where('customer_id', '=', customerId)
    .execute();
  const azure = new Map(subscriptions.map((s) => [s.id, s.entitlement_id ?? s.id]));
  const azureId = (id: string) => azure.get(id) ?? id;
  const usage = await db
    .selectFrom('usage_records')
    .selectAll()
    .where('customer_id', '=', customerId)
    .where('hour', '>=', period.from)
    .where('hour', '<', period.to)
    // The engine breaks ties between rows competing for a commitment by rowId, so rowIds follow
    // the rows' content, not the order they were imported in: the same usage in any file order
    // gets the same results. Only identical rows fall back to their ids, and they are alike.
    .$call((q) => contentOrder.reduce((ordered, column) => ordered.orderBy(column), q))
    .execute();
  const commitments = await db
    .selectFrom('commitments')
    .selectAll()
    .where('customer_id', '=', customerId)
    .where('status', '=', 'Succeeded')
    .orderBy('purchased_at')
    .execute();
  const input: BenefitInput = {
    usage: usage.map((u, i) => ({
      rowId: rowIdOf(i),
      hour: new Date(u.hour).toISOString(),
      subscription: azureId(u.subscription_id),
      resourceGroup: u.resource_group,
      region: u.region,
      reservedResourceType: u.reserved_resource_type,
      sku: u.sku,
      quantity: Number(u.quantity),
      paygUnitPrice: Number(u.payg_unit_price),
      spUnitPrice:
        u.sp_unit_price_p1y || u.sp_unit_price_p3y
          ? {
              P1Y: u.sp_unit_price_p1y ? Number(u.sp_unit_price_p1y) : null,
              P3Y: u.sp_unit_price_p3y ? Number(u.sp_unit_price_p3y) : null,
            }
          : null,
      benefitEligible: u.benefit_eligible,
    })),
    commitments: commitments.map((c) => {
      const purchaseDate = new Date(c.purchased_at).toISOString();
      const scope = engineScopeOf(c.applied_scope_type, c.applied_scope, azureId);
      return c.kind === 'reservation'
        ? {
            id: c.id,
            type: 'reservation' as const,
            reservedResourceType: c.reserved_resource_type ?? 'VirtualMachines',
            sku: c.sku,
            region: c.region ?? '',
            instanceFlexibility: (c.instance_flexibility ?? 'On') as 'On' | 'Off',
            quantity: c.quantity,
            term: c.term,
            purchaseDate,
            scope,
            amortizedHourlyCost: amortizedHourlyCost(Number(c.total_price), purchaseDate, c.term),
          }
        : {
            id: c.id,
            type: 'savingsPlan' as const,
            term: c.term,
            hourlyCommitment: Number(c.hourly_commitment),
            currency: c.currency,
            purchaseDate,
            scope,
          };
    }),
  };
  const hourlyCosts = new Map(
    commitments.map((c) => [
      c.id,
      amortizedHourlyCost(Number(c.total_price), new Date(c.purchased_at).toISOString(), c.term),
    ]),
  );
  return { input, usageIds: usage.map((u) => Number(u.id)), hourlyCosts, azureId };
}

/**
 * Engine figures (doubles) as numeric(24, 9) text. toFixed rounds the double's exact value, which
 * is what big.js would round after printing it, except in the last digit of exact ties; the engine
 * is within 1e-9 anyway. big.js is kept for magnitudes toFixed would print with an exponent.
 */
const num = (n: number) => (Math.abs(n) < 1e15 ? n.toFixed(9) : new Big(n).toFixed(9));

/**
 * Runs the engine for one customer and period and replaces that period's stored results exactly:
 * late usage re-run gives the same rows as a first run would (idempotent).
 */
export async function runBenefits(
  db: Db,
  apply: ApplyBenefits,
  customerId: string,
  period: Period,
  worker: string,
) {
  const runId = randomUUID();
  await db
    .insertInto('benefit_runs')
    .values({
      id: runId,
      customer_id: customerId,
      period_start: period.from,
      period_end: period.to,
      status: 'running',
      worker,
    })
    .execute();
  try {
    // Whole UTC days: hours are independent, so recomputing a day's other hours gives them the
    // same results, and the day's rollup is then rebuilt from complete rows.
    period = wholeDays(period);
    const { input, usageIds } = await benefitInputFor(db, customerId, period);
    const output = input.usage.length ? await apply(input) : { rows: [], commitments: [], perHour: [] };
    const daily = dailyUtilization(input, output);
    const hours = new Map(input.usage.map((u) => [u.rowId, u.hour]));
    await db.transaction().execute(async (trx) => {
      await trx
        .deleteFrom('usage_benefits')
        .where('customer_id', '=', customerId)
        .where('hour', '>=', period.from)
        .where('hour', '<', period.to)
        .execute();
      await trx
        .deleteFrom('usage_daily_costs')
        .where('customer_id', '=', customerId)
        .where('day', '>=', period.from.toISOString().slice(0, 10))
        .where('day', '<', period.to.toISOString().slice(0, 10))
        .execute();
      await trx
        .deleteFrom('commitment_utilization')
        .where('customer_id', '=', customerId)
        .where('day', '>=', period.from.toISOString().slice(0, 10))
        .where('day', '<', period.to.toISOString().slice(0, 10))
        .execute();
      await copyRows(
        trx,
        'usage_benefits',
        ['usage_id', 'hour', 'customer_id', 'coverage', 'payg_quantity', 'actual_cost', 'amortized_cost'],
        output.rows.map((r) => [
          usageIds[Number(r.rowId)],
          hours.get(r.rowId)!,
          customerId,
          JSON.stringify(r.coverage),
          num(r.paygQuantity),
          num(r.actualCost),
          num(r.amortizedCost),
        ]),
      );
      const utilization = [...daily].map(([key, d]) => {
        const [commitmentId, day] = key.split('|');
        return {
          commitment_id: commitmentId,
          customer_id: customerId,
          day,
          capacity: num(d.capacity),
          consumed: num(d.consumed),
          unused_cost: num(d.unusedCost),
        };
      });
      for (let i = 0; i < utilization.length; i += 1000) {
        await trx
          .insertInto('commitment_utilization')
          .values(utilization.slice(i, i + 1000))
          .execute();
      }
      await writeDailyCosts(trx, customerId, period);
      await trx
        .updateTable('benefit_runs')
        .set({ status: 'succeeded', usage_rows: usageIds.length, finished_at: new Date() })
        .where('id', '=', runId)
        .execute();
    });
    return { runId, usageRows: usageIds.length, commitments: output.commitments.length };
  } catch (error) {
    await db
      .updateTable('benefit_runs')
      .set({ status: 'failed', finished_at: new Date(), error: String(error).slice(0, 2000) })
      .where('id', '=', runId)
      .execute();
    throw error;
  }
}

const DAY = 86_400_000;
const wholeDays = (p: Period): Period => ({
  from: new Date(Math.floor(p.from.getTime() / DAY) * DAY),
  to: new Date(Math.ceil(p.to.getTime() / DAY) * DAY),
});

/**
 * Per commitment and UTC day: capacity, consumption and the amortized cost of what went unused —
 * a reservation's hourly amortized cost × its unused share, a savings plan's unused commitment.
 */
function dailyUtilization(input: BenefitInput, output: BenefitOutput) {
  const hourlyCost = new Map(
    (input.commitments ?? []).map((c) => [
      c.id,
      c.type === 'reservation' ? (c.amortizedHourlyCost ?? 0) : null,
    ]),
  );
  const daily = new Map<string, { capacity: number; consumed: number; unusedCost: number }>();
  for (const h of output.perHour) {
    const key = `${h.id}|${h.hour.slice(0, 10)}`;
    const d = daily.get(key) ?? { capacity: 0, consumed: 0, unusedCost: 0 };
    d.capacity += h.capacity;
    d.consumed += h.consumed;
    const perHour = hourlyCost.get(h.id);
    const unused = Math.max(0, h.capacity - h.consumed);
    d.unusedCost += perHour == null ? unused : h.capacity > 0 ? (perHour * unused) / h.capacity : 0;
    daily.set(key, d);
  }
  return daily;
}

/**
 * Replaces the period's daily rollups from the rows just written, in the run's transaction:
 * summed in SQL, so the rollup is exactly the sum of its rows (numeric, no float drift). Usage the
 * run did not cover (no result row) counts at pay-as-you-go, as bills count it.
 */
async function writeDailyCosts(trx: Db, customerId: string, period: Period) {
  await sql`
    insert into usage_daily_costs (customer_id, day, subscription_id, resource_group, resource_id,
      meter_category, sku, region, usage_rows, quantity, covered_quantity, retail_cost, actual_cost,
      amortized_cost)
    select u.customer_id, (u.hour at time zone 'UTC')::date, u.subscription_id, u.resource_group,
      coalesce(u.resource_id, ''), u.meter_category, u.sku, u.region, count(*)::int, sum(u.quantity),
      sum(case when b.usage_id is null or not u.benefit_eligible then 0 else u.quantity - b.payg_quantity end),
      sum(u.quantity * u.payg_unit_price),
      sum(coalesce(b.actual_cost, u.quantity * u.payg_unit_price)),
      sum(coalesce(b.amortized_cost, u.quantity * u.payg_unit_price))
    from usage_records u
    left join usage_benefits b on b.usage_id = u.id and b.hour = u.hour
    where u.customer_id = ${customerId} and u.hour >= ${period.from} and u.hour < ${period.to}
    group by 1, 2, 3, 4, 5, 6, 7, 8
  `.execute(trx);
}

/** Customers with usage-based Azure subscriptions: the ones a period's runs cover. */
export async function customersWithUsage(db: Db, partnerId?: string): Promise<string[]> {
  let q = db
    .selectFrom('subscriptions')
    .select('customer_id')
    .distinct()
    .where('product_type', 'in', ['azure_plan', 'azure_global']);
  if (partnerId) q = q.where('partner_id', '=', partnerId);
  return (await q.execute()).map((r) => r.customer_id);
}
