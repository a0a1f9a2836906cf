import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import type { Actor } from '../domain/actor.ts';
import {
  type CostDimension,
  type CostFilter,
  type CostGroup,
  type CostQuery,
  type CostView,
  costManagementDisabled,
  costView,
  rateDayOf,
  sortLines,
} from '../domain/customer-costs.ts';
import { authorize } from '../domain/policies.ts';
import type { Db } from '../store/db.ts';
import type { Customer, Database } from '../store/schema.ts';
import { type Call, nowOf } from './call.ts';
import { findOwnCustomer } from './customers.ts';
import { rateMissing, rateOnOrBefore } from './exchange-rates.ts';
import { visibleSubscription } from './role-assignments.ts';
import { ledgerCurrencyOf } from './usage-pricing.ts';

/**
 * A customer user's cost view (R17, R18): the one use case behind the customer portal's cost
 * analysis (GET /api/my/costs) and ARM's Microsoft.CostManagement query. It reads the daily
 * rollups (`usage_daily_costs`), never the raw usage rows, and only `actual_cost`: usage a
 * reservation or savings plan covered is 0 there, the rest is pay-as-you-go retail. Purchases and
 * unused commitment charges are ledger and utilisation rows, which this view never reads (R18).
 */

export interface CostScopeSubscription {
  id: string;
  azureSubscriptionId: string;
  name: string;
}

export interface CustomerCostView extends CostView {
  subscriptions: CostScopeSubscription[];
  resourceGroup: string | null;
}

/** Which subscription: Mitra's id (the portal) or the Azure subscription id (ARM paths). */
export type SubscriptionRef = { id: string } | { azureSubscriptionId: string };

type Row = ExpressionBuilder<Database & { c: Database['usage_daily_costs'] }, 'c'>;

/**
 * Rollup columns. The subscription is grouped and filtered by Mitra's id (no join with
 * `subscriptions` per rollup row: it more than doubled a 90-day query); Azure ids are mapped
 * before and after, from the scope's few subscriptions.
 */
const column: Record<CostDimension, string> = {
  subscription: 'c.subscription_id',
  resourceGroup: 'c.resource_group',
  resource: 'c.resource_id',
  location: 'c.region',
  meterCategory: 'c.meter_category',
  meter: 'c.sku',
};

function filterExpression(eb: Row, f: CostFilter): Expression<SqlBool> {
  if ('in' in f) {
    const values = f.in.values.map((v) => v.toLowerCase());
    if (!values.length) return sql<SqlBool>`false`;
    return sql<SqlBool>`lower(${sql.ref(column[f.in.dimension])}::text) in (${sql.join(values)})`;
  }
  if ('and' in f)
    return f.and.length ? eb.and(f.and.map((g) => filterExpression(eb, g))) : sql<SqlBool>`true`;
  if ('or' in f) return f.or.length ? eb.or(f.or.map((g) => filterExpression(eb, g))) : sql<SqlBool>`false`;
  if ('not' in f) return eb.not(filterExpression(eb, f.not));
  return sql<SqlBool>`false`;
}

/** Filters name subscriptions by Azure id; the rollups by Mitra's (an unknown id matches nothing). */
function bySubscriptionId(f: CostFilter, toMitra: Map<string, string>): CostFilter {
  if ('in' in f)
    return f.in.dimension !== 'subscription'
      ? f
      : {
          in: {
            dimension: 'subscription',
            values: f.in.values.map((v) => toMitra.get(v.toLowerCase()) ?? `none:${v}`),
          },
        };
  if ('and' in f) return { and: f.and.map((g) => bySubscriptionId(g, toMitra)) };
  if ('or' in f) return { or: f.or.map((g) => bySubscriptionId(g, toMitra)) };
  if ('not' in f) return { not: bySubscriptionId(f.not, toMitra) };
  return f;
}

/** The subscriptions a customer user holds a role on (any role reads costs: Reader, Contributor, Owner). */
export async function subscriptionsInScope(
  db: Db,
  actor: Extract<Actor, { kind: 'customer_user' }>,
  ref: SubscriptionRef | undefined,
): Promise<CostScopeSubscription[]> {
  const view = (s: { id: string; entitlement_id: string | null; friendly_name: string }) => ({
    id: s.id,
    azureSubscriptionId: s.entitlement_id ?? s.id,
    name: s.friendly_name,
  });
  if (ref) return [view((await visibleSubscription(db, actor, ref)).subscription)];
  const rows = await db
    .selectFrom('role_assignments')
    .innerJoin('subscriptions', 'subscriptions.id', 'role_assignments.subscription_id')
    .select(['subscriptions.id', 'subscriptions.entitlement_id', 'subscriptions.friendly_name'])
    .distinct()
    .where('role_assignments.customer_user_id', '=', actor.userId)
    .where('subscriptions.customer_id', '=', actor.customerId)
    .where('subscriptions.partner_id', '=', actor.partnerId)
    .where('subscriptions.product_type', 'in', ['azure_plan', 'azure_global'])
    .orderBy('subscriptions.id')
    .execute();
  return rows.map(view);
}

