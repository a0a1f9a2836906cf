import Big from 'big.js';
import type { InvoiceKind, InvoiceLineRow } from '../store/schema.ts';
import { minorUnits, roundToMinor } from './money.ts';

/**
 * Customer invoices (B10), pure: lines from ledger entries at the customer's price, converted into
 * the billing currency at one stored rate, each line rounded once; subtotal = Σ rounded lines; tax
 * on the rounded subtotal, rounded once; total = subtotal + tax.
 */

export interface LedgerSourceLine {
  ledgerEntryId: number | null;
  date: string;
  type: string;
  description: string;
  commitmentId: string | null;
  subscriptionId: string | null;
  /** Full precision, in `currency`. */
  amount: string;
  currency: string;
}

export interface ConversionRate {
  base: string;
  quote: string;
  rate: string;
  /** The day the rate is for. */
  date: string;
}

export interface InvoiceFigures {
  lines: InvoiceLineRow[];
  subtotal: string;
  tax: string;
  total: string;
}

export function invoiceFigures(
  source: readonly LedgerSourceLine[],
  currency: string,
  taxRatePercent: string,
  rate: ConversionRate | null,
): InvoiceFigures {
  const lines = source.map((l) => {
    const converted = rate ? new Big(l.amount).times(rate.rate) : new Big(l.amount);
    return {
      ledgerEntryId: l.ledgerEntryId,
      date: l.date,
      type: l.type,
      description: l.description,
      commitmentId: l.commitmentId,
      subscriptionId: l.subscriptionId,
      amount: roundToMinor(converted, currency),
      ledgerAmount: roundToMinor(l.amount, l.currency),
    };
  });
  const dp = minorUnits(currency);
  const subtotal = lines.reduce((s, l) => s.plus(l.amount), new Big(0));
  const tax = new Big(roundToMinor(subtotal.times(taxRatePercent).div(100), currency));
  return {
    lines,
    subtotal: subtotal.toFixed(dp),
    tax: tax.toFixed(dp),
    total: subtotal.plus(tax).toFixed(dp),
  };
}

/** A credit note mirrors what it corrects: the same lines, each negated, so the two sum to zero. */
export function creditNoteFigures(original: InvoiceFigures, currency: string): InvoiceFigures {
  const neg = (v: string) => roundToMinor(new Big(v).neg(), currency);
  return {
    lines: original.lines.map((l) => ({ ...l, amount: neg(l.amount), ledgerAmount: neg(l.ledgerAmount) })),
    subtotal: neg(original.subtotal),
    tax: neg(original.tax),
    total: neg(original.total),
  };
}

/** Invoice numbers: a prefix per kind and a gap-free sequence per partner ("INV-000042"). */
export function documentNumber(kind: InvoiceKind, sequence: number): string {
  return `${kind === 'invoice' ? 'INV' : 'CN'}-${String(sequence).padStart(6, '0')}`;
}

/** `yyyy-mm` of the month before `month` (`yyyy-mm`). */
export function previousMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return new Date(Date.UTC(y, m - 2, 1)).toISOString().slice(0, 7);
}

/** The last day (`yyyy-mm-dd`) of a `yyyy-mm` month. */
export function lastDayOf(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

/**
 * Whether a month closes by itself at `now`: `closeAfterDays` whole days after it ended. The
 * default is one day, so November closes on 2 December.
 */
export function closesBy(month: string, now: Date, closeAfterDays: number): boolean {
  const end = new Date(`${lastDayOf(month)}T00:00:00Z`).getTime() + 86_400_000;
  return now.getTime() >= end + closeAfterDays * 86_400_000;
}

/**
 * The day (`yyyy-mm-dd`, UTC) on which a month closes by itself: `closeAfterDays` whole days after
 * its end, the day `closesBy` turns true. A draft says it, so nobody waits for a button press.
 */
export function closesOn(month: string, closeAfterDays: number): string {
  const end = new Date(`${lastDayOf(month)}T00:00:00Z`).getTime() + 86_400_000;
  return new Date(end + closeAfterDays * 86_400_000).toISOString().slice(0, 10);
}
