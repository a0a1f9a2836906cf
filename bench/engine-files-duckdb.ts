/**
 * The baseline of the end-to-end benchmark: the SQL implementation of the benefit rules (the
 * differential test's oracle) on DuckDB, from files to file, as `mitra benefits apply` does it:
 *
 *   node engine-files-duckdb.mjs usage.csv commitments.json results.csv
 *
 * DuckDB reads `usage.csv` with its own CSV reader and writes `results.csv` (the contract's
 * columns, one line per row and coverage part, the row's figures on its first line) with its own
 * writer, with its default threads and memory limit. The benchmark bundles this file so that the
 * process starts as fast as the engine's (no TypeScript compiler at start).
 */
import { readFileSync } from 'node:fs';
import { ratiosPath } from '../src/engine/ratio-file.ts';
import type { CommitmentInput } from '../src/engine/types.ts';
import { loadFiles } from '../test/engine/duckdb-load.ts';
import { DuckOracle } from '../test/engine/duckdb-oracle.ts';

const [usagePath, commitmentsPath, outPath] = process.argv.slice(2);
const json = JSON.parse(readFileSync(commitmentsPath, 'utf8')) as {
  context?: { managementGroups?: Record<string, string[]> };
  commitments: CommitmentInput[];
};
const oracle = await DuckOracle.create();
try {
  await loadFiles(oracle.db, usagePath, json.commitments, json.context?.managementGroups ?? {}, ratiosPath());
  await oracle.apply();
  const quote = (s: string) => `'${s.replaceAll("'", "''")}'`;
  await oracle.db.run(`
    COPY (
      WITH p AS (
        SELECT p.rid, c.id, p.qty, CASE WHEN c.kind = 1 THEN p.consumed END AS consumed,
               row_number() OVER (PARTITION BY p.rid ORDER BY c.k) AS n
        FROM parts p JOIN c ON c.cidx = p.cidx WHERE p.qty >= 1e-12
      )
      SELECT r.row_key AS rowId, p.id AS by, p.qty AS quantity, p.consumed,
             CASE WHEN coalesce(p.n, 1) = 1 THEN r.payg_qty END AS paygQuantity,
             CASE WHEN coalesce(p.n, 1) = 1 THEN r.payg_qty * r.payg END AS actualCost,
             CASE WHEN coalesce(p.n, 1) = 1 THEN r.payg_qty * r.payg + r.benefit_amort END AS amortizedCost
      FROM row_cost r LEFT JOIN p ON p.rid = r.rid
    ) TO ${quote(outPath)} (HEADER, DELIMITER ',');
  `);
} finally {
  oracle.close();
}
