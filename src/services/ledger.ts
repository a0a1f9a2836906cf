import Big from 'big.js';
import type { DatedEntry } from '../domain/billing.ts';
import { MitraError } from '../domain/errors.ts';
import type { Db } from '../store/db.ts';
import type { Customer } from '../store/schema.ts';
import type { Call } from './call.ts';

export interface LedgerLine extends DatedEntry {
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
  /** The Azure subscription a usage charge is for. */
  subscriptionId: string | null = null,
) {
  if (lines.length === 0) return;
  await refuseClosedMonths(trx, customer.partner_id, lines);
  await trx
    .insertInto('ledger_entries')
    .values(
      lines.map((l) => ({
        partner_id: customer.partner_id,
        customer_id: customer.id,
        commitment_id: commitmentId,
        entry_type: l.type,
        billing_month: l.month,
        entry_date: l.date,
        amount: l.amount,
        currency,
        description: l.description,
        correlation_id: call.correlationId,
        subscription_id: subscriptionId,
      })),
    )
    .execute();
}

/**
 * A closed month's invoices are issued and never change, so nothing more may be dated in it.
 * Live actions are dated today or later, which is always open (only ended months close); this
 * guards backdated writes.
 */
async function refuseClosedMonths(trx: Db, partnerId: string, lines: LedgerLine[]) {
  const months = [...new Set(lines.map((l) => l.month))];
  const closed = await trx
    .selectFrom('billing_periods')
    .select('month')
    .where('partner_id', '=', partnerId)
    .where('month', 'in', months)
    .executeTakeFirst();
  if (closed)
    throw new MitraError(
      'conflict',
      'billing-month-closed',
      `${closed.month.slice(0, 7)} is closed and invoiced; nothing more can be charged in it. Date the charge in an open month.`,
    );
}

/** A commitment's charges as written: its upfront purchase or its scheduled instalments. */
export async function chargesOf(db: Db, commitmentId: string) {
  const rows = await db
    .selectFrom('ledger_entries')
    .select(['billing_month', 'entry_date', 'amount'])
    .where('commitment_id', '=', commitmentId)
    .where('entry_type', 'in', ['purchase', 'instalment'])
    .orderBy('entry_date')
    .execute();
  return rows.map((r) => ({ month: r.billing_month, date: r.entry_date, amount: r.amount }));
}

/**
 * Refunds of the last 365 days for a customer, counted against the refund cap: money back and
 * cancelled instalments, except those of exchanges, which the cap does not count (§4.1).
 */
export async function refundedInLast12Months(db: Db, customerId: string, now: Date): Promise<string> {
  const since = new Date(now.getTime() - 365 * 86_400_000);
  const rows = await db
    .selectFrom('ledger_entries')
    .innerJoin('commitments', 'commitments.id', 'ledger_entries.commitment_id')
    .select('ledger_entries.amount')
    .where('ledger_entries.customer_id', '=', customerId)
    .where('ledger_entries.entry_type', 'in', ['refund', 'cancelled_instalment'])
    .where('commitments.status', '!=', 'Exchanged')
    .where('ledger_entries.created_at', '>=', since)
    .execute();
  return rows
    .reduce((s, r) => s.plus(r.amount), new Big(0))
    .neg()
    .toFixed(6);
}
