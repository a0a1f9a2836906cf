import type { ParsedCommitment } from './commitments.ts';
import { applyCustomer, type CustomerResult } from './core.ts';
import { CsvCustomer, RankScratch } from './csv-customer.ts';
import { type ByteRange, type RecordScanner, scanFile } from './csv-scan.ts';
import { UsageCsvReader } from './csv-usage.ts';
import { BenefitInputError, RowFault } from './errors.ts';
import { commitmentResult, TotalsAccumulator } from './output.ts';
import type { RatioTable } from './ratios.ts';
import { ResultsWriter } from './results-csv.ts';
import { readSpill } from './spill.ts';
import type { CommitmentResult } from './types.ts';

/**
 * Applying customers read from a usage CSV: what the single pass over a grouped file, a
 * partition held in memory, and a worker thread applying partitions (`partition-worker.ts`)
 * share. A customer's commitments reach only that customer's rows, so customers, and partitions
 * of customers, are independent of each other.
 */

/** What one pass (a whole file, or one partition) produces: results written, figures gathered. */
export interface Run {
  writer: ResultsWriter;
  totals: TotalsAccumulator;
  results: Map<number, CommitmentResult>;
  finished: Set<string>;
  applySeconds: number;
}

export function newRun(fd: number, header = true): Run {
  return {
    writer: new ResultsWriter(fd, header),
    totals: new TotalsAccumulator(),
    results: new Map(),
    finished: new Set(),
    applySeconds: 0,
  };
}

/** What a partition needs besides its rows; plain data, so it crosses to a worker thread as is. */
export interface ApplierInput {
  /** usage.csv's own name, for error messages (partitions are temporary files). */
  file: string;
  ratios: RatioTable;
  commitments: ParsedCommitment[];
  hours: Int32Array | null;
}

const sameBytes = (a: Uint8Array, alen: number, b: Uint8Array, s: number, e: number) => {
  if (alen !== e - s) return false;
  for (let i = 0; i < alen; i++) if (a[i] !== b[s + i]) return false;
  return true;
};

/** The customer of each record, remembered by its bytes: consecutive rows mostly share it. */
export class CustomerCell {
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

export class CustomerApplier {
  readonly file: string;
  readonly ratios: RatioTable;
  readonly commitments: ParsedCommitment[];
  readonly byCustomer = new Map<string, ParsedCommitment[]>();
  private readonly hours: Int32Array | null;
  private readonly scratch = new RankScratch();

  constructor(input: ApplierInput) {
    this.file = input.file;
    this.ratios = input.ratios;
    this.commitments = input.commitments;
    this.hours = input.hours;
    for (const c of input.commitments) {
      const list = this.byCustomer.get(c.customer);
      if (list) list.push(c);
      else this.byCustomer.set(c.customer, [c]);
    }
  }

  /** The header: columns, and with a customer column every commitment must name its customer. */
  readHeader(s: RecordScanner): { reader: UsageCsvReader; names: string[] } {
    const names = Array.from({ length: s.cells }, (_, k) => s.text(k));
    const reader = new UsageCsvReader(names, this.file, this.ratios);
    if (reader.at.customer >= 0) {
      const c = this.commitments.find((x) => x.customer === '');
      if (c) {
        throw new BenefitInputError(
          `commitments[${c.index}] (id ${JSON.stringify(c.id)})`,
          'customer',
          `is required when ${this.file} has a customer column`,
        );
      }
    }
    return { reader, names };
  }

  /** One customer complete: applied, written, its figures added, its rows dropped. */
  finish(run: Run, reader: UsageCsvReader, customer: CsvCustomer): void {
    reader.checkIds(customer);
    const own = this.byCustomer.get(customer.customer) ?? [];
    const b = customer.finish(own, this.hours, reader.dicts, this.scratch);
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
  }

  /**
   * One pass over a file grouped by customer: a customer is applied and written as soon as the
   * next one starts. Throws {@link NotGrouped} when a finished customer's rows come back. A
   * `range` of the file after its start reads no header: `header` gives the columns.
   */
  grouped(
    run: Run,
    path: string,
    onBytes?: (bytes: number) => void,
    part?: { range: ByteRange; header: string[] | null },
  ): { clean: boolean } {
    let reader: UsageCsvReader | null = part?.header ? this.readerOf(part.header) : null;
    let current: CsvCustomer | null = null;
    const cell = new CustomerCell();
    const { clean } = scanFile(
      path,
      (s, line) => {
        if (!reader) {
          reader = this.readHeader(s).reader;
          return;
        }
        reader.checkCells(s, line);
        if (cell.changed(s, reader.at.customer)) {
          const name = reader.customerOf(s);
          let rows = 1024;
          if (current) {
            rows = current.n;
            this.finish(run, reader, current);
          }
          if (run.finished.has(name)) throw new NotGrouped();
          current = new CsvCustomer(name, rows);
        }
        reader.add(s, line, current!);
      },
      onBytes,
      undefined,
      part?.range,
    );
    if (!reader) throw new BenefitInputError(this.file, '', 'empty file: needs a header row');
    if (current) this.finish(run, reader, current);
    return { clean };
  }

  private readerOf(header: string[]): UsageCsvReader {
    return new UsageCsvReader(header, this.file, this.ratios);
  }

  /**
   * Every customer of a partition held at once, then applied. The partition is a spill file
   * (`spill.ts`) with usage.csv's `header`, or usage.csv itself keeping only the records of
   * partition `only.part` of `only.parts`, or usage.csv whole.
   */
  partition(run: Run, source: PartitionSource, onBytes?: (bytes: number) => void): void {
    let reader: UsageCsvReader | null = source.kind === 'spill' ? this.readerOf(source.header) : null;
    const customers = new Map<string, CsvCustomer>();
    let current: CsvCustomer | null = null;
    const cell = new CustomerCell();
    const only = source.kind === 'file' ? source.only : undefined;
    const record = (s: RecordScanner, line: number) => {
      if (!reader) {
        reader = this.readHeader(s).reader;
        return;
      }
      if (only && partOf(s, reader.at.customer, only.parts) !== only.part) return;
      reader.checkCells(s, line);
      if (cell.changed(s, reader.at.customer)) {
        const name = reader.customerOf(s);
        current = customers.get(name) ?? null;
        if (!current) {
          current = new CsvCustomer(name);
          customers.set(name, current);
        }
      }
      reader.add(s, line, current!);
    };
    if (source.kind === 'spill') readSpill(source.path, record, onBytes);
    else scanFile(source.path, record, onBytes);
    if (!reader) throw new BenefitInputError(this.file, '', 'empty file: needs a header row');
    for (const customer of customers.values()) this.finish(run, reader, customer);
  }
}

export type PartitionSource =
  | { kind: 'file'; path: string; only?: { part: number; parts: number } }
  | { kind: 'spill'; path: string; header: string[] };

/** Thrown by the single pass when a finished customer's rows appear again: partition instead. */
export class NotGrouped extends Error {}

/**
 * The partition of a record: a hash of its customer cell's bytes. A record too short to have
 * that cell goes to the first partition, whose reader then refuses it.
 */
export function partOf(s: RecordScanner, customerAt: number, parts: number): number {
  if (customerAt < 0 || customerAt >= s.cells) return 0;
  let h = 0x811c9dc5;
  const b = s.buf;
  for (let i = s.starts[customerAt]; i < s.ends[customerAt]; i++) h = Math.imul(h ^ b[i], 16777619);
  return (h >>> 0) % parts;
}
