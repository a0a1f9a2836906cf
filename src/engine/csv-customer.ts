import {
  allocateUsage,
  type CommitmentSpec,
  type CustomerBatch,
  compareCodePoints,
  type Dictionary,
  gatherUsage,
  sliceUsage,
  USAGE_COLUMNS,
  type UsageColumns,
} from './columnar.ts';
import type { ParsedCommitment } from './commitments.ts';

/**
 * One customer's rows as the CSV reader collects them: columns of dictionary codes and numbers,
 * row ids as UTF-8 bytes in one arena (never one string per row), each row's line in the file.
 * The codes come from dictionaries shared by the whole file (`FileDictionaries`), so that a value
 * is hashed once whatever customer it belongs to; `finish` ranks only this customer's values.
 */
export interface FileDictionaries {
  sub: Dictionary;
  rg: Dictionary;
  region: Dictionary;
  rtype: Dictionary;
  sku: Dictionary;
  group: Dictionary;
}

/** A customer ready for the core, with what the writer needs to name rows in input order. */
export interface CsvBatch {
  customer: string;
  batch: CustomerBatch;
  commitments: ParsedCommitment[];
  /** Per batch row: its line in the file. */
  source: Int32Array;
  /** Per batch row: its row id, `ids[idStart, idEnd)`. */
  idStart: Int32Array;
  idEnd: Int32Array;
  ids: Uint8Array;
  /** Some row id holds a comma, quote or newline (it came from a quoted cell) and needs quoting. */
  quoteIds: boolean;
  /** Batch rows in input order (rows outside the reported hours left out). */
  inputOrder: Int32Array;
}

const decoder = new TextDecoder();

export class CsvCustomer {
  n = 0;
  cols: UsageColumns;
  source: Int32Array;
  idStart: Int32Array;
  idEnd: Int32Array;
  private idHash: Int32Array;
  ids: Uint8Array;
  idBytes = 0;
  quoteIds = false;

  /** `rows`: expected size (the previous customer's is a good guess); the arrays double beyond it. */
  constructor(
    readonly customer: string,
    rows = 1024,
  ) {
    const size = Math.max(1024, Math.min(rows, 1 << 24));
    this.cols = allocateUsage(size);
    this.source = new Int32Array(size);
    this.idStart = new Int32Array(size);
    this.idEnd = new Int32Array(size);
    this.idHash = new Int32Array(size);
    this.ids = new Uint8Array(size * 24);
  }

  /** Room for one more row at index `n`. */
  reserve(): void {
    if (this.n < this.source.length) return;
    const size = this.source.length * 2;
    const cols = allocateUsage(size);
    for (const k of USAGE_COLUMNS) (cols[k] as any).set(this.cols[k]);
    this.cols = cols;
    const grow = (a: Int32Array) => {
      const b = new Int32Array(size);
      b.set(a);
      return b;
    };
    this.source = grow(this.source);
    this.idStart = grow(this.idStart);
    this.idEnd = grow(this.idEnd);
    this.idHash = grow(this.idHash);
  }

  /**
   * Records row `n`'s id. Duplicates are looked for once the customer's rows are all in
   * (`firstDuplicate`): probing a hash table per row while a file in hour order interleaves a
   * hundred customers' tables missed the cache on nearly every row (a sixth of the run).
   */
  addId(buf: Uint8Array, s: number, e: number): void {
    const len = e - s;
    if (this.idBytes + len > this.ids.length) {
      const next = new Uint8Array(Math.max(this.ids.length * 2, this.idBytes + len));
      next.set(this.ids.subarray(0, this.idBytes));
      this.ids = next;
    }
    let h = 0x811c9dc5;
    for (let i = s; i < e; i++) h = Math.imul(h ^ buf[i], 16777619);
    const ids = this.ids;
    const at = this.idBytes;
    for (let i = 0; i < len; i++) ids[at + i] = buf[s + i];
    this.idHash[this.n] = h;
    this.idStart[this.n] = at;
    this.idEnd[this.n] = at + len;
    this.idBytes = at + len;
  }

  /** The first row (in input order) whose id an earlier row of this customer already has; -1 when none. */
  firstDuplicate(): number {
    let size = 2048;
    while (size < 2 * this.n) size *= 2;
    const slots = new Int32Array(size);
    const mask = size - 1;
    for (let r = 0; r < this.n; r++) {
      const h = this.idHash[r];
      for (let slot = h & mask; ; slot = (slot + 1) & mask) {
        const other = slots[slot];
        if (other === 0) {
          slots[slot] = r + 1;
          break;
        }
        if (
          this.idHash[other - 1] === h &&
          this.sameId(other - 1, this.idStart[r], this.idEnd[r] - this.idStart[r])
        )
          return r;
      }
    }
    return -1;
  }

