import { spawn } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { customersFor, totalsGap } from './engine-data.ts';
import type { RunResult } from './engine-run.ts';

/**
 * Benefit engine (`npm run bench -- engine`): for generated months of usage of 1M, 10M and 100M
 * rows (`BENCH_ENGINE_SIZES=1e6,1e7` to choose), rows per second of the engine on one core, of
 * the engine on two worker threads partitioned by customer, and of the SQL implementation on
 * DuckDB over the same rows, with each run's peak memory. Every run is a separate process.
 * `BENCH_PROGRESS=1` shows progress when standard error is not a terminal.
 */
const script = fileURLToPath(new URL('./engine-run.ts', import.meta.url));

function measure(mode: string, customers: number, estimate: number): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [...process.execArgv, script, mode, String(customers), String(estimate)],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    child.stdout.on('data', (b) => {
      out += b;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('RESULT '));
      if (code !== 0 || !line) reject(new Error(`${mode} run failed (exit ${code})`));
      else resolve(JSON.parse(line.slice(7)));
    });
  });
}

const rate = (rows: number, seconds: number) => `${(rows / seconds / 1e6).toFixed(1)} M`;
const gib = (bytes: number) => `${(bytes / 2 ** 30).toFixed(2)} GiB`;

export async function engine() {
  const sizes = (process.env.BENCH_ENGINE_SIZES ?? '1e6,1e7,1e8').split(',').map(Number);
  const rows: string[] = [];
  const walls: string[] = [];
  // Other work on the machine skews every column; the load average says whether there was any.
  const loadBefore = loadavg()[0].toFixed(2);
  for (const size of sizes) {
    const customers = customersFor(size);
    const single = await measure('single', customers, size);
    const dual = await measure('dual', customers, size);
    const duck = await measure('duckdb', customers, size);
    const gap = Math.max(totalsGap(single.totals, dual.totals), totalsGap(single.totals, duck.totals));
    const n = single.rows;
    rows.push(
      `| ${(n / 1e6).toFixed(2)} M (${customers} customers) | ${rate(n, single.applySeconds)} | ${rate(n, dual.applySeconds)} | ${rate(n, duck.applySeconds)} | ${(duck.applySeconds / single.applySeconds).toFixed(1)}× | ${gib(single.maxRssBytes)} | ${gib(dual.maxRssBytes)} | ${gib(duck.maxRssBytes)} | ${gap.toExponential(1)} |`,
    );
    walls.push(
      `| ${(n / 1e6).toFixed(2)} M | ${single.applySeconds.toFixed(2)} s / ${single.wallSeconds.toFixed(1)} s | ${dual.applySeconds.toFixed(2)} s / ${dual.wallSeconds.toFixed(1)} s | ${duck.applySeconds.toFixed(2)} s / ${duck.loadSeconds?.toFixed(1)} s / ${duck.wallSeconds.toFixed(1)} s |`,
    );
  }
  const load = `1-minute load average ${loadBefore} before, ${loadavg()[0].toFixed(2)} after`;
  console.log(
    `\nengine — benefit application (${availableParallelism()} cores, Node ${process.version}, ${load})\n`,
  );
  console.log(
    '| usage rows | engine, 1 core (rows/s) | engine, 2 worker threads (rows/s) | SQL on DuckDB, 2 threads (rows/s) | engine 1 core vs DuckDB | peak RSS engine 1 core | peak RSS engine 2 cores | peak RSS DuckDB | largest relative gap in totals |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) console.log(r);
  console.log('\nSeconds: apply / whole run (generating included); DuckDB: apply / load / whole run.\n');
  console.log('| usage rows | engine, 1 core | engine, 2 worker threads | SQL on DuckDB |');
  console.log('|---|---:|---:|---:|');
  for (const w of walls) console.log(w);
  console.log('');
}
