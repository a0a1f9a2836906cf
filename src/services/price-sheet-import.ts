import type { Insertable } from 'kysely';
import {
  badPriceSheetRow,
  costBillingPlan,
  type PriceSheetColumn,
  parsePriceSheetRow,
  priceSheetColumns,
  requiredPriceSheetColumns,
} from '../domain/price-sheet.ts';
import { readCsv } from '../engine/csv.ts';
import type { Db } from '../store/db.ts';
import type { PartnerCostsTable } from '../store/schema.ts';
import { writeAudit } from './audit-log.ts';
import type { Call } from './call.ts';

/** How a price sheet's rows matched the catalog. */
export interface PriceSheetResult {
  /** Cost rows stored (new or replacing the same item's row of the same start date). */
  imported: number;
  /** Rows for products the catalog does not sell, volume tiers above the first, licence annual rows. */
  skipped: number;
  currency: string | null;
  effectiveStarts: string[];
}

type CatalogKey = { catalogItemId: string; productType: string; billingPlans: Set<string> };

/** The catalog's price rows by ProductId|SkuId|TermDuration, the way a price sheet names them. */
async function catalogIndex(db: Db) {
  const rows = await db
    .selectFrom('availabilities')
    .innerJoin('products', 'products.id', 'availabilities.product_id')
    .innerJoin('prices', 'prices.catalog_item_id', 'availabilities.catalog_item_id')
    .innerJoin('price_lists', 'price_lists.id', 'prices.price_list_id')
    .select([
      'availabilities.product_id',
      'availabilities.sku_id',
      'availabilities.catalog_item_id',
      'prices.term_duration',
      'prices.billing_plan',
      'products.product_type',
      'price_lists.currency',
    ])
    .where('price_lists.kind', '=', 'retail')
    .execute();
  const index = new Map<string, CatalogKey>();
  const currencies = new Set<string>();
  for (const r of rows) {
    const key = `${r.product_id.toUpperCase()}|${r.sku_id.toUpperCase()}|${r.term_duration}`;
    const entry = index.get(key) ?? {
      catalogItemId: r.catalog_item_id,
      productType: r.product_type,
      billingPlans: new Set<string>(),
    };
    entry.billingPlans.add(r.billing_plan);
    index.set(key, entry);
    currencies.add(r.currency);
  }
  return { index, currencies };
}

/**
 * Imports a partner's price sheet (its own cost), all or nothing: every row is checked and
 * matched to the catalog by ProductId + SkuId + TermDuration (+ BillingPlan) inside one
 * transaction, so the first bad row rolls everything back. A row for the same price row and start
 * date as an earlier import replaces it; other dates are kept, so margins of past months stay
 * true. `call` (the CLI's) writes one activity record; the demo loader passes none.
 */
export async function importPriceSheet(
  db: Db,
  partnerId: string,
  source: AsyncIterable<string | Buffer> | string,
  call: Call | null,
  fileName = 'price sheet',
): Promise<PriceSheetResult> {
  const chunks = typeof source === 'string' ? [source] : source;
  const { index: catalog, currencies } = await catalogIndex(db);
  const result: PriceSheetResult = { imported: 0, skipped: 0, currency: null, effectiveStarts: [] };
  const starts = new Set<string>();
  await db.transaction().execute(async (trx) => {
    let columns: Record<string, number> | undefined;
    const seen = new Map<string, number>();
    let batch: Insertable<PartnerCostsTable>[] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      await trx
        .insertInto('partner_costs')
        .values(batch)
        .onConflict((oc) =>
          oc
            .columns(['partner_id', 'catalog_item_id', 'term_duration', 'billing_plan', 'effective_start'])
            .doUpdateSet((eb) => ({
              unit_price: eb.ref('excluded.unit_price'),
              effective_end: eb.ref('excluded.effective_end'),
              currency: eb.ref('excluded.currency'),
              imported_at: new Date(),
            })),
        )
        .execute();
      batch = [];
    };
    for await (const { line, cells } of readCsv(chunks as AsyncIterable<string | Buffer>)) {
      if (!columns) {
        const header = cells.map((h) => h.trim());
        columns = Object.fromEntries(priceSheetColumns.map((c) => [c, header.indexOf(c)]));
        const missing = requiredPriceSheetColumns.filter((c) => columns![c] < 0);
        if (missing.length)
          throw badPriceSheetRow(line, missing[0], `the header lacks ${missing.join(', ')}`);
        continue;
      }
      if (cells.length === 1 && cells[0].trim() === '') continue;
      const at = columns;
      const get = (c: PriceSheetColumn) => (at[c] >= 0 ? (cells[at[c]] ?? '').trim() : '');
      const row = parsePriceSheetRow(get, line);
      const item = catalog.get(
        `${row.productId.toUpperCase()}|${row.skuId.toUpperCase()}|${row.termDuration}`,
      );
      const plan = item ? costBillingPlan(item.productType, row.billingPlan) : null;
      if (!item || !plan || !item.billingPlans.has(plan) || !row.baseTier) {
        result.skipped += 1;
        continue;
      }
      if (!currencies.has(row.currency))
        throw badPriceSheetRow(
          line,
          'Currency',
          `${row.currency} is not the currency of the retail price list (${[...currencies].join(', ')})`,
        );
      const key = `${item.catalogItemId}|${plan}|${row.effectiveStart}`;
      const earlier = seen.get(key);
      if (earlier !== undefined)
        throw badPriceSheetRow(
          line,
          'ProductId',
          `repeats line ${earlier} (same product, SKU, term, billing plan and start date)`,
        );
      seen.set(key, line);
      batch.push({
        partner_id: partnerId,
        catalog_item_id: item.catalogItemId,
        term_duration: row.termDuration,
        billing_plan: plan,
        effective_start: row.effectiveStart,
        effective_end: row.effectiveEnd,
        unit_price: row.unitPrice,
        currency: row.currency,
      });
      result.imported += 1;
      result.currency = row.currency;
      starts.add(row.effectiveStart);
      if (batch.length >= 500) await flush();
    }
    if (!columns) throw badPriceSheetRow(1, 'header', 'the file is empty');
    await flush();
    result.effectiveStarts = [...starts].sort();
    if (call) {
      await writeAudit(trx, call, {
        partnerId,
        resourceType: 'price_list',
        operationType: 'import_price_sheet',
        newValue: { file: fileName, imported: result.imported, skipped: result.skipped },
        details: { file: fileName, imported: String(result.imported), skipped: String(result.skipped) },
      });
    }
  });
  return result;
}
