import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { BenefitRunBatch, BenefitRunProgress, UsageImported } from '../api/cli/schemas.ts';
import { Progress } from '../engine/progress.ts';
import { drainBenefitRuns } from '../jobs/benefit-jobs.ts';
import { startEmailDelivery } from '../jobs/email-delivery.ts';
import { enginePool } from '../jobs/engine-pool.ts';
import { queueCounts } from '../jobs/queue.ts';
import { startWebhookWorker } from '../jobs/webhook-delivery.ts';
import { requestBenefitRuns } from '../services/benefit-run-requests.ts';
import { importUsage } from '../services/operator-usage.ts';
import type { Config } from './config.ts';
import { runAgainstDatabaseOrServer } from './database-or-server.ts';
import type { ServerClient } from './server-client.ts';

function day(value: string | undefined, name: string): Date {
  const d = new Date(`${value ?? ''}T00:00:00Z`);
  if (!value || Number.isNaN(d.getTime())) throw new Error(`--${name} must be a date such as 2026-11-01`);
  return d;
}

const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/**
 * `mitra benefits run`: queue one job per customer for the period, then drain them here — or,
 * beside the embedded server, let the server's benefit worker drain them and follow its progress.
 */
export async function benefitCommand(config: Config, args: string[]): Promise<number> {
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
  const done = (customers: number, rows: number, counts: object) =>
    console.log(
      `Applied benefits for ${customers} customer(s), ${rows} usage rows, ${isoDay(period.from)} to ${isoDay(period.to)}; queue: ${JSON.stringify(counts)}`,
    );
  return runAgainstDatabaseOrServer(config, 'benefits run', {
    direct: async (db, call) => {
      const batch = await requestBenefitRuns(db, call, period, values.customer);
      const progress = new Progress({
        stream: process.stderr,
        label: 'benefits',
        total: batch.customers,
        unit: 'customers',
      });
      const engine = enginePool(threads);
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
        done(batch.customers, rows, counts);
        return counts.failed ? 1 : 0;
      } finally {
        await engine.close();
      }
    },
    viaServer: async (server) => {
      const batch = await server.post(
        '/api/cli/benefit-runs',
        { from: isoDay(period.from), to: isoDay(period.to), customerIds: values.customer },
        BenefitRunBatch,
      );
      if (!server.status?.benefitWorker) {
        console.log(
          `Queued benefit runs for ${batch.customers} customer(s); this server applies none itself, so run \`mitra worker\` where it can reach the database.`,
        );
        return 0;
      }
      if (values.threads)
        console.error(
          `(--threads is the server's: it applies benefits with ${server.status?.benefitWorker?.threads} thread(s).)`,
        );
      const result = await followBatch(server, batch);
      done(batch.customers, result.usageRows ?? 0, { done: result.done, failed: result.failed });
      for (const e of result.errors) console.error(`failed: ${e}`);
      return result.failed ? 1 : 0;
    },
  });
}

