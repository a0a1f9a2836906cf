import {
  type CommitmentSpec,
  type CustomerBatch,
  compareCodePoints,
  RESERVATION,
  type UsageColumns,
} from './columnar.ts';
import { RowFault } from './errors.ts';
import { fillPlan, fillReservation, Parts } from './fill.ts';
import { rankByDiscount } from './rank.ts';

export { EPS } from './fill.ts';

export interface CustomerResult {
  /** Per row, in the batch's (sorted) order. */
  paygQuantity: Float64Array;
  actualCost: Float64Array;
  amortizedCost: Float64Array;
  /** Coverage parts in application order; `partBy` indexes `batch.commitments`. */
  parts: number;
  partRow: Int32Array;
  partBy: Int32Array;
  partQuantity: Float64Array;
  /** Reservations: normalized units; savings plans: commitment spent. */
  partConsumed: Float64Array;
  /** One entry per reported hour and commitment active in it. */
  entries: number;
  entryHour: Int32Array;
  entryBy: Int32Array;
  entryCapacity: Float64Array;
  entryConsumed: Float64Array;
  /** Per commitment over all reported hours (compensated sums). */
  capacity: Float64Array;
  consumed: Float64Array;
  unusedCost: Float64Array;
}

/**
 * Reservations before plans; narrowest scope first; plans of longer term first within a level;
 * then (purchase instant, id), the documented tie-break.
 */
export function processingOrder(cs: readonly CommitmentSpec[]): number[] {
  return cs
    .map((_, i) => i)
    .sort((a, b) => {
      const x = cs[a];
      const y = cs[b];
      return (
        x.kind - y.kind ||
        x.level - y.level ||
        (x.kind === RESERVATION ? 0 : y.years - x.years) ||
        (x.purchaseMs === y.purchaseMs ? 0 : x.purchaseMs < y.purchaseMs ? -1 : 1) ||
        compareCodePoints(x.id, y.id)
      );
    });
}

function inScope(c: CommitmentSpec, u: UsageColumns, i: number): boolean {
  switch (c.level) {
    case 0:
      return u.sub[i] === c.sub && u.rg[i] === c.rg;
    case 1:
      return u.sub[i] === c.sub;
    case 2:
      return c.subsInScope![u.sub[i]] === 1;
    default:
      return true;
  }
}

function reservationMatches(c: CommitmentSpec, u: UsageColumns, i: number): boolean {
  if (u.rtype[i] !== c.rtype || u.region[i] !== c.region) return false;
  // A row whose group nobody names can still be the reserved SKU itself, which is in the group.
  const g = u.group[i];
  if (c.flexible ? (g >= 0 ? g !== c.group : u.sku[i] !== c.sku) : u.sku[i] !== c.sku) return false;
  return inScope(c, u, i);
}

/** The contract's error for a row a flexible reservation reaches but no ratio describes. */
function checkRatios(batch: CustomerBatch, reservations: readonly CommitmentSpec[]): void {
  const u = batch.usage;
  const flexible = reservations.filter((c) => c.flexible);
  if (flexible.length === 0) return;
  for (let i = 0; i < u.length; i++) {
    if (!Number.isNaN(u.ratio[i]) || u.eligible[i] === 0 || u.rtype[i] < 0) continue;
    for (const c of flexible) {
      if (u.hour[i] >= c.startHour && u.hour[i] < c.endHour && reservationMatches(c, u, i)) {
        throw new RowFault(
          i,
          'skuRatio',
          `no ratio: none given and the SKU is not in the ratio table, yet flexible reservation ${JSON.stringify(c.id)} applies to it`,
        );
      }
    }
  }
}

/** Neumaier summation: period totals stay exact to ~1e-16 relative over thousands of hours. */
function addTo(sum: Float64Array, comp: Float64Array, k: number, x: number): void {
  const s = sum[k];
  const t = s + x;
  comp[k] += Math.abs(s) >= Math.abs(x) ? s - t + x : x - t + s;
  sum[k] = t;
}

