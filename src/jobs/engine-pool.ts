import { Worker } from 'node:worker_threads';
import { applyBenefits, type BenefitInput, type BenefitOutput } from '../engine/index.ts';
import { loadRatioTable } from '../engine/ratio-file.ts';
import type { ApplyBenefits } from '../services/benefit-runs.ts';

/** The engine on the calling thread: for tests and single-customer runs. */
export function inlineApply(): ApplyBenefits {
  const ratios = loadRatioTable();
  return async (input) => applyBenefits(input, ratios);
}

/**
 * A pool of worker threads running the engine, one customer per message, so several customers'
 * hours are computed on several cores while the main thread reads and writes the database.
 */
export function enginePool(size: number): { apply: ApplyBenefits; close(): Promise<void> } {
  const workers = Array.from(
    { length: Math.max(1, size) },
    () => new Worker(new URL('./engine-worker.mjs', import.meta.url)),
  );
  const idle = [...workers];
  const waiting: (() => void)[] = [];
  const pending = new Map<number, { resolve: (o: BenefitOutput) => void; reject: (e: Error) => void }>();
  let next = 0;
  for (const w of workers) {
    // A worker that dies fails what it was doing instead of leaving callers waiting forever.
    w.on('error', (error) => {
      for (const p of pending.values()) p.reject(error);
      pending.clear();
    });
    w.on('message', (m: { id: number; output?: BenefitOutput; error?: string }) => {
      const p = pending.get(m.id);
      pending.delete(m.id);
      idle.push(w);
      waiting.shift()?.();
      if (m.error) p?.reject(new Error(m.error));
      else p?.resolve(m.output!);
    });
  }
  const apply = async (input: BenefitInput) => {
    while (idle.length === 0) await new Promise<void>((resolve) => waiting.push(resolve));
    const worker = idle.pop()!;
    const id = next++;
    return new Promise<BenefitOutput>((resolve, reject) => {
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, input });
    });
  };
  return { apply, close: async () => void (await Promise.all(workers.map((w) => w.terminate()))) };
}
