/**
 * An independent implementation of the benefit rules (`shared/spec/benefits.md`) as SQL on
 * DuckDB: the differential-testing oracle for `src/engine`, and the baseline of its benchmark.
 *
 * It shares no code with the engine. Where the engine walks an hour's rows one by one, this
 * states the same greedy fill as set arithmetic: a row's coverage by one commitment is
 * `clamp(capacity − Σ needs of the rows before it, 0, need)`, a running sum over the hour's
 * candidates in tie-break order (or discount order, for plans). Commitments interact only
 * through what they leave, so they run one after another: step k applies every customer's k-th
 * commitment in processing order, to all hours at once.
 */
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { loadCases, type OracleCase } from './duckdb-load.ts';

export type { OracleCase };

export interface OracleRow {
  customer: string;
  rowId: string;
  paygQuantity: number;
  actualCost: number;
  amortizedCost: number;
  /** Commitment id → covered quantity and consumed (units for reservations, currency for plans). */
  coverage: Map<string, { quantity: number; consumed: number }>;
}

export interface OracleCommitment {
  customer: string;
  id: string;
  capacity: number;
  consumed: number;
  unusedAmortizedCost: number;
}

export interface OracleHour {
  customer: string;
  id: string;
  hour: number;
  capacity: number;
  consumed: number;
}

export interface OracleTotals {
  rows: number;
  usageQuantity: number;
  coveredQuantity: number;
  paygQuantity: number;
  actualCost: number;
  amortizedCost: number;
  unusedAmortizedCost: number;
}

export class DuckOracle {
  private constructor(
    private readonly instance: DuckDBInstance,
    readonly db: DuckDBConnection,
  ) {}

  static async create(options: { path?: string; memoryLimit?: string; threads?: number } = {}) {
    const instance = await DuckDBInstance.create(options.path ?? ':memory:');
    const db = await instance.connect();
    if (options.memoryLimit) await db.run(`SET memory_limit = '${options.memoryLimit}'`);
    if (options.threads) await db.run(`SET threads = ${options.threads}`);
    await db.run('SET preserve_insertion_order = false');
    return new DuckOracle(instance, db);
  }

  /** Contract inputs, one customer each (test mode); the ratio table is read from `ratiosPath`. */
  async loadCases(cases: readonly OracleCase[], ratiosPath: string): Promise<void> {
    await loadCases(this.db, cases, ratiosPath);
  }

  private async run(sql: string): Promise<void> {
    await this.db.run(sql);
  }

  private async scalar(sql: string): Promise<number> {
    const rows = (await this.db.runAndReadAll(sql)).getRows();
    return Number(rows[0][0] ?? 0);
  }

  /** Applies every commitment; results land in tables `parts` and `live`. */
  async apply(): Promise<void> {
    await this.run(`
      CREATE OR REPLACE TABLE live AS
        SELECT rid, customer, hour, sub, rg, region, rtype, sku, grp, ratio, payg, sp1, sp3, qty AS remaining
        FROM u WHERE eligible AND qty > 0;
      CREATE OR REPLACE TABLE parts (rid BIGINT, hour BIGINT, cidx INTEGER, qty DOUBLE, consumed DOUBLE, amort DOUBLE);
    `);
    const steps = await this.scalar('SELECT coalesce(max(k), 0) FROM c');
    for (let k = 1; k <= steps; k++) {
      await this.run(`
        CREATE OR REPLACE TEMP TABLE step AS
        WITH cand AS (
          SELECT l.rid, l.hour, l.customer, l.remaining AS q, c.cidx, c.kind, c.cap, c.amort, c.commitment,
                 CASE WHEN c.kind = 1 THEN (CASE WHEN c.years = 3 THEN l.sp3 ELSE l.sp1 END)
                      WHEN c.flexible THEN l.ratio ELSE 1.0 END AS rate,
                 l.payg
          FROM c
          JOIN live l ON l.customer = c.customer
          LEFT JOIN mg ON c.level = 2 AND mg.customer = c.customer AND mg.mg = c.mg AND mg.sub = l.sub
          WHERE c.k = ${k} AND l.remaining > 0
            AND l.hour >= c.start_hour AND l.hour < c.end_hour
            AND (c.level = 3 OR (c.level = 0 AND l.sub = c.sub AND l.rg = c.rg)
                 OR (c.level = 1 AND l.sub = c.sub) OR (c.level = 2 AND mg.sub IS NOT NULL))
            AND (c.kind = 1 OR (l.rtype = c.rtype AND l.region = c.region AND
                 CASE WHEN NOT c.flexible THEN l.sku = c.sku
                      WHEN l.grp IS NOT NULL THEN l.grp = c.grp
                      ELSE l.sku = c.sku END))
        ),
        eligible AS (SELECT * FROM cand WHERE kind = 0 OR rate > 0),
        ranked AS (
          SELECT *, q * rate AS need,
                 CASE WHEN kind = 0 THEN 0
                      WHEN payg > 0 THEN round((1.0 - rate / payg) * 1e12::DOUBLE)
                      ELSE '-infinity'::DOUBLE END AS discount,
                 CASE WHEN kind = 0 THEN cap ELSE commitment END AS capacity
          FROM eligible
        ),
        filled AS (
          SELECT *, coalesce(sum(need) OVER (PARTITION BY customer, hour ORDER BY discount DESC, rid
                                             ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before
          FROM ranked
        )
        SELECT rid, hour, cidx, kind,
               CASE WHEN before + need <= capacity THEN q ELSE (capacity - before) / rate END AS qty,
               CASE WHEN before + need <= capacity THEN need ELSE capacity - before END AS consumed,
               CASE WHEN kind = 0 THEN amort / cap ELSE 1.0 END AS per_unit
        FROM filled WHERE before < capacity;

        INSERT INTO parts SELECT rid, hour, cidx, qty, consumed, consumed * per_unit FROM step WHERE qty >= 1e-12;
        UPDATE live SET remaining = greatest(live.remaining - step.qty, 0)
          FROM step WHERE live.rid = step.rid AND step.qty >= 1e-12;
      `);
    }
    await this.run(`
      CREATE OR REPLACE TABLE hour_use AS
        SELECT c.customer, c.cidx, c.id, c.kind, h.hour,
               CASE WHEN c.kind = 0 THEN c.cap ELSE c.commitment END AS capacity,
               coalesce(p.consumed, 0) AS consumed,
               CASE WHEN c.kind = 0 THEN c.amort / c.cap ELSE 1.0 END AS per_unit
        FROM c JOIN hrs h ON h.customer = c.customer AND h.hour >= c.start_hour AND h.hour < c.end_hour
        LEFT JOIN (SELECT cidx, hour, sum(consumed) AS consumed FROM parts GROUP BY cidx, hour) p
          ON p.cidx = c.cidx AND p.hour = h.hour;
      CREATE OR REPLACE TABLE row_cost AS
        SELECT u.customer, u.row_key, u.rid,
               CASE WHEN u.eligible AND u.qty > 0 THEN l.remaining ELSE u.qty END AS payg_qty,
               u.payg, coalesce(a.amort, 0) AS benefit_amort, coalesce(a.covered, 0) AS covered
        FROM u LEFT JOIN live l ON l.rid = u.rid
        LEFT JOIN (SELECT rid, sum(amort) AS amort, sum(qty) AS covered FROM parts GROUP BY rid) a ON a.rid = u.rid;
    `);
  }

