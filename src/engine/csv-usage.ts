import { Dictionary } from './columnar.ts';
import type { CsvCustomer, FileDictionaries } from './csv-customer.ts';
import type { RecordScanner } from './csv-scan.ts';
import { BenefitInputError } from './errors.ts';
import { emptyRow, fold, parseRow, type RawRow } from './fields.ts';
import type { RatioTable } from './ratios.ts';
import { hourOf, parseInstant } from './time.ts';

/**
 * Usage rows from `RecordScanner` cells into a customer's columns. The common row (plain
 * decimals, known values) is parsed from bytes: strings are hashed and looked up, never made,
 * numbers are read digit by digit. Anything else (an empty required cell, a number in another
 * notation, a value out of range, a quoted row) goes through the same validation as the JSON
 * mode (`parseRow`), which either accepts it with the same result or throws its one-line error.
 */
export const USAGE_FIELDS = [
  'customer',
  'rowId',
  'hour',
  'subscription',
  'resourceGroup',
  'region',
  'reservedResourceType',
  'sku',
  'isfGroup',
  'skuRatio',
  'quantity',
  'paygUnitPrice',
  'spUnitPriceP1Y',
  'spUnitPriceP3Y',
  'benefitEligible',
] as const;
const REQUIRED = ['rowId', 'hour', 'subscription', 'quantity', 'paygUnitPrice'];

/** 10^k for k ≤ 15: exact doubles, so digits / 10^k is one correctly rounded division, as Number() gives. */
const POW10 = Array.from({ length: 16 }, (_, k) => 10 ** k);
const SLOW = -1;

/** A plain decimal (`-12.5`, `0.0207`, `3`) of at most 15 digits; SLOW for anything else. */
function decimal(b: Uint8Array, s: number, e: number): number {
  let i = s;
  // Negative numbers are never valid here: the careful path names the field.
  if (b[i] === 45) return SLOW;
  if (b[i] === 43) i++;
  let m = 0;
  let digits = 0;
  let scale = 0;
  let dot = false;
  for (; i < e; i++) {
    const c = b[i];
    if (c >= 48 && c <= 57) {
      m = m * 10 + (c - 48);
      digits++;
      if (dot) scale++;
    } else if (c === 46 && !dot) dot = true;
    else return SLOW;
  }
  if (digits === 0 || digits > 15) return SLOW;
  return scale === 0 ? m : m / POW10[scale];
}

/** Byte strings to codes: an open-addressing table over an arena of the distinct values. */
class ByteInterner {
  private slots = new Int32Array(1024);
  private hashes: number[] = [];
  private starts: number[] = [];
  private lens: number[] = [];
  readonly values: number[] = [];
  private arena = new Uint8Array(1 << 12);
  private used = 0;

  /** The code of bytes [s, e), or -1 when they were never seen. */
  find(b: Uint8Array, s: number, e: number, h: number): number {
    const mask = this.slots.length - 1;
    const len = e - s;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const k = this.slots[slot] - 1;
      if (k < 0) return -1;
      if (this.hashes[k] !== h || this.lens[k] !== len) continue;
      const a = this.starts[k];
      let same = true;
      for (let i = 0; i < len; i++) {
        if (this.arena[a + i] !== b[s + i]) {
          same = false;
          break;
        }
      }
      if (same) return this.values[k];
    }
  }

  add(b: Uint8Array, s: number, e: number, h: number, value: number): void {
    const len = e - s;
    if (this.used + len > this.arena.length) {
      const next = new Uint8Array(Math.max(this.arena.length * 2, this.used + len));
      next.set(this.arena.subarray(0, this.used));
      this.arena = next;
    }
    this.arena.set(b.subarray(s, e), this.used);
    const k = this.values.length;
    this.hashes.push(h);
    this.starts.push(this.used);
    this.lens.push(len);
    this.values.push(value);
    this.used += len;
    if (2 * (k + 1) > this.slots.length) {
      this.slots = new Int32Array(this.slots.length * 2);
      for (let j = 0; j <= k; j++) this.place(j);
    } else this.place(k);
  }

  private place(k: number): void {
    const mask = this.slots.length - 1;
    let slot = this.hashes[k] & mask;
    while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
    this.slots[slot] = k + 1;
  }
}

