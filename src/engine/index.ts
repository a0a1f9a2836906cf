/**
 * Mitra's benefit engine: applies reservations and savings plans to hourly usage, exactly as
 * `shared/spec/benefits.md` says. Everything reachable from here is pure (no I/O); reading the
 * ratio table, files and the command line live in `ratio-file.ts`, `stream.ts` and `cli.ts`.
 */
import type { PreparedCustomer } from './builder.ts';
import { applyCustomer } from './core.ts';
import { BenefitInputError, RowFault } from './errors.ts';
import { type Applied, commitmentResults, coverageByRow, hourResults, rowResult } from './output.ts';
import { locateJsonRow, prepareInput } from './prepare.ts';
import type { RatioTable } from './ratios.ts';
import type { BenefitInput, BenefitOutput, RowResult } from './types.ts';

export { amortizedHourlyCost } from './amortize.ts';
export type { CommitmentSpec, CustomerBatch, UsageColumns } from './columnar.ts';
export { applyCustomer, type CustomerResult } from './core.ts';
export { BenefitInputError } from './errors.ts';
export { parseRatioTable, type RatioTable } from './ratios.ts';
export type * from './types.ts';

/** Runs the core on one prepared customer, naming the row when the core refuses one. */
export function applyPrepared(
  p: PreparedCustomer,
  locate: (source: number, rowId: string) => string = locateJsonRow,
): Applied {
  try {
    return { prepared: p, result: applyCustomer(p.batch) };
  } catch (error) {
    if (error instanceof RowFault) {
      throw new BenefitInputError(
        locate(p.source[error.row], p.rowIds[error.row]),
        error.field,
        error.problem,
      );
    }
    throw error;
  }
}

/**
 * The engine contract as a function: validates `input` (throwing {@link BenefitInputError} with
 * the field and row), applies every customer's commitments to that customer's usage, and returns
 * rows in input order, commitments in input order, and per-hour figures by hour.
 */
export function applyBenefits(input: BenefitInput | unknown, ratios: RatioTable): BenefitOutput {
  const applied = prepareInput(input, ratios).map((p) => applyPrepared(p));
  const rows: (RowResult | undefined)[] = [];
  for (const a of applied) {
    const coverage = coverageByRow(a);
    const { source } = a.prepared;
    for (let j = 0; j < source.length; j++) rows[source[j]] = rowResult(a, j, coverage[j]);
  }
  return {
    rows: rows.filter((r): r is RowResult => r !== undefined),
    commitments: commitmentResults(applied),
    perHour: hourResults(applied),
  };
}
