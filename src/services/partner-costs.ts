import Big from 'big.js';
import { sql } from 'kysely';
import { roundToMinor } from '../domain/money.ts';
import {
  type CostedCommitment,
  type CostFigures,
  type CostInputs,
  type CostView,
  costFigures,
  costMonthRange,
  costTotals,
  engineBase,
  monthAt,
  parseCostMonth,
  partnerCostOfEntry,
} from '../domain/partner-costs.ts';
import { authorize } from '../domain/policies.ts';
import type { Db } from '../store/db.ts';
import type { Customer } from '../store/schema.ts';
import { type Call, nowOf } from './call.ts';
import { findOwnCustomer } from './customers.ts';
import { usageChargesOf } from './usage-charges.ts';
import { ledgerCurrencyOf } from './usage-pricing.ts';

/**
 * The partner's cost views (issue 9): reads the daily usage rollups, the commitments' daily
 * unused cost, the commitments with the partner's cost for them, and the ledger — never raw usage
 * rows, except the draft invoice's usage pricing of a month not yet closed — and hands exact sums
 * to `costFigures` (src/domain/partner-costs.ts), which holds the rules. Admin agents only: the
 * views show the partner's own cost and margin, like bills and price tables (`pricesRead`).
 */

const firstDay = (month: string) => `${month}-01`;
const monthAfter = (month: string) => monthAt(new Date(`${month}-15T00:00:00Z`), 1);
const dayAfter = (month: string) => firstDay(monthAfter(month));

/** Everything one request's months need, for one customer or all of a partner's. */
async function loadCosts(db: Db, partnerId: string, customerIds: string[], months: string[]) {
  const from = firstDay(months[0]);
  const to = dayAfter(months[months.length - 1]);
  const ids = customerIds;

  const rollups = await db
    .selectFrom('usage_daily_costs')
    .select([
      'customer_id',
      sql<string>`to_char(day, 'YYYY-MM')`.as('month'),
      sql<string>`sum(retail_cost)::text`.as('retail'),
      sql<string>`sum(actual_cost)::text`.as('actual'),
    ])
    .where('customer_id', 'in', ids)
    .where('day', '>=', from)
    .where('day', '<', to)
    .groupBy(['customer_id', sql`to_char(day, 'YYYY-MM')`])
    .execute();

  const unused = await db
    .selectFrom('commitment_utilization')
    .select([
      'commitment_id',
      'customer_id',
      sql<string>`to_char(day, 'YYYY-MM')`.as('month'),
      sql<string>`sum(unused_cost)::text`.as('unused'),
    ])
    .where('customer_id', 'in', ids)
    .where('day', '>=', from)
    .where('day', '<', to)
    .groupBy(['commitment_id', 'customer_id', sql`to_char(day, 'YYYY-MM')`])
    .execute();

  const commitmentRows = await db
    .selectFrom('commitments')
    .selectAll()
    .where('partner_id', '=', partnerId)
    .where('customer_id', 'in', ids)
    .where('purchased_at', '<', new Date(`${to}T00:00:00Z`))
    .execute();

  const items = [...new Set(commitmentRows.map((c) => c.catalog_item_id).filter((i) => i !== null))];
  const costRows = items.length
    ? await db
        .selectFrom('partner_costs')
        .select([
          'catalog_item_id',
          'term_duration',
          'billing_plan',
          'effective_start',
          'effective_end',
          'unit_price',
          'currency',
        ])
        .where('partner_id', '=', partnerId)
        .where('catalog_item_id', 'in', items)
        .orderBy('effective_start')
        .execute()
    : [];

  const ledger = await db
    .selectFrom('ledger_entries')
    .select(['customer_id', 'commitment_id', 'billing_month', 'entry_type', 'amount', 'currency'])
    .where('partner_id', '=', partnerId)
    .where('customer_id', 'in', ids)
    .where('billing_month', '>=', from)
    .where('billing_month', '<', to)
    .orderBy('id')
    .execute();

  const closed = new Set(
    (
      await db
        .selectFrom('billing_periods')
        .select('month')
        .where('partner_id', '=', partnerId)
        .where('month', '>=', from)
        .where('month', '<', to)
        .execute()
    ).map((r) => String(r.month).slice(0, 7)),
  );

  const notRolledUp = await usageNoRunCovered(db, ids, from, to);
  return { rollups, unused, commitmentRows, costRows, ledger, closed, notRolledUp };
}

const DAY = 86_400_000;

/**
 * Usage in [from, to) on days no benefit run has covered yet, so no rollup holds it (late usage,
 * a run still queued, or history before the first run): it counts at pay-as-you-go, as bills count
 * it. Once every day is covered — the steady state — this reads no usage rows at all.
 */
