import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { type ParsedCommitment, parseCommitments, parseContext } from './commitments.ts';
import { applyCustomer, type CustomerResult } from './core.ts';
import { csvCell } from './csv.ts';
import { CsvCustomer, RankScratch } from './csv-customer.ts';
import { type RecordScanner, scanFile } from './csv-scan.ts';
import { UsageCsvReader } from './csv-usage.ts';
import { BenefitInputError, RowFault } from './errors.ts';
import { commitmentResult, TotalsAccumulator } from './output.ts';
import { parseHours } from './prepare.ts';
import type { Progress } from './progress.ts';
import type { RatioTable } from './ratios.ts';
import { ResultsWriter } from './results-csv.ts';
import type { CommitmentResult, Totals } from './types.ts';

/**
 * The streaming mode: usage from CSV, commitments from JSON, results to CSV, a customer at a
 * time (a customer's commitments reach only that customer's rows). A file grouped by customer
 * (any order inside a block) takes one pass: when the next customer starts, the previous one is
 * complete and is applied, written and dropped, so memory holds one customer. A file in any
 * other order (by hour, as clouds export) is found out at the first customer that comes back;
 * the run then starts over partitioned (`partitioned` below), so memory holds one partition.
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

/** Thrown by the single pass when a finished customer's rows appear again: partition instead. */
class NotGrouped extends Error {}

/** Bytes of usage.csv per partition: about as much memory once parsed (MITRA_ENGINE_BUCKET_BYTES). */
export function bucketBytes(env: NodeJS.ProcessEnv = process.env): number {
  const configured = Number(env.MITRA_ENGINE_BUCKET_BYTES);
  return configured > 0 ? configured : 256 * 2 ** 20;
}

const sameBytes = (a: Uint8Array, alen: number, b: Uint8Array, s: number, e: number) => {
  if (alen !== e - s) return false;
  for (let i = 0; i < alen; i++) if (a[i] !== b[s + i]) return false;
  return true;
};

/** The customer of each record, remembered by its bytes: consecutive rows mostly share it. */
class CustomerCell {
  private bytes = new Uint8Array(256);
  private len = -1;

  /** Whether the record's customer differs from the last one seen (and remembers it). */
  changed(s: RecordScanner, k: number): boolean {
    if (k < 0) {
      const first = this.len < 0;
      this.len = 0;
      return first;
    }
    const a = s.starts[k];
    const e = s.ends[k];
    if (this.len >= 0 && sameBytes(this.bytes, this.len, s.buf, a, e)) return false;
    if (e - a > this.bytes.length) this.bytes = new Uint8Array(2 * (e - a));
    this.bytes.set(s.buf.subarray(a, e));
    this.len = e - a;
    return true;
  }
}

