import { invalid, notFound } from '../domain/errors.ts';
import { authorize } from '../domain/policies.ts';
import type { Db } from '../store/db.ts';
import type { Call } from './call.ts';
import { defaultListAt } from './customer-prices.ts';
import { priceTable } from './price-table.ts';

export const productNotFound = (id: string) =>
  notFound(
    'product-not-found',
    `No product ${id} exists in the catalog; list products with GET /v1/products?country=US.`,
  );

function requireCountry(country: string | undefined): string {
  if (!country || !/^[A-Za-z]{2}$/.test(country)) {
    throw invalid(
      'country-required',
      "Pass the customer's country as a two-letter code, for example ?country=US.",
    );
  }
  return country.toUpperCase();
}

export async function listProducts(db: Db, call: Call, query: { country?: string; targetView?: string }) {
  authorize(call.actor, 'partnerRead');
  requireCountry(query.country);
  let q = db.selectFrom('products').selectAll();
  if (query.targetView)
    q = q.where((eb) => eb(eb.fn('lower', ['target_view']), '=', query.targetView!.toLowerCase()));
  return q.orderBy('target_view').orderBy('title').execute();
}

export async function getProduct(db: Db, call: Call, productId: string, country?: string) {
  authorize(call.actor, 'partnerRead');
  requireCountry(country);
  const product = productId.includes('\u0000')
    ? undefined
    : await db.selectFrom('products').selectAll().where('id', '=', productId).executeTakeFirst();
  if (!product) throw productNotFound(productId);
  return product;
}

export async function listSkus(db: Db, call: Call, productId: string, country?: string) {
  await getProduct(db, call, productId, country);
  return db.selectFrom('skus').selectAll().where('product_id', '=', productId).orderBy('id').execute();
}

export async function getSku(db: Db, call: Call, productId: string, skuId: string, country?: string) {
  await getProduct(db, call, productId, country);
  const sku = skuId.includes('\u0000')
    ? undefined
    : await db
        .selectFrom('skus')
        .selectAll()
        .where('product_id', '=', productId)
        .where('id', '=', skuId)
        .executeTakeFirst();
  if (!sku)
    throw notFound(
      'sku-not-found',
      `Product ${productId} has no SKU ${skuId}; list its SKUs with GET /v1/products/${productId}/skus.`,
    );
  return sku;
}

export async function listAvailabilities(
  db: Db,
  call: Call,
  productId: string,
  skuId: string,
  country?: string,
) {
  await getSku(db, call, productId, skuId, country);
  return db
    .selectFrom('availabilities')
    .selectAll()
    .where('product_id', '=', productId)
    .where('sku_id', '=', skuId)
    .orderBy('id')
    .execute();
}

export async function getAvailability(
  db: Db,
  call: Call,
  productId: string,
  skuId: string,
  availabilityId: string,
  country?: string,
) {
  await getSku(db, call, productId, skuId, country);
  const availability = availabilityId.includes('\u0000')
    ? undefined
    : await db
        .selectFrom('availabilities')
        .selectAll()
        .where('product_id', '=', productId)
        .where('sku_id', '=', skuId)
        .where('id', '=', availabilityId)
        .executeTakeFirst();
  if (!availability) {
    throw notFound(
      'availability-not-found',
      `SKU ${productId}/${skuId} has no availability ${availabilityId}.`,
    );
  }
  return availability;
}

/** Resolves a cart's `{product}:{sku}:{availability}` catalog item id to its catalog rows. */
export async function resolveCatalogItem(db: Db, catalogItemId: string) {
  return db
    .selectFrom('availabilities')
    .innerJoin('skus', (j) =>
      j
        .onRef('skus.product_id', '=', 'availabilities.product_id')
        .onRef('skus.id', '=', 'availabilities.sku_id'),
    )
    .innerJoin('products', 'products.id', 'availabilities.product_id')
    .select([
      'availabilities.catalog_item_id',
      'availabilities.term_duration',
      'availabilities.billing_cycles',
      'skus.title as sku_title',
      'skus.arm_sku_name',
      'skus.region',
      'skus.minimum_quantity',
      'skus.maximum_quantity',
      'skus.provisioning_variables',
      'products.id as product_id',
      'products.title as product_title',
      'products.target_view',
    ])
    .where('availabilities.catalog_item_id', '=', catalogItemId)
    .executeTakeFirst();
}

/**
 * The retail list as stored, or the partner's customer prices: its default list in effect now,
 * resolved over retail by the same rule that prices every quote (customer lists may differ).
 */
export async function listPrices(db: Db, call: Call, kind: 'retail' | 'partner') {
  authorize(call.actor, 'pricesRead');
  const retail = await db
    .selectFrom('price_lists')
    .selectAll()
    .where('kind', '=', 'retail')
    .where('partner_id', 'is', null)
    .orderBy('currency')
    .executeTakeFirst();
  if (!retail) {
    throw notFound(
      'price-list-not-found',
      'No retail price list is loaded; run `mitra demo --reset` or import one.',
    );
  }
  const now = new Date();
  const version = kind === 'partner' ? await defaultListAt(db, call.actor.partnerId, now) : null;
  const table = await priceTable(db, call.actor.partnerId, version, now);
  const own =
    kind === 'partner'
      ? await db
          .selectFrom('price_lists')
          .selectAll()
          .where('kind', '=', 'partner')
          .where('partner_id', '=', call.actor.partnerId)
          .orderBy('currency')
          .executeTakeFirst()
      : undefined;
  const priceList = own ?? {
    ...retail,
    ...(kind === 'partner' ? { kind: 'partner' as const, name: 'Default customer prices' } : {}),
  };
  const items = table.rows.map((r) => ({
    catalog_item_id: r.catalogItemId,
    term_duration: r.termDuration,
    billing_plan: r.billingPlan,
    unit_price: r.unitPrice,
    unit: r.unit,
    product_title: r.productTitle,
    sku_title: r.skuTitle,
  }));
  return { priceList, items };
}