  private sameId(row: number, at: number, len: number): boolean {
    const s = this.idStart[row];
    if (this.idEnd[row] - s !== len) return false;
    const ids = this.ids;
    for (let i = 0; i < len; i++) if (ids[s + i] !== ids[at + i]) return false;
    return true;
  }

  /** Row `n` is complete. */
  commit(line: number): void {
    this.source[this.n++] = line;
  }

  rowId(row: number): string {
    return decoder.decode(this.ids.subarray(this.idStart[row], this.idEnd[row]));
  }

  /**
   * Sorts the rows into the core's order (hour, subscription, resourceGroup, rowId), by numbers
   * only: a file already in that order (as generated data and many exports are) is detected in
   * one pass and not sorted at all.
   */
  finish(
    commitments: ParsedCommitment[],
    reportHours: Int32Array | null,
    dicts: FileDictionaries,
    scratch: RankScratch,
  ): CsvBatch {
    const specs = commitments.map((c) => commitmentSpec(c, dicts));
    const all = sliceUsage(this.cols, this.n);
    let keep: Int32Array | null = null;
    let hours: Int32Array;
    if (reportHours) {
      const wanted = new Set(reportHours);
      const kept: number[] = [];
      for (let i = 0; i < this.n; i++) if (wanted.has(all.hour[i])) kept.push(i);
      if (kept.length < this.n) keep = Int32Array.from(kept);
      hours = reportHours;
    } else {
      hours = distinctHours(all.hour, this.n);
    }
    const cols = keep ? gatherUsage(all, keep) : all;
    const n = cols.length;
    const idStart = keep ? keep.map((i) => this.idStart[i]) : this.idStart.subarray(0, n);
    const idEnd = keep ? keep.map((i) => this.idEnd[i]) : this.idEnd.subarray(0, n);
    const source = keep ? keep.map((i) => this.source[i]) : this.source.subarray(0, n);

    const subRank = scratch.rank(cols.sub, n, dicts.sub, 0);
    const rgRank = scratch.rank(cols.rg, n, dicts.rg, 1);
    const rgSize = scratch.sizes[1];
    const span = scratch.sizes[0] * rgSize;
    const first = hours.length ? hours[0] : 0;
    const key = new Float64Array(n);
    for (let i = 0; i < n; i++)
      key[i] = (cols.hour[i] - first) * span + subRank[cols.sub[i]] * rgSize + rgRank[cols.rg[i]];
    const ids = this.ids;
    const idCompare = (a: number, b: number) => compareBytes(ids, idStart[a], idEnd[a], idStart[b], idEnd[b]);
    let sorted = true;
    for (let i = 1; i < n && sorted; i++) {
      const d = key[i] - key[i - 1];
      sorted = d > 0 || (d === 0 && idCompare(i - 1, i) < 0);
    }
    const base: CsvBatch = {
      customer: this.customer,
      batch: { usage: cols, commitments: specs, hours },
      commitments,
      source,
      idStart,
      idEnd,
      ids,
      quoteIds: this.quoteIds,
      inputOrder: identity(n),
    };
    if (sorted) return base;

    const order = sortOrder(key, n, idCompare);
    const inputOrder = new Int32Array(n);
    for (let j = 0; j < n; j++) inputOrder[order[j]] = j;
    return {
      ...base,
      batch: { usage: gatherUsage(cols, order), commitments: specs, hours },
      source: order.map((i) => source[i]),
      idStart: order.map((i) => idStart[i]),
      idEnd: order.map((i) => idEnd[i]),
      inputOrder,
    };
  }
}

const identity = (n: number) => {
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  return a;
};

function distinctHours(hour: Int32Array, n: number): Int32Array {
  if (n === 0) return new Int32Array(0);
  let lo = hour[0];
  let hi = hour[0];
  for (let i = 1; i < n; i++) {
    const h = hour[i];
    if (h < lo) lo = h;
    else if (h > hi) hi = h;
  }
  // A month is 720 hours: a bitmap over the range beats a set, unless the range is absurd.
  if (hi - lo > 1 << 22) return Int32Array.from(new Set(hour.subarray(0, n))).sort();
  const seen = new Uint8Array(hi - lo + 1);
  let count = 0;
  for (let i = 0; i < n; i++) {
    const k = hour[i] - lo;
    if (seen[k] === 0) {
      seen[k] = 1;
      count++;
    }
  }
  const out = new Int32Array(count);
  let j = 0;
  for (let k = 0; k < seen.length; k++) if (seen[k]) out[j++] = lo + k;
  return out;
}

