import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { BenefitInputError } from './errors.ts';
import { applyBenefits } from './index.ts';
import { Progress } from './progress.ts';
import { loadRatioTable } from './ratio-file.ts';
import { applyFiles } from './stream.ts';
import type { BenefitOutput } from './types.ts';

export interface CliIo {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

export const benefitsApplyUsage = `mitra benefits apply — apply reservations and savings plans to hourly usage

  mitra benefits apply [FILE]
      JSON in (FILE, or standard input when FILE is absent or -), JSON out on standard output.

  mitra benefits apply --usage usage.csv [--commitments commitments.json] --out results.csv [--summary]
      Streams large inputs: usage rows as CSV in any order (a file not grouped by customer is
      partitioned through temporary files next to --out), commitments as JSON, one results line
      per row and coverage part. --summary prints commitments, totals and applySeconds as JSON on
      standard output.

  MITRA_ENGINE_BUCKET_BYTES   bytes of usage.csv per partition (default 256 MiB)

  --progress   show a progress bar on standard error even when it is not a terminal
  MITRA_ISF_RATIOS   path of the instance size flexibility ratio table (CSV)
`;

class UsageError extends Error {}

interface Args {
  file?: string;
  usage?: string;
  commitments?: string;
  out?: string;
  summary: boolean;
  progress: boolean;
  help: boolean;
}

function parseArgs(args: string[]): Args {
  const a: Args = { summary: false, progress: false, help: false };
  const valued = { '--usage': 'usage', '--commitments': 'commitments', '--out': 'out' } as const;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const [name, inline] =
      arg.startsWith('--') && arg.includes('=')
        ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
        : [arg, undefined];
    if (name in valued) {
      const value = inline ?? args[++i];
      if (value === undefined || value === '') throw new UsageError(`${name} needs a file name`);
      a[valued[name as keyof typeof valued]] = value;
    } else if (name === '--summary') a.summary = true;
    else if (name === '--progress') a.progress = true;
    else if (name === '--help' || name === '-h') a.help = true;
    else if (name.startsWith('-') && name !== '-') throw new UsageError(`unknown option ${name}`);
    else if (a.file !== undefined) throw new UsageError(`one input file at most, got ${a.file} and ${name}`);
    else a.file = name;
  }
  const streaming = a.usage !== undefined || a.commitments !== undefined || a.out !== undefined || a.summary;
  if (streaming) {
    if (a.file !== undefined)
      throw new UsageError('give either FILE (JSON) or --usage/--commitments/--out, not both');
    if (!a.usage) throw new UsageError('--usage is required with --commitments, --out or --summary');
    if (!a.out) throw new UsageError('--out is required with --usage');
  }
  return a;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/** Node's JSON errors give a character position; people look for a line. */
function jsonProblem(text: string, error: SyntaxError): string {
  const at = /position (\d+)/.exec(error.message);
  if (!at) return `malformed JSON: ${error.message}`;
  const line = text.slice(0, Number(at[1])).split('\n').length;
  return `malformed JSON at line ${line}: ${error.message}`;
}

async function write(out: NodeJS.WritableStream, text: string): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}

/** Rows one per line: valid JSON that a large output can stream, and grep, without a parser. */
async function writeOutput(out: NodeJS.WritableStream, result: BenefitOutput): Promise<void> {
  const list = async (name: string, items: unknown[], last: boolean) => {
    await write(out, `${JSON.stringify(name)}: [`);
    for (let i = 0; i < items.length; i += 1000) {
      const chunk = items.slice(i, i + 1000).map((x) => `\n  ${JSON.stringify(x)}`);
      await write(out, chunk.join(',') + (i + 1000 < items.length ? ',' : ''));
    }
    await write(out, `${items.length ? '\n' : ''}]${last ? '\n' : ',\n'}`);
  };
  await write(out, '{\n');
  await list('rows', result.rows, false);
  await list('commitments', result.commitments, false);
  await list('perHour', result.perHour, true);
  await write(out, '}\n');
}

/**
 * `mitra benefits apply`: `args` are the arguments after `apply`. Returns the exit code: 0, 1 for
 * bad input (one line on standard error naming the field and row, nothing on standard output),
 * 2 for bad arguments.
 */
export async function runBenefitsApplyCli(
  args: string[],
  io: CliIo,
  /** The partition worker's script: the bundled command passes its own bundle's. */
  workerScript?: URL,
): Promise<number> {
  const fail = async (message: string, code: number) => {
    await write(io.stderr, `mitra benefits apply: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
    return code;
  };
  let a: Args;
  try {
    a = parseArgs(args);
  } catch (error) {
    if (error instanceof UsageError) return fail(`${error.message} (see --help)`, 2);
    throw error;
  }
  if (a.help) {
    await write(io.stdout, benefitsApplyUsage);
    return 0;
  }
  try {
    const ratios = loadRatioTable();
    if (a.usage) {
      const summary = await applyFiles({
        usagePath: a.usage,
        commitmentsPath: a.commitments,
        outPath: a.out!,
        ratios,
        workerScript,
        progress: (total) =>
          new Progress({ stream: io.stderr, label: 'applying', total, unit: 'B', force: a.progress }),
      });
      if (a.summary) await write(io.stdout, `${JSON.stringify(summary, null, 2)}\n`);
      return 0;
    }
    const source = a.file === undefined || a.file === '-' ? 'standard input' : a.file;
    let text: string;
    try {
      text = source === 'standard input' ? await readAll(io.stdin) : await readFile(source, 'utf8');
    } catch (error) {
      return fail(`${source}: cannot read: ${(error as Error).message}`, 1);
    }
    let input: unknown;
    try {
      input = JSON.parse(text);
    } catch (error) {
      return fail(`${source}: ${jsonProblem(text, error as SyntaxError)}`, 1);
    }
    const result = applyBenefits(input, ratios);
    await writeOutput(io.stdout, result);
    return 0;
  } catch (error) {
    if (error instanceof BenefitInputError) return fail(error.message, 1);
    return fail(error instanceof Error ? error.message : String(error), 1);
  }
}
