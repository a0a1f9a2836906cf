/**
 * The engine's inside: one customer's usage as columns of typed arrays, strings replaced by
 * dictionary codes (Int32), numbers in Float64Array. Commitments stay objects: a customer has a
 * handful, against thousands of usage rows.
 */

export interface UsageColumns {
  length: number;
  /** Hours since the epoch (UTC). */
  hour: Int32Array;
  /** Dictionary codes; equal codes mean equal (case-folded) strings. -1: absent. */
  sub: Int32Array;
  rg: Int32Array;
  region: Int32Array;
  /** reservedResourceType; -1 when the row is not eligible for reservations. */
  rtype: Int32Array;
  sku: Int32Array;
  /** Flexibility group; -1 when neither the row nor the ratio table names one. */
  group: Int32Array;
  /** NaN when neither the row nor the ratio table gives one. */
  ratio: Float64Array;
  quantity: Float64Array;
  payg: Float64Array;
  /** Savings plan unit prices; NaN when absent. */
  sp1: Float64Array;
  sp3: Float64Array;
  /** 0 for licence, storage and network rows: always pay-as-you-go. */
  eligible: Uint8Array;
}

export const RESERVATION = 0;
export const SAVINGS_PLAN = 1;

/** Scope levels in application order, narrowest first. */
export const SCOPE_LEVELS = ['ResourceGroup', 'Subscription', 'ManagementGroup', 'Shared'] as const;
export type ScopeType = (typeof SCOPE_LEVELS)[number];

export interface CommitmentSpec {
  id: string;
  kind: typeof RESERVATION | typeof SAVINGS_PLAN;
  /** Index into SCOPE_LEVELS. */
  level: number;
  /** ResourceGroup and Subscription scopes: codes in the customer's dictionaries; -1 otherwise. */
  sub: number;
  rg: number;
  /** ManagementGroup scope: 1 at the codes of member subscriptions. */
  subsInScope: Uint8Array | null;
  /** Active in hours [startHour, endHour). */
  startHour: number;
  endHour: number;
  /** Tie-break within a level: purchase instant (ms; -Infinity when absent), then id. */
  purchaseMs: number;
  /** Reservations: match keys, capacity in normalized units per hour, amortized cost per hour. */
  rtype: number;
  region: number;
  sku: number;
  group: number;
  flexible: boolean;
  capacity: number;
  amortizedHourlyCost: number;
  /** Savings plans: term in years (1 or 3) and commitment per hour. */
  years: number;
  hourlyCommitment: number;
}

export interface CustomerBatch {
  /** Rows sorted by hour, and within an hour by (subscription, resourceGroup, rowId). */
  usage: UsageColumns;
  commitments: CommitmentSpec[];
  /** Reported hours, ascending, without repeats; every row's hour is among them. */
  hours: Int32Array;
}

export function allocateUsage(length: number): UsageColumns {
  return {
    length,
    hour: new Int32Array(length),
    sub: new Int32Array(length),
    rg: new Int32Array(length),
    region: new Int32Array(length),
    rtype: new Int32Array(length),
    sku: new Int32Array(length),
    group: new Int32Array(length),
    ratio: new Float64Array(length),
    quantity: new Float64Array(length),
    payg: new Float64Array(length),
    sp1: new Float64Array(length),
    sp3: new Float64Array(length),
    eligible: new Uint8Array(length),
  };
}

type Column = Exclude<keyof UsageColumns, 'length'>;
export const USAGE_COLUMNS: readonly Column[] = [
  'hour',
  'sub',
  'rg',
  'region',
  'rtype',
  'sku',
  'group',
  'ratio',
  'quantity',
  'payg',
  'sp1',
  'sp3',
  'eligible',
];

/** Rows `order[0], order[1], …` of `from` as a new batch: how an edge sorts what it parsed. */
export function gatherUsage(from: UsageColumns, order: Int32Array): UsageColumns {
  const to = allocateUsage(order.length);
  for (const c of USAGE_COLUMNS) {
    const src = from[c];
    const dst = to[c];
    for (let i = 0; i < order.length; i++) dst[i] = src[order[i]];
  }
  return to;
}

/** The first `length` rows, sharing memory; builders over-allocate and trim with this. */
export function sliceUsage(from: UsageColumns, length: number): UsageColumns {
  const to = { length } as UsageColumns;
  for (const c of USAGE_COLUMNS) (to as any)[c] = from[c].subarray(0, length);
  return to;
}

/** Case-folded strings to dense codes, in first-seen order. */
export class Dictionary {
  readonly values: string[] = [];
  private readonly codes = new Map<string, number>();

  code(value: string): number {
    let c = this.codes.get(value);
    if (c === undefined) {
      c = this.values.length;
      this.values.push(value);
      this.codes.set(value, c);
    }
    return c;
  }

  /** -1 when the value was never seen: it matches nothing. */
  find(value: string): number {
    return this.codes.get(value) ?? -1;
  }

  get size(): number {
    return this.values.length;
  }
}

/**
 * Ordinal comparison by Unicode code point (the order of UTF-8 bytes, which SQL engines use):
 * plain `<` compares UTF-16 code units, which sorts astral characters before U+E000–U+FFFF.
 */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800) x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
    if (y >= 0xd800) y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    return x - y;
  }
  return a.length - b.length;
}

/** Each code's position when the dictionary's values are sorted by code point. */
export function ranks(dict: Dictionary): Int32Array {
  const order = dict.values
    .map((_, i) => i)
    .sort((a, b) => compareCodePoints(dict.values[a], dict.values[b]));
  const rank = new Int32Array(dict.size);
  order.forEach((code, r) => {
    rank[code] = r;
  });
  return rank;
}
