// Currency precision (ISO 4217 minor units), the same table as the server's `src/domain/money.ts`
// (test/invoices/minor-units.test.ts keeps them equal). Intl's own digits come from CLDR, which
// shows IDR without its cents: an invoice's lines would then no longer visibly add up to its total.

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

/** The currencies whose minor unit is not 2, for the test that compares this table with the server's. */
export const nonDecimalCurrencies = { zero: [...zeroDecimal], three: [...threeDecimal] };
