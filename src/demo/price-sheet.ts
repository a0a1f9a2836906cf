import Big from 'big.js';
import type { Markups } from '../domain/customer-prices.ts';
import { priceSheetColumns } from '../domain/price-sheet.ts';
import { csvCell } from '../engine/csv.ts';
import { findAvailability, productOf, skuOf } from './catalog.ts';
import type { PriceEntry } from './prices.ts';

/**
 * The demo partners' default customer prices: the markups the demo has always sold at, so its
 * figures (quotes, purchases, bills) stay what they were before price lists were editable.
 */
export const demoDefaultMarkups: Markups = {
  usage: '0',
  reservations: '5',
  savingsPlans: '3',
  licences: '10',
};

/** Since when the demo's default list applies: before any demo purchase, however far back. */
export const demoPriceListSince = new Date('2020-01-01T00:00:00Z');

/**
 * What the demo partners pay the cloud, as a share of retail: reservations and savings plans carry
 * a CSP partner discount, licences a larger reseller margin. Not real figures; they make margins show.
 */
const costShare: Record<string, string> = { reservation: '0.96', savings_plan: '0.98', license: '0.85' };

/**
 * A price sheet in Partner Center's export columns (docs/prices-csv.md), priced at retail × the
 * demo's cost share, effective from `effectiveStart` with no end. Imported by the demo loader
 * through the same import as `mitra prices import`.
 */
export function demoPriceSheetCsv(retail: readonly PriceEntry[], effectiveStart: string): string {
  const lines = [priceSheetColumns.join(',')];
  for (const entry of retail) {
    const availability = findAvailability(entry.catalogItemId);
    if (!availability) continue;
    const product = productOf(availability);
    const share = costShare[product.productType];
    if (!share) continue;
    const sku = skuOf(availability);
    const cells: Record<(typeof priceSheetColumns)[number], string> = {
      ProductTitle: product.title,
      ProductId: availability.productId,
      SkuId: availability.skuId,
      SkuTitle: sku.title,
      Publisher: 'Microsoft Corporation',
      TermDuration: entry.termDuration,
      BillingPlan: entry.billingPlan === 'upfront' ? 'Upfront' : 'Monthly',
      Market: 'ID',
      Currency: 'USD',
      UnitPrice: new Big(entry.unitPrice).times(share).round(6, Big.roundHalfUp).toFixed(6),
      UnitOfMeasure: entry.unit,
      PricingTierRangeMin: '0',
      EffectiveStartDate: `${effectiveStart}T00:00:00Z`,
      EffectiveEndDate: '',
      MeterId: '',
      MeterName: '',
    };
    lines.push(priceSheetColumns.map((c) => csvCell(cells[c])).join(','));
  }
  return `${lines.join('\n')}\n`;
}