const hashOf = (b: Uint8Array, s: number, e: number): number => {
  let h = 0x811c9dc5;
  for (let i = s; i < e; i++) h = Math.imul(h ^ b[i], 16777619);
  return h;
};

/**
 * One column's values to codes: the previous row's value is checked first (neighbouring rows
 * mostly share subscription, resource group and region), then the table of spellings seen.
 */
class ColumnCoder {
  private readonly table = new ByteInterner();
  private last = new Uint8Array(256);
  private lastLen = -1;
  private lastCode = -1;

  constructor(private readonly dict: Dictionary) {}

  code(buf: Uint8Array, a: number, b: number): number {
    const len = b - a;
    if (len === this.lastLen) {
      const last = this.last;
      let i = 0;
      while (i < len && last[i] === buf[a + i]) i++;
      if (i === len) return this.lastCode;
    }
    const h = hashOf(buf, a, b);
    let code = this.table.find(buf, a, b, h);
    if (code < 0) {
      code = this.dict.code(fold(Buffer.from(buf.buffer, buf.byteOffset + a, len).toString('utf8')));
      this.table.add(buf, a, b, h, code);
    }
    if (len <= this.last.length) {
      // A byte loop: subarray() of a Buffer makes a Buffer object, too dear per row.
      const last = this.last;
      for (let i = 0; i < len; i++) last[i] = buf[a + i];
      this.lastLen = len;
      this.lastCode = code;
    }
    return code;
  }
}

const TRUE = [0x74, 0x72, 0x75, 0x65];
const FALSE = [0x66, 0x61, 0x6c, 0x73, 0x65];
const equalsAscii = (b: Uint8Array, s: number, e: number, word: number[]) => {
  if (e - s !== word.length) return false;
  for (let i = 0; i < word.length; i++) if (b[s + i] !== word[i]) return false;
  return true;
};

type Field = (typeof USAGE_FIELDS)[number];

export class UsageCsvReader {
  readonly dicts: FileDictionaries = {
    sub: new Dictionary(),
    rg: new Dictionary(),
    region: new Dictionary(),
    rtype: new Dictionary(),
    sku: new Dictionary(),
    group: new Dictionary(),
  };
  /** Column of each field in the file, -1 when absent. */
  readonly at: Record<Field, number>;
  readonly columns: number;
  private readonly coders: Record<keyof FileDictionaries, ColumnCoder>;
  /** Per SKU code: the ratio table's group (code) and ratio, looked up once per distinct SKU. */
  private readonly skuGroup: number[] = [];
  private readonly skuRatio: number[] = [];
  private lastHourStart = -1;
  private lastHourLen = 0;
  private lastHourBytes = new Uint8Array(64);
  private lastHour = 0;
  private readonly hourCache = new Map<string, number>();
  private readonly row = emptyRow();

  constructor(
    header: string[],
    readonly file: string,
    private readonly ratios: RatioTable,
  ) {
    const columns = new Map(header.map((name, i) => [name.trim(), i]));
    for (const name of REQUIRED) {
      if (!columns.has(name)) throw new BenefitInputError(file, '', `missing column ${JSON.stringify(name)}`);
    }
    if (columns.size !== header.length) throw new BenefitInputError(file, '', 'a column appears twice');
    this.at = Object.fromEntries(
      USAGE_FIELDS.map((f) => [f, columns.has(f) ? columns.get(f)! : -1]),
    ) as Record<Field, number>;
    this.columns = header.length;
    const d = this.dicts;
    this.coders = {
      sub: new ColumnCoder(d.sub),
      rg: new ColumnCoder(d.rg),
      region: new ColumnCoder(d.region),
      rtype: new ColumnCoder(d.rtype),
      sku: new ColumnCoder(d.sku),
      group: new ColumnCoder(d.group),
    };
  }

