import Big from 'big.js';
import type { BillingPlan } from '../store/schema.ts';
import { MitraError } from './errors.ts';

/**
 * The cloud's price sheet as Partner Center exports it (Pricing and offers → Azure reservations /
 * new-commerce licence price lists): one row per product, SKU, term and billing plan, priced at the
 * partner's own cost. Documented in docs/prices-csv.md.
 */
export const priceSheetColumns = [
  'ProductTitle',
  'ProductId',
  'SkuId',
  'SkuTitle',
  'Publisher',
  'TermDuration',
  'BillingPlan',
  'Market',
  'Currency',
  'UnitPrice',
  'UnitOfMeasure',
  'PricingTierRangeMin',
  'EffectiveStartDate',
  'EffectiveEndDate',
  'MeterId',
  'MeterName',
] as const;
export type PriceSheetColumn = (typeof priceSheetColumns)[number];

export const requiredPriceSheetColumns: PriceSheetColumn[] = [
  'ProductId',
  'SkuId',
  'TermDuration',
  'BillingPlan',
  'Currency',
  'UnitPrice',
  'EffectiveStartDate',
];

export interface PriceSheetRow {
  line: number;
  productId: string;
  skuId: string;
  /** ISO 8601 ('P1Y', 'P3Y', 'P1M') or '' for none. */
  termDuration: string;
  /** As the sheet says it, normalised: upfront, monthly or annual. */
  billingPlan: 'upfront' | 'monthly' | 'annual';
  currency: string;
  unitPrice: string;
  /** 'yyyy-mm-dd'; the end is exclusive, null when the sheet gives none. */
  effectiveStart: string;
  effectiveEnd: string | null;
  /** Rows of a higher volume tier than the first are not the unit cost; the import skips them. */
  baseTier: boolean;
}

export const badPriceSheetRow = (line: number, column: string, problem: string) =>
  new MitraError(
    'invalid',
    'invalid-price-sheet-row',
    `Line ${line}, column ${column}: ${problem}. Nothing was imported; fix the file and import it again.`,
    800002,
    { line, column },
  );

const terms: Record<string, string> = {
  '': '',
  none: '',
  p1m: 'P1M',
  p1y: 'P1Y',
  p3y: 'P3Y',
  '1 month': 'P1M',
  '1 year': 'P1Y',
  '3 years': 'P3Y',
};
const plans: Record<string, PriceSheetRow['billingPlan']> = {
  upfront: 'upfront',
  onetime: 'upfront',
  one_time: 'upfront',
  'one time': 'upfront',
  monthly: 'monthly',
  annual: 'annual',
};

function day(value: string, line: number, column: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.exec(value);
  const date = match ? new Date(`${match[1]}T00:00:00Z`) : new Date(Number.NaN);
  if (!match || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== match[1])
    throw badPriceSheetRow(
      line,
      column,
      `"${value}" is not a date such as 2026-11-01 or 2026-11-01T00:00:00Z`,
    );
  return match[1];
}

/** One data row of a price sheet, checked; `get` reads a column of the row ('' when absent). */
export function parsePriceSheetRow(get: (column: PriceSheetColumn) => string, line: number): PriceSheetRow {
  for (const column of priceSheetColumns) {
    if (get(column).includes('\u0000')) throw badPriceSheetRow(line, column, 'contains a NUL character');
  }
  const productId = get('ProductId');
  const skuId = get('SkuId');
  if (!productId) throw badPriceSheetRow(line, 'ProductId', 'is empty');
  if (!skuId) throw badPriceSheetRow(line, 'SkuId', 'is empty');
  const termDuration = terms[get('TermDuration').toLowerCase()];
  if (termDuration === undefined)
    throw badPriceSheetRow(
      line,
      'TermDuration',
      `"${get('TermDuration')}" is not a term such as P1Y, P3Y or P1M`,
    );
  const billingPlan = plans[get('BillingPlan').toLowerCase()];
  if (!billingPlan)
    throw badPriceSheetRow(line, 'BillingPlan', `"${get('BillingPlan')}" is not Upfront, Monthly or Annual`);
  const currency = get('Currency').toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency))
    throw badPriceSheetRow(line, 'Currency', `"${get('Currency')}" is not a three-letter currency code`);
  const price = get('UnitPrice');
  if (!/^\d{1,14}(\.\d{1,6})?$/.test(price))
    throw badPriceSheetRow(
      line,
      'UnitPrice',
      `"${price}" is not a price of 0 or more with at most six decimals`,
    );
  const effectiveStart = day(get('EffectiveStartDate'), line, 'EffectiveStartDate');
  const end = get('EffectiveEndDate');
  const effectiveEnd = end ? day(end, line, 'EffectiveEndDate') : null;
  if (effectiveEnd !== null && effectiveEnd <= effectiveStart)
    throw badPriceSheetRow(
      line,
      'EffectiveEndDate',
      `${effectiveEnd} is not after EffectiveStartDate ${effectiveStart}`,
    );
  const tier = get('PricingTierRangeMin');
  if (tier && !/^\d+(\.\d+)?$/.test(tier))
    throw badPriceSheetRow(line, 'PricingTierRangeMin', `"${tier}" is not a number`);
  return {
    line,
    productId,
    skuId,
    termDuration,
    billingPlan,
    currency,
    unitPrice: new Big(price).toFixed(6),
    effectiveStart,
    effectiveEnd,
    baseTier: !tier || new Big(tier).eq(0),
  };
}

/**
 * The catalog price row a sheet row costs, by the item's product type: reservations and savings
 * plans are priced upfront and monthly; a licence seat per month (its annual rows are skipped).
 */
export function costBillingPlan(productType: string, plan: PriceSheetRow['billingPlan']): BillingPlan | null {
  if (productType === 'license') return plan === 'monthly' ? 'license_monthly' : null;
  if (productType === 'azure_plan' || productType === 'azure_global') return null;
  return plan === 'annual' ? null : plan;
}
