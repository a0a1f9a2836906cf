import { readFileSync } from 'node:fs';
import Big from 'big.js';

/**
 * An independent FOCUS 1.2 validator for tests: what shared/spec/reference/focus.md §1, §3, §4 and
 * §5 call checkable, written from that page and not from Mitra's export code (it shares no rule
 * with src/domain/focus*.ts; its column table is its own copy of §3).
 */
type Kind = 'String' | 'Decimal' | 'DateTime' | 'JSON';
interface Spec {
  type: Kind;
  nullable: boolean;
  allowed?: string[];
}

const S = (nullable: boolean, allowed?: string[]): Spec => ({ type: 'String', nullable, allowed });
const D = (nullable: boolean): Spec => ({ type: 'Decimal', nullable });
const T: Spec = { type: 'DateTime', nullable: false };
const J: Spec = { type: 'JSON', nullable: true };

export const subcategories: Record<string, string[]> = {
  'AI and Machine Learning': [
    'AI Platforms',
    'Bots',
    'Generative AI',
    'Machine Learning',
    'Natural Language Processing',
  ],
  Analytics: [
    'Analytics Platforms',
    'Business Intelligence',
    'Data Processing',
    'Search',
    'Streaming Analytics',
  ],
  'Business Applications': ['Productivity and Collaboration'],
  Compute: ['Containers', 'End User Computing', 'Quantum Compute', 'Serverless Compute', 'Virtual Machines'],
  Databases: [
    'Caching',
    'Data Warehouses',
    'Ledger Databases',
    'NoSQL Databases',
    'Relational Databases',
    'Time Series Databases',
  ],
  'Developer Tools': [
    'Developer Platforms',
    'Continuous Integration and Deployment',
    'Development Environments',
    'Source Code Management',
    'Quality Assurance',
  ],
  Identity: ['Identity and Access Management'],
  Integration: ['API Management', 'Messaging', 'Workflow Orchestration'],
  'Internet of Things': ['IoT Analytics', 'IoT Platforms'],
  'Management and Governance': [
    'Architecture',
    'Compliance',
    'Cost Management',
    'Data Governance',
    'Disaster Recovery',
    'Endpoint Management',
    'Observability',
    'Support',
  ],
  Media: ['Content Creation', 'Gaming', 'Media Streaming', 'Mixed Reality'],
  Migration: ['Data Migration', 'Resource Migration'],
  Mobile: [],
  Multicloud: ['Multicloud Integration'],
  Networking: [
    'Application Networking',
    'Content Delivery',
    'Network Connectivity',
    'Network Infrastructure',
    'Network Routing',
    'Network Security',
  ],
  Security: ['Secret Management', 'Security Posture Management', 'Threat Detection and Response'],
  Storage: ['Backup Storage', 'Block Storage', 'File Storage', 'Object Storage', 'Storage Platforms'],
  Web: ['Application Platforms'],
  Other: [],
};
for (const [category, list] of Object.entries(subcategories)) list.push(`Other (${category})`);
const categories = Object.keys(subcategories);

export const specColumns: Record<string, Spec> = {
  AvailabilityZone: S(true),
  BilledCost: D(false),
  BillingAccountId: S(false),
  BillingAccountName: S(true),
  BillingAccountType: S(false),
  BillingCurrency: S(false),
  BillingPeriodEnd: T,
  BillingPeriodStart: T,
  CapacityReservationId: S(true),
  CapacityReservationStatus: S(true, ['Used', 'Unused']),
  ChargeCategory: S(false, ['Usage', 'Purchase', 'Tax', 'Credit', 'Adjustment']),
  ChargeClass: S(true, ['Correction']),
  ChargeDescription: S(true),
  ChargeFrequency: S(false, ['One-Time', 'Recurring', 'Usage-Based']),
  ChargePeriodEnd: T,
  ChargePeriodStart: T,
  CommitmentDiscountCategory: S(true, ['Spend', 'Usage']),
  CommitmentDiscountId: S(true),
  CommitmentDiscountName: S(true),
  CommitmentDiscountQuantity: D(true),
  CommitmentDiscountStatus: S(true, ['Used', 'Unused']),
  CommitmentDiscountType: S(true),
  CommitmentDiscountUnit: S(true),
  ConsumedQuantity: D(true),
  ConsumedUnit: S(true),
  ContractedCost: D(false),
  ContractedUnitPrice: D(true),
  EffectiveCost: D(false),
  InvoiceId: S(true),
  InvoiceIssuerName: S(false),
  ListCost: D(false),
  ListUnitPrice: D(true),
  PricingCategory: S(true, ['Standard', 'Dynamic', 'Committed', 'Other']),
  PricingCurrency: S(false),
  PricingCurrencyContractedUnitPrice: D(true),
  PricingCurrencyEffectiveCost: D(false),
  PricingCurrencyListUnitPrice: D(true),
  PricingQuantity: D(true),
  PricingUnit: S(true),
  ProviderName: S(false),
  PublisherName: S(false),
  RegionId: S(true),
  RegionName: S(true),
  ResourceId: S(true),
  ResourceName: S(true),
  ResourceType: S(true),
  ServiceCategory: S(false, categories),
  ServiceName: S(false),
  ServiceSubcategory: S(false, Object.values(subcategories).flat()),
  SkuId: S(true),
  SkuMeter: S(true),
  SkuPriceDetails: J,
  SkuPriceId: S(true),
  SubAccountId: S(true),
  SubAccountName: S(true),
  SubAccountType: S(true),
  Tags: J,
};

