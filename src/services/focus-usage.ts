import { DuckDBInstance } from '@duckdb/node-api';
import { savingsPlanHourly } from '../demo/prices.ts';
import {
  type FocusColumn,
  type FocusContext,
  type FocusVersion,
  focusColumns,
  focusRowToUsage,
  focusVersionOf,
} from '../domain/focus-usage.ts';
import type { RowPlace } from '../domain/usage-rows.ts';
import type { CsvRecord } from '../engine/csv.ts';
import { noneSkipped, type UsageRowSource } from './usage-import.ts';

/**
 * Readers of Azure's FOCUS cost export (FocusCost 1.0, 1.0r2, 1.2-preview) as CSV or Parquet,
 * turning each row into Mitra's usage rows with the pure mapping in src/domain/focus-usage.ts.
 */

/**
 * Savings plan rates come from the retail price list (FOCUS carries none): the rate of the VM
 * size in its region, as every other part of Mitra prices savings plans; a size or region the
 * list does not know has none, so no savings plan covers it.
 */
export function retailSavingsPlanRates(sku: string, region: string): { P1Y: string; P3Y: string } | null {
  try {
    return { P1Y: savingsPlanHourly(sku, region, 'P1Y'), P3Y: savingsPlanHourly(sku, region, 'P3Y') };
  } catch {
    return null;
  }
}

export const focusContext = (ledgerCurrency: string): FocusContext => ({
  ledgerCurrency,
  savingsPlanRates: retailSavingsPlanRates,
});

/** A FOCUS file's rows as cells under a header, from a CSV or a Parquet file. */
function focusSource(
  version: FocusVersion,
  header: readonly string[],
  records: AsyncIterable<{ place: RowPlace; cells: readonly (string | null)[] }>,
  ctx: FocusContext,
): UsageRowSource & { version: FocusVersion } {
  const index = Object.fromEntries(focusColumns.map((c) => [c, header.indexOf(c)])) as Record<
    FocusColumn,
    number
  >;
  const skipped = noneSkipped();
  return {
    version,
    columns: { customer: 'x_CustomerId', subscription: 'SubAccountId' },
    skipped,
    rows: (async function* () {
      for await (const { place, cells } of records) {
        if (cells.length === 1 && (cells[0] ?? '').trim() === '') continue;
        const get = (c: FocusColumn) => (index[c] >= 0 ? (cells[index[c]] ?? '').trim() : '');
        const outcome = focusRowToUsage(get, place, ctx);
        if (outcome.kind === 'skip') skipped[outcome.reason] += 1;
        else for (const row of outcome.rows) yield { place, row };
      }
    })(),
  };
}

/** A FocusCost CSV (already gunzipped), given its header and the records after it. */
export function focusCsvSource(header: CsvRecord, records: AsyncIterable<CsvRecord>, ctx: FocusContext) {
  const names = header.cells.map((h) => h.trim());
  return focusSource(
    focusVersionOf(names),
    names,
    (async function* () {
      for await (const { line, cells } of records)
        yield { place: { kind: 'Line' as const, at: line }, cells };
    })(),
    ctx,
  );
}

/**
 * A FocusCost Parquet file, read with DuckDB one chunk (a vector of rows) at a time, never whole. Every column is read as text in FOCUS's
 * own forms (timestamps as `2026-11-01T10:00:00Z` in UTC, decimals exactly), so CSV and Parquet
 * rows go through the same mapping. `close` frees DuckDB once the rows have been read.
 */
export async function focusParquetSource(path: string, ctx: FocusContext) {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const close = () => {
    connection.closeSync();
    instance.closeSync();
  };
  try {
    await connection.run("SET TimeZone = 'UTC'");
    const described = await connection.runAndReadAll('DESCRIBE SELECT * FROM read_parquet($1)', [path]);
    const columns = described
      .getRowObjectsJson()
      .map((c) => ({ name: String(c.column_name), type: String(c.column_type) }));
    // The version is the whole header's, not only the columns the mapping reads.
    const version = focusVersionOf(columns.map((c) => c.name));
    const wanted = columns.filter((c) => (focusColumns as readonly string[]).includes(c.name));
    const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;
    const select = wanted
      .map((c) =>
        c.type.startsWith('TIMESTAMP') || c.type === 'DATE'
          ? `strftime(${quoted(c.name)}, '%Y-%m-%dT%H:%M:%SZ')`
          : `CAST(${quoted(c.name)} AS VARCHAR)`,
      )
      .join(', ');
    const source = focusSource(
      version,
      wanted.map((c) => c.name),
      (async function* () {
        if (!wanted.length) return;
        const result = await connection.stream(`SELECT ${select} FROM read_parquet($1)`, [path]);
        let at = 0;
        for (;;) {
          const chunk = await result.fetchChunk();
          if (!chunk || chunk.rowCount === 0) break;
          for (const values of chunk.getRows()) {
            at += 1;
            yield {
              place: { kind: 'Row' as const, at },
              cells: values.map((v) => (v === null ? '' : String(v))),
            };
          }
        }
      })(),
      ctx,
    );
    return { ...source, close };
  } catch (error) {
    close();
    throw error;
  }
}
