import { CompiledQuery } from 'kysely';
import type { Db } from './db.ts';

/**
 * Bulk loading with COPY: one statement carries thousands of rows as CSV, which PostgreSQL parses
 * far faster than the same rows as INSERT parameters. On PostgreSQL it is `COPY … FROM STDIN`
 * (pg-copy-streams); on PGlite the same statement reads the CSV from PGlite's `/dev/blob`. Both
 * drivers recognise the statement by its `CopyPayload` parameter (src/store/db.ts,
 * src/store/pglite-dialect.ts), so COPY runs inside whatever transaction `db` is.
 */
export class CopyPayload {
  constructor(readonly csv: string) {}
}

export const isCopy = (parameters: readonly unknown[]): parameters is [CopyPayload] =>
  parameters.length === 1 && parameters[0] instanceof CopyPayload;

export type CopyCell = string | number | boolean | Date | null | undefined;

/** A CSV cell as COPY reads it: unquoted empty is NULL, anything else quoted (so '' stays ''). */
function cell(value: CopyCell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (typeof value === 'number') return String(value);
  const text = value instanceof Date ? value.toISOString() : value;
  return `"${text.includes('"') ? text.replaceAll('"', '""') : text}"`;
}

const ROWS_PER_STATEMENT = 20_000;

/** Appends rows to `table` with COPY; `rows` hold the cells in `columns` order. */
export async function copyRows(db: Db, table: string, columns: readonly string[], rows: CopyCell[][]) {
  if (!/^[a-z_][a-z0-9_]*$/.test(table) || !columns.every((c) => /^[a-z_][a-z0-9_]*$/.test(c)))
    throw new Error(`copyRows: unsafe identifier in ${table}(${columns.join(', ')})`);
  const statement = `copy ${table} (${columns.join(', ')}) from stdin with (format csv)`;
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    let csv = '';
    const end = Math.min(rows.length, i + ROWS_PER_STATEMENT);
    for (let r = i; r < end; r++) {
      const row = rows[r];
      for (let c = 0; c < row.length; c++) csv += (c ? ',' : '') + cell(row[c]);
      csv += '\n';
    }
    await db.executeQuery(CompiledQuery.raw(statement, [new CopyPayload(csv)]));
  }
}
