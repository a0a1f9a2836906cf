import Big from 'big.js';
import type { LedgerEntryType } from '../store/schema.ts';
import { invalid } from './errors.ts';
import { roundToMinor } from './money.ts';

/**
 * The partner's cost views (issue 9): per customer and month, what the partner pays the cloud,
 * what it bills its customer, the margin, and the saving against pay-as-you-go, in the actual or
 * the amortized view. Pure: the service hands in exact sums, this module prices commitments at
 * the partner's cost, spreads them over their terms and rounds each shown figure once.
 *
 * The rules (docs/api-mitra.md, "Partner cost views"):
 * - Usage: the partner pays pay-as-you-go retail for what was metered after reservations and
 *   savings plans (the rollups' actual cost); no partner price exists for meters.
 * - Commitments: the partner pays its price sheet's cost for the same price row on the purchase
 *   day (retail when no sheet covers it). A credit (refund, exchange credit, cancelled
 *   instalment) comes back at the same cost-to-price share as the charges it mirrors.
 * - Actual view: usage after benefits, plus the commitment charges dated in the month.
 * - Amortized view: no purchase rows; each commitment's total is spread evenly over its term
 *   (to its return, for one returned), split into the part the benefit runs found unused and the
 *   rest, which counts as usage.
 * - Billed: the month's bill (ledger lines, each rounded), and until the month closes its usage
 *   as the draft invoice prices it; amortized, commitments count by the same spread at the
 *   customer's price instead of by their charges.
 * - Margin = billed − partner pays. Savings = usage at pay-as-you-go − partner pays.
 */

export type CostView = 'actual' | 'amortized';

/** `yyyy-mm` → `yyyy-mm` strings from `from` to `to`, both included. */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = from.split('-').map(Number);
  const [ty, tm] = to.split('-').map(Number);
  while (y < ty || (y === ty && m <= tm)) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
  return out;
}

export const maxMonths = 36;

export function parseCostMonth(value: string, name: string): string {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(value))
    throw invalid('invalid-month', `${name} must look like 2026-11 (four-digit year, two-digit month).`);
  return value;
}

/** A checked month range: from ≤ to, at most `maxMonths` months. */
export function costMonthRange(from: string, to: string): string[] {
  const months = monthsBetween(parseCostMonth(from, 'from'), parseCostMonth(to, 'to'));
  if (months.length === 0)
    throw invalid('invalid-month-range', 'from must be the same month as to or before it.');
  if (months.length > maxMonths)
    throw invalid('month-range-too-long', `Ask for at most ${maxMonths} months at a time.`);
  return months;
}

/** The `yyyy-mm` month `offset` months after the month of `at` (UTC). */
export function monthAt(at: Date, offset = 0): string {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + offset, 1)).toISOString().slice(0, 7);
}

const monthStart = (month: string) => Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)) - 1, 1);
const monthEnd = (month: string) => Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 1);

/** A commitment as the cost views price it. */
export interface CostedCommitment {
  id: string;
  kind: 'reservation' | 'savings_plan';
  /** What the customer pays per billing period per unit, and the partner's cost for the same. */
  unitPrice: string;
  costUnitPrice: string;
  units: string;
  /** The customer's price and the partner's cost over the whole term. */
  total: string;
  costTotal: string;
  /** The base the benefit engine spread when it priced unused capacity (see `engineBase`). */
  engineBase: string;
  start: Date;
  /** The term's end; for a returned commitment its return. */
  end: Date;
  termMs: number;
}

/**
 * What the engine's unused cost of a commitment is a share of: a reservation's total at the
 * customer's price; a savings plan's hourly commitment over its term (the engine counts unused
 * commitment itself, not the customer's price for it).
 */
export function engineBase(
  kind: 'reservation' | 'savings_plan',
  total: string,
  hourlyCommitment: string | null,
  termMs: number,
): string {
  if (kind === 'reservation') return total;
  return new Big(hourlyCommitment ?? '0').times(termMs).div(3_600_000).toFixed(6);
}

/** The share of [start, end) that falls in `month`, over the whole term: straight-line by time. */
export function spreadIn(c: Pick<CostedCommitment, 'start' | 'end' | 'termMs'>, month: string): Big {
  const from = Math.max(c.start.getTime(), monthStart(month));
  const to = Math.min(c.end.getTime(), monthEnd(month));
  if (to <= from || c.termMs <= 0) return new Big(0);
  return new Big(to - from).div(c.termMs);
}

const chargeTypes = new Set<LedgerEntryType>(['purchase', 'instalment']);

