/**
 * One measurement of the engine benchmark, in a process of its own so that its peak memory is
 * its own: `tsx bench/engine-run.ts <single|dual|duckdb> <customers>`. Prints `RESULT {json}`.
 */
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { Progress } from '../src/engine/progress.ts';
import { ColumnarLoader } from '../test/engine/duckdb-columnar.ts';
import { DuckOracle } from '../test/engine/duckdb-oracle.ts';
import { customerBatch, type EngineTotals, TotalsSum } from './engine-data.ts';
import { runShare, type WorkerJob, type WorkerResult } from './engine-worker.ts';

export interface RunResult {
  mode: string;
  rows: number;
  /** Time in the implementation proper: `applyCustomer` calls, or the SQL statements. */
  applySeconds: number;
  /** Everything: generating (and for DuckDB loading) plus applying. */
  wallSeconds: number;
  loadSeconds?: number;
  maxRssBytes: number;
  totals: EngineTotals;
}

const WARMUP = 20;

function progressFor(label: string, total: number): Progress {
  return new Progress({
    stream: process.stderr,
    label,
    total,
    unit: ' rows',
    force: process.env.BENCH_PROGRESS === '1',
  });
}

/** A worker that runs TypeScript: tsx registers itself inside the thread first. */
function tsWorker(file: URL, workerData: unknown): Worker {
  const api = import.meta.resolve('tsx/esm/api');
  const code = `import { register } from ${JSON.stringify(api)}; register(); await import(${JSON.stringify(file.href)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(code)}`), { workerData });
}

async function dual(customers: number, estimate: number) {
  const progress = progressFor('engine, 2 cores', estimate);
  const parts = 2;
  const results = await Promise.all(
    Array.from({ length: parts }, (_, part) => {
      const job: WorkerJob = { customers, part, parts, warmup: WARMUP };
      const worker = tsWorker(new URL('./engine-worker.ts', import.meta.url), job);
      return new Promise<WorkerResult>((resolve, reject) => {
        worker.on('message', (m: { rows?: number; done?: WorkerResult }) => {
          if (m.rows) progress.add(m.rows);
          if (m.done) {
            resolve(m.done);
            void worker.terminate();
          }
        });
        worker.on('error', reject);
      });
    }),
  );
  progress.finish();
  const totals = new TotalsSum();
  for (const r of results) totals.merge(r.totals);
  // Both threads apply at the same time: the engine's share of the wall clock is the slower one.
  return { totals: totals.value, applySeconds: Math.max(...results.map((r) => r.applySeconds)) };
}

/**
 * The SQL implementation over the same customers, in partitions of about `BENCH_DUCKDB_ROWS`
 * rows (default 10M): customers are independent, so SQL may stream them too, as the engine
 * does, which keeps DuckDB in memory instead of spilling a 100M-row working set to disk.
 */
async function duckdb(customers: number, estimate: number) {
  const perPartition = Math.max(
    1,
    Math.round((customers * Number(process.env.BENCH_DUCKDB_ROWS ?? 1e7)) / Math.max(1, estimate)),
  );
  // A database file (DuckDB compresses what it stores) measured faster than an in-memory one.
  const path = join(tmpdir(), `mitra-engine-bench-${process.pid}.duckdb`);
  const db = await DuckOracle.create({
    path,
    memoryLimit: process.env.BENCH_DUCKDB_MEMORY ?? '6GB',
    threads: 2,
  });
  const progress = progressFor('DuckDB', estimate);
  const totals = new TotalsSum();
  let load = 0;
  let apply = 0;
  try {
    for (let first = 0; first < customers; first += perPartition) {
      const t0 = performance.now();
      const loader = new ColumnarLoader(db.db);
      await loader.init();
      for (let c = first; c < Math.min(customers, first + perPartition); c++)
        loader.append(c, customerBatch(c));
      await loader.finish();
      const t1 = performance.now();
      await db.apply();
      const t2 = performance.now();
      totals.merge({ ...(await db.totals()), rows: loader.rows });
      load += t1 - t0;
      apply += t2 - t1;
      progress.add(loader.rows);
      if (process.env.BENCH_DEBUG)
        console.error(
          `partition ${first}: ${loader.rows} rows, load ${((t1 - t0) / 1000).toFixed(1)} s, apply ${((t2 - t1) / 1000).toFixed(1)} s`,
        );
    }
  } finally {
    progress.finish();
    db.close();
    rmSync(path, { force: true });
    rmSync(`${path}.wal`, { force: true });
  }
  return { totals: totals.value, applySeconds: apply / 1000, loadSeconds: load / 1000 };
}

async function main() {
  const [mode, customersArg, estimateArg] = process.argv.slice(2);
  const customers = Number(customersArg);
  const estimate = Number(estimateArg ?? 0);
  const start = performance.now();
  let r: { totals: EngineTotals; applySeconds: number; loadSeconds?: number };
  if (mode === 'single') {
    const progress = progressFor('engine, 1 core', estimate);
    r = runShare({ customers, part: 0, parts: 1, warmup: WARMUP }, (rows) => progress.add(rows));
    progress.finish();
  } else if (mode === 'dual') {
    r = await dual(customers, estimate);
  } else if (mode === 'duckdb') {
    r = await duckdb(customers, estimate);
  } else {
    throw new Error(`unknown mode ${mode}`);
  }
  const result: RunResult = {
    mode,
    rows: r.totals.rows,
    applySeconds: r.applySeconds,
    wallSeconds: (performance.now() - start) / 1000,
    loadSeconds: r.loadSeconds,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    totals: r.totals,
  };
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
}

if (process.argv[1]?.endsWith('engine-run.ts')) await main();
