import type { BenefitOutput } from '../../src/engine/types.ts';
import type { OracleCommitment, OracleHour, OracleRow } from './duckdb-oracle.ts';

/** Within 1e-9, relative once values exceed 1. */
export const close = (a: number, b: number, tolerance = 1e-9): boolean =>
  Math.abs(a - b) <= tolerance * Math.max(1, Math.abs(a), Math.abs(b));

/**
 * Differences between the engine's output for one customer and the oracle's; empty when they
 * agree. Coverage is compared per (row, commitment), so a sliver below 1e-12 that one side drops
 * and the other keeps cannot fail the comparison on its own.
 */
export function differences(
  out: BenefitOutput,
  rows: readonly OracleRow[],
  commitments: readonly OracleCommitment[],
  hours: readonly OracleHour[],
): string[] {
  const diffs: string[] = [];
  const check = (what: string, a: number, b: number) => {
    if (!close(a, b)) diffs.push(`${what}: engine ${a}, oracle ${b}`);
  };
  const oracleRows = new Map(rows.map((r) => [r.rowId, r]));
  if (rows.length !== out.rows.length)
    diffs.push(`row count: engine ${out.rows.length}, oracle ${rows.length}`);
  for (const row of out.rows) {
    const o = oracleRows.get(row.rowId);
    if (!o) {
      diffs.push(`row ${row.rowId}: missing in oracle`);
      continue;
    }
    check(`${row.rowId}.paygQuantity`, row.paygQuantity, o.paygQuantity);
    check(`${row.rowId}.actualCost`, row.actualCost, o.actualCost);
    check(`${row.rowId}.amortizedCost`, row.amortizedCost, o.amortizedCost);
    const ids = new Set([...o.coverage.keys(), ...row.coverage.map((p) => p.by)]);
    for (const id of ids) {
      const mine = row.coverage.filter((p) => p.by === id);
      const theirs = o.coverage.get(id) ?? { quantity: 0, consumed: 0 };
      check(`${row.rowId}.coverage[${id}].quantity`, sum(mine.map((p) => p.quantity)), theirs.quantity);
      if (mine.some((p) => p.consumed !== undefined)) {
        check(
          `${row.rowId}.coverage[${id}].consumed`,
          sum(mine.map((p) => p.consumed ?? 0)),
          theirs.consumed,
        );
      }
    }
  }
  const oracleCommitments = new Map(commitments.map((c) => [c.id, c]));
  for (const c of out.commitments) {
    const o = oracleCommitments.get(c.id);
    if (!o) {
      diffs.push(`commitment ${c.id}: missing in oracle`);
      continue;
    }
    check(`${c.id}.consumed`, c.consumed, o.consumed);
    check(`${c.id}.capacity`, c.consumed + c.unused, o.capacity);
    check(`${c.id}.unusedAmortizedCost`, c.unusedAmortizedCost, o.unusedAmortizedCost);
    if ((c.utilizationPct === null) !== (o.capacity === 0))
      diffs.push(`${c.id}.utilizationPct: ${c.utilizationPct}`);
  }
  const oracleHours = new Map(hours.map((h) => [`${h.id}@${h.hour}`, h]));
  if (hours.length !== out.perHour.length) {
    diffs.push(`perHour count: engine ${out.perHour.length}, oracle ${hours.length}`);
  }
  for (const h of out.perHour) {
    const key = `${h.id}@${Date.parse(h.hour) / 3_600_000}`;
    const o = oracleHours.get(key);
    if (!o) {
      diffs.push(`perHour ${key}: missing in oracle`);
      continue;
    }
    check(`perHour ${key}.capacity`, h.capacity, o.capacity);
    check(`perHour ${key}.consumed`, h.consumed, o.consumed);
  }
  return diffs;
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
