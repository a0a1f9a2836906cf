// Money on screen, without React so it can be tested on its own. Amounts arrive as decimal strings
// and go to Intl as strings, so no float ever touches an amount that is stored or sent back.
//
// Currency precision is the server's own table (ISO 4217 minor units, src/domain/money.ts): Intl's
// digits come from CLDR, which shows IDR without its cents, and an invoice's lines would then no
// longer visibly add up to its total.
import { minorUnits } from '../../src/domain/money.ts';

export { minorUnits };

const decimalPattern = /^[+-]?\d+(\.\d+)?$/;
const isCurrencyCode = (currency: string | undefined): currency is string =>
  Boolean(currency && /^[A-Za-z]{3}$/.test(currency));

/** The currency's number of decimals: its ISO 4217 minor unit (USD 2, IDR 2, JPY 0, KWD 3). */
export function currencyDigits(currency: string | undefined): number {
  return isCurrencyCode(currency) ? minorUnits(currency) : 2;
}

function format(locale: string, amount: string, currency: string | undefined, min: number, max: number) {
  if (!decimalPattern.test(amount)) return amount;
  const value = amount as Intl.StringNumericLiteral;
  const digits = { minimumFractionDigits: min, maximumFractionDigits: max };
  if (isCurrencyCode(currency)) {
    try {
      return new Intl.NumberFormat(locale, { style: 'currency', currency, ...digits }).format(value);
    } catch {
      // Unknown currency code: a plain number and the code below.
    }
  }
  const plain = new Intl.NumberFormat(locale, digits).format(value);
  return currency ? `${plain} ${currency}` : plain;
}

/**
 * What customers read, totals and prices alike: the currency's usual precision ("US$35.32",
 * "Rp 35.322,00"). Amounts are kept to six decimals underneath; only the display rounds.
 */
export function formatPrice(locale: string, amount: string, currency: string | undefined): string {
  const digits = currencyDigits(currency);
  return format(locale, amount, currency, digits, digits);
}

/**
 * Unit prices where the partner needs the detail (price lists, order lines): at least the
 * currency's decimals and up to six, so "US$35.322" and small per-hour rates stay exact. Callers
 * label these as unit prices.
 */
export function formatUnitPrice(locale: string, amount: string, currency: string | undefined): string {
  const digits = currencyDigits(currency);
  return format(locale, amount, currency, digits, Math.max(6, digits));
}
