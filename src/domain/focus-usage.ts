import Big from 'big.js';
import {
  invalidUsageRow,
  nonNegativeDecimal,
  type RowPlace,
  refuseNul,
  storedDecimal,
  type UsageRowIn,
} from './usage-rows.ts';

/**
 * Azure's FOCUS cost export (the FocusCost dataset) turned into Mitra's hourly usage rows. Pure:
 * a row is read through `get` (a column's value, '' for null or an absent column). The mapping is
 * documented column by column in docs/usage-focus.md.
 */

/** 1.0 also stands for 1.0r2: the two differ only in the date format, and both are read. */
export type FocusVersion = '1.0' | '1.2-preview';

/** Columns without which a row cannot become usage. */
export const focusRequiredColumns = [
  'ChargeCategory',
  'ChargePeriodStart',
  'ChargePeriodEnd',
  'SubAccountId',
  'ConsumedQuantity',
  'ListUnitPrice',
  'BillingCurrency',
  'RegionId',
  'x_SkuMeterCategory',
] as const;

/** Every column the mapping reads; the reader only needs these. */
export const focusColumns = [
  ...focusRequiredColumns,
  'CommitmentDiscountStatus',
  'PricingQuantity',
  'PricingCurrency',
  'PricingCurrencyListUnitPrice',
  'ResourceId',
  'ServiceName',
  'SkuMeter',
  'SkuPriceDetails',
  'x_BillingExchangeRate',
  'x_CustomerId',
  'x_PricingBlockSize',
  'x_PricingCurrency',
  'x_ResourceGroupName',
  'x_SkuDetails',
  'x_SkuMeterName',
  'x_SkuMeterSubcategory',
] as const;
export type FocusColumn = (typeof focusColumns)[number];

/** A header that looks like a FOCUS export rather than Mitra's own usage CSV. */
export const looksLikeFocus = (header: readonly string[]) =>
  header.includes('ChargePeriodStart') && header.includes('ChargeCategory');

/**
 * The FocusCost version from its columns, or the sentence refusing the file. 1.2-preview renamed
 * three `x_` columns to FOCUS ones (SkuMeter, PricingCurrency, InvoiceId) and added others.
 */
export function focusVersionOf(header: readonly string[]): FocusVersion {
  const place: RowPlace = { kind: 'Line', at: 1 };
  const has = (c: string) => header.includes(c);
  if (!has('ConsumedQuantity') && (has('UsageQuantity') || has('ChargeSubcategory')))
    throw invalidUsageRow(
      place,
      'ConsumedQuantity',
      'this is a FocusCost 1.0-preview export (UsageQuantity, no ConsumedQuantity or RegionId), which Mitra does not read; export the FocusCost dataset in version 1.0r2 or 1.2-preview and import that',
    );
  const missing = focusRequiredColumns.filter((c) => !has(c));
  if (!has('x_SkuMeterName') && !has('SkuMeter')) missing.push('SkuMeter' as never);
  if (missing.length) throw invalidUsageRow(place, missing[0], `the header lacks ${missing.join(', ')}`);
  return has('SkuMeter') || has('ServiceSubcategory') || has('InvoiceId') || has('PricingCurrency')
    ? '1.2-preview'
    : '1.0';
}

/**
 * FOCUS date/time: `2026-11-01T10:00:00Z` (1.0r2, 1.2-preview), `2026-11-01T10:00Z` (Azure's 1.0,
 * no seconds), optionally with fractional seconds. Always UTC; anything else is refused.
 */
export function focusDateTime(value: string, place: RowPlace, column: string): Date {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(:\d{2}(\.\d+)?)?Z$/.exec(value);
  const d = m ? new Date(`${m[1]}T${m[2]}${m[3] ?? ':00'}Z`) : undefined;
  if (!m || !d || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 16) !== `${m[1]}T${m[2]}`)
    throw invalidUsageRow(
      place,
      column,
      `"${value}" is not a UTC date and time such as 2026-11-01T10:00:00Z`,
    );
  return d;
}

const hourMs = 3_600_000;

export type FocusRowOutcome =
  | { kind: 'usage'; rows: UsageRowIn[] }
  | { kind: 'skip'; reason: 'purchases' | 'unused' | 'other' };

export interface FocusContext {
  /** The currency Mitra keeps usage in (the retail price list's, USD). */
  ledgerCurrency: string;
  /** Savings plan rates per hour of a VM size in a region, from the retail price list; null: none. */
  savingsPlanRates: (sku: string, region: string) => { P1Y: string; P3Y: string } | null;
}