/** Σ actual cost and quantity per group, from the rollups, at full precision (numeric in SQL). */
async function sumRollups(
  db: Db,
  customer: Customer,
  subscriptionIds: string[],
  query: CostQuery,
): Promise<CostGroup[]> {
  if (!subscriptionIds.length) return [];
  const groups = query.groupBy.map((d) => sql.ref(column[d]));
  const day = sql<string>`c.day`;
  let q = db
    .selectFrom('usage_daily_costs as c')
    .where('c.customer_id', '=', customer.id)
    .where('c.subscription_id', 'in', subscriptionIds)
    .where('c.day', '>=', query.range.from)
    .where('c.day', '<', query.range.to);
  if (query.resourceGroup !== undefined)
    q = q.where(sql<SqlBool>`lower(c.resource_group) = ${query.resourceGroup.toLowerCase()}`);
  if (query.filter) {
    const filter = query.filter;
    q = q.where((eb) => filterExpression(eb as unknown as Row, filter));
  }
  const rows = await q
    .select([
      ...groups.map((g, i) => sql<string>`${g}`.as(`k${i}`)),
      ...(query.daily ? [day.as('day')] : []),
      sql<string>`sum(c.quantity)::text`.as('quantity'),
      sql<string>`sum(c.actual_cost)::text`.as('cost'),
    ])
    .$if(query.daily || groups.length > 0, (qb) =>
      qb.groupBy([...groups, ...(query.daily ? [sql`c.day`] : [])]),
    )
    .execute();
  return rows
    .filter((r) => r.quantity !== null)
    .map((r) => {
      const record = r as unknown as Record<string, string | null>;
      return {
        // Both drivers hand a date column back as its yyyy-mm-dd text (src/store/db.ts).
        day: query.daily ? record.day : null,
        keys: Object.fromEntries(query.groupBy.map((d, i) => [d, record[`k${i}`] ?? ''])),
        quantity: record.quantity ?? '0',
        usdCost: record.cost ?? '0',
      };
    });
}

/**
 * The cost view a customer user asked for. Order of refusals: not a customer user (policy) → a
 * subscription the user holds no role on, or another customer's (404, exactly like one that does
 * not exist, so the switch of somebody else's customer is never revealed) → cost management off
 * (403 for every scope of the caller's own) → no exchange rate stored (409).
 */
export async function customerCosts(
  db: Db,
  call: Call,
  query: CostQuery & { subscription?: SubscriptionRef },
): Promise<CustomerCostView> {
  authorize(call.actor, 'customerSelf');
  const actor = call.actor as Extract<Actor, { kind: 'customer_user' }>;
  const customer = await findOwnCustomer(db, actor, actor.customerId);
  const subscriptions = await subscriptionsInScope(db, actor, query.subscription);
  const setting = await db
    .selectFrom('cost_management_settings')
    .select('enabled')
    .where('customer_id', '=', customer.id)
    .where('partner_id', '=', customer.partner_id)
    .executeTakeFirst();
  if (!setting?.enabled) {
    const partner = await db
      .selectFrom('partners')
      .select('name')
      .where('id', '=', customer.partner_id)
      .executeTakeFirstOrThrow();
    throw costManagementDisabled(partner.name);
  }
  const ledgerCurrency = await ledgerCurrencyOf(db, customer);
  let rate = null;
  if (customer.currency !== ledgerCurrency) {
    const day = rateDayOf(query.range, nowOf(call));
    rate = await rateOnOrBefore(db, customer.partner_id, ledgerCurrency, customer.currency, day);
    if (!rate) throw rateMissing(ledgerCurrency, customer.currency, day);
  }
  const toMitra = new Map(subscriptions.map((s) => [s.azureSubscriptionId.toLowerCase(), s.id]));
  const toAzure = new Map(subscriptions.map((s) => [s.id, s.azureSubscriptionId]));
  const groups = (
    await sumRollups(
      db,
      customer,
      subscriptions.map((s) => s.id),
      { ...query, filter: query.filter && bySubscriptionId(query.filter, toMitra) },
    )
  ).map((g) =>
    g.keys.subscription === undefined
      ? g
      : { ...g, keys: { ...g.keys, subscription: toAzure.get(g.keys.subscription) ?? g.keys.subscription } },
  );
  const view = costView(groups, customer.currency, rate, query.range);
  return {
    ...view,
    lines: sortLines(view.lines, !query.daily),
    subscriptions,
    resourceGroup: query.resourceGroup ?? null,
  };
}
