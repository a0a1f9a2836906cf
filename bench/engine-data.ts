import type { CustomerBatch } from '../src/engine/columnar.ts';
import type { CustomerResult } from '../src/engine/core.ts';
import { generateCustomer } from '../src/engine/generate.ts';
import { Sum } from '../src/engine/output.ts';

/**
 * The benchmark's data set and the figures every implementation must agree on. A data set is
 * (seed, number of customers) of generated 30-day months; each run generates its customers one
 * at a time, so 100 million rows never sit in memory together.
 */
export const BENCH_SEED = 20250301;
export const HOURS = 720;

export interface EngineTotals {
  rows: number;
  usageQuantity: number;
  coveredQuantity: number;
  paygQuantity: number;
  actualCost: number;
  amortizedCost: number;
  unusedAmortizedCost: number;
}

/** How many customers make about `rows` usage rows (from the average of a sample). */
export function customersFor(rows: number): number {
  const sample = 40;
  let n = 0;
  for (let c = 0; c < sample; c++)
    n += generateCustomer({ seed: BENCH_SEED, hours: HOURS }, c).batch.usage.length;
  return Math.max(1, Math.round(rows / (n / sample)));
}

export const customerBatch = (index: number): CustomerBatch =>
  generateCustomer({ seed: BENCH_SEED, hours: HOURS }, index).batch;

export class TotalsSum {
  rows = 0;
  private readonly s = {
    usage: new Sum(),
    covered: new Sum(),
    payg: new Sum(),
    actual: new Sum(),
    amortized: new Sum(),
    unused: new Sum(),
  };

  add(batch: CustomerBatch, r: CustomerResult): void {
    const u = batch.usage;
    this.rows += u.length;
    for (let i = 0; i < u.length; i++) {
      this.s.usage.add(u.quantity[i]);
      this.s.payg.add(r.paygQuantity[i]);
      this.s.actual.add(r.actualCost[i]);
      this.s.amortized.add(r.amortizedCost[i]);
    }
    for (let j = 0; j < r.parts; j++) this.s.covered.add(r.partQuantity[j]);
    for (let k = 0; k < r.unusedCost.length; k++) {
      this.s.unused.add(r.unusedCost[k]);
      this.s.amortized.add(r.unusedCost[k]);
    }
  }

  merge(t: EngineTotals): void {
    this.rows += t.rows;
    this.s.usage.add(t.usageQuantity);
    this.s.covered.add(t.coveredQuantity);
    this.s.payg.add(t.paygQuantity);
    this.s.actual.add(t.actualCost);
    this.s.amortized.add(t.amortizedCost);
    this.s.unused.add(t.unusedAmortizedCost);
  }

  get value(): EngineTotals {
    return {
      rows: this.rows,
      usageQuantity: this.s.usage.value,
      coveredQuantity: this.s.covered.value,
      paygQuantity: this.s.payg.value,
      actualCost: this.s.actual.value,
      amortizedCost: this.s.amortized.value,
      unusedAmortizedCost: this.s.unused.value,
    };
  }
}

/** Largest relative difference between two sets of totals. */
export function totalsGap(a: EngineTotals, b: EngineTotals): number {
  let gap = a.rows === b.rows ? 0 : 1;
  for (const k of Object.keys(a) as (keyof EngineTotals)[]) {
    gap = Math.max(gap, Math.abs(a[k] - b[k]) / Math.max(1, Math.abs(a[k])));
  }
  return gap;
}