  locate(line: number, rowId: string): string {
    return `${this.file} line ${line}${rowId ? ` (rowId ${JSON.stringify(rowId)})` : ''}`;
  }

  /** The record's customer ('' without a customer column). */
  customerOf(s: RecordScanner): string {
    return this.at.customer < 0 ? '' : s.text(this.at.customer);
  }

  checkCells(s: RecordScanner, line: number): void {
    if (s.cells !== this.columns) {
      throw new BenefitInputError(
        `${this.file} line ${line}`,
        '',
        `${s.cells} cells, the header has ${this.columns}`,
      );
    }
  }

  /** Adds the record (already checked with `checkCells`) to `into` as its row `into.n`. */
  add(s: RecordScanner, line: number, into: CsvCustomer): void {
    into.reserve();
    if (!this.fast(s, into)) this.careful(s, line, into);
    else into.addId(s.buf, s.starts[this.at.rowId], s.ends[this.at.rowId]);
    into.commit(line);
  }

  /** Refuses a customer whose rows repeat an id, naming the repeat's line (checked once all are in). */
  checkIds(into: CsvCustomer): void {
    const row = into.firstDuplicate();
    if (row >= 0)
      throw new BenefitInputError(
        this.locate(into.source[row], into.rowId(row)),
        'rowId',
        'appears twice for this customer',
      );
  }

  private code(name: keyof FileDictionaries, buf: Uint8Array, a: number, b: number): number {
    return this.coders[name].code(buf, a, b);
  }

  private skuCode(buf: Uint8Array, a: number, b: number): number {
    const sku = this.coders.sku.code(buf, a, b);
    while (this.skuGroup.length <= sku) {
      const entry = this.ratios.get(this.dicts.sku.values[this.skuGroup.length]);
      this.skuGroup.push(entry ? this.dicts.group.code(entry.group.toLowerCase()) : -1);
      this.skuRatio.push(entry ? entry.ratio : Number.NaN);
    }
    return sku;
  }

  private hour(buf: Uint8Array, a: number, b: number): number {
    const len = b - a;
    if (len === this.lastHourLen && this.lastHourStart >= 0) {
      let same = true;
      const last = this.lastHourBytes;
      for (let i = 0; i < len; i++) {
        if (last[i] !== buf[a + i]) {
          same = false;
          break;
        }
      }
      if (same) return this.lastHour;
    }
    if (len === 0 || len > 64) return Number.NaN;
    const text = Buffer.from(buf.buffer, buf.byteOffset + a, len).toString('latin1');
    let hour = this.hourCache.get(text);
    if (hour === undefined) {
      const ms = parseInstant(text);
      if (Number.isNaN(ms)) return Number.NaN;
      hour = hourOf(ms);
      if (this.hourCache.size > 100_000) this.hourCache.clear();
      this.hourCache.set(text, hour);
    }
    this.lastHourBytes.set(buf.subarray(a, b));
    this.lastHourLen = len;
    this.lastHourStart = 0;
    this.lastHour = hour;
    return hour;
  }