export const mandatory = [
  'BilledCost',
  'BillingAccountId',
  'BillingAccountName',
  'BillingCurrency',
  'BillingPeriodEnd',
  'BillingPeriodStart',
  'ChargeCategory',
  'ChargeClass',
  'ChargeDescription',
  'ChargePeriodEnd',
  'ChargePeriodStart',
  'ContractedCost',
  'EffectiveCost',
  'InvoiceIssuerName',
  'ListCost',
  'PricingQuantity',
  'PricingUnit',
  'ProviderName',
  'PublisherName',
  'ServiceCategory',
  'ServiceName',
];

const commitmentColumns = [
  'CommitmentDiscountCategory',
  'CommitmentDiscountId',
  'CommitmentDiscountName',
  'CommitmentDiscountQuantity',
  'CommitmentDiscountStatus',
  'CommitmentDiscountType',
  'CommitmentDiscountUnit',
];

/** ISO 4217 national currencies Mitra's tests meet, plus the common ones. */
const iso4217 = new Set(
  'AED AUD BRL CAD CHF CNY CZK DKK EUR GBP HKD IDR INR JPY KRW MXN MYR NOK NZD PHP PLN SEK SGD THB TRY TWD USD VND ZAR'.split(
    ' ',
  ),
);
const zeroDecimal = new Set(['JPY', 'KRW', 'VND']);

/** A cell as read: text, or null (CSV: an empty unquoted field; Parquet: a real null). */
export type Cell = string | null;
export interface FocusFile {
  columns: string[];
  /** Physical column types, when the file has them (Parquet), as DuckDB names them. */
  physicalTypes?: Record<string, string>;
  rows: Record<string, Cell>[];
}

const numeric = /^-?(\d+(\.\d*)?|\.\d+)(E-?\d+|e-?\d+)?$/;
const dateTime = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?Z$/;

function isDateTime(v: string) {
  const m = dateTime.exec(v);
  if (!m) return false;
  const d = new Date(v);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 19) === v.slice(0, 19);
}

function jsonProblem(v: string): string | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(v);
  } catch {
    return 'is not JSON';
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return 'is not a JSON object';
  const keys = [...v.matchAll(/"((?:[^"\\]|\\.)*)"\s*:/g)].map((m) => m[1]);
  if (new Set(keys).size !== keys.length) return 'repeats a key';
  for (const value of Object.values(parsed))
    if (typeof value === 'object' && value !== null) return 'has a nested value';
  return null;
}

export interface Validation {
  errors: string[];
  /** How many rows broke each rule. */
  counts: Record<string, number>;
  rows: number;
}

