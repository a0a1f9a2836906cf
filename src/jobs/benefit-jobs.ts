import {
  type ApplyBenefits,
  customersWithUsage,
  type Period,
  runBenefits,
} from '../services/benefit-runs.ts';
import type { Db } from '../store/db.ts';
import { refreshUsageStatistics } from '../store/statistics.ts';
import { claim, complete, enqueue, fail, workerName } from './queue.ts';

export const benefitRunKind = 'benefits.run';

/** Queues one job per customer for the period (optionally one partner's customers only). */
export async function enqueueBenefitRuns(
  db: Db,
  period: Period,
  options: { partnerId?: string; customerIds?: string[] } = {},
) {
  const customers = options.customerIds ?? (await customersWithUsage(db, options.partnerId));
  return enqueue(
    db,
    benefitRunKind,
    customers.map((customerId) => ({
      customerId,
      from: period.from.toISOString(),
      to: period.to.toISOString(),
    })),
  );
}

/**
 * Drains benefit-run jobs with `concurrency` customers in flight (their engine work spread over
 * the pool's threads) until the queue is empty, or forever when `follow` is set (a worker process).
 */
export async function drainBenefitRuns(
  db: Db,
  apply: ApplyBenefits,
  options: {
    concurrency: number;
    follow?: boolean;
    onDone?: (customerId: string, rows: number) => void;
    signal?: AbortSignal;
  },
) {
  let processed = 0;
  let sinceStatistics = 0;
  // Once the queue is drained, not per job: one ANALYZE covers the whole batch's rollups.
  const refreshStatistics = async () => {
    if (!sinceStatistics) return;
    sinceStatistics = 0;
    await refreshUsageStatistics(db);
  };
  const loop = async () => {
    while (!options.signal?.aborted) {
      const job = await claim(db, [benefitRunKind]);
      if (!job) {
        await refreshStatistics();
        if (!options.follow) return;
        await new Promise((r) => setTimeout(r, 1000));
        continue;
      }
      const { customerId, from, to } = job.payload as { customerId: string; from: string; to: string };
      try {
        const result = await runBenefits(
          db,
          apply,
          customerId,
          { from: new Date(from), to: new Date(to) },
          workerName,
        );
        await complete(db, job.id);
        processed += 1;
        sinceStatistics += 1;
        options.onDone?.(customerId, result.usageRows);
      } catch (error) {
        await fail(db, job, error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, loop));
  return processed;
}
