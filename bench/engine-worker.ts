import { parentPort, workerData } from 'node:worker_threads';
import { applyCustomer } from '../src/engine/core.ts';
import { customerBatch, type EngineTotals, TotalsSum } from './engine-data.ts';

/**
 * One core's share of the engine benchmark: the customers `index ≡ part (mod parts)`, each
 * generated here (no data crosses threads) and applied. Only `applyCustomer` is timed.
 */
export interface WorkerJob {
  customers: number;
  part: number;
  parts: number;
  warmup: number;
}

export interface WorkerResult {
  totals: EngineTotals;
  applySeconds: number;
  generateSeconds: number;
}

export function runShare(job: WorkerJob, onCustomer?: (rows: number) => void): WorkerResult {
  // Warm the JIT on customers outside the measured set, as a long-running service would be.
  for (let c = 0; c < job.warmup; c++) applyCustomer(customerBatch(1_000_000 + c));
  const totals = new TotalsSum();
  let apply = 0;
  let generate = 0;
  for (let c = job.part; c < job.customers; c += job.parts) {
    const t0 = performance.now();
    const batch = customerBatch(c);
    const t1 = performance.now();
    const result = applyCustomer(batch);
    const t2 = performance.now();
    generate += t1 - t0;
    apply += t2 - t1;
    totals.add(batch, result);
    onCustomer?.(batch.usage.length);
  }
  return { totals: totals.value, applySeconds: apply / 1000, generateSeconds: generate / 1000 };
}

if (parentPort && workerData) {
  const port = parentPort;
  const result = runShare(workerData as WorkerJob, (rows) => port.postMessage({ rows }));
  port.postMessage({ done: result });
}
