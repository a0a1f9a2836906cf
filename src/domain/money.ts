import Big from 'big.js';

/**
 * Currency precision (ISO 4217 minor units). Engine and ledger keep six decimals; a bill or invoice
 * line is rounded once to its currency's minor unit, and a total is the sum of its rounded lines.
 */
const zeroDecimal = new Set([
  'BIF',
  'CLP',
  'DJF',
  'GNF',
  'ISK',
  'JPY',
  'KMF',
  'KRW',
  'PYG',
  'RWF',
  'UGX',
  'UYI',
  'VND',
  'VUV',
  'XAF',
  'XOF',
  'XPF',
]);
const threeDecimal = new Set(['BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND']);

export function minorUnits(currency: string): number {
  const c = currency.toUpperCase();
  if (zeroDecimal.has(c)) return 0;
  if (threeDecimal.has(c)) return 3;
  return 2;
}

/** Half away from zero, so a credit rounds to exactly the negative of the charge it mirrors. */
export function roundToMinor(amount: Big | string, currency: string): string {
  return new Big(amount).round(minorUnits(currency), Big.roundHalfUp).toFixed(minorUnits(currency));
}

export function sumDecimals(values: readonly (string | Big)[], dp = 6): string {
  return values.reduce<Big>((s, v) => s.plus(v), new Big(0)).toFixed(dp);
}
