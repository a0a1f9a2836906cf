import { customerUnitPrice, overrideFor, priceKindOf } from '../../domain/customer-prices.ts';
import { priceListAt } from '../../services/customer-prices.ts';
import { retailRows } from '../../services/price-table.ts';
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
    /** The customer's price: what is charged. */
    unitPrice: string;
    /** Left out for customer users whose partner hides retail (B9). */
    retailUnitPrice?: string;
    currency: string;
  }[];
}

/**
 * VM reservation sizes and regions at the customer's prices (the list in effect now), with the
 * retail price beside them unless `includeRetail` is false (R14, B9).
 */
export async function reservationCatalog(
  db: Db,
  customer: Customer,
  region?: string,
  options: { includeRetail?: boolean } = {},
): Promise<CatalogEntry[]> {
  const includeRetail = options.includeRetail ?? true;
  const rows = await retailRows(db, { targetView: 'AzureReservationsVM', region });
  const { version } = await priceListAt(db, customer, new Date());
  rows.sort(
    (a, b) =>
      (a.region ?? '').localeCompare(b.region ?? '') ||
      (a.isf_group ?? '').localeCompare(b.isf_group ?? '') ||
      (a.arm_sku_name ?? '').localeCompare(b.arm_sku_name ?? ''),
  );
  const entries = new Map<string, CatalogEntry>();
  for (const r of rows) {
    const key = `${r.arm_sku_name}|${r.region}`;
    let entry = entries.get(key);
    if (!entry) {
      entry = {
        sku: r.arm_sku_name!,
        region: r.region!,
        isfGroup: r.isf_group,
        title: r.sku_title,
        terms: [],
      };
      entries.set(key, entry);
    }
    const priceKey = {
      catalogItemId: r.catalog_item_id,
      termDuration: r.term_duration,
      billingPlan: r.billing_plan,
    };
    const price = customerUnitPrice(
      r.unit_price,
      priceKindOf(r.product_type),
      version,
      version ? overrideFor(version.overrides, priceKey) : undefined,
    );
    entry.terms.push({
      term: r.term_duration,
      billingPlan: r.billing_plan === 'upfront' ? 'Upfront' : 'Monthly',
      unitPrice: price.unitPrice,
      ...(includeRetail ? { retailUnitPrice: r.unit_price } : {}),
      currency: r.currency,
    });
  }
  // Terms in reading order: 1 year before 3 years, upfront before monthly.
  for (const entry of entries.values())
    entry.terms.sort((a, b) => a.term.localeCompare(b.term) || b.billingPlan.localeCompare(a.billingPlan));
  return [...entries.values()];
}
