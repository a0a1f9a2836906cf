import { writeSync } from 'node:fs';
import type { CustomerResult } from './core.ts';
import { csvCell } from './csv.ts';
import type { CsvBatch } from './csv-customer.ts';
import { tidy } from './output.ts';

/**
 * `results.csv` written from the core's arrays into one 4 MiB buffer, flushed with one write
 * each time it fills. Numbers are printed as `tidy` rounds them (12 decimals), digit by digit
 * for values below 1000 — the text parses back to exactly the double `tidy` returns — and with
 * `String` beyond.
 */
export const RESULTS_HEADER = 'rowId,by,quantity,consumed,paygQuantity,actualCost,amortizedCost\n';

const SCALE = 1e12;

export class ResultsWriter {
  private out = Buffer.allocUnsafe(1 << 22);
  private pos = 0;
  bytes = 0;

  /** `header` false for one partition's part of the file, appended after the header. */
  constructor(
    private readonly fd: number,
    header = true,
  ) {
    if (header) this.text(RESULTS_HEADER);
  }

  /** Writes out what is buffered: before bytes are appended to the file from elsewhere. */
  flush(): void {
    let at = 0;
    while (at < this.pos) at += writeSync(this.fd, this.out, at, this.pos - at);
    this.bytes += this.pos;
    this.pos = 0;
  }

  private room(bytes: number): void {
    if (this.pos + bytes <= this.out.length) return;
    this.flush();
    if (bytes > this.out.length) this.out = Buffer.allocUnsafe(bytes * 2);
  }

  private text(s: string): void {
    this.room(s.length * 3);
    this.pos += this.out.write(s, this.pos, 'utf8');
  }

  byte(c: number): void {
    this.out[this.pos++] = c;
  }

  /** An integer below 10^6 as `len` digits (zero-padded), integer arithmetic only. */
  private six(v: number, len: number): void {
    const out = this.out;
    let x = v | 0;
    for (let k = this.pos + len - 1; k >= this.pos; k--) {
      const q = (x / 10) | 0;
      out[k] = 48 + x - q * 10;
      x = q;
    }
    this.pos += len;
  }

  number(x: number): void {
    const m = Math.round(x * SCALE);
    const a = Math.abs(x);
    if (a < 1e-12 || m === 0) {
      this.byte(48);
      return;
    }
    if (a >= 1000) {
      this.pos += this.out.write(String(tidy(x)), this.pos, 'latin1');
      return;
    }
    const am = Math.abs(m);
    if (m < 0) this.byte(45);
    let whole = Math.floor(am / SCALE);
    let frac = am - whole * SCALE;
    if (frac < 0) {
      whole--;
      frac += SCALE;
    } else if (frac >= SCALE) {
      whole++;
      frac -= SCALE;
    }
    this.six(whole, whole < 10 ? 1 : whole < 100 ? 2 : whole < 1000 ? 3 : 4);
    if (frac === 0) return;
    this.byte(46);
    // Twelve decimals as two groups of six, trailing zeros dropped.
    const hi = Math.floor(frac / 1e6);
    let lo = frac - hi * 1e6;
    if (lo === 0) {
      let h = hi;
      let len = 6;
      while (h % 10 === 0) {
        h = (h / 10) | 0;
        len--;
      }
      this.six(h, len);
      return;
    }
    this.six(hi, 6);
    let len = 6;
    while (lo % 10 === 0) {
      lo = (lo / 10) | 0;
      len--;
    }
    this.six(lo, len);
  }

  /** One customer's lines: rows in input order, each row's parts in application order. */
  customer(b: CsvBatch, r: CustomerResult): void {
    const n = b.batch.usage.length;
    const start = new Int32Array(n + 1);
    for (let j = 0; j < r.parts; j++) start[r.partRow[j] + 1]++;
    for (let i = 0; i < n; i++) start[i + 1] += start[i];
    const fill = start.slice(0, n);
    const byRow = new Int32Array(r.parts);
    for (let j = 0; j < r.parts; j++) byRow[fill[r.partRow[j]]++] = j;
    const by = b.batch.commitments.map((c) => Buffer.from(csvCell(c.id)));
    const plan = b.batch.commitments.map((c) => c.kind !== 0);
    const { ids, idStart, idEnd, inputOrder } = b;
    const out = () => this.out;
    for (let t = 0; t < n; t++) {
      const i = inputOrder[t];
      const s = idStart[i];
      const e = idEnd[i];
      let quoted: string | null = null;
      if (b.quoteIds) {
        const text = Buffer.from(ids.buffer, ids.byteOffset + s, e - s).toString('utf8');
        const cell = csvCell(text);
        if (cell !== text) quoted = cell;
      }
      const lines = Math.max(1, start[i + 1] - start[i]);
      for (let line = 0; line < lines; line++) {
        this.room(3 * (e - s) + 512);
        if (quoted !== null) this.pos += out().write(quoted, this.pos, 'utf8');
        else {
          const o = out();
          let p = this.pos;
          for (let k = s; k < e; k++) o[p++] = ids[k];
          this.pos = p;
        }
        this.byte(44);
        if (start[i] === start[i + 1]) {
          this.byte(44);
          this.byte(44);
        } else {
          const j = byRow[start[i] + line];
          const k = r.partBy[j];
          const id = by[k];
          if (this.pos + id.length > this.out.length) this.room(id.length + 256);
          id.copy(this.out, this.pos);
          this.pos += id.length;
          this.byte(44);
          this.number(r.partQuantity[j]);
          this.byte(44);
          if (plan[k]) this.number(r.partConsumed[j]);
        }
        this.byte(44);
        // The row's own figures on its first line only, so that column sums are totals.
        if (line === 0) {
          this.number(r.paygQuantity[i]);
          this.byte(44);
          this.number(r.actualCost[i]);
          this.byte(44);
          this.number(r.amortizedCost[i]);
        } else {
          this.byte(44);
          this.byte(44);
        }
        this.byte(10);
      }
    }
  }

  close(): void {
    this.flush();
  }
}
