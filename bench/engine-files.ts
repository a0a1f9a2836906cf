import { spawn } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type BenchFiles, benchFiles } from './engine-files-data.ts';

/**
 * `mitra benefits apply` on files, end to end (`npm run bench -- engine-files`): a generated
 * multi-customer `usage.csv` in two orders (grouped by customer; by hour, as a cloud's export is)
 * and its `commitments.json`; each run is a separate process timed from its start to its exit,
 * results file written: `node bin/mitra.mjs benefits apply --usage … --commitments … --out …`
 * exactly as a user runs it, and the baseline in the same run, the SQL implementation on DuckDB
 * reading the same CSV and writing the same results with its own reader and writer
 * (`engine-files-duckdb.ts`). Peak memory is the child's maximum resident set size as the kernel
 * reports it to GNU time (`/usr/bin/time -f %M`). Sizes: `BENCH_ENGINE_FILES_SIZES=1e6,1e7`
 * (default 1e6); each measurement is the median of `BENCH_REPEAT` runs (default 3 up to 1M rows, else 1).
 */
const root = fileURLToPath(new URL('..', import.meta.url));
const output = join(root, 'bench', 'output');

interface Run {
  seconds: number;
  maxRssBytes: number;
}

function timed(args: string[]): Promise<Run> {
  const report = join(output, `time-${process.pid}.txt`);
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn('/usr/bin/time', ['-f', '%M', '-o', report, process.execPath, ...args], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = (performance.now() - start) / 1000;
      if (code !== 0) return reject(new Error(`${args.join(' ')} failed (exit ${code})`));
      const kb = Number(readFileSync(report, 'utf8').trim().split('\n').at(-1));
      rmSync(report, { force: true });
      resolve({ seconds, maxRssBytes: kb * 1024 });
    });
  });
}

async function median(times: number, run: () => Promise<Run>): Promise<Run> {
  const runs: Run[] = [];
  for (let i = 0; i < times; i++) runs.push(await run());
  runs.sort((a, b) => a.seconds - b.seconds);
  const mid = runs[Math.floor(runs.length / 2)];
  return { seconds: mid.seconds, maxRssBytes: Math.max(...runs.map((r) => r.maxRssBytes)) };
}

/** The baseline as one JavaScript file, so that its process, like mitra's, compiles nothing at start. */
async function bundleDuckdb(): Promise<string> {
  const { build } = await import('esbuild');
  const outfile = join(output, 'engine-files-duckdb.mjs');
  await build({
    entryPoints: [join(root, 'bench', 'engine-files-duckdb.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['@duckdb/node-api'],
    // ratio-file.ts finds the ratio table next to itself: keep its own address (as bin/benefits-apply.mjs does).
    define: {
      'import.meta.url': JSON.stringify(pathToFileURL(join(root, 'src', 'engine', 'ratio-file.ts')).href),
    },
    outfile,
    logLevel: 'warning',
  });
  return outfile;
}

/** Column sums of a results file, to check that both implementations say the same. */
async function sums(path: string): Promise<number[]> {
  const total = [0, 0, 0, 0, 0, 0];
  let first = true;
  for await (const line of createInterface({ input: createReadStream(path) })) {
    if (first || line === '') {
      first = false;
      continue;
    }
    const cells = line.split(',');
    const n = cells.length;
    total[0]++;
    for (let k = 1; k < 6; k++) total[k] += Number(cells[n - 6 + k] || 0);
  }
  return total;
}

function gap(a: number[], b: number[]): number {
  let g = 0;
  for (let k = 0; k < a.length; k++) g = Math.max(g, Math.abs(a[k] - b[k]) / Math.max(1, Math.abs(a[k])));
  return g;
}

/** Reads a file once so that the first measured run does not pay for the disk. */
async function warm(path: string): Promise<void> {
  for await (const _ of createReadStream(path, { highWaterMark: 1 << 22 }));
}

export async function engineFiles() {
  mkdirSync(output, { recursive: true });
  if (!existsSync('/usr/bin/time'))
    throw new Error('engine-files needs GNU time (/usr/bin/time) for peak memory');
  const sizes = (process.env.BENCH_ENGINE_FILES_SIZES ?? '1e6').split(',').map(Number);
  const duck = await bundleDuckdb();
  try {
    await measureAll(sizes, duck);
  } finally {
    rmSync(duck, { force: true });
  }
}

async function measureAll(sizes: number[], duck: string) {
  // The first start of the command builds its start-up bundle (docs/engine.md); not a measurement.
  await timed([join(root, 'bin', 'mitra.mjs'), 'benefits', 'apply', '--help']);
  const loadBefore = loadavg()[0].toFixed(2);
  const lines: string[] = [];
  for (const size of sizes) {
    const files: BenchFiles = await benchFiles(size);
    const repeat = Number(process.env.BENCH_REPEAT ?? (size <= 1e6 ? 3 : 1));
    const results: Record<string, number[]> = {};
    for (const [order, usage] of [
      ['grouped by customer', files.grouped],
      ['by hour', files.byHour],
    ] as const) {
      await warm(usage);
      const mitraOut = join(files.dir, `results-mitra-${order === 'by hour' ? 'hour' : 'grouped'}.csv`);
      const duckOut = join(files.dir, `results-duckdb-${order === 'by hour' ? 'hour' : 'grouped'}.csv`);
      const mitra = await median(repeat, () =>
        timed([
          join(root, 'bin', 'mitra.mjs'),
          'benefits',
          'apply',
          '--usage',
          usage,
          '--commitments',
          files.commitments,
          '--out',
          mitraOut,
        ]),
      );
      const duckdb = await median(repeat, () => timed([duck, usage, files.commitments, duckOut]));
      results[`mitra ${order}`] = await sums(mitraOut);
      results[`duckdb ${order}`] = await sums(duckOut);
      const g = gap(results[`mitra ${order}`], results[`duckdb ${order}`]);
      const row = (what: string, r: Run, ratio: string) =>
        `| ${(files.rows / 1e6).toFixed(2)} M (${files.customers} customers) | ${order} | ${what} | ${r.seconds.toFixed(2)} | ${(files.rows / r.seconds / 1e6).toFixed(2)} M | ${(r.maxRssBytes / 2 ** 30).toFixed(2)} GiB | ${ratio} |`;
      lines.push(row('DuckDB SQL (baseline)', duckdb, '1.0×'));
      lines.push(
        row(
          'mitra benefits apply',
          mitra,
          `${(duckdb.seconds / mitra.seconds).toFixed(1)}× faster (results gap ${g.toExponential(1)})`,
        ),
      );
      for (const p of [mitraOut, duckOut]) rmSync(p, { force: true });
    }
    const orders = gap(results['mitra grouped by customer'], results['mitra by hour']);
    lines.push(
      `| | | mitra: grouped vs by-hour column sums, largest relative gap | ${orders.toExponential(1)} | | | |`,
    );
  }
  const load = `1-minute load average ${loadBefore} before, ${loadavg()[0].toFixed(2)} after`;
  console.log(
    `\nengine-files — benefits apply on files, process start to results written (${availableParallelism()} cores, Node ${process.version}, ${load})\n`,
  );
  console.log('| usage rows | order | implementation | seconds | rows/s | peak RSS | vs DuckDB |');
  console.log('|---|---|---|---:|---:|---:|---|');
  for (const l of lines) console.log(l);
  console.log('');
}
