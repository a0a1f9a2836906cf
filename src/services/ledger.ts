import Big from 'big.js';
import type { Db } from '../store/db.ts';
import type { Customer, LedgerEntryType } from '../store/schema.ts';
import type { Call } from './call.ts';

export interface LedgerLine {
  month: string;
  amount: string;
  type: LedgerEntryType;
  description: string;
}

/** Appends ledger entries (never changed afterwards: the table refuses updates and deletes). */
export async function writeLedger(
  trx: Db,
  call: Call,
  customer: Customer,
  commitmentId: string | null,
  lines: LedgerLine[],
  currency: string,
) {
  if (lines.length === 0) return;
  await trx
    .insertInto('ledger_entries')
    .values(
      lines.map((l) => ({
        partner_id: customer.partner_id,
        customer_id: customer.id,
        commitment_id: commitmentId,
        entry_type: l.type,
        billing_month: l.month,
        amount: l.amount,
        currency,
        description: l.description,
        correlation_id: call.correlationId,
      })),
    )
    .execute();
}

/** Refunds of the last 365 days for a customer, counted against the refund cap (cancelled instalments too). */
export async function refundedInLast12Months(db: Db, customerId: string, now: Date): Promise<string> {
  const since = new Date(now.getTime() - 365 * 86_400_000);
  const rows = await db
    .selectFrom('ledger_entries')
    .select('amount')
    .where('customer_id', '=', customerId)
    .where('entry_type', 'in', ['refund', 'cancelled_instalment'])
    .where('created_at', '>=', since)
    .execute();
  return rows
    .reduce((s, r) => s.plus(r.amount), new Big(0))
    .neg()
    .toFixed(6);
}

export function sumAmounts(rows: { amount: string }[]): string {
  return rows.reduce((s, r) => s.plus(r.amount), new Big(0)).toFixed(6);
}
