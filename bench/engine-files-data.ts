import { once } from 'node:events';
import {
  closeSync,
  createWriteStream,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { usageCsvLines } from '../src/engine/csv.ts';
import { generateCustomer } from '../src/engine/generate.ts';
import { customerRows } from '../src/engine/generate-objects.ts';
import type { CommitmentInput } from '../src/engine/types.ts';
import { BENCH_SEED, HOURS } from './engine-data.ts';

/**
 * The files of the end-to-end benchmark: generated customers (the engine benchmark's generator)
 * written as one `usage.csv` grouped by customer, the same rows ordered by hour as a cloud's
 * export is (hour, then customer), and `commitments.json`. Generating 10M rows takes minutes, so
 * the files are kept in the temporary folder and reused while their marker says they are complete.
 */
export interface BenchFiles {
  dir: string;
  rows: number;
  customers: number;
  grouped: string;
  byHour: string;
  commitments: string;
}

const DAY_HOURS = 24;

export async function benchFiles(target: number): Promise<BenchFiles> {
  const dir = join(tmpdir(), 'mitra-bench-engine-files', `${BENCH_SEED}-${target}`);
  const files = {
    dir,
    grouped: join(dir, 'usage-grouped.csv'),
    byHour: join(dir, 'usage-by-hour.csv'),
    commitments: join(dir, 'commitments.json'),
  };
  const marker = join(dir, 'complete.json');
  if (existsSync(marker)) return { ...files, ...JSON.parse(readFileSync(marker, 'utf8')) };
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });

  const grouped = createWriteStream(files.grouped, { highWaterMark: 1 << 22 });
  // The hour-ordered file is built through one temporary file per day: each gets every customer's
  // rows of that day, customer after customer, and is then sorted by hour (stably) and appended.
  const days = Math.ceil(HOURS / DAY_HOURS);
  const dayFds = Array.from({ length: days }, (_, d) => openSync(join(dir, `day-${d}.csv`), 'w'));
  const commitments: CommitmentInput[] = [];
  const managementGroups: Record<string, string[]> = {};
  let header = '';
  let rows = 0;
  let customers = 0;
  for (let c = 0; rows < target; c++) {
    const g = generateCustomer({ seed: BENCH_SEED, hours: HOURS }, c);
    const lines = usageCsvLines(customerRows(g, true));
    header = lines[0];
    const body = lines.slice(1);
    if (!grouped.write(`${(c === 0 ? lines : body).join('\n')}\n`)) await once(grouped, 'drain');
    const perDay: string[][] = Array.from({ length: days }, () => []);
    const first = g.fromHour;
    for (let i = 0; i < body.length; i++) {
      perDay[Math.floor((g.batch.usage.hour[i] - first) / DAY_HOURS)].push(body[i]);
    }
    perDay.forEach((list, d) => {
      if (list.length) writeSync(dayFds[d], `${list.join('\n')}\n`);
    });
    for (const x of g.commitments) commitments.push({ ...x, customer: g.name });
    Object.assign(managementGroups, g.managementGroups);
    rows += body.length;
    customers++;
  }
  grouped.end();
  await once(grouped, 'finish');
  for (const fd of dayFds) closeSync(fd);

  const hourColumn = header.split(',').indexOf('hour');
  const out = openSync(files.byHour, 'w');
  writeSync(out, `${header}\n`);
  for (let d = 0; d < days; d++) {
    const path = join(dir, `day-${d}.csv`);
    const lines = readFileSync(path, 'utf8').split('\n');
    lines.pop();
    const hourOf = (line: string) => line.split(',', hourColumn + 1)[hourColumn];
    // Timestamps of one format sort as text; Array.prototype.sort is stable, so customers keep their order.
    const keyed = lines.map((line, i) => ({ hour: hourOf(line), i }));
    keyed.sort((a, b) => (a.hour < b.hour ? -1 : a.hour > b.hour ? 1 : a.i - b.i));
    const sorted = keyed.map((k) => lines[k.i]);
    for (let i = 0; i < sorted.length; i += 50_000)
      writeSync(out, `${sorted.slice(i, i + 50_000).join('\n')}\n`);
    rmSync(path);
  }
  closeSync(out);
  writeFileSync(files.commitments, JSON.stringify({ context: { managementGroups }, commitments }));
  writeFileSync(marker, JSON.stringify({ rows, customers }));
  return { ...files, rows, customers };
}
