import { closeSync, mkdirSync, openSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { basename, join } from 'node:path';
import { cutsOf, headerOf } from './boundaries.ts';
import { type ParsedCommitment, parseCommitments, parseContext } from './commitments.ts';
import { CsvCustomer } from './csv-customer.ts';
import { scanFile } from './csv-scan.ts';
import { UsageCsvReader } from './csv-usage.ts';
import { BenefitInputError } from './errors.ts';
import { CustomerApplier, NotGrouped, newRun, partOf, type Run } from './partition.ts';
import {
  failureError,
  type PartOutcome,
  type PartReply,
  runOnThreads,
  type ThreadTask,
} from './partition-pool.ts';
import { parseHours } from './prepare.ts';
import type { Progress } from './progress.ts';
import type { RatioTable } from './ratios.ts';
import { SpillWriter } from './spill.ts';
import type { CommitmentResult, Totals } from './types.ts';

/**
 * The streaming mode: usage from CSV, commitments from JSON, results to CSV, a customer at a
 * time (a customer's commitments reach only that customer's rows). A file grouped by customer
 * (any order inside a block) takes one pass: when the next customer starts, the previous one is
 * complete and is applied, written and dropped, so memory holds one customer. A file in any
 * other order (by hour, as clouds export) is found out at the first customer that comes back;
 * the run then starts over partitioned (`partitioned` below), so memory holds one partition per
 * worker thread.
 */
export interface FileOptions {
  usagePath: string;
  commitmentsPath?: string;
  outPath: string;
  ratios: RatioTable;
  progress?: (totalBytes: number) => Progress;
  /** Bytes of usage.csv per partition when the file is not grouped by customer; default {@link bucketBytes}. */
  bucketBytes?: number;
  /** Called when the file turns out not to be grouped by customer, with the number of partitions. */
  onPartitioned?: (buckets: number) => void;
  /** Partitions applied at once on worker threads; default {@link engineThreads}, 1 applies them here. */
  threads?: number;
  /** The worker thread's script; the bundled command passes its bundled one. */
  workerScript?: URL;
  /** Called when a grouped file was applied on threads, cut into this many ranges. */
  onRanges?: (ranges: number) => void;
  /** Files from this many bytes on are cut for several threads; default {@link parallelBytes}. */
  parallelBytes?: number;
}

export interface FileSummary {
  commitments: CommitmentResult[];
  totals: Totals;
  /** Time spent applying commitments, without reading, parsing and writing. */
  applySeconds: number;
}

async function readCommitments(path: string | undefined, ratios: RatioTable) {
  if (!path) return { commitments: [] as ParsedCommitment[], hours: null };
  const file = basename(path);
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    const problem =
      error instanceof SyntaxError ? `malformed JSON: ${error.message}` : `cannot read: ${error}`;
    throw new BenefitInputError(file, '', problem);
  }
  const wrapped = !Array.isArray(json) && typeof json === 'object' && json !== null;
  const o = (wrapped ? json : { commitments: json }) as Record<string, unknown>;
  try {
    const mgs = parseContext(o.context);
    return { commitments: parseCommitments(o.commitments, ratios, mgs), hours: parseHours(o.hours) };
  } catch (error) {
    if (error instanceof BenefitInputError)
      throw new BenefitInputError(`${file}: ${error.where}`, error.field, error.problem);
    throw error;
  }
}

/** Bytes of usage.csv held in memory at once when partitioning (MITRA_ENGINE_BUCKET_BYTES), over all threads. */
export function bucketBytes(env: NodeJS.ProcessEnv = process.env): number {
  const configured = Number(env.MITRA_ENGINE_BUCKET_BYTES);
  return configured > 0 ? configured : 256 * 2 ** 20;
}

/** Worker threads applying parts of a file at once (MITRA_ENGINE_THREADS; default up to 2 cores). */
export function engineThreads(env: NodeJS.ProcessEnv = process.env): number {
  const configured = Math.floor(Number(env.MITRA_ENGINE_THREADS));
  return configured > 0 ? configured : Math.min(2, availableParallelism());
}

/**
 * Files from this size on are cut for several threads (MITRA_ENGINE_PARALLEL_BYTES). Below it
 * threads did not pay on this project's 2-core machine: each thread's code starts cold, and the
 * threads' compiler jobs compete for the cores (1M rows, 154 MB: no faster; 10M: twice as fast).
 */
export function parallelBytes(env: NodeJS.ProcessEnv = process.env): number {
  const configured = Number(env.MITRA_ENGINE_PARALLEL_BYTES);
  return configured > 0 ? configured : 256 * 2 ** 20;
}

