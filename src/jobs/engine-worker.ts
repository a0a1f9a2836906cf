import { parentPort } from 'node:worker_threads';
import { applyBenefits, type BenefitInput } from '../engine/index.ts';
import { loadRatioTable } from '../engine/ratio-file.ts';

/** A worker thread that applies benefits: one message in (an engine input), one out. */
const ratios = loadRatioTable();
parentPort!.on('message', ({ id, input }: { id: number; input: BenefitInput }) => {
  try {
    parentPort!.postMessage({ id, output: applyBenefits(input, ratios) });
  } catch (error) {
    parentPort!.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
