import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { readFile, rename, stat, unlink } from 'node:fs/promises';
import { basename } from 'node:path';
import { CustomerBuilder, type PreparedCustomer } from './builder.ts';
import { type ParsedCommitment, parseCommitments, parseContext } from './commitments.ts';
import { csvCell, readCsv } from './csv.ts';
import { BenefitInputError } from './errors.ts';
import { emptyRow, parseRow, type RawRow } from './fields.ts';
import { applyPrepared } from './index.ts';
import { type Applied, commitmentResult, TotalsAccumulator, tidy } from './output.ts';
import { parseHours } from './prepare.ts';
import type { Progress } from './progress.ts';
import type { RatioTable } from './ratios.ts';
import type { CommitmentResult, Totals } from './types.ts';

/**
 * The streaming mode: usage from CSV, commitments from JSON, results to CSV, one customer at a
 * time. A customer's rows must be contiguous (any order inside the block): a customer's
 * commitments reach only that customer's rows, so once the next customer starts, the previous
 * one is complete and is applied, written and dropped. Memory holds one customer, not the file.
 */
export interface FileOptions {
  usagePath: string;
  commitmentsPath?: string;
  outPath: string;
  ratios: RatioTable;
  progress?: (totalBytes: number) => Progress;
}

export interface FileSummary {
  commitments: CommitmentResult[];
  totals: Totals;
  /** Time spent applying commitments, without reading, parsing and writing. */
  applySeconds: number;
}

const REQUIRED = ['rowId', 'hour', 'subscription', 'quantity', 'paygUnitPrice'];
const KNOWN = new Set<string>([
  ...REQUIRED,
  'customer',
  'resourceGroup',
  'region',
  'reservedResourceType',
  'sku',
  'isfGroup',
  'skuRatio',
  'spUnitPriceP1Y',
  'spUnitPriceP3Y',
  'benefitEligible',
]);

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

function resultLines(a: Applied): string[] {
  const { prepared: p, result: r } = a;
  const n = p.batch.usage.length;
  // Parts grouped by row, each row's parts still in application order.
  const start = new Int32Array(n + 1);
  for (let j = 0; j < r.parts; j++) start[r.partRow[j] + 1]++;
  for (let i = 0; i < n; i++) start[i + 1] += start[i];
  const fill = start.slice(0, n);
  const byRow = new Int32Array(r.parts);
  for (let j = 0; j < r.parts; j++) byRow[fill[r.partRow[j]]++] = j;
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => p.source[x] - p.source[y]);
  const lines: string[] = [];
  for (const i of order) {
    const row = `${tidy(r.paygQuantity[i])},${tidy(r.actualCost[i])},${tidy(r.amortizedCost[i])}`;
    const id = csvCell(p.rowIds[i]);
    if (start[i] === start[i + 1]) lines.push(`${id},,,,${row}`);
    for (let k = start[i]; k < start[i + 1]; k++) {
      const j = byRow[k];
      const c = p.batch.commitments[r.partBy[j]];
      const consumed = c.kind === 0 ? '' : String(tidy(r.partConsumed[j]));
      // Row figures on the row's first line only, so column sums are totals.
      lines.push(
        `${id},${csvCell(c.id)},${tidy(r.partQuantity[j])},${consumed},${k === start[i] ? row : ',,'}`,
      );
    }
  }
  return lines;
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
  const locate = (line: number, rowId: string) =>
    `${file} line ${line}${rowId ? ` (rowId ${JSON.stringify(rowId)})` : ''}`;

  const tmp = `${o.outPath}.partial-${process.pid}`;
  const out = createWriteStream(tmp);
  await Promise.race([once(out, 'open'), once(out, 'error').then(([e]) => Promise.reject(e))]);
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  const totals = new TotalsAccumulator();
  const results = new Map<number, CommitmentResult>();
  let applySeconds = 0;
  const done = new Set<string>();

  const finish = async (builder: CustomerBuilder) => {
    const prepared: PreparedCustomer = builder.finish(
      commitments.filter((c) => c.customer === builder.customer),
      hours,
    );
    const t = performance.now();
    const applied = applyPrepared(prepared, locate);
    applySeconds += (performance.now() - t) / 1000;
    totals.add(applied);
    prepared.commitments.forEach((c, k) => {
      results.set(c.index, commitmentResult(applied, k));
    });
    const lines = resultLines(applied);
    for (let i = 0; i < lines.length; i += 10_000) await write(`${lines.slice(i, i + 10_000).join('\n')}\n`);
    done.add(builder.customer);
  };

  try {
    await write('rowId,by,quantity,consumed,paygQuantity,actualCost,amortizedCost\n');
    let columns: Map<string, number> | null = null;
    let known: [string, number][] = [];
    let builder = null as CustomerBuilder | null;
    const row = emptyRow();
    const chunks = createReadStream(o.usagePath, { highWaterMark: 1 << 20 });
    for await (const record of readCsv(chunks, (b) => progress?.add(b))) {
      if (!columns) {
        columns = new Map(record.cells.map((name, i) => [name.trim(), i]));
        for (const name of REQUIRED) {
          if (!columns.has(name)) {
            throw new BenefitInputError(file, '', `missing column ${JSON.stringify(name)}`);
          }
        }
        if (columns.size !== record.cells.length) {
          throw new BenefitInputError(file, '', 'a column appears twice');
        }
        known = [...columns].filter(([name]) => KNOWN.has(name));
        if (columns.has('customer')) {
          const c = commitments.find((x) => x.customer === '');
          if (c) {
            throw new BenefitInputError(
              `commitments[${c.index}] (id ${JSON.stringify(c.id)})`,
              'customer',
              `is required when ${file} has a customer column`,
            );
          }
        }
        continue;
      }
      if (record.cells.length !== columns.size) {
        throw new BenefitInputError(
          `${file} line ${record.line}`,
          '',
          `${record.cells.length} cells, the header has ${columns.size}`,
        );
      }
      const raw: Record<string, string | undefined> = {};
      for (let j = 0; j < known.length; j++) {
        const cell = record.cells[known[j][1]];
        raw[known[j][0]] = cell === '' ? undefined : cell;
      }
      const locateRow = () => locate(record.line, raw.rowId ?? '');
      parseRow(raw as RawRow, locateRow, row, true);
      if (builder?.customer !== row.customer) {
        if (builder) await finish(builder);
        if (done.has(row.customer)) {
          throw new BenefitInputError(
            locateRow(),
            'customer',
            `customer ${JSON.stringify(row.customer)} appears again after other customers' rows; group the file by customer`,
          );
        }
        builder = new CustomerBuilder(row.customer, o.ratios, locate);
      }
      builder.add(row, record.line);
    }
    if (!columns) throw new BenefitInputError(file, '', 'empty file: needs a header row');
    if (builder) await finish(builder);
    // Customers with commitments and no usage still report their (idle) commitments.
    for (const customer of new Set(commitments.map((c) => c.customer))) {
      if (!done.has(customer)) await finish(new CustomerBuilder(customer, o.ratios, locate));
    }
    out.end();
    await once(out, 'finish');
    await rename(tmp, o.outPath);
  } catch (error) {
    out.destroy();
    await unlink(tmp).catch(() => undefined);
    throw error;
  } finally {
    progress?.finish();
  }
  return {
    commitments: [...results.entries()].sort((a, b) => a[0] - b[0]).map(([, r]) => r),
    totals: totals.totals,
    applySeconds,
  };
}
