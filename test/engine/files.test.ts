import { spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runBenefitsApplyCli } from '../../src/engine/cli.ts';
import { usageCsvLines } from '../../src/engine/csv.ts';
import { type RecordScanner, scanFile } from '../../src/engine/csv-scan.ts';
import { BenefitInputError } from '../../src/engine/errors.ts';
import { generateInput } from '../../src/engine/generate-objects.ts';
import { applyBenefits } from '../../src/engine/index.ts';
import { tidy } from '../../src/engine/output.ts';
import { ResultsWriter } from '../../src/engine/results-csv.ts';
import { readSpill, SpillWriter } from '../../src/engine/spill.ts';
import { applyFiles, type FileOptions } from '../../src/engine/stream.ts';
import type { BenefitOutput, UsageRowInput } from '../../src/engine/types.ts';
import { ratios, reservation, vm } from './helpers.ts';

/**
 * The streaming mode on files in any row order: a file ordered by hour (as a cloud exports it)
 * or shuffled gives the same results as the file grouped by customer, also when it is
 * partitioned through temporary files; the byte-level CSV reader's edge cases; the number printer.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'mitra-engine-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const file = (name: string, content: string | Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

async function cli(args: string[]) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (b) => out.push(b));
  stderr.on('data', (b) => err.push(b));
  const code = await runBenefitsApplyCli(args, { stdin: Readable.from(['']), stdout, stderr });
  return { code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() };
}

/** A deterministic shuffle (mulberry32). */
function shuffled<T>(list: T[], seed: number): T[] {
  let a = seed >>> 0;
  const random = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

const input = generateInput({ seed: 7, customers: 5, hours: 48 });
const byHour = input.usage
  .map((r, i) => ({ r, i }))
  .sort((x, y) => Date.parse(x.r.hour) - Date.parse(y.r.hour) || x.i - y.i)
  .map((x) => x.r);
const csv = (rows: UsageRowInput[]) => `${usageCsvLines(rows).join('\n')}\n`;
const commitmentsPath = file(
  'commitments.json',
  JSON.stringify({ context: input.context, commitments: input.commitments }),
);

async function apply(name: string, rows: UsageRowInput[], extra: string[] = []) {
  const out = join(dir, `${name}-results.csv`);
  const r = await cli([
    '--usage',
    file(`${name}.csv`, csv(rows)),
    '--commitments',
    commitmentsPath,
    '--out',
    out,
    '--summary',
    ...extra,
  ]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  const { applySeconds, ...summary } = JSON.parse(r.stdout);
  expect(applySeconds).toBeGreaterThan(0);
  const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
  return { header: lines[0], lines: lines.slice(1), summary };
}

/** Every record of a CSV file as its cells. */
function records(path: string): string[][] {
  const out: string[][] = [];
  scanFile(path, (s) => {
    out.push(Array.from({ length: s.cells }, (_, k) => s.text(k)));
  });
  return out;
}

/** Rows of a results file back as contract rows (row figures on a row's first line). */
const rowsOf = (lines: string[]) => rowsOfCells(lines.map((l) => l.split(',')));

function rowsOfCells(lines: string[][]): BenefitOutput['rows'] {
  const rows: BenefitOutput['rows'] = [];
  for (const [rowId, by, quantity, consumed, payg, actual, amortized] of lines) {
    if (payg !== '')
      rows.push({ rowId, coverage: [], paygQuantity: +payg, actualCost: +actual, amortizedCost: +amortized });
    if (by)
      rows.at(-1)!.coverage.push({ by, quantity: +quantity, ...(consumed ? { consumed: +consumed } : {}) });
  }
  return rows;
}

describe('usage.csv in any row order', () => {
  it('gives the same results and summary ordered by hour, shuffled, or grouped by customer', async () => {
    const grouped = await apply('grouped', input.usage);
    const expected = applyBenefits(input, ratios);
    // Grouped: customers in file order, rows in input order, exactly the JSON mode's rows.
    expect(rowsOf(grouped.lines)).toEqual(expected.rows);
    expect(grouped.summary.commitments).toEqual(expected.commitments);
    for (const [name, rows] of [
      ['by-hour', byHour],
      ['shuffled', shuffled(input.usage, 3)],
    ] as const) {
      const other = await apply(name, rows);
      expect(other.header).toBe(grouped.header);
      expect([...other.lines].sort()).toEqual([...grouped.lines].sort());
      expect(other.summary).toEqual(grouped.summary);
    }
  });

  it('keeps input order within each customer when the file is not grouped', async () => {
    const result = await apply('by-hour-order', byHour);
    const ids = rowsOf(result.lines).map((r) => r.rowId);
    const customerOf = new Map(byHour.map((r) => [r.rowId, r.customer]));
    for (const customer of new Set(byHour.map((r) => r.customer))) {
      const expected = byHour.filter((r) => r.customer === customer).map((r) => r.rowId);
      expect(ids.filter((id) => customerOf.get(id) === customer)).toEqual(expected);
    }
  });

  it('partitions through temporary files when the file is larger than a partition, and removes them', async () => {
    const out = join(dir, 'spilled-results.csv');
    const usagePath = file('spilled.csv', csv(shuffled(input.usage, 5)));
    const seen: number[] = [];
    const summary = await applyFiles({
      usagePath,
      commitmentsPath,
      outPath: out,
      ratios,
      bucketBytes: 4096,
      onPartitioned: (b) => seen.push(b),
    });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toBeGreaterThan(20);
    const grouped = await apply('grouped-again', input.usage);
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n').slice(1);
    expect(lines.sort()).toEqual([...grouped.lines].sort());
    expect(summary.commitments).toEqual(grouped.summary.commitments);
    expect(summary.totals).toEqual(grouped.summary.totals);
    expect(readdirSync(dir).filter((f) => f.includes('.spill-') || f.includes('.partial-'))).toEqual([]);
  });

  /** applyFiles with `threads` threads; partitions of 4096 bytes each whatever the threads. */
  const threaded = async (
    name: string,
    rows: UsageRowInput[],
    threads: number,
    more: Partial<FileOptions> = {},
  ) => {
    const out = join(dir, `${name}-${threads}-results.csv`);
    const usagePath = file(`${name}.csv`, csv(rows));
    try {
      const { applySeconds, ...summary } = await applyFiles({
        usagePath,
        commitmentsPath,
        outPath: out,
        ratios,
        bucketBytes: 4096 * threads,
        threads,
        ...more,
      });
      expect(applySeconds).toBeGreaterThan(0);
      return { summary, bytes: readFileSync(out), error: undefined };
    } catch (error) {
      return { error: error as Error, summary: undefined, bytes: undefined };
    }
  };
  const leftovers = () => readdirSync(dir).filter((f) => f.includes('.spill-') || f.includes('.partial-'));
  const sortedLines = (bytes: Buffer) => bytes.toString('utf8').trimEnd().split('\n').slice(1).sort();

  it('applies partitions on worker threads to exactly the bytes and figures of one after another', async () => {
    const one = await threaded('threads', byHour, 1);
    const three = await threaded('threads', byHour, 3);
    expect(one.error).toBeUndefined();
    expect(three.bytes!.equals(one.bytes!)).toBe(true);
    expect(three.summary).toEqual(one.summary);
    const grouped = await apply('grouped-threads', input.usage);
    expect(three.summary).toEqual(grouped.summary);
  });

  it('reports, on worker threads, the error that applying partitions one after another reports', async () => {
    // Bad rows of every customer: several partitions fail, the first one's error is the answer.
    const seen = new Set<string>();
    const rows = byHour.map((r) => {
      if (seen.has(r.customer!)) return r;
      seen.add(r.customer!);
      return { ...r, quantity: -1 };
    });
    const one = await threaded('bad-threads', rows, 1);
    const three = await threaded('bad-threads', rows, 3);
    expect(one.error).toBeInstanceOf(BenefitInputError);
    expect(three.error).toBeInstanceOf(BenefitInputError);
    expect(three.error!.message).toBe(one.error!.message);
    expect(leftovers()).toEqual([]);
  });

  it('with as many partitions as threads, each thread reads the file for its own partition', async () => {
    const seen: number[] = [];
    const big = 1 << 30;
    const two = await threaded('filtered', byHour, 2, {
      bucketBytes: big,
      parallelBytes: 1,
      onPartitioned: (p) => seen.push(p),
    });
    expect(seen).toEqual([2]);
    const grouped = await threaded('filtered-grouped', input.usage, 1, { bucketBytes: big });
    expect(sortedLines(two.bytes!)).toEqual(sortedLines(grouped.bytes!));
    expect(two.summary).toEqual(grouped.summary);
    expect(leftovers()).toEqual([]);
  });

  it('cuts a grouped file at customer changes for several threads: the bytes of the single pass', async () => {
    const seen: number[] = [];
    const ranges: number[] = [];
    const one = await threaded('ranges', input.usage, 1);
    for (const threads of [2, 3, 7]) {
      const many = await threaded('ranges', input.usage, threads, {
        parallelBytes: 1,
        onPartitioned: (p) => seen.push(p),
        onRanges: (r) => ranges.push(r),
      });
      expect(many.bytes!.equals(one.bytes!)).toBe(true);
      expect(many.summary).toEqual(one.summary);
    }
    expect(seen).toEqual([]);
    // Five customers: seven threads find at most five ranges.
    expect(ranges.slice(0, 2)).toEqual([2, 3]);
    expect(leftovers()).toEqual([]);
  });

  it('on several threads, finds a customer that comes back in another range and partitions instead', async () => {
    // The first customer's first row moved to the end of the file.
    const rows = [...input.usage.slice(1), input.usage[0]];
    const seen: number[] = [];
    const two = await threaded('straggler', rows, 2, {
      parallelBytes: 1,
      onPartitioned: (p) => seen.push(p),
    });
    expect(seen).toHaveLength(1);
    const one = await threaded('straggler-grouped', input.usage, 1);
    expect(sortedLines(two.bytes!)).toEqual(sortedLines(one.bytes!));
    expect(two.summary).toEqual(one.summary);
  });

  it('on several threads, a cut inside a quoted cell of several lines changes nothing', async () => {
    const rows = input.usage.map((r) => ({ ...r, rowId: `${r.rowId}\n"second, line"\nthird` }));
    const one = await threaded('multiline', rows, 1);
    for (const threads of [2, 5]) {
      const many = await threaded('multiline', rows, threads, { parallelBytes: 1 });
      expect(many.bytes!.equals(one.bytes!)).toBe(true);
      expect(many.summary).toEqual(one.summary);
    }
  });

  it('on several threads, notices a cut that fell inside a quoted cell and applies on one thread', async () => {
    // The middle row's id spans thousands of lines that look like rows of changing customers.
    const mid = Math.floor(input.usage.length / 2);
    const fake = Array.from({ length: 4000 }, (_, i) => Array(16).fill(`c${i}`).join(',')).join('\n');
    const rows = input.usage.map((r, i) => (i === mid ? { ...r, rowId: `${r.rowId}\n${fake}` } : r));
    const ranges: number[] = [];
    const one = await threaded('cut-in-quotes', rows, 1);
    const two = await threaded('cut-in-quotes', rows, 2, {
      parallelBytes: 1,
      onRanges: (r) => ranges.push(r),
    });
    expect(ranges).toEqual([]);
    expect(two.bytes!.equals(one.bytes!)).toBe(true);
    expect(two.summary).toEqual(one.summary);
  });

  it('on several threads, reports the error the single pass reports, wherever the bad row is', async () => {
    for (const at of [3, Math.floor(input.usage.length / 2), input.usage.length - 2]) {
      const rows = input.usage.map((r, i) => (i === at || i === at + 1 ? { ...r, quantity: -2 } : r));
      const one = await threaded(`bad-range-${at}`, rows, 1);
      const two = await threaded(`bad-range-${at}`, rows, 2, { parallelBytes: 1 });
      expect(one.error).toBeInstanceOf(BenefitInputError);
      expect(two.error!.message).toBe(one.error!.message);
    }
    expect(leftovers()).toEqual([]);
  });

  it('as the bundled command runs it, with its bundled worker threads', async () => {
    const usagePath = file('bundled-by-hour.csv', csv(byHour));
    const out = join(dir, 'bundled-results.csv');
    const r = spawnSync(
      process.execPath,
      [
        join(root, 'bin', 'mitra.mjs'),
        'benefits',
        'apply',
        '--usage',
        usagePath,
        '--commitments',
        commitmentsPath,
        '--out',
        out,
      ],
      {
        env: { ...process.env, MITRA_ENGINE_BUCKET_BYTES: '4096', MITRA_ENGINE_THREADS: '2' },
        encoding: 'utf8',
      },
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const grouped = await apply('grouped-bundled', input.usage);
    expect(readFileSync(out, 'utf8').trimEnd().split('\n').slice(1).sort()).toEqual(
      [...grouped.lines].sort(),
    );
  });

  it('through the command line too (MITRA_ENGINE_BUCKET_BYTES)', async () => {
    process.env.MITRA_ENGINE_BUCKET_BYTES = '8192';
    try {
      const spilled = await apply('env-spilled', byHour);
      const grouped = await apply('grouped-env', input.usage);
      expect([...spilled.lines].sort()).toEqual([...grouped.lines].sort());
      expect(spilled.summary).toEqual(grouped.summary);
    } finally {
      delete process.env.MITRA_ENGINE_BUCKET_BYTES;
    }
  });

  for (const bucket of ['', '2048']) {
    it(`refuses bad input in a file not grouped by customer${bucket ? ', partitioned' : ''}: one line, nothing on standard output, no files left`, async () => {
      const rows = byHour.map((r, i) => (i === byHour.length - 7 ? { ...r, quantity: -3 } : r));
      const bad = rows[byHour.length - 7];
      const work = mkdtempSync(join(dir, 'bad-'));
      const usagePath = join(work, 'usage.csv');
      writeFileSync(usagePath, csv(rows));
      const out = join(work, 'results.csv');
      if (bucket) process.env.MITRA_ENGINE_BUCKET_BYTES = bucket;
      try {
        const r = await cli([
          '--usage',
          usagePath,
          '--commitments',
          commitmentsPath,
          '--out',
          out,
          '--summary',
        ]);
        expect(r.code).toBe(1);
        expect(r.stdout).toBe('');
        // The header is line 1: row k of the file is on line k + 2.
        expect(r.stderr).toBe(
          `mitra benefits apply: usage.csv line ${byHour.length - 7 + 2} (rowId ${JSON.stringify(bad.rowId)}): quantity: negative: -3\n`,
        );
        expect(readdirSync(work)).toEqual(['usage.csv']);
      } finally {
        delete process.env.MITRA_ENGINE_BUCKET_BYTES;
      }
    });
  }

  it('refuses a row id that appears twice for one customer, wherever the second one is', async () => {
    const rows = [...byHour, { ...byHour[0], hour: byHour.at(-1)!.hour }];
    const r = await cli([
      '--usage',
      file('dup.csv', csv(rows)),
      '--commitments',
      commitmentsPath,
      '--out',
      join(dir, 'dup-results.csv'),
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      new RegExp(`dup\\.csv line ${rows.length + 1} \\(rowId "${byHour[0].rowId}"\\): rowId: appears twice`),
    );
    expect(existsSync(join(dir, 'dup-results.csv'))).toBe(false);
  });
});

describe('the CSV reader', () => {
  const header =
    'rowId,hour,subscription,region,reservedResourceType,sku,quantity,paygUnitPrice,spUnitPriceP1Y';
  const rows = [
    'u1,2025-03-03T10:00:00Z,sub-1,eastus,VirtualMachines,Standard_D2s_v3,1,0.1,',
    '"u,2",2025-03-03T10:00:00Z,"sub-1",eastus,VirtualMachines,Standard_D2s_v3,0.5,0.1,0.07',
    '"u""3",2025-03-03T10:00:00Z,sub-1,,,Standard_D2s_v3,2,0.2,',
    '"u\n4",2025-03-03T10:00:00Z,SUB-1,EastUS,virtualmachines,standard_d2s_v3,1e0,.1,7e-2',
  ];
  const json = applyBenefits(
    {
      usage: [
        vm('u1', 'Standard_D2s_v3', 1),
        vm('u,2', 'Standard_D2s_v3', 0.5, { spUnitPrice: { P1Y: 0.07 } }),
        {
          rowId: 'u"3',
          hour: '2025-03-03T10:00:00Z',
          subscription: 'sub-1',
          sku: 'Standard_D2s_v3',
          quantity: 2,
          paygUnitPrice: 0.2,
        },
        vm('u\n4', 'standard_d2s_v3', 1, {
          subscription: 'SUB-1',
          region: 'EastUS',
          reservedResourceType: 'virtualmachines',
          spUnitPrice: { P1Y: 0.07 },
        }),
      ],
      commitments: [reservation('R', 'Standard_D2s_v3', 2)],
    },
    ratios,
  );
  const commitments = file('one.json', JSON.stringify([reservation('R', 'Standard_D2s_v3', 2)]));
  const variants: [string, string | Buffer][] = [
    ['LF with a final newline', `${header}\n${rows.join('\n')}\n`],
    ['no final newline', `${header}\n${rows.join('\n')}`],
    ['CRLF', `${header}\r\n${rows.join('\r\n')}\r\n`],
    ['CRLF without a final newline', `${header}\r\n${rows.join('\r\n')}`],
    [
      'a byte order mark',
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${header}\n${rows.join('\n')}\n`)]),
    ],
    ['blank lines', `${header}\n\n${rows.join('\n')}\n\n`],
  ];
  for (const [what, content] of variants) {
    it(`reads quoted cells, empty cells as absent, and ${what}`, async () => {
      const out = join(dir, 'edge-results.csv');
      const r = await cli(['--usage', file('edge.csv', content), '--commitments', commitments, '--out', out]);
      expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
      const text = readFileSync(out, 'utf8');
      // Row ids that need quoting are quoted again.
      expect(text).toContain('"u,2",R,');
      expect(text).toContain('"u""3",,,,');
      expect(text).toContain('"u\n4",R,');
      // Records, not lines: a quoted newline stays inside its row id.
      const parsed = rowsOfCells(records(file('edge-results-copy.csv', text)).slice(1));
      expect(parsed).toEqual(json.rows);
    });
  }

  it('reads back from a partition file exactly the records and lines it wrote', () => {
    const long = 'x'.repeat(300);
    const huge = 'y'.repeat(5 << 20);
    const many = Array.from({ length: 300 }, (_, k) => `c${k}`).join(',');
    const content = `${header}\n${rows.join('\n')}\n${long},"a""b",,\n${many}\n"${huge}",z\nlast,"q,\n"`;
    const path = file('spill-source.csv', content);
    const spillPath = join(dir, 'spill.bin');
    const writer = new SpillWriter(spillPath);
    const expected: string[][] = [];
    scanFile(path, (s, line) => {
      writer.record(line, s);
      expected.push([String(line), ...Array.from({ length: s.cells }, (_, k) => s.text(k))]);
    });
    writer.close();
    const got: string[][] = [];
    readSpill(spillPath, (s, line) => {
      got.push([String(line), ...Array.from({ length: s.cells }, (_, k) => s.text(k))]);
    });
    expect(got).toEqual(expected);
    expect(got.map((r) => r.length)).toContain(301);
    expect(got.at(-2)![1]).toHaveLength(5 << 20);
  });

  it('gives the same records whatever the read size', () => {
    const content = `${header}\r\n${rows.join('\r\n')}\n"last, one",x`;
    const path = file('chunks.csv', content);
    const read = (chunk: number) => {
      const records: string[][] = [];
      scanFile(
        path,
        (s: RecordScanner, line) => {
          records.push([String(line), ...Array.from({ length: s.cells }, (_, k) => s.text(k))]);
        },
        undefined,
        chunk,
      );
      return records;
    };
    const whole = read(1 << 20);
    expect(whole).toHaveLength(6);
    expect(whole[4]).toEqual(['5', 'u\n4', ...rows[3].split(',').slice(1)]);
    expect(whole[5]).toEqual(['7', 'last, one', 'x']);
    for (const chunk of [1, 2, 3, 7, 64]) expect(read(chunk)).toEqual(whole);
  });
});

describe('the results writer', () => {
  it('prints every number so that it reads back as exactly what tidy() makes of it', () => {
    const values = [
      0,
      1,
      -1,
      0.1,
      0.30000000000000004,
      1e-12,
      4e-13,
      999.9999999999999,
      1000,
      12345.678901234,
      0.0207,
      2 / 3,
      -2 / 3,
      1e21,
      123.456,
    ];
    let seed = 1;
    for (let i = 0; i < 20_000; i++) {
      seed = (seed * 16807) % 2147483647;
      const scale = 10 ** ((seed % 12) - 6);
      values.push((seed / 2147483647) * scale * (i % 2 ? 1 : -1));
    }
    const path = join(dir, 'numbers.csv');
    const fd = openSync(path, 'w');
    const w = new ResultsWriter(fd);
    for (const v of values) {
      w.number(v);
      w.byte(10);
    }
    w.close();
    closeSync(fd);
    const printed = readFileSync(path, 'utf8').split('\n').slice(1, -1);
    expect(printed).toHaveLength(values.length);
    printed.forEach((text, i) => {
      expect(Number(text)).toBe(tidy(values[i]) === 0 ? 0 : tidy(values[i]));
    });
  });
});