/** Meters reservations cannot cover, whatever their category: spot and low-priority capacity. */
const spotLike = /\b(spot|low priority)\b/i;

/** The subscription id in `/subscriptions/{id}` (Azure's SubAccountId) or a bare id. */
export function subscriptionIdOf(subAccountId: string): string | null {
  const m = /^\/subscriptions\/([^/]+)/i.exec(subAccountId);
  if (m) return m[1].toLowerCase();
  return subAccountId && !subAccountId.includes('/') ? subAccountId.toLowerCase() : null;
}

function jsonObject(value: string): Record<string, unknown> | null {
  if (!value) return null;
  try {
    const parsed = JSON.parse(value);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

/**
 * The VM size the engine needs (`Standard_D2s_v3`): Azure writes it as `ServiceType` in
 * x_SkuDetails (the cost details' AdditionalInfo); FOCUS 1.2 names it `InstanceType` in
 * SkuPriceDetails; failing both, the meter name `D2s v3` is the size without its `Standard_`.
 */
function armVmSize(get: (c: FocusColumn) => string, meter: string): string {
  const details = jsonObject(get('x_SkuDetails'));
  if (typeof details?.ServiceType === 'string' && details.ServiceType) return details.ServiceType;
  const priceDetails = jsonObject(get('SkuPriceDetails'));
  if (typeof priceDetails?.InstanceType === 'string' && priceDetails.InstanceType)
    return priceDetails.InstanceType;
  return /^[A-Z][A-Za-z0-9-]* v\d+$|^[A-Z][A-Za-z0-9-]*$/.test(meter)
    ? `Standard_${meter.replaceAll(' ', '_')}`
    : meter;
}

/**
 * The pay-as-you-go price per consumed unit in the ledger currency. ListUnitPrice is per pricing
 * unit (x_PricingBlockSize consumed units) in the billing currency: the pricing currency's own
 * column (1.2-preview) is taken when there is one, else the billing currency's price converted
 * back with x_BillingExchangeRate. A pricing currency other than the ledger's is refused.
 */
function paygUnitPrice(get: (c: FocusColumn) => string, place: RowPlace, block: Big, ledger: string): string {
  const billing = get('BillingCurrency').toUpperCase();
  const pricing = (get('PricingCurrency') || get('x_PricingCurrency') || billing).toUpperCase();
  const column = get('PricingCurrency')
    ? 'PricingCurrency'
    : get('x_PricingCurrency')
      ? 'x_PricingCurrency'
      : 'BillingCurrency';
  if (pricing !== ledger)
    throw invalidUsageRow(
      place,
      column,
      `prices are in ${pricing || 'no currency'}, but Mitra keeps usage in ${ledger}, the retail price list's currency; export the costs with ${ledger} pricing`,
    );
  let price: Big;
  if (get('PricingCurrencyListUnitPrice')) {
    price = new Big(
      nonNegativeDecimal(get('PricingCurrencyListUnitPrice'), place, 'PricingCurrencyListUnitPrice')!,
    );
  } else {
    const list = new Big(nonNegativeDecimal(get('ListUnitPrice'), place, 'ListUnitPrice')!);
    if (billing === pricing) price = list;
    else {
      const rate = get('x_BillingExchangeRate');
      if (!rate || !(Number(rate) > 0))
        throw invalidUsageRow(
          place,
          'x_BillingExchangeRate',
          `ListUnitPrice is in ${billing} and the row has no exchange rate back to ${pricing}`,
        );
      price = list.div(new Big(rate));
    }
  }
  return storedDecimal(price.div(block), place, 'ListUnitPrice');
}

/**
 * One FocusCost row: usage rows (one for an hourly row, 24 for a daily row), or why it is skipped.
 * Purchases and unused commitment hours are commitments, not usage; usage a commitment already
 * covered in the cloud is usage like any other (Mitra applies its own commitments).
 */
export function focusRowToUsage(
  get: (c: FocusColumn) => string,
  place: RowPlace,
  ctx: FocusContext,
): FocusRowOutcome {
  const category = get('ChargeCategory');
  if (category === 'Purchase') return { kind: 'skip', reason: 'purchases' };
  if (category === 'Tax' || category === 'Credit' || category === 'Adjustment')
    return { kind: 'skip', reason: 'other' };
  if (category !== 'Usage')
    throw invalidUsageRow(
      place,
      'ChargeCategory',
      `"${category}" is not Usage, Purchase, Tax, Credit or Adjustment`,
    );
  if (get('CommitmentDiscountStatus') === 'Unused') return { kind: 'skip', reason: 'unused' };

  const start = focusDateTime(get('ChargePeriodStart'), place, 'ChargePeriodStart');
  const end = focusDateTime(get('ChargePeriodEnd'), place, 'ChargePeriodEnd');
  if (start.getTime() % hourMs !== 0)
    throw invalidUsageRow(place, 'ChargePeriodStart', 'must start on a whole UTC hour');
  const hours = (end.getTime() - start.getTime()) / hourMs;
  if (hours !== 1 && hours !== 24)
    throw invalidUsageRow(
      place,
      'ChargePeriodEnd',
      'a charge period must last one hour (hourly rows) or one day (daily rows)',
    );

  const subscription = subscriptionIdOf(get('SubAccountId'));
  if (!subscription)
    throw invalidUsageRow(place, 'SubAccountId', 'names no subscription (/subscriptions/{id})');
  const customerId = get('x_CustomerId').toLowerCase() || null;

  const block = new Big(nonNegativeDecimal(get('x_PricingBlockSize') || '1', place, 'x_PricingBlockSize')!);
  if (block.eq(0)) throw invalidUsageRow(place, 'x_PricingBlockSize', 'must be more than 0');
  let quantity: string;
  if (get('ConsumedQuantity'))
    quantity = nonNegativeDecimal(get('ConsumedQuantity'), place, 'ConsumedQuantity')!;
  else if (get('PricingQuantity'))
    quantity = storedDecimal(
      new Big(nonNegativeDecimal(get('PricingQuantity'), place, 'PricingQuantity')!).times(block),
      place,
      'PricingQuantity',
    );
  else
    throw invalidUsageRow(place, 'ConsumedQuantity', 'a usage row needs ConsumedQuantity or PricingQuantity');

  const meterCategory = get('x_SkuMeterCategory') || get('ServiceName');
  const meter = get('SkuMeter') || get('x_SkuMeterName');
  const vm = meterCategory === 'Virtual Machines';
  const sku = vm ? armVmSize(get, meter) : meter;
  const region = get('RegionId');
  const reservable =
    vm && sku.startsWith('Standard_') && !spotLike.test(`${meter} ${get('x_SkuMeterSubcategory')}`);
  const sp = reservable ? ctx.savingsPlanRates(sku, region) : null;
  const resourceGroup = get('x_ResourceGroupName') || 'default';
  const resourceId = get('ResourceId') || null;
  refuseNul(place, {
    x_ResourceGroupName: resourceGroup,
    RegionId: region,
    SkuMeter: sku,
    x_SkuMeterCategory: meterCategory,
    ResourceId: resourceId,
  });
  if (!sku) throw invalidUsageRow(place, 'SkuMeter', 'names no meter');

  const row: Omit<UsageRowIn, 'hour' | 'quantity'> = {
    customerId,
    subscription,
    resourceGroup,
    region,
    meterCategory,
    reservedResourceType: reservable ? 'VirtualMachines' : null,
    sku,
    paygUnitPrice: paygUnitPrice(get, place, block, ctx.ledgerCurrency),
    spUnitPriceP1Y: sp?.P1Y ?? null,
    spUnitPriceP3Y: sp?.P3Y ?? null,
    // Reservations and savings plans cover VM compute only here: licences, storage and network
    // are always pay-as-you-go, and other services have no savings plan rate to rank by.
    benefitEligible: reservable,
    resourceId,
  };
  if (hours === 1) return { kind: 'usage', rows: [{ ...row, hour: start, quantity }] };
  return {
    kind: 'usage',
    rows: spreadOverDay(quantity).map((q, h) => ({
      ...row,
      hour: new Date(start.getTime() + h * hourMs),
      quantity: q,
    })),
  };
}

/**
 * A day's quantity as 24 hourly quantities that add up to it exactly, in millionths (the stored
 * precision): each hour gets 1/24, and the first hours one millionth more until the remainder is
 * used. A daily row has no hourly shape; spreading it evenly lets a reservation cover each hour up
 * to its size, as it would a VM running all day, instead of one hour holding the whole day.
 */
export function spreadOverDay(quantity: string): string[] {
  const millionths = BigInt(new Big(quantity).times(1_000_000).toFixed(0));
  const base = millionths / 24n;
  const extra = Number(millionths % 24n);
  return Array.from({ length: 24 }, (_, h) =>
    new Big((base + (h < extra ? 1n : 0n)).toString()).div(1_000_000).toFixed(6),
  );
}
