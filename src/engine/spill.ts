import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { RecordScanner } from './csv-scan.ts';

/**
 * A partition's temporary file: usage.csv's records as the CSV scanner already cut them, so
 * that reading one back costs no second scan of every byte. A record is
 *   u32 body bytes · u32 its line in usage.csv · u8 flags · cell count · cell lengths · body
 * where the body is the cells' bytes one after another, separated by one byte (the comma) when
 * the record had no quotes (copied straight from the file) and by nothing when it had (copied
 * unescaped from the scanner). Cell count and lengths are u8 when every length is below 255,
 * else u32 (flag 2). Little-endian throughout; the file lives only for the run that wrote it.
 */
const QUOTED = 1;
const WIDE = 2;
const HEAD = 9;

/** Written through a 1 MiB buffer. */
export class SpillWriter {
  private readonly fd: number;
  private buf = Buffer.allocUnsafe(1 << 20);
  private pos = 0;

  constructor(path: string) {
    this.fd = openSync(path, 'w');
  }

  private flush(): void {
    let at = 0;
    while (at < this.pos) at += writeSync(this.fd, this.buf, at, this.pos - at);
    this.pos = 0;
  }

  record(line: number, s: RecordScanner): void {
    const n = s.cells;
    const st = s.starts;
    const en = s.ends;
    let wide = n >= 255;
    for (let k = 0; k < n && !wide; k++) if (en[k] - st[k] >= 255) wide = true;
    const from = st[0];
    const to = en[n - 1];
    const body = to - from;
    const size = HEAD + (wide ? 4 * (n + 1) : n + 1) + body;
    if (this.pos + size > this.buf.length) {
      this.flush();
      if (size > this.buf.length) this.buf = Buffer.allocUnsafe(2 * size);
    }
    const b = this.buf;
    let p = this.pos;
    b.writeUInt32LE(body, p);
    b.writeUInt32LE(line, p + 4);
    b[p + 8] = (s.quoted ? QUOTED : 0) | (wide ? WIDE : 0);
    p += HEAD;
    if (wide) {
      b.writeUInt32LE(n, p);
      p += 4;
      for (let k = 0; k < n; k++, p += 4) b.writeUInt32LE(en[k] - st[k], p);
    } else {
      b[p++] = n;
      for (let k = 0; k < n; k++) b[p++] = en[k] - st[k];
    }
    b.set(s.buf.subarray(from, to), p);
    this.pos = p + body;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

/** Calls `record` for every record of a spill file, with its line in usage.csv. */
export function readSpill(
  path: string,
  record: (s: RecordScanner, line: number) => void,
  onBytes?: (bytes: number) => void,
): void {
  const fd = openSync(path, 'r');
  try {
    const s = new RecordScanner();
    let buf = Buffer.allocUnsafe(1 << 22);
    let filled = 0;
    for (;;) {
      const got = readSync(fd, buf, filled, buf.length - filled, null);
      onBytes?.(got);
      if (got === 0) break;
      const end = filled + got;
      let p = 0;
      while (p + HEAD <= end) {
        const body = buf.readUInt32LE(p);
        const flags = buf[p + 8];
        const wide = (flags & WIDE) !== 0;
        if (p + HEAD + (wide ? 4 : 1) > end) break;
        const n = wide ? buf.readUInt32LE(p + HEAD) : buf[p + HEAD];
        const lengths = wide ? 4 * (n + 1) : n + 1;
        const size = HEAD + lengths + body;
        if (p + size > end) {
          if (size > buf.length) {
            const bigger = Buffer.allocUnsafe(2 * size);
            buf.copy(bigger, 0, p, end);
            buf = bigger;
            filled = end - p;
            p = -1;
          }
          break;
        }
        while (s.starts.length < n + 1) s.grow();
        const sep = flags & QUOTED ? 0 : 1;
        let at = p + HEAD + lengths;
        let q = p + HEAD + (wide ? 4 : 1);
        for (let k = 0; k < n; k++) {
          const len = wide ? buf.readUInt32LE(q) : buf[q];
          q += wide ? 4 : 1;
          s.starts[k] = at;
          s.ends[k] = at + len;
          at += len + sep;
        }
        s.cells = n;
        s.buf = buf;
        s.quoted = sep === 0;
        record(s, buf.readUInt32LE(p + 4));
        p += size;
      }
      if (p < 0) continue;
      buf.copy(buf, 0, p, end);
      filled = end - p;
    }
  } finally {
    closeSync(fd);
  }
}
