import {
  customerUnitPrice,
  marginOf,
  overrideFor,
  type PriceBasis,
  type PriceKind,
  type PriceListVersion,
  type PriceOverride,
  priceKindOf,
} from '../domain/customer-prices.ts';
import type { Db } from '../store/db.ts';
import type { BillingPlan } from '../store/schema.ts';

/**
 * A price list resolved for every price row of the catalog: retail, the customer price it gives,
 * the partner's own cost and the margin. Each row is priced by `customerUnitPrice`, the same rule
 * that prices quotes and purchases.
 */

export interface PriceRow {
  catalogItemId: string;
  productTitle: string;
  skuTitle: string;
  kind: PriceKind;
  termDuration: string;
  billingPlan: BillingPlan;
  unit: string;
  retailUnitPrice: string;
  unitPrice: string;
  basis: PriceBasis;
  markupPercent: string | null;
  /** The partner's own cost from its imported price sheet; null when none covers the row. */
  costUnitPrice: string | null;
  margin: string | null;
  marginPercent: string | null;
}

type RetailFilter = { targetView?: string; region?: string };

/** Retail rows with their catalog facts, in the order price lists are read. */
export async function retailRows(db: Db, filter: RetailFilter = {}) {
  let q = db
    .selectFrom('prices')
    .innerJoin('price_lists', 'price_lists.id', 'prices.price_list_id')
    .innerJoin('availabilities', 'availabilities.catalog_item_id', 'prices.catalog_item_id')
    .innerJoin('skus', (j) =>
      j
        .onRef('skus.product_id', '=', 'availabilities.product_id')
        .onRef('skus.id', '=', 'availabilities.sku_id'),
    )
    .innerJoin('products', 'products.id', 'availabilities.product_id')
    .select([
      'prices.catalog_item_id',
      'prices.term_duration',
      'prices.billing_plan',
      'prices.unit_price',
      'prices.unit',
      'price_lists.currency',
      'products.title as product_title',
      'products.product_type',
      'skus.title as sku_title',
      'skus.arm_sku_name',
      'skus.region',
      'skus.isf_group',
    ])
    .where('price_lists.kind', '=', 'retail');
  if (filter.targetView) q = q.where('products.target_view', '=', filter.targetView);
  if (filter.region) q = q.where('skus.region', '=', filter.region);
  return q
    .orderBy('products.title')
    .orderBy('prices.catalog_item_id')
    .orderBy('prices.billing_plan')
    .execute();
}

const rowKey = (catalogItemId: string, termDuration: string, billingPlan: string) =>
  `${catalogItemId}|${termDuration}|${billingPlan}`;

/** The partner's cost per price row on the UTC day of `at`: the sheet row effective that day. */
export async function costsAt(db: Db, partnerId: string, at: Date): Promise<Map<string, string>> {
  const day = at.toISOString().slice(0, 10);
  const rows = await db
    .selectFrom('partner_costs')
    .select(['catalog_item_id', 'term_duration', 'billing_plan', 'unit_price', 'effective_start'])
    .where('partner_id', '=', partnerId)
    .where('effective_start', '<=', day)
    .where((eb) => eb.or([eb('effective_end', 'is', null), eb('effective_end', '>', day)]))
    .orderBy('effective_start')
    .execute();
  // Ordered by start, so a later sheet's row replaces an earlier one for the same price row.
  return new Map(rows.map((r) => [rowKey(r.catalog_item_id, r.term_duration, r.billing_plan), r.unit_price]));
}

/** Overrides by catalog item, so a table of a thousand rows finds its few overrides at once. */
function overridesByItem(overrides: readonly PriceOverride[]) {
  const map = new Map<string, PriceOverride[]>();
  for (const o of overrides) map.set(o.catalogItemId, [...(map.get(o.catalogItemId) ?? []), o]);
  return map;
}

/** Every catalog price row under `version` (null: retail), with the partner's cost on `at`. */
export async function priceTable(
  db: Db,
  partnerId: string,
  version: Pick<PriceListVersion, 'markups' | 'overrides'> | null,
  at: Date,
): Promise<{ currency: string; rows: PriceRow[] }> {
  const retail = await retailRows(db);
  const costs = await costsAt(db, partnerId, at);
  const byItem = overridesByItem(version?.overrides ?? []);
  const rows = retail.map((r): PriceRow => {
    const key = {
      catalogItemId: r.catalog_item_id,
      termDuration: r.term_duration,
      billingPlan: r.billing_plan,
    };
    const kind = priceKindOf(r.product_type);
    const price = customerUnitPrice(
      r.unit_price,
      kind,
      version,
      overrideFor(byItem.get(r.catalog_item_id) ?? [], key),
    );
    const cost = costs.get(rowKey(r.catalog_item_id, r.term_duration, r.billing_plan)) ?? null;
    const margin = marginOf(price.unitPrice, cost);
    return {
      catalogItemId: r.catalog_item_id,
      productTitle: r.product_title,
      skuTitle: r.sku_title,
      kind,
      termDuration: r.term_duration,
      billingPlan: r.billing_plan,
      unit: r.unit,
      retailUnitPrice: r.unit_price,
      ...price,
      costUnitPrice: cost,
      margin: margin?.amount ?? null,
      marginPercent: margin?.percent ?? null,
    };
  });
  return { currency: retail[0]?.currency ?? 'USD', rows };
}
