import type { Db } from '../store/db.ts';
import type { Customer } from '../store/schema.ts';

/**
 * The two facts usage billing needs from prices: the currency the ledger keeps (the retail price
 * list's, which usage is metered in) and what the customer pays per unit of pay-as-you-go cost.
 */
export async function ledgerCurrencyOf(db: Db, _customer: Customer): Promise<string> {
  const retail = await db
    .selectFrom('price_lists')
    .select('currency')
    .where('kind', '=', 'retail')
    .where('partner_id', 'is', null)
    .executeTakeFirst();
  return retail?.currency ?? 'USD';
}

/** The customer's usage price as a factor of pay-as-you-go retail, for a month's usage. */
export async function usageFactorFor(
  _db: Db,
  _customer: Customer,
  _month: string,
): Promise<(subscriptionId: string) => string> {
  return () => '1';
}
