import type { Actor } from '../domain/actor.ts';
import {
  type CustomerPrice,
  customerUnitPrice,
  normalizePercent,
  overrideFor,
  type PriceKey,
  type PriceListVersion,
  type PriceOverride,
  priceKindOf,
} from '../domain/customer-prices.ts';
import { conflict } from '../domain/errors.ts';
import type { Db } from '../store/db.ts';
import type { BillingPlan, Customer } from '../store/schema.ts';

/**
 * Loads price list versions and resolves the price a customer pays for a price row at a moment:
 * the customer's own list in effect then, else the partner's default in effect then, else retail.
 * Quotes, purchases, exchanges, cart checkouts and the reservation catalogs all price through here.
 */

export type PriceListSource = 'customer' | 'default' | 'retail';
export type PricedParty = Pick<Customer, 'id' | 'partner_id'>;

type VersionRow = {
  id: string;
  seq: number;
  customer_id: string | null;
  effective_from: Date;
  markup_usage: string;
  markup_reservations: string;
  markup_savings_plans: string;
  markup_licences: string;
  created_by: string;
  created_at: Date;
};

const versionColumns = [
  'id',
  'seq',
  'customer_id',
  'effective_from',
  'markup_usage',
  'markup_reservations',
  'markup_savings_plans',
  'markup_licences',
  'created_by',
  'created_at',
] as const;

async function withOverrides(db: Db, rows: VersionRow[]): Promise<PriceListVersion[]> {
  const overrides = new Map<string, PriceOverride[]>();
  if (rows.length) {
    const found = await db
      .selectFrom('price_list_overrides')
      .selectAll()
      .where(
        'version_id',
        'in',
        rows.map((r) => r.id),
      )
      .orderBy('catalog_item_id')
      .orderBy('term_duration')
      .orderBy('billing_plan')
      .execute();
    for (const o of found) {
      const list = overrides.get(o.version_id) ?? [];
      list.push({
        catalogItemId: o.catalog_item_id,
        ...(o.term_duration ? { termDuration: o.term_duration } : {}),
        ...(o.billing_plan ? { billingPlan: o.billing_plan as BillingPlan } : {}),
        ...(o.unit_price !== null ? { unitPrice: o.unit_price } : {}),
        ...(o.markup_percent !== null ? { markupPercent: normalizePercent(o.markup_percent) } : {}),
      });
      overrides.set(o.version_id, list);
    }
  }
  return rows.map((r) => ({
    id: r.id,
    customerId: r.customer_id,
    effectiveFrom: new Date(r.effective_from),
    seq: Number(r.seq),
    markups: {
      usage: normalizePercent(r.markup_usage),
      reservations: normalizePercent(r.markup_reservations),
      savingsPlans: normalizePercent(r.markup_savings_plans),
      licences: normalizePercent(r.markup_licences),
    },
    overrides: overrides.get(r.id) ?? [],
    createdBy: r.created_by,
    createdAt: new Date(r.created_at),
  }));
}

/** Every version of one list (a customer's, or the partner's default with `customerId` null). */
export async function loadVersions(db: Db, partnerId: string, customerId: string | null) {
  let q = db.selectFrom('price_list_versions').select(versionColumns).where('partner_id', '=', partnerId);
  q = customerId ? q.where('customer_id', '=', customerId) : q.where('customer_id', 'is', null);
  return withOverrides(db, await q.orderBy('effective_from').orderBy('seq').execute());
}

async function versionAt(db: Db, partnerId: string, customerId: string | null, at: Date) {
  let q = db
    .selectFrom('price_list_versions')
    .select(versionColumns)
    .where('partner_id', '=', partnerId)
    .where('effective_from', '<=', at);
  q = customerId ? q.where('customer_id', '=', customerId) : q.where('customer_id', 'is', null);
  const row = await q.orderBy('effective_from', 'desc').orderBy('seq', 'desc').limit(1).executeTakeFirst();
  return row ? (await withOverrides(db, [row]))[0] : undefined;
}

/** The list a customer's prices come from at `at`, and which list that is. */
export async function priceListAt(
  db: Db,
  customer: PricedParty,
  at: Date,
): Promise<{ version: PriceListVersion | null; source: PriceListSource }> {
  const own = await versionAt(db, customer.partner_id, customer.id, at);
  if (own) return { version: own, source: 'customer' };
  const fallback = await versionAt(db, customer.partner_id, null, at);
  if (fallback) return { version: fallback, source: 'default' };
  return { version: null, source: 'retail' };
}

/** The partner's default list in effect at `at` (null: none yet, customers pay retail). */
export async function defaultListAt(db: Db, partnerId: string, at: Date) {
  return (await versionAt(db, partnerId, null, at)) ?? null;
}

export const priceMissing = () =>
  conflict(
    'price-missing',
    'Your provider has no price for this item yet; ask your partner to add it to their price list.',
  );

/** The retail price row of a catalog item, with its product type and currency. */
export async function retailPriceOf(db: Db, key: PriceKey) {
  return db
    .selectFrom('prices')
    .innerJoin('price_lists', 'price_lists.id', 'prices.price_list_id')
    .innerJoin('availabilities', 'availabilities.catalog_item_id', 'prices.catalog_item_id')
    .innerJoin('products', 'products.id', 'availabilities.product_id')
    .select(['prices.unit_price', 'price_lists.currency', 'products.product_type'])
    .where('price_lists.kind', '=', 'retail')
    .where('prices.catalog_item_id', '=', key.catalogItemId)
    .where('prices.term_duration', '=', key.termDuration)
    .where('prices.billing_plan', '=', key.billingPlan)
    .orderBy('price_lists.currency')
    .executeTakeFirst();
}

export interface ResolvedPrice extends CustomerPrice {
  currency: string;
  retailUnitPrice: string;
  source: PriceListSource;
}

/**
 * What a customer is quoted and charged for one price row at `at`. Throws `price-missing` when
 * the item has no retail price to start from.
 */
export async function customerPriceOf(
  db: Db,
  customer: PricedParty,
  key: PriceKey,
  at: Date,
): Promise<ResolvedPrice> {
  // One after the other: inside a transaction both run on its one connection anyway.
  const retail = await retailPriceOf(db, key);
  if (!retail) throw priceMissing();
  const list = await priceListAt(db, customer, at);
  const price = customerUnitPrice(
    retail.unit_price,
    priceKindOf(retail.product_type),
    list.version,
    list.version ? overrideFor(list.version.overrides, key) : undefined,
  );
  return { ...price, currency: retail.currency, retailUnitPrice: retail.unit_price, source: list.source };
}

/**
 * Whether the caller may see retail prices beside its own: partner users always (R14); customer
 * users unless their partner hid retail (B9). The API leaves retail out of what it sends then.
 */
export async function retailShownTo(db: Db, actor: Actor): Promise<boolean> {
  if (actor.kind !== 'customer_user') return true;
  const partner = await db
    .selectFrom('partners')
    .select('show_retail_to_customers')
    .where('id', '=', actor.partnerId)
    .executeTakeFirst();
  return partner?.show_retail_to_customers ?? true;
}
