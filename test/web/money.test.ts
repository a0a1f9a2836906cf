import { describe, expect, it } from 'vitest';
import { currencyDigits, formatPrice, formatUnitPrice } from '../../web/src/money.ts';

describe('money on screen', () => {
  it('shows customers a price at the currency’s usual precision, not the six decimals it is kept at', () => {
    // The regression: the customer portal said "US$35.322 per instance per month".
    expect(formatPrice('en-GB', '35.322000', 'USD')).toBe('US$35.32');
    expect(formatPrice('id-ID', '35.322000', 'USD')).toBe('US$35,32');
    expect(formatPrice('en-GB', '423.864000', 'USD')).toBe('US$423.86');
    expect(formatPrice('en-GB', '1', 'USD')).toBe('US$1.00');
    // ISO 4217 gives IDR two decimals (Intl's CLDR data shows none): invoices' lines add up on screen.
    expect(formatPrice('id-ID', '35322.500000', 'IDR')).toMatch(/^Rp\s?35\.322,50$/);
    expect(formatPrice('en-GB', '12.3456', 'KWD')).toMatch(/12\.346$/);
  });

  it('keeps the detail partners need in unit prices, never fewer decimals than the currency has', () => {
    expect(formatUnitPrice('en-GB', '35.322000', 'USD')).toBe('US$35.322');
    expect(formatUnitPrice('en-GB', '0.096000', 'USD')).toBe('US$0.096');
    expect(formatUnitPrice('en-GB', '0.000001', 'USD')).toBe('US$0.000001');
    expect(formatUnitPrice('en-GB', '40.000000', 'USD')).toBe('US$40.00');
    expect(formatUnitPrice('id-ID', '35322.500000', 'IDR')).toMatch(/^Rp\s?35\.322,50$/);
  });

  it('knows the minor units, and falls back gracefully', () => {
    expect([
      currencyDigits('USD'),
      currencyDigits('IDR'),
      currencyDigits('JPY'),
      currencyDigits('KWD'),
    ]).toEqual([2, 2, 0, 3]);
    expect(currencyDigits(undefined)).toBe(2);
    expect(formatPrice('en-GB', 'n/a', 'USD')).toBe('n/a');
    expect(formatPrice('en-GB', '5', undefined)).toBe('5.00');
    expect(formatPrice('en-GB', '5', 'XXY')).toMatch(/5\.00/);
  });
});