/** Checks a file; `require` adds columns (`@commitment`: the seven CommitmentDiscount* ones). */
export function validateFocus(file: FocusFile, options: { require?: string[] } = {}): Validation {
  const errors: string[] = [];
  const counts: Record<string, number> = {};
  const fail = (rule: string, message: string) => {
    counts[rule] = (counts[rule] ?? 0) + 1;
    if (errors.length < 50) errors.push(message);
  };
  const required = [
    ...mandatory,
    ...(options.require ?? []).flatMap((r) => (r === '@commitment' ? commitmentColumns : [r])),
  ];
  for (const name of required)
    if (!file.columns.includes(name)) fail('presence', `column ${name} is missing`);
  let seenCustom = false;
  for (const name of file.columns) {
    const focus = name in specColumns;
    if (!focus && !name.startsWith('x_'))
      fail('custom-prefix', `column ${name} is not FOCUS and does not start with x_`);
    if (!focus) seenCustom = true;
    else if (seenCustom) fail('column-order', `FOCUS column ${name} comes after custom columns`);
  }
  if (new Set(file.columns).size !== file.columns.length) fail('presence', 'a column appears twice');
  for (const [name, type] of Object.entries(file.physicalTypes ?? {})) {
    const spec = specColumns[name];
    if (!spec) continue;
    if (spec.type === 'DateTime' && type !== 'TIMESTAMP WITH TIME ZONE')
      fail('type', `column ${name} is ${type}, not TIMESTAMP WITH TIME ZONE`);
    if (spec.type === 'Decimal' && !/^(DECIMAL|DOUBLE|FLOAT|INTEGER|BIGINT|HUGEINT)/.test(type))
      fail('type', `column ${name} is ${type}, not numeric`);
  }
  const has = (name: string) => file.columns.includes(name);

  file.rows.forEach((row, index) => {
    const at = `row ${index + 1}`;
    const v = (name: string): Cell => (has(name) ? (row[name] ?? null) : null);
    const isNull = (name: string) => v(name) === null;
    const num = (name: string) => (v(name) === null || !numeric.test(v(name)!) ? null : new Big(v(name)!));

    for (const name of file.columns) {
      const spec = specColumns[name];
      const value = row[name] ?? null;
      if (value !== null && value.trim() === '')
        fail('blank', `${at} ${name}: empty or blank string instead of NULL`);
      if (!spec) continue;
      if (value === null) {
        if (!spec.nullable) fail('not-null', `${at} ${name}: NULL in a column that allows none`);
        continue;
      }
      if (spec.type === 'Decimal' && !numeric.test(value))
        fail('type', `${at} ${name}: ${value} is not a FOCUS number`);
      if (spec.type === 'DateTime' && !isDateTime(value))
        fail('type', `${at} ${name}: ${value} is not YYYY-MM-DDTHH:mm:ssZ`);
      if (spec.type === 'JSON') {
        const problem = jsonProblem(value);
        if (problem) fail('type', `${at} ${name}: ${problem}`);
      }
      if (spec.allowed && !spec.allowed.includes(value))
        fail('allowed', `${at} ${name}: ${value} is not allowed`);
    }

    const category = v('ChargeCategory');
    const up = category === 'Usage' || category === 'Purchase';
    const notCorrection = isNull('ChargeClass');
    const upRow = up && notCorrection;
    const id = v('CommitmentDiscountId');
    const status = v('CommitmentDiscountStatus');
    const currency = v('BillingCurrency');
    if (currency && !iso4217.has(currency))
      fail('currency', `${at} BillingCurrency: ${currency} is not ISO 4217`);
    for (const price of [
      'ListUnitPrice',
      'ContractedUnitPrice',
      'PricingCurrencyListUnitPrice',
      'PricingCurrencyContractedUnitPrice',
    ])
      if (num(price)?.lt(0)) fail('negative-price', `${at} ${price}: negative`);

    const iff = (a: string, b: string) => {
      if (has(a) && has(b) && isNull(a) !== isNull(b))
        fail('null-iff', `${at} ${a} and ${b}: one is NULL, the other not`);
    };
    const nullWhen = (col: string, cond: boolean, why: string) => {
      if (cond && !isNull(col)) fail('null-when', `${at} ${col}: must be NULL ${why}`);
    };
    const setWhen = (col: string, cond: boolean, why: string) => {
      if (has(col) && cond && isNull(col)) fail('set-when', `${at} ${col}: must be set ${why}`);
    };

    // §3 cross-column rules.
    setWhen('BillingAccountType', !isNull('BillingAccountId'), 'when BillingAccountId is');
    nullWhen(
      'CapacityReservationStatus',
      isNull('CapacityReservationId'),
      'when CapacityReservationId is NULL',
    );
    setWhen(
      'CapacityReservationStatus',
      category === 'Usage' && !isNull('CapacityReservationId'),
      'on Usage rows with a capacity reservation',
    );
    iff('CommitmentDiscountCategory', 'CommitmentDiscountId');
    iff('CommitmentDiscountType', 'CommitmentDiscountId');
    nullWhen('CommitmentDiscountName', id === null, 'when CommitmentDiscountId is NULL');
    nullWhen('CommitmentDiscountStatus', id === null, 'when CommitmentDiscountId is NULL');
    setWhen(
      'CommitmentDiscountStatus',
      category === 'Usage' && id !== null,
      'on Usage rows with a CommitmentDiscountId',
    );
    if (has('CommitmentDiscountQuantity')) {
      if (upRow && id !== null)
        setWhen('CommitmentDiscountQuantity', true, 'on Usage/Purchase rows with a CommitmentDiscountId');
      else
        nullWhen(
          'CommitmentDiscountQuantity',
          true,
          'except on Usage/Purchase rows with a CommitmentDiscountId',
        );
    }
    iff('CommitmentDiscountUnit', 'CommitmentDiscountQuantity');
    if (has('ConsumedQuantity')) {
      if (category === 'Usage' && notCorrection && status !== 'Unused')
        setWhen('ConsumedQuantity', true, 'on Usage rows (not unused commitment)');
      if (category !== 'Usage' || status === 'Unused')
        nullWhen('ConsumedQuantity', true, 'on non-Usage and Unused rows');
    }
    iff('ConsumedUnit', 'ConsumedQuantity');
    for (const col of [
      'ContractedUnitPrice',
      'ListUnitPrice',
      'PricingCategory',
      'PricingQuantity',
      'SkuId',
      'SkuPriceId',
    ]) {
      nullWhen(col, category === 'Tax', 'on Tax rows');
      setWhen(col, upRow, 'on Usage/Purchase rows');
    }
    iff('PricingUnit', 'PricingQuantity');
    iff('RegionName', 'RegionId');
    nullWhen('ResourceName', isNull('ResourceId'), 'when ResourceId is NULL');
    iff('ResourceType', 'ResourceId');
    nullWhen('SkuMeter', isNull('SkuId'), 'when SkuId is NULL');
    nullWhen('SkuPriceDetails', isNull('SkuPriceId'), 'when SkuPriceId is NULL');
    iff('SubAccountName', 'SubAccountId');
    iff('SubAccountType', 'SubAccountId');
    const subcategory = v('ServiceSubcategory');
    const service = v('ServiceCategory');
    if (subcategory && service && subcategories[service] && !subcategories[service].includes(subcategory))
      fail('subcategory', `${at} ServiceSubcategory: ${subcategory} is not a subcategory of ${service}`);

    // Periods.
    for (const [start, end] of [
      ['ChargePeriodStart', 'ChargePeriodEnd'],
      ['BillingPeriodStart', 'BillingPeriodEnd'],
    ]) {
      const s = v(start);
      const e = v(end);
      if (s && e && isDateTime(s) && isDateTime(e) && !(Date.parse(e) > Date.parse(s)))
        fail('period', `${at} ${end} is not after ${start}`);
    }

    // Unit price × PricingQuantity = cost, within one minor unit.
    const tolerance = new Big(10).pow(-(currency && zeroDecimal.has(currency) ? 0 : 2));
    const quantity = num('PricingQuantity');
    if (notCorrection && quantity)
      for (const [price, cost] of [
        ['ListUnitPrice', 'ListCost'],
        ['ContractedUnitPrice', 'ContractedCost'],
      ]) {
        const p = num(price);
        const c = num(cost);
        if (p && c && p.times(quantity).minus(c).abs().gt(tolerance))
          fail('unit-price', `${at} ${price} × PricingQuantity = ${p.times(quantity)} but ${cost} is ${c}`);
      }

    // §4 commitment discounts and the rules §5 names.
    const billed = num('BilledCost');
    const effective = num('EffectiveCost');
    if (category === 'Purchase') {
      if (v('ChargeFrequency') === 'Usage-Based') fail('purchase', `${at} a Purchase is Usage-Based`);
      if (id !== null && effective && !effective.eq(0))
        fail('purchase', `${at} a commitment Purchase has EffectiveCost ${effective}`);
      if (id !== null && num('PricingCurrencyEffectiveCost')?.eq(0) === false)
        fail('purchase', `${at} a commitment Purchase has PricingCurrencyEffectiveCost ≠ 0`);
      if (v('PricingCategory') === 'Committed')
        fail('purchase', `${at} a commitment Purchase is priced Committed`);
      if (id !== null && v('ResourceId') !== id)
        fail('purchase', `${at} a commitment Purchase's ResourceId is not the commitment`);
    }
    if (status === 'Unused' && category !== 'Usage') fail('unused', `${at} Unused on a ${category} row`);
    if (status === 'Unused') {
      if (v('ResourceId') !== id) fail('unused', `${at} an Unused row's ResourceId is not the commitment`);
      if (billed && !billed.eq(0)) fail('unused', `${at} an Unused row has BilledCost ${billed}`);
    }
    if (category === 'Usage' && status !== null && v('PricingCategory') !== 'Committed')
      fail('committed', `${at} a ${status} commitment row is not priced Committed`);
    if (v('PricingCategory') === 'Committed' && !(category === 'Usage' && status !== null))
      fail('committed', `${at} Committed on a row no commitment priced`);
    if (status === 'Used' && billed && !billed.eq(0))
      fail('used', `${at} covered usage has BilledCost ${billed}`);
    if (
      category === 'Usage' &&
      id === null &&
      billed &&
      effective &&
      billed.minus(effective).abs().gt(tolerance)
    )
      fail('payg', `${at} pay-as-you-go usage: EffectiveCost ${effective} ≠ BilledCost ${billed}`);
    if (category === 'Credit' && billed && effective && !billed.eq(effective))
      fail('credit', `${at} a Credit's EffectiveCost ≠ BilledCost`);
  });
  return { errors, counts, rows: file.rows.length };
}