  async rows(): Promise<OracleRow[]> {
    const reader = await this.db.runAndReadAll(`
      SELECT r.customer, r.row_key, r.payg_qty, r.payg_qty * r.payg, r.payg_qty * r.payg + r.benefit_amort,
             list(c.id ORDER BY p.cidx), list(p.qty ORDER BY p.cidx), list(p.consumed ORDER BY p.cidx)
      FROM row_cost r LEFT JOIN parts p ON p.rid = r.rid LEFT JOIN c ON c.cidx = p.cidx
      GROUP BY ALL`);
    return reader.getRowsJS().map((r) => {
      const ids = (r[5] as (string | null)[]) ?? [];
      const coverage = new Map<string, { quantity: number; consumed: number }>();
      ids.forEach((id, j) => {
        if (id === null) return;
        const prev = coverage.get(id) ?? { quantity: 0, consumed: 0 };
        prev.quantity += (r[6] as number[])[j];
        prev.consumed += (r[7] as number[])[j];
        coverage.set(id, prev);
      });
      return {
        customer: String(r[0]),
        rowId: String(r[1]),
        paygQuantity: Number(r[2]),
        actualCost: Number(r[3]),
        amortizedCost: Number(r[4]),
        coverage,
      };
    });
  }

  async commitments(): Promise<OracleCommitment[]> {
    const reader = await this.db.runAndReadAll(`
      SELECT c.customer, c.id, coalesce(sum(h.capacity), 0), coalesce(sum(h.consumed), 0),
             coalesce(sum((h.capacity - h.consumed) * h.per_unit), 0)
      FROM c LEFT JOIN hour_use h ON h.cidx = c.cidx GROUP BY c.customer, c.id`);
    return reader.getRowsJS().map((r) => ({
      customer: String(r[0]),
      id: String(r[1]),
      capacity: Number(r[2]),
      consumed: Number(r[3]),
      unusedAmortizedCost: Number(r[4]),
    }));
  }

  async hours(): Promise<OracleHour[]> {
    const reader = await this.db.runAndReadAll('SELECT customer, id, hour, capacity, consumed FROM hour_use');
    return reader.getRowsJS().map((r) => ({
      customer: String(r[0]),
      id: String(r[1]),
      hour: Number(r[2]),
      capacity: Number(r[3]),
      consumed: Number(r[4]),
    }));
  }

  async totals(): Promise<OracleTotals> {
    const reader = await this.db.runAndReadAll(`
      WITH unused AS (SELECT coalesce(sum((capacity - consumed) * per_unit), 0) AS cost FROM hour_use)
      SELECT count(*), sum(u.qty), sum(r.covered), sum(r.payg_qty), sum(r.payg_qty * r.payg),
             sum(r.payg_qty * r.payg + r.benefit_amort) + any_value(unused.cost), any_value(unused.cost)
      FROM row_cost r JOIN u ON u.rid = r.rid, unused`);
    const r = reader.getRowsJS()[0].map(Number);
    return {
      rows: r[0],
      usageQuantity: r[1],
      coveredQuantity: r[2],
      paygQuantity: r[3],
      actualCost: r[4],
      amortizedCost: r[5],
      unusedAmortizedCost: r[6],
    };
  }

  close(): void {
    this.db.closeSync();
    this.instance.closeSync();
  }
}
