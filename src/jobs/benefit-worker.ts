import type { FastifyBaseLogger } from 'fastify';
import type { ApplyBenefits } from '../services/benefit-runs.ts';
import type { Db } from '../store/db.ts';
import { drainBenefitRuns } from './benefit-jobs.ts';
import { enginePool } from './engine-pool.ts';

export interface BenefitWorker {
  readonly threads: number;
  /** Lets the runs in hand finish, then stops. */
  stop(): Promise<void>;
}

/**
 * The embedded database's server drains queued benefit runs itself: PGlite's folder is one
 * process's, so no `mitra worker` can run beside the server (on PostgreSQL, workers do this).
 * The engine's threads start with the first job, so an idle server costs nothing.
 */
export function startBenefitWorker(db: Db, threads: number, log: FastifyBaseLogger): BenefitWorker {
  let pool: ReturnType<typeof enginePool> | undefined;
  const apply: ApplyBenefits = (input) => {
    pool ??= enginePool(threads);
    return pool.apply(input);
  };
  const stopping = new AbortController();
  const drain = async () => {
    while (!stopping.signal.aborted) {
      try {
        await drainBenefitRuns(db, apply, {
          concurrency: threads * 2,
          follow: true,
          signal: stopping.signal,
          onDone: (customerId, rows) => log.info({ customerId, rows }, 'benefit run done'),
        });
      } catch (error) {
        // A database hiccup must not end background work for the server's lifetime.
        log.error({ err: error }, 'benefit worker: retrying in 5 s');
        await new Promise((resolve) => setTimeout(resolve, 5000));
      }
    }
  };
  const running = drain();
  return {
    threads,
    stop: async () => {
      stopping.abort();
      await running;
      await pool?.close();
    },
  };
}
