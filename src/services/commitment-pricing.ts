import Big from 'big.js';
import { type BillingPlan, commitmentTotal, type Term } from '../domain/commitments.ts';
import { MitraError } from '../domain/errors.ts';
import type { Db } from '../store/db.ts';
import type { CommitmentKind } from '../store/schema.ts';
import { customerPriceOf, type PricedParty } from './customer-prices.ts';

export interface PricedCommitment {
  catalogItemId: string;
  skuTitle: string;
  currency: string;
  /** The customer's price per instance (or per 1.00/hour of commitment) per billing period: what is charged. */
  unitPrice: string;
  /** Retail ("web direct") price for the same, shown beside it (R14). */
  retailUnitPrice: string;
  /** Units priced: instances for reservations, the hourly commitment for savings plans. */
  units: string;
  total: string;
  retailTotal: string;
}

const noSuchSku = (sku: string, region: string) =>
  new MitraError(
    'invalid',
    'sku-not-available',
    `${sku} is not offered as a reservation in ${region}; pick a size and region from the reservation catalog.`,
  );

/**
 * Finds the catalog item a commitment request names and prices it for the customer as of `at`
 * (purchases: the moment of purchase): the customer price from the price list in effect then
 * (`customerPriceOf`, R14), retail beside it.
 */
export async function priceCommitment(
  db: Db,
  customer: PricedParty,
  r: {
    kind: CommitmentKind;
    sku?: string;
    region?: string;
    term: Term;
    billingPlan: BillingPlan;
    quantity: number;
    hourlyCommitment?: string;
  },
  at: Date = new Date(),
): Promise<PricedCommitment> {
  let item: { catalog_item_id: string; sku_title: string } | undefined;
  if (r.kind === 'reservation') {
    if (!r.sku || !r.region)
      throw new MitraError(
        'invalid',
        'sku-required',
        'A reservation names its VM size (sku.name) and region (location).',
      );
    item = await db
      .selectFrom('availabilities')
      .innerJoin('skus', (j) =>
        j
          .onRef('skus.product_id', '=', 'availabilities.product_id')
          .onRef('skus.id', '=', 'availabilities.sku_id'),
      )
      .select(['availabilities.catalog_item_id', 'skus.title as sku_title'])
      .where((eb) => eb(eb.fn('lower', ['skus.arm_sku_name']), '=', r.sku!.toLowerCase()))
      .where((eb) => eb(eb.fn('lower', ['skus.region']), '=', r.region!.toLowerCase()))
      .where('availabilities.term_duration', '=', r.term)
      .executeTakeFirst();
    if (!item) throw noSuchSku(r.sku, r.region);
  } else {
    item = await db
      .selectFrom('availabilities')
      .innerJoin('products', 'products.id', 'availabilities.product_id')
      .innerJoin('skus', (j) =>
        j
          .onRef('skus.product_id', '=', 'availabilities.product_id')
          .onRef('skus.id', '=', 'availabilities.sku_id'),
      )
      .select(['availabilities.catalog_item_id', 'skus.title as sku_title'])
      .where('products.target_view', '=', 'AzureSavingsPlan')
      .where('availabilities.term_duration', '=', r.term)
      .executeTakeFirst();
    if (!item)
      throw new MitraError('invalid', 'savings-plan-not-offered', 'Savings plans are not in the catalog.');
  }
  const price = await customerPriceOf(
    db,
    customer,
    {
      catalogItemId: item.catalog_item_id,
      termDuration: r.term,
      billingPlan: r.billingPlan === 'Upfront' ? 'upfront' : 'monthly',
    },
    at,
  );
  const units = r.kind === 'reservation' ? String(r.quantity) : positiveAmount(r.hourlyCommitment);
  return {
    catalogItemId: item.catalog_item_id,
    skuTitle: item.sku_title,
    currency: price.currency,
    unitPrice: price.unitPrice,
    retailUnitPrice: price.retailUnitPrice,
    units,
    total: commitmentTotal(r.billingPlan, r.term, price.unitPrice, units),
    retailTotal: commitmentTotal(r.billingPlan, r.term, price.retailUnitPrice, units),
  };
}

function positiveAmount(value: string | undefined): string {
  try {
    const amount = new Big(value ?? 'x');
    if (amount.gt(0) && amount.lte(1_000_000) && amount.eq(amount.round(2))) return amount.toFixed(2);
  } catch {
    // refused below
  }
  throw new MitraError(
    'invalid',
    'invalid-commitment-amount',
    'The hourly commitment must be an amount above 0 with at most two decimals, for example 1.50.',
  );
}
