import Big from 'big.js';
import { type BillingPlan, commitmentTotal, type Term } from '../domain/commitments.ts';
import { MitraError } from '../domain/errors.ts';
import type { Db } from '../store/db.ts';
import type { CommitmentKind } from '../store/schema.ts';

export interface PricedCommitment {
  catalogItemId: string;
  skuTitle: string;
  currency: string;
  /** The partner's customer price per instance (or per 1.00/hour of commitment) per billing period. */
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

/** Finds the catalog item a commitment request names and prices it from both price lists. */
export async function priceCommitment(
  db: Db,
  partnerId: string,
  r: {
    kind: CommitmentKind;
    sku?: string;
    region?: string;
    term: Term;
    billingPlan: BillingPlan;
    quantity: number;
    hourlyCommitment?: string;
  },
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
  const plan = r.billingPlan === 'Upfront' ? 'upfront' : 'monthly';
  const prices = await db
    .selectFrom('prices')
    .innerJoin('price_lists', 'price_lists.id', 'prices.price_list_id')
    .select(['prices.unit_price', 'price_lists.kind', 'price_lists.currency', 'price_lists.partner_id'])
    .where('prices.catalog_item_id', '=', item.catalog_item_id)
    .where('prices.billing_plan', '=', plan)
    .where('prices.term_duration', '=', r.term)
    .where((eb) =>
      eb.or([eb('price_lists.partner_id', '=', partnerId), eb('price_lists.partner_id', 'is', null)]),
    )
    .execute();
  const partner = prices.find((p) => p.kind === 'partner');
  const retail = prices.find((p) => p.kind === 'retail');
  if (!partner || !retail) {
    throw new MitraError(
      'conflict',
      'price-missing',
      'Your provider has no price for this item yet; ask your partner to add it to their price list.',
    );
  }
  const units = r.kind === 'reservation' ? String(r.quantity) : positiveAmount(r.hourlyCommitment);
  return {
    catalogItemId: item.catalog_item_id,
    skuTitle: item.sku_title,
    currency: partner.currency,
    unitPrice: partner.unit_price,
    retailUnitPrice: retail.unit_price,
    units,
    total: commitmentTotal(r.billingPlan, r.term, partner.unit_price, units),
    retailTotal: commitmentTotal(r.billingPlan, r.term, retail.unit_price, units),
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