  /** The common row, from bytes; false (nothing kept) when it needs the careful path. */
  private fast(s: RecordScanner, into: CsvCustomer): boolean {
    // A quoted record may hold row ids that need quoting again on output: the careful path knows.
    if (s.quoted) return false;
    const buf = s.buf;
    const st = s.starts;
    const en = s.ends;
    const at = this.at;
    const i = into.n;
    const c = into.cols;
    const coders = this.coders;
    let k = at.rowId;
    if (st[k] === en[k]) return false;
    k = at.hour;
    const hour = this.hour(buf, st[k], en[k]);
    if (Number.isNaN(hour)) return false;
    k = at.subscription;
    if (st[k] === en[k]) return false;
    c.sub[i] = coders.sub.code(buf, st[k], en[k]);
    k = at.resourceGroup;
    c.rg[i] = k < 0 ? this.dicts.rg.code('') : coders.rg.code(buf, st[k], en[k]);
    k = at.region;
    c.region[i] = k < 0 ? this.dicts.region.code('') : coders.region.code(buf, st[k], en[k]);
    k = at.reservedResourceType;
    c.rtype[i] = k < 0 || st[k] === en[k] ? -1 : coders.rtype.code(buf, st[k], en[k]);
    k = at.sku;
    const sku = k < 0 ? this.skuCode(new Uint8Array(0), 0, 0) : this.skuCode(buf, st[k], en[k]);
    c.sku[i] = sku;
    k = at.isfGroup;
    c.group[i] = k < 0 || st[k] === en[k] ? this.skuGroup[sku] : coders.group.code(buf, st[k], en[k]);
    k = at.skuRatio;
    if (k < 0 || st[k] === en[k]) c.ratio[i] = this.skuRatio[sku];
    else {
      const r = decimal(buf, st[k], en[k]);
      if (!(r > 0)) return false;
      c.ratio[i] = r;
    }
    k = at.quantity;
    const q = decimal(buf, st[k], en[k]);
    if (q === SLOW || st[k] === en[k]) return false;
    c.quantity[i] = q;
    k = at.paygUnitPrice;
    const p = decimal(buf, st[k], en[k]);
    if (p === SLOW || st[k] === en[k]) return false;
    c.payg[i] = p;
    k = at.spUnitPriceP1Y;
    if (k < 0 || st[k] === en[k]) c.sp1[i] = Number.NaN;
    else {
      const x = decimal(buf, st[k], en[k]);
      if (!(x > 0)) return false;
      c.sp1[i] = x;
    }
    k = at.spUnitPriceP3Y;
    if (k < 0 || st[k] === en[k]) c.sp3[i] = Number.NaN;
    else {
      const x = decimal(buf, st[k], en[k]);
      if (!(x > 0)) return false;
      c.sp3[i] = x;
    }
    k = at.benefitEligible;
    if (k < 0 || st[k] === en[k] || equalsAscii(buf, st[k], en[k], TRUE)) c.eligible[i] = 1;
    else if (equalsAscii(buf, st[k], en[k], FALSE)) c.eligible[i] = 0;
    else return false;
    c.hour[i] = hour;
    return true;
  }

  /** Any row, through the contract's validation; throws its one-line error. */
  private careful(s: RecordScanner, line: number, into: CsvCustomer): void {
    const raw: Record<string, string | undefined> = {};
    for (const f of USAGE_FIELDS) {
      const k = this.at[f];
      if (k < 0) continue;
      const cell = s.text(k);
      raw[f] = cell === '' ? undefined : cell;
    }
    const row = parseRow(raw as RawRow, () => this.locate(line, raw.rowId ?? ''), this.row, true);
    const i = into.n;
    const c = into.cols;
    const bytes = (text: string) => Buffer.from(text, 'utf8');
    const codeOf = (name: keyof FileDictionaries, text: string) => {
      const b = bytes(text);
      return this.code(name, b, 0, b.length);
    };
    c.hour[i] = row.hour;
    c.sub[i] = codeOf('sub', row.subscription);
    c.rg[i] = codeOf('rg', row.resourceGroup);
    c.region[i] = codeOf('region', row.region);
    c.rtype[i] = row.rtype === null ? -1 : codeOf('rtype', row.rtype);
    const skuBytes = bytes(row.sku);
    const sku = this.skuCode(skuBytes, 0, skuBytes.length);
    c.sku[i] = sku;
    c.group[i] = row.isfGroup === null ? this.skuGroup[sku] : codeOf('group', row.isfGroup);
    c.ratio[i] = Number.isNaN(row.skuRatio) ? this.skuRatio[sku] : row.skuRatio;
    c.quantity[i] = row.quantity;
    c.payg[i] = row.payg;
    c.sp1[i] = row.sp1;
    c.sp3[i] = row.sp3;
    c.eligible[i] = row.eligible ? 1 : 0;
    const id = bytes(row.rowId);
    if (/[",\r\n]/.test(row.rowId)) into.quoteIds = true;
    into.addId(id, 0, id.length);
  }
}
