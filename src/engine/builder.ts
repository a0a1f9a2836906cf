import {
  allocateUsage,
  type CommitmentSpec,
  type CustomerBatch,
  compareCodePoints,
  Dictionary,
  gatherUsage,
  ranks,
  sliceUsage,
  USAGE_COLUMNS,
  type UsageColumns,
} from './columnar.ts';
import type { ParsedCommitment } from './commitments.ts';
import { BenefitInputError } from './errors.ts';
import type { ParsedRow } from './fields.ts';
import type { RatioTable } from './ratios.ts';

/** A customer ready for the core, with what the edges need to name rows and restore input order. */
export interface PreparedCustomer {
  customer: string;
  batch: CustomerBatch;
  /** Per batch row: where it came from (JSON index or CSV line). */
  source: Int32Array;
  rowIds: string[];
  /** Parsed commitments in `batch.commitments` order. */
  commitments: ParsedCommitment[];
}

/**
 * Collects one customer's validated rows into columns, dictionary-encoding strings as they
 * arrive, then sorts them into the order the core wants: by hour, then the row tie-break
 * (subscription, resourceGroup, rowId).
 */
export class CustomerBuilder {
  private readonly dict = {
    sub: new Dictionary(),
    rg: new Dictionary(),
    region: new Dictionary(),
    rtype: new Dictionary(),
    sku: new Dictionary(),
    group: new Dictionary(),
  };
  private cols: UsageColumns = allocateUsage(1024);
  private n = 0;
  private readonly rowIds: string[] = [];
  private readonly sources: number[] = [];
  private readonly seen = new Set<string>();
  /** The ratio table looked up once per distinct SKU. */
  private readonly skuGroup: number[] = [];
  private readonly skuRatio: number[] = [];

  constructor(
    readonly customer: string,
    private readonly ratios: RatioTable,
    private readonly locate: (source: number, rowId: string) => string,
  ) {}

  get rows(): number {
    return this.n;
  }

  add(row: ParsedRow, source: number): void {
    if (this.seen.has(row.rowId)) {
      throw new BenefitInputError(this.locate(source, row.rowId), 'rowId', 'appears twice for this customer');
    }
    this.seen.add(row.rowId);
    if (this.n === this.cols.length) this.grow();
    const c = this.cols;
    const d = this.dict;
    const i = this.n++;
    c.hour[i] = row.hour;
    c.sub[i] = d.sub.code(row.subscription);
    c.rg[i] = d.rg.code(row.resourceGroup);
    c.region[i] = d.region.code(row.region);
    c.rtype[i] = row.rtype === null ? -1 : d.rtype.code(row.rtype);
    const sku = d.sku.code(row.sku);
    c.sku[i] = sku;
    if (sku === this.skuGroup.length) {
      const entry = this.ratios.get(row.sku);
      this.skuGroup.push(entry ? d.group.code(entry.group.toLowerCase()) : -1);
      this.skuRatio.push(entry ? entry.ratio : Number.NaN);
    }
    c.group[i] = row.isfGroup === null ? this.skuGroup[sku] : d.group.code(row.isfGroup);
    c.ratio[i] = Number.isNaN(row.skuRatio) ? this.skuRatio[sku] : row.skuRatio;
    c.quantity[i] = row.quantity;
    c.payg[i] = row.payg;
    c.sp1[i] = row.sp1;
    c.sp3[i] = row.sp3;
    c.eligible[i] = row.eligible ? 1 : 0;
    this.rowIds.push(row.rowId);
    this.sources.push(source);
  }

  private grow(): void {
    const next = allocateUsage(this.cols.length * 2);
    for (const k of USAGE_COLUMNS) (next[k] as any).set(this.cols[k]);
    this.cols = next;
  }

  private spec(c: ParsedCommitment): CommitmentSpec {
    const d = this.dict;
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
      // New codes rather than lookups: a code nobody uses matches nothing, whereas -1 means absent.
      spec.rtype = d.rtype.code(c.rtype);
      spec.region = d.region.code(c.region);
      spec.sku = d.sku.code(c.sku);
      spec.group = c.group === null ? -1 : d.group.code(c.group);
    }
    return spec;
  }

  /** `reportHours`: the input's `hours` (rows outside them are left out); null: the rows' own hours. */
  finish(commitments: ParsedCommitment[], reportHours: Int32Array | null): PreparedCustomer {
    const specs = commitments.map((c) => this.spec(c));
    commitments.forEach((c, k) => {
      if (!c.mgSubs) return;
      const members = new Uint8Array(this.dict.sub.size);
      for (const s of c.mgSubs) {
        const code = this.dict.sub.find(s);
        if (code >= 0) members[code] = 1;
      }
      specs[k].subsInScope = members;
    });

    const cols = sliceUsage(this.cols, this.n);
    let keep: number[] = [];
    let hours: Int32Array;
    if (reportHours) {
      const wanted = new Set(reportHours);
      for (let i = 0; i < this.n; i++) if (wanted.has(cols.hour[i])) keep.push(i);
      hours = reportHours;
    } else {
      keep = Array.from({ length: this.n }, (_, i) => i);
      hours = Int32Array.from(new Set(cols.hour)).sort();
    }

    const subRank = ranks(this.dict.sub);
    const rgRank = ranks(this.dict.rg);
    const key = new Float64Array(this.n);
    const span = this.dict.sub.size * this.dict.rg.size;
    const first = hours.length ? hours[0] : 0;
    for (const i of keep)
      key[i] = (cols.hour[i] - first) * span + subRank[cols.sub[i]] * this.dict.rg.size + rgRank[cols.rg[i]];
    const ids = this.rowIds;
    keep.sort((a, b) => key[a] - key[b] || compareCodePoints(ids[a], ids[b]));

    const order = Int32Array.from(keep);
    const source = new Int32Array(order.length);
    const rowIds = new Array<string>(order.length);
    for (let j = 0; j < order.length; j++) {
      source[j] = this.sources[order[j]];
      rowIds[j] = ids[order[j]];
    }
    return {
      customer: this.customer,
      batch: { usage: gatherUsage(cols, order), commitments: specs, hours },
      source,
      rowIds,
      commitments,
    };
  }
}
