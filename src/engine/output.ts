import type { PreparedCustomer } from './builder.ts';
import type { CustomerBatch } from './columnar.ts';
import type { CustomerResult } from './core.ts';
import { hourIso } from './time.ts';
import type { CommitmentResult, CoveragePart, HourResult, RowResult, Totals } from './types.ts';

/**
 * Numbers leave the engine rounded to 12 decimals (15 significant digits from 1000 up), dust
 * below 1e-12 shown as 0: binary floating point otherwise prints 0.30000000000000004 for 0.3.
 * Both stay far inside the contract's 1e-9 of exact decimal arithmetic.
 */
export function tidy(x: number): number {
  const a = Math.abs(x);
  if (a < 1e-12) return 0;
  // Below 1000, rounding to 12 decimals is exact integer arithmetic and far cheaper than text.
  if (a < 1000) return Math.round(x * 1e12) / 1e12;
  return Number(x.toPrecision(15));
}

/** Neumaier-compensated running sum, for totals over millions of rows. */
export class Sum {
  private s = 0;
  private c = 0;
  add(x: number): void {
    const t = this.s + x;
    this.c += Math.abs(this.s) >= Math.abs(x) ? this.s - t + x : x - t + this.s;
    this.s = t;
  }
  get value(): number {
    return this.s + this.c;
  }
  /** The running sum and its compensation: what another thread's sum sends to be merged. */
  get state(): [number, number] {
    return [this.s, this.c];
  }
  merge([s, c]: readonly [number, number]): void {
    this.add(s);
    this.c += c;
  }
}

export interface Applied {
  prepared: PreparedCustomer;
  result: CustomerResult;
}

/** What totals and commitment figures need: the batch and its result (JSON and CSV edges alike). */
export interface AppliedBatch {
  prepared: { batch: CustomerBatch };
  result: CustomerResult;
}

/** Coverage parts per batch row, in application order. */
export function coverageByRow(a: Applied): (CoveragePart[] | undefined)[] {
  const { result: r, prepared: p } = a;
  const parts = new Array<CoveragePart[] | undefined>(p.batch.usage.length);
  for (let j = 0; j < r.parts; j++) {
    const c = p.batch.commitments[r.partBy[j]];
    const part: CoveragePart = { by: c.id, quantity: tidy(r.partQuantity[j]) };
    if (c.kind !== 0) part.consumed = tidy(r.partConsumed[j]);
    const row = r.partRow[j];
    const list = parts[row];
    if (list) list.push(part);
    else parts[row] = [part];
  }
  return parts;
}

export function rowResult(a: Applied, row: number, coverage: CoveragePart[] | undefined): RowResult {
  const r = a.result;
  return {
    rowId: a.prepared.rowIds[row],
    coverage: coverage ?? [],
    paygQuantity: tidy(r.paygQuantity[row]),
    actualCost: tidy(r.actualCost[row]),
    amortizedCost: tidy(r.amortizedCost[row]),
  };
}

export function commitmentResult(a: AppliedBatch, k: number): CommitmentResult {
  const r = a.result;
  const capacity = r.capacity[k];
  const consumed = r.consumed[k];
  return {
    id: a.prepared.batch.commitments[k].id,
    utilizationPct: capacity > 0 ? tidy((100 * consumed) / capacity) : null,
    consumed: tidy(consumed),
    unused: tidy(capacity - consumed),
    unusedAmortizedCost: tidy(r.unusedCost[k]),
  };
}

/** Commitments in input order across customers. */
export function commitmentResults(applied: readonly Applied[]): CommitmentResult[] {
  const out: { index: number; result: CommitmentResult }[] = [];
  for (const a of applied) {
    a.prepared.commitments.forEach((c, k) => {
      out.push({ index: c.index, result: commitmentResult(a, k) });
    });
  }
  return out.sort((x, y) => x.index - y.index).map((x) => x.result);
}

/** By hour, then by the commitments' input order. */
export function hourResults(applied: readonly Applied[]): HourResult[] {
  const out: { hour: number; index: number; result: HourResult }[] = [];
  for (const a of applied) {
    const r = a.result;
    for (let j = 0; j < r.entries; j++) {
      const k = r.entryBy[j];
      const capacity = r.entryCapacity[j];
      const consumed = r.entryConsumed[j];
      out.push({
        hour: r.entryHour[j],
        index: a.prepared.commitments[k].index,
        result: {
          hour: hourIso(r.entryHour[j]),
          id: a.prepared.batch.commitments[k].id,
          capacity: tidy(capacity),
          consumed: tidy(consumed),
          unused: tidy(capacity - consumed),
          utilizationPct: tidy((100 * consumed) / capacity),
        },
      });
    }
  }
  return out.sort((x, y) => x.hour - y.hour || x.index - y.index).map((x) => x.result);
}

export class TotalsAccumulator {
  private readonly usage = new Sum();
  private readonly covered = new Sum();
  private readonly payg = new Sum();
  private readonly actual = new Sum();
  private readonly amortized = new Sum();
  private readonly unused = new Sum();

  add(a: AppliedBatch): void {
    const u = a.prepared.batch.usage;
    const r = a.result;
    for (let i = 0; i < u.length; i++) {
      this.usage.add(u.quantity[i]);
      this.payg.add(r.paygQuantity[i]);
      this.actual.add(r.actualCost[i]);
      this.amortized.add(r.amortizedCost[i]);
    }
    for (let j = 0; j < r.parts; j++) this.covered.add(r.partQuantity[j]);
    for (let k = 0; k < r.unusedCost.length; k++) {
      this.unused.add(r.unusedCost[k]);
      this.amortized.add(r.unusedCost[k]);
    }
  }

  private get sums(): Sum[] {
    return [this.usage, this.covered, this.payg, this.actual, this.amortized, this.unused];
  }

  /** Plain numbers, to cross from a worker thread. */
  get state(): [number, number][] {
    return this.sums.map((s) => s.state);
  }

  merge(state: readonly (readonly [number, number])[]): void {
    this.sums.forEach((s, k) => {
      s.merge(state[k]);
    });
  }

  get totals(): Totals {
    return {
      usageQuantity: tidy(this.usage.value),
      coveredQuantity: tidy(this.covered.value),
      paygQuantity: tidy(this.payg.value),
      actualCost: tidy(this.actual.value),
      amortizedCost: tidy(this.amortized.value),
      unusedAmortizedCost: tidy(this.unused.value),
    };
  }
}
