import Big from 'big.js';
import type { LedgerEntryType } from '../store/schema.ts';
import type { BillingPlan, Term } from './commitments.ts';
import { termMonths } from './commitments.ts';
import { MitraError } from './errors.ts';
import { minorUnits, roundToMinor } from './money.ts';

/**
 * How commitments turn into ledger entries and ledger entries into bill lines. Every entry is dated
 * in the billing period it belongs to (`date` is a day of `month`), whenever it was written: the
 * October instalment of a reservation bought in September is dated in October.
 */

/** A ledger entry before it is written: its period, its day in that period, kind and amount. */
export interface DatedEntry {
  /** `yyyy-mm-01` of the billing period. */
  month: string;
  /** `yyyy-mm-dd`, always inside `month`. */
  date: string;
  type: LedgerEntryType;
  amount: string;
}

const iso = (d: Date) => d.toISOString().slice(0, 10);

/** `yyyy-mm-dd` (UTC) of a moment. */
export const dayOf = (d: Date): string => iso(d);

/** `yyyy-mm-01` of a `yyyy-mm-dd` day. */
export const monthOfDay = (day: string): string => `${day.slice(0, 7)}-01`;

/**
 * The day a commitment bills in the `offset`-th month of its term: the day of the month it was
 * bought, or the month's last day when the month is shorter (bought on 31 January → 28 February).
 */
export function billingDay(purchasedAt: Date, offset: number): string {
  const year = purchasedAt.getUTCFullYear();
  const month = purchasedAt.getUTCMonth() + offset;
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return iso(new Date(Date.UTC(year, month, Math.min(purchasedAt.getUTCDate(), last))));
}

/** Ledger charges of a purchase: one upfront charge, or one instalment per month of the term. */
export function purchaseSchedule(
  plan: BillingPlan,
  term: Term,
  unitPrice: string,
  units: string | number,
  purchasedAt: Date,
): DatedEntry[] {
  const perPeriod = new Big(unitPrice).times(units).toFixed(6);
  const months = plan === 'Upfront' ? 1 : termMonths[term];
  return Array.from({ length: months }, (_, i) => {
    const date = billingDay(purchasedAt, i);
    return {
      month: monthOfDay(date),
      date,
      amount: perPeriod,
      type: plan === 'Upfront' ? ('purchase' as const) : ('instalment' as const),
    };
  });
}

/** The rolling 12-month refund cap per customer (benefit-semantics §4.2), in USD. */
export const refundCapUsd = '50000';

export interface CommitmentReturn {
  /** Money that goes back to the payer now: what was paid for the part of the term not yet used. */
  moneyBack: string;
  /** What had been charged up to today. */
  paidSoFar: string;
  /** Scheduled instalments that will no longer be charged (monthly billing). */
  cancelledInstalments: string;
  /** Money back plus cancelled instalments: the remaining value of the commitment. */
  returnedValue: string;
  /** The ledger lines the return writes: one money-back line today, one per cancelled instalment. */
  entries: DatedEntry[];
  remainingCapBefore: string;
}

/**
 * Prices the return of a reservation at `now`, for a refund or inside an exchange. Money is what
 * the bills showed: each charge as billed (rounded to the minor unit). The used part of the term
 * is the term's billed total × days elapsed / days of the term; what was paid beyond it comes back
 * (rounded down to the currency's minor unit, so never more than owed); instalments dated after
 * today are cancelled by mirroring them. Upfront: the prorated remainder; monthly: the unused part
 * of the current instalment, and every later instalment cancelled. Outside an exchange, money back
 * plus cancelled instalments may not exceed the rolling cap (§4.2).
 */
export function returnOf(c: {
  billingPlan: BillingPlan;
  purchasedAt: Date;
  expiresAt: Date;
  /** The commitment's charges so far written: its purchase or its instalments. */
  charges: { month: string; date: string; amount: string }[];
  refundedLast12Months: string;
  now: Date;
  withinExchange: boolean;
  currency: string;
  moneyBackType: 'refund' | 'exchange_credit';
}): CommitmentReturn {
  const today = dayOf(c.now);
  const paid = c.charges.filter((e) => e.date <= today);
  const future = c.charges.filter((e) => e.date > today);
  // As billed: a reservation refunded the day it was bought gives back exactly what the bill charged.
  const billed = (e: { amount: string }) => new Big(roundToMinor(e.amount, c.currency));
  const paidSoFar = paid.reduce((s, e) => s.plus(billed(e)), new Big(0));
  const termTotal = c.charges.reduce((s, e) => s.plus(billed(e)), new Big(0));
  const days = (ms: number) => Math.floor(ms / 86_400_000);
  const termDays = Math.max(1, days(c.expiresAt.getTime() - c.purchasedAt.getTime()));
  // Whole days used so far: a reservation returned the day it was bought has used none of its term.
  const usedDays = Math.min(termDays, Math.max(0, days(c.now.getTime() - c.purchasedAt.getTime())));
  const used = termTotal.times(usedDays).div(termDays);
  let back = paidSoFar.minus(used);
  if (back.lt(0)) back = new Big(0);
  if (back.gt(paidSoFar)) back = paidSoFar;
  back = back.round(minorUnits(c.currency), Big.roundDown);
  const cancelled = future.reduce((s, e) => s.plus(e.amount), new Big(0));
  const entries: DatedEntry[] = [
    ...(back.gt(0)
      ? [{ month: monthOfDay(today), date: today, type: c.moneyBackType, amount: back.neg().toFixed(6) }]
      : []),
    ...future.map((e) => ({
      month: e.month,
      date: e.date,
      type: 'cancelled_instalment' as const,
      amount: new Big(e.amount).neg().toFixed(6),
    })),
  ];
  const returned = back.plus(cancelled);
  const remainingCapBefore = new Big(refundCapUsd).minus(c.refundedLast12Months);
  if (!c.withinExchange && returned.gt(remainingCapBefore)) {
    throw new MitraError(
      'conflict',
      'refund-limit-exceeded',
      `This refund (${returned.toFixed(2)} USD with cancelled instalments) would exceed the customer's refund limit of ${refundCapUsd} USD in 12 months; ${remainingCapBefore.toFixed(2)} USD remain. Exchange the reservation instead, or wait until earlier refunds are older than 12 months.`,
    );
  }
  return {
    moneyBack: back.toFixed(6),
    paidSoFar: paidSoFar.toFixed(6),
    cancelledInstalments: cancelled.toFixed(6),
    returnedValue: returned.toFixed(6),
    entries,
    remainingCapBefore: remainingCapBefore.toFixed(6),
  };
}

/** Bill line kinds on the wire: the ledger's entry types, kebab-case. */
export type BillLineType =
  | 'purchase'
  | 'instalment'
  | 'refund'
  | 'cancelled-instalment'
  | 'exchange-credit'
  | 'usage';

export const billLineType = (t: LedgerEntryType): BillLineType => t.replace('_', '-') as BillLineType;

/**
 * A ledger entry as a bill shows it: rounded once to the currency's minor unit, and marked as a
 * forecast while its day has not come (scheduled instalments of later months, or later this month).
 */
export function billLine<T extends { amount: string; entry_date: string; currency: string }>(
  entry: T,
  today: string,
) {
  return { amount: roundToMinor(entry.amount, entry.currency), forecast: entry.entry_date > today };
}

/** A bill's total: the sum of its rounded lines (never the rounded sum of raw amounts). */
export function billTotal(lines: { amount: string }[], currency: string): string {
  return lines.reduce((s, l) => s.plus(l.amount), new Big(0)).toFixed(minorUnits(currency));
}
