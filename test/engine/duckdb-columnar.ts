import {
  DOUBLE,
  type DuckDBAppender,
  type DuckDBConnection,
  DuckDBDataChunk,
  INTEGER,
  UTINYINT,
} from '@duckdb/node-api';
import type { CustomerBatch } from '../../src/engine/columnar.ts';

/**
 * Loads generated columnar batches into the oracle's tables for the benchmark: typed arrays are
 * copied into DuckDB vectors 2,048 rows at a time, no per-value calls, so 100 million rows load
 * in seconds. Strings stay the generator's dictionary codes (equal codes, equal strings; codes
 * ordered like the strings), which is what the SQL compares and sorts.
 */
const USAGE_TYPES = [...Array(9).fill(INTEGER), ...Array(5).fill(DOUBLE), UTINYINT];
const HOUR_TYPES = [INTEGER, INTEGER];
const VECTOR = 2048;

type Items = { items: Int32Array | Float64Array | Uint8Array; flush(): void };

export class ColumnarLoader {
  private usage!: DuckDBAppender;
  private hours!: DuckDBAppender;
  private commitments!: DuckDBAppender;
  private mg!: DuckDBAppender;
  private rid = 0;
  private cidx = 0;
  rows = 0;

  constructor(private readonly db: DuckDBConnection) {}

  async init(): Promise<void> {
    await this.db.run(`
      CREATE OR REPLACE TABLE u_raw (customer INTEGER, rid INTEGER, hour INTEGER, sub INTEGER, rg INTEGER,
        region INTEGER, rtype INTEGER, sku INTEGER, grp INTEGER, ratio DOUBLE, qty DOUBLE, payg DOUBLE,
        sp1 DOUBLE, sp3 DOUBLE, eligible UTINYINT);
      CREATE OR REPLACE TABLE hrs (customer INTEGER, hour INTEGER);
      CREATE OR REPLACE TABLE c_raw (customer INTEGER, cidx INTEGER, id VARCHAR, kind INTEGER, level INTEGER,
        sub INTEGER, rg INTEGER, mg INTEGER, rtype INTEGER, region INTEGER, sku INTEGER, grp INTEGER,
        flexible BOOLEAN, cap DOUBLE, amort DOUBLE, years INTEGER, commitment DOUBLE,
        start_hour BIGINT, end_hour BIGINT, purchase_ms DOUBLE);
      CREATE OR REPLACE TABLE mg (customer INTEGER, mg INTEGER, sub INTEGER);
    `);
    this.usage = await this.db.createAppender('u_raw');
    this.hours = await this.db.createAppender('hrs');
    this.commitments = await this.db.createAppender('c_raw');
    this.mg = await this.db.createAppender('mg');
  }

  private chunks(
    types: typeof USAGE_TYPES,
    n: number,
    fill: (column: number, items: Items['items'], from: number, count: number) => void,
    to: DuckDBAppender,
  ) {
    for (let from = 0; from < n; from += VECTOR) {
      const count = Math.min(VECTOR, n - from);
      const chunk = DuckDBDataChunk.create(types, count);
      for (let col = 0; col < types.length; col++) {
        const vector = chunk.getColumnVector(col) as unknown as Items;
        fill(col, vector.items, from, count);
        vector.flush();
      }
      to.appendDataChunk(chunk);
    }
  }

  append(customer: number, batch: CustomerBatch): void {
    const u = batch.usage;
    const ridStart = this.rid;
    const columns = [
      u.hour,
      u.sub,
      u.rg,
      u.region,
      u.rtype,
      u.sku,
      u.group,
      u.ratio,
      u.quantity,
      u.payg,
      u.sp1,
      u.sp3,
      u.eligible,
    ];
    this.chunks(
      USAGE_TYPES,
      u.length,
      (col, items, from, count) => {
        if (col === 0) items.fill(customer);
        else if (col === 1) for (let i = 0; i < count; i++) items[i] = ridStart + from + i;
        else items.set(columns[col - 2].subarray(from, from + count));
      },
      this.usage,
    );
    this.chunks(
      HOUR_TYPES,
      batch.hours.length,
      (col, items, from, count) => {
        if (col === 0) items.fill(customer);
        else items.set(batch.hours.subarray(from, from + count));
      },
      this.hours,
    );
    for (const c of batch.commitments) {
      const cidx = this.cidx++;
      const a = this.commitments;
      for (const v of [customer, cidx]) a.appendInteger(v);
      a.appendVarchar(c.id);
      for (const v of [c.kind, c.level, c.sub, c.rg, cidx, c.rtype, c.region, c.sku, c.group])
        a.appendInteger(v);
      a.appendBoolean(c.flexible);
      for (const v of [c.capacity, c.amortizedHourlyCost]) a.appendDouble(v);
      a.appendInteger(c.years);
      a.appendDouble(c.hourlyCommitment);
      a.appendBigInt(BigInt(Number.isFinite(c.startHour) ? c.startHour : -1e9));
      a.appendBigInt(BigInt(Number.isFinite(c.endHour) ? c.endHour : 1e9));
      if (Number.isFinite(c.purchaseMs)) a.appendDouble(c.purchaseMs);
      else a.appendNull();
      a.endRow();
      c.subsInScope?.forEach((member, sub) => {
        if (!member) return;
        this.mg.appendInteger(customer);
        this.mg.appendInteger(cidx);
        this.mg.appendInteger(sub);
        this.mg.endRow();
      });
    }
    this.rid += u.length;
    this.rows += u.length;
  }

  /** Turns the generator's sentinels (-1, NaN) into SQL NULLs and numbers commitments per customer. */
  async finish(): Promise<void> {
    for (const a of [this.usage, this.hours, this.commitments, this.mg]) a.closeSync();
    await this.db.run(`
      CREATE OR REPLACE TABLE u AS
        SELECT customer, rid AS row_key, rid, hour, sub, rg, region, nullif(rtype, -1) AS rtype, sku,
               nullif(grp, -1) AS grp, CASE WHEN isnan(ratio) THEN NULL ELSE ratio END AS ratio, qty, payg,
               CASE WHEN isnan(sp1) THEN NULL ELSE sp1 END AS sp1, CASE WHEN isnan(sp3) THEN NULL ELSE sp3 END AS sp3,
               eligible = 1 AS eligible
        FROM u_raw;
      DROP TABLE u_raw;
      CREATE OR REPLACE TABLE c AS
        SELECT *, row_number() OVER (PARTITION BY customer
                                     ORDER BY kind, level, CASE WHEN kind = 1 THEN -years ELSE 0 END,
                                              purchase_ms NULLS FIRST, id) AS k
        FROM c_raw;
    `);
  }
}