/** Applies one customer's commitments to that customer's usage, hour by hour, in one pass. */
export function applyCustomer(batch: CustomerBatch): CustomerResult {
  const u = batch.usage;
  const n = u.length;
  const cs = batch.commitments;
  const hours = batch.hours;
  const { hour, quantity, payg, sp1, sp3, eligible } = u;
  for (let i = 1; i < n; i++) {
    if (hour[i] < hour[i - 1]) throw new Error('usage rows must be sorted by hour');
  }
  const order = processingOrder(cs);
  const reservations = order.filter((k) => cs[k].kind === RESERVATION);
  const plans = order.filter((k) => cs[k].kind !== RESERVATION);
  checkRatios(
    batch,
    reservations.map((k) => cs[k]),
  );

  const rem = new Float64Array(n);
  for (let i = 0; i < n; i++) rem[i] = eligible[i] === 1 ? quantity[i] : 0;
  const amortized = new Float64Array(n);
  const parts = new Parts(Math.max(16, n >> 1));
  const nc = cs.length;
  const maxEntries = hours.length * nc;
  const entryHour = new Int32Array(maxEntries);
  const entryBy = new Int32Array(maxEntries);
  const entryCapacity = new Float64Array(maxEntries);
  const entryConsumed = new Float64Array(maxEntries);
  let entries = 0;
  const capacity = new Float64Array(nc);
  const capacityC = new Float64Array(nc);
  const consumed = new Float64Array(nc);
  const consumedC = new Float64Array(nc);
  const unusedCost = new Float64Array(nc);
  const unusedCostC = new Float64Array(nc);
  const record = (h: number, k: number, cap: number, used: number, unused: number) => {
    entryHour[entries] = h;
    entryBy[entries] = k;
    entryCapacity[entries] = cap;
    entryConsumed[entries] = used;
    entries++;
    addTo(capacity, capacityC, k, cap);
    addTo(consumed, consumedC, k, used);
    addTo(unusedCost, unusedCostC, k, unused);
  };
  const ranked1 = new Int32Array(n);
  const ranked3 = new Int32Array(n);
  const scratch = { key: new Float64Array(0), buf: new Float64Array(0), idx: new Int32Array(0) };

  let e = 0;
  for (let hi = 0; hi < hours.length; hi++) {
    const h = hours[hi];
    const s = e;
    while (e < n && hour[e] === h) e++;
    if (e < n && hour[e] < h) throw new RowFault(e, 'hour', 'not among the reported hours');
    for (let r = 0; r < reservations.length; r++) {
      const k = reservations[r];
      const c = cs[k];
      if (h < c.startHour || h >= c.endHour) continue;
      const used = s < e ? fillReservation(c, k, u, s, e, rem, amortized, parts) : 0;
      record(h, k, c.capacity, used, (c.amortizedHourlyCost * (c.capacity - used)) / c.capacity);
    }
    let m1 = -1;
    let m3 = -1;
    for (let p = 0; p < plans.length; p++) {
      const k = plans[p];
      const c = cs[k];
      if (h < c.startHour || h >= c.endHour) continue;
      let used = 0;
      if (s < e) {
        // Ranked once per hour and term: a row's discount does not change as it gets covered.
        if (c.years === 3) {
          if (m3 < 0) m3 = rankByDiscount(s, e, rem, sp3, payg, ranked3, scratch);
          used = fillPlan(c, k, u, ranked3, m3, sp3, rem, amortized, parts);
        } else {
          if (m1 < 0) m1 = rankByDiscount(s, e, rem, sp1, payg, ranked1, scratch);
          used = fillPlan(c, k, u, ranked1, m1, sp1, rem, amortized, parts);
        }
      }
      record(h, k, c.hourlyCommitment, used, c.hourlyCommitment - used);
    }
  }
  if (e < n) throw new RowFault(e, 'hour', 'not among the reported hours');

  const paygQuantity = new Float64Array(n);
  const actualCost = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const pq = eligible[i] === 1 ? rem[i] : quantity[i];
    paygQuantity[i] = pq;
    const cost = pq * payg[i];
    actualCost[i] = cost;
    amortized[i] += cost;
  }
  for (let k = 0; k < nc; k++) {
    capacity[k] += capacityC[k];
    consumed[k] += consumedC[k];
    unusedCost[k] += unusedCostC[k];
  }
  return {
    paygQuantity,
    actualCost,
    amortizedCost: amortized,
    parts: parts.count,
    partRow: parts.row,
    partBy: parts.by,
    partQuantity: parts.quantity,
    partConsumed: parts.consumed,
    entries,
    entryHour,
    entryBy,
    entryCapacity,
    entryConsumed,
    capacity,
    consumed,
    unusedCost,
  };
}