export const partitionWorkerScript = new URL('./partition-worker.mjs', import.meta.url);

export async function applyFiles(o: FileOptions): Promise<FileSummary> {
  const file = basename(o.usagePath);
  const { commitments, hours } = await readCommitments(o.commitmentsPath, o.ratios);
  let size: number;
  try {
    size = (await stat(o.usagePath)).size;
  } catch (error) {
    throw new BenefitInputError(file, '', `cannot read: ${(error as Error).message}`);
  }
  const progress = o.progress?.(size);
  const input = { file, ratios: o.ratios, commitments, hours };
  const applier = new CustomerApplier(input);
  const lanes = Math.max(1, o.threads ?? engineThreads());
  const parallel = lanes > 1 && size >= (o.parallelBytes ?? parallelBytes());
  /** `share`: the part of the bytes a thread reads that counts as progress. */
  const threads = (
    tasks: ThreadTask[],
    share: number,
    onReply: (task: ThreadTask, reply: PartReply) => boolean,
  ) =>
    runOnThreads({
      input,
      tasks,
      threads: lanes,
      script: o.workerScript ?? partitionWorkerScript,
      onBytes: (bytes) => progress?.add(bytes * share),
      onReply,
    });

  /** A part done on a thread: its results appended in part order, its figures added. */
  const merge = (run: Run, task: ThreadTask, outcome: PartOutcome) => {
    run.writer.flush();
    appendFile(fd, task.out);
    rmSync(task.out, { force: true });
    run.totals.merge(outcome.totals);
    for (const [index, result] of outcome.results) run.results.set(index, result);
    for (const name of outcome.finished) run.finished.add(name);
    run.applySeconds += outcome.applySeconds;
  };

  /**
   * A file that may be grouped by customer, on several threads: cut into ranges at customer
   * changes, each range read in one pass. 'not grouped' when a range finds a customer coming
   * back or two ranges share one; 'one thread' when the cut went wrong or a range failed, so that
   * the error reported is exactly the single pass's (bad input is rare; reading it twice is fine).
   */
  const groupedOnThreads = async (run: Run): Promise<'done' | 'not grouped' | 'one thread'> => {
    const head = headerOf(o.usagePath);
    if (!head) return 'one thread';
    const { reader, names } = applier.readHeader(head.scanner);
    if (reader.at.customer < 0) return 'one thread';
    const cuts = cutsOf(o.usagePath, head.dataStart, size, reader.at.customer, lanes);
    if (!cuts) return 'one thread';
    const tasks: ThreadTask[] = cuts.slice(0, -1).map((start, part) => ({
      kind: 'range',
      part,
      path: o.usagePath,
      out: join(spillDir, `range-${part}.csv`),
      range: { start: part === 0 ? 0 : start, end: cuts[part + 1] },
      header: part === 0 ? null : names,
    }));
    mkdirSync(spillDir, { recursive: true });
    const replies: PartReply[] = [];
    await threads(tasks, 1, (_, reply) => replies.push(reply) > 0);
    const seen = new Set<string>();
    for (const [part, reply] of replies.entries()) {
      if ('failure' in reply) return 'one thread';
      if ('notGrouped' in reply) return 'not grouped';
      if (!reply.outcome.clean && part < replies.length - 1) return 'one thread';
      for (const name of reply.outcome.finished) {
        if (seen.has(name)) return 'not grouped';
        seen.add(name);
      }
    }
    replies.forEach((reply, part) => {
      if ('outcome' in reply) merge(run, tasks[part], reply.outcome);
    });
    o.onRanges?.(tasks.length);
    return 'done';
  };

  /**
   * Any order: customers spread over partitions by a hash of their name, then partition by
   * partition all of its customers held at once, a partition per thread. One partition (a
   * small file) is read from the file itself; as many as there are threads, each thread reads
   * the file keeping its partition's records; more are first copied into temporary files
   * (`spill.ts`), each record with its line in usage.csv so that errors still name it. Results are appended
   * in partition order, and the error reported is the first failed partition's.
   */
  const partitioned = async (run: Run) => {
    const perPart = (o.bucketBytes ?? bucketBytes()) / lanes;
    let parts = Math.max(1, Math.min(1024, Math.ceil(size / perPart)));
    if (parallel) parts = Math.max(parts, lanes);
    o.onPartitioned?.(parts);
    if (parts === 1) {
      applier.partition(run, { kind: 'file', path: o.usagePath }, (bytes) => progress?.add(bytes / 2));
      return;
    }
    mkdirSync(spillDir, { recursive: true });
    const onReply = (task: ThreadTask, reply: PartReply) => {
      if ('failure' in reply) throw failureError(reply.failure);
      if ('outcome' in reply) merge(run, task, reply.outcome);
      return true;
    };
    const out = (part: number) => join(spillDir, `results-${part}.csv`);
    if (lanes > 1 && parts <= lanes) {
      const tasks = Array.from({ length: parts }, (_, part) => ({
        kind: 'partition' as const,
        part,
        source: { kind: 'file' as const, path: o.usagePath, only: { part, parts } },
        out: out(part),
      }));
      // Each thread reads the whole file: count a part of its bytes.
      await threads(tasks, 1 / (2 * parts), onReply);
      return;
    }
    const paths = Array.from({ length: parts }, (_, part) => join(spillDir, `bucket-${part}.bin`));
    const header = split(paths);
    const tasks = paths.map((path, part) => ({
      kind: 'partition' as const,
      part,
      source: { kind: 'spill' as const, path, header },
      out: out(part),
    }));
    if (lanes <= 1) {
      for (const t of tasks) {
        applier.partition(run, t.source, (bytes) => progress?.add(bytes / 2));
        rmSync(t.source.path, { force: true });
      }
      return;
    }
    await threads(tasks, 1 / 2, (task, reply) => {
      if (task.kind === 'partition') rmSync(task.source.path, { force: true });
      return onReply(task, reply);
    });
  };

  /** usage.csv's records copied into partition files by a hash of their customer; returns the header. */
  const split = (paths: string[]): string[] => {
    const spill = paths.map((p) => new SpillWriter(p));
    let customerAt = -1;
    let header: string[] | null = null;
    try {
      scanFile(
        o.usagePath,
        (s, line) => {
          if (!header) {
            const { reader, names } = applier.readHeader(s);
            customerAt = reader.at.customer;
            header = names;
            return;
          }
          spill[partOf(s, customerAt, paths.length)].record(line, s);
        },
        (bytes) => progress?.add(bytes / 2),
      );
    } finally {
      for (const f of spill) f.close();
    }
    if (!header) throw new BenefitInputError(file, '', 'empty file: needs a header row');
    return header;
  };

  const tmp = `${o.outPath}.partial-${process.pid}`;
  const spillDir = `${o.outPath}.spill-${process.pid}`;
  let fd = -1;
  const freshRun = (): Run => {
    if (fd >= 0) closeSync(fd);
    fd = openSync(tmp, 'w');
    return newRun(fd);
  };
  let run: Run;
  try {
    run = freshRun();
    try {
      const how = parallel ? await groupedOnThreads(run) : 'one thread';
      if (how === 'not grouped') throw new NotGrouped();
      if (how === 'one thread') {
        if (parallel) run = freshRun();
        applier.grouped(run, o.usagePath, (bytes) => progress?.add(bytes));
      }
    } catch (error) {
      if (!(error instanceof NotGrouped)) throw error;
      run = freshRun();
      await partitioned(run);
    }
    // Customers with commitments and no usage still report their (idle) commitments.
    const idleReader = new UsageCsvReader(
      ['rowId', 'hour', 'subscription', 'quantity', 'paygUnitPrice'],
      file,
      o.ratios,
    );
    for (const customer of applier.byCustomer.keys()) {
      if (!run.finished.has(customer)) applier.finish(run, idleReader, new CsvCustomer(customer));
    }
    run.writer.close();
    closeSync(fd);
    fd = -1;
    renameSync(tmp, o.outPath);
  } catch (error) {
    if (fd >= 0) closeSync(fd);
    rmSync(tmp, { force: true });
    throw error;
  } finally {
    rmSync(spillDir, { recursive: true, force: true });
    progress?.finish();
  }
  return {
    commitments: [...run.results.entries()].sort((a, b) => a[0] - b[0]).map(([, r]) => r),
    totals: run.totals.totals,
    applySeconds: run.applySeconds,
  };
}

/** Appends a file's bytes to an open file. */
function appendFile(fd: number, path: string): void {
  const src = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(1 << 22);
    for (
      let n = readSync(src, buf, 0, buf.length, null);
      n > 0;
      n = readSync(src, buf, 0, buf.length, null)
    ) {
      let at = 0;
      while (at < n) at += writeSync(fd, buf, at, n - at);
    }
  } finally {
    closeSync(src);
  }
}
