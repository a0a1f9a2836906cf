import { Worker } from 'node:worker_threads';
import type { ByteRange } from './csv-scan.ts';
import { BenefitInputError } from './errors.ts';
import type { ApplierInput, PartitionSource } from './partition.ts';
import type { CommitmentResult } from './types.ts';

/**
 * Parts of a usage file applied on worker threads, several at a time. Customers are independent,
 * so parts holding different customers are too. Each part's results go to a file of its own;
 * replies are handed over in part order, so the caller assembles the results file, the totals
 * and the error exactly as if the parts had been applied one after another.
 */
export type ThreadTask =
  | { kind: 'partition'; part: number; source: PartitionSource; out: string }
  /** A byte range of a file grouped by customer, read in one pass; `header` for a range after the first. */
  | { kind: 'range'; part: number; path: string; out: string; range: ByteRange; header: string[] | null };

export interface PartOutcome {
  totals: [number, number][];
  results: [number, CommitmentResult][];
  finished: string[];
  applySeconds: number;
  /** A range: whether it ended at a record's end (its end was not inside a quoted cell). */
  clean: boolean;
}

export type Failure = { where: string; field: string; problem: string } | { message: string };

export type PartReply =
  | { part: number; outcome: PartOutcome }
  | { part: number; failure: Failure }
  /** A range: a customer's rows came back after another customer's. */
  | { part: number; notGrouped: true };

type WorkerMessage = PartReply | { part: number; bytes: number };

export interface ThreadOptions {
  input: ApplierInput;
  tasks: ThreadTask[];
  threads: number;
  script: URL;
  onBytes?: (bytes: number) => void;
  /**
   * Each part's reply, in part order. Returning false starts no further part (those running
   * finish, their replies are dropped); throwing does the same and fails the run with the error.
   */
  onReply: (task: ThreadTask, reply: PartReply) => boolean;
}

export const failureError = (f: Failure) =>
  'message' in f ? new Error(f.message) : new BenefitInputError(f.where, f.field, f.problem);

export async function runOnThreads(o: ThreadOptions): Promise<void> {
  const count = Math.max(1, Math.min(o.threads, o.tasks.length));
  const workers = Array.from({ length: count }, () => new Worker(o.script, { workerData: o.input }));
  const replies = new Map<number, PartReply>();
  let stopped = false;
  let failure: Error | null = null;
  let next = 0;
  let delivered = 0;
  let running = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      const settle = () => {
        if (running > 0) return;
        if (failure) reject(failure);
        else if (stopped || delivered === o.tasks.length) resolve();
      };
      const start = (w: Worker) => {
        if (stopped || next >= o.tasks.length) return;
        running++;
        w.postMessage(o.tasks[next++]);
      };
      const deliver = () => {
        for (let r = replies.get(delivered); r && !stopped; r = replies.get(delivered)) {
          replies.delete(delivered);
          try {
            if (!o.onReply(o.tasks[delivered], r)) stopped = true;
          } catch (error) {
            stopped = true;
            failure = error as Error;
          }
          delivered++;
        }
      };
      for (const w of workers) {
        // A thread that dies (out of memory, say) fails the run rather than leaving it waiting.
        w.on('error', (error) => {
          stopped = true;
          failure ??= error;
          running = 0;
          settle();
        });
        w.on('message', (m: WorkerMessage) => {
          if ('bytes' in m) {
            o.onBytes?.(m.bytes);
            return;
          }
          running--;
          replies.set(m.part, m);
          deliver();
          start(w);
          settle();
        });
        start(w);
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
