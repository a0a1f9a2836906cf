import { invalid } from '../domain/errors.ts';
import { authorize } from '../domain/policies.ts';
import type { Db } from '../store/db.ts';
import type { Call } from './call.ts';
import { findOwnCustomer } from './customers.ts';
import { sumAmounts } from './ledger.ts';

function parseMonth(month: string): string {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw invalid('invalid-month', 'month must look like 2026-11.');
  return `${month}-01`;
}

/**
 * The partner's monthly bill for one customer (R8): every ledger entry of that month — upfront
 * purchases, instalments, refunds and credits — with the total. Amounts are exact decimals.
 */
export async function monthlyBill(db: Db, call: Call, customerId: string, month: string) {
  authorize(call.actor, 'pricesRead');
  const customer = await findOwnCustomer(db, call.actor, customerId);
  const rows = await db
    .selectFrom('ledger_entries')
    .leftJoin('commitments', 'commitments.id', 'ledger_entries.commitment_id')
    .select([
      'ledger_entries.id',
      'ledger_entries.entry_type',
      'ledger_entries.amount',
      'ledger_entries.currency',
      'ledger_entries.description',
      'ledger_entries.created_at',
      'ledger_entries.commitment_id',
      'commitments.kind',
      'commitments.bought_by',
      'commitments.display_name',
    ])
    .where('ledger_entries.customer_id', '=', customer.id)
    .where('ledger_entries.billing_month', '=', parseMonth(month))
    .orderBy('ledger_entries.id')
    .execute();
  const currency = rows[0]?.currency ?? 'USD';
  return { customer, month, currency, lines: rows, total: sumAmounts(rows) };
}

/** Months that have ledger entries for a customer, newest first, with their totals. */
export async function billingMonths(db: Db, call: Call, customerId: string) {
  authorize(call.actor, 'pricesRead');
  const customer = await findOwnCustomer(db, call.actor, customerId);
  const rows = await db
    .selectFrom('ledger_entries')
    .select(['billing_month', 'amount', 'currency'])
    .where('customer_id', '=', customer.id)
    .execute();
  const months = new Map<string, { amount: string }[]>();
  for (const r of rows) {
    const key = r.billing_month.slice(0, 7);
    months.set(key, [...(months.get(key) ?? []), r]);
  }
  return [...months.entries()]
    .sort(([a], [b]) => b.localeCompare(a))
    .map(([month, entries]) => ({ month, total: sumAmounts(entries), entries: entries.length }));
}

const csvCell = (v: unknown) => {
  const s = v === null || v === undefined ? '' : String(v);
  const safe = /^[=+\-@]/.test(s) && !/^-?\d/.test(s) ? `'${s}` : s;
  return /[",\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

export function billCsv(bill: Awaited<ReturnType<typeof monthlyBill>>): string {
  const header = [
    'date',
    'customer',
    'type',
    'kind',
    'bought_by',
    'commitment',
    'description',
    'amount',
    'currency',
  ];
  const lines = bill.lines.map((l) =>
    [
      new Date(l.created_at).toISOString(),
      bill.customer.company_name,
      l.entry_type,
      l.kind ?? '',
      l.bought_by ?? '',
      l.display_name ?? '',
      l.description,
      l.amount,
      l.currency,
    ]
      .map(csvCell)
      .join(','),
  );
  return `${[
    header.join(','),
    ...lines,
    ['', '', '', '', '', '', 'Total', bill.total, bill.currency].map(csvCell).join(','),
  ].join('\n')}\n`;
}