interface Run {
  writer: ResultsWriter;
  totals: TotalsAccumulator;
  results: Map<number, CommitmentResult>;
  finished: Set<string>;
  applySeconds: number;
}

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
  const byCustomer = new Map<string, ParsedCommitment[]>();
  for (const c of commitments) {
    const list = byCustomer.get(c.customer);
    if (list) list.push(c);
    else byCustomer.set(c.customer, [c]);
  }
  const scratch = new RankScratch();

  const finish = (run: Run, reader: UsageCsvReader, customer: CsvCustomer) => {
    reader.checkIds(customer);
    const b = customer.finish(byCustomer.get(customer.customer) ?? [], hours, reader.dicts, scratch);
    const t = performance.now();
    let result: CustomerResult;
    try {
      result = applyCustomer(b.batch);
    } catch (error) {
      if (error instanceof RowFault) {
        const i = error.row;
        const id = new TextDecoder().decode(b.ids.subarray(b.idStart[i], b.idEnd[i]));
        throw new BenefitInputError(reader.locate(b.source[i], id), error.field, error.problem);
      }
      throw error;
    }
    run.applySeconds += (performance.now() - t) / 1000;
    const applied = { prepared: b, result };
    run.totals.add(applied);
    b.commitments.forEach((c, k) => {
      run.results.set(c.index, commitmentResult(applied, k));
    });
    run.writer.customer(b, result);
    run.finished.add(customer.customer);
  };

  /** The header: columns, and with a customer column every commitment must name its customer. */
  const readHeader = (s: RecordScanner, offset = 0) => {
    const names = Array.from({ length: s.cells }, (_, k) => s.text(k));
    const reader = new UsageCsvReader(names.slice(offset), file, o.ratios, offset);
    if (reader.at.customer >= 0) {
      const c = commitments.find((x) => x.customer === '');
      if (c) {
        throw new BenefitInputError(
          `commitments[${c.index}] (id ${JSON.stringify(c.id)})`,
          'customer',
          `is required when ${file} has a customer column`,
        );
      }
    }
    return { reader, names };
  };

  /** One pass: a customer is applied and written as soon as the next one starts. */
  const grouped = (run: Run): string[] | null => {
    let reader: UsageCsvReader | null = null;
    let header: string[] | null = null;
    let current: CsvCustomer | null = null;
    const cell = new CustomerCell();
    scanFile(
      o.usagePath,
      (s, line) => {
        if (!reader) {
          ({ reader, names: header } = readHeader(s));
          return;
        }
        reader.checkCells(s, line);
        if (cell.changed(s, reader.at.customer)) {
          const name = reader.customerOf(s);
          let rows = 1024;
          if (current) {
            rows = current.n;
            finish(run, reader, current);
          }
          if (run.finished.has(name)) throw new NotGrouped();
          current = new CsvCustomer(name, rows);
        }
        reader.add(s, line, current!);
      },
      (bytes) => progress?.add(bytes),
    );
    if (!reader) throw new BenefitInputError(file, '', 'empty file: needs a header row');
    if (current) finish(run, reader, current);
    return header;
  };

  /**
   * Any order: customers spread over buckets by a hash of their name, then bucket by bucket all
   * of a bucket's customers held at once. One bucket (a file below the bucket size) is read
   * from the file itself; more are first copied into temporary files, each line prefixed with
   * its line in usage.csv, so that errors still name it.
   */
  const partitioned = (run: Run, spillDir: string) => {
    const buckets = Math.max(1, Math.min(1024, Math.ceil(size / (o.bucketBytes ?? bucketBytes()))));
    o.onPartitioned?.(buckets);
    const inMemory = (path: string, offset: number) => {
      let reader: UsageCsvReader | null = null;
      const customers = new Map<string, CsvCustomer>();
      let current: CsvCustomer | null = null;
      const cell = new CustomerCell();
      scanFile(
        path,
        (s, scanned) => {
          if (!reader) {
            reader = readHeader(s, offset).reader;
            return;
          }
          reader.checkCells(s, scanned);
          const line = offset ? lineOf(s) : scanned;
          if (cell.changed(s, reader.at.customer)) {
            const name = reader.customerOf(s);
            current = customers.get(name) ?? null;
            if (!current) {
              current = new CsvCustomer(name);
              customers.set(name, current);
            }
          }
          reader.add(s, line, current!);
        },
        (bytes) => progress?.add(bytes / 2),
      );
      if (!reader) throw new BenefitInputError(file, '', 'empty file: needs a header row');
      for (const customer of customers.values()) finish(run, reader, customer);
    };
    if (buckets === 1) {
      inMemory(o.usagePath, 0);
      return;
    }
    mkdirSync(spillDir, { recursive: true });
    const paths = Array.from({ length: buckets }, (_, b) => join(spillDir, `bucket-${b}.csv`));
    const spill = paths.map((p) => new SpillFile(p));
    let customerAt = -1;
    let headerText = '';
    scanFile(
      o.usagePath,
      (s, line) => {
        if (headerText === '') {
          const { reader, names } = readHeader(s);
          customerAt = reader.at.customer;
          headerText = `line,${names.map((n) => csvCell(n)).join(',')}\n`;
          for (const f of spill) f.text(headerText);
          return;
        }
        const k = customerAt;
        const h = k < 0 ? 0 : hashBytes(s.buf, s.starts[k], s.ends[k]);
        spill[(h >>> 0) % buckets].record(line, s);
      },
      (bytes) => progress?.add(bytes / 2),
    );
    for (const f of spill) f.close();
    if (headerText === '') throw new BenefitInputError(file, '', 'empty file: needs a header row');
    for (const p of paths) {
      inMemory(p, 1);
      rmSync(p, { force: true });
    }
  };

  const tmp = `${o.outPath}.partial-${process.pid}`;
  const spillDir = `${o.outPath}.spill-${process.pid}`;
  let fd = -1;
  const newRun = (): Run => {
    if (fd >= 0) closeSync(fd);
    fd = openSync(tmp, 'w');
    return {
      writer: new ResultsWriter(fd),
      totals: new TotalsAccumulator(),
      results: new Map(),
      finished: new Set(),
      applySeconds: 0,
    };
  };
  let run: Run;
  try {
    run = newRun();
    try {
      grouped(run);
    } catch (error) {
      if (!(error instanceof NotGrouped)) throw error;
      run = newRun();
      partitioned(run, spillDir);
    }
    // Customers with commitments and no usage still report their (idle) commitments.
    const idleReader = new UsageCsvReader(
      ['rowId', 'hour', 'subscription', 'quantity', 'paygUnitPrice'],
      file,
      o.ratios,
    );
    for (const customer of byCustomer.keys()) {
      if (!run.finished.has(customer)) finish(run, idleReader, new CsvCustomer(customer));
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

/** The line number a spill file's first cell carries. */
function lineOf(s: RecordScanner): number {
  let line = 0;
  for (let i = s.starts[0]; i < s.ends[0]; i++) line = line * 10 + (s.buf[i] - 48);
  return line;
}

function hashBytes(b: Uint8Array, s: number, e: number): number {
  let h = 0x811c9dc5;
  for (let i = s; i < e; i++) h = Math.imul(h ^ b[i], 16777619);
  return h;
}

/** A bucket's temporary file, written through a 1 MiB buffer. */
class SpillFile {
  private readonly fd: number;
  private readonly buf = Buffer.allocUnsafe(1 << 20);
  private pos = 0;

  constructor(path: string) {
    this.fd = openSync(path, 'w');
  }

  private flush(): void {
    let at = 0;
    while (at < this.pos) at += writeSync(this.fd, this.buf, at, this.pos - at);
    this.pos = 0;
  }

  text(t: string): void {
    this.flush();
    writeSync(this.fd, t);
  }

  /** `line,` then the record's bytes as they are in usage.csv (quotes and all), newline-terminated. */
  record(line: number, s: RecordScanner): void {
    const len = s.rawEnd - s.rawStart;
    if (this.pos + len + 24 > this.buf.length) {
      this.flush();
      if (len + 24 > this.buf.length) {
        this.text(`${line},`);
        writeSync(this.fd, s.raw, s.rawStart, len);
        if (s.raw[s.rawEnd - 1] !== 10) writeSync(this.fd, '\n');
        return;
      }
    }
    this.pos += this.buf.write(String(line), this.pos, 'latin1');
    this.buf[this.pos++] = 44;
    s.raw.copy(this.buf, this.pos, s.rawStart, s.rawEnd);
    this.pos += len;
    if (s.raw[s.rawEnd - 1] !== 10) this.buf[this.pos++] = 10;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}