async function usageNoRunCovered(db: Db, customerIds: string[], from: string, to: string) {
  const start = Date.parse(`${from}T00:00:00Z`);
  const end = Date.parse(`${to}T00:00:00Z`);
  const runs = await db
    .selectFrom('benefit_runs')
    .select(['customer_id', 'period_start', 'period_end'])
    .where('customer_id', 'in', customerIds)
    .where('status', '=', 'succeeded')
    .where('period_start', '<', new Date(end))
    .where('period_end', '>', new Date(start))
    .execute();
  const out: { customer_id: string; month: string; cost: string }[] = [];
  for (const customerId of customerIds) {
    // Runs rebuild whole UTC days, so a run covers every day it touches.
    const covered = runs
      .filter((r) => r.customer_id === customerId)
      .map((r) => [
        Math.floor(new Date(r.period_start).getTime() / DAY) * DAY,
        Math.ceil(new Date(r.period_end).getTime() / DAY) * DAY,
      ])
      .sort((a, b) => a[0] - b[0]);
    let cursor = start;
    const gaps: [number, number][] = [];
    for (const [a, b] of covered) {
      if (a > cursor) gaps.push([cursor, Math.min(a, end)]);
      cursor = Math.max(cursor, b);
      if (cursor >= end) break;
    }
    if (cursor < end) gaps.push([cursor, end]);
    for (const [a, b] of gaps) {
      if (b <= a) continue;
      const rows = await db
        .selectFrom('usage_records')
        .select([
          sql<string>`to_char(hour at time zone 'UTC', 'YYYY-MM')`.as('month'),
          sql<string>`sum(quantity * payg_unit_price)::text`.as('cost'),
        ])
        .where('customer_id', '=', customerId)
        .where('hour', '>=', new Date(a))
        .where('hour', '<', new Date(b))
        .groupBy(sql`to_char(hour at time zone 'UTC', 'YYYY-MM')`)
        .execute();
      for (const r of rows) out.push({ customer_id: customerId, month: r.month, cost: r.cost });
    }
  }
  return out;
}

type Loaded = Awaited<ReturnType<typeof loadCosts>>;
type CommitmentRow = Loaded['commitmentRows'][number];

/**
 * The partner's cost per unit of a commitment: its price sheet's row for the same catalog item,
 * term and billing plan in effect on the purchase day (a later sheet's row wins), else retail.
 */
function costUnitPriceOf(c: CommitmentRow, costs: Loaded['costRows']): string {
  const day = new Date(c.purchased_at).toISOString().slice(0, 10);
  const plan = c.billing_plan === 'Upfront' ? 'upfront' : 'monthly';
  let found: string | null = null;
  for (const r of costs) {
    if (r.catalog_item_id !== c.catalog_item_id || r.term_duration !== c.term || r.billing_plan !== plan)
      continue;
    if (r.currency !== c.currency) continue;
    if (String(r.effective_start) <= day && (r.effective_end === null || String(r.effective_end) > day))
      found = r.unit_price;
  }
  return found ?? c.retail_unit_price;
}

function costed(c: CommitmentRow, costs: Loaded['costRows'], now: Date): CostedCommitment {
  const start = new Date(c.purchased_at);
  const expires = new Date(c.expires_at);
  // A returned commitment's spread stops at its return: what it was paid beyond that came back.
  const returned = c.status === 'Cancelled' || c.status === 'Exchanged';
  // Amortized cost accrues day by day: a month not over yet shows what has accrued until now.
  const stop = Math.min(returned ? new Date(c.updated_at).getTime() : expires.getTime(), expires.getTime());
  const end = new Date(Math.max(start.getTime(), Math.min(stop, now.getTime())));
  const termMs = expires.getTime() - start.getTime();
  const units = c.kind === 'reservation' ? String(c.quantity) : (c.hourly_commitment ?? '0');
  const costUnitPrice = costUnitPriceOf(c, costs);
  const periods = c.billing_plan === 'Upfront' ? 1 : c.term === 'P3Y' ? 36 : 12;
  return {
    id: c.id,
    kind: c.kind,
    unitPrice: c.unit_price,
    costUnitPrice,
    units,
    total: c.total_price,
    costTotal: new Big(costUnitPrice).times(units).times(periods).toFixed(6),
    engineBase: engineBase(c.kind, c.total_price, c.hourly_commitment, termMs),
    start,
    end,
    termMs,
  };
}

export interface CostLineSource {
  customer: Customer;
  month: string;
  closed: boolean;
  figures: CostFigures;
}

