import type { CommitmentSpec, UsageColumns } from './columnar.ts';

/**
 * The hot loops: one commitment filling itself from one hour's rows. Small functions called
 * once per (hour, commitment), so the JIT optimizes them within the first customer; no
 * allocation per row, only typed-array reads and writes.
 */

/** Coverage parts below this are dropped; capacity left below it counts as spent. */
export const EPS = 1e-12;

/** Coverage parts, appended in application order; grows by doubling. */
export class Parts {
  count = 0;
  row: Int32Array;
  by: Int32Array;
  quantity: Float64Array;
  /** Reservations: normalized units; savings plans: commitment spent. */
  consumed: Float64Array;

  constructor(capacity: number) {
    this.row = new Int32Array(capacity);
    this.by = new Int32Array(capacity);
    this.quantity = new Float64Array(capacity);
    this.consumed = new Float64Array(capacity);
  }

  push(row: number, by: number, quantity: number, consumed: number): void {
    if (this.count === this.row.length) this.grow();
    const j = this.count++;
    this.row[j] = row;
    this.by[j] = by;
    this.quantity[j] = quantity;
    this.consumed[j] = consumed;
  }

  private grow(): void {
    const size = this.row.length * 2;
    const row = new Int32Array(size);
    row.set(this.row);
    this.row = row;
    const by = new Int32Array(size);
    by.set(this.by);
    this.by = by;
    const quantity = new Float64Array(size);
    quantity.set(this.quantity);
    this.quantity = quantity;
    const consumed = new Float64Array(size);
    consumed.set(this.consumed);
    this.consumed = consumed;
  }
}

/**
 * Reservation `c` (index `k`) takes matching rows of [s, e) in tie-break order: a row of ratio r
 * and remaining quantity q needs q·r units; when fewer are left it is covered for left/r and the
 * rest moves on. Returns the units consumed.
 */
export function fillReservation(
  c: CommitmentSpec,
  k: number,
  u: UsageColumns,
  s: number,
  e: number,
  rem: Float64Array,
  amortized: Float64Array,
  parts: Parts,
): number {
  const { group, sku, rtype, region, sub, rg, ratio } = u;
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
      // A row whose group nobody names can still be the reserved SKU itself.
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
    parts.push(i, k, qty, units);
    amortized[i] += units * perUnit;
  }
  return cap - Math.max(0, left);
}

/**
 * Savings plan `c` takes the hour's ranked rows (largest discount first) that are in its scope,
 * each at rate × quantity, until its hourly commitment is spent; the row that does not fit is
 * covered for remaining/rate. Returns the commitment consumed.
 */
export function fillPlan(
  c: CommitmentSpec,
  k: number,
  u: UsageColumns,
  ranked: Int32Array,
  m: number,
  sp: Float64Array,
  rem: Float64Array,
  amortized: Float64Array,
  parts: Parts,
): number {
  const { sub, rg } = u;
  const level = c.level;
  const cSub = c.sub;
  const cRg = c.rg;
  const members = c.subsInScope;
  const commitment = c.hourlyCommitment;
  let budget = commitment;
  for (let j = 0; j < m && budget > EPS; j++) {
    const i = ranked[j];
    const q = rem[i];
    if (q <= 0) continue;
    if (level === 0) {
      if (sub[i] !== cSub || rg[i] !== cRg) continue;
    } else if (level === 1) {
      if (sub[i] !== cSub) continue;
    } else if (level === 2 && members![sub[i]] !== 1) continue;
    const rate = sp[i];
    const cost = q * rate;
    const whole = cost <= budget;
    const spend = whole ? cost : budget;
    const qty = whole ? q : budget / rate;
    if (qty < EPS) continue;
    rem[i] = whole ? 0 : Math.max(0, q - qty);
    budget = whole ? budget - cost : 0;
    parts.push(i, k, qty, spend);
    amortized[i] += spend;
  }
  return commitment - Math.max(0, budget);
}