/**
 * RFC 4180 CSV, telling an empty unquoted field (NULL) from a quoted empty string (a blank,
 * which FOCUS forbids): the latter is read as '' so the validator can refuse it.
 */
export function parseCsv(text: string): FocusFile {
  const records: Cell[][] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line === '') continue;
    // Fast path: a line without quotes splits on commas (an empty field is NULL).
    records.push(
      line.includes('"') ? parseQuotedLine(line) : line.split(',').map((f) => (f === '' ? null : f)),
    );
  }
  const [header = [], ...body] = records;
  const columns = header.map((h) => h ?? '');
  return {
    columns,
    rows: body.map((cells) => {
      const row: Record<string, Cell> = {};
      for (let k = 0; k < columns.length; k++) row[columns[k]] = cells[k] ?? null;
      return row;
    }),
  };
}

/** One line with quoted fields (FOCUS values never hold line breaks, so a line is a record). */
function parseQuotedLine(line: string): Cell[] {
  const cells: Cell[] = [];
  let field = '';
  let quoted = false;
  let inQuotes = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (inQuotes) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') inQuotes = false;
      else field += ch;
    } else if (ch === '"' && field === '') {
      inQuotes = true;
      quoted = true;
    } else if (ch === ',') {
      cells.push(quoted ? field : field === '' ? null : field);
      field = '';
      quoted = false;
    } else field += ch;
  }
  cells.push(quoted ? field : field === '' ? null : field);
  return cells;
}

