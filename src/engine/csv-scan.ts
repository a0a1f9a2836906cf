import { closeSync, openSync, readSync } from 'node:fs';

/**
 * RFC 4180 records straight from the file's bytes, for the streaming mode: no string per line
 * or per cell. A record is a list of cells, each a byte range of `buf` (the read buffer itself,
 * or for a record with quotes a scratch buffer holding its unescaped cells). Accepted: quoted
 * cells with doubled quotes, commas and newlines inside, CRLF or LF, a last line without a
 * newline, a UTF-8 byte order mark; blank lines are skipped.
 */
export class RecordScanner {
  starts = new Int32Array(64);
  ends = new Int32Array(64);
  cells = 0;
  buf: Uint8Array = new Uint8Array(0);
  /** Lines the record spans (more than 1 when a quoted cell holds newlines). */
  lines = 1;
  /** The record had quotes (its cells are in the scratch buffer). */
  quoted = false;
  /** The record ended at the end of the data inside a quoted cell (its closing quote missing). */
  unterminated = false;
  private scratch = new Uint8Array(1 << 12);

  /** Room for twice as many cells. */
  grow(): void {
    const starts = new Int32Array(this.starts.length * 2);
    starts.set(this.starts);
    this.starts = starts;
    const ends = new Int32Array(this.ends.length * 2);
    ends.set(this.ends);
    this.ends = ends;
  }

  /**
   * The record at `pos` of `chunk[0, end)`. Returns the position after the record, or -1 when
   * the record does not end before `end` and more data may come (`final`: it ends at `end`).
   */
  scan(chunk: Uint8Array, pos: number, end: number, final: boolean): number {
    let n = 0;
    let c0 = pos;
    const starts = this.starts;
    const ends = this.ends;
    const limit = starts.length - 1;
    for (let i = pos; i < end; i++) {
      const c = chunk[i];
      // Commas, newlines and quotes are all at or below 44; most bytes are above.
      if (c > 44) continue;
      if (c === 44) {
        if (n === limit) return this.scanSlowGrow(chunk, pos, end, final);
        starts[n] = c0;
        ends[n++] = i;
        c0 = i + 1;
      } else if (c === 10) {
        starts[n] = c0;
        ends[n++] = i > c0 && chunk[i - 1] === 13 ? i - 1 : i;
        this.cells = n;
        this.buf = chunk;
        this.lines = 1;
        this.quoted = false;
        return i + 1;
      } else if (c === 34) return this.scanQuoted(chunk, pos, end, final);
    }
    if (!final) return -1;
    starts[n] = c0;
    ends[n++] = end > c0 && chunk[end - 1] === 13 ? end - 1 : end;
    this.cells = n;
    this.buf = chunk;
    this.lines = 1;
    this.quoted = false;
    return end;
  }

  private scanSlowGrow(chunk: Uint8Array, pos: number, end: number, final: boolean): number {
    this.grow();
    return this.scan(chunk, pos, end, final);
  }

  private put(at: number, byte: number): number {
    if (at === this.scratch.length) {
      const next = new Uint8Array(this.scratch.length * 2);
      next.set(this.scratch);
      this.scratch = next;
    }
    this.scratch[at] = byte;
    return at + 1;
  }

  /** A record with quotes, unescaped cell by cell into the scratch buffer. */
  private scanQuoted(chunk: Uint8Array, pos: number, end: number, final: boolean): number {
    let n = 0;
    let w = 0;
    let lines = 1;
    let quoted = false;
    this.starts[0] = 0;
    for (let i = pos; i < end; i++) {
      const c = chunk[i];
      if (quoted) {
        if (c === 34) {
          if (i + 1 < end && chunk[i + 1] === 34) {
            w = this.put(w, 34);
            i++;
            continue;
          }
          if (i + 1 >= end && !final) return -1;
          quoted = false;
          continue;
        }
        if (c === 10) lines++;
        w = this.put(w, c);
        continue;
      }
      if (c === 34) quoted = true;
      else if (c === 44 || c === 10) {
        let e = w;
        if (c === 10 && e > this.starts[n] && this.scratch[e - 1] === 13) e--;
        this.ends[n++] = e;
        if (n >= this.starts.length) this.grow();
        this.starts[n] = w;
        if (c === 10) return this.done(n, lines, i + 1);
      } else w = this.put(w, c);
    }
    if (!final) return -1;
    let e = w;
    if (e > this.starts[n] && this.scratch[e - 1] === 13) e--;
    this.ends[n++] = e;
    const next = this.done(n, lines, end);
    this.unterminated = quoted;
    return next;
  }

  private done(cells: number, lines: number, next: number): number {
    this.unterminated = false;
    this.cells = cells;
    this.lines = lines;
    this.buf = this.scratch;
    this.quoted = true;
    return next;
  }

  /** The cell as text (UTF-8). */
  text(k: number): string {
    return Buffer.from(
      this.buf.buffer,
      this.buf.byteOffset + this.starts[k],
      this.ends[k] - this.starts[k],
    ).toString('utf8');
  }

  /** Whether the record is one empty cell: a blank line. */
  blank(): boolean {
    return this.cells === 1 && this.starts[0] === this.ends[0];
  }
}

/** A byte range of a file: `start` must be where a record starts. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Calls `record` for every record of the file (or of `range`), with its 1-based starting line
 * (counted from the range's start), reading 4 MiB at a time (a record longer than the buffer
 * grows it). `onBytes` reports progress. Returns whether the data ended cleanly: its last record
 * ended with a newline, not inside a quoted cell; for a range, that its end is a record's end.
 */
export function scanFile(
  path: string,
  record: (s: RecordScanner, line: number) => void,
  onBytes?: (bytes: number) => void,
  chunkBytes = 1 << 22,
  range?: ByteRange,
): { clean: boolean } {
  const fd = openSync(path, 'r');
  try {
    const scanner = new RecordScanner();
    let buf = Buffer.allocUnsafe(chunkBytes);
    let filled = 0;
    let line = 1;
    let first = !range || range.start === 0;
    let eof = false;
    let at = range?.start ?? 0;
    let clean = true;
    while (!eof) {
      if (filled === buf.length) {
        const bigger = Buffer.allocUnsafe(buf.length * 2);
        buf.copy(bigger, 0, 0, filled);
        buf = bigger;
      }
      const want = range ? Math.min(buf.length - filled, range.end - at) : buf.length - filled;
      const got = want > 0 ? readSync(fd, buf, filled, want, range ? at : null) : 0;
      at += got;
      onBytes?.(got);
      eof = got === 0;
      const end = filled + got;
      let pos = 0;
      if (first && end >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) pos = 3;
      if (end > 0) first = false;
      while (pos < end) {
        const next = scanner.scan(buf, pos, end, eof);
        if (next < 0) break;
        clean = buf[next - 1] === 10 && !scanner.unterminated;
        if (!scanner.blank()) record(scanner, line);
        line += scanner.lines;
        pos = next;
      }
      // The incomplete last record moves to the front; the next read appends to it.
      buf.copy(buf, 0, pos, end);
      filled = end - pos;
    }
    return { clean };
  } finally {
    closeSync(fd);
  }
}