/** Polls the batch's status address until nothing of it is left to run. */
async function followBatch(server: ServerClient, batch: BenefitRunBatch): Promise<BenefitRunProgress> {
  const empty = { total: 0, queued: 0, running: 0, done: 0, failed: 0, errors: [], usageRows: 0 };
  if (batch.customers === 0) return empty;
  const progress = new Progress({
    stream: process.stderr,
    label: 'benefits',
    total: batch.customers,
    unit: 'customers',
  });
  const path = `/api/cli/benefit-runs/${batch.batch}?firstJob=${batch.firstJob}&lastJob=${batch.lastJob}`;
  for (;;) {
    const now = await server.get(path, BenefitRunProgress);
    progress.set(now.done + now.failed);
    if (now.queued + now.running === 0) {
      progress.finish();
      return now;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** `mitra worker`: a long-running drainer of queued benefit runs, one of any number. */
export async function workerCommand(config: Config, args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { threads: { type: 'string' } } });
  const threads = Number(values.threads ?? availableParallelism());
  return runAgainstDatabaseOrServer(config, 'worker', {
    direct: async (db) => {
      const engine = enginePool(threads);
      const stop = new AbortController();
      process.once('SIGINT', () => stop.abort());
      process.once('SIGTERM', () => stop.abort());
      console.log(
        `mitra worker: draining benefit runs with ${threads} engine thread(s), sending webhook deliveries and e-mail; Ctrl-C stops.`,
      );
      // Queued e-mail notifications (B1) too: workers share the outbox with the servers (leases).
      const stopEmail = startEmailDelivery(db, config.email, { log: (line) => console.log(line) });
      // Webhook deliveries are drained beside the benefit runs, on the same database (B1).
      const webhooks = startWebhookWorker(db, config.webhooks, (line) => console.error(line));
      try {
        await drainBenefitRuns(db, engine.apply, {
          concurrency: threads * 2,
          follow: true,
          signal: stop.signal,
          onDone: (c, n) => console.log(`customer ${c}: ${n} usage rows`),
        });
        return 0;
      } finally {
        await stopEmail();
        await webhooks.stop();
        await engine.close();
      }
    },
    // The embedded folder is the server's alone, and the server already drains the queue.
    viaServer: async (server) => {
      console.log(
        `No worker is needed: the server (pid ${server.pid}) applies queued benefit runs itself on the embedded database, with ${server.status?.benefitWorker?.threads ?? 1} thread(s); workers are for PostgreSQL (DATABASE_URL).`,
      );
      return 0;
    },
  });
}

/** What a usage file is by its first bytes, for the upload's content type. */
function contentTypeOf(file: string): string {
  const head = Buffer.alloc(4);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, head, 0, 4, 0);
  } finally {
    closeSync(fd);
  }
  if (head.toString('latin1') === 'PAR1') return 'application/vnd.apache.parquet';
  if (head[0] === 0x1f && head[1] === 0x8b) return 'application/gzip';
  return 'text/csv';
}

const skippedNote = (skipped?: { purchases: number; unused: number; other: number }) =>
  skipped && skipped.purchases + skipped.unused + skipped.other > 0
    ? ` (skipped: ${skipped.purchases} purchase, ${skipped.unused} unused-commitment and ${skipped.other} other rows)`
    : '';

/**
 * `mitra usage import [--format csv|focus] FILE`: Mitra's usage CSV or the cloud's FOCUS export
 * (CSV, gzip or Parquet), all or nothing; the affected days' benefit runs are queued with it.
 */
export async function usageImportCommand(config: Config, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { format: { type: 'string' } },
  });
  const file = positionals[0];
  const format = values.format;
  if (!file || (format !== undefined && format !== 'csv' && format !== 'focus')) {
    console.error('usage: mitra usage import [--format csv|focus] FILE');
    return 2;
  }
  if (!existsSync(file)) {
    console.error(`There is no file ${file}; check the path and run this again.`);
    return 2;
  }
  const report = (
    rows: number,
    customers: number,
    skipped: Parameters<typeof skippedNote>[0],
    next: string,
  ) =>
    console.log(`Imported ${rows} usage rows for ${customers} customer(s)${skippedNote(skipped)}; ${next}`);
  return runAgainstDatabaseOrServer(config, 'usage import', {
    direct: async (db, call) => {
      const result = await importUsage(db, call, { path: file }, { file: basename(file), format });
      report(
        result.rows,
        result.customers.length,
        result.skipped,
        'benefit runs queued for the affected days (run `mitra worker` or `mitra benefits run`).',
      );
      return 0;
    },
    viaServer: async (server) => {
      const query = new URLSearchParams({ file: basename(file), ...(format ? { format } : {}) });
      const result = await server.upload(
        `/api/cli/usage/import?${query}`,
        file,
        UsageImported,
        contentTypeOf(file),
      );
      report(
        result.rows,
        result.customers,
        result.skipped,
        `the server (pid ${server.pid}) applies benefits to the affected days in the background.`,
      );
      return 0;
    },
  });
}
