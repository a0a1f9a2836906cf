import type { Db } from '../../store/db.ts';
import type { Customer } from '../../store/schema.ts';

export interface CatalogEntry {
  sku: string;
  region: string;
  isfGroup: string | null;
  title: string;
  terms: {
    term: string;
    billingPlan: 'Upfront' | 'Monthly';
    unitPrice: string;
    retailUnitPrice: string;
    currency: string;
  }[];
}

/** VM reservation sizes and regions with the partner's price and the retail price side by side (R14). */
export async function reservationCatalog(
  db: Db,
  customer: Customer,
  region?: string,
): Promise<CatalogEntry[]> {
  let q = db
    .selectFrom('skus')
    .innerJoin('products', 'products.id', 'skus.product_id')
    .innerJoin('availabilities', (j) =>
      j
        .onRef('availabilities.product_id', '=', 'skus.product_id')
        .onRef('availabilities.sku_id', '=', 'skus.id'),
    )
    .innerJoin('prices', 'prices.catalog_item_id', 'availabilities.catalog_item_id')
    .innerJoin('price_lists', 'price_lists.id', 'prices.price_list_id')
    .select([
      'skus.arm_sku_name',
      'skus.region',
      'skus.isf_group',
      'skus.title',
      'prices.term_duration',
      'prices.billing_plan',
      'prices.unit_price',
      'price_lists.kind',
      'price_lists.currency',
    ])
    .where('products.target_view', '=', 'AzureReservationsVM')
    .where((eb) =>
      eb.or([
        eb('price_lists.partner_id', '=', customer.partner_id),
        eb('price_lists.partner_id', 'is', null),
      ]),
    );
  if (region) q = q.where('skus.region', '=', region);
  const rows = await q
    .orderBy('skus.region')
    .orderBy('skus.isf_group')
    .orderBy('skus.arm_sku_name')
    .execute();
  const entries = new Map<string, CatalogEntry>();
  const prices = new Map<string, CatalogEntry['terms'][number]>();
  for (const r of rows) {
    const key = `${r.arm_sku_name}|${r.region}`;
    let entry = entries.get(key);
    if (!entry) {
      entry = { sku: r.arm_sku_name!, region: r.region!, isfGroup: r.isf_group, title: r.title, terms: [] };
      entries.set(key, entry);
    }
    const plan = r.billing_plan === 'upfront' ? 'Upfront' : 'Monthly';
    const priceKey = `${key}|${r.term_duration}|${plan}`;
    let price = prices.get(priceKey);
    if (!price) {
      price = {
        term: r.term_duration,
        billingPlan: plan,
        unitPrice: '',
        retailUnitPrice: '',
        currency: r.currency,
      };
      prices.set(priceKey, price);
      entry.terms.push(price);
    }
    if (r.kind === 'partner') price.unitPrice = r.unit_price;
    else price.retailUnitPrice = r.unit_price;
  }
  return [...entries.values()];
}
