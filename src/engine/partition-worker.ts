import { closeSync, openSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { BenefitInputError } from './errors.ts';
import { type ApplierInput, CustomerApplier, NotGrouped, newRun } from './partition.ts';
import type { PartReply, ThreadTask } from './partition-pool.ts';

/**
 * A worker thread applying parts of a usage file (`partition-pool.ts`): one task in, its results
 * written to a file of its own (no header), its figures sent back.
 */
const applier = new CustomerApplier(workerData as ApplierInput);
const reply = (m: PartReply | { part: number; bytes: number }) => parentPort!.postMessage(m);

parentPort!.on('message', (task: ThreadTask) => {
  const { part } = task;
  let fd = -1;
  try {
    fd = openSync(task.out, 'w');
    const run = newRun(fd, false);
    const onBytes = (bytes: number) => reply({ part, bytes });
    let clean = true;
    if (task.kind === 'range') {
      ({ clean } = applier.grouped(run, task.path, onBytes, { range: task.range, header: task.header }));
    } else applier.partition(run, task.source, onBytes);
    run.writer.close();
    reply({
      part,
      outcome: {
        totals: run.totals.state,
        results: [...run.results.entries()],
        finished: [...run.finished],
        applySeconds: run.applySeconds,
        clean,
      },
    });
  } catch (error) {
    if (error instanceof NotGrouped) reply({ part, notGrouped: true });
    else {
      const failure =
        error instanceof BenefitInputError
          ? { where: error.where, field: error.field, problem: error.problem }
          : { message: error instanceof Error ? error.message : String(error) };
      reply({ part, failure });
    }
  } finally {
    if (fd >= 0) closeSync(fd);
  }
});