/** UTF-8 bytes compare as code points do. */
function compareBytes(b: Uint8Array, s1: number, e1: number, s2: number, e2: number): number {
  const n = Math.min(e1 - s1, e2 - s2);
  for (let i = 0; i < n; i++) {
    const d = b[s1 + i] - b[s2 + i];
    if (d !== 0) return d;
  }
  return e1 - s1 - (e2 - s2);
}

/**
 * Rows by key, ties by row id: the keys with the row's index packed below them sorted as one
 * Float64Array (native numeric sort, no comparator), then runs of equal keys by row id.
 */
function sortOrder(key: Float64Array, n: number, idCompare: (a: number, b: number) => number): Int32Array {
  let max = 0;
  for (let i = 0; i < n; i++) if (key[i] > max) max = key[i];
  const order = new Int32Array(n);
  if ((max + 1) * n < 2 ** 52) {
    const packed = new Float64Array(n);
    for (let i = 0; i < n; i++) packed[i] = key[i] * n + i;
    packed.sort();
    for (let j = 0; j < n; j++) order[j] = packed[j] % n;
  } else {
    const list = Array.from({ length: n }, (_, i) => i);
    list.sort((a, b) => key[a] - key[b] || idCompare(a, b));
    order.set(list);
    return order;
  }
  for (let s = 0; s < n; ) {
    let e = s + 1;
    while (e < n && key[order[e]] === key[order[s]]) e++;
    if (e - s > 32) {
      order.set(Array.from(order.subarray(s, e)).sort(idCompare), s);
      s = e;
      continue;
    }
    for (let i = s + 1; i < e; i++) {
      const v = order[i];
      let j = i - 1;
      while (j >= s && idCompare(order[j], v) > 0) {
        order[j + 1] = order[j];
        j--;
      }
      order[j + 1] = v;
    }
    s = e;
  }
  return order;
}

/**
 * Per customer, the rank of each of its subscriptions (resource groups) among its own values in
 * code-point order, indexed by the file-wide code; arrays reused from customer to customer.
 */
export class RankScratch {
  private readonly stamp = [new Int32Array(0), new Int32Array(0)];
  private readonly ranks = [new Int32Array(0), new Int32Array(0)];
  private generation = 0;
  readonly sizes = [0, 0];

  rank(codes: Int32Array, n: number, dict: Dictionary, which: 0 | 1): Int32Array {
    if (this.stamp[which].length < dict.size) {
      this.stamp[which] = new Int32Array(Math.max(dict.size * 2, 64));
      this.ranks[which] = new Int32Array(Math.max(dict.size * 2, 64));
    }
    const stamp = this.stamp[which];
    const g = ++this.generation;
    const used: number[] = [];
    for (let i = 0; i < n; i++) {
      const c = codes[i];
      if (stamp[c] !== g) {
        stamp[c] = g;
        used.push(c);
      }
    }
    used.sort((a, b) => compareCodePoints(dict.values[a], dict.values[b]));
    const rank = this.ranks[which];
    used.forEach((c, r) => {
      rank[c] = r;
    });
    this.sizes[which] = Math.max(1, used.length);
    return rank;
  }
}

/** A commitment in the file-wide codes: a value nobody uses gets a new code, which matches nothing. */
export function commitmentSpec(c: ParsedCommitment, d: FileDictionaries): CommitmentSpec {
  const spec: CommitmentSpec = {
    id: c.id,
    kind: c.kind,
    level: c.level,
    sub: c.scopeSub === null ? -1 : d.sub.code(c.scopeSub),
    rg: c.scopeRg === null ? -1 : d.rg.code(c.scopeRg),
    subsInScope: null,
    startHour: c.startHour,
    endHour: c.endHour,
    purchaseMs: c.purchaseMs,
    rtype: -1,
    region: -1,
    sku: -1,
    group: -1,
    flexible: c.flexible,
    capacity: c.quantity * c.ratio,
    amortizedHourlyCost: c.amortizedHourlyCost,
    years: c.years,
    hourlyCommitment: c.hourlyCommitment,
  };
  if (c.kind === 0) {
    spec.rtype = d.rtype.code(c.rtype);
    spec.region = d.region.code(c.region);
    spec.sku = d.sku.code(c.sku);
    spec.group = c.group === null ? -1 : d.group.code(c.group);
  }
  if (c.mgSubs) {
    const members = new Uint8Array(d.sub.size);
    for (const s of c.mgSubs) {
      const code = d.sub.find(s);
      if (code >= 0) members[code] = 1;
    }
    spec.subsInScope = members;
  }
  return spec;
}
