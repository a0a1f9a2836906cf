import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { invalid, MitraError } from '../domain/errors.ts';
import { type FocusVersion, looksLikeFocus } from '../domain/focus-usage.ts';
import { focusContext, focusCsvSource, focusParquetSource } from './focus-usage.ts';
import { mitraCsvSource, splitHeader, type UsageRowSource } from './usage-import.ts';

/** Mitra's own usage CSV (docs/usage-csv.md), or the cloud's FOCUS cost export (docs/usage-focus.md). */
export type UsageFormat = 'csv' | 'focus';

/** A file on disk (the command), or a byte stream such as an upload. */
export type UsageFileInput = { path: string } | { stream: AsyncIterable<string | Buffer> };

export interface OpenedUsageFile {
  source: UsageRowSource;
  format: UsageFormat;
  /** The FocusCost version, for FOCUS files. */
  version?: FocusVersion;
  /** Frees what reading needed (DuckDB, a temporary copy of an uploaded Parquet file). */
  close(): Promise<void>;
}

const parquetMagic = Buffer.from('PAR1');
const isGzip = (head: Buffer) => head[0] === 0x1f && head[1] === 0x8b;

/** The first bytes of a stream (at least `n`, unless it ends first), and the stream again from the start. */
async function peek(chunks: AsyncIterable<string | Buffer>, n: number) {
  const reader = chunks[Symbol.asyncIterator]();
  const seen: Buffer[] = [];
  let length = 0;
  while (length < n) {
    const next = await reader.next();
    if (next.done) break;
    const chunk = typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
    seen.push(chunk);
    length += chunk.length;
  }
  const head = Buffer.concat(seen);
  async function* again() {
    if (head.length) yield head;
    for (;;) {
      const next = await reader.next();
      if (next.done) return;
      yield typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
    }
  }
  return { head, bytes: again() };
}

async function* gunzipped(bytes: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of Readable.from(bytes).pipe(createGunzip())) yield chunk as Buffer;
  } catch (error) {
    if ((error as { code?: string }).code?.startsWith('Z_'))
      throw invalid(
        'invalid-usage-file',
        'The file looks gzip-compressed but cannot be uncompressed; send it again, whole.',
      );
    throw error;
  }
}

/**
 * Opens a usage file of either format, from a path (the command) or a byte stream (an upload):
 * Parquet is recognised by its magic bytes and read as a FOCUS export; gzip is uncompressed as it
 * streams; a CSV's format is `format`, or else told by its header (FOCUS has ChargePeriodStart).
 */
export async function openUsageFile(
  input: UsageFileInput,
  options: { format?: UsageFormat; ledgerCurrency: string },
): Promise<OpenedUsageFile> {
  const file = 'path' in input ? createReadStream(input.path) : undefined;
  const { head, bytes } = await peek('stream' in input ? input.stream : file!, 4);
  const ctx = focusContext(options.ledgerCurrency);
  if (head.subarray(0, 4).equals(parquetMagic)) {
    if (options.format === 'csv') {
      file?.destroy();
      throw invalid(
        'usage-format-mismatch',
        "This is a Parquet file, which Mitra reads as a FOCUS cost export; import it with format focus (Mitra's own usage format is CSV).",
      );
    }
    let path: string;
    let dir: string | undefined;
    if ('path' in input) {
      path = input.path;
      file?.destroy(); // DuckDB opens the file itself.
    } else {
      // DuckDB reads Parquet from a file (its footer comes last): the upload is copied to one first.
      dir = await mkdtemp(join(tmpdir(), 'mitra-usage-'));
      path = join(dir, 'usage.parquet');
      await pipeline(Readable.from(bytes), createWriteStream(path));
    }
    const cleanup = async () => {
      if (dir) await rm(dir, { recursive: true, force: true });
    };
    try {
      const parquet = await focusParquetSource(path, ctx);
      return {
        source: parquet,
        format: 'focus',
        version: parquet.version,
        close: async () => {
          parquet.close();
          await cleanup();
        },
      };
    } catch (error) {
      await cleanup();
      if (error instanceof MitraError) throw error;
      // DuckDB's own words help at the command; an upload's answer does not name server paths.
      const why = 'path' in input ? ` (${String((error as Error).message).split('\n')[0]})` : '';
      throw invalid(
        'invalid-usage-file',
        `The file starts like Parquet but cannot be read as Parquet${why}; send it again, whole.`,
      );
    }
  }
  const text = isGzip(head) ? gunzipped(bytes) : bytes;
  const { header, records } = await splitHeader(text);
  const format = options.format ?? (looksLikeFocus(header.cells.map((c) => c.trim())) ? 'focus' : 'csv');
  const close = async () => {};
  if (format === 'csv') return { source: mitraCsvSource(header, records), format, close };
  const focus = focusCsvSource(header, records, ctx);
  return { source: focus, format, version: focus.version, close };
}
