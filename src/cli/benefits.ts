import { createReadStream } from 'node:fs';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { MitraError } from '../domain/errors.ts';
import { Progress } from '../engine/progress.ts';
import { drainBenefitRuns, enqueueBenefitRuns } from '../jobs/benefit-jobs.ts';
import type { enginePool } from '../jobs/engine-pool.ts';
import { queueCounts } from '../jobs/queue.ts';
import { importUsageCsv } from '../services/usage-import.ts';
import type { Db } from '../store/db.ts';
import { usageGenerate } from './usage-generate.ts';

type PoolFactory = typeof enginePool;

function day(value: string | undefined, name: string): Date {
  const d = new Date(`${value ?? ''}T00:00:00Z`);
  if (!value || Number.isNaN(d.getTime())) throw new Error(`--${name} must be a date such as 2026-11-01`);
  return d;
}

/** `mitra benefits run`: queue one job per customer for the period, then drain them here. */
export async function benefitCommand(db: Db, args: string[], pool: PoolFactory): Promise<number> {
  if (args[0] !== 'run') {
    console.error(
      'usage: mitra benefits run --from YYYY-MM-DD --to YYYY-MM-DD [--customer ID] [--threads N]  |  mitra benefits apply [FILE]',
    );
    return 2;
  }
  const { values } = parseArgs({
    args: args.slice(1),
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      customer: { type: 'string', multiple: true },
      threads: { type: 'string' },
    },
  });
  const period = { from: day(values.from, 'from'), to: day(values.to, 'to') };
  if (period.to <= period.from) throw new Error('--to must be after --from');
  const threads = Number(values.threads ?? availableParallelism());
  const ids = await enqueueBenefitRuns(db, period, { customerIds: values.customer });
  const progress = new Progress({
    stream: process.stderr,
    label: 'benefits',
    total: ids.length,
    unit: 'customers',
  });
  const engine = pool(threads);
  try {
    let rows = 0;
    // Twice as many customers in flight as threads: one is read or written while another computes.
    await drainBenefitRuns(db, engine.apply, {
      concurrency: threads * 2,
      onDone: (_c, n) => {
        rows += n;
        progress.add(1);
      },
    });
    progress.finish();
    const counts = await queueCounts(db, 'benefits.run');
    console.log(
      `Applied benefits for ${ids.length} customer(s), ${rows} usage rows, ${period.from.toISOString().slice(0, 10)} to ${period.to.toISOString().slice(0, 10)}; queue: ${JSON.stringify(counts)}`,
    );
    return counts.failed ? 1 : 0;
  } finally {
    await engine.close();
  }
}

/** `mitra worker`: a long-running drainer of queued benefit runs, one of any number. */
export async function workerCommand(db: Db, args: string[], pool: PoolFactory): Promise<number> {
  const { values } = parseArgs({ args, options: { threads: { type: 'string' } } });
  const threads = Number(values.threads ?? availableParallelism());
  const engine = pool(threads);
  const stop = new AbortController();
  process.once('SIGINT', () => stop.abort());
  process.once('SIGTERM', () => stop.abort());
  console.log(`mitra worker: draining benefit runs with ${threads} engine thread(s); Ctrl-C stops.`);
  try {
    await drainBenefitRuns(db, engine.apply, {
      concurrency: threads * 2,
      follow: true,
      signal: stop.signal,
      onDone: (c, n) => console.log(`customer ${c}: ${n} usage rows`),
    });
    return 0;
  } finally {
    await engine.close();
  }
}

/** `mitra usage import FILE`: all or nothing, then queues re-runs of the affected periods. */
export async function usageCommand(db: Db, args: string[]): Promise<number> {
  if (args[0] === 'generate') return usageGenerate(db, args.slice(1));
  if (args[0] !== 'import' || !args[1]) {
    console.error(
      'usage: mitra usage import FILE.csv  |  mitra usage generate [--days N] [--seed N] [--out FILE.csv]',
    );
    return 2;
  }
  try {
    const result = await importUsageCsv(db, createReadStream(args[1]));
    // Whole UTC days: a run replaces its days' results (and daily utilisation) exactly.
    const dayMs = 86_400_000;
    for (const c of result.customers) {
      const from = new Date(Math.floor(c.from.getTime() / dayMs) * dayMs);
      const to = new Date(Math.ceil(c.to.getTime() / dayMs) * dayMs);
      await enqueueBenefitRuns(db, { from, to }, { customerIds: [c.customerId] });
    }
    console.log(
      `Imported ${result.rows} usage rows for ${result.customers.length} customer(s); benefit runs queued for the affected hours (run \`mitra worker\` or \`mitra benefits run\`).`,
    );
    return 0;
  } catch (error) {
    if (error instanceof MitraError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  }
}
