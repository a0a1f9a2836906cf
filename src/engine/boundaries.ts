import { closeSync, openSync, readSync } from 'node:fs';
import { RecordScanner } from './csv-scan.ts';

/**
 * Where a file grouped by customer can be cut into byte ranges for several threads: at a record
 * where the customer changes, near each of `parts - 1` evenly spaced offsets. Found by reading a
 * window at each offset, skipping to the next line and comparing customer cells. A cut that lands
 * inside a quoted cell spanning lines is not detected here: the range before it reports that it
 * did not end at a record's end, and the run starts over on one thread.
 */
const WINDOW = 1 << 20;
const MAX_WINDOW = 64 << 20;

function read(fd: number, at: number, bytes: number): Buffer {
  const buf = Buffer.allocUnsafe(bytes);
  let got = 0;
  while (got < bytes) {
    const n = readSync(fd, buf, got, bytes - got, at + got);
    if (n === 0) break;
    got += n;
  }
  return buf.subarray(0, got);
}

/** The file's first record (the header) and where the data after it starts; null if not in 1 MiB. */
export function headerOf(path: string): { scanner: RecordScanner; dataStart: number } | null {
  const fd = openSync(path, 'r');
  try {
    const buf = read(fd, 0, WINDOW);
    const bom = buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
    const scanner = new RecordScanner();
    const next = scanner.scan(buf, bom, buf.length, false);
    return next < 0 ? null : { scanner, dataStart: next };
  } finally {
    closeSync(fd);
  }
}

/** The first record start at or after `from` whose customer differs from the record before; -1 if none. */
function cutNear(fd: number, from: number, size: number, customerAt: number): number {
  for (let window = WINDOW; window <= MAX_WINDOW; window *= 4) {
    const buf = read(fd, from, Math.min(window, size - from));
    const eof = from + buf.length >= size;
    let pos = buf.indexOf(10) + 1;
    if (pos === 0) continue;
    const s = new RecordScanner();
    let last: Buffer | null = null;
    while (pos < buf.length) {
      const next = s.scan(buf, pos, buf.length, eof);
      if (next < 0) break;
      if (s.cells > customerAt) {
        const cell = Buffer.from(s.buf.subarray(s.starts[customerAt], s.ends[customerAt]));
        if (last && !cell.equals(last)) return from + pos;
        last = cell;
      }
      pos = next;
    }
    if (eof) return -1;
  }
  return -1;
}

/** Cuts for `parts` ranges of [dataStart, size), strictly increasing; null when one is not found. */
export function cutsOf(
  path: string,
  dataStart: number,
  size: number,
  customerAt: number,
  parts: number,
): number[] | null {
  const fd = openSync(path, 'r');
  try {
    const cuts = [dataStart];
    for (let i = 1; i < parts; i++) {
      const at = Math.max(cuts[i - 1], dataStart + Math.floor(((size - dataStart) * i) / parts));
      const cut = cutNear(fd, at, size, customerAt);
      if (cut <= cuts[i - 1]) return null;
      cuts.push(cut);
    }
    cuts.push(size);
    return cuts;
  } finally {
    closeSync(fd);
  }
}