/** The partner's side of one commitment ledger entry: charges at cost, credits at the same share. */
export function partnerCostOfEntry(
  c: Pick<CostedCommitment, 'unitPrice' | 'costUnitPrice' | 'units'>,
  entry: { type: LedgerEntryType; amount: string },
): Big {
  const price = new Big(c.unitPrice);
  if (price.gt(0)) return new Big(entry.amount).times(c.costUnitPrice).div(price);
  // A commitment given away still costs the partner its charges; it gives nothing back.
  return chargeTypes.has(entry.type) ? new Big(c.costUnitPrice).times(c.units) : new Big(0);
}

/** Exact sums of one customer and month, as the service reads them. */
export interface CostInputs {
  usageRetail: Big;
  usageActual: Big;
  /** Commitment ledger entries dated in the month, exact, at the partner's cost. */
  commitmentChargesAtCost: Big;
  /** Per commitment: the engine's unused cost in the month. */
  unused: Map<string, Big>;
  /** The bill's lines as rounded (every ledger entry of the month); commitment ones flagged. */
  billLines: { amount: string; commitment: boolean }[];
  /** Until the month closes: its usage as the draft invoice prices it, one amount per subscription. */
  usageEstimate: string[];
}

export interface CostFigures {
  usageRetail: string;
  usage: string;
  purchases: string | null;
  unusedReservations: string | null;
  unusedSavingsPlans: string | null;
  partnerPays: string;
  billed: string;
  margin: string;
  savings: string;
}

export const costColumns = [
  'usageRetail',
  'usage',
  'purchases',
  'unusedReservations',
  'unusedSavingsPlans',
  'partnerPays',
  'billed',
  'margin',
  'savings',
] as const satisfies readonly (keyof CostFigures)[];

/** One customer's month in a view: each figure rounded once; derived ones from the shown ones. */
export function costFigures(
  view: CostView,
  month: string,
  inputs: CostInputs,
  commitments: readonly CostedCommitment[],
  currency: string,
): CostFigures {
  const r = (v: Big) => roundToMinor(v, currency);
  const sum = (values: readonly string[]) => values.reduce((s, v) => s.plus(v), new Big(0));
  const usageBilled = sum([
    ...inputs.billLines.filter((l) => !l.commitment).map((l) => l.amount),
    ...inputs.usageEstimate.map((a) => r(new Big(a))),
  ]);
  const usageRetail = r(inputs.usageRetail);
  let usage: string;
  let purchases: string | null = null;
  let unusedReservations: string | null = null;
  let unusedSavingsPlans: string | null = null;
  let billed: Big;
  if (view === 'actual') {
    usage = r(inputs.usageActual);
    purchases = r(inputs.commitmentChargesAtCost);
    billed = usageBilled.plus(sum(inputs.billLines.filter((l) => l.commitment).map((l) => l.amount)));
  } else {
    let used = new Big(0);
    const unused = { reservation: new Big(0), savings_plan: new Big(0) };
    let spreadBilled = new Big(0);
    for (const c of commitments) {
      const share = spreadIn(c, month);
      if (share.eq(0) && !inputs.unused.has(c.id)) continue;
      const engineUnused = inputs.unused.get(c.id) ?? new Big(0);
      const base = new Big(c.engineBase);
      const unusedAtCost = base.gt(0) ? engineUnused.times(c.costTotal).div(base) : new Big(0);
      unused[c.kind] = unused[c.kind].plus(unusedAtCost);
      used = used.plus(new Big(c.costTotal).times(share).minus(unusedAtCost));
      spreadBilled = spreadBilled.plus(new Big(c.total).times(share));
    }
    usage = r(inputs.usageActual.plus(used));
    unusedReservations = r(unused.reservation);
    unusedSavingsPlans = r(unused.savings_plan);
    billed = usageBilled.plus(r(spreadBilled));
  }
  const partnerPays = sum([usage, purchases ?? '0', unusedReservations ?? '0', unusedSavingsPlans ?? '0']);
  return {
    usageRetail,
    usage,
    purchases,
    unusedReservations,
    unusedSavingsPlans,
    partnerPays: r(partnerPays),
    billed: r(billed),
    margin: r(billed.minus(partnerPays)),
    savings: r(new Big(usageRetail).minus(partnerPays)),
  };
}

/** Totals of shown lines: each column the sum of its rounded figures (null stays null). */
export function costTotals(lines: readonly CostFigures[], view: CostView, currency: string): CostFigures {
  const total = (k: keyof CostFigures) =>
    roundToMinor(
      lines.reduce((s, l) => s.plus(l[k] ?? '0'), new Big(0)),
      currency,
    );
  return {
    usageRetail: total('usageRetail'),
    usage: total('usage'),
    purchases: view === 'actual' ? total('purchases') : null,
    unusedReservations: view === 'amortized' ? total('unusedReservations') : null,
    unusedSavingsPlans: view === 'amortized' ? total('unusedSavingsPlans') : null,
    partnerPays: total('partnerPays'),
    billed: total('billed'),
    margin: total('margin'),
    savings: total('savings'),
  };
}
