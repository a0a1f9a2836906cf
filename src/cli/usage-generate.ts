import { createWriteStream } from 'node:fs';
import { parseArgs } from 'node:util';
import { UsageSubscriptions } from '../api/cli/schemas.ts';
import { generateHourlyUsage } from '../demo/usage.ts';
import { usageCsvLine } from '../demo/usage-csv.ts';
import { Progress } from '../engine/progress.ts';
import { usageSubscriptions } from '../services/operator-usage.ts';
import { usageCsvColumns } from '../services/usage-import.ts';
import type { Config } from './config.ts';
import { runAgainstDatabaseOrServer } from './database-or-server.ts';

/**
 * `mitra usage generate`: realistic synthetic hourly usage for the Azure subscriptions already in
 * the database, as CSV that `mitra usage import` takes. Deterministic for a seed; a progress bar
 * on standard error for long runs. The subscriptions come from the database, or from the server
 * that holds it; the CSV is written after the database is let go.
 */
export async function usageGenerate(config: Config, args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      days: { type: 'string' },
      from: { type: 'string' },
      seed: { type: 'string' },
      out: { type: 'string' },
      progress: { type: 'boolean' },
    },
  });
  const days = Number(values.days ?? 30);
  const seed = Number(values.seed ?? 1);
  const from = values.from
    ? new Date(`${values.from}T00:00:00Z`)
    : new Date(Math.floor(Date.now() / 86_400_000) * 86_400_000 - days * 86_400_000);
  if (!Number.isInteger(days) || days < 1 || Number.isNaN(from.getTime()) || !Number.isFinite(seed)) {
    console.error(
      'usage: mitra usage generate [--days N] [--from YYYY-MM-DD] [--seed N] [--out FILE.csv] [--progress]',
    );
    return 2;
  }
  const subscriptions = await runAgainstDatabaseOrServer(config, 'usage generate', {
    direct: (db, call) => usageSubscriptions(db, call),
    viaServer: async (server) => (await server.get('/api/cli/usage/subscriptions', UsageSubscriptions)).items,
  });
  const out = values.out ? createWriteStream(values.out) : process.stdout;
  const write = (line: string) =>
    new Promise<void>((resolve) => (out.write(`${line}\n`) ? resolve() : out.once('drain', () => resolve())));
  await write(usageCsvColumns.join(','));
  const progress = new Progress({
    stream: process.stderr,
    label: 'usage',
    total: subscriptions.length * days * 24,
    unit: 'hours',
    force: values.progress,
  });
  let rows = 0;
  for (const s of subscriptions) {
    for (let d = 0; d < days; d++) {
      const dayStart = new Date(from.getTime() + d * 86_400_000);
      for (const r of generateHourlyUsage({
        customerId: s.customerId,
        subscriptions: [{ id: s.id, seed: s.id }],
        from: dayStart,
        hours: 24,
        seed,
      })) {
        await write(usageCsvLine(r, s.entitlementId ?? s.id));
        rows += 1;
      }
      progress.add(24);
    }
  }
  progress.finish();
  if (values.out) {
    await new Promise((resolve) => (out as ReturnType<typeof createWriteStream>).end(resolve));
    console.error(`Wrote ${rows} usage rows for ${subscriptions.length} subscription(s) to ${values.out}.`);
  }
  return 0;
}
