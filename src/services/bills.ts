import { billLine, billLineType, billTotal, dayOf } from '../domain/billing.ts';
import { invalid } from '../domain/errors.ts';
import { authorize } from '../domain/policies.ts';
import type { Db } from '../store/db.ts';
import { type Call, nowOf } from './call.ts';
import { findOwnCustomer } from './customers.ts';

function parseMonth(month: string): string {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month))
    throw invalid('invalid-month', 'The month must look like 2026-11 (four-digit year, two-digit month).');
  return `${month}-01`;
}

/** A customer's billing currency for an empty month: the one its ledger uses, else its profile's. */
const currencyOf = (rows: { currency: string }[], fallback: string) => rows[0]?.currency ?? fallback;

/**
 * The monthly bill for one customer (R8), computed from the ledger and nothing else: every entry of
 * the month — purchases, instalments, refunds, credits, cancellations, usage — dated in the month,
 * each rounded once to the currency's minor unit; the total is the sum of those lines. Lines whose
 * day has not come yet are forecasts (scheduled instalments).
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
      'ledger_entries.entry_date',
      'ledger_entries.commitment_id',
      'ledger_entries.subscription_id',
      'commitments.kind',
      'commitments.bought_by',
      'commitments.display_name',
      'commitments.exchanged_from',
    ])
    .where('ledger_entries.customer_id', '=', customer.id)
    .where('ledger_entries.billing_month', '=', parseMonth(month))
    .orderBy('ledger_entries.entry_date')
    .orderBy('ledger_entries.id')
    .execute();
  const today = dayOf(nowOf(call));
  const currency = currencyOf(rows, customer.currency);
  const lines = rows.map((r) => ({
    id: r.id,
    date: r.entry_date,
    type: billLineType(r.entry_type),
    commitmentId: r.commitment_id,
    subscriptionId: r.subscription_id,
    kind: r.kind,
    boughtBy: r.bought_by,
    // A customer's own savings plan: Mitra bills it, partner center never shows it (R11, B3).
    beyondPartnerCenter: r.kind === 'savings_plan' && r.bought_by === 'customer',
    exchangedFrom: r.exchanged_from,
    commitmentName: r.display_name,
    description: r.description,
    currency: r.currency,
    ...billLine(r, today),
  }));
  const currentMonth = `${today.slice(0, 7)}-01`;
  return {
    customer,
    month,
    currency,
    /** A month after the current one holds only what is scheduled. */
    forecast: `${month}-01` > currentMonth,
    lines,
    total: billTotal(lines, currency),
  };
}

export type MonthlyBill = Awaited<ReturnType<typeof monthlyBill>>;

/**
 * Months with ledger entries for a customer: the current and past months newest first, then the
 * months ahead (forecasts: only scheduled instalments) in calendar order. Totals are bill totals.
 */
export async function billingMonths(db: Db, call: Call, customerId: string) {
  authorize(call.actor, 'pricesRead');
  const customer = await findOwnCustomer(db, call.actor, customerId);
  const rows = await db
    .selectFrom('ledger_entries')
    .select(['billing_month', 'entry_date', 'amount', 'currency'])
    .where('customer_id', '=', customer.id)
    .execute();
  const today = dayOf(nowOf(call));
  const currentMonth = today.slice(0, 7);
  const months = new Map<string, { amount: string; forecast: boolean }[]>();
  let currency = customer.currency;
  for (const r of rows) {
    const key = r.billing_month.slice(0, 7);
    currency = r.currency;
    months.set(key, [...(months.get(key) ?? []), billLine({ ...r }, today)]);
  }
  const all = [...months.entries()].map(([month, lines]) => ({
    month,
    total: billTotal(lines, currency),
    currency,
    entries: lines.length,
    forecast: month > currentMonth,
    current: month === currentMonth,
  }));
  return {
    items: all.filter((m) => !m.forecast).sort((a, b) => b.month.localeCompare(a.month)),
    forecasts: all.filter((m) => m.forecast).sort((a, b) => a.month.localeCompare(b.month)),
  };
}

/** A CSV cell that a spreadsheet will not run as a formula (=, +, -, @ at the start of text). */
export const csvCell = (v: unknown) => {
  const s = v === null || v === undefined ? '' : String(v);
  const safe = /^[=+\-@]/.test(s) && !/^-?\d/.test(s) ? `'${s}` : s;
  return /[",\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

export function billCsv(bill: MonthlyBill): string {
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
    'forecast',
  ];
  const lines = bill.lines.map((l) =>
    [
      l.date,
      bill.customer.company_name,
      l.type,
      l.kind ?? '',
      l.boughtBy ?? '',
      l.commitmentName ?? '',
      l.description,
      l.amount,
      l.currency,
      l.forecast ? 'true' : 'false',
    ]
      .map(csvCell)
      .join(','),
  );
  return `${[
    header.join(','),
    ...lines,
    ['', '', '', '', '', '', 'Total', bill.total, bill.currency, ''].map(csvCell).join(','),
  ].join('\n')}\n`;
}