/** Every customer's figures for every month asked, in one pass over what `loadCosts` read. */
async function figuresFor(
  db: Db,
  customers: Customer[],
  months: string[],
  view: CostView,
  currency: string,
  now: Date,
): Promise<CostLineSource[]> {
  if (customers.length === 0) return [];
  const data = await loadCosts(
    db,
    customers[0].partner_id,
    customers.map((c) => c.id),
    months,
  );
  const key = (customerId: string, month: string) => `${customerId}|${month}`;
  const rollups = new Map(data.rollups.map((r) => [key(r.customer_id, r.month), r]));
  const notRolledUp = new Map<string, Big>();
  for (const u of data.notRolledUp) {
    const k = key(u.customer_id, u.month);
    notRolledUp.set(k, (notRolledUp.get(k) ?? new Big(0)).plus(u.cost));
  }
  const unused = new Map<string, Map<string, Big>>();
  for (const u of data.unused) {
    const k = key(u.customer_id, u.month);
    const m = unused.get(k) ?? new Map<string, Big>();
    m.set(u.commitment_id, new Big(u.unused));
    unused.set(k, m);
  }
  const commitments = new Map(data.commitmentRows.map((c) => [c.id, costed(c, data.costRows, now)]));
  const byCustomer = new Map<string, CostedCommitment[]>();
  for (const c of data.commitmentRows)
    byCustomer.set(c.customer_id, [...(byCustomer.get(c.customer_id) ?? []), commitments.get(c.id)!]);
  const ledger = new Map<string, Loaded['ledger']>();
  for (const e of data.ledger) {
    const k = key(e.customer_id, String(e.billing_month).slice(0, 7));
    ledger.set(k, [...(ledger.get(k) ?? []), e]);
  }

  const out: CostLineSource[] = [];
  for (const customer of customers) {
    for (const month of months) {
      const k = key(customer.id, month);
      const closed = data.closed.has(month);
      const entries = ledger.get(k) ?? [];
      let atCost = new Big(0);
      for (const e of entries) {
        const c = e.commitment_id ? commitments.get(e.commitment_id) : undefined;
        if (c) atCost = atCost.plus(partnerCostOfEntry(c, { type: e.entry_type, amount: e.amount }));
      }
      // Until the month closes its usage is not in the ledger yet: price it as the draft invoice does.
      const estimate = closed
        ? []
        : (await usageChargesOf(db, customer, month))
            .filter((u) => !new Big(u.amount).eq(0))
            .map((u) => u.amount);
      const rollup = rollups.get(k);
      const uncovered = notRolledUp.get(k) ?? new Big(0);
      const inputs: CostInputs = {
        usageRetail: uncovered.plus(rollup?.retail ?? '0'),
        usageActual: uncovered.plus(rollup?.actual ?? '0'),
        commitmentChargesAtCost: atCost,
        unused: unused.get(k) ?? new Map(),
        billLines: entries.map((e) => ({
          amount: roundToMinor(e.amount, e.currency),
          commitment: e.commitment_id !== null,
        })),
        usageEstimate: estimate,
      };
      out.push({
        customer,
        month,
        closed,
        figures: costFigures(view, month, inputs, byCustomer.get(customer.id) ?? [], currency),
      });
    }
  }
  return out;
}

const currencyOf = async (db: Db, customer: Customer | undefined) =>
  customer ? ledgerCurrencyOf(db, customer) : 'USD';

/** Across all the partner's customers for one month: one line per customer, by name, and the totals. */
export async function partnerCosts(db: Db, call: Call, month: string | undefined, view: CostView) {
  authorize(call.actor, 'pricesRead');
  const m = month ? parseCostMonth(month, 'month') : monthAt(nowOf(call));
  const customers = await db
    .selectFrom('customers')
    .selectAll()
    .where('partner_id', '=', call.actor.partnerId)
    .orderBy('company_name')
    .orderBy('id')
    .execute();
  const currency = await currencyOf(db, customers[0]);
  const sources = await figuresFor(db, customers, [m], view, currency, nowOf(call));
  const lines = sources.map((s) => ({
    customerId: s.customer.id,
    customerName: s.customer.company_name,
    ...s.figures,
  }));
  return {
    month: m,
    view,
    currency,
    closed: sources[0]?.closed ?? false,
    lines,
    total: costTotals(lines, view, currency),
  };
}

export type PartnerCosts = Awaited<ReturnType<typeof partnerCosts>>;

/** One customer's months from `from` to `to` (default: the last six months, this one included). */
export async function customerCosts(
  db: Db,
  call: Call,
  customerId: string,
  range: { from?: string; to?: string },
  view: CostView,
) {
  authorize(call.actor, 'pricesRead');
  const customer = await findOwnCustomer(db, call.actor, customerId);
  const now = nowOf(call);
  const to = range.to ?? monthAt(now);
  const from = range.from ?? (range.to ? monthAt(new Date(`${to}-15T00:00:00Z`), -5) : monthAt(now, -5));
  const months = costMonthRange(from, to);
  const currency = await currencyOf(db, customer);
  const sources = await figuresFor(db, [customer], months, view, currency, now);
  const lines = sources.map((s) => ({ month: s.month, closed: s.closed, ...s.figures }));
  return {
    customerId: customer.id,
    customerName: customer.company_name,
    customerDomain: customer.domain,
    billingCurrency: customer.currency,
    from,
    to,
    view,
    currency,
    lines,
    total: costTotals(lines, view, currency),
  };
}

export type CustomerCosts = Awaited<ReturnType<typeof customerCosts>>;
