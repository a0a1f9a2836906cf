import {
  type CommitmentSpec,
  type CustomerBatch,
  compareCodePoints,
  RESERVATION,
  type UsageColumns,
} from './columnar.ts';
import { RowFault } from './errors.ts';
import { rankByDiscount } from './rank.ts';

/** Coverage parts below this are dropped; capacity left below it counts as spent. */
export const EPS = 1e-12;

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
  const { hour, sub, rg, region, rtype, sku, group, ratio, quantity, payg, sp1, sp3, eligible } = u;

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

  let partCap = Math.max(16, n);
  let partRow = new Int32Array(partCap);
  let partBy = new Int32Array(partCap);
  let partQuantity = new Float64Array(partCap);
  let partConsumed = new Float64Array(partCap);
  let parts = 0;
  const grow = () => {
    partCap *= 2;
    const r = new Int32Array(partCap);
    r.set(partRow);
    partRow = r;
    const b = new Int32Array(partCap);
    b.set(partBy);
    partBy = b;
    const q = new Float64Array(partCap);
    q.set(partQuantity);
    partQuantity = q;
    const c = new Float64Array(partCap);
    c.set(partConsumed);
    partConsumed = c;
  };

  const maxEntries = hours.length * cs.length;
  const entryHour = new Int32Array(maxEntries);
  const entryBy = new Int32Array(maxEntries);
  const entryCapacity = new Float64Array(maxEntries);
  const entryConsumed = new Float64Array(maxEntries);
  let entries = 0;
  const nc = cs.length;
  const capacity = new Float64Array(nc);
  const capacityC = new Float64Array(nc);
  const consumed = new Float64Array(nc);
  const consumedC = new Float64Array(nc);
  const unusedCost = new Float64Array(nc);
  const unusedCostC = new Float64Array(nc);

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
      const cap = c.capacity;
      const perUnit = c.amortizedHourlyCost / cap;
      const flexible = c.flexible;
      const target = flexible ? c.group : c.sku;
      const cSku = c.sku;
      const cType = c.rtype;
      const cRegion = c.region;
      const level = c.level;
      const cSub = c.sub;
      const cRg = c.rg;
      const members = c.subsInScope;
      let left = cap;
      for (let i = s; i < e && left > EPS; i++) {
        const q = rem[i];
        if (q <= 0) continue;
        if (flexible) {
          const g = group[i];
          if (g >= 0 ? g !== target : sku[i] !== cSku) continue;
        } else if (sku[i] !== target) continue;
        if (rtype[i] !== cType || region[i] !== cRegion) continue;
        if (level === 0) {
          if (sub[i] !== cSub || rg[i] !== cRg) continue;
        } else if (level === 1) {
          if (sub[i] !== cSub) continue;
        } else if (level === 2 && members![sub[i]] !== 1) continue;
        const rt = flexible ? ratio[i] : 1;
        const need = q * rt;
        const whole = need <= left;
        const units = whole ? need : left;
        const qty = whole ? q : left / rt;
        if (qty < EPS) continue;
        rem[i] = whole ? 0 : Math.max(0, q - qty);
        left = whole ? left - need : 0;
        if (parts === partCap) grow();
        partRow[parts] = i;
        partBy[parts] = k;
        partQuantity[parts] = qty;
        partConsumed[parts] = units;
        parts++;
        amortized[i] += units * perUnit;
      }
      const used = cap - Math.max(0, left);
      entryHour[entries] = h;
      entryBy[entries] = k;
      entryCapacity[entries] = cap;
      entryConsumed[entries] = used;
      entries++;
      addTo(capacity, capacityC, k, cap);
      addTo(consumed, consumedC, k, used);
      addTo(unusedCost, unusedCostC, k, c.amortizedHourlyCost - used * perUnit);
    }

    let m1 = -1;
    let m3 = -1;
    for (let p = 0; p < plans.length; p++) {
      const k = plans[p];
      const c = cs[k];
      if (h < c.startHour || h >= c.endHour) continue;
      const three = c.years === 3;
      const sp = three ? sp3 : sp1;
      // Ranked once per hour and term: a row's discount does not change as it gets covered.
      if (three && m3 < 0) m3 = rankByDiscount(s, e, rem, sp, payg, ranked3, scratch);
      if (!three && m1 < 0) m1 = rankByDiscount(s, e, rem, sp, payg, ranked1, scratch);
      const ranked = three ? ranked3 : ranked1;
      const m = three ? m3 : m1;
      const commitment = c.hourlyCommitment;
      let budget = commitment;
      for (let j = 0; j < m && budget > EPS; j++) {
        const i = ranked[j];
        const q = rem[i];
        if (q <= 0 || !inScope(c, u, i)) continue;
        const rate = sp[i];
        const cost = q * rate;
        const whole = cost <= budget;
        const spend = whole ? cost : budget;
        const qty = whole ? q : budget / rate;
        if (qty < EPS) continue;
        rem[i] = whole ? 0 : Math.max(0, q - qty);
        budget = whole ? budget - cost : 0;
        if (parts === partCap) grow();
        partRow[parts] = i;
        partBy[parts] = k;
        partQuantity[parts] = qty;
        partConsumed[parts] = spend;
        parts++;
        amortized[i] += spend;
      }
      const used = commitment - Math.max(0, budget);
      entryHour[entries] = h;
      entryBy[entries] = k;
      entryCapacity[entries] = commitment;
      entryConsumed[entries] = used;
      entries++;
      addTo(capacity, capacityC, k, commitment);
      addTo(consumed, consumedC, k, used);
      addTo(unusedCost, unusedCostC, k, commitment - used);
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
    parts,
    partRow,
    partBy,
    partQuantity,
    partConsumed,
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
