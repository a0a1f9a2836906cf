import { BenefitInputError } from './errors.ts';
import { parseHourField } from './time.ts';

/**
 * Field-level validation shared by the JSON and CSV edges. Identifiers that Azure treats as
 * case-insensitive (subscription, resource group, region, SKU, group, resource type, management
 * group) are folded to lower case here, once; row and commitment ids keep their case.
 */

export type Locate = () => string;

export const fold = (s: string): string => s.toLowerCase();

const absent = (v: unknown) => v === undefined || v === null || v === '';

export function numberField(
  v: unknown,
  locate: Locate,
  field: string,
  rule: 'any' | 'nonNegative' | 'positive',
  required: boolean,
): number {
  if (absent(v)) {
    if (required) throw new BenefitInputError(locate(), field, 'is required');
    return Number.NaN;
  }
  const x = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
  if (!Number.isFinite(x)) throw new BenefitInputError(locate(), field, `not a number: ${JSON.stringify(v)}`);
  if (rule === 'nonNegative' && x < 0) throw new BenefitInputError(locate(), field, `negative: ${x}`);
  if (rule === 'positive' && !(x > 0)) throw new BenefitInputError(locate(), field, `must be positive: ${x}`);
  return x;
}

export function stringField(v: unknown, locate: Locate, field: string, required: boolean): string | null {
  if (absent(v)) {
    if (required) throw new BenefitInputError(locate(), field, 'is required');
    return null;
  }
  if (typeof v !== 'string')
    throw new BenefitInputError(locate(), field, `must be a string: ${JSON.stringify(v)}`);
  return v;
}

export function booleanField(v: unknown, locate: Locate, field: string): boolean {
  if (absent(v)) return true;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') {
    const t = v.trim().toLowerCase();
    if (t === 'true' || t === '1') return true;
    if (t === 'false' || t === '0') return false;
  }
  throw new BenefitInputError(locate(), field, `must be true or false: ${JSON.stringify(v)}`);
}

/** One usage row after validation; the CSV edge reuses a single instance. */
export interface ParsedRow {
  customer: string;
  rowId: string;
  hour: number;
  subscription: string;
  resourceGroup: string;
  region: string;
  rtype: string | null;
  sku: string;
  isfGroup: string | null;
  skuRatio: number;
  quantity: number;
  payg: number;
  sp1: number;
  sp3: number;
  eligible: boolean;
}

export const emptyRow = (): ParsedRow => ({
  customer: '',
  rowId: '',
  hour: 0,
  subscription: '',
  resourceGroup: '',
  region: '',
  rtype: null,
  sku: '',
  isfGroup: null,
  skuRatio: Number.NaN,
  quantity: 0,
  payg: 0,
  sp1: Number.NaN,
  sp3: Number.NaN,
  eligible: true,
});

/** Raw values by contract field name (`spUnitPriceP1Y`/`P3Y` flattened), as JSON or CSV give them. */
export interface RawRow {
  customer?: unknown;
  rowId?: unknown;
  hour?: unknown;
  subscription?: unknown;
  resourceGroup?: unknown;
  region?: unknown;
  reservedResourceType?: unknown;
  sku?: unknown;
  isfGroup?: unknown;
  skuRatio?: unknown;
  quantity?: unknown;
  paygUnitPrice?: unknown;
  spUnitPriceP1Y?: unknown;
  spUnitPriceP3Y?: unknown;
  benefitEligible?: unknown;
}

/** `csv`: name the savings plan prices by their CSV columns rather than the JSON path. */
export function parseRow(raw: RawRow, locate: Locate, into: ParsedRow, csv = false): ParsedRow {
  const id = raw.rowId;
  if (typeof id === 'number' && Number.isFinite(id)) into.rowId = String(id);
  else into.rowId = stringField(id, locate, 'rowId', true)!;
  into.customer = stringField(raw.customer, locate, 'customer', false) ?? '';
  into.hour = parseHourField(raw.hour, locate, 'hour');
  into.subscription = fold(stringField(raw.subscription, locate, 'subscription', true)!);
  into.resourceGroup = fold(stringField(raw.resourceGroup, locate, 'resourceGroup', false) ?? '');
  into.region = fold(stringField(raw.region, locate, 'region', false) ?? '');
  const rtype = stringField(raw.reservedResourceType, locate, 'reservedResourceType', false);
  into.rtype = rtype === null ? null : fold(rtype);
  into.sku = fold(stringField(raw.sku, locate, 'sku', false) ?? '');
  const group = stringField(raw.isfGroup, locate, 'isfGroup', false);
  into.isfGroup = group === null ? null : fold(group);
  into.skuRatio = numberField(raw.skuRatio, locate, 'skuRatio', 'positive', false);
  into.quantity = numberField(raw.quantity, locate, 'quantity', 'nonNegative', true);
  into.payg = numberField(raw.paygUnitPrice, locate, 'paygUnitPrice', 'nonNegative', true);
  const sp = csv ? 'spUnitPrice' : 'spUnitPrice.';
  into.sp1 = numberField(raw.spUnitPriceP1Y, locate, `${sp}P1Y`, 'positive', false);
  into.sp3 = numberField(raw.spUnitPriceP3Y, locate, `${sp}P3Y`, 'positive', false);
  into.eligible = booleanField(raw.benefitEligible, locate, 'benefitEligible');
  return into;
}

/** `spUnitPrice` as an object (JSON) flattened into the CSV's two columns. */
export function flattenJsonRow(row: unknown, locate: Locate): RawRow {
  if (typeof row !== 'object' || row === null || Array.isArray(row)) {
    throw new BenefitInputError(locate(), '', 'must be an object');
  }
  const r = row as Record<string, unknown>;
  const sp = r.spUnitPrice;
  if (sp !== undefined && sp !== null && (typeof sp !== 'object' || Array.isArray(sp))) {
    throw new BenefitInputError(locate(), 'spUnitPrice', 'must be an object like {"P1Y": 0.07, "P3Y": 0.06}');
  }
  const prices = (sp ?? {}) as Record<string, unknown>;
  return { ...r, spUnitPriceP1Y: prices.P1Y, spUnitPriceP3Y: prices.P3Y };
}
