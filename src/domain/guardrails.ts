import Big from 'big.js';
import { invalid } from './errors.ts';
import { roundToMinor } from './money.ts';

/**
 * Spend guardrails (B2), the rules without I/O. A customer may have a monthly limit (the total
 * value of commitments it may buy in a UTC calendar month) and an approval threshold (a customer's
 * purchase worth more is held for an Admin agent). Amounts are compared in the customer's billing
 * currency; the services convert at the stored rate before calling these.
 */
export interface MoneyAmount {
  amount: string;
  currency: string;
}

/** The share of the monthly limit at which `guardrail.threshold.reached` is raised (B11). */
export const alertPercent = 80;

const knownCurrencies = new Set(Intl.supportedValuesOf('currency'));

/** A guardrail amount as sent: a positive decimal with at most two decimals, in a known ISO 4217 currency. */
export function guardrailAmount(field: string, input: { amount: string; currency: string }): MoneyAmount {
  const currency = input.currency.trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency) || !knownCurrencies.has(currency))
    throw invalid(
      'invalid-currency',
      `${field}.currency "${input.currency}" is not an ISO 4217 currency code; send one like USD, IDR or EUR.`,
    );
  const text = input.amount.trim();
  if (!/^\d{1,16}(\.\d{1,2})?$/.test(text) || new Big(text).lte(0))
    throw invalid(
      'invalid-amount',
      `${field}.amount "${input.amount}" is not a positive amount; send a decimal string above 0 with at most two decimals, for example "5000.00".`,
    );
  return { amount: new Big(text).toFixed(2), currency };
}

/** The UTC calendar month a moment falls in, as `yyyy-mm`, and its bounds. */
export function monthOf(at: Date): { month: string; from: Date; to: Date } {
  const from = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
  const to = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1));
  return { month: from.toISOString().slice(0, 7), from, to };
}

/** What is left of a monthly limit (never below zero), rounded to the currency's minor unit. */
export function remainingOf(limit: string, spent: string, currency: string): string {
  const left = new Big(limit).minus(spent);
  return roundToMinor(left.lt(0) ? new Big(0) : left, currency);
}

/** Whether buying `value` on top of `spent` goes over `limit` (reaching it exactly is allowed). */
export const crossesLimit = (limit: string, spent: string, value: string) =>
  new Big(spent).plus(value).gt(limit);

/** A customer's purchase worth more than the threshold is held (equal to it is bought). */
export const needsApproval = (threshold: string, value: string) => new Big(value).gt(threshold);

/** Spent as a percentage of the limit, two decimals. */
export const percentOf = (spent: string, limit: string) =>
  Number(new Big(spent).times(100).div(limit).round(2, Big.roundDown).toFixed(2));

export const alertReached = (spent: string, limit: string) => percentOf(spent, limit) >= alertPercent;