export const readFocusCsv = (path: string) => parseCsv(readFileSync(path, 'utf8'));

/**
 * Parquet through DuckDB: the physical types as the file declares them, values as text in FOCUS's
 * own formats (timestamps as UTC `…Z`, decimals without exponent), nulls as null.
 */
export async function readFocusParquet(path: string): Promise<FocusFile> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:');
  const db = await instance.connect();
  try {
    await db.run(`SET TimeZone = 'UTC'`);
    const file = `'${path.replaceAll("'", "''")}'`;
    const described = (await db.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet(${file})`)).getRowsJS();
    const physicalTypes = Object.fromEntries(described.map((r) => [String(r[0]), String(r[1])]));
    const columns = Object.keys(physicalTypes);
    const select = columns
      .map((c) => {
        const q = `"${c}"`;
        const type = physicalTypes[c];
        if (type === 'TIMESTAMP WITH TIME ZONE') return `strftime(${q}, '%Y-%m-%dT%H:%M:%SZ')`;
        if (type.startsWith('DECIMAL')) return `CAST(${q} AS VARCHAR)`;
        return `CAST(${q} AS VARCHAR)`;
      })
      .join(', ');
    const rows = (await db.runAndReadAll(`SELECT ${select} FROM read_parquet(${file})`)).getRowsJS();
    return {
      columns,
      physicalTypes,
      rows: rows.map((r) =>
        Object.fromEntries(
          columns.map((c, k) => [c, r[k] === null ? null : trimDecimal(String(r[k]), physicalTypes[c])]),
        ),
      ),
    };
  } finally {
    db.closeSync();
    instance.closeSync();
  }
}

const trimDecimal = (v: string, type: string) =>
  type.startsWith('DECIMAL') && v.includes('.') ? v.replace(/\.?0+$/, '') || '0' : v;
