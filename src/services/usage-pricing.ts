import type { Db } from '../store/db.ts';
import type { Customer } from '../store/schema.ts';
import { priceListAt } from './customer-prices.ts';

/**
 * The two facts usage billing needs from prices: the currency the ledger keeps (the retail price
 * list's, which usage is metered in) and the customer's usage markup over time.
 */
export async function ledgerCurrencyOf(db: Db, _customer?: Customer): Promise<string> {
  const retail = await db
    .selectFrom('price_lists')
    .select('currency')
    .where('kind', '=', 'retail')
    .where('partner_id', 'is', null)
    .executeTakeFirst();
  return retail?.currency ?? 'USD';
}

export interface UsagePriceSegment {
  from: Date;
  to: Date;
  /** Percent over pay-as-you-go retail, as the price list in effect then says ("0" with none). */
  markupPercent: string;
}

/**
 * Splits [from, to) where the customer's price list changes — its own versions and the partner's
 * default's — so each hour of usage is priced by the list in effect in that hour. Usage is priced
 * by the kind's markup; per-SKU overrides name catalog items, which meters are not.
 */
export async function usagePriceSegments(
  db: Db,
  customer: Customer,
  from: Date,
  to: Date,
): Promise<UsagePriceSegment[]> {
  const changes = await db
    .selectFrom('price_list_versions')
    .select('effective_from')
    .where('partner_id', '=', customer.partner_id)
    .where((eb) => eb.or([eb('customer_id', '=', customer.id), eb('customer_id', 'is', null)]))
    .where('effective_from', '>', from)
    .where('effective_from', '<', to)
    .execute();
  const starts = [from, ...changes.map((c) => new Date(c.effective_from))]
    .sort((a, b) => a.getTime() - b.getTime())
    .filter((d, i, all) => i === 0 || d.getTime() !== all[i - 1].getTime());
  const segments: UsagePriceSegment[] = [];
  for (const [i, start] of starts.entries()) {
    const list = await priceListAt(db, customer, start);
    segments.push({
      from: start,
      to: starts[i + 1] ?? to,
      markupPercent: list.version?.markups.usage ?? '0',
    });
  }
  return segments;
}
